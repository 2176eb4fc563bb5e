"""Web routes of the dashboard app."""

from django.urls import URLPattern, URLResolver

app_name = "dashboard"

urlpatterns: list[URLPattern | URLResolver] = []
