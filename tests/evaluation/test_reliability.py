"""Cronbach's alpha against R psych::alpha output and pingouin's bundled example."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.reliability import reliability, reverse_key

DATA = Path(__file__).parent / "reference_data"
AGREE = ["A1", "A2", "A3", "A4", "A5"]
NEURO = ["N1", "N2", "N3", "N4", "N5"]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    """psych::bfi A1–A5, N1–N5 (provenance: reference_data/SOURCES_learning_reliability.md)."""
    return pd.read_csv(DATA / "psych_bfi_agreeableness_neuroticism.csv")


def test_bfi_neuroticism_pairwise_matches_psych_to_six_digits(bfi: pd.DataFrame) -> None:
    # Revelle, "Alpha – standardized or non-standardized", personality-project.org/r/
    # tutorials/faq/Comparing.alpha.html: a1 <- alpha(bfi[16:20]); print(a1$total, digits=6)
    #   raw_alpha 0.813963  std.alpha 0.814675  average_r 0.467854
    # bfi has missing answers, so this checks the pairwise (psych default) path and the
    # standardised alpha from cov2cor of the pairwise covariance matrix.
    r = reliability(bfi[NEURO])
    assert r.alpha == pytest.approx(0.813963, abs=5e-7)
    assert r.alpha_standardized == pytest.approx(0.814675, abs=5e-7)
    assert r.mean_inter_item_r == pytest.approx(0.467854, abs=5e-7)
    assert r.missing == "pairwise"
    assert r.k == 5
    assert r.n == 2800


def test_bfi_agreeableness_reverse_keyed_matches_psych_item_analysis(bfi: pd.DataFrame) -> None:
    # R notebook github.com/CaseyGio/Psyc6263 Wk05/Wk5_Reliability_demonstration.ipynb:
    # A1 reversed as 7 - A1 (scale 1-6), then psych::alpha(AgreeItems) prints
    #   raw_alpha 0.7  std.alpha 0.71  average_r 0.33;  Feldt 95% 0.69 0.7 0.72
    #   Reliability if an item is dropped (raw_alpha): A1 .72 A2 .62 A3 .60 A4 .69 A5 .64
    #   Item statistics r.drop: A1 .31 A2 .56 A3 .59 A4 .39 A5 .49; n 2784 2773 2774 2781 2784
    #   alpha.drop$std.alpha (3 digits): A1 .725 A2 .625 A3 .613 A4 .693 A5 .655
    r = reliability(bfi[AGREE], reverse=["A1"], scale_range=(1, 6))
    assert round(r.alpha, 2) == 0.70
    assert round(r.alpha_standardized, 2) == 0.71
    assert round(r.mean_inter_item_r, 2) == 0.33
    assert (round(r.ci_low, 2), round(r.ci_high, 2)) == (0.69, 0.72)
    items = r.items
    assert items["alpha_if_deleted"].round(2).tolist() == [0.72, 0.62, 0.60, 0.69, 0.64]
    assert items["item_total_r"].round(2).tolist() == [0.31, 0.56, 0.59, 0.39, 0.49]
    assert items["n"].tolist() == [2784, 2773, 2774, 2781, 2784]
    # That notebook's psych version forms the dropped-item standardised alpha from
    # pairwise correlations, we (as the psych source of alpha.R and the spec) from
    # cov2cor of the pairwise covariances: the two differ by < 0.001 here.
    np.testing.assert_allclose(
        items["alpha_std_if_deleted"], [0.725, 0.625, 0.613, 0.693, 0.655], atol=1e-3
    )
    # psych::describe in the same notebook: mean of reversed A1 4.586566, sd 1.4077372.
    assert items.loc["A1", "mean"] == pytest.approx(4.586566, abs=5e-7)
    assert items.loc["A1", "sd"] == pytest.approx(1.4077372, abs=5e-8)
    # r.drop 0.308 is just above 0.3: not flagged; nothing is negative after reversing.
    assert (items["flag"] == "").all()


def test_reverse_keying_default_range_is_observed_min_max_as_psych(bfi: pd.DataFrame) -> None:
    # psych: "Reversed items are subtracted from the maximum + minimum item response for
    # all the items" — bfi answers span 1..6, so the default equals scale_range=(1, 6).
    a = reliability(bfi[AGREE], reverse=["A1"])
    b = reliability(bfi[AGREE], reverse=["A1"], scale_range=(1, 6))
    assert a.alpha == b.alpha
    out = reverse_key(pd.DataFrame({"x": [1.0, 6.0, 2.0]}), ["x"], (1, 6))
    assert out["x"].tolist() == [6.0, 1.0, 5.0]


def test_unreversed_item_is_flagged_negative(bfi: pd.DataFrame) -> None:
    r = reliability(bfi[AGREE])
    assert r.items.loc["A1", "flag"] == "negative"
    assert r.items.loc["A1", "item_total_r"] < 0


def test_pingouin_bundled_cronbach_alpha_dataset() -> None:
    # evaluation-methods.md and pingouin's cronbach_alpha docstring: alpha = 0.5917188,
    # Feldt 95% CI [0.195, 0.840]. The data are pingouin 0.7.0's bundled
    # pingouin/datasets/cronbach_alpha.csv, copied to reference_data (see SOURCES).
    long = pd.read_csv(DATA / "pingouin_cronbach_alpha.csv")
    data = long.pivot(index="Subj", columns="Items", values="Scores")
    r = reliability(data)
    assert r.alpha == pytest.approx(0.5917188, abs=5e-8)
    assert (round(r.ci_low, 3), round(r.ci_high, 3)) == (0.195, 0.840)


def test_pingouin_missing_data_example_pairwise_and_listwise() -> None:
    # pingouin cronbach_alpha docstring, data 'cronbach_wide_missing':
    #   "In R: psych:alpha(data, use='pairwise')"      -> 0.732660835214447
    #   "In R: psych:alpha(data, use='complete.obs')"  -> 0.8016949152542373
    data = pd.read_csv(DATA / "pingouin_cronbach_wide_missing.csv")
    assert reliability(data).alpha == pytest.approx(0.732660835214447, rel=1e-12)
    listwise = reliability(data, missing="listwise")
    assert listwise.alpha == pytest.approx(0.8016949152542373, rel=1e-12)
    assert listwise.n == len(data.dropna())


def test_reverse_keyed_alpha_from_psych_via_precis_tests() -> None:
    # Test suite of the Python package "precis" (tests of stats.cronbach_alpha), values
    # stated there as "Correct alphas from the psych package in R": 8 respondents x 4
    # items; all items 0.409; items 2 and 3 reversed -0.461; items 2 (reversed) and 3
    # only -3.333 ("nonsensical, but that's okay for testing").
    scores = np.array(
        [[3, 4, 3, 3], [5, 4, 4, 3], [1, 3, 4, 5], [4, 5, 4, 2],
         [1, 3, 4, 1], [3, 3, 3, 1], [3, 4, 5, 1], [1, 2, 1, 3]]
    )  # fmt: skip
    assert round(reliability(scores).alpha, 3) == 0.409
    assert round(reliability(scores, reverse=["1", "2"]).alpha, 3) == -0.461
    assert round(reliability(scores[:, 1:3], reverse=["0"]).alpha, 3) == -3.333


def test_two_items_have_no_alpha_if_deleted() -> None:
    r = reliability([[1, 2], [2, 2], [3, 4], [4, 5], [5, 4]])
    assert r.items["alpha_if_deleted"].isna().all()


@pytest.mark.parametrize(
    ("items", "kwargs"),
    [
        (pd.DataFrame({"a": [1, 2, 3]}), {}),  # one item
        (pd.DataFrame({"a": [1.0], "b": [2.0]}), {}),  # one respondent
        (pd.DataFrame({"a": [1, 2, 3], "b": [4, 4, 4]}), {}),  # constant item
        (pd.DataFrame({"a": [1, 2, 3], "b": [3, 1, 2]}), {"missing": "everything"}),
        (pd.DataFrame({"a": [1, 2, 3], "b": [3, 1, 2]}), {"reverse": ["c"]}),
        (pd.DataFrame({"a": [1, 2, 3], "b": [3, 1, 2]}), {"confidence": 1.5}),
        (pd.DataFrame({"a": ["x", "y", "z"], "b": [3, 1, 2]}), {}),
        (pd.DataFrame({"a": [1, 2, np.nan, np.nan], "b": [np.nan, np.nan, 1, 2]}), {}),
    ],
)
def test_bad_input_is_refused_in_both_languages(items: pd.DataFrame, kwargs: dict) -> None:
    with pytest.raises(MutuValueError) as info:
        reliability(items, **kwargs)
    assert info.value.message_id
    assert info.value.message_en


def test_summary_states_estimate_interval_and_variant(bfi: pd.DataFrame) -> None:
    r = reliability(bfi[AGREE], reverse=["A1"], scale_range=(1, 6))
    text_id, text_en = r.summary(), r.summary("en")
    assert "alfa Cronbach = 0,70" in text_id
    assert "IK 95% Feldt 0,69–0,72" in text_id
    assert "Cronbach's alpha = 0.70" in text_en
    assert "pairwise" in text_en
    assert "A1" in r.to_frame()["reversed_items"].iloc[0]
    small = reliability([[1, 2], [2, 3], [3, 3]])
    assert "Terlalu sedikit" in small.summary()
    assert "Too few" in small.summary("en")
