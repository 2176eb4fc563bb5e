"""Activities and their sessions, enrollment, attendance, completion and certificates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutu.people.models import Employee
from mutu.programs.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    ApprovalStatus,
    Attendance,
    AttendanceMethod,
    Certificate,
    Enrollment,
    EnrollmentStatus,
    JpLedgerEntry,
    JpSource,
    Partner,
    Program,
)
from mutu.programs.models.activities import ACTIVE_ENROLLMENT
from mutu.programs.services._common import (
    NumberInput,
    as_decimal,
    as_optional_decimal,
    resolve_form,
)
from mutu.reference.models import DevelopmentForm, Kecamatan

#: Activities that take no more enrollments.
CLOSED = (ActivityStatus.DONE, ActivityStatus.CANCELLED)


@dataclass(frozen=True)
class SessionSpec:
    """A session to create with an activity."""

    starts_at: datetime
    ends_at: datetime
    topic: str = ""
    trainer_name: str = ""


def _session(activity: Activity, spec: SessionSpec) -> ActivitySession:
    session = ActivitySession(
        activity=activity,
        starts_at=spec.starts_at,
        ends_at=spec.ends_at,
        topic=spec.topic,
        trainer_name=spec.trainer_name,
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def activity_create(
    *,
    program: Program,
    code: str,
    title: str,
    form: DevelopmentForm | str,
    jp: NumberInput,
    start_date: date,
    end_date: date,
    venue: str = "",
    kecamatan: Kecamatan | None = None,
    organiser: str = "",
    partner: Partner | None = None,
    capacity: int | None = None,
    status: str = ActivityStatus.PLANNED,
    sessions: Sequence[SessionSpec] = (),
    min_attendance_share: NumberInput = Decimal("0.8"),
    post_test_pass_mark: NumberInput | None = None,
) -> Activity:
    """Plan an activity, with its sessions; all of it or nothing.

    ``form`` is a :class:`~mutu.reference.models.DevelopmentForm` or its code
    (``"bimtek"``); ``jp`` a number not below zero.  The completion rule:
    ``min_attendance_share`` of the sessions (0 to 1) and, if given, a
    ``post_test_pass_mark`` (0 to 100).
    """
    activity = Activity(
        program=program,
        code=code,
        title=title,
        form=resolve_form(form),
        jp=as_decimal(jp, "jp"),
        start_date=start_date,
        end_date=end_date,
        venue=venue,
        kecamatan=kecamatan,
        organiser=organiser,
        partner=partner,
        capacity=capacity,
        status=status,
        min_attendance_share=as_decimal(min_attendance_share, "min_attendance_share"),
        post_test_pass_mark=as_optional_decimal(post_test_pass_mark, "post_test_pass_mark"),
    )
    activity.full_clean()
    activity.save()
    for spec in sessions:
        _session(activity, spec)
    return activity


@transaction.atomic
def activity_session_add(
    *,
    activity: Activity,
    starts_at: datetime,
    ends_at: datetime,
    topic: str = "",
    trainer_name: str = "",
) -> ActivitySession:
    """Add a session to an activity (it must end after it starts, within the activity)."""
    return _session(activity, SessionSpec(starts_at, ends_at, topic, trainer_name))


@transaction.atomic
def activity_set_status(*, activity: Activity, status: str) -> Activity:
    """Move an activity to another status (planned, open, running, done, cancelled)."""
    fresh = Activity.objects.select_for_update().get(pk=activity.pk)
    fresh.status = status
    fresh.full_clean()
    fresh.save()
    return fresh


@transaction.atomic
def enrollment_create(
    *,
    activity: Activity,
    employee: Employee,
    nominated_by: Employee | None = None,
    status: str = EnrollmentStatus.NOMINATED,
) -> Enrollment:
    """Nominate or register an employee for an activity.

    Refused when the activity is done or cancelled, when it is full, or when
    the employee is already enrolled.
    """
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.status in CLOSED:
        raise ValidationError(
            {"activity": _("The activity is done or cancelled and takes no more participants.")}
        )
    if locked.capacity is not None and status in ACTIVE_ENROLLMENT:
        taken = locked.enrollments.filter(status__in=ACTIVE_ENROLLMENT).count()
        if taken >= locked.capacity:
            raise ValidationError(
                {
                    "activity": ValidationError(
                        _("The activity is full (%(capacity)s places)."),
                        params={"capacity": locked.capacity},
                    )
                }
            )
    enrollment = Enrollment(
        activity=locked, employee=employee, nominated_by=nominated_by, status=status
    )
    enrollment.full_clean()
    enrollment.save()
    return enrollment


@transaction.atomic
def enrollment_set_status(*, enrollment: Enrollment, status: str) -> Enrollment:
    """Change an enrollment's status (use :func:`enrollment_complete` to complete it)."""
    fresh = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    fresh.status = status
    fresh.full_clean()
    fresh.save()
    return fresh


@transaction.atomic
def attendance_record(
    *,
    enrollment: Enrollment,
    session: ActivitySession,
    present: bool = True,
    checked_in_at: datetime | None = None,
    method: str = AttendanceMethod.OPERATOR,
) -> Attendance:
    """Record (or correct) whether an enrolled employee attended a session."""
    attendance = Attendance.objects.filter(enrollment=enrollment, session=session).first()
    if attendance is None:
        attendance = Attendance(enrollment=enrollment, session=session)
    attendance.present = present
    attendance.checked_in_at = checked_in_at or (timezone.now() if present else None)
    attendance.method = method
    attendance.full_clean()
    attendance.save()
    return attendance


@transaction.atomic
def certificate_issue(*, enrollment: Enrollment, number: str, issued_on: date) -> Certificate:
    """Issue the certificate of a completed enrollment."""
    certificate = Certificate(enrollment=enrollment, number=number, issued_on=issued_on)
    certificate.full_clean()
    certificate.save()
    return certificate


@transaction.atomic
def enrollment_complete(
    *,
    enrollment: Enrollment,
    on: date | None = None,
    certificate_number: str | None = None,
) -> JpLedgerEntry:
    """Complete an enrollment: credit the activity's JP, and issue a certificate if numbered.

    The ledger entry is dated ``on`` (the activity's end date by default) and
    approved, since the activity itself is the evidence.
    """
    fresh = Enrollment.objects.select_for_update().select_related("activity").get(pk=enrollment.pk)
    if fresh.status in (EnrollmentStatus.WITHDRAWN, EnrollmentStatus.FAILED):
        raise ValidationError(
            {"status": _("A withdrawn or failed enrollment cannot be completed.")}
        )
    fresh.status = EnrollmentStatus.COMPLETED
    fresh.full_clean()
    fresh.save()
    when = on or fresh.activity.end_date
    entry = JpLedgerEntry(
        employee_id=fresh.employee_id,
        date=when,
        jp=fresh.activity.jp,
        source=JpSource.ACTIVITY,
        enrollment=fresh,
        title=fresh.activity.title,
        organiser=fresh.activity.organiser,
        approval_status=ApprovalStatus.APPROVED,
        decided_at=timezone.now(),
    )
    entry.full_clean()
    entry.save()
    if certificate_number:
        certificate_issue(enrollment=fresh, number=certificate_number, issued_on=when)
    return entry
