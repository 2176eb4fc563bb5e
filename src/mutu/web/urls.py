from django.urls import path

from mutu.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("saya/", views.me, name="me"),
    path("health/", views.health, name="health"),
]
