"""Web routes of the planning scenarios (``/rencana/``): administrators and analysts only."""

from django.urls import URLPattern, URLResolver, path

from mutu.scenarios import views

app_name = "scenarios"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.scenario_list, name="list"),
    path("baru/", views.scenario_new, name="new"),
    path("banding/", views.scenario_compare, name="compare"),
    path("<int:pk>/", views.scenario_detail, name="detail"),
]
