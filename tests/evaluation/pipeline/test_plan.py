"""The evaluation plan: defaults, dict/TOML round trip, and refusals in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.pipeline import EvaluationPlan, evaluate


def test_plan_round_trips_through_json_and_toml(tmp_path: Path) -> None:
    plan = EvaluationPlan.from_dict(
        {
            "l3_program": "TKPB",
            "incentive_schemes": ["INS-TPP"],
            "benefit_per_workplan_point_rp": 2_500_000,
            "young_window_months": [2, 8],
        }
    )
    assert plan.incentive_schemes == ("INS-TPP",)
    assert plan.young_window_months == (2, 8)
    data = plan.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert EvaluationPlan.from_dict(data) == plan
    path = tmp_path / "plan.toml"
    path.write_text(
        'did_program = "PMPP"\nl3_covariates = ["before", "age", "skpk"]\nmin_n = 20\n',
        encoding="utf-8",
    )
    from_file = EvaluationPlan.from_toml(path)
    assert from_file.l3_covariates == ("before", "age", "skpk") and from_file.min_n == 20
    assert EvaluationPlan.from_toml(path.read_text(encoding="utf-8")) == from_file


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"l3_programme": "TKPB"}, "l3_programme"),
        ({"l3_covariates": ["age", "shoe_size"]}, "shoe_size"),
        ({"did_control": "always"}, "did_control"),
        ({"roi_confidence": 1.5}, "roi_confidence"),
        ({"incentive_schemes": "INS-TPP"}, "incentive_schemes"),
    ],
)
def test_bad_plans_are_refused_in_both_languages(data: dict[str, object], needle: str) -> None:
    with pytest.raises(MutuValueError) as caught:
        EvaluationPlan.from_dict(data)
    assert needle in caught.value.message("id") and needle in caught.value.message("en")
    assert "Rencana evaluasi" in caught.value.message("id")
    assert "Evaluation plan" in caught.value.message("en")


def test_an_unknown_program_is_named_in_both_languages(
    small_frames: dict[str, pd.DataFrame],
) -> None:
    plan = EvaluationPlan(l3_program="NOPE")
    with pytest.raises(MutuValueError) as caught:
        evaluate(small_frames, plan=plan, include_indices=False)
    assert "'NOPE'" in caught.value.message("id") and "tidak ada di data" in caught.value.message(
        "id"
    )
    assert "'NOPE'" in caught.value.message("en") and "not in the data" in caught.value.message(
        "en"
    )
    with pytest.raises(MutuValueError, match="NOPE"):
        evaluate(small_frames, plan=EvaluationPlan(did_program="NOPE"), include_indices=False)
    unknown_scheme = EvaluationPlan(incentive_schemes=("INS-NONE",))
    with pytest.raises(MutuValueError, match="INS-NONE"):
        evaluate(small_frames, plan=unknown_scheme, include_indices=False)


def test_the_report_year_restricts_the_designs(small_frames: dict[str, pd.DataFrame]) -> None:
    report = evaluate(small_frames, year=2025, include_indices=False)
    assert report.data["year"] == 2025
    assert report.sections["l2_learning"].year == 2025  # type: ignore[attr-defined]
    panel = report.sections["l4_results"].panel  # type: ignore[attr-defined]
    assert panel["year"].max() == 2025
    funnel = report.sections["participation"].funnel_by_year  # type: ignore[attr-defined]
    assert list(funnel.index) == [2023, 2024, 2025]
