"""The plan and the participation analysis from the database: one code path for
``mutu plan``, ``mutu participation --save`` and the scenario pages.

Every refusal is a :class:`~mutu.domain.errors.MutuValueError` (Indonesian and
English); the commands turn it into a ``CommandError`` with both texts, the web
form shows the active language.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.evaluations.selectors import StoredEvaluation, evaluation_frames, stored_evaluation
from mutu.planning.budget import build_problem, plan_with_curve
from mutu.planning.catalogue import activity_catalogue
from mutu.planning.needs import needs_analysis
from mutu.planning.participation import participation_analysis
from mutu.planning.weights import effectiveness_weights

#: ``1.234.567`` (Indonesian thousands) or ``1,234,567`` (English thousands).
_GROUPED = re.compile(r"^\d{1,3}([.,])\d{3}(\1\d{3})*$")


def rupiah_amount(text: str) -> float:
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
        raise MutuValueError(
            f"Anggaran harus berupa angka Rupiah tidak negatif (mis. 2390090000), bukan {text!r}.",
            f"The budget must be a non-negative number of Rupiah (e.g. 2390090000), not {text!r}.",
            field="budget",
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
        raise MutuValueError(
            "Basis data belum berisi kegiatan; muat data dulu (mis. `mutu demo`).",
            "The database holds no activities yet; load data first (e.g. `mutu demo`).",
            field="year",
        )
    if not years[0] <= year <= years[-1] + 1:
        raise MutuValueError(
            f"Tahun {year} tidak dikenal: data mencakup {years[0]}-{years[-1]}; pilih tahun "
            f"{years[0]}-{years[-1] + 1}.",
            f"Unknown year {year}: the data cover {years[0]}-{years[-1]}; choose a year in "
            f"{years[0]}-{years[-1] + 1}.",
            field="year",
        )


def plan_inputs(year: int) -> tuple[dict[str, pd.DataFrame], StoredEvaluation]:
    """The stored frames and the latest evaluation, or a bilingual refusal."""
    frames = evaluation_frames()
    if frames["employees"].empty:
        raise MutuValueError(
            "Basis data belum berisi pegawai; muat data dulu (mis. `mutu demo` atau "
            "`mutu load DIR`).",
            "The database holds no employees yet; load data first "
            "(e.g. `mutu demo` or `mutu load DIR`).",
        )
    check_year(year, data_years(frames))
    stored = stored_evaluation()
    if stored is None:
        raise MutuValueError(
            "Belum ada evaluasi tersimpan; jalankan `mutu evaluate` dulu.",
            "No evaluation is stored yet; run `mutu evaluate` first.",
        )
    return frames, stored


def plain(value: Any) -> Any:
    """``json.dumps`` default: numpy scalars and timestamps as plain values."""
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def plain_json(data: dict[str, Any]) -> dict[str, Any]:
    """The dict as it reads back from a JSON file (no NaN, no numpy types)."""
    loaded: dict[str, Any] = json.loads(json.dumps(data, allow_nan=False, default=plain))
    return loaded


def plan_json(
    frames: dict[str, pd.DataFrame],
    stored: StoredEvaluation,
    *,
    year: int,
    budget: float,
    fairness_floor: float | None,
    time_limit: float = 12.0,
) -> dict[str, Any]:
    """The plan for ``year`` under ``budget`` with its coverage curve, as ``mutu plan`` writes it.

    Needs → catalogue → effectiveness weights → the programme → HiGHS (see
    docs/planning.md). Refuses (both languages) when no plan is feasible.
    """
    needs = needs_analysis(frames, year=year)
    types = activity_catalogue(frames, year=needs.year)
    weights, warnings = effectiveness_weights(stored.results, types)
    problem = build_problem(needs, types, weights, frames)
    plan = plan_with_curve(
        problem,
        budget,
        fairness_floor=fairness_floor,
        time_limit=time_limit,
        warnings=warnings,
    )
    if not plan.feasible:
        raise MutuValueError(
            f"Tidak ada rencana yang layak ({plan.status}): anggaran atau batas keadilan "
            "terlalu ketat.",
            f"No feasible plan ({plan.status}): the budget or the fairness floor is too tight.",
            field="budget",
        )
    return {
        "year": year,
        "reference_year": needs.year,
        "evaluation": {"run": stored.run.pk, "year": stored.evaluated_year},
        **plan.to_json(),
        "needs": {k: v for k, v in needs.to_json().items() if k not in ("units",)},
    }


def participation_json(
    frames: dict[str, pd.DataFrame], stored: StoredEvaluation, *, year: int, **options: Any
) -> dict[str, Any]:
    """The participation analysis (funnel, model, policies) as ``mutu participation`` writes it."""
    result = participation_analysis(frames, stored.results, year=year, **options)
    out: dict[str, Any] = {"evaluation": {"run": stored.run.pk, "year": stored.evaluated_year}}
    out.update(result.to_json())
    return out
