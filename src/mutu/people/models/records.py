"""What is known about an employee over time: competency, performance, discipline."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutu.people.models.employee import Employee
from mutu.people.models.organisation import LEVEL_HELP, Competency
from mutu.reference.constraints import level_constraint, period_constraint


class AssessmentMethod(models.TextChoices):
    ASSESSMENT_CENTER = "assessment_center", _("assessment center")
    UJI_KOMPETENSI = "uji_kompetensi", _("competency test (uji kompetensi)")
    SELF = "self", _("self-assessment")
    SUPERVISOR = "supervisor", _("supervisor assessment")
    PEER = "peer", _("peer assessment")
    OTHER = "other", _("other")


class CompetencyAssessment(models.Model):
    """A measured level of one competency of one employee."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="competency_assessments",
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("measured level"), help_text=LEVEL_HELP)
    assessed_on = models.DateField(_("assessed on"))
    method = models.CharField(_("method"), max_length=20, choices=AssessmentMethod.choices)
    assessor = models.CharField(_("assessor"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("competency assessment")
        verbose_name_plural = _("competency assessments")
        ordering = ["employee", "-assessed_on"]
        constraints = [level_constraint("level", "people_competencyassessment_level_1_5")]

    def __str__(self) -> str:
        return f"{self.employee.name} · {self.competency}: {self.level} ({self.assessed_on})"


class SkpPredikat(models.TextChoices):
    """Performance rating of the SKP (PermenPANRB 6/2022)."""

    SANGAT_BAIK = "sangat_baik", _("Sangat Baik (outstanding)")
    BAIK = "baik", _("Baik (good)")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan (needs improvement)")
    KURANG = "kurang", _("Kurang (poor)")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang (very poor)")


class PerformanceRecord(models.Model):
    """The yearly performance appraisal (SKP) of an employee."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="performance_records",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    predikat = models.CharField(_("SKP predikat"), max_length=20, choices=SkpPredikat.choices)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Optional numeric score, 0 to 100."),
    )

    class Meta:
        verbose_name = _("performance record")
        verbose_name_plural = _("performance records")
        ordering = ["employee", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year"], name="people_performancerecord_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="people_performancerecord_score_0_100",
                violation_error_message=_("The score is between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1945, year__lte=2200),
                name="people_performancerecord_year",
                violation_error_message=_("The year is not plausible."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.year}: {self.get_predikat_display()}"


class DisciplineLevel(models.TextChoices):
    """Level of a disciplinary sanction (PP 94/2021)."""

    RINGAN = "ringan", _("light (ringan)")
    SEDANG = "sedang", _("moderate (sedang)")
    BERAT = "berat", _("severe (berat)")


class DisciplineRecord(models.Model):
    """A disciplinary sanction imposed on an employee."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="discipline_records",
    )
    level = models.CharField(_("level"), max_length=10, choices=DisciplineLevel.choices)
    sanction = models.TextField(_("sanction"))
    decided_on = models.DateField(_("decided on"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    decree_number = models.CharField(_("decree number"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("discipline record")
        verbose_name_plural = _("discipline records")
        ordering = ["employee", "-decided_on"]
        constraints = [period_constraint("people_disciplinerecord_period")]

    def __str__(self) -> str:
        return f"{self.employee.name}: {self.get_level_display()} ({self.decided_on})"
