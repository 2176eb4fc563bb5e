"""Kirkpatrick level 3: supervisors' ratings of work-plan quality after training.

Each rated person-year has a before-rating (before the year's classes) and an
after-rating of the plan's dimension (mean of its items). Treated: the person
completed an activity of the L3 program that year. Comparison: person-years
of writers not trained in an earlier year (the effect persists, so earlier
completers are neither). ``workplan_quality_att`` is the ATT by regression
adjustment (:func:`~mutu.evaluation.effects.treatment_effect`,
``method="regression"``, ``estimand="ATT"``: an OLS fit on the comparison
person-years predicts each participant's untreated after-rating) on the
before-rating and the plan's covariates, with influence-function standard
errors clustered by person (the same person is rated in several years;
SKPK differences enter as fixed effects). Regression adjustment rather than
a propensity model: small SKPK with no participants make the propensity
score 0 and a weighting estimator undefined, while the outcome regression is
unaffected. The balance table is shown before and after ATT weighting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import ClassVar

import numpy as np
import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.evaluation.effects import treatment_effect
from mutu.evaluation.pipeline.adjust import balance_tables, pool_sparse_levels
from mutu.evaluation.pipeline.helpers import finite
from mutu.evaluation.pipeline.inputs import has
from mutu.evaluation.pipeline.people import attach_covariates
from mutu.evaluation.pipeline.plan import COVARIATE_LABELS, EvaluationPlan, covariate_text
from mutu.evaluation.pipeline.report import Estimand, NoData, Section
from mutu.evaluation.result import check_lang, format_number

__all__ = ["BehaviourSection", "behaviour", "rating_panel"]


def _labels(plan: EvaluationPlan, covariates: list[str], lang: str) -> tuple[tuple[str, str], ...]:
    k = 0 if lang == "id" else 1
    names = {c: COVARIATE_LABELS.get(c, (c, c))[k] for c in covariates}
    if lang == "id":
        names.update(treated=f"pelatihan {plan.l3_program}", after="kualitas rencana kerja")
    else:
        names.update(treated=f"the {plan.l3_program} training", after="work-plan quality")
    return tuple(names.items())


def rating_panel(frames: Mapping[str, pd.DataFrame], plan: EvaluationPlan) -> pd.DataFrame:
    """Per rated NIP and year: the ``before`` and ``after`` scores of the plan's dimension."""
    items = frames["items"]
    codes = items.loc[
        (items["instrument"] == plan.rating_instrument)
        & (items["dimension"] == plan.rating_dimension),
        "code",
    ]
    resp = frames["responses"]
    resp = resp[
        (resp["instrument"] == plan.rating_instrument).to_numpy()
        & resp["subject_nip"].notna().to_numpy()
        & resp["occasion"].isin([plan.rating_before, plan.rating_after]).to_numpy()
    ]
    ans = frames["answers"]
    ans = ans[ans["token"].isin(set(resp["token"])).to_numpy() & ans["item"].isin(set(codes))]
    score = ans.groupby("token")["value"].mean()
    r = pd.DataFrame(
        {
            "nip": resp["subject_nip"].to_numpy(dtype=object),
            "year": resp["submitted_at"].dt.year.to_numpy(),
            "occasion": resp["occasion"].to_numpy(dtype=object),
            "score": resp["token"].map(score).to_numpy(dtype=float),
        }
    )
    panel = r.pivot_table(index=["nip", "year"], columns="occasion", values="score", aggfunc="mean")
    panel = panel.rename(columns={plan.rating_before: "before", plan.rating_after: "after"})
    for col in ("before", "after"):
        if col not in panel.columns:
            panel[col] = np.nan
    return panel.reset_index()[["nip", "year", "before", "after"]]


@dataclass(frozen=True, eq=False, kw_only=True)
class BehaviourSection(Section):
    """Level 3: the adjusted effect on the after-rating, the naive gap and the balance."""

    key: ClassVar[str] = "l3_behaviour"
    program: str
    dimension: str
    n_treated: int
    n_control: int
    n_dropped: int
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    naive: float | None
    mean_after_treated: float | None
    mean_after_control: float | None
    se_type: str
    variant: str
    balance_note: str
    effect_summary_id: str
    effect_summary_en: str
    balance_before: pd.DataFrame = field(repr=False)
    balance_after: pd.DataFrame | None = field(repr=False)
    per_year: pd.DataFrame = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame | None]:
        """Balance before/after and the counts and means per year."""
        return {
            "balance_before": self.balance_before,
            "balance_after": self.balance_after,
            "per_year": self.per_year,
        }

    def summary(self, lang: str = "id") -> str:
        """The adjusted effect (from :class:`EffectResult`) and the naive gap beside it."""
        lng = check_lang(lang)
        naive = format_number(self.naive, 2, lng)
        flagged = 0 if self.balance_after is None else int(self.balance_after["flag"].sum())
        if lng == "id":
            return (
                f"{self.effect_summary_id} Selisih mentah (tanpa penyesuaian) {naive}. "
                f"Kovariat dengan |SMD| > 0,1 setelah pembobotan: {flagged}."
            )
        return (
            f"{self.effect_summary_en} The raw gap (unadjusted) is {naive}. Covariates with "
            f"|SMD| > 0.1 after weighting: {flagged}."
        )


def behaviour(
    frames: Mapping[str, pd.DataFrame],
    plan: EvaluationPlan,
    employees: pd.DataFrame,
    enrollments: pd.DataFrame,
    *,
    year: int,
    confidence: float,
) -> tuple[Section, Estimand]:
    """The L3 section and the ``workplan_quality_att`` estimand."""
    need = ("items", "responses", "answers", "enrollments", "employees")
    if not has(frames, *need):
        missing = tuple(n for n in need if not has(frames, n))
        return NoData(section="l3_behaviour", missing=missing), Estimand.no_data(
            "workplan_quality_att", "no supervisor ratings or enrollments"
        )
    panel = rating_panel(frames, plan)
    panel = panel[panel["year"] <= year]
    done = enrollments[(enrollments["program"] == plan.l3_program) & enrollments["completed"]]
    trained_year = done.groupby("nip")["year"].min()
    panel["trained_year"] = panel["nip"].map(trained_year)
    earlier = (panel["trained_year"] < panel["year"]).to_numpy()
    s = panel[~earlier & panel["after"].notna().to_numpy()].copy()
    s["treated"] = (s["trained_year"] == s["year"]).astype(int)
    if s["treated"].sum() < 2 or (1 - s["treated"]).sum() < 2:
        return NoData(
            section="l3_behaviour", missing=(f"rated participants of {plan.l3_program}",)
        ), Estimand.no_data("workplan_quality_att", "no rated participants")
    s["mid_year"] = pd.to_datetime(s["year"].astype(int).astype(str) + "-07-01")
    covs = tuple(plan.l3_covariates)
    s = attach_covariates(s, employees, covs, when="mid_year")
    s["year"] = s["year"].astype(int).astype(str)
    naive = float(
        s.loc[s["treated"] == 1, "after"].mean() - s.loc[s["treated"] == 0, "after"].mean()
    )
    per_year = pd.DataFrame(
        s.groupby(["year", "treated"])["after"].agg(["size", "mean"]).unstack("treated")
    )
    per_year.columns = [
        f"{col[0]}_{'treated' if col[1] else 'control'}" for col in per_year.columns.to_list()
    ]
    usable = [c for c in covs if s[c].notna().any() and s[c].nunique(dropna=True) > 1]
    s, pooled = pool_sparse_levels(s, treatment="treated", covariates=usable)
    try:
        res = treatment_effect(
            s,
            outcome="after",
            treatment="treated",
            covariates=usable,
            method="regression",
            estimand="ATT",
            cluster="nip",
            confidence=confidence,
        )
    except MutuValueError as exc:
        return NoData(section="l3_behaviour", missing=(str(exc),)), Estimand.no_data(
            "workplan_quality_att", str(exc)
        )
    before, after, note = balance_tables(s, treatment="treated", covariates=tuple(usable))
    t, c = s["treated"] == 1, s["treated"] == 0
    section = BehaviourSection(
        program=plan.l3_program,
        dimension=plan.rating_dimension,
        n_treated=res.n_treated,
        n_control=res.n_control,
        n_dropped=res.n_dropped,
        estimate=res.estimate,
        se=res.se,
        ci_low=res.ci_low,
        ci_high=res.ci_high,
        p_value=res.p_value,
        naive=naive,
        mean_after_treated=finite(s.loc[t, "after"].mean()),
        mean_after_control=finite(s.loc[c, "after"].mean()),
        se_type=res.se_type,
        variant=res.variant,
        balance_note=note,
        notes=tuple(pooled),
        effect_summary_id=replace(res, labels=_labels(plan, usable, "id")).summary("id"),
        effect_summary_en=replace(res, labels=_labels(plan, usable, "en")).summary("en"),
        balance_before=before,
        balance_after=after,
        per_year=per_year,
    )
    estimand = Estimand(
        "workplan_quality_att",
        estimate=res.estimate,
        se=res.se,
        ci_low=res.ci_low,
        ci_high=res.ci_high,
        method=(
            f"ATT of {plan.l3_program} by regression adjustment on "
            f"{covariate_text(usable, 'en')}; SE {res.se_type} by person"
        ),
        n=res.n_treated,
        p_value=res.p_value,
        naive=naive,
        naive_definition="mean after-rating of the trained minus that of writers not (yet) trained",
        method_id=(
            f"ATT pelatihan {plan.l3_program} dengan penyesuaian regresi atas "
            f"{covariate_text(usable, 'id')}; galat baku fungsi pengaruh, klaster per orang"
        ),
        naive_definition_id=(
            "rata-rata penilaian sesudah pada yang dilatih dikurangi pada yang belum dilatih"
        ),
        population=(
            f"person-years completing {plan.l3_program} that year, with before- and after-ratings"
        ),
        confidence=confidence,
        status="ok" if min(res.n_treated, res.n_control) >= plan.min_n else "too_few",
        details=(("n_control", res.n_control), ("n_dropped", res.n_dropped)),
    )
    return section, estimand
