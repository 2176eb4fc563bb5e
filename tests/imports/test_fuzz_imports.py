"""Every import kind fuzzed with generated files (hypothesis): refused cleanly, never a crash.

For each kind of :data:`mutu.imports.kinds.KINDS`, hypothesis writes small
CSV files (random delimiter and encoding) and workbooks whose header is drawn
from the kind's own column names (labels and aliases, numbered families
numbered) mixed with junk, and whose cells are text with unicode and control
characters, very long strings, numbers (also in scientific notation), dates,
blanks, Excel formulas as text and the world's real codes and NIPs (so rows
reach the lookups and the writes).  :func:`mutu.imports.engine.run_import`
runs on each file, as a dry run and for real, and must

* either succeed or return a report with errors; the only exception it may
  raise is :class:`mutu.domain.errors.MutuValueError` (bilingual);
* leave every data table unchanged (:func:`tests.imports.helpers.database_state`)
  when the report has errors, when it is a dry run, or when it raised.

``MUTU_FUZZ_EXAMPLES`` multiplies the number of examples per kind (``make soak``).
The number of files tried per kind is written to ``fuzz/imports.json`` under
pytest's base temporary folder and printed.
"""

from __future__ import annotations

import csv
import json
import os
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from mutu.domain.errors import MutuValueError
from mutu.imports.engine import Options, run_import
from mutu.imports.kinds import KINDS
from tests.factories import make_activity, make_instrument_version
from tests.imports.helpers import database_state, write_xlsx
from tests.imports.web_support import registry_load

pytestmark = pytest.mark.django_db

#: Examples per kind in ``make test``; ``MUTU_FUZZ_EXAMPLES`` scales it (a multiplier).
BASE_EXAMPLES = 20
SCALE = max(1, int(os.environ.get("MUTU_FUZZ_EXAMPLES", "1") or "1"))
EXAMPLES = BASE_EXAMPLES * SCALE

TRIED: dict[str, dict[str, int]] = {}


def header_names(kind_name: str) -> list[str]:
    """Every header a kind reads: labels and aliases; numbered families as 1 and 2."""
    names: list[str] = []
    for column in KINDS[kind_name].columns:
        for name in (column.label, *column.aliases):
            if "{n}" in name:
                names += [name.replace("{n}", str(n)) for n in (1, 2)]
            else:
                names.append(name)
    return names


JUNK_HEADERS = ["", "Kolom X", "=SUM(A1:A3)", "NIP NIP", "Σ", "Q1", "Q2", "Q3", "_id", "\t"]

TEXT = st.text(max_size=12)  # any code point but surrogates


def cells(world: dict[str, list[str]]) -> st.SearchStrategy[Any]:
    """A cell: text, numbers, dates, blanks, formulas, huge strings and the world's codes."""
    return st.one_of(
        TEXT,
        st.just(""),
        st.none(),
        st.sampled_from(world["codes"]),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(min_value=1e15, max_value=1e19).map(lambda f: f"{f:.6E}"),
        st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
        st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
        st.dates().map(lambda d: f"{d:%d-%m-%Y}"),
        st.sampled_from(["=1+1", '=HYPERLINK("x")', "#N/A", "#REF!", "'0012", "1,5", "1.5"]),
        st.sampled_from(["\x00", "\x1b[31m", "a\r\nb", "\u202e", "💥" * 3, "x" * 5000]),
        st.sampled_from(["III/a", "IX", "PNS", "PPPK", "Ya", "Tidak", "hadir", "pre", "post"]),
    )


def files(kind_name: str, world: dict[str, list[str]]) -> st.SearchStrategy[dict[str, Any]]:
    known = header_names(kind_name)
    header = st.lists(
        st.one_of(st.sampled_from(known), st.sampled_from(JUNK_HEADERS), TEXT),
        min_size=1,
        max_size=8,
    )

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        head = draw(header)
        width = len(head) + draw(st.integers(0, 1))
        rows = draw(
            st.lists(st.lists(cells(world), min_size=0, max_size=width), min_size=0, max_size=4)
        )
        return {
            "rows": [head, *rows],
            "format": draw(st.sampled_from(["csv", "csv", "xlsx"])),
            "sep": draw(st.sampled_from([";", ",", "\t", "|"])),
            "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])),
            "stem": draw(st.sampled_from(["data", *world["activities"]])),
            "activity": draw(st.sampled_from([None, "", "NOPE", *world["activities"]])),
            "instrument": draw(st.sampled_from([None, "", "NOPE", *world["instruments"]])),
            "dry_run": draw(st.booleans()),
        }

    return build()


def write(folder: Path, n: int, spec: dict[str, Any]) -> Path:
    """The file of ``spec``: a workbook (formulas kept as text) or CSV text, maybe unencodable."""
    if spec["format"] == "xlsx":
        path = folder / f"{spec['stem']}-{n}.xlsx"
        rows = [
            [v.replace("\x00", "") if isinstance(v, str) else v for v in row]
            for row in spec["rows"]
        ]
        try:
            return write_xlsx(path, rows)
        except (ValueError, TypeError, IllegalCharacterError):
            # openpyxl refuses control characters and odd floats: such a cell goes cleaned.
            safe = [[_printable(v) for v in row] for row in rows]
            return write_xlsx(path, safe)
    path = folder / f"{spec['stem']}-{n}.csv"
    buffer = StringIO()
    csv.writer(buffer, delimiter=spec["sep"], lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in spec["rows"]]
    )
    path.write_bytes(buffer.getvalue().encode(spec["encoding"], errors="replace"))
    return path


def _printable(value: Any) -> Any:
    if isinstance(value, str):
        return "".join(ch for ch in value if ch.isprintable() or ch in "\t\n")
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    return value


@pytest.fixture
def world() -> dict[str, list[str]]:
    """Units, three employees, an activity and an instrument: the codes cells may name."""
    registry = registry_load()
    activity = make_activity()
    version = make_instrument_version()
    people = [registry.nurse, registry.midwife, registry.clerk]
    return {
        "codes": [
            *(u.code for u in (registry.dinkes, registry.puskesmas, registry.dinsos)),
            *(p.nip for p in people),
            *(p.name for p in people),
            activity.code,
            activity.program.code,
            version.instrument.code,
            "Q1",
            "Q2",
            "4",
            "b",
        ],
        "activities": [activity.code],
        "instruments": [version.instrument.code],
    }


@pytest.fixture(scope="module")
def tried_log(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Files tried, refused and written per kind, kept in ``fuzz/imports.json``."""
    yield TRIED
    folder = tmp_path_factory.getbasetemp() / "fuzz"
    folder.mkdir(exist_ok=True)
    (folder / "imports.json").write_text(json.dumps(TRIED, indent=1, sort_keys=True))
    total = sum(t["tried"] for t in TRIED.values())
    print(f"\nimport fuzz: {json.dumps(TRIED, sort_keys=True)} (files tried in all: {total})")


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_every_generated_file_is_imported_or_refused_cleanly(
    kind_name: str,
    world: dict[str, list[str]],
    tmp_path: Path,
    tried_log: dict[str, dict[str, int]],
) -> None:
    counter = {"n": 0, "refused": 0, "written": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(spec=files(kind_name, world))
    def attempt(spec: dict[str, Any]) -> None:
        counter["n"] += 1
        path = write(tmp_path, counter["n"], spec)
        options = Options(activity=spec["activity"], extra={"instrument": spec["instrument"]})
        with transaction.atomic():
            before = database_state()
            refused: MutuValueError | None = None
            try:
                report = run_import(KINDS[kind_name](options), path, dry_run=spec["dry_run"])
            except MutuValueError as err:  # the only exception allowed: a bilingual refusal
                refused = err
            if refused is not None:
                counter["refused"] += 1
                assert refused.message_id.strip() and refused.message_en.strip()
                assert database_state() == before
            else:
                if report.errors or spec["dry_run"]:
                    counter["refused"] += bool(report.errors)
                    assert not report.written
                    assert database_state() == before
                    for issue in report.errors:
                        assert issue.message_id.strip() and issue.message_en.strip()
                else:
                    counter["written"] += 1
                    assert report.written
            transaction.set_rollback(True)  # every example starts from the same world

    attempt()
    tried_log[kind_name] = {"tried": counter["n"], **counter}
    del tried_log[kind_name]["n"]
    assert counter["n"] >= min(EXAMPLES, 5)
