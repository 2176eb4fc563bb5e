"""Participation: who was nominated, registered, attended and completed; incentive offers.

The funnel counts nominations (enrollments) per year and program. Attendance
by distance band uses the unit's kecamatan distance. The incentive effect is
estimated among nominations in the activity kinds and years in which offers
were made (other nominations had no chance of one): the ATT of an offer on
attending, doubly robust (:func:`~mutu.evaluation.effects.treatment_effect`,
``method="aipw"``, ``estimand="ATT"``: Sant'Anna & Zhao's DR-ATT with a
logistic propensity score and a linear outcome model on the non-offered),
adjusted for the plan's covariates — what offers were targeted on (distance,
workload) and what drives attendance (age, part-time, activity kind, year).
The result is × 100: percentage points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.evaluation.effects import treatment_effect
from mutu.evaluation.pipeline.adjust import pool_sparse_levels
from mutu.evaluation.pipeline.helpers import finite, share
from mutu.evaluation.pipeline.inputs import has
from mutu.evaluation.pipeline.people import attach_covariates
from mutu.evaluation.pipeline.plan import EvaluationPlan, covariate_text
from mutu.evaluation.pipeline.report import Estimand, NoData, Section
from mutu.evaluation.result import check_lang, format_number

__all__ = ["ParticipationSection", "participation"]


def _funnel(e: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    g = e.groupby(keys)
    out = pd.DataFrame(
        {
            "nominated": g.size(),
            "registered": g["registered"].sum(),
            "attended": g["attended"].sum(),
            "completed": g["completed"].sum(),
        }
    )
    for col in ("registered", "attended", "completed"):
        out[f"{col}_rate"] = share(out[col], out["nominated"])
    out["completed_of_attended"] = share(out["completed"], out["attended"])
    return out


def _band_labels(edges: tuple[float, ...]) -> list[str]:
    lows = (0.0, *edges)
    labels = [f"{lo:g}-{hi:g} km" for lo, hi in zip(lows[:-1], edges, strict=True)]
    return [*labels, f">{edges[-1]:g} km"]


@dataclass(frozen=True, eq=False, kw_only=True)
class ParticipationSection(Section):
    """Funnel per year, attendance by distance, and the incentive offers' effect."""

    key: ClassVar[str] = "participation"
    n_nominated: int
    attendance_rate: float | None
    completion_rate: float | None
    attendance_nearest_band: float | None
    attendance_farthest_band: float | None
    n_offered: int
    n_offer_sample: int
    incentive_effect_pp: float | None
    incentive_se_pp: float | None
    incentive_ci_low_pp: float | None
    incentive_ci_high_pp: float | None
    incentive_naive_pp: float | None
    attendance_rule: str
    variant: str
    funnel_by_year: pd.DataFrame = field(repr=False)
    funnel_by_program: pd.DataFrame = field(repr=False)
    attendance_by_distance: pd.DataFrame = field(repr=False)
    attendance_by_kecamatan: pd.DataFrame = field(repr=False)
    offers_by_scheme: pd.DataFrame = field(repr=False)
    balance_before: pd.DataFrame | None = field(repr=False, default=None)
    balance_after: pd.DataFrame | None = field(repr=False, default=None)

    def tables(self) -> dict[str, pd.DataFrame | None]:
        """Funnels, attendance by distance band, offers, balance of the offer comparison."""
        return {
            "funnel_by_year": self.funnel_by_year,
            "funnel_by_program": self.funnel_by_program,
            "attendance_by_distance": self.attendance_by_distance,
            "attendance_by_kecamatan": self.attendance_by_kecamatan,
            "offers_by_scheme": self.offers_by_scheme,
            "balance_before": self.balance_before,
            "balance_after": self.balance_after,
        }

    def summary(self, lang: str = "id") -> str:
        """Attendance, its fall with distance, and the offer's effect with its interval."""
        lng = check_lang(lang)

        def pct(v: float | None) -> str:
            return format_number(None if v is None else 100 * v, 0, lng)

        eff = format_number(self.incentive_effect_pp, 1, lng)
        lo = format_number(self.incentive_ci_low_pp, 1, lng)
        hi = format_number(self.incentive_ci_high_pp, 1, lng)
        naive = format_number(self.incentive_naive_pp, 1, lng)
        n_nom = format_number(self.n_nominated, 0, lng)
        n_off = format_number(self.n_offered, 0, lng)
        if lng == "id":
            text = (
                f"Dari {n_nom} nominasi, {pct(self.attendance_rate)}% hadir dan "
                f"{pct(self.completion_rate)}% selesai. Kehadiran turun dari "
                f"{pct(self.attendance_nearest_band)}% (terdekat) menjadi "
                f"{pct(self.attendance_farthest_band)}% (terjauh)."
            )
            if self.incentive_effect_pp is not None:
                text += (
                    f" Tawaran insentif ({n_off} tawaran) menaikkan peluang hadir "
                    f"sebesar {eff} poin persentase (IK {lo} hingga {hi}; AIPW, setelah "
                    f"penyesuaian), sedangkan selisih mentah hanya {naive} poin karena tawaran "
                    "diberikan kepada yang jauh dan beban kerjanya berat."
                )
            return text
        text = (
            f"Of {n_nom} nominations, {pct(self.attendance_rate)}% attended and "
            f"{pct(self.completion_rate)}% completed. Attendance falls from "
            f"{pct(self.attendance_nearest_band)}% (nearest) to "
            f"{pct(self.attendance_farthest_band)}% (farthest)."
        )
        if self.incentive_effect_pp is not None:
            text += (
                f" An incentive offer ({n_off} offers) raised the chance of attending "
                f"by {eff} percentage points (CI {lo} to {hi}; AIPW, adjusted), while the raw "
                f"gap is only {naive} points because offers went to those far away and with "
                "heavy workloads."
            )
        return text


def _offer_sample(
    frames: Mapping[str, pd.DataFrame], plan: EvaluationPlan, e: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    offers = frames["incentive_offers"]
    ours = offers
    if plan.incentive_schemes:
        ours = offers[offers["scheme"].isin(list(plan.incentive_schemes)).to_numpy()]
    key_all = pd.MultiIndex.from_frame(offers[["activity", "nip"]].astype(object))
    key_ours = pd.MultiIndex.from_frame(ours[["activity", "nip"]].astype(object))
    key_e = pd.MultiIndex.from_frame(e[["activity", "nip"]].astype(object))
    e = e.assign(
        offered=key_e.isin(key_ours).astype(int),
        other_offer=key_e.isin(key_all) & ~key_e.isin(key_ours),
    )
    strata = e.groupby(["kind", "year"])["offered"].transform("max") > 0
    sample = e[strata.to_numpy() & ~e["other_offer"].to_numpy()].copy()
    by_scheme = offers.groupby("scheme").agg(
        offers=("nip", "size"),
        accepted=("accepted", "sum") if "accepted" in offers.columns else ("nip", "size"),
    )
    by_scheme["accepted_rate"] = share(by_scheme["accepted"], by_scheme["offers"])
    return sample, by_scheme


def participation(
    frames: Mapping[str, pd.DataFrame],
    plan: EvaluationPlan,
    employees: pd.DataFrame,
    enrollments: pd.DataFrame,
    *,
    year: int,
    confidence: float,
) -> tuple[Section, Estimand]:
    """The participation section and the ``incentive_attendance_effect`` estimand."""
    if not has(frames, "enrollments", "activities"):
        missing = tuple(n for n in ("enrollments", "activities") if not has(frames, n))
        return NoData(section="participation", missing=missing), Estimand.no_data(
            "incentive_attendance_effect", "no enrollments"
        )
    e = enrollments[enrollments["year"] <= year].copy()
    e["year"] = e["year"].astype(int)
    by_year = _funnel(e, ["year"])
    by_prog = _funnel(e, ["year", "program"])
    e = attach_covariates(e, employees, ("distance_km", "kecamatan"))
    edges = tuple(float(x) for x in plan.distance_bands_km)
    labels = _band_labels(edges)
    band = pd.cut(e["distance_km"], bins=[-np.inf, *edges, np.inf], labels=labels, right=True)
    dist = e.groupby(band, observed=False)["attended"].agg(["size", "mean"])
    dist.columns = ["nominated", "attendance_rate"]
    dist.index = dist.index.astype(str)
    dist.index.name = "distance_band"
    by_kec = e.groupby("kecamatan")["attended"].agg(["size", "mean"])
    by_kec.columns = ["nominated", "attendance_rate"]
    by_kec = by_kec.sort_values("attendance_rate", ascending=False)
    by_kec.index.name = "kecamatan"
    rates = dist["attendance_rate"].dropna()
    base = {
        "n_nominated": len(e),
        "attendance_rate": finite(e["attended"].mean()),
        "completion_rate": finite(e["completed"].mean()),
        "attendance_nearest_band": finite(rates.iloc[0]) if len(rates) else None,
        "attendance_farthest_band": finite(rates.iloc[-1]) if len(rates) else None,
        "attendance_rule": plan.attendance_rule,
        "funnel_by_year": by_year,
        "funnel_by_program": by_prog,
        "attendance_by_distance": dist,
        "attendance_by_kecamatan": by_kec,
    }
    empty: dict[str, object] = {
        "n_offered": 0,
        "n_offer_sample": 0,
        "incentive_effect_pp": None,
        "incentive_se_pp": None,
        "incentive_ci_low_pp": None,
        "incentive_ci_high_pp": None,
        "incentive_naive_pp": None,
        "variant": "no incentive offers",
        "offers_by_scheme": pd.DataFrame(),
    }
    if not has(frames, "incentive_offers"):
        section = ParticipationSection(**base, **empty)  # type: ignore[arg-type]
        return section, Estimand.no_data("incentive_attendance_effect", "no incentive offers")
    sample, by_scheme = _offer_sample(frames, plan, e)
    covs = tuple(plan.incentive_covariates)
    sample["activity_kind"] = sample["kind"]
    sample = attach_covariates(sample, employees, covs, when="start_date")
    sample["year"] = sample["year"].astype(str)
    sample["attend"] = sample["attended"].astype(float)
    usable = [c for c in covs if sample[c].notna().any() and sample[c].nunique(dropna=True) > 1]
    sample, pooled = pool_sparse_levels(sample, treatment="offered", covariates=usable)
    empty.update(n_offer_sample=len(sample), offers_by_scheme=by_scheme)
    try:
        res = treatment_effect(
            sample,
            outcome="attend",
            treatment="offered",
            covariates=usable,
            method="aipw",
            estimand="ATT",
            confidence=confidence,
        )
    except MutuValueError as exc:
        empty["variant"] = f"not estimated: {exc}"
        section = ParticipationSection(**base, **empty)  # type: ignore[arg-type]
        return section, Estimand.no_data("incentive_attendance_effect", str(exc))
    offered = sample["offered"] == 1
    naive = 100 * float(
        sample.loc[offered, "attend"].mean() - sample.loc[~offered, "attend"].mean()
    )
    section = ParticipationSection(
        **base,  # type: ignore[arg-type]
        n_offered=res.n_treated,
        n_offer_sample=len(sample),
        incentive_effect_pp=100 * res.estimate,
        incentive_se_pp=100 * res.se,
        incentive_ci_low_pp=100 * res.ci_low,
        incentive_ci_high_pp=100 * res.ci_high,
        incentive_naive_pp=naive,
        variant=f"{res.variant}; SE {res.se_type}; × 100",
        offers_by_scheme=by_scheme,
        notes=tuple(pooled),
        balance_before=res.balance_before,
        balance_after=res.balance_after,
    )
    estimand = Estimand(
        "incentive_attendance_effect",
        estimate=100 * res.estimate,
        se=100 * res.se,
        ci_low=100 * res.ci_low,
        ci_high=100 * res.ci_high,
        method=(
            "doubly robust ATT (Sant'Anna–Zhao) of an offer on attending, logistic propensity "
            f"and linear outcome model on {covariate_text(usable, 'en')}; × 100"
        ),
        n=res.n_treated,
        p_value=res.p_value,
        naive=naive,
        naive_definition=(
            "attendance rate of offered minus not-offered nominations where offers were made"
        ),
        method_id=(
            "ATT doubly robust (Sant'Anna–Zhao) tawaran insentif pada kehadiran, skor "
            f"kecenderungan logistik dan model hasil linear atas {covariate_text(usable, 'id')}; "
            "× 100"
        ),
        naive_definition_id=(
            "tingkat kehadiran yang ditawari dikurangi yang tidak ditawari, pada kegiatan yang "
            "ada tawarannya"
        ),
        population="nominations that received an incentive offer",
        confidence=confidence,
        status="ok" if min(res.n_treated, res.n_control) >= plan.min_n else "too_few",
        details=(("n_control", res.n_control), ("n_dropped", res.n_dropped)),
    )
    return section, estimand
