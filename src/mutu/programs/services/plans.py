"""Partners, programs and goals, budget lines and spending, internships, incentives."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from mutu.people.models import Competency, Employee, Unit
from mutu.programs.models import (
    Activity,
    BudgetLine,
    Expenditure,
    IncentiveOffer,
    IncentiveScheme,
    Internship,
    InternshipLogEntry,
    Partner,
    Program,
    ProgramGoal,
)
from mutu.programs.services._common import NumberInput, as_decimal, as_optional_decimal


@transaction.atomic
def partner_create(*, name: str, kind: str, contact: str = "") -> Partner:
    """Register a partner (university, NGO, BPSDM, LAN, …)."""
    partner = Partner(name=name, kind=kind, contact=contact)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def program_create(
    *,
    code: str,
    name: str,
    owner_unit: Unit,
    period_start: date,
    period_end: date,
    description: str = "",
    is_recurring: bool = False,
    recurrence: str = "",
    target_competencies: Iterable[Competency] = (),
    target_units: Iterable[Unit] = (),
) -> Program:
    """Create a program with its target competencies and units."""
    program = Program(
        code=code,
        name=name,
        owner_unit=owner_unit,
        period_start=period_start,
        period_end=period_end,
        description=description,
        is_recurring=is_recurring,
        recurrence=recurrence,
    )
    program.full_clean()
    program.save()
    program.target_competencies.set(list(target_competencies))
    program.target_units.set(list(target_units))
    return program


@transaction.atomic
def program_goal_add(
    *,
    program: Program,
    dimension: str,
    statement: str,
    indicator: str,
    baseline: NumberInput | None = None,
    target: NumberInput | None = None,
    unit_of_measure: str = "",
) -> ProgramGoal:
    """Add a measurable goal to a program."""
    goal = ProgramGoal(
        program=program,
        dimension=dimension,
        statement=statement,
        indicator=indicator,
        baseline=as_optional_decimal(baseline, "baseline"),
        target=as_optional_decimal(target, "target"),
        unit_of_measure=unit_of_measure,
    )
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def budget_line_create(
    *,
    program: Program,
    fiscal_year: int,
    account_code: str,
    description: str,
    planned_amount: NumberInput,
    activity: Activity | None = None,
) -> BudgetLine:
    """Plan a cost of a program (or of one of its activities), in rupiah, not below zero."""
    line = BudgetLine(
        program=program,
        activity=activity,
        fiscal_year=fiscal_year,
        account_code=account_code,
        description=description,
        planned_amount=as_decimal(planned_amount, "planned_amount"),
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def expenditure_record(
    *,
    budget_line: BudgetLine,
    date: date,
    amount: NumberInput,
    description: str = "",
    document_number: str = "",
) -> Expenditure:
    """Record money spent against a budget line (not below zero)."""
    spent = Expenditure(
        budget_line=budget_line,
        date=date,
        amount=as_decimal(amount, "amount"),
        description=description,
        document_number=document_number,
    )
    spent.full_clean()
    spent.save()
    return spent


@transaction.atomic
def internship_create(
    *,
    employee: Employee,
    start: date,
    end: date,
    host_partner: Partner | None = None,
    host_unit: Unit | None = None,
    mentor_name: str = "",
    mentor_employee: Employee | None = None,
    objectives: str = "",
    activity: Activity | None = None,
) -> Internship:
    """Place an employee in an internship at one host (a partner or a unit)."""
    internship = Internship(
        employee=employee,
        start=start,
        end=end,
        host_partner=host_partner,
        host_unit=host_unit,
        mentor_name=mentor_name or (mentor_employee.name if mentor_employee else ""),
        mentor_employee=mentor_employee,
        objectives=objectives,
        activity=activity,
    )
    internship.full_clean()
    internship.save()
    return internship


@transaction.atomic
def internship_log_add(
    *, internship: Internship, week_start: date, text: str, mentor_comment: str = ""
) -> InternshipLogEntry:
    """Write a week into an internship's logbook."""
    entry = InternshipLogEntry(
        internship=internship, week_start=week_start, text=text, mentor_comment=mentor_comment
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def incentive_offer_record(
    *,
    scheme: IncentiveScheme,
    employee: Employee,
    offered_on: date,
    activity: Activity | None = None,
    accepted: bool | None = None,
) -> IncentiveOffer:
    """Record that an incentive was offered to an employee (and the answer, if known)."""
    offer = IncentiveOffer(
        scheme=scheme,
        employee=employee,
        offered_on=offered_on,
        activity=activity,
        accepted=accepted,
    )
    offer.full_clean()
    offer.save()
    return offer
