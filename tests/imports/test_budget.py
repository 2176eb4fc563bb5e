"""Kinds ``budget`` (budget lines) and ``spending`` (expenditures), amounts in Rupiah."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from mutu.domain.cells import CellError
from mutu.imports.kinds.budget import read_rupiah
from mutu.programs.models import BudgetLine, Expenditure
from mutu.reference.services import reference_data_load
from tests.factories import make_activity, make_program
from tests.imports.helpers import database_state, mutu, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference() -> None:
    reference_data_load()


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Rp 1.250.000", "1250000"),
        ("Rp. 1.250.000,-", "1250000"),
        ("250.000", "250000"),
        ("1.250.000,50", "1250000.50"),
        ("1,250,000", "1250000"),
        ("1250000", "1250000"),
        (1250000, "1250000"),
        ("24,5", "24.5"),
    ],
)
def test_rupiah_amounts_are_read_the_indonesian_way(text: str | int, amount: str) -> None:
    assert read_rupiah(text).value == Decimal(amount)


@pytest.mark.parametrize("text", ["-5.000", "12.345,678", "1,2345", "seribu", "1e15"])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(CellError):
        read_rupiah(text)


def budget_rows(program: str, activity: str) -> list[list[Any]]:
    return [
        [
            "Kode Program",
            "Tahun Anggaran",
            "Kode Rekening",
            "Kode Kegiatan",
            "Jenis Biaya",
            "Uraian",
            "Pagu",
        ],
        [
            program,
            2026,
            "5.1.02.02.01.0003",
            activity,
            "honorarium",
            "Honor narasumber",
            "Rp 14.400.000",
        ],
        [
            program,
            2026,
            "5.1.02.01.01.0052",
            activity,
            "Konsumsi",
            "Konsumsi",
            "6.800.000",
        ],
        [program, 2026, "5.1.02.01.01.0024", "", "", "ATK program", 2400000],
    ]


def test_budget_lines_are_created_once_and_round_trip(tmp_path: Path) -> None:
    program = make_program(code="PMPP")
    activity = make_activity(code="PMPP-2026-01", program=program)
    path = write_xlsx(tmp_path / "dpa.xlsx", budget_rows("PMPP", "PMPP-2026-01"))
    out, error = mutu("import", "budget", str(path))
    assert error is None, out
    assert "3 baru/created, 0 diperbarui/updated" in out
    honor = BudgetLine.objects.get(account_code="5.1.02.02.01.0003")
    assert honor.planned_amount == Decimal("14400000") and honor.activity == activity
    assert honor.cost_type == "honorarium"
    assert BudgetLine.objects.get(account_code="5.1.02.01.01.0052").cost_type == "consumption"
    program_line = BudgetLine.objects.get(account_code="5.1.02.01.01.0024")
    assert program_line.activity is None and program_line.cost_type == "other"
    state = database_state()
    out, error = mutu("import", "budget", str(path))
    assert "0 baru/created, 0 diperbarui/updated, 3 tetap/unchanged" in out, error
    assert database_state() == state
    for suffix in ("xlsx", "csv"):
        export = tmp_path / f"b.{suffix}"
        _out, error = mutu("export", "budget", "--year", "2026", "--out", str(export))
        assert error is None
        state = database_state()
        out, error = mutu("import", "budget", str(export))
        assert error is None, out
        assert "0 baru/created, 0 diperbarui/updated, 3 tetap/unchanged" in out
        assert database_state() == state
    rows = budget_rows("PMPP", "PMPP-2026-01")
    rows[1][6] = "15.000.000"
    out, error = mutu("import", "budget", str(write_csv(tmp_path / "rev.csv", rows)))
    assert "0 baru/created, 1 diperbarui/updated, 2 tetap/unchanged" in out, error
    honor.refresh_from_db()
    assert honor.planned_amount == Decimal("15000000")


def test_a_malformed_budget_names_every_fault_and_writes_nothing(tmp_path: Path) -> None:
    make_program(code="PMPP")
    other = make_activity(code="LAIN-2026-01")
    rows: list[list[Any]] = [
        ["Kode Program", "Tahun Anggaran", "Kode Rekening", "Kode Kegiatan", "Uraian", "Pagu"],
        ["PMPX", 2026, "5.1.02", "", "Honor", "1.000.000"],
        ["PMPP", 2026, "5.1.02", other.code, "Honor", "1.000.000"],
        ["PMPP", 2026, "5.1.03", "", "Honor", "-500.000"],
        ["PMPP", 1926, "5.1.04", "", "Honor", "500.000"],
        ["PMPP", 2026, "5.1.05", "", "", "500.000"],
        ["PMPP", 2026, "5.1.06", "", "A", "500.000"],
        ["PMPP", 2026, "5.1.06", "", "B", "700.000"],
    ]
    before = database_state()
    out, error = mutu(
        "import", "budget", str(write_csv(tmp_path / "bad.csv", rows)), "--lang", "en"
    )
    assert error is not None
    assert "row 2, column Kode Program (A): Unknown program 'PMPX'" in out
    assert f"row 3, column Kode Kegiatan (D): The activity {other.code} belongs to another" in out
    assert "row 4, column Pagu (F): The amount -500.000 is negative" in out
    assert "row 5, column Tahun Anggaran (B): The fiscal year 1926 is not plausible" in out
    assert "row 6, column Uraian (E): A new budget line needs a description" in out
    assert "row 8, column Kode Program (A)" in out and "already on row 7" in out
    assert database_state() == before


def spending_rows(program: str) -> list[list[Any]]:
    return [
        [
            "Kode Program",
            "Kode Rekening",
            "Kode Kegiatan",
            "Tanggal",
            "No SP2D",
            "Uraian",
            "Realisasi",
        ],
        [
            program,
            "5.1.02.02.01.0003",
            "PMPP-2026-01",
            "18-03-2026",
            "SP2D/0001/BPKK",
            "Honor hari 1",
            "Rp 7.200.000",
        ],
        [
            program,
            "5.1.02.02.01.0003",
            "PMPP-2026-01",
            "2026-03-19",
            "SP2D/0002/BPKK",
            "Honor hari 2",
            "7.200.000",
        ],
        [program, "5.1.02.01.01.0024", "", "20-03-2026", "SP2D/0003/BPKK", "ATK", 2350000],
    ]


def test_spending_is_booked_against_budget_lines_and_round_trips(tmp_path: Path) -> None:
    program = make_program(code="PMPP")
    make_activity(code="PMPP-2026-01", program=program)
    mutu(
        "import",
        "budget",
        str(write_xlsx(tmp_path / "dpa.xlsx", budget_rows("PMPP", "PMPP-2026-01"))),
    )
    path = write_xlsx(tmp_path / "sp2d.xlsx", spending_rows("PMPP"))
    out, error = mutu("import", "spending", str(path))
    assert error is None, out
    assert "3 baru/created" in out
    paid = Expenditure.objects.get(document_number="SP2D/0002/BPKK")
    assert paid.date == date(2026, 3, 19) and paid.amount == Decimal("7200000")
    assert paid.budget_line.account_code == "5.1.02.02.01.0003"
    assert paid.budget_line.fiscal_year == 2026  # from the date, without a year column
    state = database_state()
    out, error = mutu("import", "spending", str(path))
    assert "0 baru/created, 0 diperbarui/updated, 3 tetap/unchanged" in out, error
    assert database_state() == state
    for suffix in ("xlsx", "csv"):
        export = tmp_path / f"s.{suffix}"
        _out, error = mutu("export", "spending", "--out", str(export))
        assert error is None
        state = database_state()
        out, error = mutu("import", "spending", str(export))
        assert error is None, out
        assert "0 baru/created, 0 diperbarui/updated, 3 tetap/unchanged" in out
        assert database_state() == state


def test_spending_without_a_budget_line_or_document_is_refused(tmp_path: Path) -> None:
    program = make_program(code="PMPP")
    make_activity(code="PMPP-2026-01", program=program)
    rows = spending_rows("PMPP")
    rows[1][4] = ""
    rows[3][5] = "ATK"
    before = database_state()
    out, error = mutu(
        "import", "spending", str(write_csv(tmp_path / "s.csv", rows)), "--lang", "en"
    )
    assert error is not None
    assert "row 2, column No SP2D (E): No SP2D is required." in out
    assert (
        "row 3, column Kode Rekening (B): There is no budget line PMPP 2026 account "
        "5.1.02.02.01.0003 activity PMPP-2026-01" in out
    )
    assert "row 4, column Kode Rekening (B)" in out
    assert database_state() == before
