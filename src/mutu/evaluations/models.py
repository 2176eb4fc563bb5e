"""Stored evaluation runs: what was computed, from which data, under which rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationRun(models.Model):
    """One run of ``mutu evaluate``: its JSON results and where they came from."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    data_hash = models.CharField(
        _("data snapshot hash"),
        max_length=64,
        help_text=_(
            "sha256 over the frames the evaluation read; the same data gives the same hash."
        ),
    )
    rulebooks = models.JSONField(_("rulebook versions used"), default=list)
    plan = models.JSONField(_("evaluation plan"), default=dict)
    results = models.JSONField(_("results"))
    mutu_version = models.CharField(_("Mutu version"), max_length=20)

    class Meta:
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.data_hash[:12]}"
