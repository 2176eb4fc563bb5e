"""Internship (magang): months from appointment to the position's technical standard.

Young ASN (the comparable population): PNS appointed at most
``plan.young_max_age`` years old whose appointment (TMT) falls ``(lo, hi]``
months before the start of an internship batch (an activity of
``plan.magang_form``) — each had that batch as their chance. Interns: those
who *completed* it. Outcome: the first monthly assessment of the technical
competency of their position's standard at or above the required level,
in whole months since TMT; without one, censored at the last assessment (or
the end of the report year when never assessed).

``magang_months_to_proficiency_diff``: Kaplan–Meier median of the interns
minus the Kaplan–Meier median of the other young ASN *weighted to resemble
the interns* (ATT odds weights ``p/(1 − p)`` from a logistic propensity on
the plan's covariates: degree, age at appointment, distance, batch), medians
interpolated within the month (:mod:`~mutu.evaluation.pipeline.magang_km`).
Standard error and percentile interval from a seeded bootstrap that
resamples persons within each group and refits the propensity model each
time. The unweighted comparison (:func:`~mutu.evaluation.survival.median_difference`,
R conventions, with the log-rank test) and the naive one (medians of those
who reached the standard, censoring ignored) are reported beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.evaluation.balance import balance
from mutu.evaluation.pipeline.helpers import finite, normal_test
from mutu.evaluation.pipeline.inputs import has
from mutu.evaluation.pipeline.magang_km import (
    batched_logit,
    density_at_median,
    stratified_counts,
    untreated_median_spread,
    weighted_km_medians,
)
from mutu.evaluation.pipeline.people import age_years, attach_covariates, months_between
from mutu.evaluation.pipeline.plan import EvaluationPlan, covariate_text
from mutu.evaluation.pipeline.report import Estimand, NoData, Section
from mutu.evaluation.propensity import covariate_matrix
from mutu.evaluation.result import check_lang, format_number
from mutu.evaluation.survival import kaplan_meier, median_difference

__all__ = ["MagangSection", "magang", "young_pool"]

#: Months at which the Kaplan–Meier curves are summarised.
CURVE_MONTHS = (6, 12, 18, 24, 30, 36)


def young_pool(
    frames: Mapping[str, pd.DataFrame],
    plan: EvaluationPlan,
    employees: pd.DataFrame,
    activities: pd.DataFrame,
    enrollments: pd.DataFrame,
    *,
    end: pd.Timestamp,
) -> pd.DataFrame:
    """Young ASN with batch, internship, covariates and (months, event)."""
    batches = activities[
        (activities["form"] == plan.magang_form) & (pd.to_datetime(activities["start_date"]) <= end)
    ].sort_values("start_date", kind="stable")
    emp = employees[(employees["status"] == "PNS").to_numpy()].copy()
    emp["age_at_tmt"] = age_years(emp["birth_date"].to_numpy(), emp["tmt"].to_numpy())
    emp = emp[(emp["age_at_tmt"] <= plan.young_max_age).to_numpy()]
    tmt = pd.to_datetime(emp["tmt"])
    lo, hi = plan.young_window_months
    batch = pd.Series(None, index=emp.index, dtype=object)
    for code, start in zip(batches.index, pd.to_datetime(batches["start_date"]), strict=True):
        window = (tmt > start - pd.DateOffset(months=hi)) & (
            tmt <= start - pd.DateOffset(months=lo)
        )
        batch = batch.where(~window.to_numpy(), code)  # the latest batch wins (none overlap)
    pool = emp[batch.notna().to_numpy()].copy()
    pool["batch"] = batch[batch.notna()].to_numpy()
    interns = enrollments[(enrollments["form"] == plan.magang_form) & enrollments["completed"]]
    pool["magang"] = pool.index.isin(list(set(interns["nip"]))).astype(int)
    teknis = frames["competencies"]
    teknis_codes = set(teknis.loc[teknis["type"] == "teknis", "code"])
    std = frames["competency_standards"]
    std = std[std["competency"].isin(teknis_codes).to_numpy()].drop_duplicates("position")
    std = std.set_index("position")
    pool["competency"] = pool["position"].map(std["competency"]).to_numpy()
    pool["required"] = pool["position"].map(std["required_level"]).astype(float).to_numpy()
    ca = frames["competency_assessments"]
    ca = ca[ca["nip"].isin(pool.index).to_numpy() & (ca["assessed_on"] <= end).to_numpy()]
    ca = ca[(ca["competency"].to_numpy() == pool["competency"].reindex(ca["nip"]).to_numpy())]
    met = ca["level"].to_numpy(dtype=float) >= pool["required"].reindex(ca["nip"]).to_numpy()
    reached = ca[met].groupby("nip")["assessed_on"].min()
    last = ca.groupby("nip")["assessed_on"].max()
    pool["event"] = pool.index.isin(reached.index).astype(float)
    until = pd.Series(pool.index.map(reached), index=pool.index)
    until = until.fillna(pd.Series(pool.index.map(last), index=pool.index)).fillna(end)
    tmt_s = pd.Series(pd.to_datetime(pool["tmt"]).to_numpy(), index=pool.index)
    pool["months"] = months_between(
        tmt_s, pd.Series(pd.to_datetime(until).to_numpy(), index=pool.index)
    )
    pool["follow_up"] = months_between(tmt_s, pd.Series(end, index=pool.index))
    # Sorted by NIP: the seeded bootstrap must not depend on the order rows came from storage.
    return pool[pool["months"].notna() & pool["competency"].notna()].sort_index()


@dataclass(frozen=True, eq=False, kw_only=True)
class MagangSection(Section):
    """Kaplan–Meier summaries, the adjusted and unadjusted median differences, balance."""

    key: ClassVar[str] = "magang"
    n_young: int
    n_interns: int
    events_interns: int
    events_others: int
    median_interns: float | None
    median_others_weighted: float | None
    median_others_unweighted: float | None
    difference: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    unadjusted_difference: float | None
    unadjusted_ci_low: float | None
    unadjusted_ci_high: float | None
    logrank_p: float | None
    naive: float | None
    n_resamples: int
    n_valid_resamples: int
    seed: int
    ess_comparison: float
    variant: str
    curves: pd.DataFrame = field(repr=False)
    balance_before: pd.DataFrame = field(repr=False)
    balance_after: pd.DataFrame | None = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame | None]:
        """KM curves at 6…36 months and the balance before/after weighting."""
        return {
            "km_curves": self.curves,
            "balance_before": self.balance_before,
            "balance_after": self.balance_after,
        }

    def summary(self, lang: str = "id") -> str:
        """Medians, the adjusted difference with its bootstrap interval, the naive one."""
        lng = check_lang(lang)

        def f(v: float | None) -> str:
            return format_number(v, 1, lng)

        if min(self.n_interns, self.ess_comparison) < 5:
            return (
                f"Terlalu sedikit peserta magang (n = {self.n_interns}) atau pembanding yang "
                f"sebanding (setara {self.ess_comparison:.0f} orang) untuk dibandingkan."
                if lng == "id"
                else f"Too few interns (n = {self.n_interns}) or comparable others (worth "
                f"{self.ess_comparison:.0f} persons) to compare."
            )
        m1, m0 = f(self.median_interns), f(self.median_others_weighted)
        plain, diff = f(self.median_others_unweighted), f(self.difference)
        lo, hi = f(self.ci_low), f(self.ci_high)
        if lng == "id":
            return (
                f"Median bulan sejak pengangkatan sampai standar kompetensi teknis: {m1} pada "
                f"{self.n_interns} peserta magang dan {m0} pada ASN muda lain yang dibobot agar "
                f"sebanding (tanpa bobot {plain}); selisih {diff} bulan (IK {lo} hingga {hi}; "
                f"bootstrap {self.n_valid_resamples} ulangan). Perbandingan naif (mengabaikan "
                f"sensor dan seleksi) memberi {f(self.naive)}."
            )
        return (
            f"Median months from appointment to the technical standard: {m1} for "
            f"{self.n_interns} interns and {m0} for other young ASN weighted to be comparable "
            f"(unweighted {plain}); difference {diff} months (CI {lo} to {hi}; bootstrap, "
            f"{self.n_valid_resamples} resamples). The naive comparison (ignoring censoring and "
            f"selection) gives {f(self.naive)}."
        )


def _overlapping(pool: pd.DataFrame, covariates: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Covariates usable in the propensity model, and notes on those left out.

    A categorical covariate with a level that has only interns or no interns
    (e.g. a batch in which every young ASN did the internship) cannot be
    balanced and makes the logistic model diverge: it is left out, and said.
    """
    usable, notes = [], []
    for c in covariates:
        col = pool[c]
        if col.isna().any() or col.nunique() < 2:
            notes.append(f"{c}: missing or constant, not used")
            continue
        if not pd.api.types.is_numeric_dtype(col):
            mix = pool.groupby(c)["magang"].agg(["min", "max"])
            if (mix["min"] == mix["max"]).any():
                notes.append(f"{c}: some levels have no interns or only interns, not used")
                continue
        usable.append(c)
    return usable, notes


def _curves(pool: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for flag, label in ((1, "magang"), (0, "other")):
        g = pool[pool["magang"] == flag]
        if len(g) == 0:
            continue
        km = kaplan_meier(g["months"], g["event"])
        at = km.at(list(CURVE_MONTHS))
        at.insert(0, "group", label)
        at.insert(1, "median_km", km.median)
        parts.append(at)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def magang(
    frames: Mapping[str, pd.DataFrame],
    plan: EvaluationPlan,
    employees: pd.DataFrame,
    activities: pd.DataFrame,
    enrollments: pd.DataFrame,
    *,
    year: int,
    confidence: float,
) -> tuple[Section, Estimand]:
    """The magang section and the ``magang_months_to_proficiency_diff`` estimand."""
    need = (
        "competency_assessments",
        "competency_standards",
        "competencies",
        "enrollments",
        "employees",
    )
    name = "magang_months_to_proficiency_diff"
    if not has(frames, *need) or not (activities["form"] == plan.magang_form).any():
        missing = tuple(n for n in need if not has(frames, n)) or (plan.magang_form,)
        return NoData(section="magang", missing=missing), Estimand.no_data(name, "no internships")
    end = pd.Timestamp(year=year, month=12, day=31)
    pool = young_pool(frames, plan, employees, activities, enrollments, end=end)
    n_t = int(pool["magang"].sum())
    if n_t < 2 or len(pool) - n_t < 2:
        return NoData(section="magang", missing=("young ASN with and without internship",)), (
            Estimand.no_data(name, "too few young ASN")
        )
    covs = tuple(plan.magang_covariates)
    pool = pool.rename(columns={"age_at_tmt": "age_tmt"})
    pool = attach_covariates(pool.reset_index(), employees, tuple(c for c in covs if c != "age"))
    pool["age"] = pool["age_tmt"]
    usable, notes = _overlapping(pool, covs)
    try:
        x, _, _ = covariate_matrix(pool, usable, drop_first=True)
    except MutuValueError as exc:
        return NoData(section="magang", missing=(str(exc),)), Estimand.no_data(name, str(exc))
    x = np.column_stack([np.ones(len(pool)), x])
    y = pool["magang"].to_numpy(dtype=float)
    t = pool["months"].to_numpy(dtype=float)
    ev = pool["event"].to_numpy(dtype=float)
    counts = stratified_counts(y.astype(np.int64), plan.bootstrap_resamples, plan.seed)
    p = batched_logit(x, y, counts)
    w = counts * np.where(y[None, :] == 1, 1.0, p / (1 - p))
    treated = y == 1
    m1 = weighted_km_medians(t[treated], ev[treated], w[:, treated])
    m0 = weighted_km_medians(t[~treated], ev[~treated], w[:, ~treated])
    m0_plain = weighted_km_medians(t[~treated], ev[~treated], counts[:1, ~treated])[0]
    diff = m1 - m0
    ok = np.isfinite(diff[1:])
    est = finite(diff[0])
    w0 = w[0, ~treated]
    ess0 = float(w0.sum() ** 2 / (w0**2).sum())
    var_untreated = untreated_median_spread(
        t[~treated],
        ev[~treated],
        w0,
        np.maximum(pool["follow_up"].to_numpy(dtype=float)[treated], 0.0),
        plan.bootstrap_resamples,
        plan.seed + 1,
    )
    # Floors from the density at the median (the variance of a sample median is
    # 1 / (4 n f(m)^2)): the bootstrap and the simulation draw from a step function with few
    # heavy atoms when few comparison persons carry the weight, and understate both spreads.
    # The density comes from the unweighted comparison curve: with weights, a few heavy
    # persons make the curve drop in steps and the spacing (hence the density) meaningless.
    f0 = density_at_median(t[~treated], ev[~treated], np.ones(int((~treated).sum())))
    floor_u = 1.0 / (4.0 * n_t * f0**2) if np.isfinite(f0) and f0 > 0 else np.nan
    floor_0 = 1.0 / (4.0 * ess0 * f0**2) if np.isfinite(f0) and f0 > 0 else np.nan
    if ok.sum() > 10:
        var1 = float(np.var(m1[1:][ok], ddof=1))
        var0 = float(np.nanmax([np.var(m0[1:][ok], ddof=1), floor_0]))
        # The interns' own untreated median is never observed: its spread is simulated from
        # the weighted comparison curve with their follow-up, floored as above.
        spread = float(np.nanmax([var_untreated, floor_u, var1]))
        se = float(np.sqrt(spread + var0))
    else:
        se = np.nan
    ci_low, ci_high, p_value = normal_test(est if est is not None else np.nan, se, confidence)
    boot = diff[1:][ok]
    plain = median_difference(
        pool["months"], pool["event"], pool["magang"], n_resamples=500, seed=plan.seed
    )
    seen = pool[pool["event"] == 1]
    naive = finite(
        seen.loc[seen["magang"] == 1, "months"].median()
        - seen.loc[seen["magang"] == 0, "months"].median()
    )
    before = balance(pool, treatment="magang", covariates=usable)
    after = balance(pool, treatment="magang", covariates=usable, weights=w[0])
    variant = (
        "Kaplan-Meier medians interpolated within the month; comparison group weighted by ATT "
        f"odds p/(1-p) of a logistic propensity on {', '.join(usable)}; bootstrap "
        f"({plan.bootstrap_resamples} resamples within groups, propensity refitted, seed "
        f"{plan.seed}); SE² = max(var₁, var_u) + var₀: var₁, var₀ bootstrap variances of the "
        "two medians, var_u the simulated spread of the interns' own (never observed) "
        "untreated median; var_u and var₀ floored at 1/(4 n f(m)²) (n = interns, resp. "
        "Kish ESS of the weighted comparison; f from the 0.35-0.65 quantile spacing of the "
        "unweighted comparison curve); "
        "normal interval"
    )
    section = MagangSection(
        n_young=len(pool),
        n_interns=n_t,
        events_interns=int(ev[treated].sum()),
        events_others=int(ev[~treated].sum()),
        median_interns=finite(m1[0]),
        median_others_weighted=finite(m0[0]),
        median_others_unweighted=finite(m0_plain),
        difference=est,
        se=finite(se),
        ci_low=finite(ci_low),
        ci_high=finite(ci_high),
        unadjusted_difference=finite(plain.difference),
        unadjusted_ci_low=finite(plain.ci_low),
        unadjusted_ci_high=finite(plain.ci_high),
        logrank_p=finite(plain.logrank_p),
        naive=naive,
        n_resamples=plan.bootstrap_resamples,
        n_valid_resamples=len(boot),
        seed=plan.seed,
        ess_comparison=ess0,
        variant=variant,
        notes=tuple(
            [
                *notes,
                *(
                    [
                        f"thin comparison: the weighted other young ASN count as {ess0:.0f} "
                        "persons (Kish ESS); the interval is wide"
                    ]
                    if ess0 < 3 * plan.min_n
                    else []
                ),
            ]
        ),
        curves=_curves(pool),
        balance_before=before,
        balance_after=after,
    )
    estimand = Estimand(
        name,
        estimate=est,
        se=finite(se),
        ci_low=finite(ci_low),
        ci_high=finite(ci_high),
        method=(
            "difference of Kaplan–Meier medians, interns minus other young ASN weighted by the "
            f"propensity on {covariate_text(usable, 'en')} (ATT odds weights); bootstrap SE"
        ),
        n=n_t,
        p_value=finite(p_value),
        naive=naive,
        naive_definition=(
            "median months of interns who reached the standard minus that of other young ASN "
            "who reached it (censoring and selection ignored)"
        ),
        method_id=(
            "selisih median Kaplan–Meier, peserta magang dikurangi ASN muda lain yang dibobot "
            f"skor kecenderungan atas {covariate_text(usable, 'id')}; galat baku bootstrap"
        ),
        naive_definition_id=(
            "median bulan peserta magang yang mencapai standar dikurangi ASN muda lain yang "
            "mencapainya (sensor dan seleksi diabaikan)"
        ),
        population="young ASN who completed the internship",
        confidence=confidence,
        status="ok" if min(n_t, ess0) >= plan.min_n and est is not None else "too_few",
        details=(
            ("n_young", len(pool)),
            ("unadjusted_difference", finite(plain.difference)),
            ("logrank_p", finite(plain.logrank_p)),
            ("n_valid_resamples", len(boot)),
            (
                "bootstrap_percentile_ci",
                [finite(np.quantile(boot, q)) for q in (0.025, 0.975)] if len(boot) > 10 else None,
            ),
            ("ess_comparison", ess0),
        ),
    )
    return section, estimand
