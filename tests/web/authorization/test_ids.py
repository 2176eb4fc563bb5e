"""Object ids cannot be enumerated to reach another unit's or person's data (issue 12).

On the small loaded world of the authorisation walk (its ``walk_world``
fixture and demo accounts, :mod:`tests.web.authorization.test_walk`), each of
the demo unit head, unit operator, participant and supervisor requests
*every* id from 1 to the largest id + 5 of each integer-id detail URL below
(and every unit code, plus made-up ones, for the unit URL), and the test
asserts a 200 exactly for the objects inside that user's reach and a 404 or
403 for all others, never a server error.

The reach is computed here, independently of the views' own queries, from the
user's :class:`~mutu.accounts.scope.Scope` (its unit subtree, its own employee
record, its direct staff, its trainer activities) and the documented rules
(``mutu.programs.access``, ``mutu.internships.selectors``):

- an employee: in the scope's units, or the person themselves, or (for a
  supervisor) one of their direct staff;
- an activity: with participants from the scope's units, organised by a
  program of the scope's units, still planned or open (unit roles), assigned
  to them as trainer, or one they are enrolled in;
- an internship: of an employee in the scope's units, their own, or one they
  mentor (as a user or as an employee);
- a unit: in the scope's units;
- an evaluation report file, a planning scenario, a partner: administrators
  and analysts only (none of these four roles).

URL kinds are a sample (the API's employee, activity and unit details, the
activity and internship pages, the report download, the scenario and partner
pages), but every id of each: 1,972 requests per role, 7,888 in all. Measured
on SQLite, 2 shared cores at a load average of 6-7: 72 s of requests (most
of it the employee details in reach, serialised) after 54 s loading the
world. ``pytest -s`` prints the counts and times per role and URL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.test import Client

from mutu.accounts.scope import Scope, scope_for
from tests.web.authorization.test_walk import ROLES

#: The four roles whose reach is narrower than the regency.
ENUMERATED_ROLES = ("unit_head", "unit_operator", "participant", "supervisor")
#: Extra ids past the largest, which exist for nobody.
PAST_THE_END = 5


@dataclass(frozen=True)
class Target:
    """An integer-id URL and the set of ids the user may open."""

    name: str
    template: str  # with one ``{}`` for the id
    model: str  # app_label.Model: whose ids are enumerated
    reach: Callable[[Scope, Any], set[int]]


def _employees(scope: Scope, user: Any) -> set[int]:
    from mutu.people.models import Employee

    ids = set(Employee.objects.filter(unit_id__in=scope.read_units).values_list("pk", flat=True))
    if scope.employee_id is not None:
        ids.add(scope.employee_id)
    return ids | set(scope.staff_ids)


def _activities(scope: Scope, user: Any) -> set[int]:
    from mutu.programs.models import Activity, Enrollment

    ids = set(scope.activities)
    if scope.read_units:
        enrolled = Enrollment.objects.filter(employee__unit_id__in=scope.read_units)
        ids |= set(enrolled.values_list("activity_id", flat=True))
        owned = Activity.objects.filter(program__owner_unit_id__in=scope.read_units)
        ids |= set(owned.values_list("pk", flat=True))
        upcoming = Activity.objects.filter(status__in=("planned", "open"))
        ids |= set(upcoming.values_list("pk", flat=True))
    if scope.employee_id is not None:
        own = Enrollment.objects.filter(employee_id=scope.employee_id)
        ids |= set(own.values_list("activity_id", flat=True))
    return ids


def _internships(scope: Scope, user: Any) -> set[int]:
    from mutu.programs.models import Internship

    rows = Internship.objects.values_list("pk", "employee__unit_id", "employee_id")
    mentored = set(Internship.objects.filter(mentor_user_id=user.pk).values_list("pk", flat=True))
    if scope.employee_id is not None:
        mentored |= set(
            Internship.objects.filter(mentor_employee_id=scope.employee_id).values_list(
                "pk", flat=True
            )
        )
    return {
        pk
        for pk, unit, employee in rows
        if unit in scope.read_units or (employee is not None and employee == scope.employee_id)
    } | mentored


def _nobody(scope: Scope, user: Any) -> set[int]:
    return set()


TARGETS = (
    Target("api:employee", "/api/employees/{}/", "people.Employee", _employees),
    Target("api:activity", "/api/activities/{}/", "programs.Activity", _activities),
    Target("programs:activity", "/kegiatan/{}/", "programs.Activity", _activities),
    Target("internships:detail", "/magang/{}/", "programs.Internship", _internships),
    Target(
        "reports:download",
        "/laporan/unduh/{}/laporan-evaluasi.html",
        "evaluations.EvaluationRun",
        _nobody,
    ),
    Target("scenarios:detail", "/rencana/{}/", "scenarios.PlanScenario", _nobody),
    Target("internships:partner", "/magang/mitra/{}/", "programs.Partner", _nobody),
)


def largest_id(label: str) -> int:
    from django.apps import apps

    return int(apps.get_model(label).objects.aggregate(top=Max("pk"))["top"] or 0)


def test_the_targets_are_routed_as_named() -> None:
    """Each sample URL resolves to the URL name it claims (so a renamed route fails here)."""
    from django.urls import resolve

    for target in TARGETS:
        assert resolve(target.template.format(1)).view_name == target.name


@pytest.mark.django_db
@pytest.mark.parametrize("role", ENUMERATED_ROLES)
def test_every_id_answers_200_inside_the_reach_and_404_outside(role: str, walk_world: Path) -> None:
    from mutu.people.models import Unit

    user = get_user_model().objects.get(username=ROLES[role])
    scope = scope_for(user)
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="id")
    client.force_login(user)
    problems: list[str] = []
    requested = opened = 0
    started = time.perf_counter()
    timings: list[str] = []
    for target in TARGETS:
        begun = time.perf_counter()
        reach = target.reach(scope, user)
        top = largest_id(target.model)
        assert top > 0 or target.reach is _nobody, f"the small world has no {target.model}"
        for pk in range(1, top + PAST_THE_END + 1):
            status = client.get(target.template.format(pk)).status_code
            requested += 1
            expected_open = pk in reach
            opened += expected_open
            if status >= 500:
                problems.append(f"{target.name} {pk}: {status} server error")
            elif expected_open and status != 200:
                problems.append(f"{target.name} {pk}: in reach but {status}")
            elif not expected_open and status not in (403, 404):
                problems.append(f"{target.name} {pk}: outside the reach but {status}")
        timings.append(
            f"{target.name} {top + PAST_THE_END} ids {time.perf_counter() - begun:.1f} s"
        )
    # units are named by code, not id: every code, plus codes nobody has
    codes = list(Unit.objects.values_list("pk", "code"))
    for pk, code in [*codes, *((0, f"ZZ-TIDAK-ADA-{n}") for n in range(PAST_THE_END))]:
        status = client.get(f"/api/units/{code}/").status_code
        requested += 1
        expected_open = pk in scope.read_units
        opened += expected_open
        if status >= 500 or status != (200 if expected_open else 404):
            problems.append(f"api:unit {code}: {status}, expected {200 if expected_open else 404}")
    seconds = time.perf_counter() - started
    print(f"\n{role}: {requested} requests, {opened} in reach, {seconds:.1f} s")
    print("; ".join(timings))
    assert problems == [], f"{len(problems)} problems for {role}:\n" + "\n".join(problems[:50])
    assert opened > 0, f"{role} reaches nothing: the test would prove little"
    assert requested - opened > opened / 10, f"{role} reaches almost everything"
