"""Nearest-neighbour matching with replacement and the Abadie–Imbens standard error.

:func:`abadie_imbens` is the pure core of ``treatment_effect(method="matching")``
with replacement: every unit to be matched (everyone for the ATE, the
participants for the ATT) takes its nearest unit of the other group on one
scalar matching variable (the logit of the propensity score, the score itself,
or any single covariate); all units tied at the nearest distance are kept and
share the match (R ``Matching::Match(M = 1, ties = TRUE)``). The variance is
that of Abadie & Imbens (2006) with either their heteroskedasticity-robust
conditional variances (the default, as Stata ``teffects nnmatch``) or one
homoskedastic variance (R ``Matching`` with ``Var.calc = 0``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from mutu.domain.errors import MutuValueError
from mutu.evaluation.propensity import (
    VARIANCE_NEIGHBOURS,
    Estimand,
    check_estimand,
    nearest_blocks,
    within_variance,
)

__all__ = ["MatchingEstimate", "abadie_imbens"]

FloatArray = NDArray[np.float64]
ConditionalVariance = Literal["robust", "homoskedastic"]


@dataclass(frozen=True, eq=False)
class MatchingEstimate:
    """The matching estimate, its Abadie–Imbens standard error and the per-unit pieces.

    Arrays are in the order of the input units. ``k`` is :math:`K_i`, the number of
    units that unit ``i`` serves as a match (``1/m`` for each match shared by ``m``
    tied units); ``k_squared`` is :math:`K'_i`, the sum of those shares squared;
    ``sigma2`` the conditional variance used for each unit; ``weights`` the
    matching weights (ATE :math:`1 + K_i`; ATT 1 for participants and
    :math:`K_i` for comparison units).
    """

    estimate: float
    se: float
    estimand: str
    conditional_variance: str
    sample: bool
    n_treated: int
    n_control: int
    weights: FloatArray = field(repr=False)
    k: FloatArray = field(repr=False)
    k_squared: FloatArray = field(repr=False)
    sigma2: FloatArray = field(repr=False)


def abadie_imbens(
    score: Sequence[float] | FloatArray,
    y: Sequence[float] | FloatArray,
    treated: Sequence[bool] | NDArray[np.bool_],
    *,
    estimand: Estimand = "ATE",
    conditional_variance: ConditionalVariance = "robust",
    sample: bool = False,
    neighbours: int = VARIANCE_NEIGHBOURS,
) -> MatchingEstimate:
    r"""1-nearest-neighbour matching with replacement and the Abadie–Imbens (2006) variance.

    Parameters
    ----------
    score
        The scalar matching variable per unit (logit of the propensity score,
        the score, or one covariate).
    y
        The outcome per unit.
    treated
        True for participants, False for comparison units.
    estimand
        ``"ATE"`` (every unit is matched) or ``"ATT"`` (participants are matched).
    conditional_variance
        ``"robust"``: :math:`\hat\sigma^2_i = \frac{J}{J+1}(y_i - \bar y_{J(i)})^2`,
        the mean of the ``neighbours`` (:math:`J`) nearest units of the same
        group (Abadie & Imbens 2006, eq. 14; Stata ``vce(robust, nn(2))``;
        ties at the J-th distance are broken by score order).
        ``"homoskedastic"``: one :math:`\hat\sigma^2 = \frac{1}{2}\,
        \overline{(\hat\tau_{ij} - \hat\tau)^2}`, the matched-pair effects
        :math:`\hat\tau_{ij}` averaged with weight :math:`1/m_i` over the
        :math:`m_i` tied matches of each matched unit (R ``Matching::Match(...,
        Var.calc = 0)``).
    sample
        ``False``: variance for the population effect (AI 2006, Theorem 6);
        ``True``: for the sample effect, conditional on the covariates (AI 2006,
        Theorem 7; ``Match(..., sample = TRUE)``).
    neighbours
        :math:`J` for the robust conditional variance (default 2).

    Returns
    -------
    MatchingEstimate

    Notes
    -----
    With :math:`\hat\tau_i = \hat Y_i(1) - \hat Y_i(0)` (the observed outcome and
    the mean of the tied nearest matches), :math:`\hat\tau` their mean over the
    :math:`N` (ATE) or :math:`N_1` (ATT) matched units:

    * ATE, population: :math:`N^{-2}[\sum_i(\hat\tau_i-\hat\tau)^2
      + \sum_i(K_i^2 + 2K_i - K'_i)\hat\sigma^2_i]`; sample:
      :math:`N^{-2}\sum_i (1 + K_i)^2\hat\sigma^2_i`.
    * ATT, population: :math:`N_1^{-2}[\sum_{T=1}(\hat\tau_i-\hat\tau)^2
      + \sum_{T=0}(K_i^2 - K'_i)\hat\sigma^2_i]`; sample:
      :math:`N_1^{-2}[\sum_{T=1}\hat\sigma^2_i + \sum_{T=0}K_i^2\hat\sigma^2_i]`.

    The score is treated as known (no correction for an estimated propensity
    score, Abadie & Imbens 2016). No bias adjustment.

    References
    ----------
    Abadie, A., & Imbens, G. W. (2006). Large sample properties of matching
    estimators for average treatment effects. *Econometrica*, 74(1), 235–267.
    Sekhon, J. S. (2011). Multivariate and propensity score matching software
    with automated balance optimization: the Matching package for R. *JSS*,
    42(7).
    """
    check_estimand(estimand)
    if conditional_variance not in ("robust", "homoskedastic"):
        raise MutuValueError(
            f"Varians bersyarat tidak dikenal: {conditional_variance!r} "
            "(pilih 'robust' atau 'homoskedastic').",
            f"Unknown conditional variance: {conditional_variance!r} "
            "(choose 'robust' or 'homoskedastic').",
        )
    if isinstance(neighbours, bool) or not isinstance(neighbours, int) or neighbours < 1:
        raise MutuValueError(
            "Jumlah tetangga untuk varians bersyarat harus bilangan bulat ≥ 1.",
            "The number of neighbours for the conditional variance must be an integer ≥ 1.",
        )
    s = np.asarray(score, dtype=float)
    out = np.asarray(y, dtype=float)
    d = np.asarray(treated, dtype=bool)
    if s.ndim != 1 or s.shape != out.shape or s.shape != d.shape:
        raise MutuValueError(
            "Skor, hasil dan status perlakuan harus vektor yang sama panjang.",
            "The score, the outcome and the treatment status must be vectors of equal length.",
        )
    if not (np.isfinite(s).all() and np.isfinite(out).all()):
        raise MutuValueError(
            "Skor dan hasil tidak boleh kosong atau tak hingga.",
            "The score and the outcome must be finite (no missing values).",
        )
    t, c = np.flatnonzero(d), np.flatnonzero(~d)
    if min(len(t), len(c)) < 2:
        raise MutuValueError(
            "Perlu minimal 2 peserta dan 2 pembanding.",
            "At least 2 treated and 2 comparison units are needed.",
        )
    n = len(out)
    # Centring leaves every variance unchanged and keeps the block sums small.
    yc = out - out.mean()
    k, kk = np.zeros(n), np.zeros(n)
    tau_i = np.zeros(n)  # per matched unit: Yhat(1) - Yhat(0)
    spread = np.zeros(n)  # per matched unit: variance of its tied matches' outcomes
    to_c = nearest_blocks(s[c], s[t])  # comparison units nearest to each participant
    mean_c = to_c.mean_of(yc[c])
    tau_i[t] = yc[t] - mean_c
    spread[t] = to_c.mean_of(yc[c] ** 2) - mean_c**2
    k[c], kk[c] = to_c.usage(), to_c.usage_squared()
    if estimand == "ATE":
        to_t = nearest_blocks(s[t], s[c])  # participants nearest to each comparison unit
        mean_t = to_t.mean_of(yc[t])
        tau_i[c] = mean_t - yc[c]
        spread[c] = to_t.mean_of(yc[t] ** 2) - mean_t**2
        k[t], kk[t] = to_t.usage(), to_t.usage_squared()
        matched = np.ones(n, dtype=bool)
    else:
        matched = d.copy()
    spread = np.maximum(spread, 0.0)  # round-off below zero for identical matches
    n_matched = int(matched.sum())
    tau = float(tau_i[matched].mean())
    if conditional_variance == "robust":
        sigma2 = np.empty(n)
        sigma2[t] = within_variance(s[t], out[t], neighbours=neighbours)
        sigma2[c] = within_variance(s[c], out[c], neighbours=neighbours)
    else:
        dev = (tau_i[matched] - tau) ** 2 + spread[matched]
        sigma2 = np.full(n, 0.5 * float(dev.mean()))
    if estimand == "ATE":
        weights = 1.0 + k
        if sample:
            var = np.sum((1.0 + k) ** 2 * sigma2) / n**2
        else:
            var = (np.sum((tau_i - tau) ** 2) + np.sum((k**2 + 2 * k - kk) * sigma2)) / n**2
    else:
        weights = np.where(d, 1.0, k)
        if sample:
            var = (np.sum(sigma2[t]) + np.sum(k[c] ** 2 * sigma2[c])) / n_matched**2
        else:
            var = (
                np.sum((tau_i[t] - tau) ** 2) + np.sum((k[c] ** 2 - kk[c]) * sigma2[c])
            ) / n_matched**2
    return MatchingEstimate(
        estimate=tau,
        se=float(np.sqrt(var)),
        estimand=estimand,
        conditional_variance=conditional_variance,
        sample=bool(sample),
        n_treated=len(t),
        n_control=len(c),
        weights=weights,
        k=k,
        k_squared=kk,
        sigma2=sigma2,
    )
