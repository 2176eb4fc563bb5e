"""``mutu export KIND --out FILE``: write a kind to .xlsx or .csv in the shape its import reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.domain.errors import MutuValueError
from mutu.imports.kinds import KINDS
from mutu.imports.services import export_kind, resolve_user


class Command(BaseCommand):
    help = (
        "Ekspor data ke .xlsx atau .csv dengan kolom yang sama dengan impornya; setiap ekspor "
        "dicatat. / Export data to .xlsx or .csv in the columns its import reads; every export "
        "is logged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument(
            "--shape", default="mutu", help="mutu (default) or siasn (course_history)"
        )
        parser.add_argument("--activity", default=None, help="only this activity's rows")
        parser.add_argument("--year", type=int, default=None, help="only this year")
        parser.add_argument("--unit", default=None, help="only this unit and its sub-units")
        parser.add_argument(
            "--instrument", default=None, help="instrument code (responses, test_scores)"
        )
        parser.add_argument("--user", default=None, help="Mutu user recorded in the export log")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            log = export_kind(
                kind=options["kind"],
                out=options["out"],
                shape=options["shape"],
                user=resolve_user(options["user"]),
                activity=options["activity"],
                year=options["year"],
                unit=options["unit"],
                instrument=options["instrument"],
            )
        except MutuValueError as err:
            raise CommandError(str(err)) from err
        personal = " (data pribadi, dicatat / personal data, logged)" if log.personal else ""
        self.stdout.write(
            f"Diekspor / exported {log.kind}: {log.rows} baris/rows → {log.file_name}{personal}"
        )
