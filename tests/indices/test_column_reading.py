"""The indices' faster column reading answers exactly as the plain pandas calls did."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mutu.indices._common import (
    IndexInputError,
    band_of,
    column_cache,
    isin,
    json_value,
    numeric_column,
    records,
    text_column,
)

ARROW_TEXT = pd.StringDtype("pyarrow")


@pytest.mark.parametrize(
    "candidates",
    [
        ["a", "c"],
        pd.Index(["c", "zz"], dtype="str"),
        pd.Series(["b"], dtype="string"),
        ["a", None],  # a missing candidate matches missing values: left to pandas
        ["a", 3],  # not all text: left to pandas
        [],
    ],
)
@pytest.mark.parametrize("dtype", [ARROW_TEXT, "str", object])
def test_isin_equals_pandas_isin(candidates: object, dtype: object) -> None:
    values = pd.Series(["a", "b", None, "c", "a"], index=[5, 6, 7, 8, 9], dtype=dtype, name="x")
    got = isin(values, candidates)  # type: ignore[arg-type]
    expected = values.isin(candidates)  # type: ignore[arg-type]
    pd.testing.assert_series_equal(got, expected)


def test_column_cache_reads_each_column_once_and_hands_out_copies() -> None:
    frame = pd.DataFrame({"nip": [" 1 ", "2", ""], "score": ["3.5", None, "7"]})
    plain_text = text_column(frame, "nip")
    plain_number = numeric_column(frame, "score", "frame")
    with column_cache([frame, None]):
        first = text_column(frame, "nip")
        first.iloc[0] = "changed"  # a caller changing its copy changes nothing remembered
        second = text_column(frame, "nip")
        number = numeric_column(frame, "score", "frame")
        other = pd.DataFrame({"nip": ["9"]})  # not registered: read afresh every time
        assert text_column(other, "nip").tolist() == ["9"]
    pd.testing.assert_series_equal(second, plain_text)
    pd.testing.assert_series_equal(number, plain_number)
    assert second.iloc[0] == "1"
    assert pd.isna(second.iloc[2])


def test_a_bad_number_is_still_refused_with_the_rows_named() -> None:
    frame = pd.DataFrame({"score": ["3", "lima", " ", None]}, index=[10, 11, 12, 13])
    with column_cache([frame]), pytest.raises(IndexInputError) as info:
        numeric_column(frame, "score", "performance")
    assert "baris 11)" in info.value.message_id
    assert "rows 11)" in info.value.message_en


def test_band_of_numbers_equals_the_masking_rule() -> None:
    bands = [
        {"code": "tinggi", "min": 80},
        {"code": "sedang", "min": 60},
        {"code": "rendah", "min": 0},
    ]
    values = pd.Series([95.0, 80.0, 79.99, 0.0, -1.0, np.nan], index=list("abcdef"))
    got = band_of(values, bands, "code")
    assert got.dtype == "string"
    expected = ["tinggi", "tinggi", "sedang", "rendah", pd.NA, pd.NA]
    assert got.tolist() == expected
    nullable = band_of(values.astype("Float64"), bands, "code")
    pd.testing.assert_series_equal(nullable, got)


def test_records_keep_types_and_turn_missing_into_none() -> None:
    frame = pd.DataFrame(
        {
            "n": np.array([1, 2], dtype="int64"),
            "share": [0.5, np.nan],
            "inf": [np.inf, 1.0],
            "ok": [True, False],
            "label": pd.array(["x", None], dtype="string"),
            "when": pd.to_datetime(["2026-01-02", None]),
        },
        index=pd.Index(["u1", "u2"], name="unit"),
    )
    rows = records(frame)
    assert rows == [
        {
            "unit": "u1",
            "n": 1,
            "share": 0.5,
            "inf": None,
            "ok": True,
            "label": "x",
            "when": "2026-01-02T00:00:00",
        },
        {"unit": "u2", "n": 2, "share": None, "inf": 1.0, "ok": False, "label": None, "when": None},
    ]
    assert type(rows[0]["n"]) is int and type(rows[0]["ok"]) is bool
    # The same as the cell-by-cell reading it replaced.
    flat = frame.reset_index()
    old = [{str(k): json_value(v) for k, v in r.items()} for r in flat.to_dict(orient="records")]
    assert rows == old
    assert records(pd.DataFrame(index=[0, 1])) == [{}, {}]
