"""Kind ``programs``: one row per program, natural key the program code."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from mutu.accounts.scope import scope_for
from mutu.domain.errors import MutuValueError
from mutu.imports.engine import ImportFailed, Options
from mutu.imports.kinds import KINDS
from mutu.imports.scoping import export_refusal, import_kind_for, importable_kinds
from mutu.imports.services import import_file
from mutu.programs.models import Activity, Program, Recurrence
from mutu.reference.services import reference_data_load
from tests.factories import make_program, make_unit
from tests.imports.helpers import database_state, mutu, write_csv, write_xlsx
from tests.imports.web_support import user_with

pytestmark = pytest.mark.django_db

HEADER = [
    "Kode Program",
    "Nama Program",
    "Uraian",
    "Periode Mulai",
    "Periode Selesai",
    "Unit Pemilik",
    "Berulang",
    "Pengulangan",
]


@pytest.fixture(autouse=True)
def reference() -> None:
    reference_data_load()


@pytest.fixture
def units() -> None:
    make_unit(code="BKPSDM", name="Badan Kepegawaian dan Pengembangan SDM", kind="skpk")
    make_unit(code="DINKES", name="Dinas Kesehatan", kind="skpk")


def clean_rows() -> list[list[Any]]:
    return [
        HEADER,
        [
            "PMPP",
            "Pelatihan Manajemen Pelayanan Publik",
            "Pelatihan berkala bagi petugas layanan.\nDua angkatan per triwulan.",
            "01-01-2024",
            "31-12-2026",
            "BKPSDM",
            "Ya",
            "triwulanan",
        ],
        [
            "PKSW",
            "Seminar dan Workshop Kompetensi",
            "",
            "2024-01-01",
            "31/12/2025",
            "Dinas Kesehatan",
            "Tidak",
            "",
        ],
        [
            "PIMPIN",
            "Pelatihan Kepemimpinan",
            "Bersama BPSDM.",
            45292,
            "31-12-2024",
            "BKPSDM",
            "",
            "annual",
        ],
    ]


def test_programs_are_created_once_and_round_trip(tmp_path: Path, units: None) -> None:
    path = write_xlsx(tmp_path / "program.xlsx", clean_rows())
    out, error = mutu("import", "programs", str(path))
    assert error is None, out
    assert "3 baru/created, 0 diperbarui/updated, 0 tetap/unchanged" in out
    pmpp = Program.objects.get(code="PMPP")
    assert pmpp.description == "Pelatihan berkala bagi petugas layanan.\nDua angkatan per triwulan."
    assert (pmpp.period_start, pmpp.period_end) == (date(2024, 1, 1), date(2026, 12, 31))
    assert pmpp.owner_unit.code == "BKPSDM"
    assert (pmpp.is_recurring, pmpp.recurrence) == (True, Recurrence.QUARTERLY)
    pksw = Program.objects.get(code="PKSW")
    assert pksw.owner_unit.code == "DINKES"  # found by its name
    assert (pksw.is_recurring, pksw.recurrence, pksw.description) == (False, "", "")
    assert pksw.period_start == date(2024, 1, 1)  # ISO date, with a note
    pimpin = Program.objects.get(code="PIMPIN")
    # An empty Berulang follows Pengulangan; 45292 is the Excel serial of 1 January 2024.
    assert (pimpin.is_recurring, pimpin.recurrence) == (True, Recurrence.ANNUAL)
    assert pimpin.period_start == date(2024, 1, 1)

    state = database_state()
    out, error = mutu("import", "programs", str(path))
    assert error is None, out
    assert "0 baru/created, 0 diperbarui/updated, 3 tetap/unchanged" in out
    assert database_state() == state

    for suffix in ("xlsx", "csv"):
        export = tmp_path / f"programs.{suffix}"
        out, error = mutu("export", "programs", "--out", str(export))
        assert error is None and "3 baris/rows" in out
        state = database_state()
        out, error = mutu("import", "programs", str(export))
        assert error is None, out
        assert "0 baru/created, 0 diperbarui/updated, 3 tetap/unchanged" in out
        assert database_state() == state
    sheet = load_workbook(tmp_path / "programs.xlsx").worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    assert [c.value for c in sheet[4]][5:] == ["BKPSDM", "Ya", "quarterly"]  # PMPP, by code


def test_a_changed_row_updates_only_what_changed(tmp_path: Path, units: None) -> None:
    mutu("import", "programs", str(write_xlsx(tmp_path / "a.xlsx", clean_rows())))
    rows = clean_rows()
    rows[1][0] = "pmpp"  # the stored code, in another case
    rows[1][1] = "Pelatihan Manajemen Pelayanan Publik (Triwulanan)"
    rows[1][6] = "Tidak"
    rows[1][7] = ""
    path = write_csv(tmp_path / "b.csv", rows)
    out, error = mutu("import", "programs", str(path), "--dry-run", "--lang", "en")
    assert error is None, out
    assert "0 baru/created, 1 diperbarui/updated, 2 tetap/unchanged" in out
    assert "~ baris/row 2: PMPP: Nama Program, Berulang, Pengulangan" in out
    assert "The code pmpp was read as the stored program PMPP." in out
    assert Program.objects.get(code="PMPP").is_recurring  # a dry run writes nothing
    out, error = mutu("import", "programs", str(path))
    assert error is None, out
    pmpp = Program.objects.get(code="PMPP")
    assert pmpp.name.endswith("(Triwulanan)")
    assert (pmpp.is_recurring, pmpp.recurrence) == (False, "")
    assert not Program.objects.filter(code="pmpp").exists()


def test_a_file_without_some_columns_leaves_those_fields_alone(tmp_path: Path, units: None) -> None:
    mutu("import", "programs", str(write_xlsx(tmp_path / "a.xlsx", clean_rows())))
    rows = [["Kode Program", "Periode Selesai"], ["PMPP", "31-12-2027"]]
    out, error = mutu("import", "programs", str(write_xlsx(tmp_path / "b.xlsx", rows)))
    assert error is None, out
    assert "0 baru/created, 1 diperbarui/updated" in out
    pmpp = Program.objects.get(code="PMPP")
    assert pmpp.period_end == date(2027, 12, 31)
    assert pmpp.period_start == date(2024, 1, 1) and pmpp.recurrence == Recurrence.QUARTERLY
    # Berulang = Tidak alone clears the recurrence; Ya alone keeps the stored one.
    rows = [["Kode Program", "Berulang"], ["PMPP", "Tidak"], ["PIMPIN", "Ya"]]
    out, error = mutu("import", "programs", str(write_xlsx(tmp_path / "c.xlsx", rows)))
    assert error is None, out
    assert "0 baru/created, 1 diperbarui/updated, 1 tetap/unchanged" in out
    assert Program.objects.get(code="PMPP").recurrence == ""


def test_a_malformed_file_names_every_fault_and_writes_nothing(tmp_path: Path, units: None) -> None:
    make_program(code="LAMA", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    rows: list[list[Any]] = [
        HEADER,
        ["BARU-1", "Program Satu", "", "01-01-2026", "31-12-2026", "Dinas Kesehatann", "", ""],
        ["BARU-2", "Program Dua", "", "01-07-2026", "01-01-2026", "BKPSDM", "", ""],
        ["BARU-3", "Program Tiga", "", "12-25-2026", "31-12-2026", "BKPSDM", "", ""],
        ["BARU-4", "Program Empat", "", "01-01-2026", "31-12-2026", "BKPSDM", "Ya", ""],
        ["BARU-5", "Program Lima", "", "01-01-2026", "31-12-2026", "BKPSDM", "", "tiap minggu"],
        ["BARU-6", "", "", "01-01-2026", "31-12-2026", "BKPSDM", "", ""],
        ["BARU-7", "x" * 251, "", "01-01-2026", "31-12-2026", "BKPSDM", "", ""],
        ["K" * 41, "Program Panjang", "", "01-01-2026", "31-12-2026", "BKPSDM", "", ""],
        ["BARU-9", "Program Sembilan", "", "01-01-2026", "31-12-2026", "BKPSDM", "mungkin", ""],
        ["baru-2", "Program Dua Lagi", "", "01-01-2026", "31-12-2026", "BKPSDM", "", ""],
        ["LAMA", "Program Lama", "", "01-01-2026", "", "BKPSDM", "Tidak", ""],
        ["OK-1", "Program Baik", "", "01-01-2026", "31-12-2026", "BKPSDM", "", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    before = database_state()
    out, error = mutu("import", "programs", str(path), "--lang", "en")
    assert error is not None and "nothing was written" in error
    expected = [
        "row 2, column Unit Pemilik (F): Unknown unit 'Dinas Kesehatann': it is not in Mutu. "
        "Did you mean 'Dinas Kesehatan'?",
        "row 3, column Periode Selesai (E): The period end 01-01-2026 is before the period "
        "start 01-07-2026.",
        "row 4, column Periode Mulai (D):",
        "row 5, column Pengulangan (H): A recurring program needs a recurrence.",
        "row 6, column Pengulangan (H): Unknown recurrence 'tiap minggu'.",
        "row 7, column Nama Program (B): Nama Program is required.",
        "row 8, column Nama Program (B): Ensure this value has at most 250 characters",
        "row 9, column Kode Program (A): Ensure this value has at most 40 characters",
        "row 10, column Berulang (G): 'mungkin' is not yes/no",
        "row 11, column Kode Program (A): Kode Program baru-2 is already on row 3",
        "row 12, column Periode Selesai (E): Periode Selesai is required.",
    ]
    for line in expected:
        assert line in out, line
    assert "row 13" not in out  # the good row has no fault, and it is not written either
    assert database_state() == before
    assert not Program.objects.filter(code="OK-1").exists()
    # The same faults in Indonesian, and a copy of the file with the faults marked.
    out, error = mutu("import", "programs", str(path), "--lang", "id")
    assert error is not None
    assert "baris 3, kolom Periode Selesai (E): Periode selesai 01-01-2026 sebelum periode" in out
    assert "baris 5, kolom Pengulangan (H): Program berulang memerlukan pengulangan." in out
    assert "baris 7, kolom Nama Program (B): Nama Program wajib diisi." in out
    assert (tmp_path / "bad.errors.xlsx").is_file()
    assert database_state() == before


def test_the_import_report_of_a_malformed_file_raises_import_failed(
    tmp_path: Path, units: None
) -> None:
    rows = [HEADER, ["X", "Program X", "", "01-01-2026", "31-12-2025", "BKPSDM", "", ""]]
    before = database_state()
    report = import_file(kind="programs", path=write_xlsx(tmp_path / "x.xlsx", rows))
    assert not report.ok and not report.written
    assert [(i.row, i.column) for i in report.errors] == [(2, "Periode Selesai")]
    failed = ImportFailed(report)
    assert failed.message("en") == "1 errors; nothing was written."
    assert failed.message("id") == "1 kesalahan; tidak ada yang disimpan."
    assert database_state() == before


def test_a_new_program_needs_its_columns_and_the_period_is_checked_against_the_stored_one(
    tmp_path: Path, units: None
) -> None:
    make_program(code="LAMA", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    rows = [["Kode Program", "Periode Mulai"], ["BARU", "01-01-2026"], ["LAMA", "01-01-2026"]]
    before = database_state()
    out, error = mutu("import", "programs", str(write_xlsx(tmp_path / "p.xlsx", rows)))
    assert error is not None
    assert (
        "baris/row 2, kolom/column Kode Program (A): Program baru BARU perlu kolom Nama Program, "
        "Periode Selesai, Unit Pemilik. / The new program BARU needs the column(s) Nama Program, "
        "Periode Selesai, Unit Pemilik." in out
    )
    assert (
        "baris/row 3, kolom/column Periode Mulai (B): Periode selesai 31-12-2025 sebelum periode "
        "mulai 01-01-2026. / The period end 31-12-2025 is before the period start 01-01-2026."
        in out
    )
    assert database_state() == before


def test_activities_and_budget_can_name_a_program_imported_just_before(
    tmp_path: Path, units: None
) -> None:
    kinds = list(KINDS)
    assert kinds.index("units") < kinds.index("programs") < kinds.index("activities")
    assert kinds.index("programs") < kinds.index("budget")
    mutu("import", "programs", str(write_xlsx(tmp_path / "p.xlsx", clean_rows())))
    rows = [
        ["Kode Kegiatan", "Kode Program", "Judul", "Bentuk", "JP", "Tgl Mulai", "Tgl Selesai"],
        ["PMPP-2026-01", "PMPP", "Pelatihan Pelayanan", "bimtek", "24", "07-04-2026", "09-04-2026"],
    ]
    out, error = mutu("import", "activities", str(write_xlsx(tmp_path / "a.xlsx", rows)))
    assert error is None, out
    assert Activity.objects.get().program.code == "PMPP"
    budget: list[list[Any]] = [
        ["Kode Program", "Tahun Anggaran", "Kode Rekening", "Uraian", "Pagu"],
        ["PMPP", 2026, "5.1.02.01.01.0024", "ATK program", "2.400.000"],
    ]
    out, error = mutu("import", "budget", str(write_xlsx(tmp_path / "b.xlsx", budget)))
    assert error is None, out
    assert "1 baru/created" in out


def test_the_year_filter_keeps_programs_whose_period_touches_it(
    tmp_path: Path, units: None
) -> None:
    mutu("import", "programs", str(write_xlsx(tmp_path / "p.xlsx", clean_rows())))
    out, error = mutu("export", "programs", "--year", "2025", "--out", str(tmp_path / "y.csv"))
    assert error is None and "2 baris/rows" in out  # PMPP and PKSW; PIMPIN ended in 2024
    out, error = mutu("export", "programs", "--year", "2026", "--out", str(tmp_path / "y.csv"))
    assert error is None and "1 baris/rows" in out  # PMPP only (PKSW ends 2025, PIMPIN 2024)
    _out, error = mutu("export", "programs", "--unit", "BKPSDM", "--out", str(tmp_path / "u.csv"))
    assert error is not None and "cannot be filtered by --unit" in error


def test_only_administrators_import_programs_and_only_whole_agency_roles_export_them(
    units: None,
) -> None:
    unit = make_unit(code="PKM", name="Puskesmas", kind="puskesmas")
    admin = scope_for(user_with("admin"))
    operator = scope_for(user_with("unit_operator", unit=unit))
    analyst = scope_for(user_with("analyst"))
    head = scope_for(user_with("unit_head", unit=unit))
    assert "programs" in importable_kinds(admin)
    assert "programs" not in importable_kinds(operator)
    with pytest.raises(MutuValueError) as refused:
        import_kind_for(operator, "programs", Options())
    assert refused.value.message("en") == "You may not import this kind of data."
    assert export_refusal(admin, "programs") is None
    assert export_refusal(analyst, "programs") is None  # no personal data in it
    refusal = export_refusal(head, "programs")
    assert refusal is not None and refusal.message("en").startswith("Only the BKPSDM")
    assert KINDS["programs"].personal is False
