"""Nominating employees for an activity, and confirming their registration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone, translation

from mutu.domain.errors import MutuValueError
from mutu.people.models import Employee
from mutu.programs.models import Activity, Enrollment, EnrollmentStatus
from mutu.programs.models.activities import ACTIVE_ENROLLMENT
from mutu.programs.services.activities import CLOSED

__all__ = ["NominationResult", "enrollment_nominate", "enrollment_register"]


@dataclass(frozen=True)
class NominationResult:
    """How many employees were nominated, and how many were already enrolled."""

    created: int
    already_enrolled: int


def status_label(status: str, lang: str) -> str:
    """An enrollment status as a person reads it, in ``lang``."""
    with translation.override(lang):
        return str(EnrollmentStatus(status).label)


def _open_activity(activity_id: int) -> Activity:
    activity = Activity.objects.select_for_update().filter(pk=activity_id).first()
    if activity is None:
        raise MutuValueError("Kegiatan tidak ditemukan.", "The activity does not exist.")
    if activity.status in CLOSED:
        raise MutuValueError(
            f"Kegiatan {activity.code} sudah selesai atau dibatalkan; tidak menerima peserta lagi.",
            f"The activity {activity.code} is done or cancelled and takes no more participants.",
            field="activity",
        )
    return activity


@transaction.atomic
def enrollment_nominate(
    *,
    activity_id: int,
    employee_ids: Sequence[int],
    nominated_by_id: int | None = None,
    on: date | None = None,
) -> NominationResult:
    """Nominate employees for an activity: all of them, or none when one is refused.

    Employees already enrolled (in any status) are left as they are and
    counted in ``already_enrolled``, so nominating twice stores once.  Refused
    when nobody is chosen, an employee is unknown or no longer active, the
    activity is done or cancelled, or the new nominations would exceed its
    capacity.
    """
    ids = list(dict.fromkeys(int(pk) for pk in employee_ids))
    if not ids:
        raise MutuValueError(
            "Pilih minimal satu pegawai untuk dinominasikan.",
            "Choose at least one employee to nominate.",
            field="employees",
        )
    activity = _open_activity(activity_id)
    employees = {e.pk: e for e in Employee.objects.filter(pk__in=ids)}
    unknown = [pk for pk in ids if pk not in employees]
    if unknown:
        raise MutuValueError(
            f"Pegawai tidak ditemukan: {', '.join(map(str, unknown))}.",
            f"No such employee: {', '.join(map(str, unknown))}.",
            field="employees",
        )
    inactive = [e.name for e in employees.values() if not e.is_active]
    if inactive:
        raise MutuValueError(
            f"Pegawai tidak aktif tidak dapat dinominasikan: {', '.join(inactive)}.",
            f"An inactive employee cannot be nominated: {', '.join(inactive)}.",
            field="employees",
        )
    enrolled = set(
        activity.enrollments.filter(employee_id__in=ids).values_list("employee_id", flat=True)
    )
    new = [pk for pk in ids if pk not in enrolled]
    if activity.capacity is not None and new:
        taken = activity.enrollments.filter(status__in=ACTIVE_ENROLLMENT).count()
        free = max(activity.capacity - taken, 0)
        if len(new) > free:
            raise MutuValueError(
                f"Kegiatan hanya punya {free} tempat tersisa (kapasitas {activity.capacity}); "
                f"{len(new)} pegawai dipilih.",
                f"The activity has only {free} places left (capacity {activity.capacity}); "
                f"{len(new)} employees were chosen.",
                field="employees",
            )
    day = on or timezone.localdate()
    rows = [
        Enrollment(
            activity=activity,
            employee=employees[pk],
            nominated_by_id=nominated_by_id,
            nominated_on=day,
            status=EnrollmentStatus.NOMINATED,
        )
        for pk in new
    ]
    Enrollment.objects.bulk_create(rows)
    return NominationResult(created=len(rows), already_enrolled=len(enrolled))


@transaction.atomic
def enrollment_register(*, enrollment_ids: Sequence[int], on: date | None = None) -> int:
    """Confirm the registration of nominated employees; the number newly registered.

    A registration already confirmed stays as it is (registering twice stores
    once).  Refused, with nothing changed, for a withdrawn, completed or
    failed enrollment, or one in an activity that is done or cancelled.
    """
    ids = list(dict.fromkeys(int(pk) for pk in enrollment_ids))
    if not ids:
        raise MutuValueError(
            "Pilih minimal satu peserta.", "Choose at least one participant.", field="enrollments"
        )
    rows = list(
        Enrollment.objects.select_for_update()
        .select_related("activity", "employee")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(rows) != len(ids):
        raise MutuValueError(
            "Pendaftaran tidak ditemukan.", "No such enrollment.", field="enrollments"
        )
    for row in rows:
        if row.activity.status in CLOSED:
            raise MutuValueError(
                f"Kegiatan {row.activity.code} sudah selesai atau dibatalkan.",
                f"The activity {row.activity.code} is done or cancelled.",
                field="enrollments",
            )
        if row.status not in (
            EnrollmentStatus.NOMINATED,
            EnrollmentStatus.REGISTERED,
            EnrollmentStatus.CONFIRMED,
        ):
            raise MutuValueError(
                f"{row.employee.name}: pendaftaran berstatus «{status_label(row.status, 'id')}» "
                "tidak dapat dikonfirmasi.",
                f"{row.employee.name}: an enrollment that is {status_label(row.status, 'en')} "
                "cannot be confirmed.",
                field="enrollments",
            )
    day = on or timezone.localdate()
    changed = [row for row in rows if row.status == EnrollmentStatus.NOMINATED]
    stamp = timezone.now()
    for row in changed:
        row.status = EnrollmentStatus.REGISTERED
        row.registered_on = day
        row.updated_at = stamp
    Enrollment.objects.bulk_update(changed, ["status", "registered_on", "updated_at"])
    return len(changed)
