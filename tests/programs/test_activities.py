"""Activities, sessions, enrollment, attendance, completion and certificates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mutu.programs.models import (
    Activity,
    ActivitySession,
    Certificate,
    Enrollment,
    JpLedgerEntry,
)
from mutu.programs.services import (
    SessionSpec,
    activity_create,
    activity_session_add,
    activity_set_status,
    attendance_record,
    enrollment_complete,
    enrollment_create,
    enrollment_set_status,
)
from tests.factories import (
    aware,
    make_activity,
    make_employee,
    make_enrollment,
    make_form,
    make_program,
)

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)


def test_activity_with_sessions_is_created_together() -> None:
    activity = make_activity(
        sessions=[
            SessionSpec(aware(DAY, 8), aware(DAY, 11)),
            SessionSpec(aware(DAY, 13), aware(DAY, 14, 30)),
        ]
    )
    sessions = list(activity.sessions.order_by("starts_at"))
    assert [s.minutes for s in sessions] == [180, 90]
    assert [s.jp for s in sessions] == [Decimal("4.00"), Decimal("2.00")]


def test_negative_jp_is_refused_by_the_service_in_indonesian_and_nothing_is_written() -> None:
    program, form = make_program(), make_form()
    with pytest.raises(ValidationError) as refused:
        activity_create(
            program=program,
            code="A-NEG",
            title="Bimtek",
            form=form,
            jp="-2",
            start_date=DAY,
            end_date=DAY,
        )
    assert "JP tidak boleh negatif" in " ".join(refused.value.message_dict["jp"])
    assert Activity.objects.count() == 0


def test_negative_jp_is_refused_by_full_clean() -> None:
    activity = make_activity()
    activity.jp = Decimal("-0.5")
    with pytest.raises(ValidationError) as refused:
        activity.full_clean()
    assert "jp" in refused.value.message_dict


def test_negative_jp_is_refused_by_the_database() -> None:
    activity = make_activity()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(jp=Decimal("-1"))


def test_an_unknown_form_of_development_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        make_activity(form="tari_saman")
    assert "form" in refused.value.message_dict


def test_one_bad_session_means_no_activity_at_all() -> None:
    with pytest.raises(ValidationError):
        make_activity(
            code="A-BAD",
            sessions=[
                SessionSpec(aware(DAY, 8), aware(DAY, 9)),
                SessionSpec(aware(DAY, 10), aware(DAY, 9)),
            ],
        )
    assert Activity.objects.filter(code="A-BAD").count() == 0
    assert ActivitySession.objects.count() == 0


def test_a_session_must_end_after_it_starts_and_within_the_activity() -> None:
    activity = make_activity(start_date=DAY, end_date=DAY)
    with pytest.raises(ValidationError) as backwards:
        activity_session_add(activity=activity, starts_at=aware(DAY, 10), ends_at=aware(DAY, 10))
    assert "ends_at" in backwards.value.message_dict
    with pytest.raises(ValidationError) as outside:
        activity_session_add(
            activity=activity,
            starts_at=aware(date(2026, 3, 9), 8),
            ends_at=aware(date(2026, 3, 9), 9),
        )
    assert "starts_at" in outside.value.message_dict
    session = activity_session_add(
        activity=activity, starts_at=aware(DAY, 8), ends_at=aware(DAY, 9)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivitySession.objects.filter(pk=session.pk).update(ends_at=aware(DAY, 7))


def test_activity_dates_are_checked_by_the_database() -> None:
    activity = make_activity()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(end_date=date(2020, 1, 1))


def test_enrollment_is_unique_and_limited_by_capacity() -> None:
    activity = make_activity(capacity=1)
    first = make_enrollment(activity=activity)
    with pytest.raises(ValidationError):
        enrollment_create(activity=activity, employee=first.employee)
    with pytest.raises(ValidationError) as full:
        enrollment_create(activity=activity, employee=make_employee())
    assert "activity" in full.value.message_dict
    enrollment_set_status(enrollment=first, status="withdrawn")
    enrollment_create(activity=activity, employee=make_employee())
    assert Enrollment.objects.filter(activity=activity).count() == 2


def test_a_cancelled_activity_takes_no_enrollment() -> None:
    activity = activity_set_status(activity=make_activity(), status="cancelled")
    with pytest.raises(ValidationError):
        enrollment_create(activity=activity, employee=make_employee())
    assert Enrollment.objects.count() == 0


def test_attendance_belongs_to_a_session_of_the_same_activity() -> None:
    enrollment = make_enrollment(
        activity=make_activity(sessions=[SessionSpec(aware(DAY, 8), aware(DAY, 9))])
    )
    other = make_activity(sessions=[SessionSpec(aware(DAY, 8), aware(DAY, 9))])
    with pytest.raises(ValidationError):
        attendance_record(enrollment=enrollment, session=other.sessions.get())
    own = enrollment.activity.sessions.get()
    first = attendance_record(enrollment=enrollment, session=own)
    again = attendance_record(enrollment=enrollment, session=own, present=False)
    assert first.pk == again.pk
    assert again.present is False
    assert again.checked_in_at is None


def test_completion_credits_the_activity_jp_and_issues_the_certificate() -> None:
    enrollment = make_enrollment(activity=make_activity(jp=Decimal("12")))

    entry = enrollment_complete(enrollment=enrollment, certificate_number="CERT/2026/001")

    assert (entry.jp, entry.source, entry.approval_status) == (
        Decimal("12"),
        "activity",
        "approved",
    )
    assert entry.year == entry.date.year
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert len(certificate.verification_token) >= 20
    with pytest.raises(ValidationError):
        enrollment_complete(enrollment=enrollment)  # the ledger holds one entry per enrollment
    assert JpLedgerEntry.objects.count() == 1


def test_a_certificate_needs_a_completed_enrollment() -> None:
    enrollment = make_enrollment()
    certificate = Certificate(enrollment=enrollment, number="C-1", issued_on=DAY)
    with pytest.raises(ValidationError):
        certificate.full_clean()


def test_a_withdrawn_enrollment_cannot_be_completed() -> None:
    enrollment = enrollment_set_status(enrollment=make_enrollment(), status="withdrawn")
    with pytest.raises(ValidationError):
        enrollment_complete(enrollment=enrollment)
    assert JpLedgerEntry.objects.count() == 0
