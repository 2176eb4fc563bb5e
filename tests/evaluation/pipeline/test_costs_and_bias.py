"""L5 costs and ROI, and the naive comparisons the adjusted estimates correct."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from mutu.evaluation.pipeline import EvaluationPlan, EvaluationReport, evaluate
from mutu.synthetic import World


def test_the_naive_workplan_gap_is_biased_and_the_adjusted_one_is_not(
    world_of: Callable[[int, str, str], World],
    report_of: Callable[[int, str, str], EvaluationReport],
) -> None:
    """truth.json says the naive comparison overstates the effect (good performers are sent)."""
    truth = world_of(1, "kabupaten", "baseline").truth["estimands"]["workplan_quality_att"]
    est = report_of(1, "kabupaten", "baseline").estimands["workplan_quality_att"]
    assert truth["bias_of_naive"] > 0.15
    assert est.estimate is not None and est.se is not None and est.naive is not None
    assert est.naive - est.estimate > 3 * est.se
    assert abs(est.estimate - truth["value"]) < abs(est.naive - truth["value"]) / 4
    assert est.to_json()["bias_removed"] == pytest.approx(est.naive - est.estimate)
    section = report_of(1, "kabupaten", "baseline").sections["l3_behaviour"]
    before = section.balance_before  # type: ignore[attr-defined]
    after = section.balance_after  # type: ignore[attr-defined]
    assert before.loc["skp_prior", "flag"]  # the trained had better SKP scores
    assert abs(after.loc["skp_prior", "smd"]) < 0.1


def test_costs_are_fully_loaded_and_roi_needs_money_values(
    small_frames: dict[str, pd.DataFrame],
    world_of: Callable[[int, str, str], World],
    report_of: Callable[[int, str, str], EvaluationReport],
) -> None:
    plain = report_of(3, "kecil", "baseline").sections["l5_roi"]
    assert plain.status == "ok"
    assert plain.fully_loaded == pytest.approx(plain.spent + plain.participant_time)  # type: ignore[attr-defined]
    assert plain.participant_time > 0  # type: ignore[attr-defined]
    budget = small_frames["budget_lines"]
    assert plain.planned == pytest.approx(  # type: ignore[attr-defined]
        budget.loc[budget["fiscal_year"] == 2026, "planned_amount"].sum()
    )
    # Participant hours agree with the generator's own (not stored) time frame.
    hidden = world_of(3, "kecil", "baseline").frames["participant_time_costs"]
    per_activity = plain.per_activity  # type: ignore[attr-defined]
    assert per_activity["participant_hours"].sum() == pytest.approx(
        hidden["participant_hours"].sum()
    )
    assert not plain.roi_computed  # type: ignore[attr-defined]
    assert "not monetised" in plain.roi_note  # type: ignore[attr-defined]
    assert plain.cost_per_jp > 0 and plain.cost_per_workplan_point > 0  # type: ignore[attr-defined]

    plan = EvaluationPlan(benefit_per_workplan_point_rp=5_000_000, roi_confidence=0.8)
    monetised = evaluate(small_frames, plan=plan, include_indices=False).sections["l5_roi"]
    roi = monetised.roi_table  # type: ignore[attr-defined]
    assert list(roi["outcome"]) == ["workplan"]
    row = roi.iloc[0]
    assert "comparison group" in row["isolation"]
    assert row["confidence"] == 0.8
    expected = row["effect"] * row["persons"] * 5_000_000 * 0.8
    assert row["credited_benefits"] == pytest.approx(expected)
    assert row["roi_pct"] == pytest.approx((expected - row["costs"]) / row["costs"] * 100)
