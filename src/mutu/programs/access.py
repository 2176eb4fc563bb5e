"""Who may see and do what with activities, enrollments, certificates and JP from elsewhere.

Every rule takes the signed-in user's :class:`~mutu.accounts.scope.Scope`:

- administrators see and do everything; analysts read every activity;
- a unit operator or unit head sees the activities with participants from
  their units, those a program of their units organises, and the activities
  still planned or open (so an operator can nominate into them); within an
  activity they see only their units' participants unless their unit
  organises it;
- a trainer sees and takes attendance in the activities assigned to them;
- a participant sees their own activities, attendance and certificates.

Views answer 404 for anything outside these sets, so nobody learns that a
record they may not see exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from mutu.accounts.models import Role
from mutu.people.models import Employee
from mutu.programs.models import (
    Activity,
    ActivityStatus,
    Certificate,
    Enrollment,
    JpLedgerEntry,
    JpSource,
)

if TYPE_CHECKING:
    from mutu.accounts.scope import Scope

__all__ = [
    "activities_in_scope",
    "external_entries_in_scope",
    "is_trainer_of",
    "may_complete",
    "may_decide_external",
    "may_nominate",
    "may_read_certificate",
    "may_read_evidence",
    "may_record_external_for",
    "may_register",
    "may_take_attendance",
    "nominable_employees",
    "organises",
    "visible_enrollments",
]

#: Activities a unit's staff may see before anyone of theirs takes part.
UPCOMING = (ActivityStatus.PLANNED, ActivityStatus.OPEN)


def activities_in_scope(scope: Scope, qs: QuerySet[Activity] | None = None) -> QuerySet[Activity]:
    """The activities ``scope`` may open."""
    qs = Activity.objects.all() if qs is None else qs
    if scope.all_units:
        return qs
    cond = Q(pk__in=scope.activities)
    if scope.read_units:
        units = list(scope.read_units)
        with_people = Enrollment.objects.filter(employee__unit_id__in=units).values("activity_id")
        cond |= Q(pk__in=with_people) | Q(program__owner_unit_id__in=units)
        cond |= Q(status__in=UPCOMING)
    if scope.employee_id is not None:
        own = Enrollment.objects.filter(employee_id=scope.employee_id).values("activity_id")
        cond |= Q(pk__in=own)
    return qs.filter(cond)


def is_trainer_of(scope: Scope, activity: Activity) -> bool:
    return activity.pk in scope.activities


def organises(scope: Scope, activity: Activity) -> bool:
    """The activity belongs to a program owned by one of the scope's units."""
    return scope.all_units or activity.program.owner_unit_id in scope.read_units


def visible_enrollments(scope: Scope, activity: Activity) -> QuerySet[Enrollment]:
    """The participants of ``activity`` that ``scope`` may see (by name)."""
    qs = Enrollment.objects.filter(activity=activity)
    if scope.all_units or is_trainer_of(scope, activity) or organises(scope, activity):
        return qs
    cond = Q(employee__unit_id__in=list(scope.read_units))
    if scope.employee_id is not None:
        cond |= Q(employee_id=scope.employee_id)
    return qs.filter(cond)


def may_take_attendance(scope: Scope, activity: Activity) -> bool:
    """Administrators, the activity's trainers, unit operators (for the participants they see)."""
    if activity.status == ActivityStatus.CANCELLED:
        return False
    return (
        scope.is_admin
        or is_trainer_of(scope, activity)
        or (scope.has(Role.UNIT_OPERATOR) and bool(scope.write_units))
    )


def may_nominate(scope: Scope, activity: Activity) -> bool:
    """Administrators and unit operators, while the activity takes participants."""
    if activity.status in (ActivityStatus.DONE, ActivityStatus.CANCELLED):
        return False
    return scope.is_admin or (scope.has(Role.UNIT_OPERATOR) and bool(scope.write_units))


def may_complete(scope: Scope, activity: Activity) -> bool:
    """Administrators, and the operators of the unit whose program organises the activity."""
    if activity.status == ActivityStatus.CANCELLED:
        return False
    return scope.is_admin or activity.program.owner_unit_id in scope.write_units


def nominable_employees(scope: Scope) -> QuerySet[Employee]:
    """Active employees ``scope`` may nominate: everyone for an admin, an operator's units."""
    qs = Employee.objects.filter(is_active=True)
    if scope.is_admin:
        return qs
    if scope.has(Role.UNIT_OPERATOR):
        return qs.filter(unit_id__in=list(scope.write_units))
    return qs.none()


def may_register(scope: Scope, enrollment: Enrollment) -> bool:
    """Who may confirm a registration: the nominee, an administrator, the unit's operators."""
    return (
        enrollment.employee_id == scope.employee_id
        or scope.is_admin
        or enrollment.employee.unit_id in scope.write_units
    )


def may_read_certificate(scope: Scope, certificate: Certificate) -> bool:
    """The holder; staff who may export personal data about them; the activity's trainer."""
    enrollment = certificate.enrollment
    if enrollment.employee_id == scope.employee_id:
        return True
    if enrollment.activity_id in scope.activities:
        return True
    return scope.can_export_personal_data and (
        scope.is_admin or enrollment.employee.unit_id in scope.read_units
    )


def external_entries_in_scope(scope: Scope) -> QuerySet[JpLedgerEntry]:
    """JP recorded from elsewhere that ``scope`` may list."""
    qs = JpLedgerEntry.objects.filter(source=JpSource.EXTERNAL)
    if scope.all_units:
        return qs
    cond = Q(employee__unit_id__in=list(scope.read_units))
    if scope.employee_id is not None:
        cond |= Q(employee_id=scope.employee_id)
    return qs.filter(cond)


def may_record_external_for(scope: Scope, employee: Employee) -> bool:
    """A participant for themselves; an operator for their units; an administrator for anyone."""
    return (
        employee.pk == scope.employee_id or scope.is_admin or employee.unit_id in scope.write_units
    )


def may_read_evidence(scope: Scope, entry: JpLedgerEntry) -> bool:
    """The evidence is personal: its owner, the administrators, the operators of the unit."""
    return (
        entry.employee_id == scope.employee_id
        or scope.is_admin
        or entry.employee.unit_id in scope.write_units
    )


def may_decide_external(scope: Scope) -> bool:
    """Only the BKPSDM administrators approve or reject JP from elsewhere."""
    return scope.is_admin
