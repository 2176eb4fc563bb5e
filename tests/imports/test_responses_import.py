"""Kind ``responses``: Mutu's template and KoboToolbox/ODK CSV exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from mutu.imports.models import ExportLog
from mutu.imports.services import import_file
from mutu.instruments.models import Answer, InstrumentVersion, Response, ResponseIdentity
from mutu.reference.services import reference_data_load
from tests.factories import make_activity, make_employee, make_instrument_version
from tests.imports.helpers import database_state, mutu, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

UUID_1 = "1f0c7e5a-62b1-4c1e-9d0f-1b2c3d4e5f60"
UUID_2 = "a8d9e0f1-2b3c-4d5e-8f90-112233445566"


@pytest.fixture(autouse=True)
def reference() -> None:
    reference_data_load()


def kobo_rows(sep_groups: bool = True) -> list[list[str]]:
    """A KoboToolbox export ("XML values and headers") of the factory's Q1–Q3 instrument."""
    q1, q2 = ("grp_materi/Q1", "grp_materi/Q2") if sep_groups else ("Q1", "Q2")
    return [
        [
            "start",
            "end",
            "today",
            "deviceid",
            q1,
            q2,
            "Q3",
            "meta/instanceID",
            "_id",
            "_uuid",
            "_submission_time",
            "_validation_status",
            "_index",
        ],
        [
            "2026-03-03T09:01:12.000+07:00",
            "2026-03-03T09:05:40.511+07:00",
            "2026-03-03",
            "ee.kobotoolbox.org:abc",
            "4",
            "b",
            "Materinya bagus",
            f"uuid:{UUID_1}",
            "101",
            UUID_1,
            "2026-03-03T02:05:44",
            "",
            "1",
        ],
        [
            "2026-03-03T10:00:00.000+07:00",
            "2026-03-03T10:03:00.000+07:00",
            "2026-03-03",
            "ee.kobotoolbox.org:abd",
            "2",
            "Blangkejeren",
            "",
            f"uuid:{UUID_2}",
            "102",
            UUID_2,
            "2026-03-03T03:03:09",
            "",
            "2",
        ],
    ]


def test_a_kobo_export_is_imported_once_and_keyed_by_its_instance_id(tmp_path: Path) -> None:
    version = make_instrument_version(anonymous=True)
    code = version.instrument.code
    path = write_csv(tmp_path / "kobo.csv", kobo_rows(), sep=",", encoding="utf-8")
    out, error = mutu("import", "responses", str(path), "--instrument", code)
    assert error is None, out
    assert "2 baru/created, 0 diperbarui/updated" in out
    assert "kobo_meta" in out  # the metadata columns were skipped, and said so
    first = Response.objects.get(external_id=f"uuid:{UUID_1}")
    answers = {a.item.code: a for a in first.answers.all()}
    assert answers["Q1"].value == 4 and answers["Q2"].option is not None
    assert answers["Q2"].option.code == "b" and answers["Q3"].text == "Materinya bagus"
    # Anonymous: the day only, never the time of filling in.
    local = timezone.localtime(first.submitted_at)
    assert (local.date(), local.time()) == (dt.date(2026, 3, 3), dt.time())
    assert first.respondent_role == "participant" and first.occasion == "end"
    second = Response.objects.get(external_id=f"uuid:{UUID_2}")
    option = second.answers.get(item__code="Q2").option
    assert option is not None and option.code == "a"  # read by its label, with a note
    assert not second.answers.filter(item__code="Q3").exists()  # empty: not recorded
    assert not ResponseIdentity.objects.exists()
    state = database_state()
    semicolons = write_csv(tmp_path / "kobo2.csv", kobo_rows(sep_groups=False), sep=";")
    out, error = mutu("import", "responses", str(semicolons), "--instrument", code)
    assert error is None, out
    assert "0 baru/created, 0 diperbarui/updated, 2 tetap/unchanged" in out
    assert database_state() == state


def test_kobo_times_keep_their_offset_for_a_named_instrument(tmp_path: Path) -> None:
    version = make_instrument_version(anonymous=False)
    path = write_csv(tmp_path / "k.csv", kobo_rows(), sep=",")
    report = import_file(
        kind="responses", path=path, instrument=version.instrument.code, write_errors=False
    )
    assert report.written, [i.line() for i in report.errors]
    first = Response.objects.get(external_id=f"uuid:{UUID_1}")
    assert first.submitted_at == dt.datetime(2026, 3, 3, 2, 5, 40, 511000, tzinfo=dt.UTC)


def test_an_anonymous_instrument_refuses_a_file_with_identity(tmp_path: Path) -> None:
    version = make_instrument_version(anonymous=True)
    person = make_employee()
    rows = [["Token", "NIP", "Nama", "Q1"], ["K-001", person.nip, person.name, "3"]]
    before = database_state()
    out, error = mutu(
        "import",
        "responses",
        str(write_xlsx(tmp_path / "a.xlsx", rows)),
        "--instrument",
        version.instrument.code,
        "--lang",
        "en",
    )
    assert error is not None
    assert f"row 1, column NIP (B): {version.instrument.code} is anonymous" in out
    assert "row 1, column Nama (C)" in out
    assert database_state() == before


def test_the_template_round_trips_with_respondents_and_subjects(tmp_path: Path) -> None:
    version = make_instrument_version(anonymous=False, kind="supervisor_rating")
    code = version.instrument.code
    activity = make_activity()
    boss, staff = make_employee(), make_employee()
    rows: list[list[Any]] = [
        ["Token", "Waktu Isi", "Kode Kegiatan", "NIP", "NIP Dinilai", "Kesempatan", "Q1", "Q2"],
        ["K-001", "05-06-2026 10:30", activity.code, boss.nip, staff.nip, "after", 3, "a"],
        ["K-002", "2026-06-05 11:00", activity.code, staff.nip, "", "after", 4, "b"],
    ]
    path = write_xlsx(tmp_path / "t.xlsx", rows, text_columns=[3, 4])
    out, error = mutu("import", "responses", str(path), "--instrument", code)
    assert error is None, out
    assert "2 baru/created" in out
    rated = Response.objects.get(token="K-001")
    assert rated.subject == staff and rated.identity.employee == boss
    assert rated.respondent_role == "supervisor" and rated.occasion == "after"
    assert timezone.localtime(rated.submitted_at).replace(tzinfo=None) == dt.datetime(
        2026, 6, 5, 10, 30
    )
    assert InstrumentVersion.objects.get(pk=version.pk).is_locked
    state = database_state()
    out, error = mutu("import", "responses", str(path), "--instrument", code)
    assert "0 baru/created, 0 diperbarui/updated, 2 tetap/unchanged" in out, error
    for suffix in ("xlsx", "csv"):
        export = tmp_path / f"e.{suffix}"
        _out, error = mutu("export", "responses", "--instrument", code, "--out", str(export))
        assert error is None
        assert ExportLog.objects.filter(kind="responses").latest("pk").personal is True
        state = database_state()  # with the export's log entry
        out, error = mutu("import", "responses", str(export), "--instrument", code)
        assert error is None, out
        assert "0 baru/created, 0 diperbarui/updated, 2 tetap/unchanged" in out
        assert database_state() == state
    # A changed rating is an update of that answer only.
    rows[1][6] = 2
    out, error = mutu(
        "import", "responses", str(write_xlsx(tmp_path / "u.xlsx", rows)), "--instrument", code
    )
    assert "0 baru/created, 1 diperbarui/updated, 1 tetap/unchanged" in out, error
    assert Answer.objects.get(response=rated, item__code="Q1").value == 2


def test_an_anonymous_export_has_no_identity_and_round_trips(tmp_path: Path) -> None:
    version = make_instrument_version(anonymous=True)
    code = version.instrument.code
    mutu(
        "import",
        "responses",
        str(write_csv(tmp_path / "k.csv", kobo_rows(), sep=",")),
        "--instrument",
        code,
    )
    export = tmp_path / "e.csv"
    _out, error = mutu("export", "responses", "--instrument", code, "--out", str(export))
    assert error is None
    header = export.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert "NIP" not in header and "Nama" not in header
    # Logged, but not as personal data: the file cannot say who answered.
    assert ExportLog.objects.get(kind="responses").personal is False
    state = database_state()  # after the export, which is logged
    out, error = mutu("import", "responses", str(export), "--instrument", code)
    assert error is None, out
    assert "0 baru/created, 0 diperbarui/updated, 2 tetap/unchanged" in out
    assert database_state() == state


def test_malformed_responses_name_every_row_and_column(tmp_path: Path) -> None:
    version = make_instrument_version(anonymous=False)
    code = version.instrument.code
    rows: list[list[Any]] = [
        ["Token", "NIP", "Q1", "Q2", "Q3"],
        ["K-1", "", "5", "a", ""],
        ["K-2", "", "2", "a b", ""],
        ["", "", "2", "a", ""],
        ["K-4", "199001152015031999", "2,5", "c", "ok"],
    ]
    before = database_state()
    out, error = mutu(
        "import",
        "responses",
        str(write_csv(tmp_path / "bad.csv", rows)),
        "--instrument",
        code,
        "--lang",
        "en",
    )
    assert error is not None
    assert "row 2, column Q1 (C): The rating 5 is outside the scale of item Q1 (1–4" in out
    assert "row 3, column Q2 (D): Item Q2 takes one option, not 2" in out
    assert "row 4: This row holds answers but Token is empty." in out
    assert "row 5, column NIP (B): There is no employee with NIP 199001152015031999" in out
    assert "row 5, column Q1 (C): The rating 2,5 is outside the scale" in out
    assert "row 5, column Q2 (D): 'c' is not an option of item Q2; its options are: a, b." in out
    assert database_state() == before


def test_unknown_columns_and_a_missing_instrument_are_refused(tmp_path: Path) -> None:
    version = make_instrument_version(anonymous=False)
    rows = [["Token", "Q1", "Q7", "Catatan"], ["K-1", "3", "1", "x"]]
    path = write_csv(tmp_path / "c.csv", rows)
    report = import_file(
        kind="responses", path=path, instrument=version.instrument.code, write_errors=False
    )
    assert {(i.code, i.column) for i in report.errors} == {
        ("unknown_item", "Q7"),
        ("unknown_item", "Catatan"),
    }
    report = import_file(kind="responses", path=path, write_errors=False)
    assert [i.code for i in report.errors] == ["instrument_missing"]
    _out, error = mutu("export", "responses", "--out", str(tmp_path / "x.csv"))
    assert error is not None and "--instrument" in error
    no_key = write_csv(tmp_path / "n.csv", [["Q1"], ["3"]])
    report = import_file(
        kind="responses", path=no_key, instrument=version.instrument.code, write_errors=False
    )
    assert [i.code for i in report.errors] == ["header_missing"]
    assert not Response.objects.exists()
