"""`mutu import employees` and `mutu export employees`: the done-when, on a small registry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import IntegrityError
from openpyxl import load_workbook

from mutu.imports.kinds.employees import EmployeesKind
from mutu.imports.models import ExportLog
from mutu.people.models import Employee, Unit
from mutu.reference.services import reference_data_load
from tests.factories import (
    make_employee,
    make_golongan,
    make_position,
    make_unit,
    pns_nip,
    pppk_nip,
)
from tests.imports.helpers import database_state, mutu, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "No",
    "NIP",
    "Nama",
    "Tgl Lahir",
    "Status",
    "Gol",
    "Jabatan",
    "Unit Kerja",
    "Pendidikan",
    "TMT CPNS",
]


@pytest.fixture
def registry() -> dict[str, object]:
    reference_data_load()
    dinkes = make_unit(code="DINKES", name="Dinas Kesehatan")
    bkpsdm = make_unit(code="BKPSDM", name="Badan Kepegawaian dan Pengembangan SDM")
    analis = make_position(code="BKPSDM.analis", name="Analis SDM Aparatur", unit=bkpsdm)
    boss = make_employee(
        nip=pns_nip(1, birth=date(1975, 5, 5), appointed=(2000, 3)),
        name="Kepala BKPSDM",
        unit=bkpsdm,
        golongan=make_golongan("IV/b"),
    )
    staff = make_employee(
        nip=pns_nip(2, birth=date(1990, 1, 15), appointed=(2015, 3)),
        name="Rahmah, S.E.",
        unit=bkpsdm,
        position=analis,
        supervisor=boss,
        education_level="S1",
        tmt_cpns=date(2015, 3, 1),
    )
    return {"dinkes": dinkes, "bkpsdm": bkpsdm, "boss": boss, "staff": staff}


def test_a_malformed_file_names_every_bad_row_and_column_and_changes_nothing(
    tmp_path: Path, registry: dict[str, object]
) -> None:
    good = pns_nip(11, birth=date(1992, 2, 20), appointed=(2019, 1))
    rows = [
        HEADER,
        [
            1,
            good,
            "Baru Benar",
            "20-02-1992",
            "PNS",
            "III/a",
            "",
            "Dinas Kesehatan",
            "S1",
            "01-01-2019",
        ],
        [
            2,
            1.99403162023032e17,
            "Angka Ilmiah",
            "",
            "PNS",
            "III/a",
            "",
            "Dinas Kesehatan",
            "S1",
            "",
        ],
        [3, "19810630202521200", "Kurang Digit", "", "PPPK", "IX", "", "Dinas Kesehatan", "S1", ""],
        [4, pns_nip(12), "Unit Asing", "", "PNS", "III/a", "", "Dinas Pariwisata", "S1", ""],
        [
            5,
            pns_nip(13),
            "Tanggal Salah",
            "",
            "PNS",
            "III/a",
            "",
            "Dinas Kesehatan",
            "S1",
            "31-02-2015",
        ],
        [6, pns_nip(14), "Golongan Salah", "", "PNS", "V/z", "", "Dinas Kesehatan", "S1", ""],
        [7, pns_nip(15), "Status Salah", "", "PPPK", "III/a", "", "Dinas Kesehatan", "S1", ""],
        [
            8,
            pns_nip(16, birth=date(1990, 1, 15)),
            "Lahir Salah",
            "16-01-1990",
            "PNS",
            "III/a",
            "",
            "Dinas Kesehatan",
            "S1",
            "",
        ],
        [9, pns_nip(17), "", "", "PNS", "III/a", "", "Dinas Kesehatan", "S1", ""],
        [
            10,
            pns_nip(18),
            "Jabatan Asing",
            "",
            "PNS",
            "III/a",
            "Juru Masak",
            "Dinas Kesehatan",
            "S1",
            "",
        ],
        [11, pns_nip(19), "Sama Dua Kali", "", "PNS", "III/a", "", "Dinas Kesehatan", "S1", ""],
        [11, pns_nip(19), "Sama Dua Kali", "", "PNS", "III/a", "", "Dinas Kesehatan", "S1", ""],
        [13, good, "NIP Sama, Nama Lain", "", "PNS", "III/a", "", "Dinas Kesehatan", "S1", ""],
    ]
    path = write_xlsx(tmp_path / "pegawai.xlsx", rows, text_columns=[1])
    before = database_state()

    out, error = mutu("import", "employees", str(path))

    assert error is not None and "nothing was written" in error
    expected = {
        (3, "NIP (B)", "Excel keeps only 15 digits"),
        (4, "NIP (B)", "has 17"),
        (5, "Unit Kerja (H)", "Unknown unit 'Dinas Pariwisata'"),
        (6, "TMT CPNS (J)", "Cannot read the date '31-02-2015'"),
        (7, "Gol (F)", "Unknown PNS golongan 'V/z'"),
        (8, "Status (E)", "does not match the NIP"),
        (9, "Tgl Lahir (D)", "does not agree with the NIP"),
        (10, "Nama (C)", "Nama is required"),
        (11, "Jabatan (G)", "no position 'Juru Masak'"),
        (13, None, "exact copy of row 12"),
        (14, "NIP (B)", "is already on row 2"),
    }
    lines = [line for line in out.splitlines() if line.startswith("  baris/row")]
    assert len(lines) == len(expected)
    for row, column, fragment in expected:
        where = f"baris/row {row}, kolom/column {column}" if column else f"baris/row {row}:"
        assert any(where in line and fragment in line for line in lines), (row, column, fragment)
    assert database_state() == before
    assert not Employee.objects.filter(nip=good).exists()

    copy = load_workbook(tmp_path / "pegawai.errors.xlsx")
    ws = copy.worksheets[0]
    assert ws.cell(row=1, column=11).value == "Kesalahan / Errors"
    assert "15 digit" in ws.cell(row=3, column=11).value
    assert ws.cell(row=2, column=11).value is None
    assert ws.cell(row=3, column=2).fill.start_color.rgb.endswith("FFC7CE")
    assert ws.cell(row=3, column=2).comment is not None
    assert copy["Kesalahan"].max_row == len(expected) + 1


def test_a_clean_file_imported_twice_changes_nothing_the_second_time(
    tmp_path: Path, registry: dict[str, object]
) -> None:
    staff = registry["staff"]
    assert isinstance(staff, Employee)
    new_pns = pns_nip(21, birth=date(1992, 2, 20), appointed=(2019, 1), sex=2)
    new_pppk = pppk_nip(22, birth=date(1995, 6, 1), year=2022)
    rows = [
        [
            "NIP",
            "NAMA",
            "GELAR DEPAN",
            "GELAR BELAKANG",
            "STATUS",
            "GOL",
            "JABATAN",
            "UNOR",
            "PENDIDIKAN",
            "TMT CPNS",
            "NIP ATASAN",
        ],
        [
            new_pns,
            "Sartika Simanjuntak",
            "Ns.",
            "S.Kep.",
            "PNS",
            "III/b",
            "",
            "Dinas Kesehatan",
            "S1",
            "01-01-2019",
            "",
        ],
        [
            new_pppk,
            "Erwin Cibero",
            "",
            "",
            "PPPK Paruh Waktu",
            "V",
            "",
            "Dinas Kesehatan",
            "SMA",
            "01-06-2022",
            new_pns,
        ],
        [
            staff.nip,
            "Rahmah",
            "",
            "S.E.",
            "PNS",
            "III/b",
            "Analis SDM Aparatur",
            "Badan Kepegawaian dan Pengembangan SDM",
            "S-1",
            "01-03-2015",
            registry["boss"].nip,
        ],  # type: ignore[attr-defined]
    ]
    path = write_csv(tmp_path / "siasn.csv", rows, encoding="cp1252")

    out, error = mutu("import", "employees", str(path))
    assert error is None, out
    assert "2 baru/created, 1 diperbarui/updated, 0 tetap/unchanged" in out
    nurse = Employee.objects.get(nip=new_pns)
    assert nurse.name == "Ns. Sartika Simanjuntak, S.Kep."
    assert (nurse.sex, nurse.birth_date) == ("P", date(1992, 2, 20))
    assert nurse.unit.code == "DINKES"
    contract = Employee.objects.get(nip=new_pppk)
    assert (contract.status, contract.employment_type) == ("PPPK", "part_time")
    assert contract.supervisor == nurse
    staff.refresh_from_db()
    assert staff.golongan is not None and staff.golongan.code == "III/b"

    state = database_state()
    out, error = mutu("import", "employees", str(path))
    assert error is None
    assert "0 baru/created, 0 diperbarui/updated, 3 tetap/unchanged" in out
    assert database_state() == state


def test_export_then_import_changes_nothing(tmp_path: Path, registry: dict[str, object]) -> None:
    make_employee(kind="PPPK", unit=registry["dinkes"], employment_type="part_time")
    out_file = tmp_path / "pegawai.xlsx"
    out, error = mutu("export", "employees", "--out", str(out_file))
    assert error is None
    assert "3 baris/rows" in out
    log = ExportLog.objects.get()
    assert (log.kind, log.rows, log.personal) == ("employees", 3, True)
    assert log.actor
    state = database_state()

    out, error = mutu("import", "employees", str(out_file))

    assert error is None, out
    assert "0 baru/created, 0 diperbarui/updated, 3 tetap/unchanged" in out
    assert database_state() == state
    sheet = load_workbook(out_file).worksheets[0]
    assert sheet.cell(row=2, column=1).data_type == "s"  # the NIP stays text in Excel
    assert sheet.cell(row=2, column=1).number_format == "@"


def test_export_to_csv_imports_back_unchanged_too(
    tmp_path: Path, registry: dict[str, object]
) -> None:
    out_file = tmp_path / "pegawai.csv"
    mutu("export", "employees", "--out", str(out_file), "--unit", "BKPSDM")
    assert out_file.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    state = database_state()
    out, error = mutu("import", "employees", str(out_file))
    assert error is None
    assert "0 baru/created, 0 diperbarui/updated, 2 tetap/unchanged" in out
    assert database_state() == state


def test_a_dry_run_reports_the_changes_and_writes_nothing(
    tmp_path: Path, registry: dict[str, object]
) -> None:
    staff = registry["staff"]
    assert isinstance(staff, Employee)
    rows = [
        ["NIP", "Nama", "Gol", "Unit Kerja"],
        [staff.nip, staff.name, "III/c", "Badan Kepegawaian dan Pengembangan SDM"],
        [pns_nip(31), "Orang Baru", "II/a", "DINKES"],
    ]
    path = write_xlsx(tmp_path / "ubah.xlsx", rows)
    before = database_state()

    out, error = mutu("import", "employees", str(path), "--dry-run")

    assert error is None
    assert "dry run, nothing written" in out
    assert "1 baru/created, 1 diperbarui/updated, 0 tetap/unchanged" in out
    assert f"~ baris/row 2: {staff.nip}: Gol" in out
    assert "+ baris/row 3" in out
    assert database_state() == before


def test_a_refusal_while_writing_rolls_everything_back(
    tmp_path: Path, registry: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        ["NIP", "Nama", "Unit Kerja"],
        [pns_nip(41), "Satu", "DINKES"],
        [pns_nip(42), "Dua", "DINKES"],
    ]
    path = write_xlsx(tmp_path / "dua.xlsx", rows)
    original = EmployeesKind.apply

    def apply_then_fail(self: EmployeesKind, changes: list[object]) -> None:
        original(self, changes)  # type: ignore[arg-type]
        assert Employee.objects.filter(name="Dua").exists()  # written inside the transaction …
        raise IntegrityError("simulated refusal of the last row")

    monkeypatch.setattr(EmployeesKind, "apply", apply_then_fail)
    before = database_state()
    out, error = mutu("import", "employees", str(path))
    assert error is not None
    assert "simulated refusal" in out
    assert database_state() == before  # … and rolled back with everything else


def test_the_header_may_sit_below_a_title_and_the_file_may_repeat_it(
    tmp_path: Path, registry: dict[str, object]
) -> None:
    rows = [
        ["DAFTAR PEGAWAI DINAS KESEHATAN"],
        [],
        ["nip baru", "nama lengkap", "unit kerja"],
        [pns_nip(51), "Satu", "Dinas Kesehatan"],
        ["NIP Baru", "Nama Lengkap", "Unit Kerja"],
        [pns_nip(52), "Dua", "dinas  kesehatan"],
    ]
    path = write_xlsx(tmp_path / "judul.xlsx", rows)
    out, error = mutu("import", "employees", str(path))
    assert error is None, out
    assert "2 baru/created" in out
    assert "Rows 1–2 above the header were ignored" in out
    assert "baris/row 5: Baris ini mengulang judul kolom" in out
    assert Unit.objects.get(code="DINKES").employees.count() == 2


def test_a_missing_column_is_named_with_the_names_accepted(
    tmp_path: Path, registry: dict[str, object]
) -> None:
    path = write_xlsx(tmp_path / "tanpa-nama.xlsx", [["NIP", "Unit"], [pns_nip(61), "DINKES"]])
    out, error = mutu("import", "employees", str(path), "--lang", "en")
    assert error is not None
    assert "The required column 'Nama' is missing (accepted names: Nama, nama lengkap" in out
    assert "Kolom wajib" not in out  # --lang en prints English only


def test_an_old_xls_workbook_is_refused_with_how_to_fix(tmp_path: Path) -> None:
    path = tmp_path / "lama.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    _out, error = mutu("import", "employees", str(path))
    assert error is not None and "save it again as .xlsx" in error


def test_the_marked_copy_fixed_in_excel_imports(
    tmp_path: Path, registry: dict[str, object]
) -> None:
    rows = [
        ["NIP", "Nama", "Gol", "Unit Kerja"],
        [pns_nip(71), "Satu", "III/a", "DINKES"],
        [pns_nip(72), "Dua", "III/z", "DINKES"],
    ]
    path = write_csv(tmp_path / "baru.csv", rows)
    _out, error = mutu("import", "employees", str(path))
    assert error is not None
    marked = tmp_path / "baru.errors.xlsx"
    book = load_workbook(marked)
    sheet = book.worksheets[0]
    assert sheet.cell(row=3, column=5).value.startswith("Gol: Golongan PNS 'III/z' tidak dikenal")
    sheet.cell(row=3, column=3).value = "III/b"  # what staff do in Excel, columns left in place
    book.save(marked)
    out, error = mutu("import", "employees", str(marked))
    assert error is None, out
    assert "2 baru/created" in out
    assert Employee.objects.get(nip=pns_nip(72)).golongan.code == "III/b"  # type: ignore[union-attr]


def test_corrected_cells_are_noted_and_imported(
    tmp_path: Path, registry: dict[str, object]
) -> None:
    nip = pns_nip(81, birth=date(1990, 1, 15), appointed=(2015, 3))
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    rows = [
        ["No", "NIP", "Nama", "Tgl Lahir", "TMT CPNS", "Unit Kerja"],
        [1, spaced, "Nama  Berspasi ", "1990-01-15", 42064, "DINKES"],
    ]
    path = write_xlsx(tmp_path / "koreksi.xlsx", rows)
    out, error = mutu("import", "employees", str(path))
    assert error is None, out
    for code in ("date_iso 1", "date_serial 1", "nip_separators 1", "spaces 1"):
        assert code in out
    employee = Employee.objects.get(nip=nip)
    assert (employee.name, employee.tmt_cpns) == ("Nama Berspasi", date(2015, 3, 1))


def test_the_marked_copy_never_overwrites_the_file(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [["NIP", "Nama"]])
    _out, error = mutu("import", "employees", str(path), "--errors", str(path))
    assert error is not None and "cannot overwrite the imported file" in error
