"""Level-1 reaction summaries against psych::describe / psych::alpha frequency output."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.reaction import (
    item_summary,
    item_summary_by,
    reaction_summary,
    reaction_summary_by,
    scale_scores,
)

DATA = Path(__file__).parent / "reference_data"
AGREE = ["A1", "A2", "A3", "A4", "A5"]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    """psych::bfi A1–A5 (provenance: reference_data/SOURCES_learning_reliability.md)."""
    frame = pd.read_csv(DATA / "psych_bfi_agreeableness_neuroticism.csv")[AGREE]
    frame["activity"] = np.where(np.arange(len(frame)) % 3 == 0, "diklat-a", "diklat-b")
    frame.loc[frame.index[-4:], "activity"] = "diklat-c"  # a tiny group
    return frame


def test_item_summary_matches_psych(bfi: pd.DataFrame) -> None:
    # R notebook github.com/CaseyGio/Psyc6263 Wk05/Wk5_Reliability_demonstration.ipynb,
    # A1 reversed as 7 - A1. psych::describe: n 2784 2773 2774 2781 2784; mean 4.586566
    # 4.802380 4.603821 4.699748 4.560345; sd 1.4077372 1.1720199 1.3018336 1.4796327
    # 1.2585121; median 5 for every item. psych::alpha "Non missing response frequency":
    #   A1 0.03 0.08 0.12 0.14 0.29 0.33 / A2 0.02 0.05 0.05 0.20 0.37 0.31
    #   A3 0.03 0.06 0.07 0.20 0.36 0.27 / A4 0.05 0.08 0.07 0.16 0.24 0.41
    #   A5 0.02 0.07 0.09 0.22 0.35 0.25
    t = item_summary(bfi[AGREE], scale_min=1, scale_max=6, reverse=["A1"])
    assert t["n"].tolist() == [2784, 2773, 2774, 2781, 2784]
    np.testing.assert_allclose(
        t["mean"], [4.586566, 4.802380, 4.603821, 4.699748, 4.560345], atol=5e-7
    )
    np.testing.assert_allclose(
        t["sd"], [1.4077372, 1.1720199, 1.3018336, 1.4796327, 1.2585121], atol=5e-8
    )
    assert (t["median"] == 5.0).all()
    shares = t[[f"share_{p}" for p in range(1, 7)]].round(2).to_numpy()
    np.testing.assert_allclose(
        shares,
        [
            [0.03, 0.08, 0.12, 0.14, 0.29, 0.33],
            [0.02, 0.05, 0.05, 0.20, 0.37, 0.31],
            [0.03, 0.06, 0.07, 0.20, 0.36, 0.27],
            [0.05, 0.08, 0.07, 0.16, 0.24, 0.41],
            [0.02, 0.07, 0.09, 0.22, 0.35, 0.25],
        ],
    )
    # top-2-box = share of the two highest points (5 and 6)
    np.testing.assert_allclose(t["top2_box_pct"], 100 * (t["share_5"] + t["share_6"]))


def test_scale_scores_match_rowmeans(bfi: pd.DataFrame) -> None:
    # Same notebook: Total = rowMeans(items, na.rm = TRUE) after reversing A1; describe:
    # n 2800, mean 4.652095, sd 0.8984019, median 4.8. min_items=1 is R's na.rm rule.
    s = scale_scores(bfi[AGREE], reverse=["A1"], scale_min=1, scale_max=6, min_items=1)
    assert s.count() == 2800
    assert s.mean() == pytest.approx(4.652095, abs=5e-7)
    assert s.std() == pytest.approx(0.8984019, abs=5e-8)
    assert s.median() == 4.8


def test_minimum_answered_rule() -> None:
    items = pd.DataFrame(
        {"a": [5, 4, np.nan, np.nan], "b": [4, np.nan, np.nan, 2], "c": [3, 2, 1, np.nan]}
    )
    default = scale_scores(items, reverse=None, scale_min=1, scale_max=5)  # half rule: 2 of 3
    assert default.tolist()[:2] == [4.0, 3.0]
    assert default.isna().tolist() == [
        False,
        False,
        True,
        True,
    ]
    strict = scale_scores(items, reverse=["c"], scale_min=1, scale_max=5, min_items=3)
    assert strict.tolist()[0] == pytest.approx((5 + 4 + 3) / 3)
    assert strict.isna().sum() == 3
    with pytest.raises(MutuValueError):
        scale_scores(items, reverse=None, scale_min=1, scale_max=5, min_items=4)


def test_grouped_item_summary_equals_per_activity(bfi: pd.DataFrame) -> None:
    table = item_summary_by(
        bfi, activity="activity", items=AGREE, scale_min=1, scale_max=6, reverse=["A1"]
    )
    for name, sub in bfi.groupby("activity"):
        single = item_summary(sub[AGREE], scale_min=1, scale_max=6, reverse=["A1"])
        pd.testing.assert_frame_equal(
            table.loc[name].reindex(AGREE), single, check_names=False, rtol=1e-12, atol=1e-14
        )


def test_grouped_reaction_equals_per_activity(bfi: pd.DataFrame) -> None:
    table = reaction_summary_by(
        bfi, activity="activity", items=AGREE, scale_min=1, scale_max=6, reverse=["A1"]
    )
    for name, sub in bfi.groupby("activity"):
        r = reaction_summary(sub[AGREE], scale_min=1, scale_max=6, reverse=["A1"])
        row = table.loc[name]
        assert row["n_respondents"] == r.n_respondents
        assert row["n_scored"] == r.n_scored
        for key in ("scale_mean", "scale_sd", "scale_median", "ci_low", "ci_high", "top_box_pct"):
            assert row[key] == pytest.approx(getattr(r, key), rel=1e-12), key
        assert row["lowest_item"] == r.lowest_item


def test_reaction_summary_text(bfi: pd.DataFrame) -> None:
    r = reaction_summary(bfi[AGREE], scale_min=1, scale_max=6, reverse=["A1"])
    assert r.scale_mean == pytest.approx(
        scale_scores(bfi[AGREE], reverse=["A1"], scale_min=1, scale_max=6).mean()
    )
    text = r.summary()
    assert text.startswith("Rata-rata skor reaksi peserta 4,65 pada skala 1–6 (IK 95% ")
    assert "Butir dengan rata-rata terendah: A5" in text
    assert "Lowest-rated item: A5" in r.summary("en")
    tiny = reaction_summary(bfi[AGREE].head(3), scale_min=1, scale_max=6)
    assert "Terlalu sedikit" in tiny.summary()
    assert "Too few" in tiny.summary("en")


@pytest.mark.parametrize(
    ("frame", "kwargs"),
    [
        (pd.DataFrame({"a": [1, 7]}), {"scale_min": 1, "scale_max": 5}),  # out of range
        (pd.DataFrame({"a": [1, 2.5]}), {"scale_min": 1, "scale_max": 5}),  # not a point
        (pd.DataFrame({"a": [1, 2]}), {"scale_min": 5, "scale_max": 1}),
        (pd.DataFrame({"a": [1, 2]}), {"scale_min": 1, "scale_max": 5, "reverse": ["z"]}),
        (pd.DataFrame({"a": [1, 2]}), {"scale_min": 1, "scale_max": 5, "top_box": 5}),
        (pd.DataFrame({"a": ["x", "y"]}), {"scale_min": 1, "scale_max": 5}),
    ],
)
def test_bad_input_is_refused(frame: pd.DataFrame, kwargs: dict) -> None:
    with pytest.raises(MutuValueError):
        item_summary(frame, **kwargs)
