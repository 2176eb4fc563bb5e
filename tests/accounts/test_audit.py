"""The audit trail: who changed which row when, field names only, nothing of anonymous answers;
and the trails are read-only in the admin, even for a superuser."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from mutu.accounts.audit import acting_as, current_actor
from mutu.accounts.models import AuditEvent, LoginEvent, LoginOutcome, Role, RoleAssignment
from mutu.imports.models import ExportLog
from mutu.instruments.services import response_submit
from mutu.people.models import Employee
from mutu.people.services import employee_update
from tests.factories import make_employee, make_instrument_version


def events(model: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(model=model).order_by("pk"))


@pytest.fixture
def superuser() -> Any:
    return get_user_model().objects.create_superuser(
        username="root-admin", password="a-long-password-9"
    )


@pytest.fixture
def admin_client_signed(superuser: Any) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


@pytest.mark.django_db
def test_a_service_write_records_its_actor_and_the_field_names_but_never_the_values() -> None:
    employee = make_employee()
    created = events("people.Employee")[-1]
    assert created.action == "create" and created.object_pk == str(employee.pk)
    assert "name" in created.fields and "nip" in created.fields
    with acting_as("mutu nightly-sync"):
        employee_update(employee=employee, name="Nama Rahasia Sekali")
    updated = events("people.Employee")[-1]
    assert (updated.action, updated.actor, updated.user_id) == ("update", "mutu nightly-sync", None)
    assert updated.fields == ["name"]
    stored = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert "Nama Rahasia Sekali" not in stored and employee.nip not in stored


@pytest.mark.django_db
def test_saving_without_a_change_records_nothing_and_a_rollback_leaves_no_event() -> None:
    employee = make_employee()
    before = AuditEvent.objects.count()
    Employee.objects.get(pk=employee.pk).save()
    assert AuditEvent.objects.count() == before

    def update_then_fail() -> None:
        with transaction.atomic():
            employee_update(employee=employee, name="Dibatalkan")
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        update_then_fail()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_delete_is_recorded() -> None:
    employee = make_employee()
    pk = employee.pk
    employee.delete()
    last = events("people.Employee")[-1]
    assert (last.action, last.object_pk, last.fields) == ("delete", str(pk), [])


def test_outside_a_request_the_actor_is_the_mutu_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["/srv/mutu/.venv/bin/mutu", "import", "employees", "x.xlsx"])
    assert current_actor().name == "mutu import"
    monkeypatch.setattr(sys, "argv", ["manage.py", "load", "world/"])
    assert current_actor().name == "mutu load"


@pytest.mark.django_db
def test_a_web_write_records_the_signed_in_user_and_the_client_address(
    admin_client_signed: Client, superuser: Any
) -> None:
    target = get_user_model().objects.create_user(username="analis-baru")
    answer = admin_client_signed.post(
        "/admin/accounts/roleassignment/add/",
        {"user": target.pk, "role": Role.ANALYST, "created_at": ""},
        REMOTE_ADDR="10.1.2.3",
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assignment = RoleAssignment.objects.get(user=target)
    event = events("accounts.RoleAssignment")[-1]
    assert (event.action, event.object_pk) == ("create", str(assignment.pk))
    assert (event.actor, event.user_id, event.client_ip) == ("root-admin", superuser.pk, "10.1.2.3")


@pytest.mark.django_db
def test_responses_to_anonymous_instruments_leave_no_trace_named_ones_only_their_ids() -> None:
    person = make_employee()
    anonymous = make_instrument_version(anonymous=True)
    named = make_instrument_version(anonymous=False)
    answers = {"Q1": 4, "Q2": "b", "Q3": "Saran yang sangat pribadi"}
    before = AuditEvent.objects.filter(model__startswith="instruments.Response").count()
    response_submit(version=anonymous, answers=answers, respondent_role="participant")
    assert not AuditEvent.objects.filter(model="instruments.Answer").exists()
    after_anonymous = AuditEvent.objects.filter(model__startswith="instruments.Response").count()
    assert after_anonymous == before
    response = response_submit(
        version=named, answers=answers, respondent_role="participant", employee=person
    )
    [created] = events("instruments.Response")
    assert (created.object_pk, created.fields) == (str(response.pk), [])
    assert all(e.fields == [] for e in events("instruments.Answer"))
    assert "Saran yang sangat pribadi" not in json.dumps(
        list(AuditEvent.objects.values()), default=str
    )
    # deleting the anonymous response (its answers cascade) records nothing either
    anonymous_rows = AuditEvent.objects.count()
    anonymous.responses.get().delete()
    assert AuditEvent.objects.count() == anonymous_rows


TRAILS = {
    "accounts/auditevent": AuditEvent,
    "accounts/loginevent": LoginEvent,
    "imports/exportlog": ExportLog,
}


def _one_of_each(superuser: Any) -> dict[str, int]:
    employee_update(employee=make_employee(), name="Baru")
    login = LoginEvent.objects.create(username="x", outcome=LoginOutcome.FAILED)
    export = ExportLog.objects.create(kind="employees", file_name="a.xlsx", rows=1, actor="root")
    return {
        "accounts/auditevent": AuditEvent.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
        "accounts/loginevent": login.pk,
        "imports/exportlog": export.pk,
    }


@pytest.mark.django_db
def test_an_administrator_reads_the_trails_and_nobody_can_change_or_delete_them(
    admin_client_signed: Client, superuser: Any
) -> None:
    rows = _one_of_each(superuser)
    for path, model in TRAILS.items():
        base = f"/admin/{path}/"
        listing = admin_client_signed.get(base)
        assert listing.status_code == 200, path
        assert "delete_selected" not in listing.content.decode(), path
        assert admin_client_signed.get(f"{base}{rows[path]}/change/").status_code == 200, path
        count = model.objects.count()
        assert admin_client_signed.post(f"{base}{rows[path]}/change/", {}).status_code == 403
        assert (
            admin_client_signed.post(f"{base}{rows[path]}/delete/", {"post": "yes"}).status_code
            == 403
        )
        assert admin_client_signed.post(f"{base}add/", {}).status_code == 403
        bulk = {"action": "delete_selected", "_selected_action": [rows[path]], "post": "yes"}
        admin_client_signed.post(base, bulk)
        assert model.objects.count() == count, path
        assert model.objects.filter(pk=rows[path]).exists(), path
