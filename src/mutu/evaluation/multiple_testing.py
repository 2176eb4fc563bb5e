"""Adjusted p-values for a family of tests, exactly as R's ``p.adjust``.

"Significant" may only be said of a p-value after such an adjustment (see the
evaluation conventions); the adjusted values keep the input's order, shape and
index, and NaN stays NaN in place (R: ``n = sum(!is.na(p))``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

import numpy as np
import pandas as pd

from mutu.domain.errors import MutuValueError

__all__ = ["METHODS", "adjust_pvalues", "rejections"]

METHODS = ("holm", "bh", "bonferroni")
_ALIASES = {"holm": "holm", "bh": "bh", "fdr": "bh", "bonferroni": "bonferroni"}


def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    values = p[ok]
    m = values.size
    if m == 0:
        return out
    if method == "bonferroni":
        adj = np.minimum(1.0, m * values)
    elif method == "holm":
        order = np.argsort(values, kind="stable")
        step = (m - np.arange(m)) * values[order]  # (m - i + 1) p_(i)
        adj_sorted = np.minimum(1.0, np.maximum.accumulate(step))
        adj = np.empty(m)
        adj[order] = adj_sorted
    else:  # Benjamini-Hochberg step-up
        order = np.argsort(values, kind="stable")[::-1]  # decreasing
        ranks = np.arange(m, 0, -1)
        step = m / ranks * values[order]
        adj_sorted = np.minimum(1.0, np.minimum.accumulate(step))
        adj = np.empty(m)
        adj[order] = adj_sorted
    out[ok] = adj
    return out


@overload
def adjust_pvalues(p: pd.Series, method: str = ...) -> pd.Series: ...
@overload
def adjust_pvalues(p: np.ndarray | Sequence[float], method: str = ...) -> np.ndarray: ...


def adjust_pvalues(
    p: pd.Series | np.ndarray | Sequence[float], method: str = "holm"
) -> pd.Series | np.ndarray:
    r"""Adjust p-values for multiple testing as R ``p.adjust``.

    Parameters
    ----------
    p
        The unadjusted p-values (NaN allowed: kept in place and not counted).
    method
        ``"holm"`` (default, as R), ``"bh"`` (Benjamini–Hochberg; alias ``"fdr"``)
        or ``"bonferroni"``.

    Returns
    -------
    numpy.ndarray or pandas.Series
        Adjusted p-values, same shape (a Series keeps its index and name).

    Notes
    -----
    With the ``m`` non-missing p-values sorted :math:`p_{(1)} \le \dots \le p_{(m)}`:

    * Bonferroni: :math:`\min(1, m p_i)`;
    * Holm: :math:`\tilde p_{(i)} = \min(1, \max_{j \le i} (m - j + 1) p_{(j)})`;
    * BH: :math:`\tilde p_{(i)} = \min(1, \min_{j \ge i} \frac{m}{j} p_{(j)})`.

    Each is monotone in the raw p-values and capped at 1. Rejecting where the
    adjusted value is at most :math:`q` controls the family-wise error rate
    (Bonferroni, Holm) or the false discovery rate (BH) at :math:`q`.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics* 6, 65–70. Benjamini, Y. & Hochberg, Y.
    (1995). Controlling the false discovery rate. *JRSS B* 57, 289–300.
    R Core Team, ``stats::p.adjust``.
    """
    key = _ALIASES.get(str(method).lower())
    if key is None:
        raise MutuValueError(
            f"Metode koreksi tidak dikenal: {method!r} (pilih 'holm', 'bh' atau 'bonferroni').",
            f"Unknown adjustment method: {method!r} (choose 'holm', 'bh' or 'bonferroni').",
        )
    arr = np.asarray(p, dtype=float)
    flat = arr.ravel()
    seen = flat[~np.isnan(flat)]
    if ((seen < 0) | (seen > 1)).any():
        raise MutuValueError(
            "Nilai p harus di antara 0 dan 1.", "p-values must lie between 0 and 1."
        )
    adjusted = _adjust(flat, key).reshape(arr.shape)
    if isinstance(p, pd.Series):
        return pd.Series(adjusted, index=p.index, name=p.name)
    return adjusted


def rejections(
    p: pd.Series | np.ndarray | Sequence[float], method: str = "holm", level: float = 0.05
) -> np.ndarray:
    """Which hypotheses are rejected at ``level`` after adjustment (NaN: not rejected).

    Parameters
    ----------
    p, method
        As in :func:`adjust_pvalues`.
    level
        FWER (Holm, Bonferroni) or FDR (BH) level, default 0.05.

    Returns
    -------
    numpy.ndarray
        Boolean array, True where the adjusted p-value is at most ``level``.

    References
    ----------
    As :func:`adjust_pvalues`.
    """
    if not 0.0 < level < 1.0:
        raise MutuValueError(
            "Taraf uji harus di antara 0 dan 1.", "The test level must lie between 0 and 1."
        )
    adjusted = np.asarray(adjust_pvalues(np.asarray(p, dtype=float), method))
    return np.asarray(np.nan_to_num(adjusted, nan=2.0) <= level)
