"""The plan of the kabupaten world: every constraint, a falling-never curve, young-only magang."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from mutu.planning.budget import Plan, PlanProblem, build_problem, plan_with_curve
from mutu.planning.catalogue import activity_catalogue, young_asn
from mutu.planning.needs import needs_analysis
from mutu.planning.weights import effectiveness_weights
from tests.planning.checker import violations
from tests.planning.conftest import Kabupaten

BUDGET = 2_390_090_000.0


@pytest.fixture(scope="module")
def built(kabupaten: Kabupaten) -> tuple[dict[str, pd.DataFrame], PlanProblem, Plan]:
    _, frames, evaluation = kabupaten
    needs = needs_analysis(frames, year=2027)
    types = activity_catalogue(frames, year=needs.year)
    weights, _ = effectiveness_weights(evaluation, types)
    problem = build_problem(needs, types, weights, frames)
    plan = plan_with_curve(
        problem, BUDGET, fairness_floor=0.02, time_limit=6.0, curve_time_limit=1.5
    )
    return frames, problem, plan


def test_the_plan_respects_every_constraint_and_states_its_gap(
    built: tuple[dict[str, pd.DataFrame], PlanProblem, Plan],
) -> None:
    _, _, plan = built
    assert plan.feasible
    assert violations(plan) == []
    assert plan.bound is not None and plan.bound >= plan.objective
    assert plan.mip_gap is not None and plan.mip_gap < 0.05
    out = plan.to_json()
    assert out["below_20jp"]["after"] < out["below_20jp"]["before"]
    for act in out["activities"]:
        assert act["expected_attendees"] <= act["seats"]


def test_coverage_never_falls_when_the_budget_rises(
    built: tuple[dict[str, pd.DataFrame], PlanProblem, Plan],
) -> None:
    _, _, plan = built
    curve = plan.coverage_curve
    assert [c["share"] for c in curve] == [0.5, 0.75, 1.0, 1.5, 2.0]
    values = [c["objective"] for c in curve]
    assert all(v is not None for v in values)
    assert all(b >= a for a, b in itertools.pairwise(values))
    for point in curve:
        assert point["total_cost"] <= point["budget"]
        assert point["bound"] >= point["objective"] - 1e-6


def test_magang_seats_go_only_to_young_newly_appointed_pns(
    built: tuple[dict[str, pd.DataFrame], PlanProblem, Plan],
) -> None:
    frames, problem, _ = built
    t = int(np.flatnonzero(problem.types["form"].to_numpy() == "magang")[0])
    nips = problem.persons["nip"].to_numpy()[problem.pairs.loc[problem.pairs["t"] == t, "p"]]
    young = young_asn(frames, on=pd.Timestamp("2026-12-31").date())
    assert 0 < len(nips) <= young.sum()
    assert young.reindex(nips).all()
    assert problem.meta["young_max_age_at_appointment"] == 35.0
