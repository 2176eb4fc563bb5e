"""Web routes of the instruments app."""

from django.urls import URLPattern, URLResolver

app_name = "instruments"

urlpatterns: list[URLPattern | URLResolver] = []
