"""Staggered difference-in-differences: Callaway & Sant'Anna group-time effects.

Units (e.g. OPD) adopt a program in different periods. Two-way fixed effects
is biased then (Goodman-Bacon 2021); :func:`staggered_did` follows R's ``did``
package (``att_gt`` with ``xformla = ~1``, ``bstrap = FALSE``, then ``aggte``):
group-time effects :math:`ATT(g,t)` against never-treated (or not-yet-treated)
units, their aggregations and a pre-trend Wald test, all with analytical
standard errors from the influence functions. The static TWFE estimate is
reported beside it so a reader sees the difference.

Only balanced panels are handled (every unit observed once in every period,
no missing outcome); anything else is refused with a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from mutu.domain.errors import MutuValueError
from mutu.evaluation.result import Result, check_lang, format_number, format_p

__all__ = ["AggregateEffect", "DidResult", "TwfeEstimate", "staggered_did"]

FloatArray = NDArray[np.float64]
TOO_FEW = 5


def _range(lo: float, hi: float, digits: int, lang: str) -> str:
    """An interval for a sentence: ``0,21–0,47``; ``-0,06 hingga -0,01`` with a negative limit."""
    a = format_number(lo, digits, lang)  # type: ignore[arg-type]
    b = format_number(hi, digits, lang)  # type: ignore[arg-type]
    if lo < 0 or hi < 0:
        return f"{a} {'hingga' if lang == 'id' else 'to'} {b}"
    return f"{a}–{b}"


@dataclass(frozen=True)
class AggregateEffect:
    """An aggregated ATT with its standard error and normal-theory interval."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class TwfeEstimate:
    """Static two-way fixed-effects coefficient of 'treated and already adopted'."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n_clusters: int


@dataclass(frozen=True, eq=False)
class DidResult(Result):
    """Callaway–Sant'Anna estimates: ATT(g,t), aggregations, pre-trend test and TWFE.

    ``att_gt`` has columns ``group``, ``time``, ``base``, ``att``, ``se``,
    ``ci_low``, ``ci_high``, ``post``; ``event_study`` has ``event_time``,
    ``att``, ``se``, ``ci_low``, ``ci_high`` (pointwise intervals, not R's
    simultaneous bands); ``group_effects`` has ``group``, ``att``, ``se``,
    ``ci_low``, ``ci_high``. ``overall`` is R ``aggte(type = "group")``'s
    overall ATT, ``simple`` is ``type = "simple"``, ``event_study_overall`` the
    average of the event-time effects for ``e >= 0`` (``type = "dynamic"``).
    """

    overall: AggregateEffect
    simple: AggregateEffect
    event_study_overall: AggregateEffect
    twfe: TwfeEstimate
    pretrend_chi2: float
    pretrend_df: int
    pretrend_p: float
    n_units: int
    n_groups: int
    n_never_treated: int
    n_dropped_always_treated: int
    control: str
    base_period: str
    confidence: float
    outcome: str
    variant: str
    outcome_label: str = ""
    att_gt: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    event_study: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    group_effects: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row: the aggregated effects, the pre-trend test and the TWFE contrast."""
        row = self.scalars()
        for name in ("overall", "simple", "event_study_overall", "twfe"):
            part = getattr(self, name)
            for key in ("estimate", "se", "ci_low", "ci_high"):
                row[f"{name}_{key}"] = getattr(part, key)
        return pd.DataFrame([row])

    def summary(self, lang: str = "id") -> str:
        """A paragraph: the overall effect with its interval, the pre-trend test, TWFE beside it."""
        lang = check_lang(lang)

        def fmt(v: float) -> str:
            return format_number(v, 3, lang)

        pct = format_number(100 * self.confidence, 0, lang)
        y = self.outcome_label or self.outcome
        o = self.overall
        n_treated_units = self.n_units - self.n_never_treated
        if min(n_treated_units, self.n_units - n_treated_units) < TOO_FEW:
            if lang == "id":
                return (
                    f"Terlalu sedikit unit ({n_treated_units} ikut program, "
                    f"{self.n_units - n_treated_units} lainnya) untuk menilai dampak pada {y}; "
                    f"perkiraan {fmt(o.estimate)} hanya dicatat, bukan disimpulkan."
                )
            return (
                f"Too few units ({n_treated_units} adopting, "
                f"{self.n_units - n_treated_units} others) to judge the effect on {y}; the "
                f"estimate {fmt(o.estimate)} is recorded, not concluded."
            )
        ci = _range(o.ci_low, o.ci_high, 3, lang)
        t = self.twfe
        twfe_ci = _range(t.ci_low, t.ci_high, 3, lang)
        p = format_p(self.pretrend_p, lang)
        if lang == "id":
            ctrl = (
                "unit yang belum pernah ikut program"
                if self.control == "never"
                else "unit yang belum atau belum pernah ikut program"
            )
            verb = "menaikkan" if o.estimate > 0 else "menurunkan"
            text = (
                f"Dengan metode Callaway–Sant'Anna ({self.n_groups} kohort, {self.n_units} unit; "
                f"pembanding: {ctrl}), program {verb} {y} rata-rata sebesar {fmt(abs(o.estimate))} "
                f"(IK {pct}% {ci}) pada unit yang ikut, dirata-rata menurut kohort."
            )
            if o.ci_low <= 0 <= o.ci_high:
                text += " Interval ini mencakup nol, jadi dampaknya belum dapat dipastikan."
            if np.isfinite(self.pretrend_p):
                text += f" Uji tren sebelum program: {p} (satu uji, belum dikoreksi)" + (
                    "; tren sebelum program tampak tidak sejajar, jadi hasil perlu dibaca "
                    "hati-hati."
                    if self.pretrend_p < 0.05
                    else "."
                )
            text += (
                " Sebagai pembanding, regresi efek tetap dua arah (TWFE) memberi "
                f"{fmt(t.estimate)} (IK {pct}% {twfe_ci}); angka itu bisa bias bila dampak "
                "berbeda antar-kohort atau berubah dari waktu ke waktu. Asumsi: tanpa program, "
                f"rata-rata {y} unit yang ikut akan bergerak sejajar dengan pembanding "
                "(tren paralel), dan tidak ada efek antisipasi."
            )
            return text
        ctrl = "never-adopting units" if self.control == "never" else "not-yet-adopting units"
        verb = "raised" if o.estimate > 0 else "lowered"
        text = (
            f"With the Callaway–Sant'Anna method ({self.n_groups} cohorts, {self.n_units} units; "
            f"comparison: {ctrl}), the program {verb} {y} by {fmt(abs(o.estimate))} on average "
            f"({pct}% CI {ci}) among adopting units, averaged over cohorts."
        )
        if o.ci_low <= 0 <= o.ci_high:
            text += " The interval includes zero, so the effect is not established."
        if np.isfinite(self.pretrend_p):
            text += f" Pre-trend test: {p} (a single test, not corrected)" + (
                "; pre-program trends look non-parallel, so read the result with care."
                if self.pretrend_p < 0.05
                else "."
            )
        text += (
            f" For contrast, a two-way fixed-effects (TWFE) regression gives {fmt(t.estimate)} "
            f"({pct}% CI {twfe_ci}); that number can be biased when effects differ across cohorts "
            f"or change over time. Assumption: without the program, the adopting units' average "
            f"{y} would have moved in parallel with the comparison units, with no anticipation."
        )
        return text


def _panel(
    data: pd.DataFrame, outcome: str, unit: str, time: str, first_treated: str
) -> tuple[FloatArray, FloatArray, FloatArray, NDArray[np.object_]]:
    """Wide outcome matrix (units × sorted periods), periods, first-treated per unit, unit ids."""
    if not isinstance(data, pd.DataFrame):
        raise MutuValueError("data harus berupa DataFrame pandas.", "data must be a DataFrame.")
    missing = [c for c in (outcome, unit, time, first_treated) if c not in data.columns]
    if missing:
        raise MutuValueError(
            f"Kolom tidak ditemukan: {', '.join(missing)}.",
            f"Columns not found: {', '.join(missing)}.",
        )
    frame = data[[outcome, unit, time, first_treated]]
    if frame[[outcome, unit, time]].isna().any().any():
        raise MutuValueError(
            "Ada nilai kosong pada hasil, unit atau waktu; metode ini memerlukan panel seimbang.",
            "Outcome, unit or time has missing values; this method needs a balanced panel.",
        )
    for col in (outcome, time):
        if not pd.api.types.is_numeric_dtype(frame[col]):
            raise MutuValueError(
                f"Kolom {col!r} harus berupa angka.", f"Column {col!r} must be numeric."
            )
    if frame.duplicated([unit, time]).any():
        raise MutuValueError(
            "Ada unit yang tercatat lebih dari sekali pada periode yang sama.",
            "Some unit appears more than once in the same period.",
        )
    wide = frame.pivot(index=unit, columns=time, values=outcome).sort_index(axis=1)
    if wide.isna().any().any():
        raise MutuValueError(
            "Panel tidak seimbang: tidak semua unit teramati di setiap periode. Lengkapi data "
            "atau batasi ke unit dan periode yang lengkap.",
            "Unbalanced panel: not every unit is observed in every period. Complete the data or "
            "restrict it to complete units and periods.",
        )
    g = frame.groupby(unit)[first_treated].agg(["min", "max"]).fillna(0)
    if (g["min"] != g["max"]).any():
        raise MutuValueError(
            f"{first_treated!r} harus tetap untuk setiap unit.",
            f"{first_treated!r} must be constant within each unit.",
        )
    first = g["min"].reindex(wide.index).to_numpy(dtype=float)
    periods = wide.columns.to_numpy(dtype=float)
    return wide.to_numpy(dtype=float), periods, first, wide.index.to_numpy()


def _wif(keep_groups: FloatArray, pg: FloatArray, g_unit: FloatArray) -> FloatArray:
    """Influence function of the estimated weights pg/sum(pg) (R did's ``wif``)."""
    ind = (g_unit[:, None] == keep_groups[None, :]).astype(float) - pg[None, :]
    total = pg.sum()
    return np.asarray(ind / total - np.outer(ind.sum(axis=1), pg / total**2), dtype=float)


def _agg(
    att: FloatArray,
    inf: FloatArray,
    cols: NDArray[np.intp],
    groups: FloatArray,
    pg_of: Mapping[float, float],
    g_unit: FloatArray,
) -> tuple[float, FloatArray]:
    """Group-size weighted average of ATT(g,t) cells with its influence function (with wif)."""
    pg = np.array([pg_of[g] for g in groups[cols]])
    w = pg / pg.sum()
    est = float(att[cols] @ w)
    inf_agg = inf[:, cols] @ w + _wif(groups[cols], pg, g_unit) @ att[cols]
    return est, inf_agg


def _twfe(y: FloatArray, treat: FloatArray, confidence: float) -> TwfeEstimate:
    r"""Static TWFE with unit and period effects, CR1 clustered by unit.

    As R ``fixest::feols(y ~ d | unit + period, cluster = ~unit)`` with its default
    small-sample correction: :math:`G/(G-1)\cdot(N-1)/(N-K)` with :math:`K = 1 + T`
    (the unit effects, nested in the clusters, are not counted; the :math:`T`
    period effects are: ``fixef.K = "nested"``) and :math:`t_{G-1}` intervals.
    """
    n, t = y.shape

    def demean(a: FloatArray) -> FloatArray:
        out = a - a.mean(axis=1, keepdims=True) - a.mean(axis=0, keepdims=True) + a.mean()
        return np.asarray(out, dtype=float)

    yt, dt = demean(y), demean(treat)
    sdd = np.sum(dt**2)
    if sdd <= 0:
        raise MutuValueError(
            "Tidak ada variasi perlakuan setelah efek tetap unit dan waktu.",
            "No treatment variation left after unit and period fixed effects.",
        )
    beta = float(np.sum(dt * yt) / sdd)
    scores = np.sum(dt * (yt - beta * dt), axis=1)
    nobs, k = n * t, 1 + t  # beta + T period effects (fixest); unit effects nested in clusters
    var = np.sum(scores**2) / sdd**2 * n / (n - 1) * (nobs - 1) / (nobs - k)
    se = float(np.sqrt(var))
    crit = float(stats.t.ppf(0.5 + confidence / 2, n - 1))
    p = float(2 * stats.t.sf(abs(beta / se), n - 1)) if se > 0 else float("nan")
    return TwfeEstimate(beta, se, beta - crit * se, beta + crit * se, p, n)


def staggered_did(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    control: Literal["never", "notyet"] = "never",
    confidence: float = 0.95,
    base_period: Literal["varying", "universal"] = "varying",
    outcome_label: str | None = None,
) -> DidResult:
    """Callaway–Sant'Anna staggered DiD without covariates, as R ``did::att_gt``.

    Parameters
    ----------
    data
        Long balanced panel: one row per unit and period.
    outcome, unit, time
        Column names; ``time`` is numeric (e.g. the year).
    first_treated
        Period in which the unit first took part; 0 or missing for never-treated
        units. Units first treated after the last period count as never treated;
        units treated in the first period carry no information and are dropped.
    control
        ``"never"`` (never-treated units, R ``"nevertreated"``) or ``"notyet"``
        (never- and not-yet-treated units, R ``"notyettreated"``).
    base_period
        ``"varying"`` (R's default: pre-period effects compare consecutive
        periods) or ``"universal"`` (always the period before adoption).
    outcome_label
        Readable name of the outcome for the summary.

    Returns
    -------
    DidResult

    Notes
    -----
    For cohort :math:`g` and period :math:`t` with base period :math:`b`,

    .. math::

        ATT(g,t) = \\overline{Y_t - Y_b}\\,\\big|_{G=g} - \\overline{Y_t - Y_b}\\,\\big|_{C},

    :math:`C` the comparison units. Its influence function is
    :math:`N (\\Delta Y_i - \\bar{\\Delta Y}_g)/n_g` for units of the cohort and
    :math:`-N (\\Delta Y_i - \\bar{\\Delta Y}_C)/n_C` for comparison units;
    standard errors are :math:`\\sqrt{\\sum_i \\psi_i^2}/N`. Aggregations weight
    cells by cohort size :math:`P(G=g)` and add the influence function of the
    estimated weights (R ``did:::wif``). The pre-trend test is the Wald statistic
    :math:`N\\,\\hat\\theta_{pre}' \\hat V_{pre}^{-1} \\hat\\theta_{pre}` on the
    pre-period cells, chi-square with as many degrees of freedom.

    References
    ----------
    Callaway, B., & Sant'Anna, P. H. C. (2021). Difference-in-differences with
    multiple time periods. *Journal of Econometrics*, 225(2), 200–230.
    Goodman-Bacon, A. (2021). Difference-in-differences with variation in
    treatment timing. *Journal of Econometrics*, 225(2), 254–277.
    """
    if control not in ("never", "notyet"):
        raise MutuValueError(
            f"Kelompok pembanding tidak dikenal: {control!r} (never atau notyet).",
            f"Unknown control group: {control!r} (never or notyet).",
        )
    if base_period not in ("varying", "universal"):
        raise MutuValueError(
            f"Periode dasar tidak dikenal: {base_period!r}.",
            f"Unknown base period: {base_period!r}.",
        )
    if not 0 < confidence < 1:
        raise MutuValueError(
            "Tingkat kepercayaan harus antara 0 dan 1.", "The confidence must lie between 0 and 1."
        )
    y, periods, first, _ = _panel(data, outcome, unit, time, first_treated)
    first = np.where(first > periods[-1], 0.0, first)
    always = (first > 0) & (first <= periods[0])
    y, first = y[~always], first[~always]
    treated_groups = np.unique(first[first > 0])
    if len(treated_groups) == 0:
        raise MutuValueError(
            "Tidak ada unit yang mulai ikut program dalam periode data.",
            "No unit adopts the program within the observed periods.",
        )
    if not np.isin(treated_groups, periods).all():
        raise MutuValueError(
            f"Nilai {first_treated!r} harus salah satu periode pada kolom {time!r}.",
            f"Values of {first_treated!r} must be periods found in {time!r}.",
        )
    never = first == 0
    if control == "never" and not never.any():
        raise MutuValueError(
            "Tidak ada unit yang tidak pernah ikut program; gunakan control='notyet'.",
            "There are no never-treated units; use control='notyet'.",
        )
    n = len(first)
    crit = float(stats.norm.ppf(0.5 + confidence / 2))
    rows: list[tuple[float, float, float, float, float]] = []
    inf_cols: list[FloatArray] = []
    for g in treated_groups:
        gi = int(np.searchsorted(periods, g))
        in_g = first == g
        for ti in range(len(periods)) if base_period == "universal" else range(1, len(periods)):
            b = gi - 1 if (periods[ti] >= g or base_period == "universal") else ti - 1
            if ti == b:
                rows.append((g, periods[ti], periods[b], 0.0, np.nan))
                inf_cols.append(np.zeros(n))
                continue
            ctrl = never.copy()
            if control == "notyet":
                ctrl |= (first > max(periods[ti], periods[b])) & ~in_g
            dy = y[:, ti] - y[:, b]
            n_g, n_c = int(in_g.sum()), int(ctrl.sum())
            if n_c == 0:
                rows.append((g, periods[ti], periods[b], np.nan, np.nan))
                inf_cols.append(np.zeros(n))
                continue
            m1, m0 = dy[in_g].mean(), dy[ctrl].mean()
            inf = np.zeros(n)
            inf[in_g] = n * (dy[in_g] - m1) / n_g
            inf[ctrl] = -n * (dy[ctrl] - m0) / n_c
            rows.append((g, periods[ti], periods[b], m1 - m0, np.sqrt(np.sum(inf**2)) / n))
            inf_cols.append(inf)
    table = pd.DataFrame(rows, columns=["group", "time", "base", "att", "se"])
    inf_mat = np.column_stack(inf_cols)
    att = table["att"].to_numpy()
    groups = table["group"].to_numpy()
    tt = table["time"].to_numpy()
    valid = np.isfinite(att)
    table["ci_low"] = att - crit * table["se"]
    table["ci_high"] = att + crit * table["se"]
    table["post"] = tt >= groups
    for col in ("group", "time", "base"):
        table[col] = table[col].astype(data[time].dtype, errors="ignore")
    pg_of = {float(g): float(np.mean(first == g)) for g in treated_groups}

    def effect(inf: FloatArray, est: float) -> AggregateEffect:
        se = float(np.sqrt(np.sum(inf**2)) / n)
        return AggregateEffect(est, se, est - crit * se, est + crit * se)

    post = np.flatnonzero(valid & (tt >= groups))
    simple_est, simple_inf = _agg(att, inf_mat, post, groups, pg_of, first)
    simple = effect(simple_inf, simple_est)
    g_att, g_inf = [], []
    for g in treated_groups:
        cols = np.flatnonzero(valid & (groups == g) & (tt >= g))
        g_att.append(float(att[cols].mean()))
        g_inf.append(inf_mat[:, cols].mean(axis=1))
    g_att_a, g_inf_m = np.array(g_att), np.column_stack(g_inf)
    pgg = np.array([pg_of[float(g)] for g in treated_groups])
    overall_inf = g_inf_m @ (pgg / pgg.sum()) + _wif(treated_groups, pgg, first) @ g_att_a
    overall = effect(overall_inf, float(g_att_a @ pgg / pgg.sum()))
    group_effects = pd.DataFrame(
        [effect(g_inf_m[:, k], g_att_a[k]).__dict__ for k in range(len(g_att))]
    )
    group_effects.insert(0, "group", table["group"].drop_duplicates().to_numpy())
    group_effects = group_effects.rename(columns={"estimate": "att"})
    e_of = tt - groups
    es_rows, es_inf = [], []
    for e in np.unique(e_of[valid]):
        cols = np.flatnonzero(valid & (e_of == e))
        est, inf = _agg(att, inf_mat, cols, groups, pg_of, first)
        es_rows.append({"event_time": e, **effect(inf, est).__dict__})
        es_inf.append(inf)
    event_study = pd.DataFrame(es_rows).rename(columns={"estimate": "att"})
    dyn = event_study["event_time"].to_numpy() >= 0
    dyn_inf = np.column_stack(es_inf)[:, dyn].mean(axis=1)
    es_overall = effect(dyn_inf, float(event_study["att"].to_numpy()[dyn].mean()))
    event_study["event_time"] = event_study["event_time"].astype(int)
    pre = np.flatnonzero(valid & (tt < groups) & np.isfinite(table["se"].to_numpy()))
    chi2, pval = np.nan, np.nan
    if len(pre):
        v = inf_mat[:, pre].T @ inf_mat[:, pre] / n
        if np.linalg.cond(v) < 1 / np.finfo(float).eps:
            chi2 = float(n * att[pre] @ np.linalg.solve(v, att[pre]))
            pval = float(stats.chi2.sf(chi2, len(pre)))
    treat_now = ((first[:, None] > 0) & (periods[None, :] >= first[:, None])).astype(float)
    variant = (
        f"Callaway-Sant'Anna ATT(g,t), unconditional parallel trends, "
        f"{'never-treated' if control == 'never' else 'not-yet-treated'} comparison units, "
        f"{base_period} base period, analytical influence-function standard errors "
        "(R did att_gt bstrap = FALSE); aggregations weighted by cohort size"
    )
    return DidResult(
        overall=overall,
        simple=simple,
        event_study_overall=es_overall,
        twfe=_twfe(y, treat_now, confidence),
        pretrend_chi2=chi2,
        pretrend_df=len(pre),
        pretrend_p=pval,
        n_units=n,
        n_groups=len(treated_groups),
        n_never_treated=int(never.sum()),
        n_dropped_always_treated=int(always.sum()),
        control=control,
        base_period=base_period,
        confidence=confidence,
        outcome=outcome,
        variant=variant,
        outcome_label=outcome_label or "",
        att_gt=table,
        event_study=event_study,
        group_effects=group_effects,
    )
