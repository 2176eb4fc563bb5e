"""The budget optimiser: brute-force optimum on small instances, every constraint, monotone."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.planning.budget import PlanProblem, plan_value, plan_with_curve, solve_plan
from tests.planning.checker import violations


def small_problem(seed: int, n_types: int = 2, n_persons: int = 4) -> PlanProblem:
    rng = np.random.default_rng(seed)
    types = pd.DataFrame(
        {
            "code": [f"T{i}" for i in range(n_types)],
            "jp": rng.choice([8.0, 10.0, 16.0, 24.0], n_types),
            "capacity": rng.integers(2, 4, n_types),
            "min_size": 1 + rng.integers(0, 2, n_types),
            "fixed_cost": rng.integers(1, 5, n_types) * 1e6,
            "seat_cost": rng.integers(1, 4, n_types) * 5e5,
            "weight": rng.uniform(0.5, 1.5, n_types),
        }
    )
    status = rng.choice(["PNS", "PPPK"], n_persons, p=[0.7, 0.3])
    persons = pd.DataFrame(
        {
            "nip": [f"N{i}" for i in range(n_persons)],
            "unit": rng.choice(["U1", "U2"], n_persons),
            "kecamatan": rng.choice(["K1", "K2"], n_persons),
            "status": status,
            "deficit": np.where(status == "PNS", rng.choice([0.0, 6.0, 12.0, 20.0], n_persons), 0),
            "room": np.where(status == "PNS", np.inf, rng.choice([10.0, 24.0], n_persons)),
            "gap_total": rng.choice([0.0, 1.0, 2.0], n_persons),
        }
    )
    pairs = pd.DataFrame(
        [
            {
                "t": t,
                "p": p,
                "gap_cover": float(min(rng.integers(0, 2), persons.gap_total[p])),
                "due": float(rng.random() < 0.15),
            }
            for t in range(n_types)
            for p in range(n_persons)
            if rng.random() < 0.85 and types.jp[t] <= persons.room[p]
        ]
    )
    return PlanProblem(types=types, persons=persons, pairs=pairs, gap_weight=3.0)


def brute_force(pr: PlanProblem, budget: float, floor: float | None) -> float:
    """The best objective over every seat choice (classes: the cheapest feasible count)."""
    best = 0.0 if not floor else -math.inf
    n_k = len(pr.pairs)
    t_of = pr.pairs["t"].to_numpy()
    p_of = pr.pairs["p"].to_numpy()
    jp = pr.types["jp"].to_numpy()
    for bits in itertools.product([0, 1], repeat=n_k):
        seats = np.array(bits, dtype=float)
        cost = 0.0
        ok = True
        for t, row in pr.types.iterrows():
            n = int(seats[t_of == t].sum())
            if n == 0:
                continue
            c = math.ceil(n / row["capacity"])
            if row["min_size"] * c > n:
                ok = False
                break
            cost += row["fixed_cost"] * c + row["seat_cost"] * n
        if not ok or cost > budget:
            continue
        load = np.bincount(p_of, weights=seats * jp[t_of], minlength=len(pr.persons))
        if (load > pr.persons["room"].to_numpy() + 1e-9).any():
            continue
        if floor:
            eligible = pr.persons.iloc[np.unique(p_of)]
            chosen = pr.persons.iloc[p_of[seats > 0]]
            short = False
            for col in ("unit", "kecamatan"):
                need = np.ceil(floor * eligible[col].value_counts() - 1e-9)
                got = chosen[col].value_counts().reindex(need.index).fillna(0)
                short |= bool((got < need).any())
            if short:
                continue
        best = max(best, plan_value(pr, seats))
    return best


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("floor", [None, 0.3])
def test_optimum_equals_brute_force_and_respects_every_constraint(
    seed: int, floor: float | None
) -> None:
    pr = small_problem(seed)
    assert len(pr.pairs) <= 10
    budget = 6e6
    plan = solve_plan(pr, budget, fairness_floor=floor, mip_rel_gap=0.0)
    expected = brute_force(pr, budget, floor)
    if expected == -math.inf:
        assert plan.status == "infeasible"
        return
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(expected, rel=1e-7, abs=1e-7)
    assert violations(plan) == []


@pytest.mark.parametrize("seed", range(4))
def test_coverage_never_falls_when_the_budget_rises(seed: int) -> None:
    pr = small_problem(seed, n_types=3, n_persons=6)
    plan = plan_with_curve(pr, 5e6, fairness_floor=None, mip_rel_gap=0.0)
    values = [c["objective"] for c in plan.coverage_curve]
    assert [c["budget"] for c in plan.coverage_curve] == sorted(
        c["budget"] for c in plan.coverage_curve
    )
    assert all(v is not None for v in values)
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(values))
    assert violations(plan) == []
    out = plan.to_json()
    assert {
        "budget",
        "total_cost",
        "objective",
        "activities",
        "below_20jp",
        "coverage_curve",
    } <= set(out)
    assert out["coverage_curve"][0]["budget"] == pytest.approx(2.5e6)
    assert out["coverage_curve"][-1]["budget"] == pytest.approx(1e7)


def test_the_checker_catches_a_broken_plan() -> None:
    pr = small_problem(1)
    plan = solve_plan(pr, 6e6, mip_rel_gap=0.0)
    from dataclasses import replace

    assert plan.seats.sum() > 0
    no_classes = violations(replace(plan, classes=np.zeros_like(plan.classes)))
    assert any("capacity" in p for p in no_classes)
    assert any("budget" in p for p in violations(replace(plan, budget=plan.total_cost - 1)))


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_a_bad_budget_is_refused_in_both_languages(bad: float) -> None:
    with pytest.raises(MutuValueError) as info:
        solve_plan(small_problem(0), bad)
    assert "Anggaran" in str(info.value)
    assert "budget" in str(info.value)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("method", ["lp_rounding", "auto"])
def test_the_fast_methods_are_feasible_and_bracket_the_optimum(seed: int, method: str) -> None:
    pr = small_problem(seed, n_types=3, n_persons=5)
    budget = 6e6
    exact = solve_plan(pr, budget, mip_rel_gap=0.0)
    plan = solve_plan(pr, budget, method=method)
    if not plan.feasible:  # the LP rounding may find nothing; it never claims a plan
        assert method == "lp_rounding"
        assert plan.status in ("no_solution", "infeasible")
        return
    assert violations(plan) == []
    assert plan.objective <= exact.objective + 1e-7
    assert plan.bound is not None
    assert plan.bound >= exact.objective - 1e-6
    assert plan.mip_gap == pytest.approx((plan.bound - plan.objective) / plan.bound, abs=1e-9)
    if method == "auto":
        assert plan.objective == pytest.approx(exact.objective, rel=1e-7)


def test_the_attendance_discount_credits_expected_jp() -> None:
    pr = small_problem(2)
    seats = np.ones(len(pr.pairs))
    full = plan_value(pr, seats)
    half = PlanProblem(
        types=pr.types.assign(attendance=0.5),
        persons=pr.persons,
        pairs=pr.pairs,
        gap_weight=pr.gap_weight,
    )
    assert 0 < plan_value(half, seats) < full
    plan = solve_plan(half, 6e6, mip_rel_gap=0.0)
    assert plan.objective == pytest.approx(brute_force(half, 6e6, None), rel=1e-7)


def test_an_unknown_method_and_floor_are_refused() -> None:
    with pytest.raises(MutuValueError, match="Unknown method"):
        solve_plan(small_problem(0), 1e6, method="greedy")
    with pytest.raises(MutuValueError, match="fairness floor"):
        plan_with_curve(small_problem(0), 1e6, fairness_floor=1.5)
