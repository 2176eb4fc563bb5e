"""The signed-in person's own pages under ``/saya/``: the download of their data."""

from django.urls import path

from mutu.accounts import views

app_name = "accounts"

urlpatterns = [
    path("saya/data/", views.my_data, name="my_data"),
    path("saya/data/unduh/", views.my_data_download, name="my_data_download"),
]
