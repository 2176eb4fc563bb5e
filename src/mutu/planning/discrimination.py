r"""How well a predicted probability separates and matches a binary outcome.

* :func:`auc` — the area under the ROC curve, :math:`\hat A = P(S_1 > S_0) +
  \tfrac12 P(S_1 = S_0)` (the Mann–Whitney statistic over every positive and
  negative pair), with a normal confidence interval from either

  - **DeLong** (DeLong, DeLong & Clarke-Pearson 1988; computed by midranks as
    in Sun & Xu 2014): placement values :math:`V_{10}(x_i) = \frac1n
    \sum_j \psi(x_i, y_j)`, :math:`V_{01}(y_j) = \frac1m \sum_i \psi(x_i, y_j)`,
    :math:`\widehat{\mathrm{Var}} = s^2_{10}/m + s^2_{01}/n` (sample variances);
    the default, as R's ``pROC::ci.auc``;
  - **Hanley–McNeil** (1982): :math:`Q_1 = A/(2-A)`, :math:`Q_2 = 2A^2/(1+A)`,
    :math:`\mathrm{SE}^2 = [A(1-A) + (m-1)(Q_1-A^2) + (n-1)(Q_2-A^2)]/(mn)`.

  Checked against Hanley & McNeil's (1982) worked example (Table 1, 109 CT
  images rated 1–5): :math:`\hat A = 0.893`, SE 0.032; and, for DeLong, against
  Stata's ``roctab`` on the same data ([R] roctab, Example 1: area 0.8932,
  SE 0.0307, 95% CI 0.83295–0.95339).

* :func:`calibration_table` — observed against predicted by group of
  predicted risk (deciles by default), with a Wilson interval on each observed
  rate, and the calibration intercept and slope (Cox 1958): the logistic
  regression of the outcome on :math:`\operatorname{logit}(\hat p)`; a slope
  below 1 means predictions too extreme, above 1 too timid.

References
----------
DeLong, E. R., DeLong, D. M. & Clarke-Pearson, D. L. (1988). Comparing the
areas under two or more correlated receiver operating characteristic curves:
a nonparametric approach. *Biometrics* 44(3), 837–845.
Hanley, J. A. & McNeil, B. J. (1982). The meaning and use of the area under a
receiver operating characteristic (ROC) curve. *Radiology* 143(1), 29–36.
Sun, X. & Xu, W. (2014). Fast implementation of DeLong's algorithm for
comparing the areas under correlated ROC curves. *IEEE Signal Processing
Letters* 21(11), 1389–1393.
Cox, D. R. (1958). Two further applications of a model for binary regression.
*Biometrika* 45(3/4), 562–565.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from mutu.domain.errors import MutuValueError

__all__ = ["AucResult", "CalibrationResult", "auc", "calibration_table"]

ArrayLike = npt.ArrayLike


@dataclass(frozen=True)
class AucResult:
    """An AUC with its standard error and confidence interval."""

    auc: float
    se: float
    ci_low: float
    ci_high: float
    n_positive: int
    n_negative: int
    method: str
    confidence: float

    def to_dict(self) -> dict[str, float | int | str]:
        return {
            "auc": self.auc,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "n_positive": self.n_positive,
            "n_negative": self.n_negative,
            "method": self.method,
            "confidence": self.confidence,
        }


def _split(y: ArrayLike, score: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    yy = np.asarray(y, dtype=float)
    ss = np.asarray(score, dtype=float)
    if yy.shape != ss.shape or yy.ndim != 1:
        raise MutuValueError(
            "Hasil dan skor harus berupa larik satu dimensi yang sama panjang.",
            "The outcome and the score must be one-dimensional arrays of the same length.",
            field="score",
        )
    ok = np.isfinite(yy) & np.isfinite(ss)
    yy, ss = yy[ok], ss[ok]
    if not np.isin(yy, (0.0, 1.0)).all():
        raise MutuValueError(
            "Hasil harus bernilai 0 atau 1.", "The outcome must be 0 or 1.", field="y"
        )
    pos, neg = ss[yy == 1], ss[yy == 0]
    if len(pos) < 2 or len(neg) < 2:
        raise MutuValueError(
            "AUC memerlukan paling sedikit dua kasus positif dan dua negatif.",
            "The AUC needs at least two positive and two negative cases.",
            field="y",
        )
    return pos, neg


def auc(
    y: ArrayLike, score: ArrayLike, *, method: str = "delong", confidence: float = 0.95
) -> AucResult:
    """AUC of ``score`` for the binary outcome ``y`` (1 = positive), with its interval.

    Parameters
    ----------
    y
        0/1 outcomes; missing values are dropped with their scores.
    score
        Higher means more likely positive (e.g. a predicted probability).
    method
        ``"delong"`` (default) or ``"hanley_mcneil"``; see the module docstring.
    confidence
        Of the normal interval :math:`\\hat A \\pm z\\,\\mathrm{SE}`, clipped to [0, 1].
    """
    pos, neg = _split(y, score)
    m, n = len(pos), len(neg)
    combined = stats.rankdata(np.concatenate([pos, neg]))  # midranks
    t_pos = stats.rankdata(pos)
    t_neg = stats.rankdata(neg)
    v10 = (combined[:m] - t_pos) / n
    v01 = 1.0 - (combined[m:] - t_neg) / m
    area = float(v10.mean())
    if method == "delong":
        var = float(v10.var(ddof=1) / m + v01.var(ddof=1) / n)
        label = "DeLong (1988), midranks (Sun & Xu 2014)"
    elif method == "hanley_mcneil":
        q1 = area / (2 - area)
        q2 = 2 * area**2 / (1 + area)
        var = (area * (1 - area) + (m - 1) * (q1 - area**2) + (n - 1) * (q2 - area**2)) / (m * n)
        label = "Hanley & McNeil (1982)"
    else:
        raise MutuValueError(
            f"Metode AUC tidak dikenal: {method!r} (delong, hanley_mcneil).",
            f"Unknown AUC method: {method!r} (delong, hanley_mcneil).",
            field="method",
        )
    se = math.sqrt(max(var, 0.0))
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    return AucResult(
        auc=area,
        se=se,
        ci_low=max(0.0, area - z * se),
        ci_high=min(1.0, area + z * se),
        n_positive=m,
        n_negative=n,
        method=label,
        confidence=confidence,
    )


@dataclass(frozen=True, eq=False)
class CalibrationResult:
    """Observed against predicted per risk group, and the calibration line."""

    table: pd.DataFrame
    intercept: float | None
    slope: float | None
    brier: float
    n: int


def _wilson(k: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    p = np.divide(k, n, out=np.full(len(n), np.nan), where=n > 0)
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return centre - half, centre + half


def calibration_table(
    y: ArrayLike, predicted: ArrayLike, *, groups: int = 10, confidence: float = 0.95
) -> CalibrationResult:
    """Observed rate against mean predicted probability per group of predicted risk.

    Groups are quantile groups of the prediction (deciles by default; ties
    stay together, so there may be fewer).  Columns: ``group``, ``n``,
    ``mean_predicted``, ``observed``, ``observed_low``, ``observed_high``
    (Wilson interval), ``expected`` and ``observed_events``.
    """
    yy = np.asarray(y, dtype=float)
    pp = np.asarray(predicted, dtype=float)
    ok = np.isfinite(yy) & np.isfinite(pp)
    yy, pp = yy[ok], pp[ok]
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    codes = pd.qcut(pd.Series(pp).rank(method="first"), q=min(groups, len(pp)), labels=False)
    frame = pd.DataFrame({"g": np.asarray(codes, dtype=int), "y": yy, "p": pp})
    agg = frame.groupby("g").agg(n=("y", "size"), events=("y", "sum"), mean_predicted=("p", "mean"))
    n = agg["n"].to_numpy(dtype=float)
    k = agg["events"].to_numpy(dtype=float)
    low, high = _wilson(k, n, z)
    table = pd.DataFrame(
        {
            "group": np.arange(1, len(agg) + 1),
            "n": agg["n"].to_numpy(dtype=int),
            "mean_predicted": agg["mean_predicted"].to_numpy(),
            "observed": k / n,
            "observed_low": low,
            "observed_high": high,
            "expected": (agg["mean_predicted"] * agg["n"]).to_numpy(),
            "observed_events": k.astype(int),
        }
    )
    intercept, slope = _calibration_line(yy, pp)
    return CalibrationResult(
        table=table,
        intercept=intercept,
        slope=slope,
        brier=float(np.mean((pp - yy) ** 2)) if len(yy) else float("nan"),
        n=len(yy),
    )


def _calibration_line(y: np.ndarray, p: np.ndarray) -> tuple[float | None, float | None]:
    """Intercept and slope of ``logit P(y) = a + b logit(p)`` (Cox 1958), by Newton steps."""
    if len(y) < 10 or y.min() == y.max():
        return None, None
    eps = 1e-9
    x = np.log(np.clip(p, eps, 1 - eps) / np.clip(1 - p, eps, 1 - eps))
    design = np.column_stack([np.ones_like(x), x])
    beta = np.array([0.0, 1.0])
    for _ in range(50):
        eta = design @ beta
        mu = 1 / (1 + np.exp(-eta))
        w = mu * (1 - mu)
        grad = design.T @ (y - mu)
        hess = design.T @ (design * w[:, None])
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            return None, None
        beta = beta + step
        if np.abs(step).max() < 1e-10:
            break
    return float(beta[0]), float(beta[1])
