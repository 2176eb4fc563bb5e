"""IKM (PermenPANRB 14/2017): hand-worked values, exact 1/9, uncertainty, bad input."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mutu.indices import IndexInputError, skm, skm_trend
from mutu.indices._skm_inputs import round2
from mutu.rulebooks import RulebookError
from tests.indices.helpers import rulebook_variant

ELEMENTS = [f"U{i}" for i in range(1, 10)]


def table(rows: list[list[float]], **extra: list[object]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=ELEMENTS)
    for name, values in extra.items():
        frame[name] = values
    return frame


# Four respondents, complete answers.
HAND = [
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
    [3, 3, 3, 3, 3, 3, 3, 3, 3],
    [3, 4, 2, 3, 3, 4, 4, 3, 2],
    [2, 3, 3, 4, 3, 3, 4, 3, 3],
]


def test_ikm_by_hand_with_exact_one_ninth() -> None:
    # NRR per element (mean of the column):
    #   U1 (4+3+3+2)/4 = 3     U2 (4+3+4+3)/4 = 3.5   U3 (4+3+2+3)/4 = 3
    #   U4 (4+3+3+4)/4 = 3.5   U5 (4+3+3+3)/4 = 3.25  U6 (4+3+4+3)/4 = 3.5
    #   U7 (4+3+4+4)/4 = 3.75  U8 (4+3+3+3)/4 = 3.25  U9 (4+3+2+3)/4 = 3
    # Σ NRR = 29.75;  IKM = 25 × (1/9) × 29.75 = 743.75 / 9 = 82.638888…  → B (76.61–88.30)
    # With the printed 0.111: 29.75 × 0.111 × 25 = 82.55625 (drifts by 0.083).
    res = skm(table(HAND), on=date(2024, 6, 30))
    exact = Fraction(2975, 100) * Fraction(25, 9)
    assert res.ikm == pytest.approx(float(exact), abs=1e-12)
    assert float(exact) - 29.75 * 0.111 * 25 == pytest.approx(0.0826388, abs=1e-6)
    assert (res.grade, res.label, res.n) == ("B", "Baik", 4)
    nrr = res.elements["nrr"].tolist()
    assert nrr == [3, 3.5, 3, 3.5, 3.25, 3.5, 3.75, 3.25, 3]
    assert res.elements["converted"].tolist() == pytest.approx([25 * x for x in nrr])
    assert res.elements["nrr_weighted"].tolist() == pytest.approx([x / 9 for x in nrr])
    # U7's converted value 93.75 is an A; U1's 75 a C.
    assert res.elements.loc["U7", "grade"] == "A"
    assert res.elements.loc["U1", "grade"] == "C"
    assert res.rulebook == "skm 2017.1"
    assert res.unconfirmed == ()


def test_exact_weight_keeps_a_grade_the_rounded_weight_loses() -> None:
    # 5 respondents, 42 answers of 3 and 3 of 4: total 138, Σ NRR = 138 / 5 = 27.6.
    # Exact: 25 × 27.6 / 9 = 76.6667 → B.  With 0.111: 27.6 × 2.775 = 76.59 → C.
    rows = [[3] * 9 for _ in range(5)]
    rows[0][0] = rows[1][1] = rows[2][2] = 4
    res = skm(table(rows), on=date(2024, 6, 30))
    assert res.ikm == pytest.approx(3450 / 45, abs=1e-12)
    assert res.grade == "B"
    assert round(27.6 * 0.111 * 25, 2) < 76.61


def test_grade_is_read_after_rounding_half_up_to_two_decimals() -> None:
    values = pd.Series([88.305, 88.3049, 76.605, 64.995, 100.0])
    assert round2(values).tolist() == [88.31, 88.30, 76.61, 65.0, 100.0]


def test_standard_error_is_that_of_the_respondents_own_indices() -> None:
    res = skm(table(HAND), on=date(2024, 6, 30))
    own = 25 * np.array(HAND).mean(axis=1)  # 100, 75, 77.78, 77.78: mean = the IKM
    assert own.mean() == pytest.approx(res.ikm)
    assert res.se == pytest.approx(stats.sem(own), rel=1e-12)
    half = stats.t.ppf(0.975, 3) * stats.sem(own)
    assert (res.ci_low, res.ci_high) == pytest.approx((res.ikm - half, res.ikm + half))


def test_item_non_response_follows_the_element_nrr_and_a_jackknife_se() -> None:
    rng = np.random.default_rng(7)
    values = rng.integers(1, 5, size=(400, 9)).astype(float)
    values[rng.random(values.shape) < 0.1] = np.nan
    values[np.isnan(values).all(axis=1), 0] = 3.0
    res = skm(pd.DataFrame(values, columns=ELEMENTS), on=date(2024, 1, 1))
    nrr = np.nanmean(values, axis=0)
    assert res.ikm == pytest.approx(25 * nrr.sum() / 9, abs=1e-12)
    # Delete-one jackknife of the same estimator, in closed form.
    answered = ~np.isnan(values)
    sums, counts = np.nansum(values, axis=0), answered.sum(axis=0)
    loo = (sums - np.nan_to_num(values)) / (counts - answered)
    ikm_loo = 25 * loo.sum(axis=1) / 9
    n = len(values)
    se_jack = np.sqrt((n - 1) / n * ((ikm_loo - ikm_loo.mean()) ** 2).sum())
    assert res.se == pytest.approx(se_jack, rel=0.01)


def test_grouped_call_equals_one_call_per_group_and_checks_the_sample() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.integers(1, 5, size=(90, 9)), columns=ELEMENTS)
    frame["unit"] = np.repeat(["DINKES", "DISDIK", "RSUD"], 30)
    frame["year"] = np.tile([2023, 2024], 45)
    res = skm(frame, by=["unit", "year"], population={"DINKES": 30, ("RSUD", 2024): 500})
    assert res.ikm is None and res.by == ("unit", "year")
    assert len(res.groups) == 6 and len(res.elements) == 54
    for (unit, year), row in res.groups.iterrows():
        part = frame[(frame["unit"] == unit) & (frame["year"] == year)]
        alone = skm(part[ELEMENTS], on=date(year, 12, 31))
        assert row["ikm"] == pytest.approx(alone.ikm, abs=1e-12)
        assert row["se"] == pytest.approx(alone.se, rel=1e-12)
    # Krejcie–Morgan: N = 30 needs 28; N = 500 needs 217 (the published table).
    assert res.groups.loc[("DINKES", 2023), "n_required"] == 28
    assert not res.groups.loc[("DINKES", 2023), "sample_adequate"]
    assert res.groups.loc[("RSUD", 2024), "n_required"] == 217
    assert pd.isna(res.groups.loc[("DISDIK", 2023), "n_required"])
    assert "6 kelompok" in res.summary("id") and "6 groups" in res.summary("en")


def test_ungrouped_sample_adequacy_and_summary() -> None:
    rows = [[3] * 9 for _ in range(80)]
    res = skm(table(rows), population=100, on=date(2024, 1, 1))
    assert (res.population, res.n_required, res.sample_adequate) == (100, 80, True)
    assert res.ikm == pytest.approx(75.0)
    assert res.summary().startswith("IKM 75,00 (mutu pelayanan C, Kurang Baik) dari 80 responden")
    assert "Krejcie–Morgan" in res.summary("en")
    assert res.to_frame().shape[0] == 1


def test_trend_gives_welch_interval_of_the_change() -> None:
    rng = np.random.default_rng(11)
    a = rng.integers(2, 5, size=(60, 9))
    b = rng.integers(1, 5, size=(45, 9))
    frame = pd.DataFrame(np.vstack([a, b]), columns=ELEMENTS)
    frame["year"] = [2023] * 60 + [2024] * 45
    trend = skm_trend(skm(frame, by="year"))
    row = trend.frame.iloc[1]
    later, earlier = 25 * b.mean(axis=1), 25 * a.mean(axis=1)
    ref = stats.ttest_ind(later, earlier, equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert row["change"] == pytest.approx(later.mean() - earlier.mean())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-10)
    assert row["df"] == pytest.approx(ref.df, rel=1e-10)
    assert pd.isna(trend.frame.iloc[0]["change"]) and trend.sampled
    assert "Holm" in trend.summary("en")


def test_trend_needs_the_period_among_the_groups() -> None:
    with pytest.raises(IndexInputError, match="not grouped by 'year'"):
        skm_trend(skm(table(HAND), on=date(2024, 1, 1)))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (5, "score outside 1–4 in U3"),
        (0, "score outside 1–4 in U3"),
        (2.5, "score outside 1–4 in U3"),
        ("baik", "answer is not a number in U3"),
    ],
)
def test_bad_scores_are_refused_naming_the_row(value: object, message: str) -> None:
    frame = table(HAND).astype(object)
    frame.index = ["r1", "r2", "r3", "r4"]
    frame.loc["r3", "U3"] = value
    with pytest.raises(IndexInputError, match=message) as err:
        skm(frame, on=date(2024, 1, 1))
    assert "rows r3" in str(err.value) and "baris r3" in str(err.value)


def test_unknown_and_missing_elements_are_refused() -> None:
    extra = table(HAND, U10=[1, 2, 3, 4])
    with pytest.raises(IndexInputError, match="unknown elements: U10"):
        skm(extra, on=date(2024, 1, 1))
    with pytest.raises(IndexInputError, match="element columns missing: U9"):
        skm(table(HAND).drop(columns="U9"), on=date(2024, 1, 1))


def test_empty_row_and_unanswered_element_are_refused() -> None:
    rows = table(HAND).astype(float)
    rows.loc[2, ELEMENTS] = np.nan
    with pytest.raises(IndexInputError, match=r"no element answered \(rows 2\)"):
        skm(rows, on=date(2024, 1, 1))
    holes = table(HAND, unit=["A", "A", "B", "B"]).astype({"U4": float})
    holes.loc[[2, 3], "U4"] = np.nan
    with pytest.raises(IndexInputError, match="element without any answer in group: B: U4"):
        skm(holes, by="unit", on=date(2024, 1, 1))


def test_new_skm_version_changes_the_grade_from_its_date(tmp_path: Path) -> None:
    # An administrator lowers grade A to 80.00 from 2026 (a hypothetical revision).
    path = rulebook_variant(
        tmp_path,
        "skm",
        "2017.1",
        "2026.1",
        "2026-01-01",
        {
            "min = 88.31, max = 100.00": "min = 80.00, max = 100.00",
            "min = 76.61, max = 88.30": "min = 76.61, max = 79.99",
        },
    )
    frame = pd.concat([table(HAND, year=[2025] * 4), table(HAND, year=[2026] * 4)])
    res = skm(frame, by="year", search_path=path)
    assert res.groups.loc[2025, "grade"] == "B" and res.groups.loc[2025, "rulebook"] == "skm 2017.1"
    assert res.groups.loc[2026, "grade"] == "A" and res.groups.loc[2026, "rulebook"] == "skm 2026.1"
    assert res.groups.loc[2025, "ikm"] == res.groups.loc[2026, "ikm"]
    assert res.rulebook == "skm 2017.1; skm 2026.1"
    dated = table(HAND, date=["2026-03-01"] * 4)
    assert skm(dated, search_path=path).rulebook == "skm 2026.1"


def test_a_date_before_any_version_is_explained() -> None:
    with pytest.raises(RulebookError, match="No version of rulebook 'skm' is in force on 2010"):
        skm(table(HAND, date=["2010-05-01"] * 4))
