"""The reading of the frames as it was before the columnar reader (reference for tests).

``values_list`` through Django's iterator (every converter on every value),
then a per-value cast. :func:`orm_evaluation_frames` is kept here, verbatim,
so ``tests/evaluations/test_columnar_frames.py`` can check that
:func:`mutu.evaluations.selectors.evaluation_frames` gives the same frames,
column by column, dtypes included.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from mutu.evaluations.selectors import _SOURCES, WIB, _queryset
from mutu.programs.models import ActivitySession
from mutu.synthetic.schemas import FRAME_SCHEMAS, STR, stored_columns


def _cast(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The schema's dtypes; aware times as WIB wall-clock; empty optional text as missing."""
    schema = {c.name: c for c in FRAME_SCHEMAS[name].columns}
    out = {}
    for column in frame.columns:
        spec = schema[column]
        series = frame[column]
        if spec.dtype == STR:
            if column == "labels":
                series = series.map(lambda v: json.dumps(v, ensure_ascii=False))
            values = series.to_numpy(dtype=object)
            if spec.nullable:
                empty = pd.isna(values) | (values == "")
                values = np.where(empty, np.full(len(values), None, dtype=object), values)
            series = pd.Series(values, dtype="str")
        elif spec.dtype.startswith("datetime64"):
            stamps = pd.to_datetime(series, utc=bool(series.map(_aware).any()))
            if getattr(stamps.dt, "tz", None) is not None:
                stamps = stamps.dt.tz_convert(WIB).dt.tz_localize(None)
            series = stamps.astype("datetime64[ms]")
        elif spec.dtype in ("float64", "Float64"):
            numbers = pd.to_numeric(series.map(lambda v: None if v is None else float(v)))
            series = numbers.astype("Float64" if spec.dtype == "Float64" else "float64")
        else:
            series = series.astype(spec.dtype)  # type: ignore[call-overload]
        out[column] = series.reset_index(drop=True)
    return pd.DataFrame(out, columns=frame.columns)


def _aware(value: object) -> bool:
    return getattr(value, "tzinfo", None) is not None


def _session_numbers() -> dict[int, int]:
    """Session id → its number (1, 2, …) within its activity, in order of start."""
    rows = ActivitySession.objects.order_by("activity_id", "starts_at", "pk").values_list(
        "pk", "activity_id"
    )
    numbers: dict[int, int] = {}
    counts: dict[int, int] = {}
    for pk, activity in rows:
        counts[activity] = counts.get(activity, 0) + 1
        numbers[pk] = counts[activity]
    return numbers


def orm_evaluation_frames(names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read the stored frames from the database (all, or those in ``names``).

    Each frame has exactly :func:`mutu.synthetic.stored_columns` of its name,
    in that order, with the schema's dtypes.
    """
    wanted = [n for n in _SOURCES if names is None or n in names]
    sessions = _session_numbers() if {"attendance", "activity_sessions"} & set(wanted) else {}
    frames: dict[str, pd.DataFrame] = {}
    for name in wanted:
        model, paths = _SOURCES[name]
        columns = stored_columns(name)
        if name == "activity_sessions":
            lookups = [paths.get(c, c) for c in columns if c != "session_no"] + ["pk"]
        else:
            lookups = [paths.get(c, c) for c in columns]
        rows = list(_queryset(name, model).values_list(*lookups))
        if name == "activity_sessions":
            data = pd.DataFrame(rows, columns=[c for c in columns if c != "session_no"] + ["pk"])
            data["session_no"] = data.pop("pk").map(sessions)
            data = data[columns]
        else:
            data = pd.DataFrame(rows, columns=columns)
            if name == "attendance":
                data["session_no"] = data["session_no"].map(sessions)
        frames[name] = _cast(name, data)
    return frames
