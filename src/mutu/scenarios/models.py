"""A saved plan scenario: one run of the budget optimiser (and the participation analysis)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanScenario(models.Model):
    """The plan JSON of ``mutu plan`` for a year, budget and fairness floor, kept by name."""

    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("plan year"))
    budget = models.DecimalField(_("budget (Rupiah)"), max_digits=18, decimal_places=0)
    fairness_floor = models.FloatField(_("fairness floor"), null=True, blank=True)
    plan = models.JSONField(_("plan"))
    participation = models.JSONField(_("participation analysis"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan scenario")
        verbose_name_plural = _("plan scenarios")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"
