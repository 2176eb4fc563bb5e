"""Routes of the REST API (``/api/…``, docs/api.md); every one named, so the authorisation walk
reaches it."""

from django.urls import URLPattern, URLResolver, path

from mutu.api import views
from mutu.api.views.schema import SchemaView

app_name = "api"

#: drf-spectacular settings of this API's schema (kept here, not in the project settings).
SCHEMA_SETTINGS = {
    "TITLE": "Mutu API",
    "DESCRIPTION": (
        "Read units, employees, activities, enrollments, the JP ledger, indices and the "
        "stored evaluation of Mutu, scoped by the caller's roles; write attendance and form "
        "answers, idempotently. Authenticate with `Authorization: Token <key>` (made by "
        "`mutu token USERNAME`) or the browser session. Errors: "
        '{"detail", "detail_id", "detail_en", "code", "fields"?}. See docs/api.md.'
    ),
    "VERSION": "1.0.0",
}

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "openapi.json",
        SchemaView.as_view(custom_settings=SCHEMA_SETTINGS),
        name="schema",
    ),
    path("me/", views.Me.as_view(), name="me"),
    path("units/", views.UnitList.as_view(), name="units"),
    path("units/<str:code>/", views.UnitDetail.as_view(), name="unit"),
    path("employees/", views.EmployeeList.as_view(), name="employees"),
    path("employees/<int:pk>/", views.EmployeeDetail.as_view(), name="employee"),
    path("activities/", views.ActivityList.as_view(), name="activities"),
    path("activities/<int:pk>/", views.ActivityDetail.as_view(), name="activity"),
    path("enrollments/", views.EnrollmentList.as_view(), name="enrollments"),
    path("jp-ledger/", views.JpLedgerList.as_view(), name="jp_ledger"),
    path("indices/units/", views.UnitIndexList.as_view(), name="unit_indices"),
    path("indices/employees/", views.EmployeeIndexList.as_view(), name="employee_indices"),
    path("evaluation/", views.EvaluationSummary.as_view(), name="evaluation"),
    path(
        "sessions/<int:session_pk>/attendance/",
        views.SessionAttendance.as_view(),
        name="attendance",
    ),
    path("forms/", views.FormList.as_view(), name="forms"),
    path("forms/<str:token>/", views.FormDetail.as_view(), name="form"),
]
