"""Attendance: the operator's checklist and the participant's QR self check-in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from mutu.accounts.models import Role
from mutu.domain.errors import MutuValueError
from mutu.programs.models import ActivitySession, Attendance, EnrollmentStatus
from mutu.programs.services import attendance_check_in, attendance_save, enrollment_set_status
from mutu.programs.services.attendance import CHECK_IN_CLOSES_AFTER, CHECK_IN_OPENS_BEFORE
from tests.factories import make_activity, make_enrollment
from tests.programs.test_web_support import client_for, make_world, running_world, user_with

pytestmark = pytest.mark.django_db


def _first_session(world) -> ActivitySession:  # type: ignore[no-untyped-def]
    return world.activity.sessions.order_by("starts_at").first()


# --- the checklist service ---------------------------------------------------------------------


def test_checklist_marks_ticked_present_the_others_absent_and_saving_again_changes_nothing() -> (
    None
):
    world = make_world()
    session = _first_session(world)
    roster = [world.enrollment_alice.pk, world.enrollment_budi.pk]
    first = attendance_save(
        session_id=session.pk, roster_ids=roster, present_ids=[world.enrollment_alice.pk]
    )
    assert (first.present, first.absent, first.changed) == (1, 1, 2)
    stamp = Attendance.objects.get(enrollment=world.enrollment_alice).checked_in_at
    again = attendance_save(
        session_id=session.pk, roster_ids=roster, present_ids=[world.enrollment_alice.pk]
    )
    assert again.changed == 0
    rows = dict(Attendance.objects.filter(session=session).values_list("enrollment_id", "present"))
    assert rows == {world.enrollment_alice.pk: True, world.enrollment_budi.pk: False}
    assert Attendance.objects.get(enrollment=world.enrollment_alice).checked_in_at == stamp
    assert Attendance.objects.count() == 2


def test_checklist_with_another_activitys_enrollment_writes_nothing() -> None:
    world = make_world()
    elsewhere = make_enrollment(activity=make_activity())
    session = _first_session(world)
    with pytest.raises(MutuValueError) as refused:
        attendance_save(
            session_id=session.pk,
            roster_ids=[world.enrollment_alice.pk, elsewhere.pk],
            present_ids=[world.enrollment_alice.pk, elsewhere.pk],
        )
    assert "bukan peserta aktif" in refused.value.message("id")
    assert "not an active participant" in refused.value.message("en")
    assert not Attendance.objects.exists()


def test_checklist_refuses_a_withdrawn_participant_and_a_tick_outside_the_roster() -> None:
    world = make_world()
    session = _first_session(world)
    enrollment_set_status(enrollment=world.enrollment_budi, status=EnrollmentStatus.WITHDRAWN)
    with pytest.raises(MutuValueError):
        attendance_save(
            session_id=session.pk,
            roster_ids=[world.enrollment_alice.pk, world.enrollment_budi.pk],
            present_ids=[],
        )
    with pytest.raises(MutuValueError):
        attendance_save(
            session_id=session.pk,
            roster_ids=[world.enrollment_alice.pk],
            present_ids=[world.enrollment_budi.pk],
        )
    assert not Attendance.objects.exists()


# --- the checklist page ------------------------------------------------------------------------


def test_trainer_records_attendance_on_one_page_with_one_save() -> None:
    world = make_world()
    session = _first_session(world)
    trainer = client_for(user_with(Role.TRAINER, activity=world.activity), lang="en")
    page = trainer.get(f"/kegiatan/sesi/{session.pk}/presensi/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Alice Ginting" in html and "Budi Sembiring" in html
    assert html.count('name="present"') == 2
    response = trainer.post(
        f"/kegiatan/sesi/{session.pk}/presensi/",
        {
            "roster": [world.enrollment_alice.pk, world.enrollment_budi.pk],
            "present": [world.enrollment_budi.pk],
        },
        follow=True,
    )
    assert "1 present, 1 absent" in response.content.decode()
    assert list(
        Attendance.objects.filter(session=session, present=True).values_list(
            "enrollment_id", flat=True
        )
    ) == [world.enrollment_budi.pk]


def test_all_present_button_marks_the_whole_roster() -> None:
    world = make_world()
    session = _first_session(world)
    admin = client_for(user_with(Role.ADMIN))
    admin.post(
        f"/kegiatan/sesi/{session.pk}/presensi/",
        {"roster": [world.enrollment_alice.pk, world.enrollment_budi.pk], "all": "1"},
    )
    assert Attendance.objects.filter(session=session, present=True).count() == 2


def test_other_trainers_other_units_participants_and_analysts_get_404() -> None:
    world = make_world()
    session = _first_session(world)
    url = f"/kegiatan/sesi/{session.pk}/presensi/"
    for user in (
        user_with(Role.TRAINER, activity=make_activity()),
        user_with(Role.UNIT_OPERATOR, unit=world.unit_b),
        user_with(Role.PARTICIPANT, employee=world.alice),
        user_with(Role.ANALYST),
        user_with(Role.UNIT_HEAD, unit=world.unit_a),
    ):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"roster": [world.enrollment_alice.pk], "all": "1"}).status_code == 404
        )
        assert client.get(f"/kegiatan/sesi/{session.pk}/qr/").status_code == 404
    assert not Attendance.objects.exists()


def test_an_operator_ticks_only_their_units_people() -> None:
    world = make_world()
    make_enrollment(activity=world.activity, employee=world.citra)
    session = _first_session(world)
    operator_b = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_b))
    html = operator_b.get(f"/kegiatan/sesi/{session.pk}/presensi/").content.decode()
    assert "Citra Pinem" in html and "Alice Ginting" not in html
    # Smuggling Alice (unit A) into the form is refused with 404 and writes nothing.
    response = operator_b.post(
        f"/kegiatan/sesi/{session.pk}/presensi/",
        {"roster": [world.enrollment_alice.pk], "present": [world.enrollment_alice.pk]},
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


# --- QR self check-in ----------------------------------------------------------------------------


def _check_in_url(session: ActivitySession) -> str:
    return f"/kegiatan/hadir/{session.pk}/{session.checkin_secret}/"


def test_the_trainers_qr_page_shows_an_inline_svg_of_the_check_in_link() -> None:
    world = running_world()
    session = _first_session(world)
    trainer = client_for(user_with(Role.TRAINER, activity=world.activity))
    html = trainer.get(f"/kegiatan/sesi/{session.pk}/qr/").content.decode()
    assert "<svg" in html and 'class="segno"' in html
    assert f"http://testserver{_check_in_url(session)}" in html


def test_sessions_have_distinct_unguessable_secrets() -> None:
    world = make_world()
    secrets_ = list(world.activity.sessions.values_list("checkin_secret", flat=True))
    assert len(set(secrets_)) == 3 and all(len(s) >= 32 for s in secrets_)


def test_a_participant_checks_in_while_the_session_runs_and_twice_stores_once() -> None:
    world = running_world()
    session = _first_session(world)
    alice = client_for(user_with(Role.PARTICIPANT, employee=world.alice), lang="en")
    first = alice.get(_check_in_url(session))
    assert first.status_code == 200 and "You are marked present." in first.content.decode()
    row = Attendance.objects.get()
    assert row.present and row.method == "qr" and row.enrollment == world.enrollment_alice
    second = alice.get(_check_in_url(session))
    assert "already marked present" in second.content.decode()
    assert Attendance.objects.count() == 1
    assert Attendance.objects.get().checked_in_at == row.checked_in_at


def test_a_signed_in_non_participant_gets_a_clear_refusal_and_nothing_is_stored() -> None:
    world = running_world()
    session = _first_session(world)
    citra = client_for(user_with(Role.PARTICIPANT, employee=world.citra))
    response = citra.get(_check_in_url(session))
    assert response.status_code == 403
    assert "tidak terdaftar sebagai peserta" in response.content.decode()
    admin = client_for(user_with(Role.ADMIN), lang="en")
    response = admin.get(_check_in_url(session))
    assert response.status_code == 403 and "Only a participant" in response.content.decode()
    assert not Attendance.objects.exists()


def test_check_in_outside_the_window_is_refused_in_both_languages() -> None:
    world = make_world()  # its sessions were on 2 March 2026
    session = _first_session(world)
    alice_id = client_for(user_with(Role.PARTICIPANT, employee=world.alice))
    response = alice_id.get(_check_in_url(session))
    assert response.status_code == 403
    assert "hanya dibuka" in response.content.decode()
    alice_en = client_for(user_with(Role.PARTICIPANT, employee=world.alice), lang="en")
    assert "open only from" in alice_en.get(_check_in_url(session)).content.decode()
    assert not Attendance.objects.exists()


def test_the_window_edges_are_inside_and_a_minute_beyond_is_outside() -> None:
    world = make_world()
    session = _first_session(world)
    opens = session.starts_at - CHECK_IN_OPENS_BEFORE
    closes = session.ends_at + CHECK_IN_CLOSES_AFTER
    with pytest.raises(MutuValueError):
        attendance_check_in(
            session_id=session.pk,
            secret=session.checkin_secret,
            employee_id=world.alice.pk,
            now=opens - timedelta(minutes=1),
        )
    assert attendance_check_in(
        session_id=session.pk, secret=session.checkin_secret, employee_id=world.alice.pk, now=opens
    ).created
    assert attendance_check_in(
        session_id=session.pk, secret=session.checkin_secret, employee_id=world.budi.pk, now=closes
    ).created
    with pytest.raises(MutuValueError):
        attendance_check_in(
            session_id=session.pk,
            secret=session.checkin_secret,
            employee_id=world.citra.pk,
            now=closes + timedelta(minutes=1),
        )
    assert Attendance.objects.count() == 2


def test_a_wrong_secret_is_404_and_a_signed_out_visitor_is_sent_to_sign_in() -> None:
    world = running_world()
    session = _first_session(world)
    alice = client_for(user_with(Role.PARTICIPANT, employee=world.alice))
    assert alice.get(f"/kegiatan/hadir/{session.pk}/not-the-secret/").status_code == 404
    from django.test import Client

    response = Client().get(_check_in_url(session))
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")
    assert not Attendance.objects.exists()
    with pytest.raises(MutuValueError):
        attendance_check_in(session_id=session.pk, secret="guess", employee_id=world.alice.pk)


def test_a_check_in_after_the_operator_marked_absent_turns_it_present() -> None:
    world = running_world()
    session = _first_session(world)
    attendance_save(session_id=session.pk, roster_ids=[world.enrollment_alice.pk], present_ids=[])
    result = attendance_check_in(
        session_id=session.pk, secret=session.checkin_secret, employee_id=world.alice.pk
    )
    assert result.created and Attendance.objects.get().present
    assert Attendance.objects.count() == 1


def test_the_present_count_fragment_counts_check_ins() -> None:
    world = running_world()
    session = _first_session(world)
    attendance_check_in(
        session_id=session.pk, secret=session.checkin_secret, employee_id=world.alice.pk
    )
    trainer = client_for(user_with(Role.TRAINER, activity=world.activity))
    text = trainer.get(f"/kegiatan/sesi/{session.pk}/qr/hadir/").content.decode()
    assert re.search(r"\b1\b", text)
