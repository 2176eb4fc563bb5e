r"""Participation: the funnel, who does not come, and what incentive offers would buy.

Three parts, all from the stored frames (``docs/frames.md``) and the stored
evaluation (the JSON of ``mutu evaluate``):

1. **The funnel** nominated → registered → attended → completed → tested, by
   SKPK (unit), golongan group, age band and distance band (road distance of
   the unit's kecamatan from Kutacane).  Registered, attended and completed
   follow the evaluation (:func:`mutu.evaluation.pipeline.activities.enrollment_table`:
   attended = present at the first session); tested = a post-test response of
   the person for the activity.  ``tested`` is counted over the nominations
   of activities that gave a post-test (``testable``).

2. **A model of non-attendance**: logistic regression (statsmodels ``Logit``)
   of attending on distance (per 10 km), heavy workload, age (per 10 years
   from 40), part-time PPPK, PPPK, an incentive offer and the activity kind.
   It is validated on data it did not see — by default fitted on every year
   before the last and tested on the last (a *temporal* split: next year is
   what a plan predicts); the held-out AUC (of the predicted probability of
   not attending) with DeLong's interval, the Hanley–McNeil SE beside it, and
   a calibration table by decile are reported as they come out
   (:mod:`mutu.planning.discrimination`).  The model is then refitted on
   every year for the simulation.

3. **Incentive policies.**  The evaluation measured the effect of an offer on
   attending among those offered (``incentive_attendance_effect``: an ATT in
   percentage points, estimate and SE).  The simulation carries it to other
   people as a constant shift :math:`\gamma` on the log-odds of attending:
   for each draw :math:`d` of :math:`B`, the effect
   :math:`\tau_d \sim N(\hat\tau, \widehat{\mathrm{se}}^2)` and the model's
   coefficients :math:`\beta_d \sim N(\hat\beta, \hat V)`, :math:`\gamma_d`
   solves :math:`\frac1{|O|}\sum_{i \in O}[\sigma(\eta_{id} + \gamma_d) -
   \sigma(\eta_{id})] = \tau_d` over the offered nominations :math:`O`
   (:math:`\eta` without the offer).  A policy offering the incentive to a
   set :math:`P` of next year's nominations (taken to look like the last
   year's) then expects :math:`\sum_{i\in P}[\sigma(\eta_{id}+\gamma_d) -
   \sigma(\eta_{id})]` extra attendances, times JP × the kind's completion
   rate among attenders for extra JP, and costs ``offer_cost`` per offer plus
   ``attendee_cost`` per offered person who attends.  Intervals are the 2.5
   and 97.5 percentiles over the draws.

   Assumption (stated in the output): the offer shifts the log-odds of
   attending by the same amount for everyone — the usual transport
   assumption of a logistic model; with the effect measured on those offered
   (far away, heavy workloads), it is least sure for people unlike them.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from mutu.domain.errors import Lang, MutuValueError
from mutu.evaluation.pipeline.activities import activity_table, enrollment_table
from mutu.evaluation.pipeline.inputs import normalise_frames
from mutu.evaluation.pipeline.l2_learning import test_scores
from mutu.evaluation.pipeline.people import age_years, employee_table
from mutu.evaluation.pipeline.plan import EvaluationPlan
from mutu.evaluation.result import format_number
from mutu.planning.discrimination import AucResult, CalibrationResult, auc, calibration_table

__all__ = [
    "AGE_BANDS",
    "MODEL_TERMS",
    "AttendanceModel",
    "IncentiveEffect",
    "ParticipationResult",
    "Validation",
    "fit_attendance_model",
    "funnel",
    "incentive_effect",
    "nominations_table",
    "participation_analysis",
    "simulate_policies",
    "validate_model",
]

#: Upper edges of the age bands (years); the last band is open.
AGE_BANDS = (30.0, 40.0, 50.0)
#: Person and offer terms of the non-attendance model (the activity kind is added as dummies).
MODEL_TERMS = ("distance10", "workload", "age10", "part_time", "pppk", "offered")
#: Kinds with fewer nominations than this, or with no variation, are pooled as ``other``.
MIN_KIND = 50
_STAGES = ("registered", "attended", "completed")


# --- the nominations -------------------------------------------------------------------


def _band_labels(edges: Sequence[float], unit: str) -> list[str]:
    lows = (0.0, *edges)
    labels = [f"{lo:g}-{hi:g}{unit}" for lo, hi in zip(lows[:-1], edges, strict=True)]
    return [*labels, f">{edges[-1]:g}{unit}"]


def _bands(values: pd.Series, edges: Sequence[float], labels: Sequence[str]) -> pd.Categorical:
    """Ordered band labels (right-closed, as the evaluation's distance bands)."""
    return pd.Categorical(
        pd.cut(values, bins=[-np.inf, *edges, np.inf], labels=list(labels), right=True),
        categories=list(labels),
        ordered=True,
    )


def _age_labels(edges: Sequence[float]) -> list[str]:
    inner = [f"{lo:g}-{hi:g}" for lo, hi in itertools.pairwise(edges)]
    return [f"<={edges[0]:g}", *inner, f">{edges[-1]:g}"]


def nominations_table(
    frames: Mapping[str, pd.DataFrame], *, plan: EvaluationPlan | None = None
) -> pd.DataFrame:
    """One row per nomination with its funnel stages and the person's characteristics.

    Columns: ``activity``, ``nip``, ``year``, ``kind``, ``jp``, ``registered``,
    ``attended``, ``completed``, ``testable``, ``tested``, ``offered``,
    ``skpk``, ``skpk_name``, ``golongan_group``, ``age``, ``age_band``,
    ``distance_km``, ``distance_band``, ``workload``, ``part_time``, ``pppk``.
    """
    plan = plan or EvaluationPlan()
    f = normalise_frames(frames)
    acts = activity_table(f)
    years = sorted(int(y) for y in acts["year"].dropna().unique())
    if not years or "enrollments" not in f or f["enrollments"].empty:
        raise MutuValueError(
            "Tidak ada nominasi (enrollments) untuk dianalisis.",
            "There are no nominations (enrollments) to analyse.",
            field="enrollments",
        )
    emp = employee_table(f, plan, first_year=years[0])
    e = enrollment_table(f, acts, attendance_rule=plan.attendance_rule)
    e = e[e["year"].notna().to_numpy()].reset_index(drop=True)
    e["year"] = e["year"].astype(int)
    person = emp.reindex(e["nip"].to_numpy())
    e["skpk"] = person["skpk"].to_numpy()
    units = f.get("units")
    names = (
        pd.Series(units["name"].to_numpy(dtype=object), index=units["code"].to_numpy())
        if units is not None and len(units)
        else pd.Series(dtype=object)
    )
    e["skpk_name"] = e["skpk"].map(names).to_numpy()
    gol = f["employees"].set_index("nip")["golongan"].astype(object)
    roman = gol.reindex(e["nip"].to_numpy()).str.split("/").str[0].to_numpy(dtype=object)
    status = person["status"].to_numpy(dtype=object)
    e["golongan_group"] = np.where(status == "PPPK", "PPPK", "PNS " + pd.Series(roman).astype(str))
    e["age"] = age_years(person["birth_date"].to_numpy(), e["start_date"].to_numpy())
    e["age_band"] = _bands(e["age"], AGE_BANDS, _age_labels(AGE_BANDS))
    e["distance_km"] = person["distance_km"].to_numpy(dtype=float)
    edges = tuple(float(x) for x in plan.distance_bands_km)
    e["distance_band"] = _bands(e["distance_km"], edges, _band_labels(edges, " km"))
    e["workload"] = person["workload"].to_numpy(dtype=float)
    e["part_time"] = person["part_time"].to_numpy(dtype=float)
    e["pppk"] = person["pppk"].to_numpy(dtype=float)

    key = pd.MultiIndex.from_arrays([e["activity"].astype(object), e["nip"].astype(object)])
    offers = f.get("incentive_offers")
    if offers is not None and len(offers):
        okey = pd.MultiIndex.from_frame(offers[["activity", "nip"]].astype(object))
        e["offered"] = key.isin(okey).astype(float)
    else:
        e["offered"] = 0.0
    e["testable"] = False
    e["tested"] = False
    if all(n in f for n in ("items", "responses", "answers")):
        scores = test_scores(f)
        post = scores[(scores["occasion"] == plan.test_post_occasion).to_numpy()]
        given = set(post["activity"].dropna().astype(str))
        e["testable"] = e["activity"].astype(str).isin(given).to_numpy()
        done = post[post["nip"].notna().to_numpy()]
        tkey = pd.MultiIndex.from_frame(done[["activity", "nip"]].astype(object))
        e["tested"] = key.isin(tkey) & e["testable"].to_numpy()
    return e


def funnel(nominations: pd.DataFrame, by: str | None = None, *, min_n: int = 10) -> pd.DataFrame:
    """Counts and rates of each stage, overall or per value of column ``by``.

    Rates are shares of the nominated; ``tested_rate`` is a share of the
    ``testable`` (nominations in activities that gave a post-test).  Groups
    with fewer than ``min_n`` nominations keep their counts but no rates
    (``too_small``).
    """
    e = nominations.assign(_all="all")
    g = e.groupby(by or "_all", dropna=False, observed=True, sort=True)
    out = pd.DataFrame(
        {
            "nominated": g.size(),
            "registered": g["registered"].sum(),
            "attended": g["attended"].sum(),
            "completed": g["completed"].sum(),
            "testable": g["testable"].sum(),
            "tested": g["tested"].sum(),
        }
    ).astype(int)
    small = out["nominated"] < min_n
    for col in _STAGES:
        out[f"{col}_rate"] = (out[col] / out["nominated"]).where(~small)
    out["tested_rate"] = (out["tested"] / out["testable"].where(out["testable"] > 0)).where(~small)
    out["too_small"] = small
    out.index.name = by or "group"
    return out


# --- the model ---------------------------------------------------------------------------


def _pooled_kinds(e: pd.DataFrame) -> list[str]:
    """Kinds with enough nominations and both outcomes (the rest become ``other``)."""
    stats_ = e.groupby("kind")["attended"].agg(["size", "mean"])
    ok = (stats_["size"] >= MIN_KIND) & (stats_["mean"] > 0) & (stats_["mean"] < 1)
    return sorted(str(k) for k in stats_.index[ok])


def _design(e: pd.DataFrame, kinds: Sequence[str], *, offered: float | None = None) -> pd.DataFrame:
    x = pd.DataFrame(index=e.index)
    x["const"] = 1.0
    x["distance10"] = e["distance_km"].to_numpy(dtype=float) / 10.0
    x["workload"] = e["workload"].to_numpy(dtype=float)
    x["age10"] = (e["age"].to_numpy(dtype=float) - 40.0) / 10.0
    x["part_time"] = e["part_time"].to_numpy(dtype=float)
    x["pppk"] = e["pppk"].to_numpy(dtype=float)
    x["offered"] = e["offered"].to_numpy(dtype=float) if offered is None else offered
    kind = e["kind"].astype(str).to_numpy()
    # The first kept kind is the reference level; kinds not kept share the ``other`` level.
    for k in list(kinds)[1:]:
        x[f"kind[{k}]"] = (kind == k).astype(float)
    if len(kinds):
        x["kind[other]"] = (~np.isin(kind, list(kinds))).astype(float)
    return x


@dataclass(frozen=True, eq=False)
class AttendanceModel:
    """A fitted logistic model of attending (``attended = 1``)."""

    kinds: tuple[str, ...]
    terms: tuple[str, ...]
    coef: np.ndarray = field(repr=False)
    cov: np.ndarray = field(repr=False)
    n: int
    n_attended: int
    years: tuple[int, ...]

    def design(self, e: pd.DataFrame, *, offered: float | None = None) -> np.ndarray:
        x = _design(e, self.kinds, offered=offered)
        for term in self.terms:
            if term not in x.columns:
                x[term] = 0.0
        return np.asarray(x[list(self.terms)].fillna(0.0).to_numpy(dtype=float))

    def linear(self, e: pd.DataFrame, *, offered: float | None = None) -> np.ndarray:
        """Log-odds of attending (with the offer set to ``offered`` when given)."""
        return np.asarray(self.design(e, offered=offered) @ self.coef, dtype=float)

    def predict(self, e: pd.DataFrame, *, offered: float | None = None) -> np.ndarray:
        """Probability of attending."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.linear(e, offered=offered))), dtype=float)

    def table(self) -> pd.DataFrame:
        se = np.sqrt(np.clip(np.diag(self.cov), 0, None))
        return pd.DataFrame({"term": list(self.terms), "coef": self.coef, "se": se})


def _usable(e: pd.DataFrame) -> pd.DataFrame:
    need = ["distance_km", "workload", "age", "part_time", "pppk", "offered", "attended"]
    return e[e[need].notna().all(axis=1).to_numpy()]


def fit_attendance_model(nominations: pd.DataFrame) -> AttendanceModel:
    """Logistic regression of attending on :data:`MODEL_TERMS` and the activity kind.

    Columns with no variation are dropped (their coefficient would not be
    identified).  Fitted by Newton–Raphson (statsmodels ``Logit``).
    """
    e = _usable(nominations)
    y = e["attended"].to_numpy(dtype=float)
    if len(e) < 30 or y.min() == y.max():
        raise MutuValueError(
            "Terlalu sedikit nominasi (atau semuanya sama hasilnya) untuk model kehadiran.",
            "Too few nominations (or all with the same outcome) for the attendance model.",
            field="enrollments",
        )
    kinds = tuple(_pooled_kinds(e))
    x = _design(e, kinds)
    keep = [c for c in x.columns if c == "const" or x[c].nunique() > 1]
    x = x[keep]
    fit = sm.Logit(y, x.to_numpy(dtype=float)).fit(disp=0, method="newton", maxiter=100)
    return AttendanceModel(
        kinds=kinds,
        terms=tuple(keep),
        coef=np.asarray(fit.params, dtype=float),
        cov=np.asarray(fit.cov_params(), dtype=float),
        n=len(e),
        n_attended=int(y.sum()),
        years=tuple(sorted(int(v) for v in e["year"].unique())),
    )


@dataclass(frozen=True, eq=False)
class Validation:
    """Held-out performance of the non-attendance model, as it came out."""

    split: str
    n_train: int
    n_test: int
    auc: AucResult
    auc_hanley_mcneil: AucResult
    calibration: CalibrationResult

    def to_json(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "n_train": self.n_train,
            "n_test": self.n_test,
            "outcome": "not attending (1) against attending (0)",
            "auc": self.auc.to_dict(),
            "auc_hanley_mcneil": self.auc_hanley_mcneil.to_dict(),
            "calibration": _records(self.calibration.table),
            "calibration_intercept": self.calibration.intercept,
            "calibration_slope": self.calibration.slope,
            "brier": self.calibration.brier,
        }


def validate_model(
    nominations: pd.DataFrame,
    *,
    split: str = "temporal",
    holdout_share: float = 0.3,
    seed: int = 20240601,
    confidence: float = 0.95,
) -> Validation:
    """Fit on one part, measure on the other.

    ``split="temporal"``: fit on every year before the last, test on the last
    (falls back to ``"random"`` when there is a single year).  ``"random"``:
    a seeded ``holdout_share`` of the *people* (all their nominations) is held
    out, so nobody is in both parts.
    """
    e = _usable(nominations)
    years = sorted(int(y) for y in e["year"].unique())
    if split == "temporal" and len(years) >= 2:
        test_mask = (e["year"] == years[-1]).to_numpy()
        label = f"temporal: fitted on {years[0]}-{years[-2]}, tested on {years[-1]}"
    elif split in ("temporal", "random"):
        rng = np.random.default_rng(seed)
        people = np.sort(e["nip"].astype(str).unique())
        held = set(
            rng.choice(people, size=max(1, round(holdout_share * len(people))), replace=False)
        )
        test_mask = e["nip"].astype(str).isin(held).to_numpy()
        label = f"random: {holdout_share:.0%} of the people held out (seed {seed})"
    else:
        raise MutuValueError(
            f"Pembagian tidak dikenal: {split!r} (temporal, random).",
            f"Unknown split: {split!r} (temporal, random).",
            field="split",
        )
    train, test = e[~test_mask], e[test_mask]
    model = fit_attendance_model(train)
    p_attend = model.predict(test)
    absent = 1.0 - test["attended"].to_numpy(dtype=float)
    return Validation(
        split=label,
        n_train=len(train),
        n_test=len(test),
        auc=auc(absent, 1.0 - p_attend, method="delong", confidence=confidence),
        auc_hanley_mcneil=auc(
            absent, 1.0 - p_attend, method="hanley_mcneil", confidence=confidence
        ),
        calibration=calibration_table(absent, 1.0 - p_attend, confidence=confidence),
    )


# --- the incentive effect and the policies -----------------------------------------------


@dataclass(frozen=True)
class IncentiveEffect:
    """The evaluation's ``incentive_attendance_effect`` (percentage points)."""

    estimate_pp: float
    se_pp: float
    ci_low_pp: float | None
    ci_high_pp: float | None
    n: int | None
    method: str
    status: str


def incentive_effect(evaluation: Mapping[str, Any] | None) -> IncentiveEffect | None:
    """The estimand from a stored evaluation, or ``None`` when it was not estimated."""
    est = (evaluation or {}).get("estimands")
    row = est.get("incentive_attendance_effect") if isinstance(est, Mapping) else None
    if not isinstance(row, Mapping):
        return None
    value, se = row.get("estimate"), row.get("se")
    if not isinstance(value, int | float) or not isinstance(se, int | float) or se < 0:
        return None
    low, high, n = row.get("ci_low"), row.get("ci_high"), row.get("n")
    return IncentiveEffect(
        estimate_pp=float(value),
        se_pp=float(se),
        ci_low_pp=float(low) if isinstance(low, int | float) else None,
        ci_high_pp=float(high) if isinstance(high, int | float) else None,
        n=int(n) if isinstance(n, int) else None,
        method=str(row.get("method", "")),
        status=str(row.get("status", "")),
    )


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=float)


def _shifts(eta: np.ndarray, target: np.ndarray, iterations: int = 60) -> np.ndarray:
    """Per draw (column), the log-odds shift whose mean uplift over the rows is ``target``."""
    base = _sigmoid(eta).mean(axis=0)
    goal = np.clip(target, -base + 1e-6, 1 - base - 1e-6)
    lo = np.full(eta.shape[1], -20.0)
    hi = np.full(eta.shape[1], 20.0)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        up = _sigmoid(eta + mid).mean(axis=0) - base
        below = up < goal
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return np.asarray((lo + hi) / 2, dtype=float)


def _interval(values: np.ndarray) -> dict[str, float]:
    return {
        "mean": float(np.mean(values)),
        "ci_low": float(np.percentile(values, 2.5)),
        "ci_high": float(np.percentile(values, 97.5)),
    }


def simulate_policies(
    population: pd.DataFrame,
    model: AttendanceModel,
    effect: IncentiveEffect,
    offered_reference: pd.DataFrame,
    *,
    policies: Mapping[str, np.ndarray],
    completion_rate: Mapping[str, float],
    draws: int = 2000,
    seed: int = 20240601,
    offer_cost: float | None = None,
    attendee_cost: float | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Expected extra attendance, JP and cost of each policy, with 95 % intervals.

    ``policies`` maps a name to a boolean mask over ``population`` (who gets
    the offer).  ``offered_reference`` are the nominations on which the
    effect was measured (those offered).  Returns the policy table and the
    transported log-odds shift (mean and interval).
    """
    rng = np.random.default_rng(seed)
    tau = rng.normal(effect.estimate_pp, effect.se_pp, draws) / 100.0
    beta = rng.multivariate_normal(model.coef, model.cov, size=draws, method="eigh").T
    eta_ref = model.design(offered_reference, offered=0.0) @ beta
    gamma = _shifts(eta_ref, tau)
    eta = model.design(population, offered=0.0) @ beta
    p0 = _sigmoid(eta)
    p1 = _sigmoid(eta + gamma[None, :])
    uplift = p1 - p0
    rate = population["kind"].astype(str).map(dict(completion_rate)).fillna(0.0)
    jp_value = population["jp"].to_numpy(dtype=float) * rate.to_numpy(dtype=float)
    rows = []
    for name, mask in policies.items():
        chosen = np.asarray(mask, dtype=bool)
        n = int(chosen.sum())
        extra = uplift[chosen].sum(axis=0)
        extra_jp = (uplift[chosen] * jp_value[chosen, None]).sum(axis=0)
        attend = p0.sum(axis=0) + extra
        row: dict[str, Any] = {
            "policy": name,
            "n_offered": n,
            "expected_attendance": _interval(attend),
            "extra_attendance": _interval(extra),
            "uplift_pp_per_offer": _interval(100 * extra / n) if n else None,
            "extra_jp": _interval(extra_jp),
        }
        if offer_cost is not None or attendee_cost is not None:
            cost = n * (offer_cost or 0.0) + p1[chosen].sum(axis=0) * (attendee_cost or 0.0)
            row["cost"] = _interval(cost)
            per = np.divide(cost, extra, out=np.full(draws, np.nan), where=extra > 1e-9)
            row["cost_per_extra_attendance"] = (
                _interval(per[np.isfinite(per)]) if np.isfinite(per).any() else None
            )
        else:
            row["cost"] = None
            row["cost_per_extra_attendance"] = None
        rows.append(row)
    check = _sigmoid(eta_ref + gamma[None, :]) - _sigmoid(eta_ref)
    transported = {
        "log_odds_shift": _interval(gamma),
        "uplift_pp_on_offered": _interval(100 * check.mean(axis=0)),
        "n_offered_reference": int(check.shape[0]),
        "draws": draws,
        "seed": seed,
    }
    return pd.DataFrame(rows), transported


# --- the whole analysis -------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ParticipationResult:
    """Funnel, model, validation, effect and policies; :meth:`to_json` is the command's output."""

    year: int
    reference_year: int
    funnels: Mapping[str, pd.DataFrame] = field(repr=False)
    model: AttendanceModel = field(repr=False)
    validation: Validation | None = field(repr=False)
    effect: IncentiveEffect | None
    policies: pd.DataFrame = field(repr=False)
    transported: Mapping[str, Any] = field(repr=False)
    settings: Mapping[str, Any] = field(repr=False)
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        eff = self.effect
        return {
            "year": self.year,
            "reference_year": self.reference_year,
            "funnel": {name: _records(frame) for name, frame in self.funnels.items()},
            "model": {
                "outcome": "attended (present at the first session)",
                "terms": _records(self.model.table()),
                "kinds": list(self.model.kinds),
                "n": self.model.n,
                "n_attended": self.model.n_attended,
                "years": list(self.model.years),
                "validation": None if self.validation is None else self.validation.to_json(),
            },
            "incentive_effect": None
            if eff is None
            else {
                "estimate_pp": eff.estimate_pp,
                "se_pp": eff.se_pp,
                "ci_low_pp": eff.ci_low_pp,
                "ci_high_pp": eff.ci_high_pp,
                "n": eff.n,
                "method": eff.method,
                "status": eff.status,
                **dict(self.transported),
            },
            "policies": self.policies.to_dict("records"),
            "settings": dict(self.settings),
            "assumptions": [
                "An offer shifts the log-odds of attending by the same amount for everyone "
                "(transported from those offered before).",
                "Next year's nominations look like the reference year's.",
                "Extra JP = extra attendances x the activity's JP x the kind's completion rate "
                "among attenders.",
            ],
            "warnings": list(self.warnings),
        }

    def summary(self, lang: str = "id") -> str:
        """Two or three sentences: the funnel, the model's held-out AUC, the best policy."""
        lng: Lang = "en" if lang.lower().startswith("en") else "id"

        def num(v: float, digits: int = 0) -> str:
            return format_number(v, digits, lng)

        overall = self.funnels["overall"].iloc[0]
        att = num(100 * float(overall["attended_rate"]))
        n_nom = num(float(overall["nominated"]))
        if lng == "en":
            text = f"{n_nom} nominations up to {self.reference_year}; {att}% attended."
        else:
            text = f"{n_nom} nominasi sampai {self.reference_year}; {att}% hadir."
        v = self.validation
        if v is not None:
            a = v.auc
            auc_text = f"{num(a.auc, 3)} ({num(a.ci_low, 3)}–{num(a.ci_high, 3)}, DeLong)"
            text += (
                f" Held-out AUC of the non-attendance model {auc_text}."
                if lng == "en"
                else f" AUC model ketidakhadiran pada data uji {auc_text}."
            )
        rows = self.policies[self.policies["n_offered"] > 0] if len(self.policies) else None
        if rows is not None and len(rows):
            means = rows["extra_attendance"].map(lambda d: d["mean"]).to_numpy(dtype=float)
            best = rows.iloc[int(np.argmax(means))]
            ex = best["extra_attendance"]
            span = f"{num(ex['mean'])} ({num(ex['ci_low'])}–{num(ex['ci_high'])})"
            n_off = num(float(best["n_offered"]))
            text += (
                f" Offering the incentive to '{best['policy']}' ({n_off} nominations) adds "
                f"{span} attendances."
                if lng == "en"
                else f" Tawaran insentif kepada '{best['policy']}' ({n_off} nominasi) menambah "
                f"{span} kehadiran."
            )
        return text


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    data = frame.reset_index() if frame.index.name is not None else frame
    for row in data.to_dict("records"):
        clean: dict[str, Any] = {}
        for k, v in row.items():
            if isinstance(v, float | np.floating):
                clean[str(k)] = float(v) if np.isfinite(v) else None
            elif isinstance(v, np.integer):
                clean[str(k)] = int(v)
            elif isinstance(v, np.bool_):
                clean[str(k)] = bool(v)
            elif v is None or (not isinstance(v, str) and pd.isna(v)):
                clean[str(k)] = None
            else:
                clean[str(k)] = v
        out.append(clean)
    return out


def participation_analysis(
    frames: Mapping[str, pd.DataFrame],
    evaluation: Mapping[str, Any] | None,
    *,
    year: int,
    far_km: float = 20.0,
    low_share: float = 0.25,
    draws: int = 2000,
    seed: int = 20240601,
    split: str = "temporal",
    offer_cost: float | None = None,
    attendee_cost: float | None = None,
    min_n: int = 10,
) -> ParticipationResult:
    """The funnel, the validated model and the simulated incentive policies for ``year``.

    Data up to ``year`` are used; the population of the policies is the
    nominations of the last data year up to ``year`` (the reference year).
    Policies: ``none``, ``everyone``, ``far`` (distance > ``far_km``),
    ``predicted_low`` (the ``low_share`` least likely to attend by the model)
    and ``as_offered`` (those the reference year actually offered).
    """
    plan_data = (evaluation or {}).get("plan")
    plan = EvaluationPlan()
    if isinstance(plan_data, Mapping):
        try:
            plan = EvaluationPlan.from_dict(plan_data)
        except MutuValueError:
            plan = EvaluationPlan()
    allnom = nominations_table(frames, plan=plan)
    e = allnom[(allnom["year"] <= year).to_numpy()]
    if e.empty:
        first = int(allnom["year"].min())
        raise MutuValueError(
            f"Tidak ada nominasi sampai tahun {year} (data mulai {first}).",
            f"No nominations up to {year} (the data start in {first}).",
            field="year",
        )
    ref = int(e["year"].max())
    warnings: list[str] = []
    funnels = {
        "overall": funnel(e, min_n=min_n),
        "by_year": funnel(e, "year", min_n=min_n),
        "by_unit": funnel(e.assign(unit=e["skpk_name"].fillna(e["skpk"])), "unit", min_n=min_n),
        "by_golongan": funnel(e, "golongan_group", min_n=min_n),
        "by_age_band": funnel(e, "age_band", min_n=min_n),
        "by_distance_band": funnel(e, "distance_band", min_n=min_n),
    }
    try:
        validation: Validation | None = validate_model(e, split=split, seed=seed)
    except MutuValueError as err:
        validation = None
        warnings.append(f"Validasi model tidak dapat dihitung: {err}")
    model = fit_attendance_model(e)
    effect = incentive_effect(evaluation)
    population = _usable(e[(e["year"] == ref).to_numpy()])
    reference = _usable(e[(e["offered"] > 0).to_numpy()])
    policies = pd.DataFrame()
    transported: dict[str, Any] = {}
    if effect is None:
        warnings.append(
            "Evaluasi tersimpan tidak memuat efek insentif; simulasi kebijakan tidak dibuat. / "
            "The stored evaluation has no incentive effect; no policy simulation."
        )
    elif reference.empty:
        warnings.append(
            "Tidak ada tawaran insentif dalam data; efek tidak dapat dipindahkan. / "
            "No incentive offers in the data; the effect cannot be transported."
        )
    else:
        p0 = model.predict(population, offered=0.0)
        cut = np.quantile(p0, low_share) if len(p0) else 0.0
        masks = {
            "none": np.zeros(len(population), dtype=bool),
            "everyone": np.ones(len(population), dtype=bool),
            "far": (population["distance_km"] > far_km).to_numpy(),
            "predicted_low": p0 <= cut,
            "as_offered": (population["offered"] > 0).to_numpy(),
        }
        done = e[e["attended"].to_numpy(dtype=bool)].groupby("kind")["completed"].mean()
        policies, transported = simulate_policies(
            population,
            model,
            effect,
            reference,
            policies=masks,
            completion_rate={str(k): float(v) for k, v in done.items()},
            draws=draws,
            seed=seed,
            offer_cost=offer_cost,
            attendee_cost=attendee_cost,
        )
        if offer_cost is None and attendee_cost is None:
            warnings.append(
                "Biaya insentif tidak diberikan (--offer-cost, --attendee-cost). / "
                "No incentive cost given (--offer-cost, --attendee-cost)."
            )
    return ParticipationResult(
        year=year,
        reference_year=ref,
        funnels=funnels,
        model=model,
        validation=validation,
        effect=effect,
        policies=policies,
        transported=transported,
        settings={
            "far_km": far_km,
            "low_share": low_share,
            "draws": draws,
            "seed": seed,
            "split": split,
            "offer_cost": offer_cost,
            "attendee_cost": attendee_cost,
            "min_n": min_n,
            "attendance_rule": plan.attendance_rule,
            "distance_bands_km": list(plan.distance_bands_km),
            "age_bands": list(AGE_BANDS),
        },
        warnings=tuple(warnings),
    )
