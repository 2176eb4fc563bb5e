"""Wilcoxon signed-rank test per group, from one sort of all groups' differences.

:func:`wilcoxon_by_group` gives, for every group at once, the statistic ``V``
and the two-sided p-value exactly as :func:`mutu.evaluation.learning.paired_change`
computes them (R ``wilcox.test(post, pre, paired = TRUE)``): zero differences
dropped, tied |d| given their average rank, the exact signed-rank distribution
only when a group has fewer than 50 non-zero differences and neither ties nor
zeros, otherwise the normal approximation with tie and continuity correction.

How: one :func:`numpy.lexsort` on ``(group, |d|)``; runs of equal ``(group,
|d|)`` found by comparing neighbours; each run's average rank is
``first rank + (length − 1) / 2`` with the first rank counted from the start of
its group; ``V`` and the tie sum :math:`\\sum (t^3 - t)` are ``bincount`` s.
The exact p-values are looked up per distinct group size (at most 49 sizes,
Mutu's cached ``psignrank`` table), not per group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mutu.evaluation.fast.stats import complete_pairs
from mutu.evaluation.learning import (
    EXACT_LIMIT,
    _normal_wilcoxon_p,
    _signrank_cdf,
)

__all__ = ["METHOD_EXACT", "METHOD_NONE", "METHOD_NORMAL", "WilcoxonByGroup", "wilcoxon_by_group"]

#: ``method`` codes: no non-zero difference, exact distribution, normal approximation.
METHOD_NONE, METHOD_EXACT, METHOD_NORMAL = 0, 1, 2


@dataclass(frozen=True)
class WilcoxonByGroup:
    """Signed-rank test per group (arrays of length ``n_groups``)."""

    v: NDArray[np.float64]
    p_value: NDArray[np.float64]
    n_nonzero: NDArray[np.int64]
    tie_sum: NDArray[np.float64]
    method: NDArray[np.int8]


def wilcoxon_by_group(
    groups: NDArray[np.integer],
    pre: NDArray[np.float64],
    post: NDArray[np.float64],
    n_groups: int,
) -> WilcoxonByGroup:
    """Wilcoxon signed-rank of ``post − pre`` for every group (pairs with a missing side left out).

    ``v`` is the sum of the ranks of the positive differences (0 when a group
    has no non-zero difference, whose ``p_value`` is NaN).
    """
    g, a, b = complete_pairs(groups, pre, post, n_groups)
    d = b - a
    has_zero = np.bincount(g, weights=(d == 0), minlength=n_groups) > 0
    nz = d != 0
    g, d = g[nz], d[nz]
    ad = np.abs(d)
    order = np.lexsort((ad, g))
    gs, adz, positive = g[order], ad[order], d[order] > 0
    m = gs.size
    n_nz = np.bincount(gs, minlength=n_groups)
    group_start = np.concatenate([[0], np.cumsum(n_nz)[:-1]]).astype(np.int64)
    new_run = np.ones(m, dtype=bool)
    if m > 1:
        new_run[1:] = (gs[1:] != gs[:-1]) | (adz[1:] != adz[:-1])
    run_id = np.cumsum(new_run) - 1
    run_first = np.flatnonzero(new_run)
    run_len = np.bincount(run_id).astype(np.float64) if m else np.zeros(0)
    run_group = gs[run_first]
    first_rank = (run_first - group_start[run_group] + 1).astype(np.float64)
    run_rank = first_rank + (run_len - 1.0) / 2.0
    v = np.bincount(
        gs, weights=np.where(positive, run_rank[run_id], 0.0), minlength=n_groups
    ).astype(np.float64)
    tie_sum = np.bincount(run_group, weights=run_len**3 - run_len, minlength=n_groups).astype(
        np.float64
    )
    has_ties = np.bincount(run_group, weights=run_len > 1, minlength=n_groups) > 0
    nf = n_nz.astype(np.float64)
    p = np.where(n_nz > 0, _normal_wilcoxon_p(v, nf, tie_sum), np.nan)
    exact = (n_nz > 0) & (n_nz < EXACT_LIMIT) & ~has_ties & ~has_zero
    for size in np.unique(n_nz[exact]).tolist():  # at most 49 sizes, not groups
        sel = np.flatnonzero(exact & (n_nz == size))
        cdf = np.asarray(_signrank_cdf(int(size)))
        vi = np.rint(v[sel]).astype(np.int64)
        upper = v[sel] > size * (size + 1) / 4
        tail = np.where(upper, 1.0 - cdf[np.maximum(vi - 1, 0)], cdf[vi])
        p[sel] = np.minimum(1.0, 2.0 * tail)
    method = np.where(n_nz == 0, METHOD_NONE, np.where(exact, METHOD_EXACT, METHOD_NORMAL))
    return WilcoxonByGroup(
        v=v,
        p_value=p,
        n_nonzero=n_nz.astype(np.int64),
        tie_sum=tie_sum,
        method=method.astype(np.int8),
    )
