"""Building the index input frames from the stored frames (``docs/frames.md``).

The selectors and the synthetic world keep SKM answers long (one row per
response and item) and development as enrollments in activities; the indices
want one row per respondent and one row per completed activity.  These
helpers reshape without dropping anything silently.
"""

from __future__ import annotations

import pandas as pd

from mutu.indices._common import (
    date_column,
    isin,
    nip_column,
    numeric_column,
    refuse_rows,
    require_columns,
    text_column,
)

__all__ = ["skm_wide", "training_history"]


def skm_wide(
    responses: pd.DataFrame, answers: pd.DataFrame, *, instrument: str = "SKM"
) -> pd.DataFrame:
    """SKM answers, one row per response: ``unit``, ``date``, ``year``, ``U1`` … ``U9``.

    Parameters
    ----------
    responses
        ``instruments.Response`` rows: ``token``, ``instrument``, ``unit``
        (the service unit rated), ``submitted_at``.
    answers
        ``instruments.Answer`` rows: ``token``, ``item`` (the element code),
        ``value``.
    instrument
        The SKM instrument's code (default ``"SKM"``); other responses are
        left out.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``token``; every item answered becomes a column, so an
        unknown item reaches :func:`~mutu.indices.skm` and is refused there.

    Raises
    ------
    IndexInputError
        For an answer whose token is not an SKM response, a repeated
        token+item, or an SKM response without a unit or date.
    """
    require_columns(responses, "responses", ["token", "instrument", "unit", "submitted_at"])
    require_columns(answers, "answers", ["token", "item", "value"])
    mine = text_column(responses, "instrument") == instrument
    resp = responses[mine.fillna(False).to_numpy()]
    unit = text_column(resp, "unit")
    refuse_rows("responses", unit.isna(), resp.index, "unit kosong", "unit is empty")
    when = date_column(resp, "submitted_at", "responses")
    refuse_rows("responses", when.isna(), resp.index, "submitted_at kosong", "no submitted_at")
    tokens = text_column(resp, "token")
    ans_token = text_column(answers, "token")
    skm_tokens = set(tokens)
    other_tokens = set(text_column(responses, "token")) - skm_tokens
    ours = isin(ans_token, list(skm_tokens)).fillna(False)
    refuse_rows(
        "answers",
        ~ours & ~isin(ans_token, list(other_tokens)).fillna(False),
        answers.index,
        "token tidak ada di responses",
        "token is not among the responses",
    )
    ans = answers[ours.to_numpy()]
    item = text_column(ans, "item")
    refuse_rows(
        "answers",
        pd.DataFrame({"t": ans_token[ours], "i": item}).duplicated(keep=False),
        ans.index,
        "token+item berulang",
        "token+item repeated",
    )
    value = numeric_column(ans, "value", "answers")
    wide = pd.DataFrame({"token": ans_token[ours], "item": item, "value": value}).pivot(
        index="token", columns="item", values="value"
    )
    wide.columns.name = None
    base = pd.DataFrame(
        {"unit": unit.to_numpy(), "date": when.dt.normalize().to_numpy()},
        index=pd.Index(tokens.to_numpy(), name="token"),
    )
    base["year"] = base["date"].dt.year
    return base.join(wide, how="left")


def training_history(enrollments: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """Completed development per person, the ``trainings`` frame of :func:`~mutu.indices.ip_asn`.

    Parameters
    ----------
    enrollments
        ``programs.Enrollment`` rows: ``activity``, ``nip``, ``status``
        (only ``completed`` counts), optional ``completed_on``.
    activities
        ``programs.Activity`` rows: ``code``, ``form``, ``jp``, ``end_date``.

    Returns
    -------
    pandas.DataFrame
        ``nip``, ``activity``, ``form``, ``jp``, ``end`` (``completed_on``, else
        the activity's ``end_date``), ``relevant`` (empty: not recorded).
        Development elsewhere (external JP ledger entries) has no form code
        and is not included.

    Raises
    ------
    IndexInputError
        For an enrollment in an unknown activity or a repeated activity code.
    """
    require_columns(enrollments, "enrollments", ["activity", "nip", "status"])
    require_columns(activities, "activities", ["code", "form", "jp", "end_date"])
    codes = text_column(activities, "code")
    refuse_rows(
        "activities",
        codes.duplicated(keep=False),
        activities.index,
        "kode kegiatan berulang",
        "activity code repeated",
    )
    act = pd.DataFrame(
        {
            "form": text_column(activities, "form").to_numpy(),
            "jp": numeric_column(activities, "jp", "activities").to_numpy(),
            "end_date": date_column(activities, "end_date", "activities").to_numpy(),
        },
        index=pd.Index(codes.to_numpy(), name="activity"),
    )
    activity = text_column(enrollments, "activity")
    refuse_rows(
        "enrollments",
        ~isin(activity, list(act.index)).fillna(False),
        enrollments.index,
        "kegiatan tidak dikenal",
        "unknown activity",
    )
    done = (text_column(enrollments, "status").str.lower() == "completed").fillna(False)
    rows = enrollments[done.to_numpy()]
    acts = activity[done]
    completed = (
        date_column(rows, "completed_on", "enrollments")
        if "completed_on" in rows.columns
        else pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns]")
    )
    end = completed.fillna(acts.map(act["end_date"]))
    return pd.DataFrame(
        {
            "nip": nip_column(rows, "enrollments").to_numpy(),
            "activity": acts.to_numpy(),
            "form": acts.map(act["form"]).to_numpy(),
            "jp": acts.map(act["jp"]).to_numpy(),
            "end": pd.to_datetime(end).to_numpy(),
            "relevant": pd.array([pd.NA] * len(rows), dtype="boolean"),
        }
    )
