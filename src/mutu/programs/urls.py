"""Web routes of the programs app (under ``/kegiatan/``)."""

from django.urls import URLPattern, URLResolver, path

from mutu.programs.views import activities, attendance, certificates, external, mine, nomination

app_name = "programs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", activities.activity_list_view, name="activities"),
    path("kalender/", activities.calendar_view, name="calendar"),
    path("saya/", mine.my_activities, name="mine"),
    path("<int:pk>/", activities.activity_detail, name="activity"),
    path("<int:pk>/nominasi/", nomination.nominate, name="nominate"),
    path("<int:pk>/pendaftaran/", nomination.register, name="register"),
    path("<int:pk>/selesai/", attendance.complete, name="complete"),
    path("sesi/<int:pk>/presensi/", attendance.checklist, name="attendance"),
    path("sesi/<int:pk>/qr/", attendance.session_qr, name="session_qr"),
    path("sesi/<int:pk>/qr/hadir/", attendance.session_count, name="session_count"),
    path("hadir/<int:pk>/<str:secret>/", attendance.check_in, name="check_in"),
    path("sertifikat/<int:pk>/pdf/", certificates.certificate_download, name="certificate_pdf"),
    path("sertifikat/<str:code>/", certificates.verify, name="verify"),
    path("jp-luar/", external.external_list, name="external_list"),
    path("jp-luar/baru/", external.external_new, name="external_new"),
    path("jp-luar/<int:pk>/putuskan/", external.external_decide, name="external_decide"),
    path("jp-luar/<int:pk>/bukti/", external.external_evidence, name="external_evidence"),
]
