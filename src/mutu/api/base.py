"""What every API view shares: authentication, the caller's scope, pagination, filters, errors.

- Authentication: a token (``Authorization: Token <key>``, DRF's
  :class:`~rest_framework.authentication.TokenAuthentication`, made with
  ``mutu token USERNAME``) or the browser's session (with its CSRF token for
  writes).  Token first, so an anonymous call is answered 401 with
  ``WWW-Authenticate: Token``.
- The scope: :func:`mutu.accounts.scope.scope_for` of the authenticated user,
  computed once per request after authentication (a token user is only known
  then, after Django's middleware has run).
- Pagination: ``?page=N&page_size=M`` (default 50, at most 200); the answer is
  ``{"count", "next", "previous", "results"}``.
- Filters: ``?year=YYYY`` and ``?unit=CODE`` (the unit and all its
  sub-units); a unit outside the caller's scope is answered 404, like an
  unknown one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from mutu.accounts.scope import EMPTY, Scope, scope_for, unit_subtree
from mutu.api.errors import ApiError, bad_request, exception_handler, not_found
from mutu.people.models import Unit

__all__ = [
    "ERRORS",
    "MAX_PAGE_SIZE",
    "PAGE_SIZE",
    "UNIT_PARAMETER",
    "YEAR_PARAMETER",
    "ApiView",
    "ErrorSerializer",
    "Pagination",
    "errors",
]

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
#: Years a filter accepts (anything else is refused with a clear message, not a 500).
FIRST_YEAR, LAST_YEAR = 1950, 2100


class Pagination(PageNumberPagination):  # type: ignore[misc]
    """``?page=`` and ``?page_size=`` (at most :data:`MAX_PAGE_SIZE`)."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        raw = request.query_params.get(self.page_query_param, "")
        if raw and not (raw.isascii() and raw.isdigit() and 0 < int(raw) < 10**9):
            raise bad_request(
                "Nomor halaman harus bilangan bulat positif.",
                "The page number must be a positive whole number.",
                field="page",
            )
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as err:  # DRF's "Invalid page."
            raise ApiError(
                404,
                "not_found",
                "Halaman ini tidak ada (melewati halaman terakhir).",
                "This page does not exist (it is past the last page).",
            ) from err


class ErrorSerializer(serializers.Serializer):  # type: ignore[misc]
    """The body of every error answer (docs/api.md, "Errors")."""

    detail = serializers.CharField(help_text="The message in the request's language.")
    detail_id = serializers.CharField(help_text="The message in Bahasa Indonesia.")
    detail_en = serializers.CharField(help_text="The message in English.")
    code = serializers.CharField(help_text="A machine-readable code, e.g. not_found.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For refused input: the problems per field.",
    )


_ERROR_TEXT = {
    400: "Refused input (bilingual message, problems per field).",
    401: "Not authenticated.",
    403: "The caller's role may not do this.",
    404: "Not found, or outside the caller's scope.",
}

#: The error answers every authenticated endpoint can give.
ERRORS = (400, 401, 403, 404)


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Schema entries for error answers (all of :data:`ERRORS` when none are named)."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=_ERROR_TEXT[code])
        for code in (codes or ERRORS)
    }


YEAR_PARAMETER = OpenApiParameter(
    "year", int, description=f"A calendar year ({FIRST_YEAR}–{LAST_YEAR})."
)
UNIT_PARAMETER = OpenApiParameter(
    "unit", str, description="A unit code: the unit and all its sub-units."
)


class ApiView(GenericAPIView):  # type: ignore[misc]
    """Base of every API view: authentication, scope, JSON, pagination, bilingual errors."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    pagination_class: type[Pagination] | None = Pagination
    schema = AutoSchema()
    scope: Scope = EMPTY

    def get_exception_handler(self) -> Callable[..., Any]:
        return exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.scope = scope_for(request.user)

    # -- query parameters -------------------------------------------------------------------

    def year(self, *, default: int | None = None) -> int | None:
        """``?year=``: a whole number between 1950 and 2100, or ``default`` when absent."""
        raw = str(self.request.query_params.get("year", "")).strip()
        if not raw:
            return default
        if not (raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR):
            raise bad_request(
                f"Tahun harus bilangan bulat {FIRST_YEAR}–{LAST_YEAR}.",
                f"The year must be a whole number from {FIRST_YEAR} to {LAST_YEAR}.",
                field="year",
            )
        return int(raw)

    def unit_filter(self) -> tuple[Unit, frozenset[int]] | None:
        """``?unit=CODE``: the unit and the ids of its subtree; 404 outside the scope."""
        code = str(self.request.query_params.get("unit", "")).strip()
        if not code:
            return None
        unit = Unit.objects.filter(code=code[:40]).first()
        if unit is None or not self.scope.can_read_unit(unit.pk):
            raise not_found("Unit", "The unit")
        return unit, unit_subtree([unit.pk])

    def text(self, name: str, choices: Iterable[str] | None = None) -> str:
        """A short text parameter; with ``choices``, one of them or a clear 400."""
        raw = str(self.request.query_params.get(name, "")).strip()
        if raw and choices is not None and raw not in set(choices):
            allowed = ", ".join(sorted(choices))
            raise bad_request(
                f"Nilai '{name}' tidak dikenal; pilih salah satu: {allowed}.",
                f"Unknown value for '{name}'; choose one of: {allowed}.",
                field=name,
            )
        return raw[:100]

    def flag(self, name: str) -> bool | None:
        """``true``/``false`` (also 1/0); absent is ``None``."""
        raw = str(self.request.query_params.get(name, "")).strip().lower()
        if not raw:
            return None
        if raw in ("true", "1"):
            return True
        if raw in ("false", "0"):
            return False
        raise bad_request(
            f"'{name}' harus true atau false.", f"'{name}' must be true or false.", field=name
        )

    def integer(self, name: str) -> int | None:
        raw = str(self.request.query_params.get(name, "")).strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit() and int(raw) < 2**31):
            raise bad_request(
                f"'{name}' harus bilangan bulat positif.",
                f"'{name}' must be a positive whole number.",
                field=name,
            )
        return int(raw)
