"""``mutu load DIR``: load a world made by ``mutu world`` into the configured database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.console.world_load import WorldLoadError, describe, world_load


class Command(BaseCommand):
    help = (
        "Muat dunia sintetis ke basis data (semua atau tidak sama sekali). / "
        "Load a synthetic world into the database (all or nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            report = world_load(directory=options["directory"])
        except WorldLoadError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(f"Dimuat / loaded from {report.directory}:")
        for line in describe(report):
            self.stdout.write(line)
