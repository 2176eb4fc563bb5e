"""Turning results into plain JSON data: floats, ints, strings, booleans, None.

NaN and infinities become ``None`` (``json.dumps(..., allow_nan=False)`` must
work), numpy scalars become Python numbers, dates ISO text, tables lists of
row dicts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["jsonable", "table_records"]


def jsonable(value: Any) -> Any:
    """``value`` as JSON-ready data (recursively)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).isoformat()
    if isinstance(value, pd.DataFrame):
        return table_records(value)
    if isinstance(value, pd.Series):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | np.ndarray):
        return [jsonable(v) for v in value]
    return str(value)


def table_records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """A table as a list of row dicts; a named index becomes ordinary columns."""
    if frame is None:
        return []
    named = any(name is not None for name in frame.index.names)
    flat = frame.reset_index() if named else frame.reset_index(drop=True)
    return [{str(k): jsonable(v) for k, v in row.items()} for row in flat.to_dict(orient="records")]
