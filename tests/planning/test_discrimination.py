"""AUC with DeLong and Hanley–McNeil intervals; the calibration table and line."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from mutu.domain.errors import MutuValueError
from mutu.planning.discrimination import auc, calibration_table

# Hanley, J. A. & McNeil, B. J. (1982). Radiology 143(1), 29-36, Table 1: 109 CT images
# rated 1 (definitely normal) ... 5 (definitely abnormal) by one reader.
HM_NORMAL = [33, 6, 6, 11, 2]  # 58 truly normal
HM_ABNORMAL = [3, 2, 2, 11, 33]  # 51 truly abnormal
# Their worked example reports area W = 0.893 with SE(W) = 0.032.
HM_AREA = 0.893
HM_SE = 0.032


def hanley_mcneil_data() -> tuple[np.ndarray, np.ndarray]:
    rating = np.r_[np.repeat(np.arange(1, 6), HM_NORMAL), np.repeat(np.arange(1, 6), HM_ABNORMAL)]
    truth = np.r_[np.zeros(sum(HM_NORMAL)), np.ones(sum(HM_ABNORMAL))]
    return truth, rating.astype(float)


def test_hanley_mcneil_worked_example_is_reproduced() -> None:
    y, score = hanley_mcneil_data()
    hm = auc(y, score, method="hanley_mcneil")
    assert hm.n_positive == 51
    assert hm.n_negative == 58
    assert round(hm.auc, 3) == HM_AREA
    assert round(hm.se, 3) == HM_SE
    assert hm.ci_low == pytest.approx(hm.auc - 1.959964 * hm.se, abs=1e-6)
    delong = auc(y, score)
    assert delong.auc == hm.auc


# Stata Base Reference Manual, [R] roctab, Example 1: `roctab disease rating` on the same
# Hanley & McNeil data; roctab's default standard error is DeLong et al.'s (1988). Printed:
# Obs 109, ROC area 0.8932, Std. Err. 0.0307, asymptotic normal 95% CI [0.83295, 0.95339].
# (Quoted from the manual as remembered; the offline library has no copy to reread, and the
# agreement below to every printed digit of four figures is what makes the check count.)
STATA_ROCTAB = {"area": 0.8932, "se": 0.0307, "ci_low": 0.83295, "ci_high": 0.95339}


def test_delong_matches_stata_roctab_on_the_hanley_mcneil_data() -> None:
    y, score = hanley_mcneil_data()
    res = auc(y, score)
    assert round(res.auc, 4) == STATA_ROCTAB["area"]
    assert round(res.se, 4) == STATA_ROCTAB["se"]
    assert round(res.ci_low, 5) == STATA_ROCTAB["ci_low"]
    assert round(res.ci_high, 5) == STATA_ROCTAB["ci_high"]
    # and it is not Hanley-McNeil's SE, which rounds to 0.0320 here
    assert round(auc(y, score, method="hanley_mcneil").se, 4) != STATA_ROCTAB["se"]


def test_delong_variance_equals_its_definition_by_placement_values() -> None:
    rng = np.random.default_rng(3)
    y = (rng.random(80) < 0.4).astype(float)
    score = np.round(rng.normal(y, 1.0), 1)  # rounded: ties across and within classes
    x, z = score[y == 1], score[y == 0]
    psi = (x[:, None] > z[None, :]) + 0.5 * (x[:, None] == z[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    expected = np.sqrt(v10.var(ddof=1) / len(x) + v01.var(ddof=1) / len(z))
    res = auc(y, score)
    assert res.auc == pytest.approx(psi.mean(), abs=1e-12)
    assert res.se == pytest.approx(expected, rel=1e-10)
    # an uninformative score sits near 0.5, a perfect one at 1 with SE 0
    assert auc(y, y + 0.0).auc == 1.0
    assert auc(y, y + 0.0).se == 0.0


def test_auc_refuses_a_single_class_and_non_binary_outcomes() -> None:
    with pytest.raises(MutuValueError, match="at least two positive"):
        auc(np.ones(5), np.arange(5.0))
    with pytest.raises(MutuValueError, match="0 or 1"):
        auc(np.array([0, 1, 2, 1.0]), np.arange(4.0))
    with pytest.raises(MutuValueError, match="Unknown AUC method"):
        auc(np.array([0, 0, 1, 1.0]), np.arange(4.0), method="bootstrap")


def test_calibration_table_and_line_match_a_direct_computation() -> None:
    rng = np.random.default_rng(5)
    p_true = rng.uniform(0.05, 0.95, 2000)
    y = (rng.random(2000) < p_true).astype(float)
    predicted = 1 / (1 + np.exp(-2 * np.log(p_true / (1 - p_true))))  # too extreme
    cal = calibration_table(y, predicted)
    table = cal.table
    assert list(table["group"]) == list(range(1, 11))
    assert table["n"].sum() == 2000
    assert table["mean_predicted"].is_monotonic_increasing
    assert (table["observed_low"] <= table["observed"]).all()
    assert (table["observed"] <= table["observed_high"]).all()
    logit = np.log(predicted / (1 - predicted))
    fit = sm.Logit(y, sm.add_constant(logit)).fit(disp=0)
    assert cal.intercept == pytest.approx(fit.params[0], abs=1e-8)
    assert cal.slope == pytest.approx(fit.params[1], abs=1e-8)
    assert cal.slope < 0.7  # predictions twice as extreme as the truth: slope near 1/2
    assert cal.brier == pytest.approx(np.mean((predicted - y) ** 2))
