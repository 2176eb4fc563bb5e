"""The evaluation pipeline: stored frames in, an :class:`EvaluationReport` out."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import replace
from typing import Any

import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.evaluation.pipeline.activities import activity_table, enrollment_table
from mutu.evaluation.pipeline.determinism import one_blas_thread
from mutu.evaluation.pipeline.goals import GoalInputs, goal_progress
from mutu.evaluation.pipeline.inputs import data_hash, has, normalise_frames, row_counts
from mutu.evaluation.pipeline.l1_reaction import reaction
from mutu.evaluation.pipeline.l2_learning import learning
from mutu.evaluation.pipeline.l3_behaviour import behaviour
from mutu.evaluation.pipeline.l4_results import results
from mutu.evaluation.pipeline.l5_costs import costs
from mutu.evaluation.pipeline.magang import magang
from mutu.evaluation.pipeline.participation import participation
from mutu.evaluation.pipeline.people import employee_table
from mutu.evaluation.pipeline.plan import EvaluationPlan
from mutu.evaluation.pipeline.report import (
    ESTIMAND_NAMES,
    Estimand,
    EvaluationReport,
    NoData,
    Section,
    adjust_family,
)
from mutu.evaluation.pipeline.timing import Stopwatch, stage
from mutu.indices import indices_overview, skm_wide, training_history
from mutu.rulebooks import RulebookError, load

__all__ = ["evaluate"]

SECTION_ORDER = (
    "l1_reaction",
    "l2_learning",
    "l3_behaviour",
    "l4_results",
    "l5_roi",
    "participation",
    "magang",
)
EMPLOYEE_COLUMNS = (
    "status",
    "pppk",
    "part_time",
    "rank",
    "pay_group",
    "birth_date",
    "tmt",
    "female",
    "education",
    "degree",
    "unit",
    "position",
    "supervisor",
    "unit_kind",
    "skpk",
    "workload",
    "distance_km",
    "kecamatan",
    "skp_prior",
    "position_kind",
)


def _no_enrollments() -> pd.DataFrame:
    """An empty enrollment table with the columns and dtypes of :func:`enrollment_table`."""
    text = ("activity", "nip", "status", "program", "form", "kind")
    cols: dict[str, pd.Series] = {c: pd.Series(dtype=object) for c in text}
    cols.update(
        year=pd.Series(dtype=float),
        jp=pd.Series(dtype=float),
        start_date=pd.Series(dtype="datetime64[ns]"),
        completed=pd.Series(dtype=bool),
        attended=pd.Series(dtype=bool),
        registered=pd.Series(dtype=bool),
    )
    return pd.DataFrame(cols)


def _indices(frames: Mapping[str, pd.DataFrame], years: list[int]) -> dict[str, Any]:
    """:func:`mutu.indices.indices_overview` on the frames; errors are reported, not raised."""
    if not has(frames, "employees"):
        return {"status": "no_data", "missing": ["employees"]}

    def get(name: str) -> pd.DataFrame | None:
        return frames[name] if has(frames, name) else None

    try:
        skm_responses = None
        if (
            has(frames, "responses", "answers")
            and (frames["responses"]["instrument"] == "SKM").any()
        ):
            skm_responses = skm_wide(frames["responses"], frames["answers"])
        trainings = (
            training_history(frames["enrollments"], frames["activities"])
            if has(frames, "enrollments", "activities")
            else None
        )
        out = indices_overview(
            employees=frames["employees"],
            years=years,
            ledger=get("jp_ledger"),
            trainings=trainings,
            performance=get("performance_records"),
            discipline=get("discipline_records"),
            skm_responses=skm_responses,
            units=get("units"),
            positions=get("positions"),
            assessments=get("competency_assessments"),
            standards=get("competency_standards"),
        )
    except MutuValueError as exc:
        return {"status": "error", "message_id": exc.message_id, "message_en": exc.message_en}
    out["status"] = "ok"
    return out


@one_blas_thread
def evaluate(
    frames: Mapping[str, pd.DataFrame],
    *,
    year: int | None = None,
    plan: EvaluationPlan | None = None,
    confidence: float = 0.95,
    include_indices: bool = True,
    stopwatch: Stopwatch | None = None,
) -> EvaluationReport:
    """Evaluate the program from the stored frames: L1–L5, participation, magang, estimands.

    Parameters
    ----------
    frames
        The stored frames of ``docs/frames.md`` by name — what a database gives
        back (e.g. ``mutu.synthetic.stored_view(world.frames)`` or the
        selectors' frames). Any dtype storage produces is accepted (see
        :func:`~mutu.evaluation.pipeline.inputs.normalise_frames`). A missing
        or empty frame makes the sections that need it say "no data".
    year
        Report year (overrides ``plan.year``); default the last year with
        activities. The multi-year designs use every year up to it.
    plan
        What to evaluate (:class:`EvaluationPlan`); default the plan's defaults.
    confidence
        Level of every interval.
    include_indices
        Also compute :func:`mutu.indices.indices_overview` for every year
        (the slowest part; tests of the estimands switch it off).
    stopwatch
        Records the seconds and peak memory of each stage (``normalise``,
        ``activities``, ``tables``, ``l1``, ``l2``, ``l3``, ``l4``, ``participation``,
        ``magang``, ``estimands``, ``l5``, ``indices``, ``goals``); optional.

    Returns
    -------
    EvaluationReport

    Raises
    ------
    MutuValueError
        When the plan names a program, instrument or incentive scheme the
        data do not contain, or the confidence is not in (0, 1).
    """
    if not 0.0 < confidence < 1.0:
        raise MutuValueError(
            "Tingkat kepercayaan harus di antara 0 dan 1.",
            "The confidence level must lie between 0 and 1.",
        )
    plan = plan or EvaluationPlan()
    watch = stopwatch
    with stage(watch, "normalise"):
        f = normalise_frames(frames)
        plan.check_against(f)
        data: dict[str, Any] = {"rows": row_counts(f), "hash": data_hash(f)}
    labels: set[str] = set()
    sections: dict[str, Section] = {}
    est: dict[str, Estimand] = {}
    with stage(watch, "activities"):
        activities = activity_table(f) if has(f, "activities") else None
    if activities is None or activities["year"].isna().all():
        for name in SECTION_ORDER:
            sections[name] = NoData(section=name, missing=("activities",))
        est = {n: Estimand.no_data(n, "no activities") for n in ESTIMAND_NAMES}
        years: list[int] = []
        report_year = year or plan.year
        goal_inputs: GoalInputs | None = None
    else:
        years = sorted(int(y) for y in activities["year"].dropna().unique())
        report_year = int(year or plan.year or years[-1])
        first_year = years[0]
        with suppress(RulebookError):  # the built-in version always exists
            labels.add(load("golongan").label)
        with stage(watch, "tables"):
            employees = (
                employee_table(f, plan, first_year=first_year)
                if has(f, "employees")
                else pd.DataFrame(columns=list(EMPLOYEE_COLUMNS), index=pd.Index([], name="nip"))
            )
            enrollments = (
                enrollment_table(f, activities, attendance_rule=plan.attendance_rule)
                if has(f, "enrollments")
                else _no_enrollments()
            )
        with stage(watch, "l1"):
            sections["l1_reaction"] = reaction(f, plan, year=report_year, confidence=confidence)
        with stage(watch, "l2"):
            sections["l2_learning"], est["learning_gain"], pairs = learning(
                f, plan, activities, year=report_year, confidence=confidence
            )
        with stage(watch, "l3"):
            sections["l3_behaviour"], est["workplan_quality_att"] = behaviour(
                f, plan, employees, enrollments, year=report_year, confidence=confidence
            )
        with stage(watch, "l4"):
            sections["l4_results"], est["ikm_att"], skm_labels = results(
                f, plan, year=report_year, confidence=confidence
            )
        labels |= skm_labels
        with stage(watch, "participation"):
            sections["participation"], est["incentive_attendance_effect"] = participation(
                f, plan, employees, enrollments, year=report_year, confidence=confidence
            )
        with stage(watch, "magang"):
            sections["magang"], est["magang_months_to_proficiency_diff"] = magang(
                f, plan, employees, activities, enrollments, year=report_year, confidence=confidence
            )
        with stage(watch, "estimands"):
            est = adjust_family({n: est[n] for n in ESTIMAND_NAMES}, level=plan.level)
        tested = (
            sorted(set(pairs.loc[pairs["year"] == report_year, "activity"])) if len(pairs) else []
        )
        with stage(watch, "l5"):
            sections["l5_roi"], cost_labels = costs(
                f,
                plan,
                activities,
                enrollments,
                employees,
                est,
                year=report_year,
                tested_activities=tested,
            )
        labels |= cost_labels
        goal_inputs = GoalInputs(
            year=report_year,
            confidence=confidence,
            goals=f["program_goals"] if has(f, "program_goals") else None,
            activities=activities,
            enrollments=enrollments,
            pairs=pairs,
            sections=sections,
            indices=None,
            frames=f,
        )
    with stage(watch, "indices"):
        indices = _indices(f, years) if include_indices and years else None
    with stage(watch, "goals"):
        goals = (
            goal_progress(replace(goal_inputs, indices=indices)) if goal_inputs is not None else []
        )
    if indices is not None:
        for books in indices.get("rulebooks", {}).values():
            labels.update(books)
    data.update(years=years, year=report_year)
    notes = {n: e.method for n, e in est.items()}
    for name, section in sections.items():
        variant = getattr(section, "variant", None)
        if isinstance(variant, str):
            notes[name] = variant
    return EvaluationReport(
        estimands=est,
        sections={n: sections[n] for n in SECTION_ORDER},
        plan=plan,
        rulebooks=tuple(sorted(labels)),
        variant_notes=notes,
        data=data,
        confidence=confidence,
        indices=indices,
        goals=tuple(goals),
    )
