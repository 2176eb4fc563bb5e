"""The signed-in person's own pages under ``/saya/`` (their data) and the audit page."""

from django.urls import path

from mutu.accounts import audit_views, views

app_name = "accounts"

urlpatterns = [
    path("saya/data/", views.my_data, name="my_data"),
    path("saya/data/unduh/", views.my_data_download, name="my_data_download"),
    path("jejak-audit/", audit_views.audit_page, name="audit"),
]
