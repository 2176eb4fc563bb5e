"""Completion rules: attendance share and post-test → completed, certificate, JP in the ledger."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mutu.domain.errors import MutuValueError
from mutu.domain.jp import converted_jp
from mutu.programs.models import (
    Activity,
    ActivityStatus,
    ApprovalStatus,
    Certificate,
    Enrollment,
    EnrollmentStatus,
    JpLedgerEntry,
    JpSource,
)
from mutu.programs.selectors import attendance_counts, post_test_scores

__all__ = [
    "CompletionOutcome",
    "CompletionResult",
    "activity_complete",
    "certificate_number_next",
    "completion_rule",
]

#: Enrollments the rules decide (again): a completion is never undone.
DECIDED_BY_RULES = (
    EnrollmentStatus.NOMINATED,
    EnrollmentStatus.REGISTERED,
    EnrollmentStatus.CONFIRMED,
    EnrollmentStatus.FAILED,
)


@dataclass(frozen=True)
class CompletionOutcome:
    """The rules applied to one participant."""

    enrollment_id: int
    attended: int
    sessions: int
    score: Decimal | None
    completed: bool
    reason: str  # "", "attendance", "post_test_missing", "post_test_below"


@dataclass(frozen=True)
class CompletionResult:
    """What :func:`activity_complete` did."""

    activity_id: int
    completed: int
    failed: int
    already_completed: int
    certificates: tuple[str, ...]
    outcomes: tuple[CompletionOutcome, ...]


def completion_rule(
    *,
    attended: int,
    sessions: int,
    min_share: Decimal,
    score: Decimal | None,
    pass_mark: Decimal | None,
) -> str:
    """Why a participant has not completed (``""`` when they have).

    Completed when ``attended / sessions >= min_share`` (compared exactly, so
    8 of 10 sessions meets 0.8) and, when the activity has a ``pass_mark``,
    the post-test ``score >= pass_mark``.
    """
    if sessions <= 0 or Fraction(attended, sessions) < Fraction(min_share):
        return "attendance"
    if pass_mark is not None:
        if score is None:
            return "post_test_missing"
        if Fraction(score) < Fraction(pass_mark):
            return "post_test_below"
    return ""


def certificate_number_next(activity: Activity, taken: set[str] | None = None) -> str:
    """The next free certificate number of an activity: ``SERT/<code>/<nnn>``."""
    prefix = f"SERT/{activity.code}/"
    numbers = set(
        Certificate.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    ) | (taken or set())
    serials = [int(m.group(1)) for n in numbers if (m := re.fullmatch(r".*/(\d+)", n))]
    serial = max(serials, default=0) + 1
    while (
        f"{prefix}{serial:03d}" in numbers
        or Certificate.objects.filter(number=f"{prefix}{serial:03d}").exists()
    ):
        serial += 1
    return f"{prefix}{serial:03d}"


def _credit(enrollment: Enrollment, activity: Activity, jp: Decimal, day: date) -> None:
    """The ledger entry of a completion, unless it exists (a completion credits once)."""
    if JpLedgerEntry.objects.filter(enrollment=enrollment).exists():
        return
    entry = JpLedgerEntry(
        employee_id=enrollment.employee_id,
        date=day,
        jp=jp,
        source=JpSource.ACTIVITY,
        enrollment=enrollment,
        title=activity.title,
        organiser=activity.organiser,
        approval_status=ApprovalStatus.APPROVED,
        decided_at=timezone.now(),
    )
    entry.full_clean()
    entry.save()


@transaction.atomic
def activity_complete(
    *, activity_id: int, on: date | None = None, now: datetime | None = None
) -> CompletionResult:
    """Apply the completion rules to every participant of an activity.

    A participant completes when their attendance share reaches the
    activity's ``min_attendance_share`` and, if the activity has a
    ``post_test_pass_mark``, their post-test score reaches it
    (:func:`completion_rule`).  Each completion sets the enrollment to
    completed with ``completed_on`` (``on``, default the activity's end date),
    issues a certificate with a unique number and credits the activity's JP
    (converted by its form of development, ``jp`` rulebook) to the ledger,
    approved.  The others are marked failed.  Running it again changes nothing
    for those already completed: no second certificate, no second ledger entry;
    a failed participant whose attendance was corrected completes then.  The
    activity is marked done.

    Refused (nothing written) when the activity does not exist, is cancelled,
    has no sessions, or a session has not ended yet.
    """
    activity = (
        Activity.objects.select_for_update().select_related("form").filter(pk=activity_id).first()
    )
    if activity is None:
        raise MutuValueError("Kegiatan tidak ditemukan.", "The activity does not exist.")
    if activity.status == ActivityStatus.CANCELLED:
        raise MutuValueError(
            "Kegiatan ini dibatalkan; tidak ada yang dapat diselesaikan.",
            "The activity is cancelled; nobody can complete it.",
        )
    last_end = activity.sessions.aggregate(m=Max("ends_at"))["m"]
    if last_end is None:
        raise MutuValueError(
            "Kegiatan ini belum punya sesi; kehadiran tidak dapat dihitung.",
            "The activity has no sessions, so attendance cannot be counted.",
        )
    moment = now or timezone.now()
    if moment < last_end:
        ends = f"{timezone.localtime(last_end):%d-%m-%Y %H:%M}"
        raise MutuValueError(
            f"Sesi terakhir belum selesai (berakhir {ends}); selesaikan kegiatan sesudahnya.",
            f"The last session has not ended yet (it ends {ends}); complete the activity after it.",
        )
    counts = attendance_counts(activity.pk)
    scores = post_test_scores(activity.pk) if activity.post_test_pass_mark is not None else {}
    jp = converted_jp(activity.jp, activity.form.code)
    day = on or activity.end_date
    enrollments = list(
        Enrollment.objects.select_for_update()
        .filter(activity=activity)
        .exclude(status=EnrollmentStatus.WITHDRAWN)
        .order_by("employee__name", "pk")
    )
    outcomes: list[CompletionOutcome] = []
    issued: list[str] = []
    taken: set[str] = set()
    completed = failed = already = 0
    stamp = timezone.now()
    for enrollment in enrollments:
        count = counts.get(enrollment.pk)
        attended, sessions = (count.attended, count.sessions) if count else (0, 0)
        score = scores.get(enrollment.employee_id)
        if enrollment.status == EnrollmentStatus.COMPLETED:
            already += 1
            outcomes.append(CompletionOutcome(enrollment.pk, attended, sessions, score, True, ""))
            _credit(enrollment, activity, jp, enrollment.completed_on or day)
            continue
        reason = completion_rule(
            attended=attended,
            sessions=sessions,
            min_share=activity.min_attendance_share,
            score=score,
            pass_mark=activity.post_test_pass_mark,
        )
        outcomes.append(
            CompletionOutcome(enrollment.pk, attended, sessions, score, not reason, reason)
        )
        if reason:
            failed += 1
            if enrollment.status != EnrollmentStatus.FAILED:
                Enrollment.objects.filter(pk=enrollment.pk).update(
                    status=EnrollmentStatus.FAILED, updated_at=stamp
                )
            continue
        completed += 1
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.completed_on = day
        enrollment.save(update_fields=["status", "completed_on", "updated_at"])
        _credit(enrollment, activity, jp, day)
    for enrollment in enrollments:
        if enrollment.status != EnrollmentStatus.COMPLETED:
            continue
        if Certificate.objects.filter(enrollment=enrollment).exists():
            continue
        number = certificate_number_next(activity, taken)
        taken.add(number)
        certificate = Certificate(
            enrollment=enrollment, number=number, issued_on=enrollment.completed_on or day
        )
        certificate.full_clean()
        certificate.save()
        issued.append(number)
    if activity.status != ActivityStatus.DONE:
        activity.status = ActivityStatus.DONE
        activity.save(update_fields=["status"])
    return CompletionResult(
        activity_id=activity.pk,
        completed=completed,
        failed=failed,
        already_completed=already,
        certificates=tuple(issued),
        outcomes=tuple(outcomes),
    )
