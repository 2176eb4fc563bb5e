"""Kirkpatrick level 4: public satisfaction (IKM) of service units, staggered DiD.

IKM per unit and year: from ``skm_results`` as ``conversion_factor × weight ×
Σ NRR`` over the ``skm`` rulebook's elements (the version in force on 31
December of the year), or from the SKM answers with :func:`mutu.indices.skm`.
Units are those the plan's program targets (``program_units``); a unit
adopts in ``adoption_year`` (empty = never). The panel must be balanced:
units without an IKM in some year are left out and counted.

``ikm_att`` is the Callaway–Sant'Anna ATT with the *simple* aggregation —
the average of ATT(g, t) over every adopted unit-year (cohort-size weights),
i.e. the mean effect over adopted unit-years — with analytical
influence-function standard errors (:func:`~mutu.evaluation.did.staggered_did`).
The cohort-averaged ("group") aggregation, the event study, the pre-trend
test and the TWFE coefficient are reported beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.evaluation.did import staggered_did
from mutu.evaluation.pipeline.helpers import finite, normal_test
from mutu.evaluation.pipeline.inputs import has
from mutu.evaluation.pipeline.plan import EvaluationPlan
from mutu.evaluation.pipeline.report import Estimand, NoData, Section
from mutu.evaluation.result import check_lang, format_number
from mutu.indices import skm, skm_wide
from mutu.rulebooks import load

__all__ = ["ResultsSection", "ikm_panel", "results"]


def _ikm_from_results(frames: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, set[str]]:
    s = frames["skm_results"]
    s = s.assign(year=s["period_start"].dt.year)
    parts, labels = [], set()
    for key, part in s.groupby("year"):
        year = int(str(key))
        book = load("skm", date(year, 12, 31))
        labels.add(book.label)
        codes = [str(r["code"]) for r in book.records("elements")]
        factor = float(book.integer("conversion_factor")) * float(book.fraction("weight"))
        wide = part.pivot_table(index="unit", columns="element", values="nrr", aggfunc="mean")
        wide = wide.reindex(columns=codes)
        n = part.groupby("unit")["respondent_count"].max()
        parts.append(
            pd.DataFrame(
                {
                    "unit": wide.index.to_numpy(dtype=object),
                    "year": year,
                    "ikm": factor * wide.sum(axis=1, min_count=len(codes)).to_numpy(),
                    "respondents": n.reindex(wide.index).to_numpy(dtype=float),
                }
            )
        )
    return pd.concat(parts, ignore_index=True), labels


def _ikm_from_responses(
    frames: Mapping[str, pd.DataFrame], plan: EvaluationPlan
) -> tuple[pd.DataFrame, set[str]]:
    wide = skm_wide(frames["responses"], frames["answers"], instrument=plan.skm_instrument)
    res = skm(wide, by=["unit", "year"])
    g = res.groups.reset_index()
    out = pd.DataFrame(
        {
            "unit": g["unit"].to_numpy(dtype=object),
            "year": g["year"].astype(int).to_numpy(),
            "ikm": g["ikm"].to_numpy(dtype=float),
            "respondents": g["n"].to_numpy(dtype=float),
        }
    )
    return out, set(res.rulebook.split("; "))


def ikm_panel(
    frames: Mapping[str, pd.DataFrame], plan: EvaluationPlan
) -> tuple[pd.DataFrame, set[str]] | None:
    """IKM per unit and year (``unit``, ``year``, ``ikm``, ``respondents``), or None."""
    if plan.ikm_source == "skm_results" and has(frames, "skm_results"):
        return _ikm_from_results(frames)
    if (
        has(frames, "responses", "answers")
        and (frames["responses"]["instrument"] == plan.skm_instrument).any()
    ):
        return _ikm_from_responses(frames, plan)
    if has(frames, "skm_results"):
        return _ikm_from_results(frames)
    return None


@dataclass(frozen=True, eq=False, kw_only=True)
class ResultsSection(Section):
    """Level 4: IKM per unit-year and the staggered DiD on program adoption."""

    key: ClassVar[str] = "l4_results"
    program: str
    n_units: int
    n_units_dropped_unbalanced: int
    n_cohorts: int
    n_never_treated: int
    n_adopted_unit_years: int
    simple: float | None
    simple_se: float | None
    simple_ci_low: float | None
    simple_ci_high: float | None
    overall: float | None
    overall_se: float | None
    event_study_overall: float | None
    pretrend_chi2: float | None
    pretrend_df: int
    pretrend_p: float | None
    twfe: float | None
    twfe_se: float | None
    twfe_ci_low: float | None
    twfe_ci_high: float | None
    naive: float | None
    control: str
    variant: str
    did_summary_id: str
    did_summary_en: str
    panel: pd.DataFrame = field(repr=False)
    att_gt: pd.DataFrame = field(repr=False)
    event_study: pd.DataFrame = field(repr=False)
    group_effects: pd.DataFrame = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame | None]:
        """IKM panel, ATT(g,t), event study, cohort effects."""
        return {
            "ikm_panel": self.panel,
            "att_gt": self.att_gt,
            "event_study": self.event_study,
            "group_effects": self.group_effects,
        }

    def summary(self, lang: str = "id") -> str:
        """The headline (simple aggregation), then the DiD paragraph of :class:`DidResult`."""
        lng = check_lang(lang)
        est = format_number(self.simple, 2, lng)
        lo, hi = (
            format_number(self.simple_ci_low, 2, lng),
            format_number(self.simple_ci_high, 2, lng),
        )
        if lng == "id":
            return (
                f"Rata-rata dampak atas {self.n_adopted_unit_years} unit-tahun yang sudah ikut "
                f"program {self.program} (agregasi sederhana): {est} poin IKM (IK {lo} hingga "
                f"{hi}). {self.did_summary_id}"
            )
        return (
            f"Average effect over the {self.n_adopted_unit_years} adopted unit-years of "
            f"{self.program} (simple aggregation): {est} IKM points (CI {lo} to {hi}). "
            f"{self.did_summary_en}"
        )


def results(
    frames: Mapping[str, pd.DataFrame],
    plan: EvaluationPlan,
    *,
    year: int,
    confidence: float,
) -> tuple[Section, Estimand, set[str]]:
    """The L4 section, the ``ikm_att`` estimand and the rulebook labels used."""
    got = ikm_panel(frames, plan) if has(frames, "program_units") else None
    if got is None:
        missing = tuple(n for n in ("skm_results", "program_units") if not has(frames, n))
        return (
            NoData(section="l4_results", missing=missing or ("SKM",)),
            Estimand.no_data("ikm_att", "no SKM results or program units"),
            set(),
        )
    ikm, labels = got
    pu = frames["program_units"]
    pu = pu[pu["program"] == plan.did_program]
    first = pd.Series(pu["adoption_year"].to_numpy(dtype=float), index=pu["unit"].to_numpy())
    first = first[~first.index.duplicated()].fillna(0.0)
    panel = ikm[ikm["unit"].isin(first.index) & (ikm["year"] <= year)].dropna(subset=["ikm"])
    n_years = panel["year"].nunique()
    complete = panel.groupby("unit")["year"].nunique() == n_years
    dropped = int((~complete).sum())
    panel = panel[panel["unit"].map(complete).to_numpy(dtype=bool)].copy()
    panel["first_treated"] = panel["unit"].map(first).to_numpy()
    panel["adopted"] = (panel["first_treated"] > 0) & (panel["year"] >= panel["first_treated"])
    control = plan.did_control
    notes: list[str] = []
    if control == "never" and not (panel.groupby("unit")["first_treated"].first() == 0).any():
        control = "notyet"
        notes.append("no never-adopting unit: not-yet-adopting units are the comparison")
    try:
        did = staggered_did(
            panel,
            outcome="ikm",
            unit="unit",
            time="year",
            first_treated="first_treated",
            control="never" if control == "never" else "notyet",
            confidence=confidence,
            outcome_label="IKM",
        )
    except MutuValueError as exc:
        return (
            NoData(section="l4_results", missing=(str(exc),)),
            Estimand.no_data("ikm_att", str(exc)),
            labels,
        )
    adopted = panel["adopted"].to_numpy(dtype=bool)
    naive = finite(panel.loc[adopted, "ikm"].mean() - panel.loc[~adopted, "ikm"].mean())
    simple = did.simple
    lo, hi, p = normal_test(simple.estimate, simple.se, confidence)
    n_treated_units = did.n_units - did.n_never_treated
    section = ResultsSection(
        program=plan.did_program,
        n_units=did.n_units,
        n_units_dropped_unbalanced=dropped,
        n_cohorts=did.n_groups,
        n_never_treated=did.n_never_treated,
        n_adopted_unit_years=int(adopted.sum()),
        simple=simple.estimate,
        simple_se=simple.se,
        simple_ci_low=finite(lo),
        simple_ci_high=finite(hi),
        overall=did.overall.estimate,
        overall_se=did.overall.se,
        event_study_overall=did.event_study_overall.estimate,
        pretrend_chi2=finite(did.pretrend_chi2),
        pretrend_df=did.pretrend_df,
        pretrend_p=finite(did.pretrend_p),
        twfe=did.twfe.estimate,
        twfe_se=did.twfe.se,
        twfe_ci_low=did.twfe.ci_low,
        twfe_ci_high=did.twfe.ci_high,
        naive=naive,
        control=control,
        variant=did.variant,
        did_summary_id=did.summary("id"),
        did_summary_en=did.summary("en"),
        notes=tuple(notes),
        panel=panel.reset_index(drop=True),
        att_gt=did.att_gt,
        event_study=did.event_study,
        group_effects=did.group_effects,
    )
    estimand = Estimand(
        "ikm_att",
        estimate=simple.estimate,
        se=simple.se,
        ci_low=lo,
        ci_high=hi,
        method=(
            f"Callaway–Sant'Anna staggered DiD on {plan.did_program} adoption, "
            f"{'never' if control == 'never' else 'not-yet'}-adopting comparison units, simple "
            "aggregation over adopted unit-years, influence-function SE"
        ),
        n=int(adopted.sum()),
        p_value=finite(p),
        naive=naive,
        naive_definition="mean IKM of adopted unit-years minus that of all other unit-years",
        method_id=(
            f"DiD bertahap Callaway–Sant'Anna atas adopsi {plan.did_program}, pembanding unit "
            f"yang {'tidak pernah' if control == 'never' else 'belum'} ikut, agregasi sederhana "
            "atas unit-tahun yang sudah ikut, galat baku fungsi pengaruh"
        ),
        naive_definition_id="rata-rata IKM unit-tahun yang sudah ikut dikurangi unit-tahun lainnya",
        population=f"unit-years of units from the year they adopted {plan.did_program}",
        confidence=confidence,
        status=(
            "ok"
            if min(n_treated_units, did.n_never_treated if control == "never" else did.n_units) >= 5
            else "too_few"
        ),
        details=(
            ("n_units", did.n_units),
            ("overall_group_aggregation", did.overall.estimate),
            ("overall_group_aggregation_se", did.overall.se),
            ("pretrend_p", finite(did.pretrend_p)),
            ("twfe", did.twfe.estimate),
            ("twfe_se", did.twfe.se),
        ),
    )
    return section, estimand, labels
