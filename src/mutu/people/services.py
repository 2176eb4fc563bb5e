"""Writes for people: units, positions, employees and their records.

Every function takes keyword arguments only, validates with ``full_clean()``
before it saves and runs in one transaction: a refused input writes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mutu.domain.golongan import UnknownGolongan, parse_golongan
from mutu.domain.nip import InvalidNip, normalize_nip, parse_nip
from mutu.people.models import (
    Competency,
    CompetencyAssessment,
    CompetencyStandard,
    DisciplineRecord,
    Employee,
    PerformanceRecord,
    Position,
    PositionHistory,
    Unit,
)
from mutu.reference.models import Golongan, Kecamatan, asn_kind
from mutu.reference.validation import domain_validation_error

#: Fields :func:`employee_update` may change.
EMPLOYEE_FIELDS = frozenset(
    {
        "nip",
        "name",
        "status",
        "employment_type",
        "birth_date",
        "sex",
        "golongan",
        "education_level",
        "unit",
        "position",
        "supervisor",
        "tmt_cpns",
        "is_active",
    }
)


def _resolve_golongan(golongan: Golongan | str | None, *, status: str) -> Golongan | None:
    """A golongan given as text ("III/a", "3a", "IX") → the row of the reference table."""
    if golongan is None or isinstance(golongan, Golongan):
        return golongan
    kind = asn_kind(status)
    if kind is None:
        raise ValidationError({"status": _("Choose the status (PNS or PPPK) first.")})
    try:
        parsed = parse_golongan(golongan, kind=kind)
    except UnknownGolongan as err:
        raise domain_validation_error(err, "golongan") from err
    row = Golongan.objects.filter(kind=parsed.kind, code=parsed.code).first()
    if row is None:
        raise ValidationError(
            {
                "golongan": ValidationError(
                    _("Golongan %(code)s is not in the reference table; load reference data."),
                    params={"code": parsed.code},
                )
            }
        )
    return row


def _status_for(nip: str, status: str | None) -> str:
    """The status to use: the one given, else the kind the NIP says."""
    if status:
        return status
    try:
        return parse_nip(nip).kind
    except InvalidNip as err:
        raise domain_validation_error(err, "nip") from err


@transaction.atomic
def employee_create(
    *,
    nip: str,
    name: str,
    unit: Unit,
    status: str | None = None,
    employment_type: str = "",
    golongan: Golongan | str | None = None,
    education_level: str = "",
    position: Position | None = None,
    supervisor: Employee | None = None,
    tmt_cpns: date | None = None,
    birth_date: date | None = None,
    sex: str = "",
    is_active: bool = True,
) -> Employee:
    """Register an employee.

    ``status``, ``birth_date`` and ``sex`` are taken from the NIP when not
    given, and refused when given and contradicting it.  ``golongan`` may be a
    :class:`~mutu.reference.models.Golongan` or text as people type it
    ("III/a", "3a"; "IX" for PPPK).

    Raises
    ------
    ValidationError
        Keyed by field, with the message in the active language: malformed
        NIP, unknown golongan or one of the other kind, appointment before
        the 18th birthday, …
    """
    nip = normalize_nip(nip)
    status = _status_for(nip, status)
    employee = Employee(
        nip=nip,
        name=name,
        status=status,
        employment_type=employment_type,
        golongan=_resolve_golongan(golongan, status=status),
        education_level=education_level,
        unit=unit,
        position=position,
        supervisor=supervisor,
        tmt_cpns=tmt_cpns,
        sex=sex,
        is_active=is_active,
    )
    if birth_date is not None:
        employee.birth_date = birth_date
    employee.full_clean()
    employee.save()
    return employee


@transaction.atomic
def employee_update(*, employee: Employee, **changes: Any) -> Employee:
    """Change some fields of an employee (see :data:`EMPLOYEE_FIELDS`).

    A new NIP re-derives birth date, sex and status unless they are given too.
    The ``employee`` passed in is left as it was when the change is refused;
    the saved object is returned.
    """
    unknown = set(changes) - EMPLOYEE_FIELDS
    if unknown:
        raise TypeError(f"employee_update() cannot change: {', '.join(sorted(unknown))}")
    fresh = Employee.objects.select_for_update().get(pk=employee.pk)
    if "nip" in changes:
        changes["nip"] = normalize_nip(changes["nip"])
        if changes["nip"] != fresh.nip:
            for derived in ("birth_date", "sex"):
                changes.setdefault(derived, None if derived == "birth_date" else "")
            changes.setdefault("status", _status_for(changes["nip"], None))
    status = changes.get("status", fresh.status)
    if "golongan" in changes:
        changes["golongan"] = _resolve_golongan(changes["golongan"], status=status)
    for field, value in changes.items():
        setattr(fresh, field, value)
    fresh.full_clean()
    fresh.save()
    return fresh


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    kecamatan: Kecamatan | None = None,
    is_active: bool = True,
) -> Unit:
    """Add a unit to the organisation tree."""
    unit = Unit(
        code=code, name=name, kind=kind, parent=parent, kecamatan=kecamatan, is_active=is_active
    )
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def position_create(*, code: str, name: str, kind: str, unit: Unit, level: str = "") -> Position:
    """Add a position (jabatan) to a unit."""
    position = Position(code=code, name=name, kind=kind, level=level, unit=unit)
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def competency_standard_set(
    *, position: Position, competency: Competency, required_level: int
) -> CompetencyStandard:
    """Set the level of a competency a position requires (creating or changing it)."""
    standard = CompetencyStandard.objects.filter(position=position, competency=competency).first()
    if standard is None:
        standard = CompetencyStandard(position=position, competency=competency)
    standard.required_level = required_level
    standard.full_clean()
    standard.save()
    return standard


@transaction.atomic
def position_history_record(
    *, employee: Employee, position: Position, unit: Unit, start: date, end: date | None = None
) -> PositionHistory:
    """Record a period in which an employee held a position."""
    entry = PositionHistory(employee=employee, position=position, unit=unit, start=start, end=end)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def competency_assessment_record(
    *,
    employee: Employee,
    competency: Competency,
    level: int,
    assessed_on: date,
    method: str,
    assessor: str = "",
) -> CompetencyAssessment:
    """Record a measured competency level."""
    assessment = CompetencyAssessment(
        employee=employee,
        competency=competency,
        level=level,
        assessed_on=assessed_on,
        method=method,
        assessor=assessor,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def performance_record_set(
    *, employee: Employee, year: int, predikat: str, score: Decimal | None = None
) -> PerformanceRecord:
    """Set an employee's SKP predikat (and optional score) for a year."""
    record = PerformanceRecord.objects.filter(employee=employee, year=year).first()
    if record is None:
        record = PerformanceRecord(employee=employee, year=year)
    record.predikat = predikat
    record.score = score
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def discipline_record_create(
    *,
    employee: Employee,
    level: str,
    sanction: str,
    decided_on: date,
    start: date,
    end: date | None = None,
    decree_number: str = "",
) -> DisciplineRecord:
    """Record a disciplinary sanction."""
    record = DisciplineRecord(
        employee=employee,
        level=level,
        sanction=sanction,
        decided_on=decided_on,
        start=start,
        end=end,
        decree_number=decree_number,
    )
    record.full_clean()
    record.save()
    return record
