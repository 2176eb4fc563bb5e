"""Internships (magang): a young ASN placed at a partner or another unit, with a logbook."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutu.reference.constraints import period_constraint


class Internship(models.Model):
    """A placement (magang) of an employee at a host partner or unit, with a mentor."""

    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="internships",
    )
    host_partner = models.ForeignKey(
        "programs.Partner",
        verbose_name=_("host partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="internships",
    )
    host_unit = models.ForeignKey(
        "people.Unit",
        verbose_name=_("host unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_internships",
    )
    agreement = models.ForeignKey(
        "programs.PartnerAgreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="internships",
        help_text=_("The host partner's agreement whose quota the placement uses."),
    )
    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="internships",
        help_text=_("The magang activity this placement belongs to, if any."),
    )
    mentor_name = models.CharField(_("mentor name"), max_length=200, blank=True)
    mentor_employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("mentor (employee)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentored_internships",
    )
    mentor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentored_internships",
        help_text=_(
            "The account the mentor signs in with; a mentor from outside government sees "
            "only the interns they mentor."
        ),
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    objectives = models.TextField(_("objectives"), blank=True)
    competency = models.ForeignKey(
        "people.Competency",
        verbose_name=_("competency to develop"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A competency of the intern's position standard the objectives aim at."),
    )
    target_level = models.PositiveSmallIntegerField(
        _("target level"),
        null=True,
        blank=True,
        help_text=_("Level 1 (lowest) to 5 (highest); the position's required level by default."),
    )
    final_competency = models.ManyToManyField(
        "people.CompetencyAssessment",
        verbose_name=_("final competency assessment"),
        blank=True,
        related_name="internships",
        help_text=_(
            "The competency levels measured at the end of the placement, one per competency "
            "of the position's standard."
        ),
    )

    class Meta:
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        ordering = ["-start"]
        constraints = [
            period_constraint("programs_internship_period"),
            models.CheckConstraint(
                condition=Q(host_partner__isnull=False, host_unit__isnull=True)
                | Q(host_partner__isnull=True, host_unit__isnull=False),
                name="programs_internship_one_host",
                violation_error_message=_("An internship has one host: a partner or a unit."),
            ),
        ]

    def __str__(self) -> str:
        host = self.host_partner or self.host_unit
        return f"{self.employee.name} → {host} ({self.start})"

    def clean(self) -> None:
        if (self.host_partner_id is None) == (self.host_unit_id is None):
            raise ValidationError(
                {"host_unit": _("Choose either a host partner or a host unit, not both.")}
            )
        if not self.mentor_name and self.mentor_employee_id is None:
            raise ValidationError({"mentor_name": _("Name the mentor.")})
        if self.mentor_employee_id is not None and self.mentor_employee_id == self.employee_id:
            raise ValidationError({"mentor_employee": _("An intern cannot mentor themselves.")})
        agreement = self.agreement if self.agreement_id is not None else None
        if (
            agreement is not None
            and self.host_partner_id is not None
            and agreement.partner_id != self.host_partner_id
        ):
            raise ValidationError({"agreement": _("The agreement is not the host partner's.")})


class InternshipLogEntry(models.Model):
    """One week of an internship's logbook, with the mentor's comment."""

    internship = models.ForeignKey(
        Internship,
        verbose_name=_("internship"),
        on_delete=models.CASCADE,
        related_name="log_entries",
    )
    week_start = models.DateField(_("week starting"))
    text = models.TextField(_("what was done"))
    mentor_comment = models.TextField(_("mentor comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("internship log entry")
        verbose_name_plural = _("internship log entries")
        ordering = ["internship", "week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "week_start"], name="programs_internshiplog_unique_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.internship.employee.name} {self.week_start}"

    def clean(self) -> None:
        internship = self.internship if self.internship_id is not None else None
        if internship is None or self.week_start is None:
            return
        if not internship.start <= self.week_start <= internship.end:
            raise ValidationError({"week_start": _("The week is outside the internship's period.")})


class AssessmentStage(models.TextChoices):
    MIDPOINT = "mid", _("mid-point")
    END = "end", _("end")


class InternshipAssessment(models.Model):
    """The mentor's rubric at the mid-point or the end of an internship (``magang`` rulebook)."""

    internship = models.ForeignKey(
        Internship,
        verbose_name=_("internship"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    stage = models.CharField(_("stage"), max_length=3, choices=AssessmentStage.choices)
    scores = models.JSONField(
        _("scores"), default=dict, help_text=_("Score per rubric criterion code.")
    )
    comment = models.TextField(_("comment"), blank=True)
    rulebook = models.CharField(
        _("rulebook"), max_length=60, blank=True, help_text=_("The rubric's rulebook version.")
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("internship assessment")
        verbose_name_plural = _("internship assessments")
        ordering = ["internship", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "stage"], name="programs_internshipassessment_unique_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.internship} · {self.stage}"
