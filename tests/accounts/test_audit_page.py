"""``/jejak-audit/``: the administrators' read-only page of the three trails (issue 12)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from mutu.accounts.audit import acting_as
from mutu.accounts.models import AuditEvent, LoginEvent, LoginOutcome, Role, RoleAssignment
from mutu.imports.models import ExportChannel, ExportLog
from mutu.people.services import employee_update
from tests.factories import make_activity, make_employee, make_unit

PASSWORD = "a-long-password-9"
URL = "/jejak-audit/"

pytestmark = pytest.mark.django_db


def user_with(role: str, **cover: Any) -> Any:
    user = get_user_model().objects.create_user(username=f"u-{role}", password=PASSWORD)
    RoleAssignment.objects.create(user=user, role=role, **cover)
    return user


@pytest.fixture
def admin() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    client.force_login(user_with(Role.ADMIN))
    return client


def rows(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="audit-row">(.*?)</tr>', html, flags=re.S)


def at(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def test_admin_sees_a_change_with_its_field_names_and_never_the_values(admin: Client) -> None:
    employee = make_employee(name="Sri Wahyuni")
    with acting_as("petugas-data"):
        employee_update(employee=employee, name="Nama Rahasia Baru Sekali")
    page = admin.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    changes = [r for r in rows(html) if "people.Employee" in r]
    assert changes, "the employee's change is on the page"
    latest = changes[0]
    assert "petugas-data" in latest and str(employee.pk) in latest
    assert "nama" in latest.lower()  # the field's name, in Indonesian
    assert "Nama Rahasia Baru Sekali" not in html and "Sri Wahyuni" not in html
    # the event itself holds only names
    event = AuditEvent.objects.filter(model="people.Employee", action="update").latest("pk")
    assert event.fields == ["name"]


def test_filters_by_user_date_range_and_model(admin: Client) -> None:
    AuditEvent.objects.create(actor="ani", action="create", model="people.Unit", object_pk="7")
    AuditEvent.objects.create(actor="budi", action="delete", model="people.Unit", object_pk="8")
    AuditEvent.objects.create(
        actor="ani", action="update", model="programs.Activity", object_pk="9", at=at(40)
    )
    html = admin.get(URL, {"pengguna": "ANI"}).content.decode()
    found = rows(html)
    assert len(found) == 2 and all("ani" in r for r in found)
    html = admin.get(URL, {"jenis": "people.Unit"}).content.decode()
    assert {re.search(r"people\.Unit", r) is not None for r in rows(html)} == {True}
    assert len(rows(html)) == 2
    since = (timezone.localdate() - dt.timedelta(days=45)).isoformat()
    until = (timezone.localdate() - dt.timedelta(days=35)).isoformat()
    html = admin.get(URL, {"dari": since, "sampai": until}).content.decode()
    [old] = rows(html)
    assert "programs.Activity" in old and ">9<" in old
    today = timezone.localdate().isoformat()
    html = admin.get(URL, {"dari": today, "sampai": today, "pengguna": "budi"}).content.decode()
    [one] = rows(html)
    assert "budi" in one


def test_a_bad_filter_is_explained_in_both_languages_and_lists_nothing(admin: Client) -> None:
    AuditEvent.objects.create(actor="ani", action="create", model="people.Unit", object_pk="7")
    html = admin.get(URL, {"dari": "2026-12-01", "sampai": "2026-11-01"}).content.decode()
    assert 'data-testid="audit-invalid"' in html and not rows(html)
    assert "Tanggal akhir sebelum tanggal awal." in html
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(get_user_model().objects.get(username="u-admin"))
    html = english.get(URL, {"dari": "2026-12-01", "sampai": "2026-11-01"}).content.decode()
    assert "The end date is before the start date." in html
    html = admin.get(URL, {"dari": "kemarin"}).content.decode()
    assert 'data-testid="audit-invalid"' in html and not rows(html)
    html = admin.get(URL, {"jenis": "people.NotAModel"}).content.decode()
    assert 'data-testid="audit-invalid"' in html


def test_paging_newest_first(admin: Client) -> None:
    for n in range(120):
        AuditEvent.objects.create(
            actor="loader",
            action="create",
            model="people.Unit",
            object_pk=str(n),
            at=at(0) - dt.timedelta(minutes=120 - n),
        )
    first = admin.get(URL, {"jenis": "people.Unit"}).content.decode()
    page_rows = rows(first)
    assert len(page_rows) == 50
    assert ">119<" in page_rows[0] and ">70<" in page_rows[-1]
    assert 'data-testid="audit-next"' in first
    assert re.search(r'data-testid="audit-count">120\b', first)
    last = admin.get(URL, {"jenis": "people.Unit", "halaman": 3}).content.decode()
    last_rows = rows(last)
    assert len(last_rows) == 20 and ">0<" in last_rows[-1]
    assert 'data-testid="audit-next"' not in last
    # the pager keeps the filter
    assert "jenis=people.Unit" in first and "halaman=2" in first


def test_sign_ins_and_exports_sections(admin: Client) -> None:
    user = get_user_model().objects.create_user(username="siti", password=PASSWORD)
    LoginEvent.objects.create(
        username="siti", user=user, outcome=LoginOutcome.FAILED, client_ip="10.1.2.3"
    )
    LoginEvent.objects.create(username="tamu", outcome=LoginOutcome.LOCKED, client_ip="10.9.9.9")
    html = admin.get(URL, {"bagian": "masuk", "pengguna": "siti"}).content.decode()
    [row] = rows(html)
    assert "10.1.2.3" in row and "outcome-failed" in row
    html = admin.get(URL, {"bagian": "masuk", "jenis": "locked"}).content.decode()
    [row] = rows(html)
    assert "tamu" in row and "10.9.9.9" in row
    ExportLog.objects.create(
        kind="employees", file_name="pegawai.xlsx", rows=12, personal=True,
        channel=ExportChannel.WEB, actor="operator-a",
    )  # fmt: skip
    siti = Client()
    siti.force_login(user)
    assert siti.get("/saya/data/unduh/").status_code == 200
    html = admin.get(URL, {"bagian": "ekspor"}).content.decode()
    found = rows(html)
    assert len(found) == 2 and "my_data" in found[0] and "siti" in found[0]
    assert "pegawai.xlsx" in found[1] and "data pribadi" in found[1]
    html = admin.get(URL, {"bagian": "ekspor", "jenis": "my_data"}).content.decode()
    assert len(rows(html)) == 1


@pytest.mark.parametrize(
    "role", [Role.ANALYST, Role.UNIT_OPERATOR, Role.UNIT_HEAD, Role.TRAINER, Role.PARTICIPANT]
)
def test_every_other_role_is_refused(role: str) -> None:
    cover: dict[str, Any] = {}
    if role in (Role.UNIT_OPERATOR, Role.UNIT_HEAD):
        cover = {"unit": make_unit()}
    elif role == Role.TRAINER:
        cover = {"activity": make_activity()}
    elif role == Role.PARTICIPANT:
        cover = {"employee": make_employee()}
    client = Client()
    client.force_login(user_with(role, **cover))
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"bagian": "masuk"}).status_code == 404
    assert URL not in client.get("/saya/data/").content.decode()  # no menu entry


def test_anonymous_is_sent_to_sign_in() -> None:
    answer = Client().get(URL)
    assert answer.status_code == 302 and answer["Location"].startswith("/masuk/")


def test_the_page_is_read_only_and_in_the_admins_menu(admin: Client) -> None:
    AuditEvent.objects.create(actor="ani", action="create", model="people.Unit", object_pk="7")
    before = (AuditEvent.objects.count(), LoginEvent.objects.count(), ExportLog.objects.count())
    assert admin.post(URL, {"pengguna": "ani"}).status_code == 405
    assert admin.delete(URL).status_code == 405
    page = admin.get(URL).content.decode()
    assert "<form" in page and 'method="post"' not in page.split("<main")[1]
    after = (AuditEvent.objects.count(), LoginEvent.objects.count(), ExportLog.objects.count())
    assert before == after
    assert f'href="{URL}"' in page  # the menu entry
