"""Who reaches which dashboard page: each role its own door, everything else 404."""

from __future__ import annotations

import pytest
from django.test import Client

from mutu.accounts.scope import unit_subtree
from mutu.people.models import Employee, Unit
from mutu.programs.models import Activity
from tests.dashboard.pages import page
from tests.dashboard.world import DashboardWorld

pytestmark = pytest.mark.django_db


def status(client: Client, url: str) -> int:
    return client.get(url).status_code


def test_signed_out_visitors_are_sent_to_sign_in(world: DashboardWorld, client: Client) -> None:
    assert world.participant is not None and world.activity is not None
    for url in (
        "/dasbor/",
        "/dasbor/unit/DINKES/",
        f"/dasbor/kegiatan/{world.activity.code}/",
        f"/dasbor/pegawai/{world.participant.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/")


def test_each_role_is_sent_to_its_own_door(world: DashboardWorld, client: Client) -> None:
    assert world.head_unit is not None and world.participant is not None
    assert world.supervisor is not None and world.activity is not None
    client.force_login(world.users["head"])
    response = client.get("/dasbor/?tahun=2025")
    assert response.status_code == 302
    assert response["Location"] == f"/dasbor/unit/{world.head_unit.code}/?tahun=2025"
    client.force_login(world.users["operator"])
    assert client.get("/dasbor/")["Location"] == "/dasbor/unit/RSUD/"
    client.force_login(world.users["participant"])
    assert client.get("/dasbor/")["Location"] == f"/dasbor/pegawai/{world.participant.pk}/"
    client.force_login(world.users["supervisor"])
    assert client.get("/dasbor/")["Location"] == f"/dasbor/pegawai/{world.supervisor.pk}/"
    client.force_login(world.users["trainer"])
    text = page(client, "/dasbor/")
    assert f'href="/dasbor/kegiatan/{world.activity.code}/"' in text
    assert 'data-testid="panel-jp"' not in text
    client.force_login(world.users["nobody"])
    assert "no role" in page(client, "/dasbor/", lang="en")


def test_a_unit_head_reaches_their_subtree_and_nothing_else(
    world: DashboardWorld, client: Client
) -> None:
    assert world.head_unit is not None
    mine = unit_subtree([world.head_unit.pk])
    client.force_login(world.users["head"])
    text = page(client, f"/dasbor/unit/{world.head_unit.code}/")
    # the unit's own people, each linked by pk (never by NIP) to their page
    people = Employee.objects.filter(unit=world.head_unit, is_active=True)
    assert people.exists()
    for person in people:
        assert f'href="/dasbor/pegawai/{person.pk}/?tahun={world.year}"' in text
        assert person.nip not in text
        assert status(client, f"/dasbor/pegawai/{person.pk}/") == 200
    # sub-units are listed and open
    child = Unit.objects.filter(parent=world.head_unit).order_by("code").first()
    assert child is not None
    assert f'href="/dasbor/unit/{child.code}/?tahun={world.year}"' in text
    assert status(client, f"/dasbor/unit/{child.code}/") == 200
    deep = Employee.objects.filter(unit=child).first()
    assert deep is not None and status(client, f"/dasbor/pegawai/{deep.pk}/") == 200
    # every other unit and every person outside the subtree: 404, also by guessing
    for unit in Unit.objects.exclude(pk__in=mine):
        assert status(client, f"/dasbor/unit/{unit.code}/") == 404, unit.code
    outside = list(Employee.objects.exclude(unit_id__in=mine).values_list("pk", flat=True))
    assert outside
    for pk in outside[:: max(1, len(outside) // 60)]:
        assert status(client, f"/dasbor/pegawai/{pk}/") == 404, pk
    assert status(client, "/dasbor/pegawai/99999999/") == 404
    assert status(client, "/dasbor/unit/TIDAK-ADA/") == 404
    # the regency dashboard is not theirs: home sends them to their unit
    assert client.get("/dasbor/").status_code == 302


def test_a_unit_head_sees_activities_of_their_people_only(
    world: DashboardWorld, client: Client
) -> None:
    assert world.head_unit is not None
    mine = unit_subtree([world.head_unit.pk])
    client.force_login(world.users["head"])
    theirs = Activity.objects.filter(enrollments__employee__unit_id__in=mine).distinct()
    foreign = (
        Activity.objects.exclude(enrollments__employee__unit_id__in=mine)
        .exclude(program__owner_unit_id__in=mine)
        .first()
    )
    shared = theirs.first()
    assert shared is not None and foreign is not None
    text = page(client, f"/dasbor/kegiatan/{shared.code}/")
    # only their own people are listed; the others are counted
    for name, unit_id in shared.enrollments.values_list("employee__name", "employee__unit_id"):
        if unit_id not in mine:
            assert f">{name}<" not in text
    assert status(client, f"/dasbor/kegiatan/{foreign.code}/") == 404


def test_an_operator_reaches_their_unit_but_not_the_head_s(
    world: DashboardWorld, client: Client
) -> None:
    client.force_login(world.users["operator"])
    assert status(client, "/dasbor/unit/RSUD/") == 200
    assert status(client, "/dasbor/unit/DINKES/") == 404


def test_a_participant_sees_only_their_own_page(world: DashboardWorld, client: Client) -> None:
    assert world.participant is not None and world.supervisor is not None
    assert world.activity is not None
    client.force_login(world.users["participant"])
    text = page(client, f"/dasbor/pegawai/{world.participant.pk}/")
    assert world.participant.name in text and world.participant.nip in text
    assert status(client, f"/dasbor/pegawai/{world.supervisor.pk}/") == 404
    others = Employee.objects.exclude(pk=world.participant.pk).values_list("pk", flat=True)
    for pk in list(others)[:40]:
        assert status(client, f"/dasbor/pegawai/{pk}/") == 404
    assert status(client, f"/dasbor/unit/{world.participant.unit.code}/") == 404
    assert status(client, f"/dasbor/kegiatan/{world.activity.code}/") == 404


def test_a_supervisor_sees_their_staff_and_no_one_else(
    world: DashboardWorld, client: Client
) -> None:
    assert world.participant is not None and world.supervisor is not None
    client.force_login(world.users["supervisor"])
    assert status(client, f"/dasbor/pegawai/{world.supervisor.pk}/") == 200
    assert status(client, f"/dasbor/pegawai/{world.participant.pk}/") == 200
    stranger = (
        Employee.objects.exclude(supervisor=world.supervisor)
        .exclude(pk=world.supervisor.pk)
        .first()
    )
    assert stranger is not None
    assert status(client, f"/dasbor/pegawai/{stranger.pk}/") == 404


def test_a_trainer_opens_their_activity_but_no_other_and_no_person(
    world: DashboardWorld, client: Client
) -> None:
    assert world.activity is not None and world.participant is not None
    client.force_login(world.users["trainer"])
    text = page(client, f"/dasbor/kegiatan/{world.activity.code}/")
    assert world.participant.name in text
    # a trainer reads no personal records: names are not links
    assert f"/dasbor/pegawai/{world.participant.pk}/" not in text
    other = Activity.objects.exclude(pk=world.activity.pk).first()
    assert other is not None
    assert status(client, f"/dasbor/kegiatan/{other.code}/") == 404
    assert status(client, f"/dasbor/pegawai/{world.participant.pk}/") == 404
    assert status(client, "/dasbor/unit/DINKES/") == 404
