"""Group-wise statistics from sufficient statistics, in one vectorised pass.

Every function here takes integer group codes (``0 … n_groups - 1``) and
numeric arrays, accumulates per-group sums with :func:`numpy.bincount`, and
derives the statistic for all groups at once. There is no Python loop per group
or per person; the only loops run over the items of a scale (``k`` is small).

The numbers equal Mutu's per-group functions, which are themselves checked
against R:

* :func:`alpha_by_group` — :func:`mutu.evaluation.reliability.reliability`
  with ``missing="pairwise"`` (R ``psych::alpha``): Cronbach's alpha,
  standardised alpha and the Feldt interval from the pairwise-complete
  covariance matrix of each group.
* :func:`paired_by_group` — the t-test part of
  :func:`mutu.evaluation.learning.paired_change` (R
  ``t.test(post, pre, paired = TRUE)``).

Where the per-group function raises (fewer than two respondents, an item
without variation, a pair of items nobody answered together), the group gets
NaN here instead, and ``ok`` is False.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from mutu.domain.errors import MutuValueError

__all__ = [
    "AlphaByGroup",
    "PairedByGroup",
    "alpha_by_group",
    "alpha_from_sums",
    "paired_by_group",
    "paired_from_sums",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
#: Sums may arrive as integers (counts) or floats.
NumArray = NDArray[Any]


def _check_codes(codes: NDArray[np.integer], n_groups: int, name: str) -> IntArray:
    out = np.asarray(codes, dtype=np.int64)
    if out.ndim != 1:
        raise MutuValueError(f"{name} harus satu dimensi.", f"{name} must be one-dimensional.")
    if out.size and (out.min() < 0 or out.max() >= n_groups):
        raise MutuValueError(
            f"Kode kelompok di luar 0…{n_groups - 1}.",
            f"Group codes outside 0…{n_groups - 1}.",
        )
    return out


@dataclass(frozen=True)
class AlphaByGroup:
    """Cronbach's alpha of one ``k``-item scale in every group (arrays of length ``n_groups``).

    ``n`` counts respondents with at least one answer (as ``psych::alpha`` with
    pairwise covariances); ``ok`` is False where the per-group function would
    refuse (then the figures are NaN).
    """

    n: IntArray
    k: int
    alpha: FloatArray
    alpha_standardized: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    ok: NDArray[np.bool_]
    #: groups × k × k pairwise-complete covariance matrices (NaN where a pair has < 2 rows).
    cov: FloatArray | None = None
    #: groups × k: answers per item (the diagonal of ``N_ij``).
    item_n: IntArray | None = None
    #: groups × k: mean of each item's answers (NaN without answers).
    item_mean: FloatArray | None = None


def alpha_by_group(
    groups: NDArray[np.integer],
    values: FloatArray,
    n_groups: int,
    *,
    confidence: float = 0.95,
) -> AlphaByGroup:
    r"""Cronbach's alpha per group from pairwise sufficient statistics.

    Parameters
    ----------
    groups
        Group code of each respondent (row), ``0 … n_groups - 1``.
    values
        Respondents × items (already reverse-keyed), NaN for a missing answer.
    n_groups
        Number of groups.
    confidence
        Level of the Feldt interval.

    Returns
    -------
    AlphaByGroup

    Notes
    -----
    For items :math:`i, j` and the rows of a group where both were answered,
    the group sums :math:`N_{ij}`, :math:`S_{ij} = \sum x_i`,
    :math:`S_{ji} = \sum x_j` and :math:`P_{ij} = \sum x_i x_j` give the
    pairwise-complete covariance
    :math:`C_{ij} = (P_{ij} - S_{ij} S_{ji} / N_{ij}) / (N_{ij} - 1)` (R
    ``cov(x, use = "pairwise")``). Values are centred on the item's overall
    mean first, which changes no covariance and keeps the sums small. Then
    :math:`\alpha = k/(k-1)\,(1 - \operatorname{tr} C / \sum C)`,
    :math:`\alpha_{std}` from ``cov2cor(C)``, and the Feldt interval with
    :math:`F(n-1, (n-1)(k-1))` (Feldt, Woodruff & Salih 1987).
    """
    if not 0.0 < confidence < 1.0:
        raise MutuValueError(
            "Tingkat kepercayaan harus di antara 0 dan 1.",
            "The confidence level must lie between 0 and 1.",
        )
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] < 2:
        raise MutuValueError(
            "Reliabilitas butuh paling sedikit dua butir (kolom).",
            "Reliability needs at least two items (columns).",
        )
    g = _check_codes(groups, n_groups, "groups")
    if g.size != x.shape[0]:
        raise MutuValueError(
            "Panjang kode kelompok dan baris jawaban berbeda.",
            "Group codes and answer rows differ in length.",
        )
    k = x.shape[1]
    present = ~np.isnan(x)
    with np.errstate(invalid="ignore"):
        centre = np.nanmean(x, axis=0) if x.shape[0] else np.zeros(k)
    centre = np.where(np.isnan(centre), 0.0, centre)
    # item columns contiguous (one column per item), so each pass reads memory in order
    z = np.asfortranarray(np.where(present, x - centre, 0.0))
    m = np.asfortranarray(present, dtype=np.float64)
    n_ij = np.zeros((n_groups, k, k))
    s_i = np.zeros((n_groups, k, k))
    s_j = np.zeros((n_groups, k, k))
    p_ij = np.zeros((n_groups, k, k))
    for i in range(k):
        for j in range(i, k):
            both = m[:, i] * m[:, j]
            n_ij[:, i, j] = n_ij[:, j, i] = np.bincount(g, weights=both, minlength=n_groups)
            s_i[:, i, j] = s_j[:, j, i] = np.bincount(g, weights=z[:, i] * both, minlength=n_groups)
            if i == j:  # the same sum: one bincount, not two
                s_j[:, i, i] = s_i[:, i, i]
            else:
                s_j[:, i, j] = s_i[:, j, i] = np.bincount(
                    g, weights=z[:, j] * both, minlength=n_groups
                )
            p_ij[:, i, j] = p_ij[:, j, i] = np.bincount(
                g, weights=z[:, i] * z[:, j], minlength=n_groups
            )
    n = np.bincount(g, weights=present.any(axis=1).astype(np.float64), minlength=n_groups)
    # an item without variation in a group is refused exactly (min == max), not by a
    # variance that rounding leaves at 1e-17
    frame = pd.DataFrame(x)
    spread = frame.groupby(g).max() - frame.groupby(g).min()
    varies = np.zeros((n_groups, k), dtype=bool)
    varies[spread.index.to_numpy(dtype=np.int64)] = spread.to_numpy() > 0
    res = alpha_from_sums(n_ij, s_i, s_j, p_ij, n, varies, confidence=confidence)
    item_n = np.diagonal(n_ij, axis1=1, axis2=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        item_mean = np.diagonal(s_i, axis1=1, axis2=2) / item_n + centre[None, :]
    return replace(res, item_mean=np.where(item_n > 0, item_mean, np.nan))


def alpha_from_sums(
    n_ij: NumArray,
    s_i: NumArray,
    s_j: NumArray,
    p_ij: NumArray,
    n: NumArray,
    varies: NDArray[np.bool_],
    *,
    confidence: float = 0.95,
) -> AlphaByGroup:
    r"""Cronbach's alpha per group, finished from the pairwise sufficient statistics.

    The second half of :func:`alpha_by_group`, shared with the SQL push-down
    (:mod:`mutu.evaluation.fast.pushdown`), which computes the same sums with
    ``GROUP BY``. Arrays are ``groups × k × k`` (symmetric in the sense
    ``s_i[g, i, j] == s_j[g, j, i]``): ``n_ij`` the rows where items ``i`` and
    ``j`` were both answered, ``s_i`` / ``s_j`` the sums of item ``i`` / ``j``
    over those rows, ``p_ij`` the sum of products; the diagonal holds item
    ``i`` alone. ``n`` counts respondents with at least one answer; ``varies``
    (groups × k) says whether an item's answers in the group are not all equal.
    The values may be centred by any constant per item (covariances do not change).
    """
    if not 0.0 < confidence < 1.0:
        raise MutuValueError(
            "Tingkat kepercayaan harus di antara 0 dan 1.",
            "The confidence level must lie between 0 and 1.",
        )
    n_groups, k = n_ij.shape[0], n_ij.shape[1]
    if k < 2:
        raise MutuValueError(
            "Reliabilitas butuh paling sedikit dua butir (kolom).",
            "Reliability needs at least two items (columns).",
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (p_ij - s_i * s_j / n_ij) / (n_ij - 1.0)
    cov = np.where(n_ij >= 2, cov, np.nan)
    n = np.asarray(n, dtype=np.float64)
    n_int = n.astype(np.int64)
    var = np.diagonal(cov, axis1=1, axis2=2)
    ok = (n_int >= 2) & ~np.isnan(cov).any(axis=(1, 2))
    ok &= np.asarray(varies, dtype=bool).all(axis=1)
    ok &= np.where(np.isnan(var), False, var > 0).all(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = cov.sum(axis=(1, 2))
        trace = var.sum(axis=1)
        alpha = k / (k - 1) * (1.0 - trace / total)
        sd = np.sqrt(var)
        corr_sum = (cov / (sd[:, :, None] * sd[:, None, :])).sum(axis=(1, 2))
        alpha_std = k / (k - 1) * (1.0 - k / corr_sum)
    gamma = 1.0 - confidence
    df1 = np.where(ok, n - 1.0, np.nan)
    df2 = df1 * (k - 1)
    ci_low = 1.0 - (1.0 - alpha) * stats.f.ppf(1.0 - gamma / 2.0, df1, df2)
    ci_high = 1.0 - (1.0 - alpha) * stats.f.ppf(gamma / 2.0, df1, df2)
    nan = np.full(n_groups, np.nan)
    return AlphaByGroup(
        n=n_int,
        k=k,
        alpha=np.where(ok, alpha, nan),
        alpha_standardized=np.where(ok, alpha_std, nan),
        ci_low=np.where(ok, ci_low, nan),
        ci_high=np.where(ok, ci_high, nan),
        ok=ok,
        cov=cov,
        item_n=np.diagonal(np.asarray(n_ij), axis1=1, axis2=2).astype(np.int64),
    )


@dataclass(frozen=True)
class PairedByGroup:
    """Paired pre/post change per group (differences post − pre), arrays of length ``n_groups``."""

    n: IntArray
    mean_pre: FloatArray
    mean_post: FloatArray
    mean_diff: FloatArray
    sd_diff: FloatArray
    t: FloatArray
    df: IntArray
    p_value: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    d_z: FloatArray
    ok: NDArray[np.bool_]


def complete_pairs(
    groups: NDArray[np.integer],
    pre: NDArray[np.float64],
    post: NDArray[np.float64],
    n_groups: int,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Checked group codes, pre and post as float64, pairs with a missing side left out."""
    g = _check_codes(groups, n_groups, "groups")
    a = np.asarray(pre, dtype=np.float64)
    b = np.asarray(post, dtype=np.float64)
    if not (a.shape == b.shape == g.shape):
        raise MutuValueError(
            "Panjang kode kelompok, pre dan post berbeda.",
            "Group codes, pre and post differ in length.",
        )
    keep = ~(np.isnan(a) | np.isnan(b))
    return g[keep], a[keep], b[keep]


def paired_by_group(
    groups: NDArray[np.integer],
    pre: FloatArray,
    post: FloatArray,
    n_groups: int,
    *,
    confidence: float = 0.95,
) -> PairedByGroup:
    r"""Paired t-test of post − pre for every group, from per-group n, Σd and Σd².

    Pairs with a missing side are left out. With the group sums
    :math:`n, \sum d, \sum d^2` (``d`` centred on a per-group pilot value, the
    group's first difference, so that the sums stay small):
    :math:`\bar d = \sum d / n`, :math:`s_d^2 = (\sum d^2 - n \bar d^2)/(n-1)`,
    :math:`t = \bar d / (s_d/\sqrt n)`, ``df = n - 1`` and the CI
    :math:`\bar d \pm t_{1-\gamma/2,df}\, s_d/\sqrt n` (R ``t.test``; Mutu's
    :func:`~mutu.evaluation.learning.paired_change`). Groups with ``n < 2`` or
    all differences equal get NaN.
    """
    if not 0.0 < confidence < 1.0:
        raise MutuValueError(
            "Tingkat kepercayaan harus di antara 0 dan 1.",
            "The confidence level must lie between 0 and 1.",
        )
    g, a, b = complete_pairs(groups, pre, post, n_groups)
    d = b - a
    n = np.bincount(g, minlength=n_groups).astype(np.float64)
    # pilot: the first difference of each group (any constant per group works)
    pilot = np.zeros(n_groups)
    first = np.unique(g, return_index=True)
    pilot[first[0]] = d[first[1]]
    dc = d - pilot[g]
    s1 = np.bincount(g, weights=dc, minlength=n_groups)
    s2 = np.bincount(g, weights=dc * dc, minlength=n_groups)
    sum_pre = np.bincount(g, weights=a, minlength=n_groups)
    sum_post = np.bincount(g, weights=b, minlength=n_groups)
    return paired_from_sums(n, s1, s2, pilot, sum_pre, sum_post, confidence=confidence)


def paired_from_sums(
    n: NumArray,
    s1: NumArray,
    s2: NumArray,
    pilot: NumArray,
    sum_pre: NumArray,
    sum_post: NumArray,
    *,
    confidence: float = 0.95,
) -> PairedByGroup:
    r"""The paired t-test per group, finished from ``n``, :math:`\sum (d-p)`, :math:`\sum (d-p)^2`.

    The second half of :func:`paired_by_group`, shared with the SQL push-down
    (:mod:`mutu.evaluation.fast.pushdown`): ``p`` is a per-group pilot
    constant (``pilot``; zero when the sums are of ``d`` itself), ``sum_pre``
    and ``sum_post`` the sums of the complete pairs' pre and post values.
    """
    if not 0.0 < confidence < 1.0:
        raise MutuValueError(
            "Tingkat kepercayaan harus di antara 0 dan 1.",
            "The confidence level must lie between 0 and 1.",
        )
    n = np.asarray(n, dtype=np.float64)
    n_groups = n.size
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_c = s1 / n
        var = (s2 - n * mean_c * mean_c) / (n - 1.0)
        var = np.where(var < 0, 0.0, var)
        sd = np.sqrt(var)
        ok = (n >= 2) & (sd > 0)
        mean_diff = mean_c + pilot
        se = sd / np.sqrt(n)
        t = mean_diff / se
    df = np.where(ok, n - 1.0, np.nan)
    crit = stats.t.ppf(0.5 + confidence / 2.0, df)
    nan = np.full(n_groups, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_pre = sum_pre / n
        mean_post = sum_post / n
    return PairedByGroup(
        n=n.astype(np.int64),
        mean_pre=np.where(n > 0, mean_pre, nan),
        mean_post=np.where(n > 0, mean_post, nan),
        mean_diff=np.where(n > 0, mean_diff, nan),
        sd_diff=np.where(ok, sd, nan),
        t=np.where(ok, t, nan),
        df=np.maximum(n - 1.0, 0).astype(np.int64),
        p_value=np.where(ok, 2.0 * stats.t.sf(np.abs(t), df), nan),
        ci_low=np.where(ok, mean_diff - crit * se, nan),
        ci_high=np.where(ok, mean_diff + crit * se, nan),
        d_z=np.where(ok, t / np.sqrt(n), nan),
        ok=ok,
    )
