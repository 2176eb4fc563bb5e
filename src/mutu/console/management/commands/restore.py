"""``mutu restore FILE [--replace]``: restore a backup made by ``mutu backup``, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.console.backup import backup_restore
from mutu.domain.errors import MutuValueError


class Command(BaseCommand):
    help = (
        "Pulihkan cadangan `mutu backup` ke basis data kosong yang sudah dimigrasi (semua atau "
        "tidak sama sekali). / Restore a `mutu backup` file into an empty migrated database "
        "(all or nothing; docs/security.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file (.zip)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="wipe the current data and files and replace them, in one transaction",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_restore(path=options["file"], replace=options["replace"])
        except MutuValueError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(
            f"Dipulihkan / restored: {summary.path} (dibuat/made {summary.created_at}, Mutu "
            f"{summary.mutu_version}) — {summary.tables} tabel/tables, {summary.rows} "
            f"baris/rows, {summary.files} berkas/files"
        )
