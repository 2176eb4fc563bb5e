"""What a signed-in user may see and change: their roles turned into sets of ids.

Every list, detail, chart and export filters through a :class:`Scope`. A unit
role covers the unit and all its sub-units (DHIS2's organisation-unit
scoping); administrators and analysts cover everything; a trainer covers the
activities assigned; a participant covers their own record; a supervisor also
their direct staff's follow-ups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from mutu.accounts.models import Role, RoleAssignment
from mutu.people.models import Employee, Unit

__all__ = ["Scope", "scope_for", "unit_subtree"]


def unit_subtree(roots: Iterable[int]) -> frozenset[int]:
    """The units and all their descendants (one query for the whole tree)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Unit.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        pk = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        stack.extend(children.get(pk, ()))
    return frozenset(seen)


@dataclass(frozen=True)
class Scope:
    """The reach of one user's roles."""

    roles: frozenset[str] = frozenset()
    all_units: bool = False
    read_units: frozenset[int] = frozenset()
    write_units: frozenset[int] = frozenset()
    activities: frozenset[int] = frozenset()
    employee_id: int | None = None
    staff_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def can_export_personal_data(self) -> bool:
        """Analysts read everything but export no personal data."""
        return self.is_admin or Role.UNIT_OPERATOR in self.roles

    @property
    def sees_regency(self) -> bool:
        return self.all_units

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def can_read_unit(self, unit_id: int | None) -> bool:
        return self.all_units or (unit_id is not None and unit_id in self.read_units)

    def can_write_unit(self, unit_id: int | None) -> bool:
        return self.is_admin or (unit_id is not None and unit_id in self.write_units)

    def can_read_employee(self, employee: Employee) -> bool:
        return (
            self.can_read_unit(employee.unit_id)
            or employee.pk == self.employee_id
            or employee.pk in self.staff_ids
        )

    def employees(self, qs: QuerySet[Employee] | None = None) -> QuerySet[Employee]:
        """The employees this scope may read."""
        qs = Employee.objects.all() if qs is None else qs
        if self.all_units:
            return qs
        cond = Q(unit_id__in=self.read_units) | Q(pk__in=self.staff_ids)
        if self.employee_id is not None:
            cond |= Q(pk=self.employee_id)
        return qs.filter(cond)

    def units(self, qs: QuerySet[Unit] | None = None) -> QuerySet[Unit]:
        """The units this scope may read."""
        qs = Unit.objects.all() if qs is None else qs
        return qs if self.all_units else qs.filter(pk__in=self.read_units)


EMPTY = Scope()


def scope_for(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """The scope of a user: empty for anonymous or inactive users, everything for superusers."""
    if not user.is_authenticated or not user.is_active:
        return EMPTY
    rows = list(
        RoleAssignment.objects.filter(user_id=user.pk).values_list(
            "role", "unit_id", "activity_id", "employee_id"
        )
    )
    roles = {r for r, *_ in rows}
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    all_units = bool(roles & {Role.ADMIN, Role.ANALYST})
    unit_roots = {u for r, u, _a, _e in rows if r in (Role.UNIT_OPERATOR, Role.UNIT_HEAD) and u}
    write_roots = {u for r, u, _a, _e in rows if r == Role.UNIT_OPERATOR and u}
    read_units = unit_subtree(unit_roots) if unit_roots else frozenset()
    write_units = unit_subtree(write_roots) if write_roots else frozenset()
    person = next(
        (e for r, _u, _a, e in rows if r in (Role.PARTICIPANT, Role.SUPERVISOR) and e), None
    )
    staff: frozenset[int] = frozenset()
    if Role.SUPERVISOR in roles and person is not None:
        staff = frozenset(
            Employee.objects.filter(supervisor_id=person).values_list("pk", flat=True)
        )
    return Scope(
        roles=frozenset(str(r) for r in roles),
        all_units=all_units,
        read_units=read_units,
        write_units=write_units,
        activities=frozenset(a for r, _u, a, _e in rows if r == Role.TRAINER and a),
        employee_id=person,
        staff_ids=staff,
    )
