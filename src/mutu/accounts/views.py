"""The right of access (UU 27/2022): a signed-in person downloads all Mutu holds about them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from mutu.accounts.mydata import mydata_export
from mutu.domain.errors import MutuValueError


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


#: The answer's content type per shape.
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_GET
def my_data_download(request: HttpRequest) -> HttpResponse:
    """The file of the signed-in user's own data, JSON or (``?format=xlsx``) an Excel
    workbook; logged as a personal-data export. An unknown format answers 400 with the
    reason in the active language, and nothing is logged."""
    scope = request.scope  # type: ignore[attr-defined]
    user = request.user
    assert user.is_authenticated  # login_required
    shape = request.GET.get("format", "json") or "json"
    try:
        content, file_name, _log = mydata_export(
            user=user, employee_id=scope.employee_id, shape=shape
        )
    except MutuValueError as error:
        return HttpResponseBadRequest(
            error.message(get_language() or "id"), content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(content, content_type=CONTENT_TYPES[shape])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "no-store"
    return response
