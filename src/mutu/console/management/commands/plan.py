"""``mutu plan``: next year's development plan under a budget, from the database."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.domain.errors import Lang, MutuValueError
from mutu.evaluation.result import format_number
from mutu.evaluations.selectors import StoredEvaluation, evaluation_frames, stored_evaluation
from mutu.planning.budget import build_problem, plan_with_curve
from mutu.planning.catalogue import activity_catalogue
from mutu.planning.needs import needs_analysis
from mutu.planning.weights import effectiveness_weights

#: ``1.234.567`` (Indonesian thousands) or ``1,234,567`` (English thousands).
_GROUPED = re.compile(r"^\d{1,3}([.,])\d{3}(\1\d{3})*$")


def parse_rupiah(text: str) -> float:
    """A non-negative Rupiah amount: ``2390090000``, ``2.390.090.000``, ``2.39e9``, … .

    A number grouped in threes (``1.234.567`` or ``1,234,567``) is read as whole Rupiah.
    """
    raw = str(text).strip().removeprefix("Rp").strip().replace("_", "").replace(" ", "")
    grouped = _GROUPED.match(raw)
    if grouped:
        raw = raw.replace(grouped.group(1), "")
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value == value or value in (float("inf"), float("-inf")) or value < 0:
        raise CommandError(
            "Anggaran harus berupa angka Rupiah tidak negatif (mis. 2390090000), "
            f"bukan {text!r}. / "
            f"The budget must be a non-negative number of Rupiah (e.g. 2390090000), not {text!r}."
        )
    return value


def data_years(frames: dict[str, pd.DataFrame]) -> list[int]:
    """The years of the stored activities."""
    acts = frames.get("activities")
    if acts is None or acts.empty:
        return []
    return sorted(int(y) for y in pd.to_datetime(acts["start_date"]).dt.year.dropna().unique())


def check_year(year: int, years: list[int]) -> None:
    """A plan or participation year must lie within the data's years or be the next one."""
    if not years:
        raise CommandError(
            "Basis data belum berisi kegiatan; muat data dulu (mis. `mutu demo`). / "
            "The database holds no activities yet; load data first (e.g. `mutu demo`)."
        )
    if not years[0] <= year <= years[-1] + 1:
        raise CommandError(
            f"Tahun {year} tidak dikenal: data mencakup {years[0]}-{years[-1]}; pilih tahun "
            f"{years[0]}-{years[-1] + 1}. / Unknown year {year}: the data cover "
            f"{years[0]}-{years[-1]}; choose a year in {years[0]}-{years[-1] + 1}."
        )


def load_inputs(year: int) -> tuple[dict[str, pd.DataFrame], StoredEvaluation]:
    """The stored frames and the latest evaluation, or a bilingual refusal."""
    frames = evaluation_frames()
    if frames["employees"].empty:
        raise CommandError(
            "Basis data belum berisi pegawai; muat data dulu (mis. `mutu demo` atau "
            "`mutu load DIR`). / The database holds no employees yet; load data first "
            "(e.g. `mutu demo` or `mutu load DIR`)."
        )
    check_year(year, data_years(frames))
    stored = stored_evaluation()
    if stored is None:
        raise CommandError(
            "Belum ada evaluasi tersimpan; jalankan `mutu evaluate` dulu. / "
            "No evaluation is stored yet; run `mutu evaluate` first."
        )
    return frames, stored


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False, default=_plain),
        encoding="utf-8",
    )


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


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
        frames, stored = load_inputs(year)
        try:
            needs = needs_analysis(frames, year=year)
            types = activity_catalogue(frames, year=needs.year)
            weights, warnings = effectiveness_weights(stored.results, types)
            problem = build_problem(needs, types, weights, frames)
            plan = plan_with_curve(
                problem,
                budget,
                fairness_floor=floor,
                time_limit=options["time_limit"],
                warnings=warnings,
            )
        except MutuValueError as err:
            raise CommandError(str(err)) from err
        if not plan.feasible:
            raise CommandError(
                f"Tidak ada rencana yang layak ({plan.status}): anggaran atau batas keadilan "
                f"terlalu ketat. / No feasible plan ({plan.status}): the budget or the fairness "
                "floor is too tight."
            )
        out = plan.to_json()
        out = {
            "year": year,
            "reference_year": needs.year,
            "evaluation": {"run": stored.run.pk, "year": stored.evaluated_year},
            **out,
            "needs": {k: v for k, v in needs.to_json().items() if k not in ("units",)},
        }
        write_json(options["json"], out)
        self.stdout.write(self._summary(out, options["lang"], time.perf_counter() - started))

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
