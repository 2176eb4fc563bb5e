"""Small shared computations of the pipeline sections."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from mutu.evaluation.multiple_testing import adjust_pvalues

__all__ = ["add_adjusted", "cluster_se_of_mean", "finite", "normal_test", "share"]


def finite(value: object) -> float | None:
    """A float, or None for missing / NaN / infinite values."""
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def cluster_se_of_mean(values: np.ndarray, clusters: np.ndarray) -> tuple[float, int]:
    r"""CR1 cluster-robust standard error of a mean and the number of clusters.

    :math:`\sqrt{G/(G-1)\,\sum_g (\sum_{i\in g} (x_i - \bar x))^2} / n`
    (Stata ``mean, vce(cluster)``).
    """
    x = np.asarray(values, dtype=float)
    codes = pd.factorize(pd.Series(clusters))[0]
    sums = np.bincount(codes, weights=x - x.mean())
    g = len(sums)
    if g < 2:
        return math.nan, g
    return float(np.sqrt(g / (g - 1) * np.sum(sums**2)) / len(x)), g


def normal_test(estimate: float, se: float, confidence: float) -> tuple[float, float, float]:
    """Normal-theory interval and two-sided p-value: (ci_low, ci_high, p)."""
    if not (math.isfinite(estimate) and math.isfinite(se)) or se <= 0:
        return math.nan, math.nan, math.nan
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p = float(2 * stats.norm.sf(abs(estimate / se)))
    return estimate - z * se, estimate + z * se, p


def add_adjusted(table: pd.DataFrame, p_col: str = "p_value", *, level: float) -> pd.DataFrame:
    """Holm and Benjamini–Hochberg adjusted p-values and the rejections at ``level``."""
    out = table.copy()
    if len(out) == 0:
        for col in ("p_holm", "p_bh"):
            out[col] = pd.Series(dtype=float)
        out["significant_holm"] = pd.Series(dtype=bool)
        out["significant_bh"] = pd.Series(dtype=bool)
        return out
    p = out[p_col].to_numpy(dtype=float)
    out["p_holm"] = np.asarray(adjust_pvalues(p, "holm"))
    out["p_bh"] = np.asarray(adjust_pvalues(p, "bh"))
    out["significant_holm"] = np.nan_to_num(out["p_holm"].to_numpy(), nan=2.0) <= level
    out["significant_bh"] = np.nan_to_num(out["p_bh"].to_numpy(), nan=2.0) <= level
    return out


def share(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN where the denominator is 0."""
    den = denominator.astype(float)
    return numerator.astype(float) / den.where(den > 0)
