"""Reads for the administrators' audit page (``/jejak-audit/``): the three trails, filtered.

- data changes: :class:`~mutu.accounts.models.AuditEvent` (who, when, model,
  row id, the *names* of the fields written; the trail never holds values);
- sign-ins: :class:`~mutu.accounts.models.LoginEvent`;
- exports: :class:`~mutu.imports.models.ExportLog` (the "my data" downloads
  are among them, kind ``my_data``).

Every function returns a query set, newest first, for the view to page. A date
range is read in the server's time zone and includes both end days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from mutu.accounts.models import AuditEvent, LoginEvent
from mutu.imports.models import ExportLog

__all__ = [
    "AuditFilters",
    "audit_event_list",
    "audit_models",
    "export_kinds",
    "export_log_list",
    "login_event_list",
]


@dataclass(frozen=True)
class AuditFilters:
    """What the page's filters ask for; empty values filter nothing."""

    user: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    kind: str = ""


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the server's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _in_range(field: str, filters: AuditFilters) -> Q:
    cond = Q()
    if filters.since is not None:
        cond &= Q(**{f"{field}__gte": _day_start(filters.since)})
    if filters.until is not None:
        cond &= Q(**{f"{field}__lt": _day_start(filters.until + dt.timedelta(days=1))})
    return cond


def _by_user(names: tuple[str, ...], filters: AuditFilters) -> Q:
    """Rows whose actor/user name (or the user's account name) contains the text, any case."""
    text = filters.user.strip()
    cond = Q()
    if not text:
        return cond
    for name in names:
        cond |= Q(**{f"{name}__icontains": text})
    return cond


def audit_event_list(filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Data changes, newest first; ``kind`` is a model label (``people.Employee``)."""
    qs = AuditEvent.objects.select_related("user").filter(
        _in_range("at", filters), _by_user(("actor", "user__username"), filters)
    )
    if filters.kind:
        qs = qs.filter(model=filters.kind)
    return qs.order_by("-at", "-pk")


def login_event_list(filters: AuditFilters) -> QuerySet[LoginEvent]:
    """Sign-ins, failures, refusals and sign-outs, newest first; ``kind`` is an outcome."""
    qs = LoginEvent.objects.select_related("user").filter(
        _in_range("at", filters), _by_user(("username", "user__username"), filters)
    )
    if filters.kind:
        qs = qs.filter(outcome=filters.kind)
    return qs.order_by("-at", "-pk")


def export_log_list(filters: AuditFilters) -> QuerySet[ExportLog]:
    """Exports (personal data or not) and "my data" downloads, newest first; ``kind`` is the
    export kind (``employees``, ``my_data``...)."""
    qs = ExportLog.objects.select_related("user").filter(
        _in_range("created_at", filters), _by_user(("actor", "user__username"), filters)
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.order_by("-created_at", "-pk")


def audit_models() -> list[str]:
    """The model labels that appear in the audit trail, sorted (the filter's choices)."""
    return sorted(set(AuditEvent.objects.values_list("model", flat=True).distinct()))


def export_kinds() -> list[str]:
    """The export kinds in the export log, sorted (the filter's choices)."""
    return sorted(set(ExportLog.objects.values_list("kind", flat=True).distinct()))
