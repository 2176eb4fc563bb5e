"""Reads of plan scenarios: the list (without the large plan JSON), one, a few, the report's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.http import Http404

from mutu.scenarios.models import PlanScenario


@dataclass(frozen=True)
class ScenarioRow:
    """A scenario in the list: its settings and headline figures."""

    pk: int
    name: str
    year: int
    budget: float
    fairness_floor: float | None
    total_cost: float | None
    objective: float | None
    mip_gap: float | None
    below_after: float | None
    created_by: str
    created_at: Any


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def scenario_rows() -> list[ScenarioRow]:
    """Every saved scenario, newest first (the headline figures read inside the database)."""
    qs = PlanScenario.objects.annotate(
        total_cost=KT("plan__total_cost"),
        objective=KT("plan__objective"),
        mip_gap=KT("plan__mip_gap"),
        below_after=KT("plan__below_20jp__after"),
    ).values(
        "pk", "name", "year", "budget", "fairness_floor", "total_cost", "objective", "mip_gap",
        "below_after", "created_by__username", "created_at",
    )  # fmt: skip
    return [
        ScenarioRow(
            pk=r["pk"],
            name=r["name"],
            year=r["year"],
            budget=float(r["budget"]),
            fairness_floor=r["fairness_floor"],
            total_cost=_number(r["total_cost"]),
            objective=_number(r["objective"]),
            mip_gap=_number(r["mip_gap"]),
            below_after=_number(r["below_after"]),
            created_by=r["created_by__username"] or "",
            created_at=r["created_at"],
        )
        for r in qs
    ]


def scenario_get(pk: int) -> PlanScenario:
    """One scenario, or 404."""
    found = PlanScenario.objects.select_related("created_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def scenarios_get(pks: Sequence[int]) -> list[PlanScenario]:
    """The scenarios in the order asked; 404 when one does not exist."""
    found = {s.pk: s for s in PlanScenario.objects.filter(pk__in=pks)}
    if set(pks) - set(found):
        raise Http404
    return [found[pk] for pk in pks]


def report_scenarios(year: int | None) -> QuerySet[PlanScenario]:
    """The scenarios a report of ``year`` draws on: plans for that year or the next."""
    if year is None:
        return PlanScenario.objects.none()
    return PlanScenario.objects.filter(year__in=(year, year + 1)).order_by("-created_at", "-pk")


def with_planning(results: dict[str, Any], year: int | None) -> dict[str, Any]:
    """The evaluation results with the latest scenario for the report year added.

    Adds ``planning`` (the plan JSON), ``participation_analysis`` (when the
    scenario holds one) and ``planning_scenario`` (its name and id); the
    results are returned unchanged when no scenario exists.
    """
    scenario = report_scenarios(year).first()
    if scenario is None:
        return results
    out = dict(results)
    out["planning"] = scenario.plan
    if scenario.participation is not None:
        out["participation_analysis"] = scenario.participation
    out["planning_scenario"] = {"id": scenario.pk, "name": scenario.name, "year": scenario.year}
    return out
