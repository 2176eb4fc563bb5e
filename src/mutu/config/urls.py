"""URL routes: the web application (Indonesian paths), Django admin, sign-in and language."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mutu.accounts.throttle import LoginForm

urlpatterns = [
    path("", include("mutu.web.urls")),
    path("dasbor/", include("mutu.dashboard.urls")),
    path("kegiatan/", include("mutu.programs.urls")),
    path("program/", include("mutu.programs.program_urls")),
    path("isian/", include("mutu.instruments.urls")),
    path("laporan/", include("mutu.evaluations.urls")),
    path("magang/", include("mutu.internships.urls")),
    path("rencana/", include("mutu.scenarios.urls")),
    path("", include("mutu.imports.urls")),
    path("", include("mutu.accounts.urls")),
    path("api/", include("mutu.api.urls")),
    path("masuk/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
