"""Writes of plan scenarios: validate everything first, run the solver, save in one transaction."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from mutu.domain.errors import MutuValueError
from mutu.scenarios import compute
from mutu.scenarios.models import PlanScenario

NAME_MAX = 120
#: Larger budgets do not fit the stored field (and no regency has them).
BUDGET_MAX = 10.0**15


def check_name(name: Any) -> str:
    """A scenario name: not empty, at most 120 characters."""
    text = " ".join(str(name or "").split())
    if not text or len(text) > NAME_MAX:
        raise MutuValueError(
            f"Nama skenario wajib diisi, paling banyak {NAME_MAX} karakter.",
            f"A scenario needs a name of at most {NAME_MAX} characters.",
            field="name",
        )
    return text


def check_year_text(year: Any) -> int:
    """The plan year as a whole number (whether the data know it is checked later)."""
    text = str(year if year is not None else "").strip()
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 1900 <= value <= 2200:
        raise MutuValueError(
            f"Tahun rencana harus berupa tahun, mis. 2027, bukan {text[:12]!r}.",
            f"The plan year must be a year such as 2027, not {text[:12]!r}.",
            field="year",
        )
    return value


def check_budget(budget: Any) -> float:
    """A positive Rupiah amount (``2.390.090.000``, ``2390090000``, ``Rp 2,39e9`` …)."""
    value = (
        float(budget)
        if isinstance(budget, int | float) and not isinstance(budget, bool)
        else compute.rupiah_amount(str(budget))
    )
    if not math.isfinite(value) or value <= 0 or value > BUDGET_MAX:
        raise MutuValueError(
            "Anggaran harus lebih dari Rp 0 dan paling banyak Rp 1.000.000.000.000.000.",
            "The budget must be more than Rp 0 and at most Rp 1,000,000,000,000,000.",
            field="budget",
        )
    return value


def check_floor(floor: Any) -> float | None:
    """The fairness floor: empty (none), or a share 0–1 (``0,02``, ``0.02`` or ``2%``)."""
    if floor is None or (isinstance(floor, str) and not floor.strip()):
        return None
    text = str(floor).strip().replace(",", ".")
    percent = text.endswith("%")
    try:
        value = float(text.rstrip("%").strip())
    except ValueError:
        value = float("nan")
    if percent:
        value /= 100
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise MutuValueError(
            f"Batas keadilan harus berupa bagian antara 0 dan 1 (mis. 0,02 atau 2%), "
            f"bukan {str(floor)[:12]!r}.",
            f"The fairness floor must be a share between 0 and 1 (e.g. 0.02 or 2%), "
            f"not {str(floor)[:12]!r}.",
            field="fairness_floor",
        )
    return value


@transaction.atomic
def scenario_store(
    *,
    name: str,
    year: int,
    budget: float,
    fairness_floor: float | None,
    plan: dict[str, Any],
    participation: dict[str, Any] | None,
    created_by: User | None,
) -> PlanScenario:
    """Store a computed plan (and participation analysis) as a scenario."""
    scenario = PlanScenario(
        name=check_name(name),
        year=year,
        budget=Decimal(round(check_budget(budget))),
        fairness_floor=check_floor(fairness_floor),
        plan=compute.plain_json(plan),
        participation=None if participation is None else compute.plain_json(participation),
        created_by=created_by,
    )
    scenario.full_clean()
    scenario.save()
    return scenario


def scenario_create(
    *,
    name: Any,
    year: Any,
    budget: Any,
    fairness_floor: Any,
    created_by: User | None,
    time_limit: float = 12.0,
    with_participation: bool = True,
) -> PlanScenario:
    """Run the plan as ``mutu plan`` does (and the participation analysis), and store both.

    Every input is checked before the solver runs; a refusal writes nothing.
    The solver runs outside the transaction (about 25 s on the demo world).
    """
    clean_name = check_name(name)
    plan_year = check_year_text(year)
    amount = check_budget(budget)
    floor = check_floor(fairness_floor)
    frames, stored = compute.plan_inputs(plan_year)
    plan = compute.plan_json(
        frames,
        stored,
        year=plan_year,
        budget=amount,
        fairness_floor=floor,
        time_limit=time_limit,
    )
    participation = (
        compute.participation_json(frames, stored, year=plan_year) if with_participation else None
    )
    return scenario_store(
        name=clean_name,
        year=plan_year,
        budget=amount,
        fairness_floor=floor,
        plan=plan,
        participation=participation,
        created_by=created_by,
    )
