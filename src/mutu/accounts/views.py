"""The right of access (UU 27/2022): a signed-in person downloads all Mutu holds about them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mutu.accounts.mydata import mydata_export


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """What the download holds, and its button. Every signed-in user has an account to show;
    the employee sections come with a participant or supervisor role."""
    scope = request.scope  # type: ignore[attr-defined]
    return render(
        request,
        "accounts/my_data.html",
        {"has_employee": scope.employee_id is not None},
    )


@login_required
@require_GET
def my_data_download(request: HttpRequest) -> HttpResponse:
    """The JSON file of the signed-in user's own data; logged as a personal-data export."""
    scope = request.scope  # type: ignore[attr-defined]
    user = request.user
    assert user.is_authenticated  # login_required
    content, file_name, _log = mydata_export(user=user, employee_id=scope.employee_id)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "no-store"
    return response
