"""Helpers shared by the programs views: the scope, the language, refusals, 404s."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation

from mutu.domain.errors import MutuValueError
from mutu.programs.access import activities_in_scope
from mutu.programs.models import Activity

if TYPE_CHECKING:
    from mutu.accounts.scope import Scope


def scope_of(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined, no-any-return]


def lang() -> str:
    """``"id"`` or ``"en"``: the language of the page being answered."""
    return "en" if (translation.get_language() or "id").startswith("en") else "id"


def refuse(request: HttpRequest, err: MutuValueError) -> str:
    """Show a service's refusal in the page's language (and return it)."""
    text = err.message(lang())
    messages.error(request, text)
    return text


def activity_or_404(request: HttpRequest, pk: int) -> Activity:
    """The activity, if the signed-in user's scope reaches it; 404 otherwise."""
    qs = activities_in_scope(scope_of(request)).select_related("program", "form", "partner")
    return get_object_or_404(qs, pk=pk)


def require(condition: bool) -> None:
    """404 unless ``condition``: a page outside the scope does not exist for its visitor."""
    if not condition:
        raise Http404


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def int_list(values: list[str]) -> list[int] | None:
    """Ids from a form's ticked boxes; ``None`` when one is not a number or not a 64-bit id.

    A number beyond the database's 64-bit integers would make the query fail
    (SQLite: OverflowError, PostgreSQL: out of range) instead of being refused.
    """
    try:
        ids = [int(v) for v in values]
    except (TypeError, ValueError):
        return None
    return ids if all(abs(i) < 2**63 for i in ids) else None
