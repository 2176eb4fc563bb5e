"""``mutu links --activity CODE``: print every participant's personal link of an activity."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from mutu.instruments.field_services import links_ensure
from mutu.instruments.selectors import ActivityAccess, activity_attachments, link_rows
from mutu.programs.models import Activity

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def link_url(base_url: str, token: str) -> str:
    """The absolute address of a personal link."""
    return base_url.rstrip("/") + reverse("instruments:link", args=[token])


class Command(BaseCommand):
    help = (
        "Cetak tautan pribadi setiap peserta untuk instrumen kegiatan (nama, NIP, tautan). / "
        "Print every participant's personal links for an activity's instruments "
        "(name, NIP, link)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--activity", required=True, help="Activity code.")
        parser.add_argument(
            "--base-url",
            default=DEFAULT_BASE_URL,
            help=f"Address the server is reached at (default {DEFAULT_BASE_URL}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["activity"]
        activity = Activity.objects.filter(code=code).first()
        if activity is None:
            raise CommandError(f"Kegiatan {code!r} tidak ada. / There is no activity {code!r}.")
        attachments = activity_attachments(activity)
        if not attachments:
            raise CommandError(
                f"Kegiatan {code} belum memiliki instrumen; lampirkan dulu di /isian/kegiatan/"
                f"{code}/. / Activity {code} has no instrument yet; attach one first at "
                f"/isian/kegiatan/{code}/."
            )
        created = links_ensure(activity=activity)
        rows = link_rows(activity, ActivityAccess(manage=True, unit_ids=None))
        base = options["base_url"]
        for attachment in attachments:
            instrument = attachment.version.instrument
            self.stdout.write(
                f"# {instrument.code} v{attachment.version.version} · {attachment.occasion} · "
                f"{attachment.opens_on:%Y-%m-%d} – {attachment.closes_on:%Y-%m-%d}"
            )
            for row in rows:
                if row.attachment_id != attachment.pk:
                    continue
                who = row.name
                if row.role != "participant":
                    who += f" (atasan / supervisor → {row.subject_nip})"
                done = " ✓" if row.submitted else ""
                self.stdout.write(f"{who}\t{row.nip}\t{link_url(base, row.token)}{done}")
        self.stderr.write(f"{len(rows)} tautan, {created} baru / {len(rows)} links, {created} new")
