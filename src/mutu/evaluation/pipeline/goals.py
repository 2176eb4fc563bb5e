"""Program goals against what was measured: each target, the achieved figure, met or not.

A :class:`~mutu.programs.models.ProgramGoal` names a *metric* from the catalogue
:data:`METRICS` (and, for the program-scoped metrics, optionally an activity
series such as ``SEMINT`` for the integrity seminar). :func:`goal_progress`
computes the achieved value of each goal for the report year from the same
frames and results the rest of the evaluation uses, and grades it:

``met``
    the achieved figure reaches the target (for a figure estimated from a
    sample, the whole confidence interval is on the right side of the target);
``not_met``
    it falls short (for a sampled figure, the whole interval is short);
``uncertain``
    a sampled figure whose interval contains the target: the data cannot tell;
``no_data``
    the metric is unknown, the goal has no target, or the data to compute it
    are missing.

Which side is "right" is part of the metric: more is better for test scores
and the 20 JP share, less is better for months to proficiency and the share of
ASN with a disciplinary penalty. A goal without a metric is listed with its
target and ``no_data`` — the report says the figure is not computed rather
than guessing from the indicator's wording.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["METRICS", "GoalInputs", "Metric", "goal_progress", "grade"]

Kind = Literal["decimal", "percent", "count"]
Status = Literal["met", "not_met", "uncertain", "no_data"]

#: Position kinds that must hold a leadership certificate (PKP for pengawas, PKA for administrator).
LEADERSHIP_POSITIONS = ("pengawas", "administrator")
#: Forms of development that are leadership trainings.
LEADERSHIP_FORMS = ("pkp", "pka", "pkn_ii")


@dataclass(frozen=True)
class Metric:
    """A figure a goal can be measured by."""

    code: str
    label_id: str
    label_en: str
    kind: Kind
    higher_is_better: bool
    program_scoped: bool = False


METRICS: dict[str, Metric] = {
    m.code: m
    for m in (
        Metric(
            "posttest_mean",
            "Rata-rata nilai post-test peserta (0–100)",
            "Mean post-test score of participants (0–100)",
            "decimal",
            True,
            True,
        ),
        Metric(
            "learning_gain",
            "Rata-rata kenaikan nilai pre→post (poin)",
            "Mean pre→post score gain (points)",
            "decimal",
            True,
            True,
        ),
        Metric(
            "workplan_quality_after",
            "Rata-rata skor rencana kerja peserta menurut atasan (1–5)",
            "Participants' mean work-plan score by their supervisor (1–5)",
            "decimal",
            True,
        ),
        Metric(
            "ikm_program_units",
            "IKM gabungan unit yang mengikuti program",
            "Pooled IKM of the units in the program",
            "decimal",
            True,
            True,
        ),
        Metric(
            "jp_pns_share",
            "Persentase PNS dengan minimal 20 JP",
            "Share of PNS with at least 20 JP",
            "percent",
            True,
        ),
        Metric("ip_asn_mean", "Rata-rata IP ASN", "Mean IP ASN", "decimal", True),
        Metric(
            "jpm_mean",
            "Rata-rata job-person match (%)",
            "Mean job-person match (%)",
            "decimal",
            True,
        ),
        Metric(
            "discipline_share",
            "Persentase ASN yang dijatuhi hukuman disiplin",
            "Share of ASN given a disciplinary penalty",
            "percent",
            False,
        ),
        Metric(
            "completers",
            "Jumlah peserta yang menyelesaikan kegiatan",
            "Number of participants who completed the activity",
            "count",
            True,
            True,
        ),
        Metric(
            "leadership_certified_share",
            "Persentase pejabat pengawas/administrator yang lulus PKP/PKA",
            "Share of pengawas/administrator officials with PKP/PKA",
            "percent",
            True,
        ),
        Metric(
            "magang_median_months",
            "Median bulan hingga standar kompetensi (peserta magang)",
            "Median months to the competency standard (interns)",
            "decimal",
            False,
        ),
    )
}


@dataclass(frozen=True)
class GoalInputs:
    """What the goals are measured from: the tables and results of one evaluation."""

    year: int
    confidence: float
    goals: pd.DataFrame | None
    activities: pd.DataFrame
    enrollments: pd.DataFrame
    pairs: pd.DataFrame
    sections: Mapping[str, Any]
    indices: Mapping[str, Any] | None
    frames: Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class Figure:
    """An achieved value, its interval when it is estimated from a sample, and its basis."""

    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    basis: str = ""


def grade(
    value: float | None,
    target: float | None,
    *,
    higher_is_better: bool,
    ci_low: float | None = None,
    ci_high: float | None = None,
) -> Status:
    """Met, not met or uncertain: the point (census) or the whole interval (sample) against it."""
    if value is None or target is None or not math.isfinite(value) or not math.isfinite(target):
        return "no_data"
    if ci_low is None or ci_high is None:
        lo = hi = value
    else:
        lo, hi = ci_low, ci_high
    if higher_is_better:
        if lo >= target:
            return "met"
        return "not_met" if hi < target else "uncertain"
    if hi <= target:
        return "met"
    return "not_met" if lo > target else "uncertain"


def _mean_ci(x: np.ndarray, confidence: float) -> Figure | None:
    x = x[np.isfinite(x)]
    if len(x) < 2:
        return None
    m, se = float(x.mean()), float(x.std(ddof=1) / math.sqrt(len(x)))
    crit = float(stats.t.ppf(0.5 + confidence / 2, len(x) - 1))
    return Figure(m, m - crit * se, m + crit * se, len(x), "t interval of the mean")


def _scope(inp: GoalInputs, program: str, series: str) -> pd.Index:
    acts = inp.activities
    keep = (acts["program"] == program) & (acts["year"] == inp.year)
    if series:
        keep &= pd.Series(acts.index, index=acts.index).astype(str).str.startswith(f"{series}-")
    return acts.index[keep.fillna(False).to_numpy(dtype=bool)]


def _regency(inp: GoalInputs, block: str, key: str) -> float | None:
    if not inp.indices or inp.indices.get("status") != "ok":
        return None
    year_block = inp.indices.get("regency", {}).get(str(inp.year)) or inp.indices.get(
        "regency", {}
    ).get(inp.year)
    value = (year_block or {}).get(block, {}).get(key)
    return float(value) if isinstance(value, (int, float)) else None


def _pairs_of(inp: GoalInputs, program: str, series: str) -> pd.DataFrame:
    p = inp.pairs
    if not len(p):
        return p
    return p[p["activity"].isin(_scope(inp, program, series)).to_numpy()].dropna(
        subset=["pre", "post"]
    )


def _posttest(inp: GoalInputs, program: str, series: str) -> Figure | None:
    p = _pairs_of(inp, program, series)
    return _mean_ci(p["post"].to_numpy(dtype=float), inp.confidence) if len(p) else None


def _gain(inp: GoalInputs, program: str, series: str) -> Figure | None:
    p = _pairs_of(inp, program, series)
    if not len(p):
        return None
    return _mean_ci((p["post"] - p["pre"]).to_numpy(dtype=float), inp.confidence)


def _workplan(inp: GoalInputs, program: str, series: str) -> Figure | None:
    value = getattr(inp.sections.get("l3_behaviour"), "mean_after_treated", None)
    n = getattr(inp.sections.get("l3_behaviour"), "n_treated", None)
    if value is None:
        return None
    return Figure(float(value), n=n, basis="mean after-rating of the trained (L3 section)")


def _ikm_units(inp: GoalInputs, program: str, series: str) -> Figure | None:
    units = inp.frames.get("program_units")
    if units is None or not len(units) or not inp.indices or inp.indices.get("status") != "ok":
        return None
    adopted = units[
        (units["program"] == program).to_numpy()
        & (pd.to_numeric(units["adoption_year"], errors="coerce") <= inp.year).to_numpy()
    ]["unit"]
    found = [
        skm
        for code in adopted
        if (skm := (inp.indices.get("units", {}).get(code, {}).get(str(inp.year)) or {}).get("skm"))
        and isinstance(skm.get("ikm"), (int, float))
        and skm.get("n")
    ]
    if not found:
        return None
    n = np.array([int(skm["n"]) for skm in found], dtype=float)
    ikm = np.array([float(skm["ikm"]) for skm in found])
    w = n / n.sum()
    value = float(w @ ikm)
    se_known = all(isinstance(skm.get("se"), (int, float)) for skm in found)
    if not se_known:
        return Figure(value, n=int(n.sum()), basis="respondent-weighted IKM of the adopted units")
    se = float(np.sqrt(np.sum((w * np.array([float(skm["se"]) for skm in found])) ** 2)))
    z = float(stats.norm.ppf(0.5 + inp.confidence / 2))
    return Figure(
        value,
        value - z * se,
        value + z * se,
        int(n.sum()),
        "respondent-weighted IKM of the adopted units; SE² = Σ (n_u/N)² SE_u² (independent units)",
    )


def _jp_share(inp: GoalInputs, program: str, series: str) -> Figure | None:
    share = _regency(inp, "jp", "share_pns_compliant")
    n = _regency(inp, "jp", "n_pns")
    return None if share is None else Figure(100 * share, n=None if n is None else int(n))


def _ip_asn(inp: GoalInputs, program: str, series: str) -> Figure | None:
    value = _regency(inp, "ip_asn", "mean_total")
    n = _regency(inp, "ip_asn", "n_scored")
    return None if value is None else Figure(value, n=None if n is None else int(n))


def _jpm(inp: GoalInputs, program: str, series: str) -> Figure | None:
    value = _regency(inp, "jpm", "mean_jpm")
    n = _regency(inp, "jpm", "n_scored")
    return None if value is None else Figure(value, n=None if n is None else int(n))


def _discipline(inp: GoalInputs, program: str, series: str) -> Figure | None:
    records, employees = inp.frames.get("discipline_records"), inp.frames.get("employees")
    if records is None or employees is None or not len(employees):
        return None
    decided = pd.to_datetime(records["decided_on"], errors="coerce").dt.year
    punished = records.loc[(decided == inp.year).to_numpy(), "nip"].nunique()
    n = len(employees)
    return Figure(100 * punished / n, n=n, basis="ASN with a penalty decided that year / all ASN")


def _completers(inp: GoalInputs, program: str, series: str) -> Figure | None:
    acts = _scope(inp, program, series)
    if not len(acts):
        return None
    e = inp.enrollments
    done = e[e["activity"].isin(acts).to_numpy() & e["completed"].to_numpy(dtype=bool)]
    return Figure(float(len(done)), basis="completed enrollments in the year")


def _leadership(inp: GoalInputs, program: str, series: str) -> Figure | None:
    employees, positions = inp.frames.get("employees"), inp.frames.get("positions")
    if employees is None or positions is None or not len(employees):
        return None
    kind = positions.set_index("code")["kind"]
    emp = employees[employees["position"].map(kind).isin(LEADERSHIP_POSITIONS).to_numpy()]
    if not len(emp):
        return None
    e = inp.enrollments
    done = e[
        e["completed"].to_numpy(dtype=bool)
        & e["form"].isin(LEADERSHIP_FORMS).to_numpy()
        & (e["year"] <= inp.year).to_numpy()
    ]
    certified = emp["nip"].isin(set(done["nip"])).sum()
    return Figure(
        100 * float(certified) / len(emp),
        n=len(emp),
        basis="pengawas/administrator who completed PKP/PKA in Mutu's records",
    )


def _magang(inp: GoalInputs, program: str, series: str) -> Figure | None:
    value = getattr(inp.sections.get("magang"), "median_interns", None)
    n = getattr(inp.sections.get("magang"), "n_interns", None)
    if value is None or not math.isfinite(float(value)):
        return None
    return Figure(float(value), n=n, basis="Kaplan–Meier median of the interns (magang section)")


_COMPUTE: dict[str, Callable[[GoalInputs, str, str], Figure | None]] = {
    "posttest_mean": _posttest,
    "learning_gain": _gain,
    "workplan_quality_after": _workplan,
    "ikm_program_units": _ikm_units,
    "jp_pns_share": _jp_share,
    "ip_asn_mean": _ip_asn,
    "jpm_mean": _jpm,
    "discipline_share": _discipline,
    "completers": _completers,
    "leadership_certified_share": _leadership,
    "magang_median_months": _magang,
}


def _number(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def goal_progress(inp: GoalInputs) -> list[dict[str, Any]]:
    """One record per program goal: target, achieved value (with interval) and status.

    Returns
    -------
    list of dict
        ``program``, ``dimension``, ``statement``, ``indicator``, ``unit_of_measure``,
        ``metric`` (empty when none), ``kind``, ``higher_is_better``, ``baseline``,
        ``target``, ``actual``, ``ci_low``, ``ci_high``, ``n``, ``basis`` and
        ``status`` (see the module notes), in the stored order of the goals.
    """
    g = inp.goals
    if g is None or not len(g):
        return []
    out: list[dict[str, Any]] = []
    for row in g.to_dict("records"):
        code = _text(row.get("metric"))
        metric = METRICS.get(code)
        program, series = _text(row.get("program")), _text(row.get("activity_series"))
        figure = _COMPUTE[code](inp, program, series) if metric is not None else None
        target = _number(row.get("target"))
        status = (
            grade(
                figure.value,
                target,
                higher_is_better=metric.higher_is_better,
                ci_low=figure.ci_low,
                ci_high=figure.ci_high,
            )
            if figure is not None and metric is not None
            else "no_data"
        )
        out.append(
            {
                "program": program,
                "dimension": _text(row.get("dimension")),
                "statement": _text(row.get("statement")),
                "indicator": _text(row.get("indicator")),
                "goal": _text(row.get("indicator")),
                "unit_of_measure": _text(row.get("unit_of_measure")),
                "metric": code,
                "activity_series": series,
                "kind": metric.kind if metric else "decimal",
                "higher_is_better": metric.higher_is_better if metric else None,
                "baseline": _number(row.get("baseline")),
                "target": target,
                "actual": figure.value if figure else None,
                "ci_low": figure.ci_low if figure else None,
                "ci_high": figure.ci_high if figure else None,
                "n": figure.n if figure else None,
                "basis": figure.basis if figure else "",
                "status": status,
            }
        )
    return out
