"""NIP parsing (layout: BKN, summarised in shared/reference/asn-rules.md)."""

from __future__ import annotations

from datetime import date

import pytest

from mutu.domain.nip import InvalidNip, Nip, is_valid_nip, normalize_nip, parse_nip


def test_pns_example_from_the_issue() -> None:
    nip = parse_nip("19860926 201505 1 001")
    assert nip.kind == "PNS"
    assert nip.birth_date == date(1986, 9, 26)
    assert (nip.appointment_year, nip.appointment_month) == (2015, 5)
    assert nip.sex == "L"
    assert nip.serial == 1
    assert nip.contract_code is None
    assert nip.digits == "198609262015051001"
    assert nip.formatted == "19860926 201505 1 001"


def test_month_13_is_refused_and_the_message_names_the_month() -> None:
    with pytest.raises(InvalidNip) as info:
        parse_nip("198609262015131001")
    err = info.value
    assert isinstance(err, ValueError)
    assert "Bulan" in err.message("id")
    assert "13" in err.message("id")
    assert "month" in err.message("en")
    assert "month" in str(err)
    assert "Bulan" in str(err)


def test_pppk_number_has_year_only_and_contract_code() -> None:
    nip = parse_nip("199203142022212003")
    assert nip.kind == "PPPK"
    assert nip.appointment_year == 2022
    assert nip.appointment_month is None
    assert nip.contract_code == 21
    assert nip.sex == "P"
    assert nip.serial == 3
    assert nip.earliest_appointment == date(2022, 1, 1)


def test_part_time_pppk_code_24() -> None:
    assert parse_nip("199507012025241001").kind == "PPPK"


def test_extra_pppk_codes_can_be_allowed() -> None:
    assert not is_valid_nip("199507012025221001")
    assert parse_nip("199507012025221001", pppk_codes={21, 22, 24}).contract_code == 22


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "kosong"),
        ("19860926201505100", "18 digit"),
        ("1986092620150510011", "18 digit"),
        ("19860926A015051001", "angka"),
        ("198613262015051001", "Tanggal lahir"),
        ("198602302015051001", "Tanggal lahir"),
        ("198609262015003001", "Bulan"),
        ("198609262004081001", "ulang tahun ke-18"),
        ("198609262015053001", "jenis kelamin"),
        ("198609262015051000", "000"),
        ("189909262015051001", "Tahun lahir"),
    ],
)
def test_each_fault_is_named(text: str, fragment: str) -> None:
    with pytest.raises(InvalidNip) as info:
        parse_nip(text)
    assert fragment in info.value.message("id")
    assert info.value.message("en")
    assert info.value.field == "nip"


def test_the_month_of_the_18th_birthday_is_allowed() -> None:
    nip = parse_nip("198609262004091001")
    assert nip.appointment_month == 9


def test_pppk_appointed_in_the_year_of_the_18th_birthday_is_allowed_but_not_before() -> None:
    assert parse_nip("200001012018212001").kind == "PPPK"
    with pytest.raises(InvalidNip):
        parse_nip("200001012017212001")


def test_leap_day_birthday_reaches_18_on_28_february() -> None:
    assert parse_nip("200002292018021001").birth_date == date(2000, 2, 29)


def test_separators_are_accepted() -> None:
    assert normalize_nip(" 19860926.201505-1 001 ") == "198609262015051001"
    assert isinstance(parse_nip("19860926-201505-1-001"), Nip)
