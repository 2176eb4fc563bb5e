"""L3 behaviour and L5 costs per activity, vectorised over activities and people.

* :func:`behaviour_pairs` and :func:`behaviour_change` — L3: the supervisors'
  before/after ratings of the plan's rating dimension (instrument
  ``PENILAIAN-ATASAN``, dimension ``kualitas_rencana_kerja``, occasions
  ``before``/``after``, :class:`~mutu.evaluation.pipeline.plan.EvaluationPlan`'s
  defaults). A rating's score is the mean of its answered items of the
  dimension, a person's before (after) score in an activity the mean of their
  before (after) ratings — as :func:`mutu.evaluation.pipeline.l3_behaviour.rating_panel`
  scores a rating, but per activity rather than per year. Then the paired
  change (t-test, :func:`mutu.evaluation.fast.stats.paired_by_group`) and the
  Wilcoxon signed-rank test (:func:`mutu.evaluation.fast.ranks.wilcoxon_by_group`)
  per activity, equal to :func:`mutu.evaluation.learning.paired_change` on each
  activity's pairs. This is a within-activity change of the participants'
  ratings, not the pipeline's regression-adjusted ATT against untrained writers.
* :func:`activity_costs` — L5 cash costs per activity: planned (sum of
  ``budget_lines.planned_amount``), spent (``expenditures.amount`` through
  their budget line), enrolled, completers, participant-JP = completers × JP,
  and spent per enrolled participant, per participant-JP and per completer.
  The sums are those of :func:`mutu.evaluation.pipeline.l5_costs`'s per-activity
  table; participants' time (attendance × hourly cost) is not included.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mutu.evaluation.fast.evaluate import (
    codes_in,
    index_in,
    paired_columns,
    response_rows,
    wilcoxon_method,
)
from mutu.evaluation.fast.ranks import wilcoxon_by_group
from mutu.evaluation.fast.stats import paired_by_group

__all__ = [
    "COST_COLUMNS",
    "RATING",
    "activity_costs",
    "behaviour_change",
    "behaviour_pairs",
    "paired_table",
]

#: Instrument, dimension, before and after occasion of the L3 ratings (the plan's defaults).
RATING = ("PENILAIAN-ATASAN", "kualitas_rencana_kerja", "before", "after")
COST_COLUMNS = (
    "planned",
    "spent",
    "enrolled",
    "completers",
    "participant_jp",
    "cost_per_participant",
    "cost_per_jp",
    "cost_per_completer",
)


def behaviour_pairs(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Before and after rating score per activity and rated person.

    Columns ``activity``, ``nip`` (categoricals), ``before``, ``after`` (NaN
    when that occasion has no scored rating). Ratings without an activity or a
    subject are left out.
    """
    instrument, dimension, before, after = RATING
    empty = pd.DataFrame(columns=["activity", "nip", "before", "after"])
    responses = frames["responses"]
    if "subject_nip" not in responses.columns:
        return empty
    items = frames["items"]
    mine = (items["instrument"].astype(str) == instrument).to_numpy() & (
        items["dimension"].astype(str) == dimension
    ).to_numpy()
    codes = list(dict.fromkeys(items.loc[mine, "code"].astype(str)))
    if not codes:
        return empty
    answers = frames["answers"]
    is_item = codes_in(answers["item"], codes) >= 0
    value = answers["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    rows = response_rows(responses, answers["token"].to_numpy()[is_item])
    v = value[is_item]
    take = (rows >= 0) & ~np.isnan(v)
    n_resp = len(responses)
    total = np.bincount(rows[take], weights=v[take], minlength=n_resp)
    count = np.bincount(rows[take], minlength=n_resp)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = total / count  # NaN: no answered item of the dimension
    occ = codes_in(responses["occasion"], [before, after])
    is_rating = codes_in(responses["instrument"], [instrument]) == 0
    cand = np.flatnonzero(is_rating & (occ >= 0) & ~np.isnan(score))
    # text keys of the rating responses only (a small share of all responses)
    act_codes, act_names = pd.factorize(responses["activity"].iloc[cand])
    nip_codes, nip_names = pd.factorize(responses["subject_nip"].iloc[cand])
    keep = (act_codes >= 0) & (nip_codes >= 0)
    use = cand[keep]
    if use.size == 0:
        return empty
    n_person = max(len(nip_names), 1)
    pair_key = act_codes[keep].astype(np.int64) * n_person + nip_codes[keep]
    pairs, inv = np.unique(pair_key, return_inverse=True)
    cell = inv * 2 + occ[use]
    sums = np.bincount(cell, weights=score[use], minlength=2 * pairs.size).reshape(-1, 2)
    counts = np.bincount(cell, minlength=2 * pairs.size).reshape(-1, 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    return pd.DataFrame(
        {
            "activity": pd.Categorical.from_codes(pairs // n_person, categories=act_names),
            "nip": pd.Categorical.from_codes(pairs % n_person, categories=nip_names),
            "before": means[:, 0],
            "after": means[:, 1],
        }
    )


def paired_table(
    pairs: pd.DataFrame, pre: str, post: str, *, confidence: float = 0.95
) -> pd.DataFrame:
    """Paired t-test and Wilcoxon signed-rank of ``post − pre`` per activity, one row each."""
    codes, names = pd.factorize(pairs["activity"])
    a = pairs[pre].to_numpy(dtype=np.float64)
    b = pairs[post].to_numpy(dtype=np.float64)
    res = paired_by_group(codes, a, b, len(names), confidence=confidence)
    w = wilcoxon_by_group(codes, a, b, len(names))
    return pd.DataFrame(
        {
            **paired_columns(names, res),
            "wilcoxon_v": w.v,
            "wilcoxon_p": w.p_value,
            "wilcoxon_method": wilcoxon_method(w.method),
            "ok": res.ok,
        }
    )


def behaviour_change(
    frames: Mapping[str, pd.DataFrame], *, confidence: float = 0.95
) -> pd.DataFrame:
    """L3 per activity: the paired change after − before of the rated participants.

    Columns as :func:`paired_table` (``mean_pre`` is the mean before-score).
    """
    pairs = behaviour_pairs(frames)
    return paired_table(pairs, "before", "after", confidence=confidence)


def activity_costs(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """L5 cash costs per activity (rows of ``activities``); columns ``activity`` and COST_COLUMNS.

    Ratios are NaN when their denominator is zero. Budget lines of activities
    not in ``activities`` and expenditures of unknown budget lines are not counted.
    """
    activities = frames["activities"]
    n = len(activities)
    codes = activities["code"]
    lines = frames.get("budget_lines")
    planned = np.zeros(n)
    spent = np.zeros(n)
    if lines is not None and len(lines):
        line_act = index_in(lines["activity"], codes)
        ok = line_act >= 0
        amount = lines["planned_amount"].to_numpy(dtype=np.float64, na_value=np.nan)
        planned = np.bincount(line_act[ok], weights=np.nan_to_num(amount[ok]), minlength=n).astype(
            np.float64
        )
        ex = frames.get("expenditures")
        if ex is not None and len(ex):
            which = index_in(ex["budget_line"], lines["code"])
            found = which >= 0
            ex_act = np.full(which.size, -1, dtype=np.int64)
            ex_act[found] = line_act[which[found]]
            use = ex_act >= 0
            paid = ex["amount"].to_numpy(dtype=np.float64, na_value=np.nan)
            spent = np.bincount(ex_act[use], weights=np.nan_to_num(paid[use]), minlength=n).astype(
                np.float64
            )
    enr = frames["enrollments"]
    enr_act = index_in(enr["activity"], codes)
    known = enr_act >= 0
    enrolled = np.bincount(enr_act[known], minlength=n)
    completed = codes_in(enr["status"], ["completed"]) == 0
    completers = np.bincount(enr_act[known & completed], minlength=n)
    jp = activities["jp"].to_numpy(dtype=np.float64, na_value=np.nan)
    participant_jp = completers * jp
    with np.errstate(invalid="ignore", divide="ignore"):
        per_participant = np.where(enrolled > 0, spent / enrolled, np.nan)
        per_jp = np.where(participant_jp > 0, spent / participant_jp, np.nan)
        per_completer = np.where(completers > 0, spent / completers, np.nan)
    return pd.DataFrame(
        {
            "activity": codes.astype(object).to_numpy(dtype=object),
            "planned": planned,
            "spent": spent,
            "enrolled": enrolled.astype(np.int64),
            "completers": completers.astype(np.int64),
            "participant_jp": participant_jp,
            "cost_per_participant": per_participant,
            "cost_per_jp": per_jp,
            "cost_per_completer": per_completer,
        }
    )
