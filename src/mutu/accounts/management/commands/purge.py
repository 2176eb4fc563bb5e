"""``mutu purge [--dry-run]``: delete the data kept past its retention period (UU 27/2022).

Each kind of data has its retention in days (the ``MUTU_RETENTION_*``
settings, docs/settings.md; ``0`` keeps it for ever):

- sign-in records (:class:`~mutu.accounts.models.LoginEvent`), by their time;
- audit events (:class:`~mutu.accounts.models.AuditEvent`), by their time;
- export-log entries (:class:`~mutu.imports.models.ExportLog`), by their time;
- personal survey links (with their saved drafts), counted from the end date
  of their activity;
- who gave each named response (:class:`~mutu.instruments.models.ResponseIdentity`),
  counted from the end date of the response's activity, or its submission
  date; the answers stay, unnamed;
- pending uploads past ``MUTU_IMPORT_UPLOAD_TTL`` (files, not rows).

Every row is deleted in one transaction (all of it or nothing), the files
after it commits; one ``purge`` audit event per kind records the count.
``--dry-run`` counts and deletes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from mutu.accounts.audit import acting_as, audit_record
from mutu.accounts.models import AuditAction, AuditEvent, LoginEvent
from mutu.imports.models import ExportLog
from mutu.imports.uploads import upload_root, upload_ttl, uploads_sweep
from mutu.instruments.models import InstrumentLink, ResponseIdentity


@dataclass(frozen=True)
class Purged:
    """One kind of data: its retention setting, days, and how many rows are (or were) past it."""

    kind: str
    setting: str
    days: int
    count: int


def _days(name: str) -> int:
    return max(0, int(getattr(settings, name, 0) or 0))


def _querysets(now: dt.datetime) -> list[tuple[str, str, int, QuerySet[Any] | None]]:
    """Per kind: label, setting, days, and the rows past retention (None when kept for ever)."""
    today = timezone.localdate(now)

    def by_time(setting: str, qs: QuerySet[Any], field: str) -> QuerySet[Any] | None:
        days = _days(setting)
        return qs.filter(**{f"{field}__lt": now - dt.timedelta(days=days)}) if days else None

    links_days = _days("MUTU_RETENTION_SURVEY_LINKS_DAYS")
    links = None
    if links_days:
        cutoff = today - dt.timedelta(days=links_days)
        links = InstrumentLink.objects.filter(attachment__activity__end_date__lt=cutoff)
    ident_days = _days("MUTU_RETENTION_RESPONSE_IDENTITIES_DAYS")
    identities = None
    if ident_days:
        cutoff = today - dt.timedelta(days=ident_days)
        identities = ResponseIdentity.objects.filter(
            Q(response__activity__end_date__lt=cutoff)
            | Q(response__activity__isnull=True, response__submitted_at__date__lt=cutoff)
        )
    return [
        (
            "login events",
            "MUTU_RETENTION_LOGIN_EVENTS_DAYS",
            _days("MUTU_RETENTION_LOGIN_EVENTS_DAYS"),
            by_time("MUTU_RETENTION_LOGIN_EVENTS_DAYS", LoginEvent.objects.all(), "at"),
        ),
        (
            "audit events",
            "MUTU_RETENTION_AUDIT_EVENTS_DAYS",
            _days("MUTU_RETENTION_AUDIT_EVENTS_DAYS"),
            by_time("MUTU_RETENTION_AUDIT_EVENTS_DAYS", AuditEvent.objects.all(), "at"),
        ),
        (
            "export log",
            "MUTU_RETENTION_EXPORT_LOGS_DAYS",
            _days("MUTU_RETENTION_EXPORT_LOGS_DAYS"),
            by_time("MUTU_RETENTION_EXPORT_LOGS_DAYS", ExportLog.objects.all(), "created_at"),
        ),
        ("survey links", "MUTU_RETENTION_SURVEY_LINKS_DAYS", links_days, links),
        ("response identities", "MUTU_RETENTION_RESPONSE_IDENTITIES_DAYS", ident_days, identities),
    ]


def _stale_uploads(now: float) -> int:
    """Pending uploads past their time to live (the rule of :func:`uploads_sweep`)."""
    root = upload_root()
    if not root.is_dir():
        return 0
    stale = 0
    for manifest in root.glob("*/*/manifest.json"):
        try:
            created = float(json.loads(manifest.read_text(encoding="utf-8"))["created"])
        except (OSError, ValueError, KeyError, TypeError):
            created = 0.0
        stale += created + upload_ttl() < now
    return stale


def purge_run(*, dry_run: bool = False, now: dt.datetime | None = None) -> list[Purged]:
    """Delete (or with ``dry_run`` only count) every row past its retention; the counts.

    Rows go with one ``DELETE`` per kind (no per-row signals: none of these
    tables is referenced by another), all in one transaction.
    """
    now = now or timezone.now()
    found: list[Purged] = []
    with transaction.atomic(), acting_as("mutu purge"):
        for kind, setting, days, qs in _querysets(now):
            count = 0
            if qs is not None:
                ids = list(qs.values_list("pk", flat=True))
                count = len(ids)
                if count and not dry_run:
                    model = qs.model
                    for start in range(0, count, 500):
                        batch = model._base_manager.filter(pk__in=ids[start : start + 500])
                        batch._raw_delete(batch.db)
                    audit_record(
                        action=AuditAction.PURGE,
                        model=model._meta.label,
                        note=f"{count} past {days} days ({setting})",
                    )
            found.append(Purged(kind, setting, days, count))
        uploads = _stale_uploads(now.timestamp())
        found.append(Purged("pending uploads", "MUTU_IMPORT_UPLOAD_TTL", 0, uploads))
        if not dry_run and uploads:
            transaction.on_commit(lambda: uploads_sweep(now.timestamp()))
    return found


class Command(BaseCommand):
    help = (
        "Hapus data yang melewati masa simpannya (MUTU_RETENTION_*), dalam satu transaksi. / "
        "Delete the data kept past its retention period (MUTU_RETENTION_*), in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be deleted, delete nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry = bool(options["dry_run"])
        for row in purge_run(dry_run=dry):
            keep = f"{row.days} hari/days" if row.days else "selamanya/for ever"
            if row.setting == "MUTU_IMPORT_UPLOAD_TTL":
                keep = f"{upload_ttl()} s"
            verb = "akan dihapus/would be deleted" if dry else "dihapus/deleted"
            self.stdout.write(f"{row.kind}: {row.count} {verb} (simpan/keep {keep}, {row.setting})")
