"""``mutu load_reference``: load the reference data (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mutu.reference.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Muat data referensi (kecamatan, golongan, bentuk pengembangan, rulebook). / "
        "Load the reference data (kecamatan, golongan, forms of development, rulebooks)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for table, change in reference_data_load().items():
            self.stdout.write(f"{table:<18} {change}")
