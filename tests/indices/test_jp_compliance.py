"""The yearly JP rule: 20 JP floor for PNS, 24 JP ceiling for PPPK, 1 JP = 45 minutes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mutu.indices import IndexInputError, jp_compliance
from tests.indices.helpers import rulebook_variant

EMPLOYEES = pd.DataFrame(
    {
        "nip": ["P1", "P2", "P3", "P4", "K1", "K2"],
        "status": ["PNS", "PNS", "PNS", "PNS", "PPPK", "PPPK"],
        "unit": ["DINKES", "DINKES", "DISDIK", "DISDIK", "DINKES", "DISDIK"],
    }
)


def ledger(rows: list[tuple[str, int, float | None, float | None, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["nip", "year", "jp", "minutes", "approval_status"])


def test_exactly_900_minutes_is_exactly_20_jp() -> None:
    # 900 / 45 = 20 JP: meets the floor; 899 minutes = 19.98 JP: short by 0.02.
    res = jp_compliance(
        ledger([("P1", 2024, None, 900, "approved"), ("P2", 2024, None, 899, "approved")]),
        EMPLOYEES,
        year=2024,
    )
    p = res.persons
    assert p.loc["P1", "jp"] == 20.0 and bool(p.loc["P1", "compliant"])
    assert p.loc["P1", "state"] == "memenuhi" and p.loc["P1", "deficit"] == 0.0
    assert p.loc["P2", "jp"] == pytest.approx(899 / 45, abs=1e-6)
    assert not p.loc["P2", "compliant"] and p.loc["P2", "state"] == "belum_memenuhi"
    assert p.loc["P2", "deficit"] == pytest.approx(1 / 45, abs=1e-6)  # totals keep 6 decimals
    assert res.rulebook == "jp 2020.1" and res.floor_jp == 20 and res.minutes_per_jp == 45


def test_minutes_are_summed_before_dividing() -> None:
    # 15 sessions of 60 minutes: 15 × 60 / 45 = 20 JP (per-entry floats would give 19.999…).
    rows = [("P1", 2024, None, 60, "approved")] * 15
    res = jp_compliance(ledger(rows), EMPLOYEES, year=2024)
    assert res.persons.loc["P1", "jp"] == 20.0 and bool(res.persons.loc["P1", "compliant"])
    assert res.persons.loc["P1", "entries"] == 15


def test_jp_takes_precedence_over_minutes_and_only_approved_entries_of_the_year_count() -> None:
    rows = [
        ("P1", 2024, 12.0, 900, "approved"),  # jp given: 12 (a converted form may differ)
        ("P1", 2024, None, 360, "approved"),  # 8 JP from minutes
        ("P1", 2024, 30.0, None, "pending"),  # not yet approved
        ("P1", 2024, 30.0, None, "rejected"),
        ("P1", 2023, 30.0, None, "approved"),  # another year
    ]
    res = jp_compliance(ledger(rows), EMPLOYEES, year=2024)
    assert res.persons.loc["P1", "jp"] == 20.0
    assert res.entries_counted == 2 and res.entries_not_approved == 2
    assert "2 entri JP belum/tidak disetujui" in res.summary()


def test_employee_without_entries_earns_zero() -> None:
    res = jp_compliance(ledger([]), EMPLOYEES, year=2024)
    assert (res.persons["jp"] == 0).all()
    assert res.persons.loc["P3", "deficit"] == 20.0
    assert res.share_pns_compliant == 0.0 and res.share_pppk_within == 1.0


def test_pppk_ceiling_is_a_ceiling() -> None:
    rows = [("K1", 2024, 24.0, None, "approved"), ("K2", 2024, 24.5, None, "approved")]
    p = jp_compliance(ledger(rows), EMPLOYEES, year=2024).persons
    assert bool(p.loc["K1", "compliant"]) and p.loc["K1", "state"] == "dalam_batas"
    assert p.loc["K1", "excess"] == 0.0 and np.isnan(p.loc["K1", "deficit"])
    assert not p.loc["K2", "compliant"] and p.loc["K2", "state"] == "melebihi_batas"
    assert p.loc["K2", "excess"] == pytest.approx(0.5)


def test_units_and_regency_shares() -> None:
    rows = [
        ("P1", 2024, 20.0, None, "approved"),
        ("P2", 2024, 5.0, None, "approved"),
        ("P3", 2024, 25.0, None, "approved"),
        ("P4", 2024, 21.0, None, "approved"),
        ("K2", 2024, 30.0, None, "approved"),
    ]
    res = jp_compliance(ledger(rows), EMPLOYEES, year=2024)
    u = res.units
    assert u.loc["DINKES", "share_pns_compliant"] == 0.5
    assert u.loc["DINKES", "deficit_jp"] == 15.0
    assert u.loc["DISDIK", "share_pns_compliant"] == 1.0
    assert u.loc["DISDIK", "share_pppk_within"] == 0.0
    assert u.loc["DISDIK", "share_compliant"] == pytest.approx(2 / 3)
    assert res.n_pns == 4 and res.share_pns_compliant == 0.75
    assert res.share_compliant == pytest.approx(4 / 6)
    assert res.regency.loc["regency", "mean_jp_pns"] == pytest.approx(71 / 4)
    assert res.summary().startswith("Tahun 2024: 75,0% PNS (3 dari 4) memenuhi minimal 20 JP")
    assert "75.0% of PNS (3 of 4)" in res.summary("en")


def test_ledger_row_of_a_stranger_is_an_error_naming_the_row() -> None:
    rows = ledger([("P1", 2024, 5.0, None, "approved"), ("X9", 2024, 5.0, None, "approved")])
    rows.index = [101, 102]
    with pytest.raises(IndexInputError, match=r"NIP is not among the employees \(rows 102\)"):
        jp_compliance(rows, EMPLOYEES, year=2024)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("P1", 2024, None, -45, "approved"), "minutes is negative"),
        (("P1", 2024, -1.0, None, "approved"), "jp is negative"),
        (("P1", 2024, None, None, "approved"), "both jp and minutes are empty"),
        (("P1", 2024, 2.0, None, "ok"), "approval_status must be one of"),
    ],
)
def test_bad_ledger_rows_are_refused(row: tuple[str, int, float, float, str], message: str) -> None:
    with pytest.raises(IndexInputError, match=message):
        jp_compliance(ledger([row]), EMPLOYEES, year=2024)


def test_bad_employees_are_refused() -> None:
    bad = EMPLOYEES.assign(status=["PNS", "CPNS", "PNS", "PNS", "PPPK", "PPPK"])
    with pytest.raises(IndexInputError, match=r"status must be PNS or PPPK \(rows 1\)"):
        jp_compliance(ledger([]), bad, year=2024)
    twice = pd.concat([EMPLOYEES, EMPLOYEES.head(1)], ignore_index=True)
    with pytest.raises(IndexInputError, match=r"NIP repeated \(rows 0, 6\)"):
        jp_compliance(ledger([]), twice, year=2024)
    with pytest.raises(IndexInputError, match="required columns missing: approval_status"):
        jp_compliance(ledger([]).drop(columns="approval_status"), EMPLOYEES, year=2024)


def test_ledger_may_give_dates_instead_of_years() -> None:
    rows = pd.DataFrame(
        {
            "nip": ["P1", "P1"],
            "date": ["2024-12-31", "2025-01-01"],
            "jp": [20.0, 20.0],
            "approval_status": ["approved", "approved"],
        }
    )
    res = jp_compliance(rows, EMPLOYEES, year=2024)
    assert res.persons.loc["P1", "jp"] == 20.0


def test_new_jp_version_raises_the_floor_from_its_date(tmp_path: Path) -> None:
    path = rulebook_variant(
        tmp_path,
        "jp",
        "2020.1",
        "2026.1",
        "2026-01-01",
        {"[values.pns_min_jp_per_year]\nvalue = 20": "[values.pns_min_jp_per_year]\nvalue = 24"},
    )
    rows = ledger([("P1", 2025, 20.0, None, "approved"), ("P1", 2026, 20.0, None, "approved")])
    before = jp_compliance(rows, EMPLOYEES, year=2025, search_path=path)
    after = jp_compliance(rows, EMPLOYEES, year=2026, search_path=path)
    assert before.rulebook == "jp 2020.1" and bool(before.persons.loc["P1", "compliant"])
    assert after.rulebook == "jp 2026.1" and not after.persons.loc["P1", "compliant"]
    assert after.persons.loc["P1", "deficit"] == 4.0 and after.floor_jp == 24
