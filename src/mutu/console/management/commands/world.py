"""``mutu world``: generate a synthetic world with planted truth.

A regency (1,500–20,000 ASN, every frame, in memory; docs/synthetic-world.md),
or with ``--scale nasional`` or a headcount above 20,000 the national world
streamed chunk by chunk to partitioned Parquet
(:func:`mutu.synthetic.national.generate_national`; docs/scale.md).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.domain.errors import MutuValueError
from mutu.evaluation.result import format_number
from mutu.synthetic import generate_world, write_world
from mutu.synthetic.config import MAX_ASN, SCALES, SCENARIOS
from mutu.synthetic.national import NATIONAL_SCALES, generate_national


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
    """A named scale (regency or ``nasional``) or a headcount."""
    if text in SCALES or text in NATIONAL_SCALES:
        return text
    if text.isdigit():
        return int(text)
    names = ", ".join([*SCALES, *NATIONAL_SCALES])
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
        parser.add_argument(
            "--scale",
            default="kabupaten",
            help=f"{', '.join([*SCALES, *NATIONAL_SCALES])} or N (above {MAX_ASN}: national)",
        )
        parser.add_argument("--scenario", default="baseline", choices=sorted(SCENARIOS))
        parser.add_argument("--years", default=None, help="regency only; default 2023-2026")
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--format", default="parquet", choices=["parquet", "csv"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        scale = parse_scale(options["scale"])
        if scale in NATIONAL_SCALES or (isinstance(scale, int) and scale > MAX_ASN):
            self._national(scale, options, started)
            return
        try:
            world = generate_world(
                seed=options["seed"],
                scale=scale,
                scenario=options["scenario"],
                years=parse_years(options["years"] or "2023-2026"),
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

    def _national(self, scale: str | int, options: dict[str, Any], started: float) -> None:
        """The national world: Parquet partitions written chunk by chunk, bounded memory."""
        refused = []
        if options["format"] != "parquet":
            refused.append(("--format csv", "--format csv"))
        if options["scenario"] != "baseline":
            refused.append(
                (f"--scenario {options['scenario']}", f"--scenario {options['scenario']}")
            )
        if options["years"] is not None:
            refused.append((f"--years {options['years']}", f"--years {options['years']}"))
        if refused:
            what = ", ".join(r[0] for r in refused)
            raise CommandError(
                f"Dunia nasional hanya Parquet, skenario baseline, satu tahun; {what} tidak "
                "berlaku untuknya. / The national world is Parquet only, the baseline "
                f"scenario, one year; {what} does not apply to it."
            )
        out: Path = options["out"]
        try:
            manifest = generate_national(seed=options["seed"], scale=scale, out=out)
        except MutuValueError as err:
            raise CommandError(str(err)) from err
        size = sum(p.stat().st_size for p in out.rglob("*.parquet"))
        rows = manifest["rows"]
        counts = ", ".join(
            f"{name} {format_number(rows[name], 0, 'id')}"
            for name in ("employees", "activities", "enrollments", "responses", "answers",
                         "jp_ledger", "ikm_panel")
            if name in rows
        )  # fmt: skip
        self.stdout.write(
            f"Dunia nasional / national world: seed {options['seed']}, {manifest['scale']}, "
            f"{format_number(manifest['n_asn'], 0, 'id')} ASN, "
            f"{manifest['n_instansi']} instansi, {manifest['n_chunks']} partisi/partitions; "
            f"{counts}; {size / 2**20:.1f} MiB Parquet "
            f"({time.perf_counter() - started:.1f} s) → {out / 'manifest.json'}"
        )
