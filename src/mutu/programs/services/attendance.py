"""Attendance per session: the operator's checklist and the participant's QR check-in."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from mutu.domain.errors import MutuValueError
from mutu.programs.models import (
    ActivitySession,
    ActivityStatus,
    Attendance,
    AttendanceMethod,
    Enrollment,
    EnrollmentStatus,
)

__all__ = [
    "CHECK_IN_CLOSES_AFTER",
    "CHECK_IN_OPENS_BEFORE",
    "AttendanceSaved",
    "CheckIn",
    "attendance_check_in",
    "attendance_save",
    "check_in_window",
]

#: Self check-in opens this long before a session starts …
CHECK_IN_OPENS_BEFORE = timedelta(minutes=30)
#: … and closes this long after it ends (late scanners, sessions that overrun).
CHECK_IN_CLOSES_AFTER = timedelta(minutes=30)

#: Enrollments whose holders may attend a session.
ATTENDING = (
    EnrollmentStatus.NOMINATED,
    EnrollmentStatus.REGISTERED,
    EnrollmentStatus.CONFIRMED,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.FAILED,
)


@dataclass(frozen=True)
class AttendanceSaved:
    """What a checklist save did."""

    present: int
    absent: int
    changed: int


@dataclass(frozen=True)
class CheckIn:
    """A self check-in: the attendance row, and whether this scan was the one that stored it."""

    attendance: Attendance
    created: bool


def check_in_window(session: ActivitySession) -> tuple[datetime, datetime]:
    """When the session's QR check-in link is open: around its start and end."""
    return session.starts_at - CHECK_IN_OPENS_BEFORE, session.ends_at + CHECK_IN_CLOSES_AFTER


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d-%m-%Y %H:%M}"


@transaction.atomic
def attendance_save(
    *,
    session_id: int,
    roster_ids: Collection[int],
    present_ids: Collection[int],
) -> AttendanceSaved:
    """Store the checklist of one session: who of ``roster_ids`` was there.

    ``roster_ids`` are the enrollments the checklist showed; those in
    ``present_ids`` are marked present, the others absent.  A participant
    already present keeps the time of their first check-in.  All of it or
    nothing: an enrollment of another activity, a withdrawn one, or a present
    mark outside the roster refuses the whole save.
    """
    session = ActivitySession.objects.select_related("activity").filter(pk=session_id).first()
    if session is None:
        raise MutuValueError("Sesi tidak ditemukan.", "The session does not exist.")
    if session.activity.status == ActivityStatus.CANCELLED:
        raise MutuValueError(
            "Kegiatan ini dibatalkan; kehadiran tidak dicatat.",
            "The activity is cancelled; attendance is not recorded.",
        )
    roster = {int(pk) for pk in roster_ids}
    present = {int(pk) for pk in present_ids}
    if not present <= roster:
        raise MutuValueError(
            "Daftar hadir memuat peserta yang tidak ada di daftar; muat ulang halaman.",
            "The checklist marks someone who is not on it; reload the page.",
        )
    enrollments = Enrollment.objects.select_for_update().filter(pk__in=roster)
    found = {e.pk: e for e in enrollments}
    strangers = [
        pk
        for pk in roster
        if pk not in found
        or found[pk].activity_id != session.activity_id
        or found[pk].status not in ATTENDING
    ]
    if strangers:
        raise MutuValueError(
            "Daftar hadir memuat pendaftaran yang bukan peserta aktif kegiatan ini.",
            "The checklist holds an enrollment that is not an active participant of this activity.",
        )
    now = timezone.now()
    existing = {a.enrollment_id: a for a in Attendance.objects.filter(session=session)}
    create: list[Attendance] = []
    update: list[Attendance] = []
    for pk in sorted(roster):
        mark = pk in present
        row = existing.get(pk)
        if row is None:
            create.append(
                Attendance(
                    enrollment_id=pk,
                    session=session,
                    present=mark,
                    checked_in_at=now if mark else None,
                    method=AttendanceMethod.OPERATOR,
                )
            )
        elif row.present != mark:
            row.present = mark
            row.checked_in_at = now if mark else None
            row.method = AttendanceMethod.OPERATOR
            update.append(row)
    Attendance.objects.bulk_create(create)
    Attendance.objects.bulk_update(update, ["present", "checked_in_at", "method"])
    return AttendanceSaved(
        present=len(present), absent=len(roster) - len(present), changed=len(create) + len(update)
    )


@transaction.atomic
def attendance_check_in(
    *,
    session_id: int,
    secret: str,
    employee_id: int,
    now: datetime | None = None,
) -> CheckIn:
    """Mark a participant present who scanned the session's QR code.

    Refused when the secret is wrong, the check-in window is closed (see
    :func:`check_in_window`), or the employee is not an active participant.
    Checking in twice stores once: the second scan changes nothing.
    """
    session = ActivitySession.objects.select_related("activity").filter(pk=session_id).first()
    if session is None or not secrets.compare_digest(session.checkin_secret, str(secret)):
        raise MutuValueError(
            "Tautan presensi ini tidak berlaku.", "This check-in link is not valid."
        )
    if session.activity.status == ActivityStatus.CANCELLED:
        raise MutuValueError("Kegiatan ini dibatalkan.", "The activity is cancelled.")
    moment = now or timezone.now()
    opens, closes = check_in_window(session)
    if not opens <= moment <= closes:
        raise MutuValueError(
            f"Presensi sesi ini hanya dibuka {_local(opens)} sampai {_local(closes)}.",
            f"Check-in for this session is open only from {_local(opens)} to {_local(closes)}.",
        )
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(activity_id=session.activity_id, employee_id=employee_id, status__in=ATTENDING)
        .first()
    )
    if enrollment is None:
        raise MutuValueError(
            "Anda tidak terdaftar sebagai peserta kegiatan ini.",
            "You are not a participant of this activity.",
        )
    row = Attendance.objects.filter(enrollment=enrollment, session=session).first()
    if row is not None and row.present:
        return CheckIn(attendance=row, created=False)
    if row is None:
        row = Attendance(enrollment=enrollment, session=session)
    row.present = True
    row.checked_in_at = moment
    row.method = AttendanceMethod.QR
    row.save()
    return CheckIn(attendance=row, created=True)
