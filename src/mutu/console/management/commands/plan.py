"""``mutu plan``: next year's development plan under a budget, from the database.

The work is done by :mod:`mutu.scenarios.compute` (the scenario pages run the same code);
``--save NAME`` also stores the plan, with the year's participation analysis, as a
:class:`~mutu.scenarios.models.PlanScenario`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.domain.errors import Lang, MutuValueError
from mutu.evaluation.result import format_number
from mutu.evaluations.selectors import StoredEvaluation
from mutu.scenarios import compute
from mutu.scenarios.services import check_name, scenario_store


def parse_rupiah(text: str) -> float:
    """A non-negative Rupiah amount: ``2390090000``, ``2.390.090.000``, ``2.39e9``, … .

    A number grouped in threes (``1.234.567`` or ``1,234,567``) is read as whole Rupiah.
    """
    try:
        return compute.rupiah_amount(text)
    except MutuValueError as err:
        raise CommandError(str(err)) from err


def data_years(frames: dict[str, pd.DataFrame]) -> list[int]:
    """The years of the stored activities."""
    return compute.data_years(frames)


def check_year(year: int, years: list[int]) -> None:
    """A plan or participation year must lie within the data's years or be the next one."""
    try:
        compute.check_year(year, years)
    except MutuValueError as err:
        raise CommandError(str(err)) from err


def load_inputs(year: int) -> tuple[dict[str, pd.DataFrame], StoredEvaluation]:
    """The stored frames and the latest evaluation, or a bilingual refusal."""
    try:
        return compute.plan_inputs(year)
    except MutuValueError as err:
        raise CommandError(str(err)) from err


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False, default=compute.plain),
        encoding="utf-8",
    )


class Command(BaseCommand):
    help = (
        "Rencana pengembangan kompetensi tahun berikutnya di bawah anggaran (MILP HiGHS). / "
        "Next year's competency-development plan under a budget (HiGHS MILP)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="Plan year.")
        parser.add_argument("--budget", type=str, required=True, help="Budget in Rupiah.")
        parser.add_argument(
            "--fairness-floor",
            type=float,
            default=None,
            help="Share of each unit's and kecamatan's eligible ASN that must get a seat.",
        )
        parser.add_argument("--json", type=Path, required=True, help="Write the plan here.")
        parser.add_argument("--time-limit", type=float, default=12.0, help="Seconds (MILP).")
        parser.add_argument("--lang", choices=["id", "en"], default="id")
        parser.add_argument(
            "--save",
            metavar="NAME",
            default=None,
            help="Also store the plan (with the year's participation analysis) as a scenario.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        budget = parse_rupiah(options["budget"])
        floor = options["fairness_floor"]
        if floor is not None and not 0 <= floor <= 1:
            raise CommandError(
                f"--fairness-floor harus di antara 0 dan 1, bukan {floor}. / "
                f"--fairness-floor must lie between 0 and 1, not {floor}."
            )
        year = int(options["year"])
        name = options["save"]
        if name is not None:
            try:
                name = check_name(name)
            except MutuValueError as err:
                raise CommandError(str(err)) from err
        frames, stored = load_inputs(year)
        try:
            out = compute.plan_json(
                frames,
                stored,
                year=year,
                budget=budget,
                fairness_floor=floor,
                time_limit=options["time_limit"],
            )
        except MutuValueError as err:
            raise CommandError(str(err)) from err
        write_json(options["json"], out)
        if name is not None:
            self._save(name, frames, stored, out, year=year, budget=budget, floor=floor)
        self.stdout.write(self._summary(out, options["lang"], time.perf_counter() - started))

    def _save(
        self,
        name: str,
        frames: dict[str, pd.DataFrame],
        stored: StoredEvaluation,
        out: dict[str, Any],
        *,
        year: int,
        budget: float,
        floor: float | None,
    ) -> None:
        """Store the plan with the year's participation analysis as a scenario."""
        try:
            participation = compute.participation_json(frames, stored, year=year)
        except MutuValueError as err:
            raise CommandError(str(err)) from err
        scenario = scenario_store(
            name=name,
            year=year,
            budget=budget,
            fairness_floor=floor,
            plan=out,
            participation=participation,
            created_by=None,
        )
        self.stdout.write(f"Skenario disimpan / scenario saved: #{scenario.pk} {scenario.name}")

    @staticmethod
    def _summary(out: dict[str, Any], lang: str, seconds: float) -> str:
        lng: Lang = "en" if lang == "en" else "id"

        def rp(v: float) -> str:
            return "Rp " + format_number(v, 0, lng)

        below = out["below_20jp"]
        gap = out["mip_gap"]
        gap_text = "–" if gap is None else format_number(100 * gap, 2, lng) + "%"
        seats = sum(a["seats"] for a in out["activities"])
        classes = sum(a["classes"] for a in out["activities"])
        if lng == "en":
            return (
                f"Plan {out['year']}: {classes} classes, {seats} seats, "
                f"cost {rp(out['total_cost'])}"
                f" of {rp(out['budget'])}; objective {format_number(out['objective'], 1, lng)} "
                f"(gap to bound at most {gap_text}, {out['status']}). PNS below "
                f"{format_number(below['floor_jp'], 0, lng)} JP: {below['before']} -> "
                f"{below['after']}. Written to the JSON file ({seconds:.1f} s)."
            )
        return (
            f"Rencana {out['year']}: {classes} kelas, {seats} kursi, biaya {rp(out['total_cost'])}"
            f" dari {rp(out['budget'])}; nilai tujuan {format_number(out['objective'], 1, lng)} "
            f"(selisih ke batas paling banyak {gap_text}, {out['status']}). PNS di bawah "
            f"{format_number(below['floor_jp'], 0, lng)} JP: {below['before']} -> "
            f"{below['after']}. Ditulis ke berkas JSON ({seconds:.1f} s)."
        )
