"""Activity list, detail and calendar: who sees which activity and which participants."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from mutu.accounts.models import Role
from mutu.programs.models import ActivityStatus
from tests.factories import make_activity, make_employee, make_enrollment, make_form
from tests.programs.test_web_support import client_for, make_world, user_with

pytestmark = pytest.mark.django_db


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    world = make_world()
    for url in ("/kegiatan/", f"/kegiatan/{world.activity.pk}/", "/kegiatan/kalender/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_admin_sees_every_activity_and_every_participant() -> None:
    world = make_world()
    other = make_activity(status=ActivityStatus.DONE)
    admin = client_for(user_with(Role.ADMIN))
    listing = admin.get("/kegiatan/").content.decode()
    assert world.activity.title in listing and other.title in listing
    detail = admin.get(f"/kegiatan/{world.activity.pk}/").content.decode()
    assert "Alice Ginting" in detail and "Budi Sembiring" in detail


def test_operator_of_another_unit_gets_404_for_the_activity_and_does_not_see_it_listed() -> None:
    world = make_world()
    outsider = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_b))
    assert outsider.get(f"/kegiatan/{world.activity.pk}/").status_code == 404
    assert world.activity.title not in outsider.get("/kegiatan/").content.decode()


def test_operator_sees_an_activity_with_their_people_but_only_their_people() -> None:
    world = make_world()
    # Citra (unit B) joins; unit B's operator now sees the activity, and only Citra in it.
    make_enrollment(activity=world.activity, employee=world.citra)
    operator_b = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_b))
    page = operator_b.get(f"/kegiatan/{world.activity.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Citra Pinem" in html and "Alice Ginting" not in html and "Budi Sembiring" not in html


def test_the_organising_units_operator_sees_all_participants() -> None:
    world = make_world()
    make_enrollment(activity=world.activity, employee=world.citra)
    operator_a = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_a))
    html = operator_a.get(f"/kegiatan/{world.activity.pk}/").content.decode()
    assert "Citra Pinem" in html and "Alice Ginting" in html


def test_open_activities_are_visible_to_every_unit_for_nomination_but_not_their_people() -> None:
    world = make_world(status=ActivityStatus.OPEN)
    operator_b = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_b))
    page = operator_b.get(f"/kegiatan/{world.activity.pk}/")
    assert page.status_code == 200
    assert "Alice Ginting" not in page.content.decode()


def test_trainer_sees_only_the_assigned_activity() -> None:
    world = make_world()
    other = make_activity(status=ActivityStatus.RUNNING)
    trainer = client_for(user_with(Role.TRAINER, activity=world.activity))
    assert trainer.get(f"/kegiatan/{world.activity.pk}/").status_code == 200
    assert trainer.get(f"/kegiatan/{other.pk}/").status_code == 404
    listing = trainer.get("/kegiatan/").content.decode()
    assert world.activity.title in listing and other.title not in listing


def test_participant_sees_own_activity_and_only_themselves() -> None:
    world = make_world()
    alice = client_for(user_with(Role.PARTICIPANT, employee=world.alice))
    html = alice.get(f"/kegiatan/{world.activity.pk}/").content.decode()
    assert "Alice Ginting" in html and "Budi Sembiring" not in html
    citra = client_for(user_with(Role.PARTICIPANT, employee=world.citra))
    assert citra.get(f"/kegiatan/{world.activity.pk}/").status_code == 404


def test_filters_by_year_form_and_status() -> None:
    world = make_world()
    seminar = make_activity(
        form=make_form("seminar"),
        start_date=date(2025, 5, 5),
        end_date=date(2025, 5, 5),
        status=ActivityStatus.DONE,
    )
    admin = client_for(user_with(Role.ADMIN))
    by_year = admin.get("/kegiatan/", {"year": 2025}).content.decode()
    assert seminar.title in by_year and world.activity.title not in by_year
    by_form = admin.get("/kegiatan/", {"form": "bimtek"}).content.decode()
    assert world.activity.title in by_form and seminar.title not in by_form
    by_status = admin.get("/kegiatan/", {"status": "running"}).content.decode()
    assert world.activity.title in by_status and seminar.title not in by_status
    # A value that is not a choice is ignored rather than breaking the page.
    assert admin.get("/kegiatan/", {"year": "abc"}).status_code == 200


def test_detail_shows_the_multi_session_schedule_and_the_completion_rule() -> None:
    world = make_world(min_attendance_share="0.75")
    admin = client_for(user_with(Role.ADMIN), lang="en")
    html = admin.get(f"/kegiatan/{world.activity.pk}/").content.decode()
    for hour in ("08:00", "10:00", "12:00"):
        assert hour in html
    assert "75%" in html


def test_calendar_puts_sessions_on_their_day_and_respects_the_scope() -> None:
    world = make_world()
    hidden = make_activity(
        title="Rahasia unit lain",
        start_date=date(2026, 3, 10),
        end_date=date(2026, 3, 10),
        status=ActivityStatus.DONE,
    )
    from mutu.programs.services import activity_session_add
    from tests.factories import aware

    activity_session_add(
        activity=hidden, starts_at=aware(date(2026, 3, 10), 9), ends_at=aware(date(2026, 3, 10), 10)
    )
    operator_a = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_a), lang="en")
    html = operator_a.get("/kegiatan/kalender/", {"bulan": "2026-03"}).content.decode()
    assert world.activity.title in html and "2 March 2026" in html
    assert "Rahasia unit lain" not in html
    admin = client_for(user_with(Role.ADMIN))
    assert "Rahasia unit lain" in admin.get("/kegiatan/kalender/?bulan=2026-03").content.decode()
    # A bad month falls back to this month.
    assert operator_a.get("/kegiatan/kalender/", {"bulan": "2026-13"}).status_code == 200


def test_unit_head_reads_but_cannot_nominate() -> None:
    world = make_world()
    head = client_for(user_with(Role.UNIT_HEAD, unit=world.unit_a))
    assert head.get(f"/kegiatan/{world.activity.pk}/").status_code == 200
    assert head.get(f"/kegiatan/{world.activity.pk}/nominasi/").status_code == 404


def test_an_employee_without_a_role_sees_nothing() -> None:
    world = make_world()
    nobody = client_for(user_with(Role.PARTICIPANT, employee=make_employee()))
    assert nobody.get(f"/kegiatan/{world.activity.pk}/").status_code == 404
    assert world.activity.title not in nobody.get("/kegiatan/").content.decode()
