"""Web routes of the dashboard app: regency → unit → activity → person (``?tahun=YYYY``)."""

from django.urls import URLPattern, URLResolver, path

from mutu.dashboard import views

app_name = "dashboard"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("unit/<str:code>/", views.unit, name="unit"),
    path("kegiatan/<str:code>/", views.activity, name="activity"),
    path("pegawai/<int:pk>/", views.person, name="person"),
]
