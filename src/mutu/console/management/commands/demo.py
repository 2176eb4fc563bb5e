"""``mutu demo``: build the demo database and run the main job.

For now the main job is the foundation: migrate, load the reference data
(rulebooks, golongan, forms of development, the 16 kecamatan of Aceh Tenggara)
and print a short summary.  Later stages (the synthetic world, the evaluation,
the report) hook in here as they land.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from mutu import rulebooks
from mutu.reference.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Siapkan basis data demo dan jalankan pekerjaan utama. / "
        "Build the demo database and run the main job."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        settings.MUTU_HOME.mkdir(parents=True, exist_ok=True)
        db = settings.DATABASES["default"]
        where = db.get("HOST") or db["NAME"]
        self.stdout.write(f"Basis data / database: {connection.vendor} ({where})")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Migrasi selesai / migrations applied")
        counts = reference_data_load()
        self.stdout.write("Data referensi / reference data:")
        for table, change in counts.items():
            self.stdout.write(f"  {table:<18} {change}")
        today = date.today()
        self.stdout.write(f"Rulebook yang berlaku / rulebooks in force on {today.isoformat()}:")
        for name in sorted({b.name for b in rulebooks.available()}):
            book = rulebooks.load(name, today)
            self.stdout.write(
                f"  {book.label:<22} {len(book.keys()):>3} nilai/values, "
                f"{len(book.unconfirmed_keys()):>3} belum terkonfirmasi/unconfirmed"
            )
        self.stdout.write(self.style.SUCCESS("Demo siap / demo ready."))
