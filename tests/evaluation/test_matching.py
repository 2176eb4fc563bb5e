"""Abadie–Imbens matching against R ``Matching`` on the Dehejia–Wahba NSW sample.

Sources:

* R ``Matching`` (J. Sekhon), ``tests/testthat/test-AbadieImbens.R`` ("Replication of
  Guido Imbens lalonde_exper_04feb2.m file") and ``tests/AbadieImbens.Rout.save``::

      data(lalonde)                      # 445 rows, 185 treated
      Match(Y = lalonde$re78/1000, Tr = lalonde$treat, X = lalonde$age, estimand = "ATE",
            M = 1, BiasAdj = FALSE, Weight = 1, Var.calc = 0, sample = TRUE)

  ``expect_equal(rr$est[1,1], 1.7851911148121248907)``, ``expect_equal(rr$se,
  0.6867166773225281684)``, ``rr$weights[1:10]`` = 1/7 (seven times) then 1/16, and
  "Matched number of observations (unweighted). 5251".
* Data: Wooldridge ``jtrain2`` (``reference_data/jtrain2.csv``, see
  ``SOURCES_matching.md``) is the same 445 NSW rows in the same order; its ``re78`` is
  the 1978 earnings in thousands, stored as a 4-byte float. ``Matching::lalonde``
  holds the earnings to 6 significant digits (``head(lalonde)``: 9930.05, 3595.89,
  24909.50, 7506.15, 289.79; printed in P. Ding's matching exercise code), and so
  does ``jtrain2`` (9.93005, 3.59589, 24.9095, ...): rounding ``jtrain2.re78`` to 6
  significant digits gives ``lalonde$re78/1000`` exactly. (Unrounded, the float32
  noise moves the estimate by 2e-8.)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.effects import treatment_effect
from mutu.evaluation.matching import abadie_imbens
from mutu.evaluation.propensity import nearest_blocks, propensity_score

DATA = Path(__file__).parent / "reference_data"


@pytest.fixture(scope="module")
def nsw() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "jtrain2.csv")
    # 6 significant digits: the precision of Matching::lalonde (see the module notes).
    return frame.assign(re78=[float(f"{v:.6g}") for v in frame["re78"]])


def test_jtrain2_is_the_nsw_sample_of_matching_and_matchit(nsw: pd.DataFrame) -> None:
    assert len(nsw) == 445
    assert int(nsw["train"].sum()) == 185
    # The 185 participants are MatchIt::lalonde's NSW1..NSW185 (earnings in dollars
    # to 7 significant digits there), in the same order.
    matchit = pd.read_csv(DATA / "lalonde.csv")
    treated = matchit[matchit["treat"] == 1]
    part = nsw[nsw["train"] == 1]
    np.testing.assert_array_equal(part["age"].to_numpy(), treated["age"].to_numpy())
    dollars = 1000 * part["re78"].to_numpy()
    reference = treated["re78"].to_numpy()
    assert np.all(np.abs(dollars - reference) <= 5e-6 * np.maximum(reference, 1.0) + 1e-9)
    # head(lalonde) of R Matching: 9930.05, 3595.89, 24909.50, 7506.15, 289.79, 4056.49.
    np.testing.assert_allclose(
        dollars[:6], [9930.05, 3595.89, 24909.50, 7506.15, 289.79, 4056.49], rtol=1e-12
    )


def test_reproduces_matching_lalonde_exper_case_1(nsw: pd.DataFrame) -> None:
    age = nsw["age"].to_numpy(dtype=float)
    y = nsw["re78"].to_numpy()
    treated = nsw["train"].to_numpy() == 1
    r = abadie_imbens(
        age, y, treated, estimand="ATE", conditional_variance="homoskedastic", sample=True
    )
    assert r.estimate == pytest.approx(1.7851911148121248907, abs=1e-10)
    assert r.se == pytest.approx(0.6867166773225281684, abs=1e-10)
    assert (r.n_treated, r.n_control) == (185, 260)
    # Ties are all kept and share the match: the first participant (age 37) has seven
    # comparison units of age 37 (weight 1/7 each), the second (age 22) sixteen (1/16),
    # and the 445 matched units have 5251 matched pairs in all.
    to_c = nearest_blocks(age[~treated], age[treated])
    to_t = nearest_blocks(age[treated], age[~treated])
    assert to_c.size[:2].tolist() == [7, 16]
    assert int(to_c.size.sum() + to_t.size.sum()) == 5251
    # The weights count every unit once as itself plus its matching shares K_i.
    assert r.weights.sum() == pytest.approx(2 * 445)


def _matching_by_brute_force(
    x: np.ndarray, y: np.ndarray, t: np.ndarray, estimand: str, sample: bool
) -> tuple[float, float]:
    """R Matching's Rmatch() for M = 1, Var.calc = 0, transcribed literally (pair rows)."""
    n = len(y)
    iot_t = np.ones(n) if estimand == "ATE" else t.astype(float)
    iot_c = np.ones(n) if estimand == "ATE" else 1.0 - t
    kcount, kkcount, ycaus = np.zeros(n), np.zeros(n), np.zeros(n)
    pair_tau, pair_w = [], []
    for i in range(n):
        if estimand == "ATT" and not t[i]:
            continue
        other = np.flatnonzero(t != t[i])
        dist = (x[other] - x[i]) ** 2
        near = other[dist <= dist.min() + 1e-5]  # distance.tolerance
        kcount[near] += 1 / len(near)
        kkcount[near] += 1 / len(near) ** 2
        sign = 1.0 if t[i] else -1.0
        ycaus[i] = sign * (y[i] - y[near].mean())
        pair_tau += list(sign * (y[i] - y[near]))
        pair_w += [1 / len(near)] * len(near)
    w, tau_pair = np.array(pair_w), np.array(pair_tau)
    est = float(np.sum(w * tau_pair) / w.sum())
    sigs = 0.5 * np.sum(w * (tau_pair - est) ** 2) / w.sum()
    sn = iot_t.sum()
    if sample:
        var = np.sum(sigs * (iot_t + iot_c * kcount) ** 2) / sn**2
    else:
        extra = 2 * iot_c * kcount if estimand == "ATE" else 0.0
        var = np.sum(sigs * (iot_c * kcount**2 + extra - iot_c * kkcount)) / sn**2
        var += np.sum(iot_t * (ycaus - est) ** 2) / sn**2
    return est, float(np.sqrt(var))


@pytest.mark.parametrize("estimand", ["ATE", "ATT"])
@pytest.mark.parametrize("sample", [True, False])
def test_homoskedastic_variants_follow_matchings_formulas(estimand: str, sample: bool) -> None:
    rng = np.random.default_rng(4)
    n = 120
    x = rng.integers(18, 40, n).astype(float)  # an integer score: many ties
    t = rng.uniform(size=n) < 1 / (1 + np.exp(-(x - 28) / 5))
    y = 2.0 + 0.1 * x + 1.5 * t + rng.normal(size=n)
    r = abadie_imbens(
        x,
        y,
        t,
        estimand=estimand,  # type: ignore[arg-type]
        conditional_variance="homoskedastic",
        sample=sample,
    )
    est, se = _matching_by_brute_force(x, y, t, estimand, sample)
    assert r.estimate == pytest.approx(est, rel=1e-12)
    assert r.se == pytest.approx(se, rel=1e-10)


def test_treatment_effect_matching_is_abadie_imbens_on_the_logit(nsw: pd.DataFrame) -> None:
    frame = nsw.assign(age2=nsw["age"] ** 2)
    kwargs = {"outcome": "re78", "treatment": "train", "covariates": ["age", "age2"]}
    p = propensity_score(frame, treatment="train", covariates=["age", "age2"]).to_numpy()
    t = nsw["train"].to_numpy() == 1
    for estimand in ("ATE", "ATT"):
        r = treatment_effect(frame, method="matching", estimand=estimand, **kwargs)  # type: ignore[arg-type]
        ai = abadie_imbens(np.log(p / (1 - p)), nsw["re78"].to_numpy(), t, estimand=estimand)  # type: ignore[arg-type]
        assert r.estimate == ai.estimate
        assert r.se == ai.se
        assert ai.conditional_variance == "robust" and not ai.sample


@pytest.mark.parametrize(
    "kwargs",
    [
        {"estimand": "ATC"},
        {"conditional_variance": "hc"},
        {"neighbours": 0},
        {"neighbours": 1.5},
    ],
)
def test_bad_input_is_refused(kwargs: dict) -> None:
    x = np.arange(10.0)
    t = np.arange(10) % 2 == 0
    with pytest.raises(MutuValueError):
        abadie_imbens(x, x, t, **kwargs)


def test_bad_arrays_are_refused() -> None:
    x = np.arange(10.0)
    t = np.arange(10) % 2 == 0
    with pytest.raises(MutuValueError, match="equal length"):
        abadie_imbens(x, x[:-1], t)
    with pytest.raises(MutuValueError, match="finite"):
        abadie_imbens(np.where(t, np.nan, x), x, t)
    with pytest.raises(MutuValueError, match="At least 2 treated"):
        abadie_imbens(x, x, np.arange(10) == 0)
