"""``mutu backup FILE``: write the database and the uploaded files into one backup file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.console.backup import backup_write
from mutu.domain.errors import MutuValueError


class Command(BaseCommand):
    help = (
        "Cadangkan seluruh basis data dan berkas unggahan ke satu berkas zip. / "
        "Back up the whole database and the uploaded files into one zip file (docs/security.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file to write (.zip)")
        parser.add_argument(
            "--force", action="store_true", help="overwrite FILE when it already exists"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_write(path=options["file"], overwrite=options["force"])
        except MutuValueError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(
            f"Cadangan ditulis / backup written: {summary.path} — {summary.tables} tabel/tables, "
            f"{summary.rows} baris/rows, {summary.files} berkas/files (Mutu {summary.mutu_version})"
        )
