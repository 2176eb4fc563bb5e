"""The report as JSON: plain values, the documented keys, the same answer whatever the storage."""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from mutu.evaluation.pipeline import ESTIMAND_NAMES, EvaluationReport, evaluate

HEADLINE = ("estimate", "se", "ci_low", "ci_high", "method")
SECTIONS = (
    "l1_reaction",
    "l2_learning",
    "l3_behaviour",
    "l4_results",
    "l5_roi",
    "participation",
    "magang",
)


@pytest.fixture(scope="module")
def full_report(small_frames: dict[str, pd.DataFrame]) -> EvaluationReport:
    """The small world evaluated with the indices (the JSON ``mutu evaluate`` writes)."""
    return evaluate(small_frames)


def test_json_is_plain_and_complete(full_report: EvaluationReport) -> None:
    data = full_report.to_json()
    text = json.dumps(data, allow_nan=False)  # NaN or numpy values would fail here
    assert json.loads(text) == data
    keys = {"estimands", "sections", "indices", "plan", "rulebooks", "variant_notes", "data"}
    assert keys <= set(data)
    assert list(data["estimands"]) == list(ESTIMAND_NAMES)
    for name, est in data["estimands"].items():
        assert set(HEADLINE) <= set(est), name
        assert all(isinstance(est[k], float) for k in HEADLINE[:4]), name
        assert isinstance(est["method"], str) and est["method"], name
        assert isinstance(est["n"], int) and isinstance(est["significant"], bool)
    assert list(data["sections"]) == list(SECTIONS)
    assert all(s["status"] == "ok" for s in data["sections"].values())
    assert data["indices"]["status"] == "ok"
    assert set(data["indices"]["regency"]["2026"]) == {"jp", "ip_asn", "jpm", "skm"}
    assert "costing 2024.1" in data["rulebooks"]
    assert "skm 2017.1" in data["rulebooks"] and "golongan 2000.1" in data["rulebooks"]
    assert data["plan"]["l3_program"] == "TKPB"
    assert data["data"]["year"] == 2026 and data["data"]["years"] == [2023, 2024, 2025, 2026]
    assert data["data"]["rows"]["employees"] > 1000 and len(data["data"]["hash"]) == 64
    assert data["summary"]["id"].startswith("Ringkasan evaluasi")


def test_tables_become_row_lists(full_report: EvaluationReport) -> None:
    sections = full_report.to_json()["sections"]
    per_activity = sections["l2_learning"]["tables"]["per_activity"]
    assert per_activity and {"activity", "n", "mean_diff", "p_holm", "p_bh"} <= set(per_activity[0])
    funnel = sections["participation"]["tables"]["funnel_by_year"]
    assert [row["year"] for row in funnel] == [2023, 2024, 2025, 2026]
    assert all(r["nominated"] >= r["registered"] >= r["attended"] >= r["completed"] for r in funnel)
    reliability = sections["l1_reaction"]["tables"]["reliability"]
    reaksi = next(r for r in reliability if r["instrument"] == "REAKSI")
    assert reaksi["reversed"] == "R4" and 0.5 < reaksi["alpha"] < 1


def test_summaries_are_bilingual_and_claim_with_intervals(full_report: EvaluationReport) -> None:
    text_id, text_en = full_report.summary("id"), full_report.summary("en")
    assert text_id.count("IK 95%") == 5 and text_en.count("95% CI") == 5
    assert "koreksi Holm" in text_id and "Holm's correction" in text_en
    for section in full_report.sections.values():
        assert section.summary("id") and section.summary("en")
        assert section.summary("id") != section.summary("en")
    with pytest.raises(ValueError, match="Unknown language"):
        full_report.summary("fr")


def _as_database_gives(frame: pd.DataFrame) -> pd.DataFrame:
    """Object text, Python dates, float instead of Int64, rows in another order."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            whole_days = bool((s.dropna() == s.dropna().dt.normalize()).all())
            values = [
                None if pd.isna(x) else (x.date() if whole_days else x.to_pydatetime()) for x in s
            ]
            out[col] = pd.Series(values, dtype=object)
        elif pd.api.types.is_string_dtype(s):
            out[col] = pd.Series([None if pd.isna(x) else f" {x}" for x in s], dtype=object)
        elif str(s.dtype) in ("Int64", "Float64"):
            out[col] = s.astype(float)
        else:
            out[col] = s
    shuffled = pd.DataFrame(out).sample(frac=1.0, random_state=7)
    return shuffled.reset_index(drop=True)


def test_storage_dtypes_and_row_order_do_not_change_the_results(
    small_frames: dict[str, pd.DataFrame],
    report_of: Callable[[int, str, str], EvaluationReport],
) -> None:
    reference = report_of(3, "kecil", "baseline")
    mangled = evaluate(
        {n: _as_database_gives(f) for n, f in small_frames.items()}, include_indices=False
    )
    for name in ESTIMAND_NAMES:
        a, b = reference.estimands[name], mangled.estimands[name]
        assert a.estimate is not None and b.estimate is not None
        assert np.isclose(a.estimate, b.estimate, rtol=1e-9, atol=1e-9), name
        assert np.isclose(a.se or 0.0, b.se or 0.0, rtol=1e-9, atol=1e-9), name
    assert mangled.data["hash"] == reference.data["hash"]
