"""The JP ledger: every JP an employee earned, from Mutu's activities or elsewhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from mutu.programs.models.activities import Enrollment, EnrollmentStatus, check_jp, check_minutes
from mutu.reference.constraints import non_negative_constraint, period_constraint
from mutu.reference.validation import merge_errors


class JpSource(models.TextChoices):
    ACTIVITY = "activity", _("activity in Mutu")
    EXTERNAL = "external", _("development elsewhere")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class JpLedgerEntry(models.Model):
    """JP credited to an employee on a date.

    From a completed enrollment in one of Mutu's activities, or from development
    done elsewhere (with its evidence, approved by the agency before it counts).
    """

    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="jp_entries",
    )
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(
        _("year"), editable=False, help_text=_("Year of the date, kept for yearly totals.")
    )
    jp = models.DecimalField(
        _("JP"),
        max_digits=6,
        decimal_places=2,
        blank=True,
        help_text=_("Taken from the minutes when left empty."),
    )
    minutes = models.IntegerField(_("minutes"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=JpSource.choices)
    enrollment = models.OneToOneField(
        Enrollment,
        verbose_name=_("enrollment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jp_entry",
    )
    title = models.CharField(
        _("title"), max_length=250, blank=True, help_text=_("Required for development elsewhere.")
    )
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("First day of development elsewhere; the entry's date is its last day."),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="jp-evidence/%Y/", blank=True)
    approval_status = models.CharField(
        _("approval status"),
        max_length=10,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.PENDING,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(
        _("reason of the decision"), blank=True, help_text=_("Required when JP are rejected.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("JP ledger entry")
        verbose_name_plural = _("JP ledger entries")
        ordering = ["employee", "-date"]
        indexes = [models.Index(fields=["employee", "year"], name="programs_jp_employee_year")]
        constraints = [
            non_negative_constraint("jp", "programs_jpledgerentry_jp_non_negative"),
            non_negative_constraint("minutes", "programs_jpledgerentry_minutes_non_negative"),
            period_constraint("programs_jpledgerentry_period", "start_date", "date"),
            models.CheckConstraint(
                condition=Q(source=JpSource.ACTIVITY, enrollment__isnull=False)
                | Q(source=JpSource.EXTERNAL, enrollment__isnull=True),
                name="programs_jpledgerentry_source",
                violation_error_message=_(
                    "An entry from an activity needs its enrollment; one from elsewhere has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(source=JpSource.ACTIVITY) | ~Q(title=""),
                name="programs_jpledgerentry_external_title",
                violation_error_message=_("Development elsewhere needs a title."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.date}: {self.jp} JP"

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}

        def refuse(field: str, message: StrOrPromise) -> None:
            errors.setdefault(field, []).append(ValidationError(message))

        if self.date is not None:
            self.year = self.date.year
        try:
            derived = check_minutes(self.minutes)
            if self.jp is None:
                self.jp = derived
            check_jp(self.jp)
        except ValidationError as err:
            merge_errors(errors, err)
        if self.jp is None and "minutes" not in errors:
            refuse("jp", _("Give the JP or the minutes."))
        enrollment = self.enrollment if self.enrollment_id is not None else None
        if self.source == JpSource.ACTIVITY:
            if enrollment is None:
                refuse("enrollment", _("An entry from an activity needs its enrollment."))
            elif enrollment.employee_id != self.employee_id:
                refuse("enrollment", _("The enrollment is another employee's."))
            elif enrollment.status != EnrollmentStatus.COMPLETED:
                refuse("enrollment", _("Only a completed enrollment earns JP."))
        elif self.source == JpSource.EXTERNAL:
            if enrollment is not None:
                refuse("enrollment", _("Development elsewhere has no enrollment in Mutu."))
            if not self.title:
                refuse("title", _("Development elsewhere needs a title."))
        if errors:
            raise ValidationError(errors)
