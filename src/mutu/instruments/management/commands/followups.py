"""``mutu followups``: behaviour follow-up links 60–90 days after each activity (run daily)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mutu.domain.errors import MutuValueError
from mutu.evaluations.management.commands.evaluate import load_plan
from mutu.instruments.field_services import followups_create
from mutu.instruments.management.commands.links import DEFAULT_BASE_URL, link_url


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Tanggal {text!r} tidak valid; tulis YYYY-MM-DD. / "
            f"Date {text!r} is not valid; write YYYY-MM-DD."
        ) from None


class Command(BaseCommand):
    help = (
        "Buat tautan tindak lanjut (L3) bagi peserta yang lulus dan atasan langsungnya, "
        "60–90 hari sesudah kegiatan; aman dijalankan berulang. / Create the level-3 "
        "follow-up links for completed participants and their direct supervisors 60–90 days "
        "after an activity; safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", default=None, help="YYYY-MM-DD (default: today).")
        parser.add_argument("--program", default=None, help="Only this program's activities.")
        parser.add_argument("--plan", type=Path, default=None, help="Evaluation plan (JSON).")
        parser.add_argument("--base-url", default=DEFAULT_BASE_URL)

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["today"]) if options["today"] else timezone.localdate()
        try:
            plan = load_plan(options["plan"])
            created = followups_create(today=today, plan=plan, program=options["program"])
        except MutuValueError as err:
            raise CommandError(str(err)) from err
        base = options["base_url"]
        for link in created:
            if link.role == "supervisor":
                who = f"atasan / supervisor {link.name} ({link.nip}) → {link.subject_nip}"
            else:
                who = f"peserta / participant {link.name} ({link.nip})"
            self.stdout.write(f"{link.activity}\t{who}\t{link_url(base, link.token)}")
        activities = len({link.activity for link in created})
        self.stdout.write(
            f"{today:%Y-%m-%d}: {len(created)} tautan tindak lanjut baru di {activities} "
            f"kegiatan / {len(created)} new follow-up links in {activities} activities"
        )
