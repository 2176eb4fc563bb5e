"""Time to an event: Kaplan–Meier curves, their medians, a median difference and the log-rank test.

Defaults follow R ``survival``: ``survfit`` with ``conf.type = "log"``, the
Greenwood variance, medians (and their intervals) read off the curve and its
confidence limits as ``print.survfit`` does, and ``survdiff`` for the log-rank
test. Typical use: months from training to promotion, or to leaving the unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from mutu.domain.errors import MutuValueError
from mutu.evaluation.result import Result, check_lang, format_number, format_p

__all__ = [
    "MedianDifferenceResult",
    "SurvivalResult",
    "kaplan_meier",
    "logrank_test",
    "median_difference",
]

FloatArray = NDArray[np.float64]
ConfType = Literal["log", "log-log", "plain"]
TOO_FEW = 5
_TOL = float(np.sqrt(np.finfo(float).eps))


def _interval(lo: float, hi: float, lang: str) -> str:
    a, b = format_number(lo, 1, lang), format_number(hi, 1, lang)  # type: ignore[arg-type]
    if np.isnan(hi):
        return f"{a}–{'tak terhingga' if lang == 'id' else 'not reached'}"
    return f"{a}–{b}"


@dataclass(frozen=True, eq=False)
class SurvivalResult(Result):
    """A Kaplan–Meier curve.

    ``table`` has one row per event time (as R ``summary.survfit``): ``time``,
    ``n_risk``, ``n_event``, ``survival``, ``std_err`` (Greenwood standard error
    of the survival), ``ci_low``, ``ci_high``. ``curve`` has the same columns for
    every distinct time, censoring times included, plus ``n_censor``. The median
    and its interval limits are NaN when not reached.
    """

    n: int
    n_events: int
    median: float
    median_ci_low: float
    median_ci_high: float
    confidence: float
    conf_type: str
    variant: str
    table: pd.DataFrame = field(repr=False)
    curve: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The table at event times (time, n_risk, n_event, survival, std_err, ci_low, ci_high)."""
        return self.table.copy()

    def at(self, times: Sequence[float]) -> pd.DataFrame:
        """The curve at given times (R ``summary(fit, times = ...)``): the last step at or before.

        ``n_risk`` is the number still followed just before each time and
        ``n_event`` the events up to it; times before the first event give
        survival 1.
        """
        grid = np.asarray(times, dtype=float)
        pos = np.searchsorted(self.table["time"].to_numpy(), grid, side="right") - 1
        ctime = self.curve["time"].to_numpy()
        crisk = np.append(self.curve["n_risk"].to_numpy(), 0)
        at_risk = crisk[np.searchsorted(ctime, grid, side="left")]  # still followed at t - 0
        events = np.cumsum(self.table["n_event"].to_numpy())
        rows = []
        for g, k, n_r in zip(grid, pos, at_risk, strict=True):
            if k < 0:
                rows.append((g, int(n_r), 0, 1.0, 0.0, 1.0, 1.0))
                continue
            r = self.table.iloc[k]
            rows.append((g, int(n_r), int(events[k]), r.survival, r.std_err, r.ci_low, r.ci_high))
        return pd.DataFrame(
            rows,
            columns=["time", "n_risk", "n_event", "survival", "std_err", "ci_low", "ci_high"],
        )

    def summary(self, lang: str = "id") -> str:
        """A sentence: how many, how many events, the median time with its interval."""
        lang = check_lang(lang)
        pct = format_number(100 * self.confidence, 0, lang)
        med = format_number(self.median, 1, lang)
        ci = _interval(self.median_ci_low, self.median_ci_high, lang)
        if lang == "id":
            if self.n < TOO_FEW:
                return f"Terlalu sedikit data (n = {self.n}) untuk menaksir kurva kelangsungan."
            if np.isnan(self.median):
                return (
                    f"Dari {self.n} orang, {self.n_events} mengalami kejadian; median waktu belum "
                    "tercapai (lebih dari separuh belum mengalami kejadian)."
                )
            return (
                f"Dari {self.n} orang, {self.n_events} mengalami kejadian; median waktu sampai "
                f"kejadian {med} (IK {pct}% {ci}; Kaplan–Meier, interval {self.conf_type})."
            )
        if self.n < TOO_FEW:
            return f"Too few data (n = {self.n}) to estimate a survival curve."
        if np.isnan(self.median):
            return (
                f"Of {self.n} people, {self.n_events} had the event; the median time is not "
                "reached (fewer than half had the event)."
            )
        return (
            f"Of {self.n} people, {self.n_events} had the event; the median time to the event "
            f"is {med} ({pct}% CI {ci}; Kaplan–Meier, {self.conf_type} interval)."
        )


def _arrays(time: object, event: object) -> tuple[FloatArray, FloatArray]:
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=float)
    if t.ndim != 1 or e.shape != t.shape:
        raise MutuValueError(
            "Waktu dan status kejadian harus berupa deret yang sama panjang.",
            "Time and event status must be one-dimensional and of equal length.",
        )
    if len(t) == 0:
        raise MutuValueError("Data kosong.", "The data are empty.")
    if np.isnan(t).any() or np.isnan(e).any():
        raise MutuValueError(
            "Ada nilai kosong pada waktu atau status kejadian.",
            "Time or event status has missing values.",
        )
    if (t < 0).any():
        raise MutuValueError("Waktu tidak boleh negatif.", "Times must not be negative.")
    if not np.isin(e, (0.0, 1.0)).all():
        raise MutuValueError(
            "Status kejadian harus 1 (terjadi) atau 0 (tersensor).",
            "The event status must be 1 (event) or 0 (censored).",
        )
    return t, e


def _quantile_time(times: FloatArray, surv: FloatArray, p: float = 0.5) -> float:
    """First time the curve is <= p; on an exact plateau at p the midpoint to the next drop (R)."""
    below = np.flatnonzero(surv <= p + _TOL)
    if len(below) == 0:
        return float("nan")
    i = below[0]
    if abs(surv[i] - p) < _TOL:
        later = np.flatnonzero(surv < p - _TOL)
        if len(later):
            return float((times[i] + times[later[0]]) / 2)
        return float(times[i])
    return float(times[i])


def kaplan_meier(
    time: Sequence[float] | FloatArray | pd.Series,
    event: Sequence[float] | FloatArray | pd.Series,
    *,
    confidence: float = 0.95,
    conf_type: ConfType = "log",
) -> SurvivalResult:
    """Kaplan–Meier estimate with Greenwood standard errors, as R ``survival::survfit``.

    Parameters
    ----------
    time
        Follow-up time per person (e.g. months since training).
    event
        1 when the event happened at ``time``, 0 when the person was censored.
    confidence
        Level of the pointwise intervals.
    conf_type
        ``"log"`` (R's default), ``"log-log"`` or ``"plain"``.

    Returns
    -------
    SurvivalResult

    Notes
    -----
    .. math::

        \\hat S(t) = \\prod_{t_j \\le t} \\Bigl(1 - \\frac{d_j}{n_j}\\Bigr), \\qquad
        \\widehat{\\mathrm{Var}}\\,\\log \\hat S(t) = \\sum_{t_j \\le t}
        \\frac{d_j}{n_j (n_j - d_j)} \\quad\\text{(Greenwood)}.

    The ``"log"`` interval is :math:`\\hat S \\exp(\\pm z\\,\\sigma)` capped at 1,
    ``"log-log"`` is :math:`\\hat S^{\\exp(\\pm z \\sigma / \\log \\hat S)}`,
    ``"plain"`` is :math:`\\hat S \\pm z \\hat S \\sigma` clipped to [0, 1]. The
    median is the first time with :math:`\\hat S \\le 0.5` (the midpoint of a flat
    stretch at exactly 0.5); its interval is where the lower and the upper curve
    cross 0.5 (R ``print.survfit``). Event times are tied before censoring times.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). *JASA*, 53(282), 457–481. Therneau, T. M.
    R package ``survival``: ``survfit.formula``, ``quantile.survfit``.
    """
    if conf_type not in ("log", "log-log", "plain"):
        raise MutuValueError(
            f"conf_type tidak dikenal: {conf_type!r}.", f"Unknown conf_type: {conf_type!r}."
        )
    if not 0 < confidence < 1:
        raise MutuValueError(
            "Tingkat kepercayaan harus antara 0 dan 1.", "The confidence must lie between 0 and 1."
        )
    t, e = _arrays(time, event)
    uniq, inverse = np.unique(t, return_inverse=True)
    d = np.bincount(inverse, weights=e, minlength=len(uniq))
    total = np.bincount(inverse, minlength=len(uniq)).astype(float)
    at_risk = total[::-1].cumsum()[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(1 - d / at_risk)
        greenwood = np.cumsum(np.where(d > 0, d / (at_risk * (at_risk - d)), 0.0))
        sigma = np.sqrt(greenwood)  # standard error of log S
        z = float(stats.norm.ppf(0.5 + confidence / 2))
        if conf_type == "log":
            lo, hi = surv * np.exp(-z * sigma), np.minimum(surv * np.exp(z * sigma), 1.0)
        elif conf_type == "log-log":
            eta = z * sigma / np.log(surv)
            lo, hi = surv ** np.exp(-eta), surv ** np.exp(eta)
        else:
            lo = np.clip(surv - z * surv * sigma, 0, 1)
            hi = np.clip(surv + z * surv * sigma, 0, 1)
    dead = surv <= 0
    with np.errstate(invalid="ignore"):
        std_err = np.where(dead, np.nan, surv * sigma)
    lo, hi = np.where(dead, np.nan, lo), np.where(dead, np.nan, hi)
    curve = pd.DataFrame(
        {
            "time": uniq,
            "n_risk": at_risk.astype(int),
            "n_event": d.astype(int),
            "n_censor": (total - d).astype(int),
            "survival": surv,
            "std_err": std_err,
            "ci_low": lo,
            "ci_high": hi,
        }
    )
    table = curve.loc[curve["n_event"] > 0].drop(columns="n_censor").reset_index(drop=True)
    # An undefined limit (where the curve reaches 0) does not cross 0.5, as in R.
    lo_curve = np.where(np.isnan(lo), np.inf, lo)
    hi_curve = np.where(np.isnan(hi), np.inf, hi)
    return SurvivalResult(
        n=len(t),
        n_events=int(e.sum()),
        median=_quantile_time(uniq, surv),
        median_ci_low=_quantile_time(uniq, lo_curve),
        median_ci_high=_quantile_time(uniq, hi_curve),
        confidence=confidence,
        conf_type=conf_type,
        variant=f"Kaplan-Meier, Greenwood variance, {conf_type} confidence interval (R survfit)",
        table=table,
        curve=curve,
    )


def logrank_test(
    time: Sequence[float] | FloatArray | pd.Series,
    event: Sequence[float] | FloatArray | pd.Series,
    group: Sequence[object] | NDArray[np.object_] | pd.Series,
) -> tuple[float, int, float, pd.DataFrame]:
    """Log-rank test of equal survival across groups, as R ``survival::survdiff`` (rho = 0).

    Returns the chi-square statistic, its degrees of freedom (groups − 1), the
    p-value and a table per group with ``n``, ``observed`` and ``expected``
    events. :math:`\\chi^2 = (O-E)' V^{-} (O-E)` with the hypergeometric variance
    :math:`V_{kl} = \\sum_j d_j \\frac{n_{kj}}{n_j}(\\delta_{kl} - \\frac{n_{lj}}{n_j})
    \\frac{n_j - d_j}{n_j - 1}` (Mantel 1966).
    """
    t, e = _arrays(time, event)
    labels, g = np.unique(np.asarray(group, dtype=object).astype(str), return_inverse=True)
    if len(g) != len(t):
        raise MutuValueError(
            "Kelompok harus sama panjang dengan waktu.",
            "The groups must match the times in length.",
        )
    k = len(labels)
    if k < 2:
        raise MutuValueError("Perlu minimal dua kelompok.", "At least two groups are needed.")
    uniq, inverse = np.unique(t, return_inverse=True)
    m = len(uniq)
    d_kj = np.zeros((k, m))
    n_kj = np.zeros((k, m))
    np.add.at(d_kj, (g, inverse), e)
    np.add.at(n_kj, (g, inverse), 1.0)
    n_kj = n_kj[:, ::-1].cumsum(axis=1)[:, ::-1]
    d_j, n_j = d_kj.sum(axis=0), n_kj.sum(axis=0)
    share = n_kj / n_j
    expected = (share * d_j).sum(axis=1)
    observed = d_kj.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n_j > 1, d_j * (n_j - d_j) / (n_j - 1), 0.0)
    v = np.einsum("j,kj,lj->kl", factor, share, -share)
    v[np.diag_indices(k)] += (factor * share).sum(axis=1)
    diff = observed - expected
    chi2 = float(diff[:-1] @ np.linalg.solve(v[:-1, :-1], diff[:-1]))
    df = k - 1
    table = pd.DataFrame(
        {"n": np.bincount(g), "observed": observed, "expected": expected},
        index=pd.Index(labels, name="group"),
    )
    return chi2, df, float(stats.chi2.sf(chi2, df)), table


@dataclass(frozen=True, eq=False)
class MedianDifferenceResult(Result):
    """Difference of Kaplan–Meier medians (group 1 minus group 0) with a bootstrap interval."""

    median_0: float
    median_1: float
    difference: float
    se: float
    ci_low: float
    ci_high: float
    confidence: float
    n_0: int
    n_1: int
    events_0: int
    events_1: int
    n_resamples: int
    n_valid_resamples: int
    seed: int
    logrank_chisq: float
    logrank_df: int
    logrank_p: float
    variant: str
    group_0: str
    group_1: str

    def summary(self, lang: str = "id") -> str:
        """Medians per group, their difference with its bootstrap interval, the log-rank test."""
        lang = check_lang(lang)

        def f(v: float) -> str:
            return format_number(v, 1, lang)

        pct = format_number(100 * self.confidence, 0, lang)
        p = format_p(self.logrank_p, lang)
        chi = format_number(self.logrank_chisq, 2, lang)
        if min(self.n_0, self.n_1) < TOO_FEW:
            if lang == "id":
                return (
                    f"Terlalu sedikit data (n = {self.n_1} dan {self.n_0}) untuk membandingkan "
                    "waktu sampai kejadian antar-kelompok."
                )
            return (
                f"Too few data (n = {self.n_1} and {self.n_0}) to compare times to the event "
                "between the groups."
            )
        if lang == "id":
            head = (
                f"Median waktu sampai kejadian: {f(self.median_1)} pada kelompok {self.group_1} "
                f"(n = {self.n_1}) dan {f(self.median_0)} pada kelompok {self.group_0} "
                f"(n = {self.n_0})"
            )
            if np.isnan(self.difference):
                head += "; selisihnya tidak dapat dihitung karena median belum tercapai."
            else:
                head += (
                    f"; selisih {f(self.difference)} (IK bootstrap {pct}% "
                    f"{f(self.ci_low)} hingga {f(self.ci_high)}, {self.n_resamples} ulangan)."
                )
            return (
                head + f" Uji log-rank: χ² = {chi} (df {self.logrank_df}), {p} (belum dikoreksi)."
            )
        head = (
            f"Median time to the event: {f(self.median_1)} in group {self.group_1} "
            f"(n = {self.n_1}) and {f(self.median_0)} in group {self.group_0} (n = {self.n_0})"
        )
        if np.isnan(self.difference):
            head += "; the difference cannot be computed because a median is not reached."
        else:
            head += (
                f"; difference {f(self.difference)} ({pct}% bootstrap CI {f(self.ci_low)} to "
                f"{f(self.ci_high)}, {self.n_resamples} resamples)."
            )
        return head + f" Log-rank test: χ² = {chi} (df {self.logrank_df}), {p} (uncorrected)."


def _boot_medians(t: FloatArray, e: FloatArray, counts: FloatArray) -> FloatArray:
    """KM medians for many resamples at once; ``counts`` is resamples × observations."""
    uniq, inverse = np.unique(t, return_inverse=True)
    m = len(uniq)
    onehot = np.zeros((len(t), m))
    onehot[np.arange(len(t)), inverse] = 1.0
    d = counts @ (onehot * e[:, None])
    total = counts @ onehot
    at_risk = total[:, ::-1].cumsum(axis=1)[:, ::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(at_risk > 0, 1 - d / at_risk, 1.0)
    surv = np.cumprod(step, axis=1)
    hit = surv <= 0.5 + _TOL
    first = np.where(hit.any(axis=1), hit.argmax(axis=1), -1)
    out = np.full(len(counts), np.nan)
    ok = first >= 0
    rows = np.flatnonzero(ok)
    med = uniq[first[ok]]
    exact = np.abs(surv[rows, first[ok]] - 0.5) < _TOL
    for r_pos in np.flatnonzero(exact):  # rare: a plateau at exactly 0.5 takes the midpoint
        r = rows[r_pos]
        below = np.flatnonzero(surv[r] < 0.5 - _TOL)
        if len(below):
            med[r_pos] = (uniq[first[r]] + uniq[below[0]]) / 2
    out[ok] = med
    return out


def median_difference(
    time: Sequence[float] | FloatArray | pd.Series,
    event: Sequence[float] | FloatArray | pd.Series,
    group: Sequence[object] | NDArray[np.object_] | pd.Series,
    *,
    n_resamples: int = 2000,
    seed: int = 0,
    confidence: float = 0.95,
) -> MedianDifferenceResult:
    """Difference between two groups' Kaplan–Meier medians, bootstrap CI, and the log-rank test.

    Parameters
    ----------
    time, event
        As in :func:`kaplan_meier`.
    group
        Two groups; with 0/1 (or False/True) codes "1" is the reference for
        "group 1 minus group 0", otherwise the sorted labels' second minus first.
    n_resamples, seed
        Bootstrap resamples (stratified: persons resampled within each group,
        group sizes kept) and the seed of ``numpy.random.default_rng``.
    confidence
        Level of the percentile interval.

    Returns
    -------
    MedianDifferenceResult
        ``se`` is the standard deviation of the bootstrap differences; resamples
        where a median is not reached are left out (``n_valid_resamples``), and
        no interval is given when more than 10 % of them fail.

    References
    ----------
    Efron, B. (1981). Censored data and the bootstrap. *JASA*, 76(374), 312–319.
    Mantel, N. (1966). Evaluation of survival data and two new rank order
    statistics. *Cancer Chemotherapy Reports*, 50, 163–170.
    """
    t, e = _arrays(time, event)
    labels = np.asarray(group, dtype=object).astype(str)
    if labels.shape != t.shape:
        raise MutuValueError(
            "Kelompok harus sama panjang dengan waktu.",
            "The groups must match the times in length.",
        )
    levels = sorted(set(labels.tolist()))
    if len(levels) != 2:
        raise MutuValueError(
            "median_difference membandingkan tepat dua kelompok.",
            "median_difference compares exactly two groups.",
        )
    if n_resamples < 100:
        raise MutuValueError(
            "Gunakan minimal 100 ulangan bootstrap.", "Use at least 100 bootstrap resamples."
        )
    fits = [kaplan_meier(t[labels == lv], e[labels == lv], confidence=confidence) for lv in levels]
    diff = fits[1].median - fits[0].median
    rng = np.random.default_rng(seed)
    boots = []
    for lv in levels:
        mask = labels == lv
        counts = rng.multinomial(mask.sum(), np.full(mask.sum(), 1 / mask.sum()), size=n_resamples)
        boots.append(_boot_medians(t[mask], e[mask], counts.astype(float)))
    bdiff = boots[1] - boots[0]
    valid = bdiff[np.isfinite(bdiff)]
    alpha = 1 - confidence
    if np.isfinite(diff) and len(valid) >= 0.9 * n_resamples:
        lo, hi = np.quantile(valid, [alpha / 2, 1 - alpha / 2])
        se = float(valid.std(ddof=1))
    else:
        lo = hi = se = float("nan")
    chi2, df, p, _ = logrank_test(t, e, labels)
    return MedianDifferenceResult(
        median_0=fits[0].median,
        median_1=fits[1].median,
        difference=diff,
        se=se,
        ci_low=float(lo),
        ci_high=float(hi),
        confidence=confidence,
        n_0=fits[0].n,
        n_1=fits[1].n,
        events_0=fits[0].n_events,
        events_1=fits[1].n_events,
        n_resamples=n_resamples,
        n_valid_resamples=len(valid),
        seed=seed,
        logrank_chisq=chi2,
        logrank_df=df,
        logrank_p=p,
        variant=(
            "difference of Kaplan-Meier medians, stratified bootstrap percentile interval; "
            "log-rank test as R survdiff (rho = 0)"
        ),
        group_0=levels[0],
        group_1=levels[1],
    )
