"""Program goals against the measured figures: grading rules and the computed values.

The achieved values are checked against figures worked out by hand from the
small tables below (and, on a generated world, against the sections they are
taken from), not against the function's own output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mutu.evaluation.pipeline import EvaluationReport
from mutu.evaluation.pipeline.goals import METRICS, GoalInputs, goal_progress, grade


@pytest.mark.parametrize(
    ("value", "target", "higher", "ci", "expected"),
    [
        (72.0, 70.0, True, None, "met"),
        (70.0, 70.0, True, None, "met"),  # reaching the target counts
        (69.9, 70.0, True, None, "not_met"),
        (72.0, 70.0, True, (70.5, 73.5), "met"),
        (72.0, 70.0, True, (69.5, 74.5), "uncertain"),
        (68.0, 70.0, True, (66.0, 69.9), "not_met"),
        (16.7, 18.0, False, None, "met"),  # fewer months is better
        (18.5, 18.0, False, None, "not_met"),
        (17.0, 18.0, False, (15.0, 19.0), "uncertain"),
        (None, 70.0, True, None, "no_data"),
        (72.0, None, True, None, "no_data"),
        (float("nan"), 70.0, True, None, "no_data"),
    ],
)
def test_grade(
    value: float | None,
    target: float | None,
    higher: bool,
    ci: tuple[float, float] | None,
    expected: str,
) -> None:
    lo, hi = ci if ci else (None, None)
    assert grade(value, target, higher_is_better=higher, ci_low=lo, ci_high=hi) == expected


def _inputs(goals: pd.DataFrame, **over: Any) -> GoalInputs:
    activities = pd.DataFrame(
        {
            "program": ["A", "A", "B", "A"],
            "form": ["seminar", "workshop", "pkp", "seminar"],
            "year": pd.array([2026, 2026, 2026, 2025], dtype="Int64"),
        },
        index=pd.Index(["SEM-2026-01", "WS-2026-01", "PKP-2026-01", "SEM-2025-01"]),
    )
    enrollments = pd.DataFrame(
        {
            "activity": ["SEM-2026-01"] * 3 + ["WS-2026-01"] * 2 + ["PKP-2026-01", "SEM-2025-01"],
            "nip": ["n1", "n2", "n3", "n1", "n4", "n5", "n6"],
            "completed": [True, True, False, True, True, True, True],
            "form": ["seminar"] * 3 + ["workshop"] * 2 + ["pkp", "seminar"],
            "year": [2026.0] * 6 + [2025.0],
        }
    )
    pairs = pd.DataFrame(
        {
            "activity": ["SEM-2026-01", "SEM-2026-01", "WS-2026-01", "PKP-2026-01"],
            "nip": ["n1", "n2", "n1", "n5"],
            "pre": [50.0, 60.0, 40.0, 10.0],
            "post": [70.0, 66.0, 64.0, 90.0],
            "year": [2026.0] * 4,
        }
    )
    employees = pd.DataFrame(
        {"nip": ["n1", "n2", "n5", "n6"], "position": ["p_adm", "p_pgw", "p_pgw", "p_fung"]}
    )
    positions = pd.DataFrame(
        {"code": ["p_adm", "p_pgw", "p_fung"], "kind": ["administrator", "pengawas", "ahli"]}
    )
    discipline = pd.DataFrame(
        {
            "nip": ["n1", "n1", "n2"],
            "decided_on": pd.to_datetime(["2026-02-01", "2026-05-01", "2025-03-01"]),
        }
    )
    program_units = pd.DataFrame(
        {
            "program": ["A", "A", "A"],
            "unit": ["U1", "U2", "U3"],
            "adoption_year": [2025, 2026, 2027],
        }
    )
    indices = {
        "status": "ok",
        "regency": {"2026": {"jp": {"share_pns_compliant": 0.25, "n_pns": 40}}},
        "units": {
            "U1": {"2026": {"skm": {"ikm": 80.0, "n": 30, "se": 1.0}}},
            "U2": {"2026": {"skm": {"ikm": 70.0, "n": 10, "se": 2.0}}},
            "U3": {"2026": {"skm": {"ikm": 10.0, "n": 99, "se": 9.0}}},  # adopts after 2026
        },
    }
    base: dict[str, Any] = {
        "year": 2026,
        "confidence": 0.95,
        "goals": goals,
        "activities": activities,
        "enrollments": enrollments,
        "pairs": pairs,
        "sections": {},
        "indices": indices,
        "frames": {
            "employees": employees,
            "positions": positions,
            "discipline_records": discipline,
            "program_units": program_units,
        },
    }
    base.update(over)
    return GoalInputs(**base)


def _goal(metric: str, target: float | None, program: str = "A", series: str = "") -> dict:
    return {
        "program": program,
        "dimension": "competence",
        "statement": "s",
        "indicator": f"indicator {metric}",
        "baseline": None,
        "target": target,
        "unit_of_measure": "",
        "metric": metric,
        "activity_series": series,
    }


def test_goal_values_worked_by_hand() -> None:
    goals = pd.DataFrame(
        [
            _goal("completers", 2.0, series="SEM"),  # SEM-2026-01: n1, n2 completed (n3 not)
            _goal("completers", 4.0),  # program A in 2026: 2 + 2
            _goal("posttest_mean", 60.0),  # A 2026 pairs: 70, 66, 64
            _goal("learning_gain", 10.0, series="SEM"),  # 20, 6
            _goal("discipline_share", 30.0),  # 1 of 4 employees punished in 2026
            _goal("leadership_certified_share", 40.0),  # n1, n2, n5 hold the posts; n5 did PKP
            _goal("jp_pns_share", 30.0),
            _goal("ikm_program_units", 75.0),  # U1, U2 adopted by 2026
            _goal("", 1.0),  # no metric
            _goal("no_such_metric", 1.0),
        ]
    )
    out = goal_progress(_inputs(goals))
    assert [g["actual"] for g in out[:2]] == [2.0, 4.0]
    assert [g["status"] for g in out[:2]] == ["met", "met"]
    post = np.array([70.0, 66.0, 64.0])
    assert out[2]["actual"] == pytest.approx(post.mean())
    # t interval: mean ± t(0.975, 2)·s/√3, t(0.975, 2) = 4.302653 (R qt(0.975, 2))
    half = 4.302652729749464 * post.std(ddof=1) / np.sqrt(3)
    assert out[2]["ci_low"] == pytest.approx(post.mean() - half)
    assert out[2]["ci_high"] == pytest.approx(post.mean() + half)
    assert out[2]["status"] == "uncertain"  # 60 lies inside the interval
    assert out[3]["actual"] == pytest.approx(13.0)
    assert out[3]["status"] == "uncertain"
    assert out[4]["actual"] == pytest.approx(25.0)
    assert out[4]["status"] == "met"  # fewer is better: 25 ≤ 30
    assert out[5]["actual"] == pytest.approx(100 / 3)
    assert out[5]["status"] == "not_met"
    assert out[6]["actual"] == pytest.approx(25.0)
    assert out[6]["status"] == "not_met"
    # pooled IKM: (30·80 + 10·70)/40 = 77.5; SE² = (0.75·1)² + (0.25·2)² = 0.8125
    assert out[7]["actual"] == pytest.approx(77.5)
    assert out[7]["ci_low"] == pytest.approx(77.5 - 1.959963984540054 * np.sqrt(0.8125))
    assert out[7]["status"] == "met"
    assert out[7]["n"] == 40
    assert [g["status"] for g in out[8:]] == ["no_data", "no_data"]
    assert out[8]["actual"] is None


def test_no_goals_and_missing_sources() -> None:
    assert goal_progress(_inputs(pd.DataFrame())) == []
    assert goal_progress(_inputs(None)) == []  # type: ignore[arg-type]
    out = goal_progress(_inputs(pd.DataFrame([_goal("jp_pns_share", 30.0)]), indices=None))
    assert out[0]["status"] == "no_data"


def test_every_metric_has_both_languages() -> None:
    for metric in METRICS.values():
        assert metric.label_id and metric.label_en and metric.label_id != metric.label_en


def test_world_goals_come_from_the_sections(
    report_of: Callable[[int, str, str], EvaluationReport],
) -> None:
    report = report_of(11, "kabupaten", "baseline")
    data = report.to_json()
    goals = {g["metric"]: g for g in data["goals"]}
    assert len(data["goals"]) == 10
    assert data["goals_summary"]["total"] == 10
    magang = data["sections"]["magang"]
    assert goals["magang_median_months"]["actual"] == magang["median_interns"]
    l3 = data["sections"]["l3_behaviour"]
    assert goals["workplan_quality_after"]["actual"] == l3["mean_after_treated"]
    per_program = {
        r["program"]: r for r in data["sections"]["l2_learning"]["tables"]["per_program"]
    }
    assert goals["posttest_mean"]["actual"] == pytest.approx(per_program["PMPP"]["mean_post"])
    for g in data["goals"]:
        assert g["status"] in {"met", "not_met", "uncertain", "no_data"}
