"""Web routes: ``/impor/`` (upload, preview, apply) and ``/ekspor/<kind>/`` (downloads)."""

from django.urls import URLPattern, URLResolver, path

from mutu.imports import views

app_name = "imports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("impor/", views.upload, name="upload"),
    path("impor/pratinjau/", views.preview, name="preview"),
    path("impor/terapkan/", views.apply, name="apply"),
    path("impor/batal/", views.discard, name="discard"),
    path("impor/kesalahan/", views.errors_file, name="errors_file"),
    path("ekspor/<str:kind>/", views.export, name="export"),
]
