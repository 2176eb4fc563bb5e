"""Web routes of the instruments app (under ``/isian/``).

Fixed paths come before the token path, which matches any one segment.
"""

from django.urls import URLPattern, URLResolver, path

from mutu.instruments import views

app_name = "instruments"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("saya/", views.my_forms, name="my_forms"),
    path("kegiatan/<str:code>/", views.activity_forms, name="activity"),
    path("kegiatan/<str:code>/lepas/<int:pk>/", views.detach, name="detach"),
    path("kegiatan/<str:code>/tautan.csv", views.links_csv, name="links_csv"),
    path("kegiatan/<str:code>/whatsapp/", views.links_whatsapp, name="links_whatsapp"),
    path("skm/<str:unit_code>/", views.skm_form, name="skm"),
    path("skm/<str:unit_code>/terima-kasih/", views.skm_thanks, name="skm_thanks"),
    path("skm/<str:unit_code>/poster/", views.skm_poster, name="skm_poster"),
    path("<str:token>/", views.link_form, name="link"),
    path("<str:token>/simpan/", views.link_save, name="link_save"),
]
