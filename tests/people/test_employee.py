"""Employees: the NIP, golongan and appointment-date rules at model, service and database."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from mutu.people.models import Employee
from mutu.people.services import employee_create, employee_update
from tests.factories import make_employee, make_golongan, make_unit, pns_nip, pppk_nip

pytestmark = pytest.mark.django_db


def _messages(err: ValidationError, field: str) -> str:
    return " ".join(err.message_dict[field])


def _build(**overrides: object) -> Employee:
    fields: dict[str, object] = {
        "nip": pns_nip(),
        "name": "Siti",
        "status": "PNS",
        "unit": make_unit(),
        "golongan": make_golongan("III/a"),
    }
    fields.update(overrides)
    return Employee(**fields)  # type: ignore[misc]


# -- valid employees --------------------------------------------------------------


def test_service_derives_birth_date_sex_and_status_from_the_nip() -> None:
    make_golongan("III/a")
    employee = employee_create(
        nip="19860926 201505 2 001", name="Rahmah", unit=make_unit(), golongan="3a"
    )

    employee.refresh_from_db()
    assert employee.nip == "198609262015052001"
    assert (employee.status, employee.birth_date, employee.sex) == ("PNS", date(1986, 9, 26), "P")
    assert employee.golongan is not None
    assert employee.golongan.code == "III/a"


def test_a_pppk_takes_a_pppk_golongan_and_an_employment_type() -> None:
    employee = make_employee(kind="PPPK", employment_type="part_time")

    assert employee.status == "PPPK"
    assert employee.golongan is not None
    assert employee.golongan.kind == "PPPK"


# -- malformed NIP ----------------------------------------------------------------


def test_full_clean_refuses_a_malformed_nip_in_the_active_language() -> None:
    employee = _build(nip="19860926201505100")  # 17 digits

    with pytest.raises(ValidationError) as refused:
        employee.full_clean()
    assert "NIP harus 18 digit" in _messages(refused.value, "nip")

    with translation.override("en"), pytest.raises(ValidationError) as refused_en:
        employee.full_clean()
    assert "A NIP has 18 digits" in _messages(refused_en.value, "nip")


def test_full_clean_refuses_a_nip_with_an_impossible_month() -> None:
    with pytest.raises(ValidationError) as refused:
        _build(nip="198609262015131001").full_clean()
    assert "Bulan TMT CPNS" in _messages(refused.value, "nip")


def test_service_refuses_a_malformed_nip_and_writes_nothing() -> None:
    unit = make_unit()
    with pytest.raises(ValidationError) as refused:
        employee_create(nip="1986092620150510X1", name="X", unit=unit, golongan="III/a")
    assert "nip" in refused.value.message_dict
    assert Employee.objects.count() == 0


def test_database_refuses_a_nip_that_is_not_18_digits() -> None:
    good = make_employee()
    for bad in ("19860926201505100", "1986092620150510X1"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Employee.objects.filter(pk=good.pk).update(nip=bad)


def test_database_refuses_a_status_or_sex_that_contradicts_the_nip() -> None:
    good = make_employee(nip=pns_nip(sex=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Employee.objects.filter(pk=good.pk).update(status="PPPK", employment_type="full_time")
    with pytest.raises(IntegrityError), transaction.atomic():
        Employee.objects.filter(pk=good.pk).update(sex="P")


def test_bulk_create_cannot_skip_the_nip_check() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Employee.objects.bulk_create(
            [
                Employee(
                    nip="12345",
                    name="X",
                    status="PNS",
                    sex="L",
                    birth_date=date(1990, 1, 1),
                    unit=make_unit(),
                )
            ]
        )


# -- status, birth date, sex --------------------------------------------------------


def test_status_must_match_the_nip() -> None:
    with pytest.raises(ValidationError) as refused:
        _build(nip=pppk_nip(), status="PNS").full_clean()
    assert "PPPK" in _messages(refused.value, "status")


def test_a_birth_date_or_sex_that_contradicts_the_nip_is_refused() -> None:
    employee = _build(
        nip=pns_nip(birth=date(1990, 1, 15), sex=1), birth_date=date(1990, 1, 16), sex="P"
    )
    with pytest.raises(ValidationError) as refused:
        employee.full_clean()
    assert set(refused.value.message_dict) >= {"birth_date", "sex"}


def test_a_pppk_needs_an_employment_type_and_a_pns_has_none() -> None:
    with pytest.raises(ValidationError) as pppk:
        _build(nip=pppk_nip(), status="PPPK", golongan=make_golongan("IX", "PPPK")).full_clean()
    assert "employment_type" in pppk.value.message_dict
    with pytest.raises(ValidationError) as pns:
        _build(employment_type="full_time").full_clean()
    assert "employment_type" in pns.value.message_dict


# -- golongan -------------------------------------------------------------------


def test_service_refuses_a_golongan_missing_from_the_reference_table() -> None:
    with pytest.raises(ValidationError) as refused:
        employee_create(nip=pns_nip(), name="X", unit=make_unit(), golongan="IV/e")
    assert "IV/e" in _messages(refused.value, "golongan")
    assert Employee.objects.count() == 0


def test_service_refuses_an_unknown_golongan_and_writes_nothing() -> None:
    unit = make_unit()
    with pytest.raises(ValidationError) as refused:
        employee_create(nip=pns_nip(), name="X", unit=unit, golongan="III/x")
    assert "tidak dikenal" in _messages(refused.value, "golongan")
    assert Employee.objects.count() == 0


def test_full_clean_refuses_a_golongan_of_the_other_kind() -> None:
    with pytest.raises(ValidationError) as refused:
        _build(golongan=make_golongan("IX", "PPPK")).full_clean()
    assert "Golongan PNS" in _messages(refused.value, "golongan")


def test_service_reads_a_pppk_golongan_for_a_pppk_only() -> None:
    unit = make_unit()
    make_golongan("IX", "PPPK")
    with pytest.raises(ValidationError):
        employee_create(nip=pns_nip(), name="X", unit=unit, golongan="IX")
    employee = employee_create(
        nip=pppk_nip(), name="Y", unit=unit, golongan="9", employment_type="full_time"
    )
    assert employee.golongan is not None
    assert employee.golongan.code == "IX"


def test_database_refuses_a_golongan_that_does_not_exist() -> None:
    employee = make_employee()

    def point_at_a_missing_golongan() -> None:
        Employee.objects.filter(pk=employee.pk).update(golongan_id=987654)
        connection.check_constraints()  # foreign keys are checked at commit time

    with pytest.raises(IntegrityError), transaction.atomic():
        point_at_a_missing_golongan()


# -- appointment date -----------------------------------------------------------


def test_a_nip_that_appoints_before_the_18th_birthday_is_refused() -> None:
    # Born 2000-05-20, appointed 2017-06: not yet 18.
    nip = pns_nip(birth=date(2000, 5, 20), appointed=(2017, 6))
    with pytest.raises(ValidationError) as refused:
        _build(nip=nip).full_clean()
    assert "ulang tahun ke-18" in _messages(refused.value, "nip")


def test_an_appointment_date_before_the_18th_birthday_is_refused() -> None:
    # The NIP's month (2008-05) is the month of the 18th birthday; the day is earlier.
    nip = pns_nip(birth=date(1990, 5, 20), appointed=(2008, 5))
    employee = _build(nip=nip, tmt_cpns=date(2008, 5, 1))

    with pytest.raises(ValidationError) as refused:
        employee.full_clean()
    assert "2008-05-20" in _messages(refused.value, "tmt_cpns")

    with pytest.raises(ValidationError):
        employee_create(nip=nip, name="X", unit=make_unit(), tmt_cpns=date(2008, 5, 1))
    assert Employee.objects.count() == 0


def test_the_appointment_date_must_agree_with_the_nip() -> None:
    nip = pns_nip(appointed=(2015, 3))
    with pytest.raises(ValidationError) as refused:
        _build(nip=nip, tmt_cpns=date(2015, 4, 1)).full_clean()
    assert "2015-03" in _messages(refused.value, "tmt_cpns")
    _build(nip=nip, tmt_cpns=date(2015, 3, 1)).full_clean()


# -- updates --------------------------------------------------------------------


def test_update_with_a_new_nip_rederives_birth_date_and_sex() -> None:
    employee = make_employee(nip=pns_nip(birth=date(1990, 1, 15), sex=1))
    new_nip = pns_nip(birth=date(1991, 2, 3), sex=2)

    updated = employee_update(employee=employee, nip=new_nip, name="Baru")

    assert (updated.birth_date, updated.sex, updated.name) == (date(1991, 2, 3), "P", "Baru")


def test_a_refused_update_changes_nothing() -> None:
    employee = make_employee(name="Lama")

    with pytest.raises(ValidationError):
        employee_update(employee=employee, name="Baru", nip="123")

    employee.refresh_from_db()
    assert employee.name == "Lama"


def test_update_refuses_unknown_fields() -> None:
    with pytest.raises(TypeError):
        employee_update(employee=make_employee(), salary=1)


def test_an_employee_cannot_supervise_themselves() -> None:
    boss = make_employee()
    worker = make_employee(supervisor=boss)
    boss.supervisor = worker
    with pytest.raises(ValidationError) as refused:
        boss.full_clean()
    assert "supervisor" in refused.value.message_dict
