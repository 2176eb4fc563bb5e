"""The pipeline's own small computations, each against a hand calculation or a reference package."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from mutu.evaluation.pipeline.adjust import OTHER, pool_sparse_levels
from mutu.evaluation.pipeline.helpers import cluster_se_of_mean
from mutu.evaluation.pipeline.inputs import data_hash, normalise_frames
from mutu.evaluation.pipeline.magang_km import (
    batched_logit,
    density_at_median,
    stratified_counts,
    untreated_median_spread,
    weighted_km_medians,
)
from mutu.evaluation.pipeline.people import months_between, top_units
from mutu.evaluation.survival import kaplan_meier


@pytest.mark.parametrize(
    ("times", "events", "weights", "expected"),
    [
        # S(2) = 0.5 exactly: half had reached it by the end of month 2.
        ([1, 2, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], 2.0),
        # S(2) = 2/3, S(4) = 1/3: crosses 0.5 half-way through month 4 -> 3 + 0.5.
        ([2, 4, 5], [1, 1, 1], [1, 1, 1], 3.5),
        # Weight 2 on the first: S(1) = 1 - 2/4 = 0.5.
        ([1, 2, 3], [1, 1, 1], [2, 1, 1], 1.0),
        # A censoring at 2 leaves 2 at risk at 3: S(1) = 3/4, S(3) = 3/8 -> 2 + (0.25/0.375).
        ([1, 2, 3, 4], [1, 0, 1, 1], [1, 1, 1, 1], 2 + 0.25 / 0.375),
        # Never below 0.5.
        ([1, 2, 3], [1, 0, 0], [1, 1, 1], np.nan),
    ],
)
def test_interpolated_km_median_by_hand(
    times: list[float], events: list[float], weights: list[float], expected: float
) -> None:
    got = weighted_km_medians(
        np.asarray(times, float), np.asarray(events, float), np.asarray([weights], float)
    )
    np.testing.assert_allclose(got, [expected], equal_nan=True)


def test_interpolated_median_lies_in_the_month_of_the_r_median() -> None:
    rng = np.random.default_rng(4)
    t = np.ceil(rng.gamma(4.0, 4.0, 300))
    e = (rng.random(300) < 0.8).astype(float)
    ours = weighted_km_medians(t, e, np.ones((1, 300)))[0]
    r_median = kaplan_meier(t, e).median  # R survfit convention: a whole month
    assert r_median - 1 < ours <= r_median


def test_density_and_median_spread_agree_with_the_exponential() -> None:
    """Months ~ ceil(Exp(mean 10)): f(median) = 0.05, and Var(median of n) = 1/(4 n f²)."""
    rng = np.random.default_rng(9)
    t = np.ceil(rng.exponential(10.0, 40_000))
    e = np.ones_like(t)
    f = density_at_median(t, e, np.ones_like(t))
    assert f == pytest.approx(0.05, rel=0.05)
    var = untreated_median_spread(t, e, np.ones_like(t), np.full(100, 1e6), 2000, seed=1)
    assert var == pytest.approx(1 / (4 * 100 * 0.05**2), rel=0.15)


def test_batched_logit_matches_statsmodels_on_the_data_row() -> None:
    rng = np.random.default_rng(1)
    x = np.column_stack([np.ones(400), rng.normal(size=400), rng.integers(0, 2, 400)])
    y = (rng.random(400) < 1 / (1 + np.exp(-(0.3 + 0.8 * x[:, 1] - 0.5 * x[:, 2])))).astype(float)
    counts = stratified_counts(y.astype(np.int64), 50, seed=3)
    p = batched_logit(x, y, counts)
    reference = sm.Logit(y, x).fit(disp=0).predict()
    np.testing.assert_allclose(p[0], reference, rtol=1e-7)
    # Resamples keep the group sizes (stratified bootstrap).
    for g in (0, 1):
        assert np.all(counts[:, y == g].sum(axis=1) == (y == g).sum())


def test_cluster_se_of_a_mean_is_statsmodels_cr1() -> None:
    rng = np.random.default_rng(2)
    groups = np.repeat(np.arange(12), 9)
    x = rng.normal(size=len(groups)) + rng.normal(size=12)[groups]
    se, g = cluster_se_of_mean(x, groups)
    fit = sm.OLS(x, np.ones(len(x))).fit(cov_type="cluster", cov_kwds={"groups": groups})
    assert g == 12
    assert se == pytest.approx(float(fit.bse[0]), rel=1e-10)


def test_months_between_counts_whole_calendar_months() -> None:
    start = pd.Series(pd.to_datetime(["2024-01-15", "2024-01-15", "2023-03-01", "2024-01-31"]))
    end = pd.Series(pd.to_datetime(["2024-03-14", "2024-03-15", "2024-12-01", "2024-02-29"]))
    assert months_between(start, end).tolist() == [1.0, 2.0, 21.0, 0.0]


def test_top_units_walks_the_tree_to_the_skpk() -> None:
    units = pd.DataFrame(
        {
            "code": ["ROOT", "DINKES", "PKM-1", "PKM-1-POS", "SETDA"],
            "parent": [None, "ROOT", "DINKES", "PKM-1", "ROOT"],
        }
    )
    top = top_units(units)
    assert top.to_dict() == {
        "ROOT": "ROOT",
        "DINKES": "DINKES",
        "PKM-1": "DINKES",
        "PKM-1-POS": "DINKES",
        "SETDA": "SETDA",
    }


def test_normalise_frames_gives_one_shape() -> None:
    frames = {
        "activities": pd.DataFrame(
            {
                "code": [" A-1 ", "A-2"],
                "start_date": [date(2024, 3, 1), None],
                "jp": ["24", 8],
                "capacity": pd.array([30, None], dtype="Int64"),
                "kecamatan": ["", "11.02.11"],
            }
        ),
        "attendance": pd.DataFrame({"present": ["true", "f"], "session_no": [1.0, 2.0]}),
    }
    out = normalise_frames(frames)
    act = out["activities"]
    assert act["code"].tolist() == ["A-1", "A-2"] and act["code"].dtype == object
    assert act["kecamatan"].tolist() == [None, "11.02.11"]
    assert str(act["start_date"].dtype) == "datetime64[ns]" and pd.isna(act["start_date"][1])
    assert act["jp"].tolist() == [24.0, 8.0] and act["jp"].dtype == float
    assert act["capacity"].dtype == float and np.isnan(act["capacity"][1])
    att = out["attendance"]
    assert att["present"].tolist() == [True, False]
    assert att["session_no"].dtype == np.int64
    assert frames["activities"]["code"][0] == " A-1 "  # the input is untouched


def test_data_hash_ignores_order_but_not_content() -> None:
    a = pd.DataFrame({"x": [1, 2, 3], "y": ["a", "b", "c"]})
    h = data_hash({"t": a, "u": a.iloc[:1]})
    assert h == data_hash({"u": a.iloc[:1], "t": a.iloc[::-1][["y", "x"]]})
    assert h != data_hash({"t": a.assign(x=[1, 2, 4]), "u": a.iloc[:1]})
    assert h != data_hash({"t": a})


def test_sparse_levels_are_pooled_for_the_comparison_model() -> None:
    data = pd.DataFrame(
        {
            "t": [1, 1, 0, 0, 0, 1, 0, 1],
            "skpk": ["A", "A", "A", "A", "B", "B", "C", "D"],
        }
    )
    out, notes = pool_sparse_levels(data, treatment="t", covariates=["skpk"])
    # B has 1 comparison unit, C 1, D 0: pooled into "(other)", which then has 2.
    assert out["skpk"].tolist() == ["A", "A", "A", "A", OTHER, OTHER, OTHER, OTHER]
    assert notes and "skpk" in notes[0]
    lone = pd.DataFrame({"t": [1, 0, 0, 1], "skpk": ["A", "A", "A", "B"]})
    out2, _ = pool_sparse_levels(lone, treatment="t", covariates=["skpk"])
    assert out2["skpk"].tolist() == ["A", "A", "A", "A"]  # too few even pooled: joins the largest


def test_an_empty_answer_key_is_no_key_whether_or_not_the_frames_were_normalised() -> None:
    """A questionnaire given before and after training (self-efficacy) is never scored as a test."""
    from mutu.evaluation.pipeline.l2_learning import test_scores

    items = pd.DataFrame(
        {
            "instrument": ["TES", "TES", "EFIKASI"],
            "version": [1, 1, 1],
            "code": ["Q1", "Q2", "E1"],
            "answer_key": ["a", "b", ""],
            "points": [1.0, 1.0, np.nan],
        }
    )
    responses = pd.DataFrame(
        {
            "token": ["t1", "t2"],
            "instrument": ["TES", "EFIKASI"],
            "version": [1, 1],
            "activity": ["A", "A"],
            "occasion": ["post", "post"],
            "submitted_at": pd.to_datetime(["2026-03-03 10:00", "2026-03-03 11:00"]),
        }
    )
    answers = pd.DataFrame(
        {"token": ["t1", "t1", "t2"], "item": ["Q1", "Q2", "E1"], "option": ["a", "c", "4"]}
    )
    frames = {"items": items, "responses": responses, "answers": answers}
    raw = test_scores(frames)
    assert list(raw["instrument"]) == ["TES"]  # the self-efficacy answer is not a test
    assert raw["score"].tolist() == [50.0]  # one of two keyed items right
