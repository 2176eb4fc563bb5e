"""Web routes of the evaluations app: the reports page (``/laporan/``)."""

from django.urls import URLPattern, URLResolver, path

from mutu.evaluations import views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("unduh/<int:run>/<str:name>", views.download, name="download"),
]
