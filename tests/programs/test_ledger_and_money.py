"""The JP ledger, budget lines and spending, internships, programs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mutu.programs.models import BudgetLine, Expenditure, Internship, JpLedgerEntry, Program
from mutu.programs.services import (
    budget_line_create,
    expenditure_record,
    internship_create,
    internship_log_add,
    jp_entry_decide,
    jp_entry_record,
    program_create,
    program_goal_add,
)
from tests.factories import make_activity, make_employee, make_partner, make_program, make_unit

pytestmark = pytest.mark.django_db

DAY = date(2026, 4, 1)


def test_jp_from_minutes_uses_the_rulebook() -> None:
    entry = jp_entry_record(employee=make_employee(), date=DAY, minutes=90, title="Webinar BKN")
    assert entry.jp == Decimal("2.00")
    assert (entry.source, entry.approval_status, entry.year) == ("external", "pending", 2026)


def test_negative_jp_is_refused_by_the_service_and_nothing_is_written() -> None:
    employee = make_employee()
    with pytest.raises(ValidationError) as refused:
        jp_entry_record(employee=employee, date=DAY, jp="-3", title="Kursus")
    assert "JP tidak boleh negatif" in " ".join(refused.value.message_dict["jp"])
    with pytest.raises(ValidationError) as minutes:
        jp_entry_record(employee=employee, date=DAY, minutes=-45, title="Kursus")
    assert "Menit tidak boleh negatif" in " ".join(minutes.value.message_dict["minutes"])
    assert JpLedgerEntry.objects.count() == 0


def test_negative_jp_is_refused_by_full_clean() -> None:
    entry = JpLedgerEntry(
        employee=make_employee(), date=DAY, jp=Decimal("-1"), source="external", title="X"
    )
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert "jp" in refused.value.message_dict


def test_negative_jp_or_minutes_are_refused_by_the_database() -> None:
    employee = make_employee()
    for bad in ({"jp": Decimal("-1")}, {"jp": Decimal(1), "minutes": -5}):
        with pytest.raises(IntegrityError), transaction.atomic():
            JpLedgerEntry.objects.bulk_create(
                [
                    JpLedgerEntry(
                        employee=employee,
                        date=DAY,
                        year=2026,
                        source="external",
                        title="X",
                        **bad,  # type: ignore[arg-type]
                    )
                ]
            )


def test_external_development_needs_a_title_and_no_enrollment() -> None:
    with pytest.raises(ValidationError) as refused:
        jp_entry_record(employee=make_employee(), date=DAY, jp=2)
    assert "title" in refused.value.message_dict
    entry = jp_entry_record(employee=make_employee(), date=DAY, jp=2, title="Seminar")
    with pytest.raises(IntegrityError), transaction.atomic():
        JpLedgerEntry.objects.filter(pk=entry.pk).update(title="")


def test_jp_or_minutes_must_be_given() -> None:
    with pytest.raises(ValidationError) as refused:
        jp_entry_record(employee=make_employee(), date=DAY, title="Seminar")
    assert "jp" in refused.value.message_dict


def test_external_jp_is_approved_or_rejected_by_a_user() -> None:
    user = get_user_model().objects.create_user("operator")
    entry = jp_entry_record(employee=make_employee(), date=DAY, jp=4, title="Seminar")
    decided = jp_entry_decide(entry=entry, approved=True, decided_by=user)
    assert decided.approval_status == "approved"
    assert decided.approved_by == user


def test_budget_amounts_cannot_be_negative() -> None:
    program = make_program()
    with pytest.raises(ValidationError):
        budget_line_create(
            program=program,
            fiscal_year=2026,
            account_code="5.1.02",
            description="Konsumsi",
            planned_amount=-1,
        )
    assert BudgetLine.objects.count() == 0
    line = budget_line_create(
        program=program,
        fiscal_year=2026,
        account_code="5.1.02",
        description="Konsumsi",
        planned_amount="12500000",
    )
    with pytest.raises(ValidationError):
        expenditure_record(budget_line=line, date=DAY, amount=Decimal("-5"))
    spent = expenditure_record(budget_line=line, date=DAY, amount=Decimal("2500000"))
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(pk=line.pk).update(planned_amount=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Expenditure.objects.filter(pk=spent.pk).update(amount=Decimal("-1"))


def test_a_budget_line_activity_belongs_to_its_program() -> None:
    with pytest.raises(ValidationError) as refused:
        budget_line_create(
            program=make_program(),
            activity=make_activity(),
            fiscal_year=2026,
            account_code="5.1",
            description="Honor",
            planned_amount=1,
        )
    assert "activity" in refused.value.message_dict


def test_program_recurrence_and_period() -> None:
    unit = make_unit()
    with pytest.raises(ValidationError):
        make_program(owner_unit=unit, is_recurring=True)
    with pytest.raises(ValidationError):
        make_program(owner_unit=unit, period_start=date(2026, 2, 1), period_end=date(2026, 1, 1))
    program = program_create(
        code="PQ",
        name="Pelatihan manajemen pelayanan publik",
        owner_unit=unit,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        is_recurring=True,
        recurrence="quarterly",
        target_units=[unit],
    )
    goal = program_goal_add(
        program=program,
        dimension="competence",
        statement="Skor post-test naik",
        indicator="Rata-rata skor",
        baseline="60",
        target="75",
    )
    assert goal.target == Decimal(75)
    assert list(program.target_units.all()) == [unit]
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=program.pk).update(recurrence="")


def test_an_internship_has_exactly_one_host() -> None:
    employee, partner, unit = make_employee(), make_partner(), make_unit()
    with pytest.raises(ValidationError):
        internship_create(
            employee=employee,
            start=DAY,
            end=date(2026, 6, 30),
            host_partner=partner,
            host_unit=unit,
            mentor_name="Dr. Ali",
        )
    internship = internship_create(
        employee=employee,
        start=DAY,
        end=date(2026, 6, 30),
        host_partner=partner,
        mentor_name="Dr. Ali",
    )
    internship_log_add(internship=internship, week_start=date(2026, 4, 6), text="Orientasi")
    with pytest.raises(ValidationError):
        internship_log_add(internship=internship, week_start=date(2026, 9, 7), text="Terlambat")
    with pytest.raises(IntegrityError), transaction.atomic():
        Internship.objects.filter(pk=internship.pk).update(host_unit=unit)
