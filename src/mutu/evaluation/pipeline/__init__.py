"""The evaluation pipeline: the whole evaluation from the stored frames (pure core).

``mutu evaluate`` reads the database through the selectors into the frames
of ``docs/frames.md`` and calls :func:`evaluate`; a notebook can call it on
the same frames. It computes Kirkpatrick L1–L4, Phillips L5, participation
and the internship's time to proficiency, and the five headline estimands
(``learning_gain``, ``workplan_quality_att``, ``ikm_att``,
``incentive_attendance_effect``, ``magang_months_to_proficiency_diff``) with
their standard errors, intervals, methods and Holm-corrected tests. See
``docs/evaluation.md``.

>>> from mutu.evaluation.pipeline import EvaluationPlan, evaluate   # doctest: +SKIP
>>> report = evaluate(frames, plan=EvaluationPlan())                # doctest: +SKIP
>>> report.to_json()["estimands"]["learning_gain"]["estimate"]      # doctest: +SKIP
"""

from mutu.evaluation.pipeline.evaluate import evaluate
from mutu.evaluation.pipeline.inputs import data_hash, normalise_frames
from mutu.evaluation.pipeline.plan import COVARIATES, EvaluationPlan
from mutu.evaluation.pipeline.report import (
    ESTIMAND_NAMES,
    Estimand,
    EvaluationReport,
    NoData,
    Section,
)

__all__ = [
    "COVARIATES",
    "ESTIMAND_NAMES",
    "Estimand",
    "EvaluationPlan",
    "EvaluationReport",
    "NoData",
    "Section",
    "data_hash",
    "evaluate",
    "normalise_frames",
]
