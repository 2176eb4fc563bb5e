"""``mutu import KIND FILE``: import a workbook or CSV file, all of it or nothing."""
# ruff: noqa: N999  (the module is named after the command `mutu import`)

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.domain.errors import MutuValueError
from mutu.imports.engine import ImportReport
from mutu.imports.kinds import KINDS
from mutu.imports.services import import_file, resolve_user


def counts_line(report: ImportReport) -> str:
    return (
        f"{report.created} baru/created, {report.updated} diperbarui/updated, "
        f"{report.unchanged} tetap/unchanged"
    )


class Command(BaseCommand):
    help = (
        "Impor berkas Excel (.xlsx) atau CSV: semua baris diperiksa dulu, lalu semuanya disimpan "
        "atau tidak sama sekali. / Import an Excel (.xlsx) or CSV file: every row is checked "
        "first, then all of it is written or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and report what would change; write nothing / periksa saja",
        )
        parser.add_argument(
            "--errors",
            type=Path,
            default=None,
            help="where to write the copy with the faults marked (default <name>.errors.xlsx)",
        )
        parser.add_argument(
            "--no-errors-file", action="store_true", help="do not write the marked copy"
        )
        parser.add_argument("--sheet", default=None, help="sheet of a workbook (default: first)")
        parser.add_argument(
            "--activity", default=None, help="activity code (attendance sheets without one)"
        )
        parser.add_argument(
            "--instrument", default=None, help="instrument code (responses, test_scores)"
        )
        parser.add_argument("--user", default=None, help="Mutu user recorded as the importer")
        parser.add_argument("--lang", choices=["id", "en", "both"], default="both")
        parser.add_argument(
            "--show", type=int, default=30, help="notes and changes to list (errors: all)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lang = options["lang"]
        show = options["show"]
        try:
            report = import_file(
                kind=options["kind"],
                path=options["file"],
                dry_run=options["dry_run"],
                errors_path=options["errors"],
                write_errors=not options["no_errors_file"],
                sheet=options["sheet"],
                activity=options["activity"],
                instrument=options["instrument"],
                user=resolve_user(options["user"]),
                lang=lang,
            )
        except MutuValueError as err:
            raise CommandError(err.message(lang) if lang != "both" else str(err)) from err
        out = self.stdout
        out.write(f"Impor / import {report.kind}: {report.source}, {report.rows} baris/rows")
        notices = report.notices
        if notices:
            by_code = Counter(i.code for i in notices)
            summary = ", ".join(f"{code} {n}" for code, n in sorted(by_code.items()))
            out.write(f"Catatan / notes ({len(notices)}: {summary}):")
            for issue in notices[:show]:
                out.write(f"  {issue.line(lang)}")
            if len(notices) > show:
                out.write(f"  … {len(notices) - show} lagi / more")
        if report.errors:
            out.write(f"KESALAHAN / ERRORS ({len(report.errors)}):")
            for issue in report.errors:
                out.write(f"  {issue.line(lang)}")
            if report.errors_path is not None:
                out.write(
                    "Salinan berkas dengan kolom kesalahan / copy of the file with an error "
                    f"column: {report.errors_path}"
                )
            raise CommandError(
                f"{len(report.errors)} kesalahan; tidak ada yang disimpan. / "
                f"{len(report.errors)} errors; nothing was written."
            )
        if report.dry_run:
            out.write(
                "Uji coba, tidak ada yang disimpan / dry run, nothing written. Akan / would: "
                + counts_line(report)
            )
            changing = [c for c in report.changes if c.action != "unchanged"]
            for change in changing[:show]:
                mark = "+" if change.action == "create" else "~"
                fields = f": {', '.join(change.shown)}" if change.shown else ""
                out.write(f"  {mark} baris/row {change.row.number}: {change.label}{fields}")
            if len(changing) > show:
                out.write(f"  … {len(changing) - show} lagi / more")
            return
        out.write("Selesai / done: " + counts_line(report))
