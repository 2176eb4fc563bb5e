"""``mutu xlsform import FILE [--dry-run]``; ``mutu xlsform export CODE [--version N] --out FILE``.

Instruments as XLSForm (the ODK / KoboToolbox spreadsheet form), see
docs/imports.md, "Instruments as XLSForm".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.domain.errors import MutuValueError
from mutu.instruments.xlsform import XlsformError
from mutu.instruments.xlsform_services import xlsform_export, xlsform_import


class Command(BaseCommand):
    help = (
        "Impor XLSForm (ODK/KoboToolbox) sebagai instrumen, atau ekspor versi instrumen sebagai "
        "XLSForm. / Import an XLSForm (ODK/KoboToolbox) as an instrument, or export an "
        "instrument version as XLSForm."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        read = actions.add_parser("import", help="import an XLSForm workbook (.xlsx)")
        read.add_argument("file", type=Path)
        read.add_argument(
            "--dry-run",
            action="store_true",
            help="check everything and report; write nothing / periksa saja",
        )
        read.add_argument("--lang", choices=["id", "en", "both"], default="both")
        write = actions.add_parser("export", help="export an instrument version as XLSForm")
        write.add_argument("code", help="instrument code")
        write.add_argument("--version", type=int, default=None, help="default: the latest")
        write.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
        write.add_argument("--lang", choices=["id", "en", "both"], default="both")

    def handle(self, *args: Any, **options: Any) -> None:
        lang = options["lang"]
        try:
            if options["action"] == "import":
                self._import(options["file"], dry_run=options["dry_run"], lang=lang)
            else:
                self._export(options["code"], options["version"], options["out"])
        except XlsformError as err:
            for issue in err.issues:
                self.stdout.write(f"  {issue.line(lang)}")
            n = len(err.issues)
            raise CommandError(
                f"{n} kesalahan; tidak ada yang disimpan. / {n} error(s); nothing was written."
            ) from err
        except MutuValueError as err:
            raise CommandError(err.message(lang) if lang != "both" else str(err)) from err

    def _import(self, path: Path, *, dry_run: bool, lang: str) -> None:
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada. / There is no file {path}.")
        result = xlsform_import(source=path, fallback_code=path.stem, dry_run=dry_run)
        out = self.stdout
        for issue in result.notices:
            out.write(f"  catatan/note: {issue.line(lang)}")
        what = f"{result.code} v{result.version}: {result.items} butir/items, {result.options} "
        what += "pilihan/options"
        if result.scales_created:
            what += f", skala baru/new scales: {', '.join(result.scales_created)}"
        if result.action == "unchanged":
            out.write(
                f"Tetap / unchanged: {result.code} v{result.version} sudah tersimpan / "
                "already stored. 0 baru/created, 0 diperbarui/updated"
            )
        elif dry_run:
            out.write(
                f"Uji coba, tidak ada yang disimpan / dry run, nothing written. Akan dibuat "
                f"/ would create: {what}"
            )
        else:
            out.write(f"Dibuat / created: {what}")

    def _export(self, code: str, version: int | None, out_path: Path) -> None:
        chosen, data = xlsform_export(code=code, version=version)
        if out_path.suffix.lower() != ".xlsx":
            raise CommandError(
                f"{out_path}: XLSForm ditulis sebagai .xlsx. / {out_path}: an XLSForm is written "
                "as .xlsx."
            )
        out_path.write_bytes(data)
        n = chosen.items.count()
        self.stdout.write(
            f"{chosen.instrument.code} v{chosen.version}: {n} butir/items → {out_path}"
        )
