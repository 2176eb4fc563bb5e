"""Reading and checking the SKM responses (see :func:`mutu.indices.skm`)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from mutu.indices._common import (
    Flags,
    IndexInputError,
    date_column,
    refuse_rows,
)
from mutu.rulebooks import Rulebook

#: The service population per group, for the Krejcie–Morgan check.
Population = int | Mapping[Any, int] | pd.Series | None
#: Grades are read after rounding to 2 decimals; this absorbs binary noise at a .xx5 edge.
_EPS = 1e-9


def as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def reference_dates(
    responses: pd.DataFrame, date_col: str, on: date | None, year_col: str
) -> pd.Series:
    """Per row, the date whose rulebook applies: its ``date``, else 31 December of ``year``."""
    name = "responses"
    if date_col in responses.columns:
        when = date_column(responses, date_col, name)
        refuse_rows(name, when.isna(), responses.index, "tanggal kosong", "date is empty")
        return when
    if year_col in responses.columns:
        year = pd.to_numeric(responses[year_col], errors="coerce")
        refuse_rows(name, year.isna(), responses.index, "tahun kosong", "year is empty")
        return pd.Series(
            pd.to_datetime(year.astype(int).astype(str) + "-12-31"), index=responses.index
        )
    day = pd.Timestamp(on or date.today())
    return pd.Series(day, index=responses.index)


def element_codes(book: Rulebook, flags: Flags) -> list[str]:
    flags.use(book, "elements")
    return [str(rec["code"]) for rec in book.records("elements")]


def check_answers(
    responses: pd.DataFrame, codes: list[str], scale: tuple[float, float]
) -> pd.DataFrame:
    """The element columns as float; refuses text, out-of-scale and fractional answers."""
    name = "responses"
    raw = responses[codes]
    values = pd.DataFrame(raw.apply(pd.to_numeric, errors="coerce").astype(float))
    # Present (not missing, not blank) but not a number; only the cells that failed to
    # read are turned into text.
    bad_text = pd.DataFrame(values.isna().to_numpy() & raw.notna().to_numpy(), columns=codes)
    bad_text.index = raw.index
    for code in codes:
        failed = bad_text[code].to_numpy()
        if failed.any():
            blank = raw.loc[failed, code].astype("string").str.strip() == ""
            bad_text.loc[failed, code] = ~blank.fillna(False).to_numpy(dtype=bool)
    low, high = scale
    bad_value = values.notna() & ((values < low) | (values > high) | (values != values.round()))
    for mask, what_id, what_en in (
        (bad_text, "jawaban bukan angka", "answer is not a number"),
        (bad_value, f"skor di luar {low:g}–{high:g}", f"score outside {low:g}–{high:g}"),
    ):
        if mask.to_numpy().any():
            cols = [c for c in codes if mask[c].any()]
            rows = mask.any(axis=1)
            refuse_rows(
                name,
                rows,
                responses.index,
                f"{what_id} pada {', '.join(cols)}",
                f"{what_en} in {', '.join(cols)}",
            )
    empty = values.isna().all(axis=1)
    refuse_rows(
        name, empty, responses.index, "tidak ada satu pun unsur dijawab", "no element answered"
    )
    return values


def population_of(population: Population, key: Hashable) -> int | None:
    if population is None:
        return None
    if isinstance(population, bool):
        raise IndexInputError(
            "population harus angka atau pemetaan.",
            "population must be a number or a mapping.",
            field="population",
        )
    if isinstance(population, int | np.integer):
        return int(population)
    table: Mapping[Any, Any] = (
        population.to_dict() if isinstance(population, pd.Series) else dict(population)
    )
    if key in table:
        return int(table[key])
    if isinstance(key, tuple) and key and key[0] in table:
        return int(table[key[0]])
    return None


def round2(values: pd.Series) -> pd.Series:
    """Round half up to 2 decimals, as the grades are read (see the rulebook note)."""
    return pd.Series(
        np.floor(values.to_numpy(dtype=float) * 100 + 0.5 + _EPS) / 100, index=values.index
    )


def group_index(first_row: pd.DataFrame, keys: list[str], group_id: pd.Series) -> pd.Index:
    """One index entry per group id, in group-id order: the ``by`` values."""
    ids = group_id.loc[first_row.index]
    ordered = first_row.assign(__gid=ids.to_numpy()).sort_values("__gid")
    if not keys:
        return pd.RangeIndex(len(ordered))
    if len(keys) == 1:
        single: pd.Index = pd.Index(ordered[keys[0]].to_numpy(), name=keys[0])
        return single
    multi: pd.MultiIndex = pd.MultiIndex.from_arrays(
        [ordered[k].to_numpy() for k in keys], names=keys
    )
    return multi


def element_index(index: pd.Index, codes: list[str], keys: list[str]) -> pd.Index:
    if not keys:
        return pd.Index(codes * len(index), name="element")
    tuples = [
        (*(key if isinstance(key, tuple) else (key,)), code) for key in index for code in codes
    ]
    return pd.MultiIndex.from_tuples(tuples, names=[*keys, "element"])


def key_text(responses: pd.DataFrame, keys: list[str], group_id: pd.Series, gid: Any) -> str:
    if not keys:
        return "semua/all"
    row = responses.loc[group_id == gid, keys].iloc[0]
    return "/".join(str(v) for v in row.to_numpy())
