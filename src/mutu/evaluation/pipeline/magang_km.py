"""Weighted Kaplan–Meier medians for many bootstrap resamples at once.

Helpers of :mod:`mutu.evaluation.pipeline.magang`. Times are whole months;
an event recorded at month ``k`` happened during month ``k`` (the monthly
assessment found the standard met, so it was reached in ``(k − 1, k]``). The
median is read off the Kaplan–Meier curve by linear interpolation inside the
month in which it crosses 0.5 — the continuous-time median under a uniform
spread of events within the month — instead of the step function's integer
month, which would round every median (and every difference) to whole months.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["batched_logit", "stratified_counts", "weighted_km_medians"]

FloatArray = NDArray[np.float64]
#: Propensity scores are kept inside [EPS, 1 − EPS] (ATT odds weights stay finite).
EPS = 1e-6


def stratified_counts(groups: NDArray[np.int64], n_resamples: int, seed: int) -> FloatArray:
    """Resample counts (row 0 = the data, rows 1… = resamples within each group)."""
    rng = np.random.default_rng(seed)
    n = len(groups)
    counts = np.zeros((n_resamples + 1, n))
    counts[0] = 1.0
    rows = np.arange(1, n_resamples + 1)
    for g in np.unique(groups):
        ids = np.flatnonzero(groups == g)
        draws = ids[rng.integers(0, len(ids), size=(n_resamples, len(ids)))]
        np.add.at(counts, (np.repeat(rows, len(ids)), draws.ravel()), 1.0)
    return counts


def batched_logit(x: FloatArray, y: FloatArray, counts: FloatArray, iters: int = 50) -> FloatArray:
    """Logistic propensity scores fitted by Newton for every row of ``counts`` (frequency weights).

    ``x`` includes the intercept. Returns resamples × observations scores,
    clipped to [EPS, 1 − EPS]. A tiny ridge keeps a resample without some
    category level solvable (its coefficient stays near 0).
    """
    b, k = counts.shape[0], x.shape[1]
    beta = np.zeros((b, k))
    ridge = 1e-8 * np.eye(k)
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(beta @ x.T, -30, 30)))
        grad = (counts * (y[None, :] - p)) @ x
        hess = np.einsum("bn,ni,nj->bij", counts * p * (1 - p), x, x) + ridge
        step = np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
        beta += step
        if np.abs(step).max() < 1e-9:
            break
    p = 1.0 / (1.0 + np.exp(-np.clip(beta @ x.T, -30, 30)))
    return np.asarray(np.clip(p, EPS, 1 - EPS), dtype=float)


def _survival(d: FloatArray, total: FloatArray) -> FloatArray:
    """Kaplan–Meier survival per grid time from events and totals (rows × grid)."""
    at_risk = total[:, ::-1].cumsum(axis=1)[:, ::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(at_risk > 0, 1.0 - d / at_risk, 1.0)
    return np.asarray(np.cumprod(step, axis=1), dtype=float)


def _crossing(grid: FloatArray, surv: FloatArray, level: float) -> FloatArray:
    """Time at which each row's curve falls to ``level``, interpolated within the month."""
    hit = surv <= level
    first = np.where(hit.any(axis=1), hit.argmax(axis=1), -1)
    out = np.full(surv.shape[0], np.nan)
    ok = np.flatnonzero(first >= 0)
    k = first[ok]
    s_k = surv[ok, k]
    s_before = np.where(k > 0, surv[ok, np.maximum(k - 1, 0)], 1.0)
    out[ok] = (grid[k] - 1.0) + (s_before - level) / (s_before - s_k)
    return out


def _medians_from_counts(grid: FloatArray, d: FloatArray, total: FloatArray) -> FloatArray:
    """Interpolated medians from events and totals per grid time (rows × grid)."""
    return _crossing(grid, _survival(d, total), 0.5)


def density_at_median(time: FloatArray, event: FloatArray, weights: FloatArray) -> float:
    r"""Density of the weighted Kaplan–Meier distribution at its median (NaN if not estimable).

    From the interquantile spacing :math:`\hat f(m) = 0.3 / (\hat Q(0.65) - \hat Q(0.35))`
    (the "sparsity" estimate of the variance of a sample median, :math:`1 / (4 n f(m)^2)`);
    the 0.35 quantile and the median give it when the 0.65 quantile is not reached.
    """
    grid, pos = np.unique(time, return_inverse=True)
    d = np.bincount(pos, weights=weights * event, minlength=len(grid)).astype(float)
    total = np.bincount(pos, weights=weights, minlength=len(grid)).astype(float)
    surv = _survival(d[None, :], total[None, :])
    q35, q50, q65 = (float(_crossing(grid, surv, 1 - p)[0]) for p in (0.35, 0.5, 0.65))
    if np.isfinite(q65) and q65 > q35:
        return 0.3 / (q65 - q35)
    if np.isfinite(q50) and q50 > q35:
        return 0.15 / (q50 - q35)
    return float("nan")


def weighted_km_medians(time: FloatArray, event: FloatArray, weights: FloatArray) -> FloatArray:
    """Interpolated Kaplan–Meier medians, one per row of ``weights`` (resamples × observations).

    NaN where the curve never reaches 0.5.
    """
    grid, pos = np.unique(time, return_inverse=True)
    onehot = np.zeros((len(time), len(grid)))
    onehot[np.arange(len(time)), pos] = 1.0
    d = (weights * event[None, :]) @ onehot
    total = weights @ onehot
    return _medians_from_counts(grid, d, total)


def km_medians_rows(time: FloatArray, event: FloatArray) -> FloatArray:
    """Interpolated Kaplan–Meier medians of each row of ``time``/``event`` (rows × persons)."""
    grid, pos = np.unique(time, return_inverse=True)
    pos = pos.reshape(time.shape)
    rows = np.repeat(np.arange(time.shape[0]), time.shape[1])
    d = np.zeros((time.shape[0], len(grid)))
    total = np.zeros((time.shape[0], len(grid)))
    np.add.at(d, (rows, pos.ravel()), event.ravel())
    np.add.at(total, (rows, pos.ravel()), 1.0)
    return _medians_from_counts(grid, d, total)


def untreated_median_spread(
    time: FloatArray,
    event: FloatArray,
    weights: FloatArray,
    follow_up: FloatArray,
    n_draws: int,
    seed: int,
) -> float:
    """Variance of the participants' own untreated median, which is never observed.

    The weighted comparison Kaplan–Meier curve stands in for the participants'
    untreated distribution; ``n_draws`` times, one untreated time per
    participant is drawn from it (inverse CDF; the mass beyond the last event
    is "not reached"), censored at that participant's own follow-up, and the
    interpolated median taken. Returns the variance of those medians.
    """
    grid, pos = np.unique(time, return_inverse=True)
    d = np.bincount(pos, weights=weights * event, minlength=len(grid))
    total = np.bincount(pos, weights=weights, minlength=len(grid))
    at_risk = total[::-1].cumsum()[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(np.where(at_risk > 0, 1.0 - d / at_risk, 1.0))
    rng = np.random.default_rng(seed)
    u = 1.0 - rng.random((n_draws, len(follow_up)))
    # First grid time at which the survival falls to u or below; beyond the grid: not reached.
    idx = np.searchsorted(-surv, -u, side="left")
    draws = np.where(idx < len(grid), grid[np.minimum(idx, len(grid) - 1)], np.inf)
    observed = np.minimum(draws, follow_up[None, :])
    reached = (draws <= follow_up[None, :]).astype(float)
    medians = km_medians_rows(observed, reached)
    ok = medians[np.isfinite(medians)]
    return float(np.var(ok, ddof=1)) if len(ok) > 10 else float("nan")
