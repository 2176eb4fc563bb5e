"""Unit scoping: a unit role reaches its unit and sub-units, nothing else."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from mutu.accounts.models import Role
from mutu.accounts.scope import scope_for, unit_subtree
from mutu.accounts.services import role_assign
from mutu.domain.errors import MutuValueError
from tests.factories import make_employee, make_unit

pytestmark = pytest.mark.django_db


def _user(name: str):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user(username=name, password="x-long-password-1")


def test_unit_role_covers_the_subtree_only() -> None:
    dinas = make_unit()
    bidang = make_unit(parent=dinas)
    seksi = make_unit(parent=bidang)
    other = make_unit()
    inside, outside = make_employee(unit=seksi), make_employee(unit=other)
    assert unit_subtree([dinas.pk]) == {dinas.pk, bidang.pk, seksi.pk}
    head = _user("head")
    role_assign(user_id=head.pk, role=Role.UNIT_HEAD, unit=bidang)
    scope = scope_for(head)
    assert scope.read_units == {bidang.pk, seksi.pk}
    assert scope.write_units == frozenset()
    assert scope.can_read_employee(inside) and not scope.can_read_employee(outside)
    assert list(scope.employees()) == [inside]
    assert not scope.sees_regency and not scope.can_export_personal_data


def test_operator_writes_where_it_reads() -> None:
    unit, other = make_unit(), make_unit()
    op = _user("op")
    role_assign(user_id=op.pk, role=Role.UNIT_OPERATOR, unit=unit)
    scope = scope_for(op)
    assert scope.can_write_unit(unit.pk) and not scope.can_write_unit(other.pk)


def test_participant_and_supervisor_see_themselves_and_staff() -> None:
    unit = make_unit()
    boss = make_employee(unit=unit)
    staff = make_employee(unit=make_unit(), supervisor=boss)
    stranger = make_employee(unit=unit)
    user = _user("boss")
    role_assign(user_id=user.pk, role=Role.SUPERVISOR, employee=boss)
    scope = scope_for(user)
    assert scope.can_read_employee(boss) and scope.can_read_employee(staff)
    assert not scope.can_read_employee(stranger)
    assert set(scope.employees()) == {boss, staff}


def test_admin_and_analyst_see_everything_anonymous_nothing() -> None:
    unit = make_unit()
    person = make_employee(unit=unit)
    analyst = _user("analyst")
    role_assign(user_id=analyst.pk, role=Role.ANALYST)
    scope = scope_for(analyst)
    assert scope.sees_regency and scope.can_read_employee(person)
    assert not scope.can_write_unit(unit.pk) and not scope.can_export_personal_data
    assert scope_for(AnonymousUser()).roles == frozenset()
    assert not scope_for(AnonymousUser()).can_read_employee(person)


def test_role_assignment_refuses_what_the_role_lacks() -> None:
    user = _user("u")
    with pytest.raises(MutuValueError) as err:
        role_assign(user_id=user.pk, role=Role.UNIT_HEAD)
    assert "unit" in err.value.message_en
    with pytest.raises(MutuValueError):
        role_assign(user_id=user.pk, role=Role.PARTICIPANT)
    with pytest.raises(MutuValueError):
        role_assign(user_id=user.pk, role="emperor")
