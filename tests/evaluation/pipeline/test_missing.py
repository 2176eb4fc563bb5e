"""A database without some data gives "no data" for what needs it, never an exception."""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd

from mutu.evaluation.pipeline import ESTIMAND_NAMES, EvaluationReport, evaluate


def test_no_skm_means_no_l4_but_everything_else(small_frames: dict[str, pd.DataFrame]) -> None:
    frames = {n: f for n, f in small_frames.items() if n != "skm_results"}
    resp = frames["responses"]
    skm_tokens = set(resp.loc[resp["instrument"] == "SKM", "token"])
    frames["responses"] = resp[resp["instrument"] != "SKM"]
    frames["answers"] = frames["answers"][~frames["answers"]["token"].isin(skm_tokens)]
    report = evaluate(frames, include_indices=False)
    data = report.to_json()
    json.dumps(data, allow_nan=False)
    assert data["sections"]["l4_results"]["status"] == "no_data"
    assert data["estimands"]["ikm_att"]["status"] == "no_data"
    assert data["estimands"]["ikm_att"]["estimate"] is None
    assert data["estimands"]["ikm_att"]["p_adjusted"] is None
    others = [n for n in ESTIMAND_NAMES if n != "ikm_att"]
    assert all(data["estimands"][n]["status"] == "ok" for n in others)
    assert "Bagian l4_results: tidak ada data" in report.sections["l4_results"].summary("id")
    assert "no data" in report.estimands["ikm_att"].summary("en")


def test_skm_answers_alone_still_give_the_ikm(
    small_frames: dict[str, pd.DataFrame],
    report_of: Callable[[int, str, str], EvaluationReport],
) -> None:
    """Without ``skm_results`` the IKM per unit-year comes from the SKM answers."""
    frames = {n: f for n, f in small_frames.items() if n != "skm_results"}
    full = report_of(3, "kecil", "baseline").estimands["ikm_att"]
    alone = evaluate(frames, include_indices=False).estimands["ikm_att"]
    assert alone.estimate is not None and full.estimate is not None
    assert abs(alone.estimate - full.estimate) < 0.05  # skm_results rounds NRR to 4 decimals


def test_each_missing_input_only_silences_its_sections(
    small_frames: dict[str, pd.DataFrame],
) -> None:
    expected = {
        "incentive_offers": {"incentive_attendance_effect"},
        "program_units": {"ikm_att"},
        "competency_assessments": {"magang_months_to_proficiency_diff"},
        "response_identities": {"learning_gain"},
        "employees": {"workplan_quality_att", "magang_months_to_proficiency_diff"},
        "budget_lines": set(),
    }
    for name, silenced in expected.items():
        frames = {n: f for n, f in small_frames.items() if n != name}
        report = evaluate(frames, include_indices=False)
        gone = {n for n, e in report.estimands.items() if e.status == "no_data"}
        assert gone == silenced, name
        json.dumps(report.to_json(), allow_nan=False)
        if name == "budget_lines":
            assert report.sections["l5_roi"].status == "no_data"


def test_an_empty_database_is_all_no_data(small_frames: dict[str, pd.DataFrame]) -> None:
    for frames in ({}, {n: f.iloc[:0] for n, f in small_frames.items()}):
        report = evaluate(frames)
        data = report.to_json()
        json.dumps(data, allow_nan=False)
        assert all(s["status"] == "no_data" for s in data["sections"].values())
        assert all(e["status"] == "no_data" for e in data["estimands"].values())
        assert all(e["significant"] is False for e in data["estimands"].values())
