"""Balance tables, propensity scores, weights and matching against MatchIt / WeightIt / cobalt.

Reference numbers are printed R outputs on ``MatchIt::lalonde`` (= ``cobalt::lalonde``):

* MatchIt vignette "MatchIt: Getting Started" (Greifer; kosukeimai/MatchIt
  ``articles/MatchIt.md``): ``summary(m.out0)`` and ``summary(m.out1, un = FALSE)``
  for ``matchit(treat ~ age + educ + race + married + nodegree + re74 + re75,
  data = lalonde, method = NULL / "nearest", distance = "glm")``.
* WeightIt vignette "Using WeightIt to Estimate Balancing Weights"
  (ngreifer/WeightIt ``articles/WeightIt.md``): ``weightit(..., estimand = "ATT",
  method = "glm")`` with ``summary(W.out)`` and ``bal.tab(W.out, stats = c("m", "v"))``.
* WeightIt README (ngreifer/WeightIt ``README.md``): ``weightit(..., method = "ps",
  estimand = "ATE")`` with ``summary(W)`` and ``bal.tab(W, un = TRUE)``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.balance import balance
from mutu.evaluation.propensity import (
    covariate_matrix,
    ipw_weights,
    match_nearest,
    propensity_score,
)

DATA = Path(__file__).parent / "reference_data"
COVS = ["age", "educ", "race", "married", "nodegree", "re74", "re75"]


@pytest.fixture(scope="module")
def lalonde() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "lalonde.csv")
    frame["distance"] = propensity_score(frame, treatment="treat", covariates=COVS)
    return frame


# MatchIt vignette, summary(m.out0): Means Treated, Means Control, Std. Mean Diff., Var. Ratio.
MATCHIT_ALL = {
    "distance": (0.5774, 0.1822, 1.7941, 0.9211),
    "age": (25.8162, 28.0303, -0.3094, 0.4400),
    "educ": (10.3459, 10.2354, 0.0550, 0.4959),
    "race_black": (0.8432, 0.2028, 1.7615, np.nan),
    "race_hispan": (0.0595, 0.1422, -0.3498, np.nan),
    "race_white": (0.0973, 0.6550, -1.8819, np.nan),
    "married": (0.1892, 0.5128, -0.8263, np.nan),
    "nodegree": (0.7081, 0.5967, 0.2450, np.nan),
    "re74": (2095.5737, 5619.2365, -0.7211, 0.5181),
    "re75": (1532.0553, 2466.4844, -0.2903, 0.9563),
}
# MatchIt vignette, summary(m.out1, un = FALSE): 1:1 nearest neighbour without replacement.
MATCHIT_NN = {
    "distance": (0.5774, 0.3629, 0.9739, 0.7566),
    "age": (25.8162, 25.3027, 0.0718, 0.4568),
    "educ": (10.3459, 10.6054, -0.1290, 0.5721),
    "race_black": (0.8432, 0.4703, 1.0259, np.nan),
    "race_hispan": (0.0595, 0.2162, -0.6629, np.nan),
    "race_white": (0.0973, 0.3135, -0.7296, np.nan),
    "married": (0.1892, 0.2108, -0.0552, np.nan),
    "nodegree": (0.7081, 0.6378, 0.1546, np.nan),
    "re74": (2095.5737, 2342.1076, -0.0505, 1.3289),
    "re75": (1532.0553, 1614.7451, -0.0257, 1.4956),
}


def _check(table: pd.DataFrame, expected: dict[str, tuple[float, float, float, float]]) -> None:
    for name, (m_t, m_c, smd, vr) in expected.items():
        row = table.loc[name]
        # MatchIt prints 4 decimals: agree to half a unit in the last printed digit.
        assert row.mean_treated == pytest.approx(m_t, abs=5e-5), name
        assert row.mean_control == pytest.approx(m_c, abs=5e-5), name
        assert row.smd == pytest.approx(smd, abs=5e-5), name
        if np.isnan(vr):
            assert np.isnan(row.var_ratio)
            assert row.binary
        else:
            assert row.var_ratio == pytest.approx(vr, abs=5e-5), name


def test_unadjusted_balance_matches_matchit(lalonde: pd.DataFrame) -> None:
    table = balance(lalonde, treatment="treat", covariates=["distance", *COVS])
    _check(table, MATCHIT_ALL)
    assert table.attrs["n_treated"] == 185
    assert table.attrs["n_control"] == 429
    assert table.loc["educ", "flag"] == bool(abs(0.0550) > 0.1)
    assert table.loc["age", "flag"]


def test_nearest_neighbour_matching_reproduces_matchit(lalonde: pd.DataFrame) -> None:
    # matchit(method = "nearest") matches on the propensity score, largest score first.
    weights, matches = match_nearest(lalonde["distance"], lalonde["treat"] == 1, replace=False)
    assert sum(len(m) for m in matches) == 185  # "Matched 185 185", "Unmatched 244 0"
    assert (weights[lalonde["treat"] == 0] > 0).sum() == 185
    table = balance(lalonde, treatment="treat", covariates=["distance", *COVS], weights=weights)
    _check(table, MATCHIT_NN)
    assert table.attrs["ess_control"] == pytest.approx(185)


def test_att_glm_weights_match_weightit_and_cobalt(lalonde: pd.DataFrame) -> None:
    w = ipw_weights(lalonde, treatment="treat", covariates=COVS, estimand="ATT")
    control = np.sort(w[lalonde["treat"] == 0].to_numpy())
    # summary(W.out): 5 largest control weights 3.03 3.059 3.24 3.523 3.743; treated all 1.
    assert control[-5:] == pytest.approx([3.03, 3.059, 3.24, 3.523, 3.743], abs=5e-4)
    assert control[0] == pytest.approx(0.009, abs=5e-4)
    assert (w[lalonde["treat"] == 1] == 1).all()
    table = balance(lalonde, treatment="treat", covariates=["distance", *COVS], weights=w)
    assert table.attrs["ess_control"] == pytest.approx(99.82, abs=5e-3)  # "Weighted 99.82"
    # bal.tab(W.out, stats = c("m", "v")): Diff.Adj (SMD for continuous with the treated SD,
    # raw difference in proportions for binary covariates) and V.Ratio.Adj, 3 decimals.
    smd = {"distance": -0.021, "age": 0.119, "educ": -0.028, "re74": -0.002, "re75": 0.011}
    for name, value in smd.items():
        assert table.loc[name, "smd"] == pytest.approx(value, abs=5e-4), name
    raw = {"race_black": -0.002, "race_hispan": 0.000, "race_white": 0.002, "married": 0.019,
           "nodegree": 0.018}  # fmt: skip
    for name, value in raw.items():
        diff = table.loc[name, "mean_treated"] - table.loc[name, "mean_control"]
        assert diff == pytest.approx(value, abs=5e-4), name
    ratios = {"distance": 1.032, "age": 0.458, "educ": 0.664, "re74": 1.321, "re75": 1.394}
    for name, value in ratios.items():
        assert table.loc[name, "var_ratio"] == pytest.approx(value, abs=5e-4), name


def test_ate_weights_match_weightit_readme(lalonde: pd.DataFrame) -> None:
    w = ipw_weights(lalonde, treatment="treat", covariates=COVS, estimand="ATE")
    treated, control = w[lalonde["treat"] == 1], w[lalonde["treat"] == 0]
    # summary(W): treated 1.1721 ... 40.0773, control 1.0092 ... 4.7432.
    assert treated.min() == pytest.approx(1.1721, abs=5e-5)
    assert treated.max() == pytest.approx(40.0773, abs=5e-5)
    assert control.min() == pytest.approx(1.0092, abs=5e-5)
    assert control.max() == pytest.approx(4.7432, abs=5e-5)
    table = balance(lalonde, treatment="treat", covariates=["distance", *COVS], weights=w)
    # "Weighted 329.01 58.33" (effective sample sizes).
    assert table.attrs["ess_control"] == pytest.approx(329.008, abs=5e-4)
    assert table.attrs["ess_treated"] == pytest.approx(58.327, abs=5e-4)
    # bal.tab(W, un = TRUE) Diff.Adj: for the ATE cobalt standardises continuous covariates
    # by the pooled SD sqrt((s1^2 + s0^2)/2) of the unweighted groups; binary: raw difference.
    x, names, _ = covariate_matrix(lalonde, ["distance", *COVS], drop_first=False)
    t = lalonde["treat"].to_numpy() == 1
    pooled = np.sqrt((x[t].var(axis=0, ddof=1) + x[~t].var(axis=0, ddof=1)) / 2)
    pooled_of = dict(zip(names, pooled, strict=True))
    diff = table["mean_treated"] - table["mean_control"]
    cont = {"distance": 0.1360, "age": -0.1676, "educ": 0.1296, "re74": -0.2740, "re75": -0.1579}
    for name, value in cont.items():
        assert diff[name] / pooled_of[name] == pytest.approx(value, abs=5e-5), name
    binary = {"nodegree": -0.0547, "married": -0.0944, "race_black": 0.0499,
              "race_hispan": 0.0047, "race_white": -0.0546}  # fmt: skip
    for name, value in binary.items():
        assert diff[name] == pytest.approx(value, abs=5e-5), name


def test_matching_with_replacement_keeps_all_ties() -> None:
    score = np.array([0.0, 1.0, 0.5, 0.5, 2.0, 5.0])
    treated = np.array([True, True, False, False, False, False])
    weights, matches = match_nearest(score, treated, replace=True)
    # treated 0 (score 0) is equally near the two controls at 0.5: both, half a match each;
    # treated 1 (score 1) is nearer to 0.5 (distance 0.5) than to 2 (distance 1).
    assert [m.tolist() for m in matches] == [[2, 3], [2, 3]]
    assert weights.tolist() == [1.0, 1.0, 1.0, 1.0, 0.0, 0.0]
    weights, matches = match_nearest(score, treated, replace=False, order="data")
    assert [m.tolist() for m in matches] == [[2], [3]]


def test_binary_smd_uses_treated_proportion() -> None:
    frame = pd.DataFrame({"t": [1, 1, 1, 1, 0, 0, 0, 0], "x": [1, 1, 0, 0, 0, 0, 0, 1]})
    row = balance(frame, treatment="t", covariates=["x"]).loc["x"]
    # (0.5 - 0.25) / sqrt(0.5 * 0.5)
    assert row.smd == pytest.approx(0.5)
    assert np.isnan(row.var_ratio)
    assert row.flag


def test_balance_refuses_bad_input(lalonde: pd.DataFrame) -> None:
    with pytest.raises(MutuValueError, match="Columns not found"):
        balance(lalonde, treatment="treat", covariates=["nope"])
    with pytest.raises(MutuValueError, match="constant"):
        balance(lalonde.assign(k=1), treatment="treat", covariates=["k"])
    with pytest.raises(MutuValueError, match="0/1"):
        balance(lalonde, treatment="age", covariates=["educ"])
    with pytest.raises(MutuValueError, match="non-negative"):
        balance(lalonde, treatment="treat", covariates=["age"], weights=-np.ones(len(lalonde)))
    with pytest.raises(MutuValueError, match="one value per row"):
        balance(lalonde, treatment="treat", covariates=["age"], weights=[1.0, 2.0])
    with pytest.raises(MutuValueError, match="at least one covariate"):
        balance(lalonde, treatment="treat", covariates=[])
    with pytest.raises(MutuValueError, match="no complete rows"):
        balance(lalonde.assign(age=np.nan), treatment="treat", covariates=["age"])
