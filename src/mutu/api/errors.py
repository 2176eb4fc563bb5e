"""Every API error as one JSON shape, in Indonesian and English.

The body of every 4xx answer is::

    {"detail": "<the message in the request's language>",
     "detail_id": "<Bahasa Indonesia>",
     "detail_en": "<English>",
     "code": "<machine-readable code>",
     "fields": {"<input>": ["<problem>", ...]}}      # only for refused input

``detail`` follows the request's language (``Accept-Language`` or the
language cookie, Indonesian by default), so a client may show it as it is;
``detail_id`` and ``detail_en`` are always both there.  A refusal of a
service (:class:`~mutu.domain.errors.MutuValueError`) keeps its own two
messages and names its field when it has one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils import translation
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from mutu.domain.errors import MutuValueError

__all__ = [
    "ApiError",
    "bad_request",
    "bilingual",
    "error_body",
    "exception_handler",
    "forbidden",
    "not_found",
]


def _lang() -> str:
    return "en" if (translation.get_language() or "id").startswith("en") else "id"


def bilingual(code: str, message_id: str, message_en: str, **extra: Any) -> dict[str, Any]:
    """The error body: ``detail`` in the active language, both languages beside it."""
    body: dict[str, Any] = {
        "detail": message_en if _lang() == "en" else message_id,
        "detail_id": message_id,
        "detail_en": message_en,
        "code": code,
    }
    body.update(extra)
    return body


class ApiError(exceptions.APIException):  # type: ignore[misc]
    """An API refusal with its two messages (raised by the views)."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message_id: str,
        message_en: str,
        *,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(detail=message_en, code=code)
        self.status_code = status_code
        self.code = code
        self.message_id = message_id
        self.message_en = message_en
        self.fields = fields


def not_found(what_id: str = "Data", what_en: str = "The record") -> ApiError:
    """404: not there, or outside the caller's scope (the two are never told apart)."""
    return ApiError(
        404,
        "not_found",
        f"{what_id} tidak ditemukan.",
        f"{what_en} was not found.",
    )


def forbidden(message_id: str, message_en: str) -> ApiError:
    """403: the caller's role may not do this."""
    return ApiError(403, "permission_denied", message_id, message_en)


def bad_request(
    message_id: str, message_en: str, *, field: str | None = None, code: str = "invalid"
) -> ApiError:
    """400: a refused input, naming the query or body field when there is one."""
    fields = {field: [message_en if _lang() == "en" else message_id]} if field else None
    return ApiError(400, code, message_id, message_en, fields=fields)


#: Messages for DRF's own exceptions: (status, code) → (Indonesian, English).
_STANDARD: dict[type[exceptions.APIException], tuple[str, str, str]] = {
    exceptions.NotAuthenticated: (
        "not_authenticated",
        "Perlu masuk: kirim token (Authorization: Token …) atau masuk lewat peramban.",
        "Authentication required: send a token (Authorization: Token …) or sign in in the browser.",
    ),
    exceptions.AuthenticationFailed: (
        "authentication_failed",
        "Token tidak berlaku atau akun tidak aktif.",
        "The token is not valid or the account is inactive.",
    ),
    exceptions.PermissionDenied: (
        "permission_denied",
        "Peran Anda tidak mengizinkan tindakan ini.",
        "Your role does not allow this.",
    ),
    exceptions.NotFound: ("not_found", "Data tidak ditemukan.", "Not found."),
    exceptions.MethodNotAllowed: (
        "method_not_allowed",
        "Metode HTTP ini tidak dapat dipakai di alamat ini.",
        "This HTTP method is not allowed here.",
    ),
    exceptions.NotAcceptable: (
        "not_acceptable",
        "Format jawaban yang diminta tidak tersedia; minta application/json.",
        "The requested response format is not available; ask for application/json.",
    ),
    exceptions.UnsupportedMediaType: (
        "unsupported_media_type",
        "Kirim isi permintaan sebagai application/json.",
        "Send the request body as application/json.",
    ),
    exceptions.ParseError: (
        "parse_error",
        "Isi permintaan bukan JSON yang sah.",
        "The request body is not valid JSON.",
    ),
    exceptions.Throttled: (
        "throttled",
        "Terlalu banyak permintaan; coba lagi nanti.",
        "Too many requests; try again later.",
    ),
}


def _field_errors(detail: Any) -> dict[str, list[str]]:
    """A serializer's errors as ``{field: [message, ...]}`` (nested fields joined by dots)."""
    out: dict[str, list[str]] = {}

    def walk(value: Any, prefix: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            out.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
        elif isinstance(value, list):
            for i, inner in enumerate(value):
                walk(inner, f"{prefix}.{i}" if prefix else str(i))
        else:
            out.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk(detail, "")
    return out


def error_body(exc: Exception) -> tuple[int, dict[str, Any]] | None:
    """The status and body for an exception, or ``None`` when it is not an API error."""
    if isinstance(exc, ApiError):
        extra = {"fields": exc.fields} if exc.fields else {}
        return exc.status_code, bilingual(exc.code, exc.message_id, exc.message_en, **extra)
    if isinstance(exc, MutuValueError):
        fields = {exc.field: [exc.message(_lang())]} if exc.field else {}
        extra = {"fields": fields} if fields else {}
        return 400, bilingual("invalid", exc.message_id, exc.message_en, **extra)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        fields = _field_errors(exc.detail)
        listed = "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items())
        return 400, bilingual(
            "invalid",
            f"Masukan tidak sah — {listed}",
            f"The input is not valid — {listed}",
            fields=fields,
        )
    if isinstance(exc, exceptions.APIException):
        for kind, (code, message_id, message_en) in _STANDARD.items():
            if isinstance(exc, kind):
                return exc.status_code, bilingual(code, message_id, message_en)
        text = str(exc.detail)
        return exc.status_code, bilingual("error", text, text)
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, answering with the bilingual body (None: a server error)."""
    found = error_body(exc)
    if found is None:
        return None
    code, body = found
    headers: dict[str, str] = {}
    if isinstance(exc, exceptions.APIException):
        auth = getattr(exc, "auth_header", None)
        if auth:
            headers["WWW-Authenticate"] = auth
        wait = getattr(exc, "wait", None)
        if wait is not None:
            headers["Retry-After"] = str(int(wait))
    set_rollback()
    return Response(body, status=code, headers=headers)
