"""Completion rules: attendance share, post-test pass mark, certificates and the JP ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mutu.accounts.models import Role
from mutu.domain.errors import MutuValueError
from mutu.instruments import services as instrument_services
from mutu.instruments.models import InstrumentVersion, ItemType
from mutu.programs.models import (
    ActivitySession,
    ActivityStatus,
    Certificate,
    Enrollment,
    EnrollmentStatus,
    JpLedgerEntry,
)
from mutu.programs.services import activity_complete, attendance_save
from mutu.programs.services.completion import completion_rule
from tests.factories import make_employee, make_enrollment, next_id
from tests.programs.test_web_support import World, client_for, make_world, user_with

pytestmark = pytest.mark.django_db


def _attend(world: World, enrollment: Enrollment, n: int) -> None:
    """``enrollment`` present at the first ``n`` sessions, absent at the rest."""
    sessions = list(world.activity.sessions.order_by("starts_at"))
    for i, session in enumerate(sessions):
        present = [enrollment.pk] if i < n else []
        attendance_save(session_id=session.pk, roster_ids=[enrollment.pk], present_ids=present)


def _post_test(n_items: int = 4) -> InstrumentVersion:
    instrument = instrument_services.instrument_create(
        code=f"POST{next_id()}", title_id="Post-test", kind="post_test"
    )
    version = instrument_services.instrument_version_create(instrument=instrument)
    for i in range(n_items):
        instrument_services.item_add(
            version=version,
            code=f"Q{i}",
            text_id=f"Soal {i}",
            item_type=ItemType.MULTIPLE_CHOICE,
            answer_key="b",
            options=[
                instrument_services.OptionSpec("a", "salah"),
                instrument_services.OptionSpec("b", "benar", is_correct=True),
            ],
        )
    return version


def _answer(world: World, version: InstrumentVersion, employee, right: int) -> None:  # type: ignore[no-untyped-def]
    n = version.items.count()
    instrument_services.response_submit(
        version=version,
        answers={f"Q{i}": "b" if i < right else "a" for i in range(n)},
        respondent_role="participant",
        activity=world.activity,
        employee=employee,
        occasion="post",
    )


# --- the rule itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attended", "sessions", "share", "score", "mark", "reason"),
    [
        (4, 5, "0.8", None, None, ""),  # exactly at the threshold
        (3, 5, "0.8", None, None, "attendance"),
        (8, 10, "0.8", None, None, ""),
        (2, 3, "0.667", None, None, "attendance"),  # 0.6666… is below 0.667
        (2, 3, "0.666", None, None, ""),
        (5, 5, "0.8", "70", "70", ""),  # exactly at the pass mark
        (5, 5, "0.8", "69.99", "70", "post_test_below"),
        (5, 5, "0.8", None, "70", "post_test_missing"),
        (0, 0, "0", None, None, "attendance"),  # no sessions: nothing to attend
    ],
)
def test_completion_rule_edges(
    attended: int, sessions: int, share: str, score: str | None, mark: str | None, reason: str
) -> None:
    assert (
        completion_rule(
            attended=attended,
            sessions=sessions,
            min_share=Decimal(share),
            score=Decimal(score) if score else None,
            pass_mark=Decimal(mark) if mark else None,
        )
        == reason
    )


# --- activity_complete ---------------------------------------------------------------------------


def test_attendance_exactly_at_the_threshold_completes_and_below_fails() -> None:
    world = make_world(sessions=5)  # default rule: 80% of the sessions
    _attend(world, world.enrollment_alice, 4)
    _attend(world, world.enrollment_budi, 3)
    result = activity_complete(activity_id=world.activity.pk)
    assert (result.completed, result.failed) == (1, 1)
    alice = Enrollment.objects.get(pk=world.enrollment_alice.pk)
    budi = Enrollment.objects.get(pk=world.enrollment_budi.pk)
    assert alice.status == EnrollmentStatus.COMPLETED and alice.completed_on == date(2026, 3, 2)
    assert budi.status == EnrollmentStatus.FAILED and budi.completed_on is None
    entry = JpLedgerEntry.objects.get()
    assert entry.enrollment == alice and entry.jp == Decimal("16.00")
    assert entry.approval_status == "approved" and entry.year == 2026
    assert Certificate.objects.get().enrollment == alice
    world.activity.refresh_from_db()
    assert world.activity.status == ActivityStatus.DONE


def test_running_it_twice_issues_one_certificate_and_credits_jp_once() -> None:
    world = make_world(sessions=2)
    _attend(world, world.enrollment_alice, 2)
    _attend(world, world.enrollment_budi, 2)
    first = activity_complete(activity_id=world.activity.pk)
    second = activity_complete(activity_id=world.activity.pk)
    assert len(first.certificates) == 2 and second.certificates == ()
    assert (second.completed, second.already_completed) == (0, 2)
    assert JpLedgerEntry.objects.count() == 2 and Certificate.objects.count() == 2
    numbers = set(Certificate.objects.values_list("number", flat=True))
    code = world.activity.code
    assert numbers == {f"SERT/{code}/001", f"SERT/{code}/002"}


def test_a_failed_participant_whose_attendance_is_corrected_completes_on_the_next_run() -> None:
    world = make_world(sessions=2)
    _attend(world, world.enrollment_alice, 1)
    activity_complete(activity_id=world.activity.pk)
    assert Enrollment.objects.get(pk=world.enrollment_alice.pk).status == "failed"
    _attend(world, world.enrollment_alice, 2)
    result = activity_complete(activity_id=world.activity.pk)
    assert result.completed == 1
    assert JpLedgerEntry.objects.filter(enrollment=world.enrollment_alice).count() == 1


def test_post_test_pass_mark_exactly_met_completes_below_or_missing_fails() -> None:
    world = make_world(sessions=1, post_test_pass_mark="75")
    carla = make_employee(unit=world.unit_a, name="Carla")
    carla_enrollment = make_enrollment(activity=world.activity, employee=carla)
    for e in (world.enrollment_alice, world.enrollment_budi, carla_enrollment):
        _attend(world, e, 1)
    version = _post_test(4)
    _answer(world, version, world.alice, right=3)  # 75: exactly the mark
    _answer(world, version, world.budi, right=2)  # 50
    result = activity_complete(activity_id=world.activity.pk)
    reasons = {o.enrollment_id: o.reason for o in result.outcomes}
    assert reasons == {
        world.enrollment_alice.pk: "",
        world.enrollment_budi.pk: "post_test_below",
        carla_enrollment.pk: "post_test_missing",
    }
    scores = {o.enrollment_id: o.score for o in result.outcomes}
    assert scores[world.enrollment_alice.pk] == Decimal(75)
    assert list(JpLedgerEntry.objects.values_list("employee_id", flat=True)) == [world.alice.pk]


def test_the_latest_post_test_counts() -> None:
    world = make_world(sessions=1, post_test_pass_mark="75")
    _attend(world, world.enrollment_alice, 1)
    version = _post_test(4)
    _answer(world, version, world.alice, right=1)
    _answer(world, version, world.alice, right=4)
    result = activity_complete(activity_id=world.activity.pk)
    assert result.completed == 1


def test_refused_before_the_last_session_ends_or_without_sessions_and_nothing_is_written() -> None:
    world = make_world(sessions=1, day=date(2030, 1, 7))
    with pytest.raises(MutuValueError) as refused:
        activity_complete(activity_id=world.activity.pk)
    assert "belum selesai" in refused.value.message("id")
    assert "has not ended" in refused.value.message("en")
    empty = make_world(sessions=0)
    with pytest.raises(MutuValueError) as refused:
        activity_complete(activity_id=empty.activity.pk)
    assert "no sessions" in refused.value.message("en")
    assert not JpLedgerEntry.objects.exists() and not Certificate.objects.exists()
    assert not Enrollment.objects.exclude(status="nominated").exists()


def test_withdrawn_participants_are_left_alone() -> None:
    world = make_world(sessions=1)
    from mutu.programs.services import enrollment_set_status

    enrollment_set_status(enrollment=world.enrollment_budi, status="withdrawn")
    _attend(world, world.enrollment_alice, 1)
    result = activity_complete(activity_id=world.activity.pk)
    assert {o.enrollment_id for o in result.outcomes} == {world.enrollment_alice.pk}
    assert Enrollment.objects.get(pk=world.enrollment_budi.pk).status == "withdrawn"


def test_certificate_numbers_continue_after_the_existing_ones_and_stay_unique() -> None:
    world = make_world(sessions=1)
    from mutu.programs.services import enrollment_complete

    code = world.activity.code
    enrollment_complete(enrollment=world.enrollment_budi, certificate_number=f"SERT/{code}/007")
    _attend(world, world.enrollment_alice, 1)
    result = activity_complete(activity_id=world.activity.pk)
    assert result.certificates == (f"SERT/{code}/008",)
    assert result.already_completed == 1
    assert JpLedgerEntry.objects.filter(enrollment=world.enrollment_budi).count() == 1


# --- the page ------------------------------------------------------------------------------------


def test_the_organising_units_operator_applies_the_rule_others_get_404() -> None:
    world = make_world(sessions=1)
    _attend(world, world.enrollment_alice, 1)
    url = f"/kegiatan/{world.activity.pk}/selesai/"
    for user in (
        user_with(Role.TRAINER, activity=world.activity),
        user_with(Role.UNIT_OPERATOR, unit=world.unit_b),
        user_with(Role.ANALYST),
    ):
        assert client_for(user).post(url).status_code == 404
    assert not JpLedgerEntry.objects.exists()
    operator_a = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_a), lang="en")
    page = operator_a.post(url, follow=True)
    assert "1 completed, 1 did not complete" in page.content.decode()
    assert JpLedgerEntry.objects.count() == 1


def test_the_page_shows_the_refusal_in_the_active_language() -> None:
    world = make_world(sessions=1, day=date(2030, 1, 7))
    admin = client_for(user_with(Role.ADMIN))
    page = admin.post(f"/kegiatan/{world.activity.pk}/selesai/", follow=True)
    assert "Sesi terakhir belum selesai" in page.content.decode()
    assert not ActivitySession.objects.filter(activity=world.activity, attendance__isnull=False)
