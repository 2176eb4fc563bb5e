"""Kind ``test_scores``: answer sheets of pre/post-tests, item by item."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from mutu.evaluation.pipeline.l2_learning import MAX_SCORE
from mutu.imports.services import import_file
from mutu.instruments import services as instrument_services
from mutu.instruments.models import (
    Answer,
    Instrument,
    InstrumentVersion,
    ItemType,
    Response,
    ResponseIdentity,
)
from mutu.people.models import Employee
from mutu.programs.models import Activity
from mutu.reference.services import reference_data_load
from tests.factories import make_activity, make_employee, make_enrollment
from tests.imports.helpers import database_state, mutu, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

KEYS = {"Q01": "A", "Q02": "C", "Q03": "B"}


@pytest.fixture(autouse=True)
def reference() -> None:
    reference_data_load()


def make_test(code: str, kind: str) -> InstrumentVersion:
    """A test of three multiple-choice items Q01–Q03 (options A–D, keys A, C, B)."""
    instrument: Instrument = instrument_services.instrument_create(
        code=code, title_id=f"Tes {code}", kind=kind
    )
    version = instrument_services.instrument_version_create(instrument=instrument)
    for item_code, key in KEYS.items():
        instrument_services.item_add(
            version=version,
            code=item_code,
            text_id=f"Soal {item_code}",
            item_type=ItemType.MULTIPLE_CHOICE,
            answer_key=key,
            options=[instrument_services.OptionSpec(c, f"Pilihan {c}") for c in "ABCD"],
        )
    return version


@pytest.fixture
def setting() -> tuple[Activity, list[Employee], InstrumentVersion, InstrumentVersion]:
    activity = make_activity(code="PMPP-2026-01")
    people = [make_employee() for _ in range(3)]
    for person in people:
        make_enrollment(activity=activity, employee=person)
    return activity, people, make_test("TES-PRE", "pre_test"), make_test("TES-POST", "post_test")


def sheet(people: list[Employee]) -> list[list[Any]]:
    return [
        ["Kode Kegiatan", "Kode Instrumen", "Tes", "NIP", "Nama", "Q01", "Q02", "Q03"],
        ["PMPP-2026-01", "TES-PRE", "pre", people[0].nip, people[0].name, "A", "C", "D"],
        ["PMPP-2026-01", "TES-PRE", "Pre-test", people[1].nip, people[1].name, "b", "B", "B"],
        ["PMPP-2026-01", "TES-POST", "post", people[0].nip, people[0].name, "A", "C", "B"],
    ]


def test_answer_sheets_become_item_answers_and_reimport_changes_nothing(
    setting: tuple[Activity, list[Employee], InstrumentVersion, InstrumentVersion],
    tmp_path: Path,
) -> None:
    activity, people, pre, _post = setting
    path = write_xlsx(tmp_path / "nilai.xlsx", sheet(people), text_columns=[3])
    out, error = mutu("import", "test_scores", str(path), "--dry-run")
    assert error is None, out
    assert "3 baru/created" in out
    assert not Response.objects.exists()
    out, error = mutu("import", "test_scores", str(path))
    assert error is None, out
    assert "3 baru/created, 0 diperbarui/updated, 0 tetap/unchanged" in out
    first = ResponseIdentity.objects.get(employee=people[0], response__occasion="pre").response
    assert first.activity == activity and first.version == pre
    answers = {a.item.code: a.option.code for a in first.answers.all() if a.option}
    assert answers == {"Q01": "A", "Q02": "C", "Q03": "D"}
    second = ResponseIdentity.objects.get(employee=people[1]).response
    assert {a.option.code for a in second.answers.all() if a.option} == {"B"}  # "b" read as B
    # The score the evaluation computes: 2 of 3 keyed items.
    from mutu.imports.kinds.responses import load_versions

    items = load_versions([pre.instrument_id])[pre.pk]
    given = {a.item.code: items.given(a) for a in first.answers.all()}
    assert items.score(given) == Decimal(MAX_SCORE) * 2 / 3
    pre.refresh_from_db()
    assert pre.is_locked
    state = database_state()
    out, error = mutu("import", "test_scores", str(path))
    assert error is None, out
    assert "0 baru/created, 0 diperbarui/updated, 3 tetap/unchanged" in out
    assert database_state() == state


def test_a_corrected_answer_updates_only_that_item(
    setting: tuple[Activity, list[Employee], InstrumentVersion, InstrumentVersion],
    tmp_path: Path,
) -> None:
    _activity, people, _pre, _post = setting
    rows = sheet(people)
    mutu("import", "test_scores", str(write_csv(tmp_path / "a.csv", rows)))
    rows[1][7] = "B"
    out, error = mutu("import", "test_scores", str(write_csv(tmp_path / "b.csv", rows)))
    assert error is None, out
    assert "0 baru/created, 1 diperbarui/updated, 2 tetap/unchanged" in out
    response = ResponseIdentity.objects.get(employee=people[0], response__occasion="pre").response
    assert Answer.objects.get(response=response, item__code="Q03").option.code == "B"  # type: ignore[union-attr]


def test_export_then_import_changes_nothing(
    setting: tuple[Activity, list[Employee], InstrumentVersion, InstrumentVersion],
    tmp_path: Path,
) -> None:
    _activity, people, _pre, _post = setting
    mutu("import", "test_scores", str(write_xlsx(tmp_path / "in.xlsx", sheet(people))))
    for suffix in ("xlsx", "csv"):
        path = tmp_path / f"out.{suffix}"
        _out, error = mutu("export", "test_scores", "--out", str(path))
        assert error is None
        state = database_state()
        out, error = mutu("import", "test_scores", str(path))
        assert error is None, out
        assert "0 baru/created, 0 diperbarui/updated, 3 tetap/unchanged" in out
        assert database_state() == state
    # The export carries the computed score; an instrument's export holds only its rows.
    _out, error = mutu(
        "export", "test_scores", "--instrument", "TES-POST", "--out", str(tmp_path / "p.csv")
    )
    assert error is None
    text = (tmp_path / "p.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(text) == 2 and ";100;A;C;B" in text[1]


def test_an_instrument_option_gives_the_occasion(
    setting: tuple[Activity, list[Employee], InstrumentVersion, InstrumentVersion],
    tmp_path: Path,
) -> None:
    _activity, people, _pre, post = setting
    rows = [["NIP", "Q01", "Q02", "Q03"], [people[2].nip, "A", "A", "A"]]
    path = write_csv(tmp_path / "post.csv", rows)
    report = import_file(
        kind="test_scores",
        path=path,
        activity="PMPP-2026-01",
        instrument="TES-POST",
        write_errors=False,
    )
    assert report.ok and report.written, [i.line() for i in report.issues]
    response = ResponseIdentity.objects.get(employee=people[2]).response
    assert response.occasion == "post" and response.version == post


def test_a_malformed_sheet_names_every_fault_and_writes_nothing(
    setting: tuple[Activity, list[Employee], InstrumentVersion, InstrumentVersion],
    tmp_path: Path,
) -> None:
    _activity, people, _pre, _post = setting
    stranger = make_employee()
    rows: list[list[Any]] = [
        ["Kode Kegiatan", "Kode Instrumen", "Tes", "NIP", "Q01", "Q02", "Q03", "Nilai"],
        ["PMPP-2026-01", "TES-PRE", "pre", people[0].nip, "A", "E", "B", ""],
        ["PMPP-2026-01", "TES-PRE", "pre", people[1].nip, "1", "0", "1", ""],
        ["PMPP-2026-01", "TES-PRE", "pre", stranger.nip, "A", "C", "B", ""],
        ["PMPP-2026-01", "TES-PRE", "pre", "199001152015031999", "A", "C", "B", ""],
        ["PMPP-2026-01", "TES-PRE", "tengah", people[2].nip, "A", "C", "B", ""],
        ["PMPP-2026-01", "TES-POST", "post", people[2].nip, "A", "C", "B", "40"],
        ["PMPP-2026-01", "TES-POST", "post", people[1].nip, "A", "C", "B", "110"],
        ["XXX-1", "TES-POST", "post", people[0].nip, "A", "C", "B", ""],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows, text_columns=[3])
    before = database_state()
    out, error = mutu("import", "test_scores", str(path), "--lang", "en")
    assert error is not None
    assert "row 2, column Q02 (F): 'E' is not an option of item Q02" in out
    for col in ("E", "F", "G"):
        assert f"row 3, column Q0{ord(col) - 68} ({col})" in out
    assert "is a right/wrong mark, not an answer option" in out
    assert f"row 4, column NIP (D): {stranger.name} (NIP {stranger.nip}) is not enrolled" in out
    assert "row 5, column NIP (D): There is no employee with NIP 199001152015031999" in out
    assert "row 6, column Tes (C)" in out and "'tengah'" in out
    assert "row 7, column Nilai (H): The score 40 differs from the score the items give" in out
    assert "row 8, column Nilai (H): The score 110 is outside 0–100." in out
    assert "row 9, column Kode Kegiatan (A)" in out and "XXX-1" in out
    assert database_state() == before
    assert (tmp_path / "bad.errors.xlsx").is_file()


def test_unknown_item_columns_and_pre_post_side_by_side_are_refused(
    setting: tuple[Activity, list[Employee], InstrumentVersion, InstrumentVersion],
    tmp_path: Path,
) -> None:
    _activity, people, _pre, _post = setting
    rows: list[list[Any]] = [
        ["Kode Kegiatan", "Tes", "NIP", "Q01", "Q09", "Nilai Pre-test", "Nilai Post-test"],
        ["PMPP-2026-01", "pre", people[0].nip, "A", "B", "50", "70"],
    ]
    before = database_state()
    report = import_file(
        kind="test_scores", path=write_csv(tmp_path / "x.csv", rows), write_errors=False
    )
    codes = {(i.code, i.column) for i in report.errors}
    assert ("unknown_item", "Q09") in codes
    assert ("one_test_per_row", "Nilai Pre-test") in codes
    assert not report.written
    assert database_state() == before


def test_a_version_unknown_to_the_activity_needs_the_instrument_named(
    setting: tuple[Activity, list[Employee], InstrumentVersion, InstrumentVersion],
    tmp_path: Path,
) -> None:
    _activity, people, _pre, _post = setting
    rows = [["Kode Kegiatan", "Tes", "NIP", "Q01"], ["PMPP-2026-01", "pre", people[0].nip, "A"]]
    report = import_file(
        kind="test_scores", path=write_csv(tmp_path / "y.csv", rows), write_errors=False
    )
    assert [i.code for i in report.errors] == ["instrument_unknown"]
    assert "--instrument CODE" in report.errors[0].message_en


@pytest.fixture(scope="module")
def world_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The world's raw files (no database needed: only the files are read)."""
    folder = tmp_path_factory.mktemp("world") / "kecil"
    call_command("world", "--seed", "5", "--scale", "kecil", "--out", str(folder), verbosity=0)
    return folder / "raw"


def test_the_worlds_total_score_sheet_is_refused_with_the_reason(
    world_raw: Path, tmp_path: Path
) -> None:
    [path] = world_raw.glob("nilai_pre_post_*.csv")
    before = database_state()
    out, error = mutu(
        "import", "test_scores", str(path), "--errors", str(tmp_path / "e.xlsx"), "--lang", "en"
    )
    assert error is not None
    assert "row 1, column Nilai Pre-test (D): This file holds total scores only" in out
    assert "making up answers to match it would invent data" in out
    assert "Which test, pre or post?" not in out  # the one reason, not noise around it
    assert database_state() == before
