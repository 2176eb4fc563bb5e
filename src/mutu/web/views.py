"""Home (send each role to its door), the person's own page, and health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse


def home(request: HttpRequest) -> HttpResponse:
    """Signed out: the sign-in page; signed in: the dashboard the role opens on."""
    if not request.user.is_authenticated:
        return redirect("login")
    try:
        return redirect(reverse("dashboard:home"))
    except NoReverseMatch:
        return redirect("web:me")


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own record (participants and supervisors)."""
    scope = request.scope  # type: ignore[attr-defined]
    if scope.employee_id is None:
        return redirect("web:home")
    try:
        return redirect(reverse("dashboard:person", args=[scope.employee_id]))
    except NoReverseMatch:
        return redirect("web:home")


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for the serving scripts: answers without touching the database."""
    return JsonResponse({"status": "ok"})
