"""``mutu report``: write the evaluation report (HTML, PDF, DOCX, XLSX) from stored results."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.evaluations.models import EvaluationRun
from mutu.reference.models import LoadedWorld
from mutu.reporting import write_report
from mutu.reporting.compose import report_year
from mutu.scenarios.selectors import with_planning

FORMATS = ("html", "pdf", "docx", "xlsx")


def parse_formats(text: str) -> list[str]:
    """``html,pdf`` → ["html", "pdf"]; an unknown format is refused in both languages."""
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise CommandError(
            f"Format tidak dikenal: {', '.join(unknown) or text!r} (pilih dari "
            f"{', '.join(FORMATS)}). / Unknown format: {', '.join(unknown) or text!r} "
            f"(choose from {', '.join(FORMATS)})."
        )
    return formats


class Command(BaseCommand):
    help = (
        "Tulis laporan evaluasi (HTML, PDF, DOCX, XLSX) dari hasil evaluasi terakhir. / "
        "Write the evaluation report (HTML, PDF, DOCX, XLSX) from the latest evaluation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--lang", choices=["id", "en"], default="id")
        parser.add_argument("--format", default=",".join(FORMATS))
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        formats = parse_formats(options["format"])
        run = EvaluationRun.objects.filter(year=options["year"]).first()
        if run is None:
            self.stdout.write(
                "Belum ada evaluasi tersimpan; menjalankan `mutu evaluate` dulu. / "
                "No stored evaluation yet; running `mutu evaluate` first."
            )
            call_command("evaluate", year=options["year"], stdout=self.stdout)
            run = EvaluationRun.objects.filter(year=options["year"]).first()
        if run is None:  # pragma: no cover - evaluate either stores a run or raises
            raise CommandError("Evaluasi gagal. / The evaluation failed.")
        year = options["year"] or report_year(run.results) or run.created_at.year
        started = time.perf_counter()
        # The latest saved plan scenario of the year (or the next) feeds sections 5 and 6.
        results = with_planning(dict(run.results), year)
        paths = write_report(
            results,
            out=options["out"],
            lang=options["lang"],
            formats=formats,
            year=year,
            synthetic=LoadedWorld.objects.exists(),
        )
        for path in paths:
            self.stdout.write(str(path))
        self.stdout.write(
            f"Laporan ditulis / report written ({time.perf_counter() - started:.1f} s), "
            f"dari evaluasi / from evaluation #{run.pk}"
        )
