"""adjust_pvalues against R p.adjust / multtest outputs and Benjamini & Hochberg (1995)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.multiple_testing import adjust_pvalues, rejections

# Benjamini & Hochberg (1995), section 4: the 15 p-values of the thrombolysis trial.
BH95 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
        0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000]  # fmt: skip


def test_bh95_rejections() -> None:
    # The paper (and evaluation-methods.md): BH rejects 4 at q = 0.05, Bonferroni 3, Holm 3.
    assert rejections(BH95, "bh").sum() == 4
    assert rejections(BH95, "bonferroni").sum() == 3
    assert rejections(BH95, "holm").sum() == 3
    assert rejections(BH95, "bh")[:4].all()


def test_bh95_adjusted_values() -> None:
    # scipy.stats.false_discovery_control docstring, same example, BH-adjusted values:
    bh = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714, 0.06385714, 0.0645,
          0.0765, 0.486, 0.58118182, 0.714875, 0.75323077, 0.81321429, 1.0]  # fmt: skip
    np.testing.assert_allclose(adjust_pvalues(BH95, "bh"), bh, atol=5e-9)
    # the same docstring multiplies by m = 15 for Bonferroni: 1.5e-3, 6e-3, 2.85e-2, 0.1425
    np.testing.assert_allclose(
        adjust_pvalues(BH95, "bonferroni")[:4], [1.5e-3, 6e-3, 2.85e-2, 0.1425], rtol=1e-12
    )


# R multtest::mt.rawp2adjp output for 10 p-values, recorded in statsmodels'
# statsmodels/stats/tests/test_multi.py (res_multtest1; columns rawp, Bonferroni, Holm,
# ..., BH). The rows are sorted by raw p.
RAW = [5.2365677720800003e-05, 2.8140506198000000e-04, 1.4987731079600001e-02,
       2.0273268879800001e-02, 1.7709695272300000e-01, 6.4219392379499995e-01,
       6.8084594763299999e-01, 7.1626938238000004e-01, 8.3854136755300002e-01,
       9.6783382430900000e-01]  # fmt: skip
R_BONF = [5.2365677720800005e-04, 2.8140506197999998e-03, 1.4987731079600000e-01,
          2.0273268879799999e-01, 1, 1, 1, 1, 1, 1]  # fmt: skip
R_HOLM = [5.2365677720800005e-04, 2.5326455578199999e-03, 1.1990184863680001e-01,
          1.4191288215860001e-01, 1, 1, 1, 1, 1, 1]  # fmt: skip
R_BH = [5.2365677720800005e-04, 1.4070253098999999e-03, 4.9959103598666670e-02,
        5.0683172199499998e-02, 3.5419390544599999e-01, 8.9533672797500008e-01,
        8.9533672797500008e-01, 8.9533672797500008e-01, 9.3171263061444454e-01,
        9.6783382430900000e-01]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "expected"), [("bonferroni", R_BONF), ("holm", R_HOLM), ("bh", R_BH)]
)
def test_r_multtest_values(method: str, expected: list[float]) -> None:
    shuffled = np.array([3, 0, 9, 5, 1, 8, 2, 7, 4, 6])  # order must not matter
    raw = np.asarray(RAW)[shuffled]
    np.testing.assert_allclose(
        adjust_pvalues(raw, method), np.asarray(expected)[shuffled], rtol=1e-12
    )


def test_r_p_adjust_unsorted_input() -> None:
    # R 4.5.2 p.adjust(c(0.01, 0.04, 0.03, 0.005), method = ...), as recorded in the
    # test suite of the Python package pystatistics ("All R reference values verified
    # against R 4.5.2"): holm 0.03 0.06 0.06 0.02; BH 0.02 0.04 0.04 0.02;
    # bonferroni 0.04 0.16 0.12 0.02. And p.adjust(c(.001,.01,.05,.1,.5,.9), "holm")
    # = 0.006 0.05 0.2 0.3 1 1, "BH" = 0.006 0.03 0.1 0.15 0.6 0.9.
    p = [0.01, 0.04, 0.03, 0.005]
    np.testing.assert_allclose(adjust_pvalues(p, "holm"), [0.03, 0.06, 0.06, 0.02], rtol=1e-12)
    np.testing.assert_allclose(adjust_pvalues(p, "bh"), [0.02, 0.04, 0.04, 0.02], rtol=1e-12)
    np.testing.assert_allclose(
        adjust_pvalues(p, "bonferroni"), [0.04, 0.16, 0.12, 0.02], rtol=1e-12
    )
    p1 = [0.001, 0.01, 0.05, 0.1, 0.5, 0.9]
    np.testing.assert_allclose(adjust_pvalues(p1), [0.006, 0.05, 0.2, 0.3, 1.0, 1.0], rtol=1e-12)
    np.testing.assert_allclose(
        adjust_pvalues(p1, "fdr"), [0.006, 0.03, 0.1, 0.15, 0.6, 0.9], rtol=1e-12
    )


def test_nan_is_kept_in_place_and_not_counted() -> None:
    # R: p.adjust(c(0.01, NA, 0.05), "holm") -> 0.02 NA 0.05 (n = number of non-NA)
    out = adjust_pvalues([0.01, np.nan, 0.05], "holm")
    assert np.isnan(out[1])
    np.testing.assert_allclose(out[[0, 2]], [0.02, 0.05])
    assert np.isnan(adjust_pvalues([np.nan, np.nan], "bh")).all()
    assert not rejections([0.001, np.nan], "bh")[1]


def test_series_keeps_index_and_monotone_capped() -> None:
    s = pd.Series([0.04, 0.001, 0.5, 0.03], index=list("abcd"), name="p")
    out = adjust_pvalues(s, "bh")
    assert isinstance(out, pd.Series)
    assert list(out.index) == list("abcd")
    assert out.name == "p"
    order = np.argsort(s.to_numpy())
    assert np.all(np.diff(out.to_numpy()[order]) >= 0)
    assert (adjust_pvalues(np.full(5, 0.9), "bonferroni") <= 1).all()


@pytest.mark.parametrize(("p", "method"), [([0.1], "hochberg"), ([1.2], "holm"), ([-0.1], "bh")])
def test_bad_input_is_refused(p: list[float], method: str) -> None:
    with pytest.raises(MutuValueError):
        adjust_pvalues(p, method)
