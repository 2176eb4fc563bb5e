"""Web routes of the program pages, under ``/program/`` (activities are under ``/kegiatan/``)."""

from django.urls import URLPattern, URLResolver, path

from mutu.programs.views import programs

app_name = "program_pages"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", programs.program_list_view, name="list"),
    path("<int:pk>/", programs.program_detail_view, name="detail"),
]
