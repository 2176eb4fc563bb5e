"""Item analysis of a scale in every group, from the covariance matrices alpha already needs.

:func:`item_analysis` takes the per-group pairwise-complete covariance
matrices that :func:`mutu.evaluation.fast.stats.alpha_by_group` builds from
its ``bincount`` sums (``AlphaByGroup.cov``) and derives, for all groups and
items at once, the item table of :func:`mutu.evaluation.reliability.reliability`
(``missing="pairwise"``, the default the L1 pipeline uses, as R
``psych::alpha``): answers, mean and SD per item, the corrected item-total
correlation (R ``r.drop``), alpha if the item is deleted and standardised alpha
if deleted. No loop runs per group or per item.

With ``C`` a group's covariance matrix, :math:`c_i = \\sum_j C_{ij}`,
:math:`T = \\sum_{ij} C_{ij}` and :math:`R = \\operatorname{cov2cor}(C)`:

.. math::

    r_{drop,i} = \\frac{c_i - C_{ii}}{\\sqrt{C_{ii}\\,(T - 2c_i + C_{ii})}},\\quad
    \\alpha_{-i} = \\frac{k-1}{k-2}\\Bigl(1 - \\frac{\\operatorname{tr}C - C_{ii}}
    {T - 2c_i + C_{ii}}\\Bigr),

and :math:`\\alpha_{std,-i}` the same on ``R`` — the formulas of
:func:`~mutu.evaluation.reliability.reliability` (Revelle, R ``psych::alpha``).
Groups where alpha is refused (``ok`` False) get NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mutu.domain.errors import MutuValueError
from mutu.evaluation.fast.stats import AlphaByGroup
from mutu.evaluation.reliability import LOW_ITEM_TOTAL_R

__all__ = ["ItemsByGroup", "item_analysis", "item_table"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ItemsByGroup:
    """Item analysis per group, arrays of shape ``groups × k``."""

    n: NDArray[np.int64]
    mean: FloatArray
    sd: FloatArray
    item_total_r: FloatArray
    alpha_if_deleted: FloatArray
    alpha_std_if_deleted: FloatArray
    ok: NDArray[np.bool_]


def item_analysis(res: AlphaByGroup) -> ItemsByGroup:
    """Corrected item-total r, alpha (and standardised alpha) if deleted, for every group."""
    if res.cov is None or res.item_n is None:
        raise MutuValueError(
            "Analisis butir butuh matriks kovarians per kelompok.",
            "Item analysis needs the covariance matrix of every group.",
        )
    cov = res.cov
    k = res.k
    ok = res.ok
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.diagonal(cov, axis1=1, axis2=2)
        sd = np.sqrt(var)
        corr = cov / (sd[:, :, None] * sd[:, None, :])
        total = cov.sum(axis=(1, 2))[:, None]
        trace = var.sum(axis=1)[:, None]
        col_sum = cov.sum(axis=1)  # symmetric: row sums = column sums
        rest_total = total - 2.0 * col_sum + var
        r_drop = (col_sum - var) / np.sqrt(var * rest_total)
        if k > 2:
            alpha_drop = (k - 1) / (k - 2) * (1.0 - (trace - var) / rest_total)
            corr_sum = corr.sum(axis=(1, 2))[:, None]
            corr_rest = corr_sum - 2.0 * corr.sum(axis=1) + 1.0
            alpha_std_drop = (k - 1) / (k - 2) * (1.0 - (k - 1) / corr_rest)
        else:  # one item left: alpha is undefined
            alpha_drop = np.full(var.shape, np.nan)
            alpha_std_drop = np.full(var.shape, np.nan)
    okk = ok[:, None]
    mean = res.item_mean if res.item_mean is not None else np.full(var.shape, np.nan)
    return ItemsByGroup(
        n=np.asarray(res.item_n, dtype=np.int64),
        mean=np.where(okk, mean, np.nan),
        sd=np.where(okk, sd, np.nan),
        item_total_r=np.where(okk, r_drop, np.nan),
        alpha_if_deleted=np.where(okk, alpha_drop, np.nan),
        alpha_std_if_deleted=np.where(okk, alpha_std_drop, np.nan),
        ok=np.broadcast_to(okk, var.shape).copy(),
    )


def item_table(
    items: ItemsByGroup, groups: NDArray[np.object_], item_names: list[str]
) -> pd.DataFrame:
    """Long table, one row per group and item: ``activity``, ``item``, the figures, ``flag``.

    ``flag`` as :func:`~mutu.evaluation.reliability.reliability`: ``"negative"``
    (r.drop < 0), ``"low"`` (r.drop < 0.3), else ``""`` (NaN: ``""``).
    """
    n_groups, k = items.n.shape
    r = items.item_total_r.ravel()
    with np.errstate(invalid="ignore"):
        flag = np.where(r < 0, "negative", np.where(r < LOW_ITEM_TOTAL_R, "low", ""))
    return pd.DataFrame(
        {
            "activity": np.repeat(np.asarray(groups, dtype=object), k),
            "item": np.tile(np.asarray(item_names, dtype=object), n_groups),
            "n": items.n.ravel(),
            "mean": items.mean.ravel(),
            "sd": items.sd.ravel(),
            "item_total_r": r,
            "alpha_if_deleted": items.alpha_if_deleted.ravel(),
            "alpha_std_if_deleted": items.alpha_std_if_deleted.ravel(),
            "flag": flag,
            "ok": items.ok.ravel(),
        }
    )
