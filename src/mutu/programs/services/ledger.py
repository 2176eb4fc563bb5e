"""The JP ledger: JP from activities in Mutu and from development elsewhere."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutu.people.models import Employee
from mutu.programs.models import ApprovalStatus, Enrollment, JpLedgerEntry, JpSource
from mutu.programs.services._common import NumberInput, as_decimal


@transaction.atomic
def jp_entry_record(
    *,
    employee: Employee,
    date: date,
    jp: NumberInput | None = None,
    minutes: int | None = None,
    enrollment: Enrollment | None = None,
    title: str = "",
    organiser: str = "",
    evidence: File[Any] | None = None,
    approval_status: str | None = None,
) -> JpLedgerEntry:
    """Credit JP to an employee.

    With an ``enrollment`` the entry comes from an activity in Mutu (approved);
    without one it is development elsewhere, which needs a ``title`` and waits
    for approval (pending) unless ``approval_status`` says otherwise.  Give
    ``jp``, or ``minutes`` from which JP are computed (the ``jp`` rulebook:
    1 JP = 45 minutes).  Negative JP or minutes are refused.
    """
    source = JpSource.ACTIVITY if enrollment is not None else JpSource.EXTERNAL
    if approval_status is None:
        approval_status = (
            ApprovalStatus.APPROVED if source == JpSource.ACTIVITY else ApprovalStatus.PENDING
        )
    entry = JpLedgerEntry(
        employee=employee,
        date=date,
        minutes=minutes,
        source=source,
        enrollment=enrollment,
        title=title,
        organiser=organiser,
        approval_status=approval_status,
    )
    if jp is not None:
        entry.jp = as_decimal(jp, "jp")
    if evidence is not None:
        entry.evidence = evidence
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def jp_entry_decide(
    *, entry: JpLedgerEntry, approved: bool, decided_by: AbstractBaseUser
) -> JpLedgerEntry:
    """Approve or reject JP earned elsewhere."""
    fresh = JpLedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if fresh.source != JpSource.EXTERNAL:
        raise ValidationError(
            {"approval_status": _("Only JP from development elsewhere needs a decision.")}
        )
    fresh.approval_status = ApprovalStatus.APPROVED if approved else ApprovalStatus.REJECTED
    fresh.approved_by = decided_by  # type: ignore[assignment]
    fresh.decided_at = timezone.now()
    fresh.full_clean()
    fresh.save()
    return fresh
