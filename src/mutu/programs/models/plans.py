"""Partners, programs and their goals, budgets and incentive schemes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mutu.evaluation.pipeline.goals import METRICS, Metric
from mutu.reference.constraints import non_negative_constraint, period_constraint

if TYPE_CHECKING:
    from mutu.people.models import Unit


class PartnerKind(models.TextChoices):
    UNIVERSITY = "university", _("university")
    NGO = "ngo", _("non-governmental organisation")
    BPSDM = "bpsdm", _("BPSDM (provincial training agency)")
    LAN = "lan", _("LAN (National Institute of Public Administration)")
    OTHER = "other", _("other")


class Partner(models.Model):
    """An organisation that runs or hosts development with the agency."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    contact = models.TextField(_("contact"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerAgreement(models.Model):
    """A cooperation agreement (MoU, PKS) with a partner."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="agreements"
    )
    number = models.CharField(_("number"), max_length=100)
    title = models.CharField(_("title"), max_length=250)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    quota = models.PositiveIntegerField(
        _("quota"), null=True, blank=True, help_text=_("Places the partner offers, if agreed.")
    )
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("partner agreement")
        verbose_name_plural = _("partner agreements")
        ordering = ["partner", "-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "number"], name="programs_partneragreement_unique_number"
            ),
            period_constraint("programs_partneragreement_period"),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.number}"


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    SEMIANNUAL = "semiannual", _("twice a year")
    ANNUAL = "annual", _("yearly")


class Program(models.Model):
    """A competency-development program: goals, target groups, activities and budget."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    owner_unit = models.ForeignKey(
        "people.Unit",
        verbose_name=_("owner unit"),
        on_delete=models.PROTECT,
        related_name="owned_programs",
    )
    is_recurring = models.BooleanField(_("recurring"), default=False)
    recurrence = models.CharField(
        _("recurrence"),
        max_length=12,
        choices=Recurrence.choices,
        blank=True,
        help_text=_("How often a recurring program repeats, e.g. quarterly."),
    )
    target_competencies = models.ManyToManyField(
        "people.Competency",
        verbose_name=_("target competencies"),
        related_name="programs",
        blank=True,
    )
    target_units: models.ManyToManyField[Unit, ProgramUnit] = models.ManyToManyField(
        "people.Unit",
        through="ProgramUnit",
        verbose_name=_("target units"),
        related_name="targeted_by_programs",
        blank=True,
    )

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-period_start", "code"]
        constraints = [
            period_constraint("programs_program_period", "period_start", "period_end"),
            models.CheckConstraint(
                condition=Q(is_recurring=False, recurrence="")
                | (Q(is_recurring=True) & ~Q(recurrence="")),
                name="programs_program_recurrence",
                violation_error_message=_(
                    "A recurring program needs a recurrence; a one-off program has none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self) -> None:
        if self.is_recurring and not self.recurrence:
            raise ValidationError({"recurrence": _("A recurring program needs a recurrence.")})
        if not self.is_recurring and self.recurrence:
            raise ValidationError({"recurrence": _("Only a recurring program has a recurrence.")})


class ProgramUnit(models.Model):
    """A unit targeted by a program, and the year it adopted it (staggered adoption)."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="unit_links"
    )
    unit = models.ForeignKey(
        "people.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="program_links",
    )
    adoption_year = models.PositiveSmallIntegerField(
        _("adoption year"),
        null=True,
        blank=True,
        help_text=_("First year the unit took part; empty when it has not adopted the program."),
    )

    class Meta:
        verbose_name = _("program unit")
        verbose_name_plural = _("program units")
        constraints = [
            models.UniqueConstraint(fields=["program", "unit"], name="programs_programunit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.program} · {self.unit}"


class GoalDimension(models.TextChoices):
    COMPETENCE = "competence", _("competence")
    PROFESSIONALISM = "professionalism", _("professionalism")
    INTEGRITY = "integrity", _("integrity")
    CONTINUOUS_LEARNING = "continuous_learning", _("continuous learning")


def _metric_label(metric: Metric) -> str:
    """The metric's label in the active language (the catalogue carries both)."""
    return metric.label_id if (get_language() or "id").startswith("id") else metric.label_en


GOAL_METRIC_CHOICES = [(code, lazy(_metric_label, str)(m)) for code, m in METRICS.items()]


class ProgramGoal(models.Model):
    """A measurable goal of a program: indicator, baseline and target."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="goals"
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=GoalDimension.choices)
    statement = models.TextField(_("statement"))
    indicator = models.CharField(_("indicator"), max_length=250)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=60, blank=True)
    metric = models.CharField(
        _("computed metric"),
        max_length=40,
        blank=True,
        choices=GOAL_METRIC_CHOICES,
        help_text=_(
            "The figure Mutu computes to judge this goal; empty when the indicator is not "
            "computed from Mutu's data."
        ),
    )
    activity_series = models.CharField(
        _("activity series"),
        max_length=40,
        blank=True,
        help_text=_(
            "For goals about some activities of the program only: the code prefix of those "
            "activities (e.g. SEMINT for SEMINT-2026-01)."
        ),
    )

    class Meta:
        verbose_name = _("program goal")
        verbose_name_plural = _("program goals")
        ordering = ["program", "dimension", "pk"]

    def __str__(self) -> str:
        return f"{self.program.code}: {self.indicator}"


class CostType(models.TextChoices):
    HONORARIUM = "honorarium", _("honoraria (trainers, speakers)")
    VENUE = "venue", _("venue")
    CONSUMPTION = "consumption", _("meals and refreshments")
    TRANSPORT = "transport", _("transport")
    MATERIALS = "materials", _("materials")
    PARTNER_FEE = "partner_fee", _("partner fee")
    OTHER = "other", _("other")


class BudgetLine(models.Model):
    """A planned cost of a program, optionally of one of its activities."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    account_code = models.CharField(
        _("account code"), max_length=60, help_text=_("Budget account (kode rekening).")
    )
    cost_type = models.CharField(
        _("cost type"), max_length=20, choices=CostType.choices, default=CostType.OTHER
    )
    description = models.CharField(_("description"), max_length=250)
    planned_amount = models.DecimalField(_("planned amount (Rp)"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["program", "fiscal_year", "account_code"]
        constraints = [
            non_negative_constraint("planned_amount", "programs_budgetline_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} {self.fiscal_year} {self.account_code}: {self.description}"

    def clean(self) -> None:
        if self.planned_amount is not None and self.planned_amount < 0:
            raise ValidationError({"planned_amount": _("An amount cannot be negative.")})
        if (
            self.activity is not None
            and self.program_id is not None
            and self.activity.program_id != self.program_id
        ):
            raise ValidationError({"activity": _("The activity belongs to another program.")})


class Expenditure(models.Model):
    """Money actually spent against a budget line."""

    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (Rp)"), max_digits=16, decimal_places=2)
    description = models.CharField(_("description"), max_length=250, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["budget_line", "date"]
        constraints = [
            non_negative_constraint("amount", "programs_expenditure_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: Rp {self.amount}"

    def clean(self) -> None:
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("An amount cannot be negative.")})


class IncentiveKind(models.TextChoices):
    CERTIFICATE_CREDIT = "certificate_credit", _("certificate credit")
    RECOGNITION = "recognition", _("recognition")
    TPP_POINTS = "tpp_points", _("TPP-linked points")
    OTHER = "other", _("other")


class IncentiveScheme(models.Model):
    """A way of encouraging participation, whose effect can then be measured."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=IncentiveKind.choices)
    description = models.TextField(_("description"), blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("incentive scheme")
        verbose_name_plural = _("incentive schemes")
        ordering = ["-start", "name"]
        constraints = [period_constraint("programs_incentivescheme_period")]

    def __str__(self) -> str:
        return self.name


class IncentiveOffer(models.Model):
    """An incentive offered to an employee, and whether they took it."""

    scheme = models.ForeignKey(
        IncentiveScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="offers"
    )
    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="incentive_offers",
    )
    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incentive_offers",
    )
    offered_on = models.DateField(_("offered on"))
    accepted = models.BooleanField(
        _("accepted"), null=True, blank=True, help_text=_("Empty while no answer is known.")
    )

    class Meta:
        verbose_name = _("incentive offer")
        verbose_name_plural = _("incentive offers")
        ordering = ["-offered_on"]

    def __str__(self) -> str:
        return f"{self.scheme} → {self.employee.name}"
