"""``mutu world``: generate a synthetic regency with planted truth (see docs/synthetic-world.md)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.domain.errors import MutuValueError
from mutu.evaluation.result import format_number
from mutu.synthetic import generate_world, write_world
from mutu.synthetic.config import SCALES, SCENARIOS


def parse_years(text: str) -> tuple[int, int]:
    """``2023-2026`` → (2023, 2026); a bilingual error otherwise."""
    parts = text.split("-")
    try:
        first, last = (int(parts[0]), int(parts[-1]))
    except ValueError:
        first = last = 0
    if len(parts) not in (1, 2) or not (2000 <= first <= last <= 2100):
        raise CommandError(
            f"Tahun tidak valid: {text!r} (contoh: 2023-2026). / "
            f"Invalid years: {text!r} (example: 2023-2026)."
        )
    return first, last


def parse_scale(text: str) -> str | int:
    """A named scale or a headcount."""
    if text in SCALES:
        return text
    if text.isdigit():
        return int(text)
    names = ", ".join(SCALES)
    raise CommandError(
        f"Skala tidak dikenal: {text!r} (pilih {names}, atau jumlah ASN). / "
        f"Unknown scale: {text!r} (choose {names}, or a headcount)."
    )


class Command(BaseCommand):
    help = (
        "Buat dunia sintetis (data contoh, bukan data nyata) dengan kebenaran yang ditanam. / "
        "Generate a synthetic world (not real data) with planted truth."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=11)
        parser.add_argument("--scale", default="kabupaten", help=f"{', '.join(SCALES)} or N")
        parser.add_argument("--scenario", default="baseline", choices=sorted(SCENARIOS))
        parser.add_argument("--years", default="2023-2026")
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--format", default="parquet", choices=["parquet", "csv"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            world = generate_world(
                seed=options["seed"],
                scale=parse_scale(options["scale"]),
                scenario=options["scenario"],
                years=parse_years(options["years"]),
            )
            manifest = write_world(world, options["out"], fmt=options["format"])
        except MutuValueError as err:
            raise CommandError(str(err)) from err
        rows = sum(len(f) for f in world.frames.values())
        asn = len(world.frames["employees"])
        self.stdout.write(
            f"Dunia / world: seed {options['seed']}, {options['scenario']}, "
            f"{format_number(asn, 0, 'id')} ASN, {format_number(rows, 0, 'id')} baris/rows "
            f"({time.perf_counter() - started:.1f} s) → {manifest}"
        )
