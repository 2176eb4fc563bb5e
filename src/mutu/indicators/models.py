"""Service indicators of units: SKM results per element and other unit KPIs."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutu.reference.constraints import non_negative_constraint, period_constraint

#: The SKM scale runs from 1 to 4 (PermenPANRB 14/2017), so a mean score does too.
NRR_MIN = Decimal(1)
NRR_MAX = Decimal(4)


class SkmElement(models.TextChoices):
    """The nine elements of the public-satisfaction survey (PermenPANRB 14/2017)."""

    U1 = "U1", _("U1 requirements")
    U2 = "U2", _("U2 system, mechanism and procedure")
    U3 = "U3", _("U3 completion time")
    U4 = "U4", _("U4 cost or tariff")
    U5 = "U5", _("U5 product specification of the service")
    U6 = "U6", _("U6 competence of the staff")
    U7 = "U7", _("U7 behaviour of the staff")
    U8 = "U8", _("U8 facilities and infrastructure")
    U9 = "U9", _("U9 handling of complaints, suggestions and feedback")


class SkmResult(models.Model):
    """The mean score (NRR) of one SKM element for one unit and period."""

    unit = models.ForeignKey(
        "people.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="skm_results"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    element = models.CharField(_("element"), max_length=2, choices=SkmElement.choices)
    nrr = models.DecimalField(
        _("mean score (NRR)"),
        max_digits=6,
        decimal_places=4,
        help_text=_("Mean of the element's answers on the 1–4 scale."),
    )
    respondent_count = models.PositiveIntegerField(_("respondents"))

    class Meta:
        verbose_name = _("SKM result")
        verbose_name_plural = _("SKM results")
        ordering = ["unit", "-period_start", "element"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start", "period_end", "element"],
                name="indicators_skmresult_unique_element",
            ),
            models.CheckConstraint(
                condition=Q(nrr__gte=NRR_MIN, nrr__lte=NRR_MAX),
                name="indicators_skmresult_nrr_1_4",
                violation_error_message=_("A mean score (NRR) is between 1 and 4."),
            ),
            non_negative_constraint(
                "respondent_count", "indicators_skmresult_respondents_non_negative"
            ),
            period_constraint("indicators_skmresult_period", "period_start", "period_end"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start}–{self.period_end} {self.element}: {self.nrr}"

    def clean(self) -> None:
        if self.nrr is not None and not NRR_MIN <= self.nrr <= NRR_MAX:
            raise ValidationError({"nrr": _("A mean score (NRR) is between 1 and 4.")})


class UnitIndicator(models.Model):
    """Another performance indicator of a unit for a period (e.g. a service KPI)."""

    unit = models.ForeignKey(
        "people.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(_("indicator code"), max_length=40)
    name = models.CharField(_("name"), max_length=250)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("unit indicator")
        verbose_name_plural = _("unit indicators")
        ordering = ["unit", "code", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "code", "period_start", "period_end"],
                name="indicators_unitindicator_unique_period",
            ),
            period_constraint("indicators_unitindicator_period", "period_start", "period_end"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.code} {self.period_start}–{self.period_end}: {self.value}"
