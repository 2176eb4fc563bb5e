"""Covariate balance between a treated and a comparison group, before and after adjustment.

The table follows R ``MatchIt``'s ``summary.matchit`` (and ``cobalt`` for the
ATT): the standardised mean difference divides by the *treated* group's
standard deviation in the unadjusted sample (for a binary covariate
:math:`\\sqrt{p(1-p)}` of the treated), so the denominator does not move when
weights change; the variance ratio is treated over control, weighted when
weights are given, and NaN for binary covariates. ``|SMD| > 0.1`` is flagged.
Use it before and after adjustment: matching weights (from
:func:`mutu.evaluation.propensity.match_nearest`) or inverse-probability
weights (:func:`mutu.evaluation.propensity.ipw_weights`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mutu.domain.errors import MutuValueError
from mutu.evaluation.propensity import covariate_matrix, select_complete, treatment_indicator

__all__ = ["SMD_THRESHOLD", "balance"]

#: Standardised mean differences beyond this (in absolute value) are flagged (Austin 2011).
SMD_THRESHOLD = 0.1

FloatArray = NDArray[np.float64]


def _weighted_stats(x: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Weighted column means and 'reliability-weight' unbiased variances (as cobalt/MatchIt)."""
    sw = w.sum()
    mean = (w @ x) / sw
    dev2 = (x - mean) ** 2
    denom = sw - (w**2).sum() / sw
    var = (w @ dev2) / denom if denom > 0 else np.full(x.shape[1], np.nan)
    return mean, var


def balance(
    data: pd.DataFrame,
    *,
    treatment: str,
    covariates: Sequence[str],
    weights: str | Sequence[float] | NDArray[np.float64] | pd.Series | None = None,
) -> pd.DataFrame:
    """Balance table of covariates between treated and comparison units.

    Parameters
    ----------
    data
        One row per unit.
    treatment
        Column holding 1 for treated (participants) and 0 for comparison units.
    covariates
        Covariate columns; text or categorical columns are expanded to one 0/1
        column per level (named ``"<column>_<level>"``).
    weights
        Optional non-negative weights (a column name or one value per row of
        ``data``): inverse-probability weights, or matching weights (0 for
        unmatched units). Rows with missing values are dropped first.

    Returns
    -------
    pandas.DataFrame
        Indexed by covariate, with ``mean_treated``, ``mean_control``
        (weighted when weights are given), ``smd``, ``var_ratio``, ``binary`` and
        ``flag`` (``|smd| > 0.1``). ``attrs`` holds ``n_treated``, ``n_control``,
        ``ess_treated``, ``ess_control`` (Kish effective sample sizes
        :math:`(\\sum w)^2 / \\sum w^2`) and ``weighted``.

    Notes
    -----
    MatchIt conventions (Ho, Imai, King & Stuart 2011; Stuart 2010):

    .. math::

        \\mathrm{SMD} = \\frac{\\bar x_{1,w} - \\bar x_{0,w}}{s_1},\\qquad
        s_1 = \\mathrm{sd}(x \\mid T=1) \\text{ or } \\sqrt{p_1(1-p_1)} \\text{ (binary)},

    where :math:`s_1` is computed in the unweighted treated sample (if it is 0,
    the pooled :math:`\\sqrt{(s_1^2+s_0^2)/2}` is used). The variance ratio is
    :math:`s^2_{1,w} / s^2_{0,w}` with weighted variances
    :math:`\\sum w (x-\\bar x_w)^2 / (\\sum w - \\sum w^2 / \\sum w)`.

    References
    ----------
    Austin, P. C. (2011). An introduction to propensity score methods for reducing
    the effects of confounding in observational studies. *Multivariate Behavioral
    Research*, 46(3), 399–424. Greifer, N. MatchIt ``summary.matchit`` and cobalt
    ``bal.tab`` documentation.
    """
    columns = [treatment, *covariates]
    weight_col: str | None = weights if isinstance(weights, str) else None
    if weight_col is not None:
        columns.append(weight_col)
    if weights is not None and weight_col is None:
        w_all = np.asarray(weights, dtype=float)
        if w_all.ndim != 1 or len(w_all) != len(data):
            raise MutuValueError(
                "Panjang bobot harus sama dengan jumlah baris data.",
                "The weights must have one value per row of the data.",
            )
        data = data.assign(__weights__=w_all)
        weight_col = "__weights__"
        columns.append(weight_col)
    if not covariates:
        raise MutuValueError("Sebutkan minimal satu kovariat.", "Name at least one covariate.")
    frame, _ = select_complete(data, columns)
    treated = treatment_indicator(frame[treatment])
    x, names, binary = covariate_matrix(frame, covariates, drop_first=False)
    w = np.ones(len(frame)) if weight_col is None else frame[weight_col].to_numpy(dtype=float)
    if not np.all(np.isfinite(w)) or (w < 0).any():
        raise MutuValueError(
            "Bobot harus berupa bilangan tak negatif.", "Weights must be non-negative numbers."
        )
    wt, wc = w[treated], w[~treated]
    if wt.sum() <= 0 or wc.sum() <= 0:
        raise MutuValueError(
            "Semua bobot salah satu kelompok bernilai nol.",
            "All weights of one group are zero.",
        )
    xt, xc = x[treated], x[~treated]
    mean_t, var_t = _weighted_stats(xt, wt)
    mean_c, var_c = _weighted_stats(xc, wc)
    # Denominator from the unweighted treated sample, as MatchIt (it must not move with weights).
    p_t = xt.mean(axis=0)
    sd_t = np.where(binary, np.sqrt(np.clip(p_t * (1 - p_t), 0, None)), xt.std(axis=0, ddof=1))
    sd_pooled = np.sqrt((xt.var(axis=0, ddof=1) + xc.var(axis=0, ddof=1)) / 2)
    denom = np.where(sd_t > 0, sd_t, sd_pooled)
    with np.errstate(divide="ignore", invalid="ignore"):
        smd = (mean_t - mean_c) / denom  # ±inf when the covariate separates the groups
    with np.errstate(divide="ignore", invalid="ignore"):
        var_ratio = np.where(binary, np.nan, var_t / var_c)
    table = pd.DataFrame(
        {
            "mean_treated": mean_t,
            "mean_control": mean_c,
            "smd": smd,
            "var_ratio": var_ratio,
            "binary": binary,
            "flag": np.abs(smd) > SMD_THRESHOLD,
        },
        index=pd.Index(names, name="covariate"),
    )
    table.attrs.update(
        n_treated=int(treated.sum()),
        n_control=int((~treated).sum()),
        ess_treated=float(wt.sum() ** 2 / (wt**2).sum()),
        ess_control=float(wc.sum() ** 2 / (wc**2).sum()),
        weighted=weight_col is not None,
    )
    return table
