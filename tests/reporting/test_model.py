"""The report model: JSON Pointers and walking the tree."""

from __future__ import annotations

import pytest

from mutu.reporting.model import (
    ChartSpec,
    Column,
    Figure,
    Note,
    Number,
    Paragraph,
    Report,
    Section,
    Series,
    Table,
    iter_numbers,
    pointer,
    resolve,
)


def test_pointer_round_trip() -> None:
    data = {"a": [{"b/c": 1, "d~e": 2}], "11.02.01": 3}
    assert resolve(data, pointer("a", 0, "b/c")) == 1
    assert resolve(data, pointer("a", 0, "d~e")) == 2
    assert resolve(data, pointer("11.02.01")) == 3
    assert resolve(data, "") is data
    with pytest.raises(KeyError):
        resolve(data, pointer("a", 5))
    with pytest.raises(KeyError):
        resolve(data, "a/0")


def test_every_number_is_found() -> None:
    import datetime as dt

    n = [Number(i, source=f"/n/{i}") for i in range(5)]
    spec = ChartSpec("bar", ("x",), (Series("s", (n[3],), (n[4],), (None,)),))
    section = Section(
        "1",
        "h",
        (
            Paragraph(("a", n[0], Note(("b", n[1])))),
            Table("t", "c", (Column("k", "K", "count"),), ((n[2],), ("text",))),
            Figure("f", spec, "c"),
        ),
    )
    report = Report("t", "s", "r", "p", dt.date(2026, 1, 1), "id", (section,))
    assert sorted(x.value for x in iter_numbers(report) if x.value is not None) == [0, 1, 2, 3, 4]
