"""Builders shared by the programs web tests: users with one role, a small activity world.

The module also checks its own builders, so the roles the other tests lean on
are the roles they think they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from mutu.accounts.models import Role
from mutu.accounts.scope import scope_for
from mutu.accounts.services import role_assign
from mutu.people.models import Employee, Unit
from mutu.programs.models import Activity, ActivityStatus, Enrollment
from mutu.programs.services import SessionSpec, activity_set_status
from tests.factories import (
    aware,
    make_activity,
    make_employee,
    make_enrollment,
    make_program,
    make_unit,
    next_id,
)

PASSWORD = "a-long-password-9"


def user_with(role: str, **covers: Any) -> Any:
    """A user with one role (``unit=``, ``activity=`` or ``employee=`` as the role needs)."""
    user = get_user_model().objects.create_user(username=f"u{next_id()}", password=PASSWORD)
    role_assign(user_id=user.pk, role=role, **covers)
    return user


def client_for(user: Any, lang: str = "id") -> Client:
    client = Client(headers={"accept-language": lang})
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client


@dataclass
class World:
    """Two units, an activity of unit A's program with three sessions, people in both units."""

    unit_a: Unit
    unit_b: Unit
    activity: Activity
    alice: Employee  # unit A, enrolled
    budi: Employee  # unit A, enrolled
    citra: Employee  # unit B, not enrolled
    enrollment_alice: Enrollment
    enrollment_budi: Enrollment


def make_world(
    *,
    day: date = date(2026, 3, 2),
    sessions: int = 3,
    status: str = ActivityStatus.RUNNING,
    **activity: Any,
) -> World:
    unit_a, unit_b = make_unit(), make_unit()
    program = make_program(owner_unit=unit_a)
    specs = [SessionSpec(aware(day, 8 + 2 * i), aware(day, 9 + 2 * i)) for i in range(sessions)]
    act = make_activity(
        program=program,
        start_date=day,
        end_date=day,
        status=ActivityStatus.RUNNING,
        sessions=specs,
        **activity,
    )
    alice = make_employee(unit=unit_a, name="Alice Ginting")
    budi = make_employee(unit=unit_a, name="Budi Sembiring")
    citra = make_employee(unit=unit_b, name="Citra Pinem")
    enrollments = (
        make_enrollment(activity=act, employee=alice),
        make_enrollment(activity=act, employee=budi),
    )
    if status != act.status:
        act = activity_set_status(activity=act, status=status)
    return World(
        unit_a=unit_a,
        unit_b=unit_b,
        activity=act,
        alice=alice,
        budi=budi,
        citra=citra,
        enrollment_alice=enrollments[0],
        enrollment_budi=enrollments[1],
    )


def running_world(**activity: Any) -> World:
    """A world whose first session is running now (for QR check-in)."""
    now = timezone.localtime()
    world = make_world(day=now.date(), sessions=0, **activity)
    from mutu.programs.services import activity_session_add

    start = now - timedelta(minutes=10)
    end = now + timedelta(minutes=50)
    if end.date() != start.date():  # keep the session inside the activity's single day
        start, end = now.replace(hour=0, minute=1), now.replace(hour=23, minute=58)
    activity_session_add(activity=world.activity, starts_at=start, ends_at=end)
    return world


@pytest.mark.django_db
def test_the_builders_give_the_roles_they_promise() -> None:
    world = make_world()
    operator = scope_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_b))
    trainer = scope_for(user_with(Role.TRAINER, activity=world.activity))
    participant = scope_for(user_with(Role.PARTICIPANT, employee=world.alice))
    assert operator.write_units == {world.unit_b.pk}
    assert trainer.activities == {world.activity.pk}
    assert participant.employee_id == world.alice.pk
    assert world.activity.sessions.count() == 3
    assert world.activity.program.owner_unit == world.unit_a
