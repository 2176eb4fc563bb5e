"""Shared plumbing of the indices: input checks, rulebook choice, bands, flags.

Every check refuses bad input with a :class:`~mutu.domain.errors.MutuValueError`
that names the offending rows (by their index label), in Indonesian and
English; nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from mutu.domain.errors import MutuValueError
from mutu.rulebooks import Confidence, Rulebook, RulebookError, Value, load, resolve, versions

#: Where the rulebooks are searched when no rulebook object is handed in
#: (``None`` = :func:`mutu.rulebooks.default_search_path`).
SearchPath = Sequence[Path | str] | None

#: How many offending rows an error message lists before "and N more".
SHOWN_ROWS = 10


class IndexInputError(MutuValueError):
    """Bad input to an index computation; the message names the rows and columns."""

    def __init__(self, message_id: str, message_en: str, *, field: str | None = None) -> None:
        super().__init__(message_id, message_en, field=field)


def row_list(labels: Iterable[Hashable], lang: str = "id") -> str:
    """Row labels for a message: ``3, 7, 12`` or ``3, 7, … (and 5 more)``."""
    items = [str(x) for x in labels]
    shown = ", ".join(items[:SHOWN_ROWS])
    rest = len(items) - SHOWN_ROWS
    if rest <= 0:
        return shown
    return f"{shown}, … (dan {rest} lainnya)" if lang == "id" else f"{shown}, … (and {rest} more)"


def refuse_rows(
    frame_name: str, mask: pd.Series | np.ndarray, index: pd.Index, what_id: str, what_en: str
) -> None:
    """Raise :class:`IndexInputError` naming the rows where ``mask`` is true."""
    flags = np.asarray(mask, dtype=bool)
    if not flags.any():
        return
    labels = index[flags]
    raise IndexInputError(
        f"{frame_name}: {what_id} (baris {row_list(labels, 'id')}).",
        f"{frame_name}: {what_en} (rows {row_list(labels, 'en')}).",
        field=frame_name,
    )


def require_columns(frame: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    """Refuse a frame that is not a DataFrame or lacks one of ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise IndexInputError(
            f"{name} harus berupa pandas.DataFrame, bukan {type(frame).__name__}.",
            f"{name} must be a pandas.DataFrame, not {type(frame).__name__}.",
            field=name,
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, frame.columns)) or "-"
        raise IndexInputError(
            f"{name}: kolom wajib tidak ada: {', '.join(missing)} (kolom yang ada: {have}).",
            f"{name}: required columns missing: {', '.join(missing)} (columns present: {have}).",
            field=name,
        )


def isin(values: pd.Series, candidates: Iterable[object]) -> pd.Series:
    """``values.isin(candidates)``, in one vectorised look-up for Arrow-backed text.

    pandas' ``ArrowStringArray.isin`` turns every candidate into an Arrow scalar
    in a Python loop (slow for thousands of NIPs or tokens, and the indices run
    it for every year). When ``values`` is Arrow-backed text and every
    candidate is text, the candidates go to ``pyarrow.compute.is_in`` as one
    array instead: the same answer (a missing value is in no set of texts).
    Anything else is left to pandas.
    """
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        wanted = np.asarray(
            candidates
            if isinstance(candidates, pd.Index | pd.Series | np.ndarray)
            else list(candidates),
            dtype=object,
        )
        if len(wanted) and pd.api.types.infer_dtype(wanted, skipna=False) == "string":
            arrow = pa.array(values.array)
            found = pc.is_in(arrow, value_set=pa.array(wanted, type=arrow.type))
            return pd.Series(np.array(found, dtype=np.bool_), index=values.index, name=values.name)
    return values.isin(candidates)


#: The input frames whose columns :func:`text_column`, :func:`numeric_column` and
#: :func:`date_column` remember while :func:`column_cache` is active: id → (frame, {key: column}).
_COLUMN_CACHE: ContextVar[dict[int, tuple[pd.DataFrame, dict[tuple[str, str], pd.Series]]] | None]
_COLUMN_CACHE = ContextVar("mutu_indices_column_cache", default=None)


@contextmanager
def column_cache(frames: Iterable[pd.DataFrame | None]) -> Iterator[None]:
    """Within the block, read each column of these input frames only once.

    :func:`mutu.indices.indices_overview` calls every index once per year on
    the same input frames; the text, number and date columns they read (and
    check) are the same every time. Only the frames named here are
    remembered — inputs the indices never modify — and every read returns a
    copy, so a caller changing what it got changes nothing remembered.
    """
    known: dict[int, tuple[pd.DataFrame, dict[tuple[str, str], pd.Series]]] = {
        id(f): (f, {}) for f in frames if f is not None
    }
    token = _COLUMN_CACHE.set(known)
    try:
        yield
    finally:
        _COLUMN_CACHE.reset(token)


def _remembered(
    frame: pd.DataFrame, key: tuple[str, str], compute: Callable[[], pd.Series]
) -> pd.Series:
    """``compute()``, or a copy of what it gave before for this input frame and key."""
    cache = _COLUMN_CACHE.get()
    entry = None if cache is None else cache.get(id(frame))
    if entry is None or entry[0] is not frame:
        return compute()
    columns = entry[1]
    if key not in columns:
        columns[key] = compute()
    return columns[key].copy()


def text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column with surrounding spaces removed; empty text and NaN become ``<NA>``."""

    def compute() -> pd.Series:
        values = frame[column].astype("string").str.strip()
        return values.mask(values == "")

    return _remembered(frame, ("text", column), compute)


def nip_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """The ``nip`` column as text, refusing rows without one."""
    nips = text_column(frame, "nip")
    refuse_rows(name, nips.isna(), frame.index, "NIP kosong", "NIP is empty")
    return nips


def unique_nips(frame: pd.DataFrame, name: str) -> pd.Series:
    """The ``nip`` column of a one-row-per-person frame, refusing empty and repeated NIPs."""
    nips = nip_column(frame, name)
    dup = nips.duplicated(keep=False)
    refuse_rows(name, dup, frame.index, "NIP yang sama muncul lebih dari sekali", "NIP repeated")
    return nips


def unit_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """The ``unit`` column as text, refusing rows without a unit (they would fall out of groups)."""
    unit = text_column(frame, "unit")
    refuse_rows(name, unit.isna(), frame.index, "unit kosong", "unit is empty")
    return unit


def numeric_column(frame: pd.DataFrame, column: str, name: str) -> pd.Series:
    """A column as float, refusing rows whose value is present but not a number."""

    def compute() -> pd.Series:
        raw = frame[column]
        values = pd.to_numeric(raw, errors="coerce").astype(float)
        bad = _unreadable(raw, values)
        refuse_rows(
            name,
            bad,
            frame.index,
            f"kolom {column} bukan angka",
            f"column {column} is not a number",
        )
        return values

    return _remembered(frame, ("number", column), compute)


def _unreadable(raw: pd.Series, values: pd.Series) -> pd.Series:
    """Rows whose value is present and not blank but could not be read (``values`` missing).

    Only the rows that failed to read are turned into text (most columns have none).
    """
    failed = np.asarray(values.isna() & raw.notna(), dtype=bool)
    bad = pd.Series(False, index=raw.index)
    if failed.any():
        text = raw[failed].astype("string").str.strip() != ""
        bad[failed] = text.fillna(False).to_numpy(dtype=bool)
    return bad


def date_column(frame: pd.DataFrame, column: str, name: str) -> pd.Series:
    """A column as ``datetime64``, refusing rows whose value cannot be read as a date."""

    def compute() -> pd.Series:
        raw = frame[column]
        values = pd.to_datetime(raw, errors="coerce")
        bad = _unreadable(raw, values)
        refuse_rows(
            name,
            bad,
            frame.index,
            f"kolom {column} bukan tanggal",
            f"column {column} is not a date",
        )
        return pd.Series(values, index=frame.index)

    return _remembered(frame, ("date", column), compute)


def as_date(on: date | datetime | str | pd.Timestamp) -> date:
    """A calendar date from a date, datetime, ISO text or Timestamp."""
    if isinstance(on, pd.Timestamp | datetime):
        return on.date()
    if isinstance(on, date):
        return on
    try:
        return pd.Timestamp(on).date()
    except (TypeError, ValueError):
        raise IndexInputError(
            f"Tanggal tidak dikenal: {on!r}.", f"Not a date: {on!r}.", field="on"
        ) from None


# -- rulebooks ----------------------------------------------------------------


def pick_rulebook(
    name: str, rulebook: Rulebook | None, on: date, search_path: SearchPath
) -> Rulebook:
    """The rulebook handed in, or the version of ``name`` in force on ``on``."""
    if rulebook is not None:
        return resolve(name, rulebook)
    return load(name, on, search_path=search_path)


def rulebooks_for_dates(
    name: str, dates: pd.Series, rulebook: Rulebook | None, search_path: SearchPath
) -> tuple[pd.Series, dict[str, Rulebook]]:
    """The version in force on each date, in one pass over the versions.

    Returns the label of the version per row and the versions by label.  The
    choice is :func:`mutu.rulebooks.load`'s: among the versions in force on a
    date, the one with the latest ``effective_from``.  A date no version covers
    (or where two start on the same day) is handed to ``load`` for its error.
    """
    if rulebook is not None:
        book = resolve(name, rulebook)
        return pd.Series(book.label, index=dates.index, dtype=object), {book.label: book}
    books = versions(name, search_path)
    day = pd.to_datetime(dates).dt.normalize()
    label = pd.Series(None, index=dates.index, dtype=object)
    start = pd.Series(pd.NaT, index=dates.index, dtype="datetime64[ns]")
    for book in books:  # a handful of versions, not one per row
        frm = pd.Timestamp(book.effective_from)
        ok = day >= frm
        if book.effective_until is not None:
            ok &= day <= pd.Timestamp(book.effective_until)
        later = ok & (start.isna() | (frm > start))
        label = label.mask(later, book.label)
        start = start.mask(later, frm)
    for when in day[label.isna()].drop_duplicates():
        load(name, when.date(), search_path=search_path)  # raises the explanation
    used = {book.label: book for book in books if book.label in set(label)}
    for book in used.values():  # two versions starting the same day: load() explains
        twins = [b for b in books if b.effective_from == book.effective_from]
        if len(twins) > 1:
            load(name, book.effective_from, search_path=search_path)
    return label, used


@dataclass
class Flags:
    """The rulebook keys a computation relied on, to report the unconfirmed ones."""

    used: set[tuple[str, str]] = field(default_factory=set)
    books: dict[str, Rulebook] = field(default_factory=dict)

    def use(self, book: Rulebook, key: str) -> None:
        """Record that ``key`` of ``book`` influenced the result."""
        self.books[book.label] = book
        self.used.add((book.label, key))

    def unconfirmed(self) -> tuple[str, ...]:
        """``"<rulebook>.<key>"`` of every used value marked unconfirmed, sorted."""
        out = {
            f"{self.books[label].name}.{key}"
            for label, key in self.used
            if self.books[label].confidence(key) is Confidence.UNCONFIRMED
        }
        return tuple(sorted(out))

    def labels(self) -> str:
        """The versions used, e.g. ``"ip_asn 2019.1"``."""
        return "; ".join(sorted(self.books))


def number(book: Rulebook, key: str, flags: Flags) -> float:
    """A numeric rulebook value as float, recording its use."""
    flags.use(book, key)
    return float(book.decimal(key))


def bands(book: Rulebook, key: str, code: str, flags: Flags) -> list[Mapping[str, Value]]:
    """The band records at ``key``, highest ``min`` first, each with ``code`` and ``min``."""
    flags.use(book, key)
    records = list(book.records(key))
    for rec in records:
        if not isinstance(rec.get(code), str) or rec.get("min") is None:
            raise RulebookError(
                f"Setiap baris '{key}' di rulebook {book.label} perlu '{code}' dan 'min'.",
                f"Every row of '{key}' in rulebook {book.label} needs '{code}' and 'min'.",
                path=book.origin,
                key=key,
            )
    return sorted(records, key=lambda r: float(str(r["min"])), reverse=True)


def band_of(values: pd.Series, records: Sequence[Mapping[str, Value]], code: str) -> pd.Series:
    """The band of each value: the record with the highest ``min`` not above it.

    ``records`` must be sorted by ``min``, highest first (as :func:`bands`
    returns them).  Missing values, and values below every ``min``, get
    ``<NA>``.
    """
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        out = pd.Series(pd.NA, index=values.index, dtype="string")
        assigned = pd.Series(False, index=values.index)
        for rec in records:
            hit = ~assigned & values.notna() & (values >= float(str(rec["min"])))
            out = out.mask(hit, str(rec[code]))
            assigned |= hit
        return out
    # Numbers: the same rule on a NumPy array (missing = NaN never reaches a band).
    numbers = values.to_numpy(dtype=float, na_value=np.nan)
    found = np.full(len(numbers), None, dtype=object)
    taken = np.zeros(len(numbers), dtype=bool)
    present = ~np.isnan(numbers)
    for rec in records:
        hit = ~taken & present & (numbers >= float(str(rec["min"])))
        found[hit] = str(rec[code])
        taken |= hit
    return pd.Series(found, index=values.index, dtype="string")


def band_label(records: Sequence[Mapping[str, Value]], code: str, lang: str) -> dict[str, str]:
    """Band code → its label in ``lang`` (``label_id`` / ``label_en``, else the code)."""
    key = "label_en" if lang == "en" else "label_id"
    return {str(r[code]): str(r.get(key, r[code])) for r in records}


def join_flags(flags: pd.DataFrame) -> pd.Series:
    """Per row, the names of the true columns joined by ``", "`` (``""`` when none).

    Vectorised over rows (one pass per column), for the few flag columns of
    an index ("which inputs were missing").
    """
    text = pd.Series("", index=flags.index, dtype=object)
    for name in flags.columns:
        text = text + np.where(flags[name].fillna(False).astype(bool), f"{name}, ", "")
    return text.str.removesuffix(", ").astype(object)


def join_per_group(keys: pd.Series, labels: pd.Series) -> pd.Series:
    """Labels joined by ``", "`` per key, in the given order (a grouped string sum)."""
    pieces = pd.Series((labels.astype(str) + ", ").to_numpy(), index=keys.index, dtype=object)
    joined = pieces.groupby(keys.to_numpy()).sum()
    return joined.str.removesuffix(", ").astype(object)


def band_summary(
    persons: pd.DataFrame,
    key: pd.Series,
    *,
    value: str,
    band_records: Sequence[Mapping[str, Value]],
    means: Sequence[str] = (),
) -> pd.DataFrame:
    """Counts, means and band distribution of a banded index per value of ``key``.

    Columns: ``n``, ``n_scored`` (with a ``value``), ``n_incomplete``,
    ``mean_<value>``, ``mean_<m>`` for each of ``means``, ``band_of_mean``,
    then ``n_<band>`` and ``share_<band>`` (of the scored) for each band,
    lowest first.  ``persons`` must have ``value`` and ``band`` columns.
    """
    codes = [str(r["code"]) for r in reversed(band_records)]
    work = pd.DataFrame(
        {
            "key": key.to_numpy(),
            "one": 1,
            "scored": persons[value].notna().astype(int).to_numpy(),
            value: persons[value].to_numpy(dtype=float),
            **{m: persons[m].to_numpy(dtype=float) for m in means},
        }
    )
    for code in codes:
        work[f"n_{code}"] = (persons["band"] == code).fillna(False).astype(int).to_numpy()
    g = work.groupby("key", sort=True)
    counts = g[["one", "scored", *(f"n_{code}" for code in codes)]].sum()  # integers: exact
    out = pd.DataFrame({"n": counts["one"], "n_scored": counts["scored"]})
    out["n_incomplete"] = out["n"] - out["n_scored"]
    out[f"mean_{value}"] = g[value].mean()
    for m in means:
        out[f"mean_{m}"] = g[m].mean()
    out["band_of_mean"] = band_of(out[f"mean_{value}"], band_records, "code")
    for code in codes:
        out[f"n_{code}"] = counts[f"n_{code}"]
    for code in codes:
        out[f"share_{code}"] = share(out[f"n_{code}"], out["n_scored"])
    out.index.name = "unit"
    return out


def share(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """``numerator / denominator`` with NaN where the denominator is 0."""
    den = denominator.astype(float)
    return numerator.astype(float) / den.where(den > 0)


def json_value(value: Any) -> Any:
    """A value made JSON-ready: NaN/NA → None, numpy scalars → Python, dates → ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp | datetime | date):
        return value.isoformat()
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows (index reset) as JSON-ready dicts.

    Built column by column (numbers in one ``tolist``), the same values as
    :func:`json_value` on every cell of ``to_dict(orient="records")``.
    """
    flat = frame.reset_index() if _has_named_index(frame) else frame
    names = [str(k) for k in flat.columns]
    if not names:
        return [{} for _ in range(len(flat))]
    columns = [_json_column(flat.iloc[:, k]) for k in range(len(names))]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _json_column(series: pd.Series) -> list[Any]:
    """:func:`json_value` of every value of a column (NumPy numbers converted at once)."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return list(series.to_numpy().tolist())
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        values = series.to_numpy()
        out: list[Any] = values.tolist()
        for i in np.flatnonzero(~np.isfinite(values)):
            out[i] = None
        return out
    return [json_value(v) for v in series]


def _has_named_index(frame: pd.DataFrame) -> bool:
    return any(n is not None for n in frame.index.names)
