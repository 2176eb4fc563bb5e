"""Nonparametric bootstrap confidence intervals, resampling persons or whole clusters.

Resampling is seeded (``numpy.random.default_rng(seed)``) so a report can be
reproduced. Without clusters the resample indices are drawn exactly as SciPy's
``scipy.stats.bootstrap`` draws them (``rng.integers(0, n, (B, n))``), so for the
same seed the two give the same replicates — an easy independent check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from mutu.domain.errors import MutuValueError
from mutu.evaluation.result import Result, check_lang, format_number

__all__ = ["BootstrapResult", "bootstrap_ci"]

Data = pd.DataFrame | pd.Series | np.ndarray | Sequence[float]
Statistic = Callable[[Any], float]
MIN_UNITS = 5


@dataclass(frozen=True, eq=False)
class BootstrapResult(Result):
    """A bootstrap interval: the estimate on the data, its interval and replicates."""

    estimate: float
    ci_low: float
    ci_high: float
    confidence: float
    standard_error: float
    bias: float
    n_resamples: int
    n_units: int
    method: str
    clustered: bool
    seed: int | None
    variant: str
    replicates: np.ndarray = field(repr=False)

    def summary(self, lang: str = "id") -> str:
        """The estimate with its bootstrap interval and what was resampled."""
        lang = check_lang(lang)
        pct = format_number(100 * self.confidence, 0, lang)
        est = format_number(self.estimate, 3, lang)
        lo, hi = format_number(self.ci_low, 3, lang), format_number(self.ci_high, 3, lang)
        se = format_number(self.standard_error, 3, lang)
        if lang == "id":
            unit = "klaster" if self.clustered else "orang"
            if self.n_units < MIN_UNITS:
                return (
                    f"Terlalu sedikit {unit} (n = {self.n_units}) untuk interval bootstrap "
                    "yang dapat dipercaya."
                )
            return (
                f"Estimasi {est} (IK {pct}% bootstrap {self.method} {lo}–{hi}; galat baku "
                f"bootstrap {se}; {self.n_resamples} sampel ulang dari {self.n_units} {unit}, "
                f"seed {self.seed})."
            )
        unit = "clusters" if self.clustered else "people"
        if self.n_units < MIN_UNITS:
            return f"Too few {unit} (n = {self.n_units}) for a trustworthy bootstrap interval."
        return (
            f"Estimate {est} ({pct}% {self.method} bootstrap CI {lo}–{hi}; bootstrap standard "
            f"error {se}; {self.n_resamples} resamples of {self.n_units} {unit}, "
            f"seed {self.seed})."
        )


def _take(data: Any, idx: np.ndarray) -> Any:
    if isinstance(data, pd.DataFrame | pd.Series):
        return data.iloc[idx]
    return data[idx]


def _percentile(values: np.ndarray, q: Any) -> Any:
    return np.percentile(values, np.asarray(q) * 100.0)


def bootstrap_ci(
    data: Data,
    statistic: Statistic,
    *,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    method: str = "percentile",
    cluster: Sequence[Any] | np.ndarray | pd.Series | str | None = None,
    seed: int | None = 20240101,
) -> BootstrapResult:
    r"""Bootstrap confidence interval of any statistic.

    Parameters
    ----------
    data
        The persons: a DataFrame or Series (rows are resampled) or a 1-D/2-D
        array (first axis resampled).
    statistic
        Function of the (resampled) data returning one number.
    n_resamples
        Number of bootstrap resamples ``B`` (default 2000; at least 100).
    confidence
        Interval level (default 0.95).
    method
        ``"percentile"`` or ``"bca"`` (bias-corrected and accelerated).
    cluster
        Cluster of each row (or the name of a DataFrame column): whole clusters are
        resampled with replacement, keeping their rows together.
    seed
        Seed of ``numpy.random.default_rng``; ``None`` draws a fresh one (not
        reproducible).

    Returns
    -------
    BootstrapResult

    Notes
    -----
    Percentile: :math:`[\hat\theta^*_{(\gamma/2)}, \hat\theta^*_{(1-\gamma/2)}]`
    (linear interpolation between order statistics, as ``numpy.percentile``).
    BCa: the percentiles :math:`\Phi(z_0 + (z_0 + z_q)/(1 - a(z_0 + z_q)))` with
    bias correction :math:`z_0 = \Phi^{-1}(\#\{\hat\theta^* < \hat\theta\}/B)` and
    acceleration from the jackknife,
    :math:`a = \sum (\bar\theta_{(\cdot)} - \theta_{(i)})^3 / (6 [\sum(\bar\theta_{(\cdot)}
    - \theta_{(i)})^2]^{3/2})`, leaving out one person (or one cluster) at a time.
    The standard error is the standard deviation of the replicates (ddof = 1).

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
    Chapman & Hall, chapters 6, 13 and 14 (BCa, eq. 14.9–14.15). Field, C. A. &
    Welsh, A. H. (2007). Bootstrapping clustered data. *JRSS B* 69, 369–390.
    """
    if method not in ("percentile", "bca"):
        raise MutuValueError(
            f"Metode bootstrap tidak dikenal: {method!r} (pilih 'percentile' atau 'bca').",
            f"Unknown bootstrap method: {method!r} (choose 'percentile' or 'bca').",
        )
    if not 0.0 < confidence < 1.0:
        raise MutuValueError(
            "Tingkat kepercayaan harus di antara 0 dan 1.",
            "The confidence level must lie between 0 and 1.",
        )
    if int(n_resamples) < 100:
        raise MutuValueError(
            "Jumlah sampel ulang bootstrap minimal 100 (disarankan ≥ 2000).",
            "At least 100 bootstrap resamples are needed (2000 or more advised).",
        )
    b = int(n_resamples)
    if not isinstance(data, pd.DataFrame | pd.Series):
        data = np.asarray(data)
    n = len(data)
    if n < 2:
        raise MutuValueError(
            "Bootstrap butuh paling sedikit dua orang.", "The bootstrap needs at least two people."
        )
    if isinstance(cluster, str):
        if not isinstance(data, pd.DataFrame) or cluster not in data.columns:
            raise MutuValueError(
                f"Kolom klaster tidak ditemukan: {cluster}.",
                f"Cluster column not found: {cluster}.",
            )
        cluster = data[cluster].to_numpy()
    rng = np.random.default_rng(seed)
    estimate = float(statistic(data))

    if cluster is None:
        units = n
        draws = rng.integers(0, n, (b, n))
        replicates = np.array([statistic(_take(data, row)) for row in draws], dtype=float)
        jack_sets = [np.delete(np.arange(n), i) for i in range(n)] if method == "bca" else []
    else:
        labels = np.asarray(cluster)
        if labels.shape[0] != n:
            raise MutuValueError(
                "Panjang label klaster tidak sama dengan jumlah baris data.",
                "The cluster labels do not match the number of data rows.",
            )
        codes, _ = pd.factorize(labels)
        units = int(codes.max()) + 1
        if units < 2:
            raise MutuValueError(
                "Bootstrap berklaster butuh paling sedikit dua klaster.",
                "A clustered bootstrap needs at least two clusters.",
            )
        order = np.argsort(codes, kind="stable")
        starts = np.searchsorted(codes[order], np.arange(units + 1))
        members = [order[starts[c] : starts[c + 1]] for c in range(units)]
        picks = rng.integers(0, units, (b, units))
        replicates = np.array(
            [statistic(_take(data, np.concatenate([members[c] for c in row]))) for row in picks],
            dtype=float,
        )
        jack_sets = (
            [np.concatenate([members[c] for c in range(units) if c != i]) for i in range(units)]
            if method == "bca"
            else []
        )
    if not np.isfinite(replicates).all():
        raise MutuValueError(
            "Statistik tidak terdefinisi pada sebagian sampel ulang (mis. kelompok kosong).",
            "The statistic is undefined on some resamples (e.g. an empty group).",
        )
    gamma = 1.0 - confidence
    q = np.array([gamma / 2.0, 1.0 - gamma / 2.0])
    if method == "bca":
        z0 = float(stats.norm.ppf(np.mean(replicates < estimate)))
        jack = np.array([statistic(_take(data, idx)) for idx in jack_sets], dtype=float)
        dev = jack.mean() - jack
        denom = 6.0 * float((dev**2).sum()) ** 1.5
        accel = float((dev**3).sum()) / denom if denom > 0 else 0.0
        zq = stats.norm.ppf(q)
        q = stats.norm.cdf(z0 + (z0 + zq) / (1.0 - accel * (z0 + zq)))
        if not (np.isfinite(z0) and np.isfinite(q).all()):
            raise MutuValueError(
                "Interval BCa tidak terdefinisi (semua sampel ulang di satu sisi estimasi); "
                "pakai metode persentil.",
                "The BCa interval is undefined (all resamples on one side of the estimate); "
                "use the percentile method.",
            )
    low, high = (float(v) for v in _percentile(replicates, q))
    what = "whole clusters" if cluster is not None else "persons"
    return BootstrapResult(
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        confidence=confidence,
        standard_error=float(np.std(replicates, ddof=1)),
        bias=float(replicates.mean() - estimate),
        n_resamples=b,
        n_units=units,
        method=method,
        clustered=cluster is not None,
        seed=seed,
        variant=(
            f"nonparametric bootstrap, {method} interval, B = {b}, resampling {what} "
            f"with replacement, numpy default_rng(seed={seed})"
            + ("; jackknife acceleration" if method == "bca" else "")
        ),
        replicates=replicates,
    )
