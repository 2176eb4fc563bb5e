"""Nominating participants and confirming registration: services and pages."""

from __future__ import annotations

from datetime import date

import pytest

from mutu.accounts.models import Role
from mutu.domain.errors import MutuValueError
from mutu.people import services as people_services
from mutu.programs.models import ActivityStatus, Enrollment, EnrollmentStatus
from mutu.programs.services import (
    enrollment_nominate,
    enrollment_register,
    enrollment_set_status,
    jp_entry_record,
)
from tests.factories import (
    make_activity,
    make_competency,
    make_employee,
    make_position,
    make_unit,
)
from tests.programs.test_web_support import client_for, make_world, user_with

pytestmark = pytest.mark.django_db


# --- the services ---------------------------------------------------------------------------


def test_nominating_stores_the_date_and_nominating_twice_stores_once() -> None:
    world = make_world()
    first = enrollment_nominate(
        activity_id=world.activity.pk, employee_ids=[world.citra.pk], on=date(2026, 2, 1)
    )
    again = enrollment_nominate(activity_id=world.activity.pk, employee_ids=[world.citra.pk])
    assert (first.created, first.already_enrolled) == (1, 0)
    assert (again.created, again.already_enrolled) == (0, 1)
    row = Enrollment.objects.get(activity=world.activity, employee=world.citra)
    assert row.status == EnrollmentStatus.NOMINATED and row.nominated_on == date(2026, 2, 1)
    assert Enrollment.objects.filter(employee=world.citra).count() == 1


def test_over_capacity_nominates_nobody_and_says_so_in_both_languages() -> None:
    world = make_world(capacity=3)  # two places taken by Alice and Budi
    extra = make_employee(unit=world.unit_b)
    with pytest.raises(MutuValueError) as refused:
        enrollment_nominate(activity_id=world.activity.pk, employee_ids=[world.citra.pk, extra.pk])
    assert "1 tempat tersisa" in refused.value.message("id")
    assert "1 places left" in refused.value.message("en")
    assert not Enrollment.objects.filter(employee__in=[world.citra, extra]).exists()


def test_a_done_activity_takes_no_nominations() -> None:
    world = make_world(status=ActivityStatus.DONE)
    with pytest.raises(MutuValueError) as refused:
        enrollment_nominate(activity_id=world.activity.pk, employee_ids=[world.citra.pk])
    assert "sudah selesai" in refused.value.message("id")
    assert not Enrollment.objects.filter(employee=world.citra).exists()


def test_an_empty_choice_or_an_unknown_employee_is_refused() -> None:
    world = make_world()
    with pytest.raises(MutuValueError):
        enrollment_nominate(activity_id=world.activity.pk, employee_ids=[])
    with pytest.raises(MutuValueError):
        enrollment_nominate(activity_id=world.activity.pk, employee_ids=[world.citra.pk, 999999])
    assert not Enrollment.objects.filter(employee=world.citra).exists()


def test_registration_sets_registered_on_once_and_refuses_a_withdrawn_one() -> None:
    world = make_world()
    assert enrollment_register(enrollment_ids=[world.enrollment_alice.pk], on=date(2026, 2, 5)) == 1
    assert enrollment_register(enrollment_ids=[world.enrollment_alice.pk]) == 0
    world.enrollment_alice.refresh_from_db()
    assert world.enrollment_alice.status == EnrollmentStatus.REGISTERED
    assert world.enrollment_alice.registered_on == date(2026, 2, 5)
    enrollment_set_status(enrollment=world.enrollment_budi, status=EnrollmentStatus.WITHDRAWN)
    with pytest.raises(MutuValueError) as refused:
        enrollment_register(enrollment_ids=[world.enrollment_alice.pk, world.enrollment_budi.pk])
    assert "withdrawn" in refused.value.message("en")


# --- the nomination page ---------------------------------------------------------------------


def test_operator_nominates_their_own_units_people() -> None:
    world = make_world(status=ActivityStatus.OPEN)
    newcomer = make_employee(unit=world.unit_b, name="Dedi Desky")
    operator_b = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_b))
    page = operator_b.get(f"/kegiatan/{world.activity.pk}/nominasi/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Dedi Desky" in html and "Citra Pinem" in html and "Alice Ginting" not in html
    response = operator_b.post(
        f"/kegiatan/{world.activity.pk}/nominasi/", {"employee": [newcomer.pk, world.citra.pk]}
    )
    assert response.status_code == 302
    assert set(
        Enrollment.objects.filter(activity=world.activity, status="nominated").values_list(
            "employee_id", flat=True
        )
    ) >= {newcomer.pk, world.citra.pk}


def test_operator_cannot_nominate_another_units_employee_and_nothing_is_written() -> None:
    world = make_world(status=ActivityStatus.OPEN)
    stranger = make_employee(unit=world.unit_a)
    operator_b = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_b))
    page = operator_b.post(
        f"/kegiatan/{world.activity.pk}/nominasi/", {"employee": [world.citra.pk, stranger.pk]}
    )
    assert page.status_code == 200
    assert "di luar unit Anda" in page.content.decode()
    assert not Enrollment.objects.filter(employee__in=[world.citra, stranger]).exists()
    english = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_b), lang="en")
    page = english.post(f"/kegiatan/{world.activity.pk}/nominasi/", {"employee": [stranger.pk]})
    assert "outside your units" in page.content.decode()
    assert not Enrollment.objects.filter(employee=stranger).exists()


def test_trainers_participants_and_other_units_cannot_open_nomination() -> None:
    world = make_world()
    for user in (
        user_with(Role.TRAINER, activity=world.activity),
        user_with(Role.PARTICIPANT, employee=world.alice),
        user_with(Role.ANALYST),
    ):
        client = client_for(user)
        assert client.get(f"/kegiatan/{world.activity.pk}/nominasi/").status_code == 404
        client.post(f"/kegiatan/{world.activity.pk}/nominasi/", {"employee": [world.citra.pk]})
    assert not Enrollment.objects.filter(employee=world.citra).exists()


def test_filter_by_jp_deficit_keeps_pns_below_twenty_jp_this_year() -> None:
    world = make_world()
    unit = world.unit_b
    short = make_employee(unit=unit, name="Kurang JP")
    enough = make_employee(unit=unit, name="Cukup JP")
    make_employee(unit=unit, kind="PPPK", name="Pegawai PPPK")
    jp_entry_record(
        employee=enough, date=date(2026, 1, 10), jp=20, title="Kursus", approval_status="approved"
    )
    jp_entry_record(
        employee=short, date=date(2026, 1, 10), jp=19, title="Kursus", approval_status="approved"
    )
    # Pending JP and last year's JP do not count.
    jp_entry_record(employee=short, date=date(2026, 1, 11), jp=5, title="Belum disetujui")
    jp_entry_record(
        employee=short, date=date(2025, 6, 1), jp=40, title="Tahun lalu", approval_status="approved"
    )
    admin = client_for(user_with(Role.ADMIN), lang="en")
    html = admin.get(
        f"/kegiatan/{world.activity.pk}/nominasi/",
        {"filtered": 1, "unit": unit.pk, "jp_deficit": "on"},
    ).content.decode()
    assert "Kurang JP" in html and "Cukup JP" not in html and "Pegawai PPPK" not in html
    assert "19 JP" in html  # JP of the year shown


def test_filter_by_competency_gap_and_position_name() -> None:
    world = make_world()
    unit = make_unit()
    competency = make_competency()
    analyst = make_position(unit=unit, name="Analis Kebijakan")
    clerk = make_position(unit=unit, name="Pengadministrasi Umum")
    people_services.competency_standard_set(
        position=analyst, competency=competency, required_level=3
    )
    people_services.competency_standard_set(position=clerk, competency=competency, required_level=2)
    gap = make_employee(unit=unit, position=analyst, name="Punya Kesenjangan")
    fine = make_employee(unit=unit, position=clerk, name="Sesuai Standar")
    for employee, level in ((gap, 2), (fine, 2)):
        people_services.competency_assessment_record(
            employee=employee,
            competency=competency,
            level=level,
            assessed_on=date(2025, 11, 1),
            method="assessment_center",
        )
    admin = client_for(user_with(Role.ADMIN))
    url = f"/kegiatan/{world.activity.pk}/nominasi/"
    by_gap = admin.get(url, {"filtered": 1, "unit": unit.pk, "gap": "on"}).content.decode()
    assert "Punya Kesenjangan" in by_gap and "Sesuai Standar" not in by_gap
    by_name = admin.get(url, {"filtered": 1, "unit": unit.pk, "position": "pengadmin"})
    assert "Sesuai Standar" in by_name.content.decode()
    assert "Punya Kesenjangan" not in by_name.content.decode()


def test_a_done_activity_shows_no_nomination_boxes_and_refuses_a_post() -> None:
    world = make_world(status=ActivityStatus.DONE)
    admin = client_for(user_with(Role.ADMIN))
    page = admin.get(f"/kegiatan/{world.activity.pk}/nominasi/")
    assert 'name="employee"' not in page.content.decode()
    admin.post(f"/kegiatan/{world.activity.pk}/nominasi/", {"employee": [world.citra.pk]})
    assert not Enrollment.objects.filter(employee=world.citra).exists()


# --- registration ------------------------------------------------------------------------------


def test_the_nominee_confirms_their_own_registration_but_not_someone_elses() -> None:
    world = make_world()
    alice = client_for(user_with(Role.PARTICIPANT, employee=world.alice))
    url = f"/kegiatan/{world.activity.pk}/pendaftaran/"
    assert alice.post(url, {"enrollment": world.enrollment_budi.pk}).status_code == 404
    assert alice.post(url, {"enrollment": world.enrollment_alice.pk}).status_code == 302
    world.enrollment_alice.refresh_from_db()
    world.enrollment_budi.refresh_from_db()
    assert world.enrollment_alice.status == "registered" and world.enrollment_alice.registered_on
    assert world.enrollment_budi.status == "nominated"


def test_an_operator_confirms_their_units_nominees_another_units_operator_gets_404() -> None:
    world = make_world()
    url = f"/kegiatan/{world.activity.pk}/pendaftaran/"
    outsider = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_b))
    assert outsider.post(url, {"enrollment": world.enrollment_alice.pk}).status_code == 404
    operator_a = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_a))
    response = operator_a.post(
        url, {"enrollment": [world.enrollment_alice.pk, world.enrollment_budi.pk]}
    )
    assert response.status_code == 302
    assert set(
        Enrollment.objects.filter(activity=world.activity).values_list("status", flat=True)
    ) == {"registered"}


def test_the_participants_own_page_offers_the_confirmation() -> None:
    world = make_world()
    make_activity()  # someone else's activity stays off the page
    alice = client_for(user_with(Role.PARTICIPANT, employee=world.alice))
    html = alice.get("/kegiatan/saya/").content.decode()
    assert world.activity.title in html
    assert f'name="enrollment" value="{world.enrollment_alice.pk}"' in html
