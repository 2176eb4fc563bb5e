"""The one entry point for data: normalise the frames, whatever storage they came from.

The pipeline reads the *stored* frames of ``docs/frames.md`` — what a database
gives back (``mutu.synthetic.stored_view`` of the demo world, or the
selectors' frames). Storage changes dtypes: text may be ``object`` or
``string``, dates ``datetime64`` or Python ``date`` objects, nullable integers
``Int64`` or ``float``. :func:`normalise_frames` turns every frame into one
shape — text as ``object`` with ``None`` for missing (trimmed, empty = missing),
dates as ``datetime64[ns]`` (local time, no zone), numbers as ``int64`` when
complete else ``float64``, flags as ``bool`` — so nothing downstream has to
care where the data came from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["data_hash", "has", "normalise_frames", "row_counts"]

#: Date and date-time columns, per frame.
DATES: dict[str, tuple[str, ...]] = {
    "employees": ("birth_date", "tmt_cpns"),
    "position_history": ("start", "end"),
    "discipline_records": ("decided_on", "start", "end"),
    "competency_assessments": ("assessed_on",),
    "partner_agreements": ("start", "end"),
    "programs": ("period_start", "period_end"),
    "activities": ("start_date", "end_date"),
    "activity_sessions": ("starts_at", "ends_at"),
    "expenditures": ("date",),
    "incentive_schemes": ("start", "end"),
    "incentive_offers": ("offered_on",),
    "enrollments": ("nominated_on", "registered_on", "completed_on"),
    "attendance": ("checked_in_at",),
    "certificates": ("issued_on",),
    "jp_ledger": ("date",),
    "internships": ("start", "end"),
    "internship_logs": ("week_start",),
    "instrument_versions": ("published_at",),
    "responses": ("submitted_at",),
    "skm_results": ("period_start", "period_end"),
}
#: Numeric columns, per frame (integers when complete).
NUMBERS: dict[str, tuple[str, ...]] = {
    "kecamatan": ("distance_km",),
    "competency_standards": ("required_level",),
    "performance_records": ("year", "score"),
    "competency_assessments": ("level",),
    "partner_agreements": ("quota",),
    "program_goals": ("baseline", "target"),
    "program_units": ("adoption_year",),
    "activities": ("jp", "capacity"),
    "activity_sessions": ("session_no",),
    "budget_lines": ("fiscal_year", "planned_amount"),
    "expenditures": ("amount",),
    "attendance": ("session_no",),
    "jp_ledger": ("year", "jp", "minutes"),
    "scales": ("min_value", "max_value"),
    "instrument_versions": ("version",),
    "items": ("version", "order", "points"),
    "item_options": ("version", "order"),
    "responses": ("version",),
    "answers": ("value",),
    "skm_results": ("nrr", "respondent_count"),
}
#: Always-float columns (amounts and scores stay float even when whole).
FLOATS = {"distance_km", "score", "jp", "planned_amount", "amount", "nrr", "value", "points"}
#: Boolean columns, per frame.
FLAGS: dict[str, tuple[str, ...]] = {
    "kecamatan": ("code_confirmed",),
    "units": ("is_active",),
    "employees": ("is_active",),
    "partners": ("is_active",),
    "programs": ("is_recurring",),
    "incentive_offers": ("accepted",),
    "attendance": ("present",),
    "instruments": ("is_anonymous",),
    "instrument_versions": ("is_locked",),
    "items": ("is_reverse",),
    "item_options": ("is_correct",),
}
_TRUE = {"true", "t", "1", "yes", "y", "ya"}


def _text(s: pd.Series) -> pd.Series:
    """Trimmed text as ``object`` with ``None`` for missing or empty text.

    The Python strings are made once per distinct value (a factorisation),
    not once per row: a column of a few hundred codes over 264,000 answers
    costs a few hundred conversions.
    """
    text = s.astype("string").str.strip()
    keep = (text.notna() & (text != "")).fillna(False).to_numpy(dtype=bool)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    lookup = np.empty(len(uniques) + 1, dtype=object)  # the last entry (None) for code -1
    lookup[: len(uniques)] = np.asarray(uniques.astype(object), dtype=object)
    values = lookup[codes]
    values[~keep] = None
    # dtype=object explicitly: pandas 3 would otherwise infer its "str" dtype.
    return pd.Series(values, index=s.index, name=s.name, dtype=object)


def _date(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert("Asia/Jakarta").dt.tz_localize(None)
    out = pd.to_datetime(s, errors="coerce")
    if isinstance(out.dtype, pd.DatetimeTZDtype):
        out = out.dt.tz_convert("Asia/Jakarta").dt.tz_localize(None)
    return out.astype("datetime64[ns]")


def _number(s: pd.Series, name: str) -> pd.Series:
    out = pd.to_numeric(s, errors="coerce").astype(float)
    if name not in FLOATS and out.notna().all() and np.all(np.mod(out.to_numpy(), 1) == 0):
        return out.astype(np.int64)
    return out


def _flag(s: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return s.fillna(False).astype(bool)
    low = s.astype("string").str.strip().str.lower()
    return low.isin(list(_TRUE)).fillna(False).astype(bool)


def normalise_frames(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every frame in one shape (see the module text); the input is not modified.

    Parameters
    ----------
    frames
        Frames by name (``docs/frames.md``); any subset, extra frames and
        columns are kept as they are (text columns are still trimmed).

    Returns
    -------
    dict of pandas.DataFrame
        The same names, with a fresh ``RangeIndex``.
    """
    out: dict[str, pd.DataFrame] = {}
    for name, frame in frames.items():
        if frame is None:
            continue
        df = frame.reset_index(drop=True)
        cols: dict[str, pd.Series] = {}
        dates, numbers, flags = DATES.get(name, ()), NUMBERS.get(name, ()), FLAGS.get(name, ())
        for col in df.columns:
            s = df[col]
            if col in dates:
                cols[col] = _date(s)
            elif col in numbers:
                cols[col] = _number(s, col)
            elif col in flags:
                cols[col] = _flag(s)
            elif (
                pd.api.types.is_object_dtype(s)
                or pd.api.types.is_string_dtype(s)
                or isinstance(s.dtype, pd.CategoricalDtype)
            ):
                cols[col] = _text(s)
            else:
                cols[col] = s
        out[name] = pd.DataFrame(cols, index=df.index, columns=df.columns)
    return out


def has(frames: Mapping[str, pd.DataFrame], *names: str) -> bool:
    """Whether every named frame is present and has at least one row."""
    return all(n in frames and len(frames[n]) > 0 for n in names)


def row_counts(frames: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """Rows per frame, by name in sorted order."""
    return {name: len(frames[name]) for name in sorted(frames)}


def data_hash(frames: Mapping[str, pd.DataFrame]) -> str:
    """SHA-256 of the normalised frames, independent of row order and column order.

    Each row is hashed with :func:`pandas.util.hash_pandas_object` over the
    sorted columns; a frame's row hashes are sorted, and the frames are taken
    in name order (name, column names, row hashes). Two stores holding the
    same rows give the same hash, whatever order a query returned them in.
    """
    digest = hashlib.sha256()
    for name in sorted(frames):
        df = frames[name]
        cols = sorted(str(c) for c in df.columns)
        digest.update(name.encode() + b"\0" + "\0".join(cols).encode() + b"\0")
        if len(df):
            rows = pd.util.hash_pandas_object(df[cols], index=False).to_numpy(dtype=np.uint64)
            digest.update(np.sort(rows).tobytes())
    return digest.hexdigest()
