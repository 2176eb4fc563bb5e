"""Web routes of the internships (magang) pages (under ``/magang/``)."""

from django.urls import URLPattern, URLResolver, path

from mutu.internships import views

app_name = "internships"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("layak/", views.eligible, name="eligible"),
    path("baru/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/catatan/", views.log_write, name="log_write"),
    path("<int:pk>/rubrik/", views.assess, name="assess"),
    path("<int:pk>/selesai/", views.complete, name="complete"),
    path("<int:pk>/pembimbing/", views.mentor_link, name="mentor_link"),
    path("<int:pk>/kompetensi/", views.final_competency, name="final_competency"),
    path("catatan/<int:pk>/tinjau/", views.log_review, name="log_review"),
    path("mitra/", views.partners, name="partners"),
    path("mitra/baru/", views.partner_new, name="partner_new"),
    path("mitra/<int:pk>/", views.partner_detail, name="partner"),
    path("mitra/<int:pk>/ubah/", views.partner_edit, name="partner_edit"),
    path("mitra/<int:pk>/perjanjian/baru/", views.agreement_new, name="agreement_new"),
    path("perjanjian/<int:pk>/ubah/", views.agreement_edit, name="agreement_edit"),
]
