"""The record of every export: who took which data out, when (UU 27/2022 on personal data)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportChannel(models.TextChoices):
    CLI = "cli", _("command line")
    WEB = "web", _("web application")


class ExportLog(models.Model):
    """One export of a kind of data to a file.

    Written by every export, and always for personal data (employees,
    enrollments, attendance, course history): an agency must be able to say
    who took personal data out and when.
    """

    kind = models.CharField(_("kind"), max_length=40)
    shape = models.CharField(_("shape"), max_length=20, default="mutu")
    file_name = models.CharField(_("file"), max_length=500)
    rows = models.PositiveIntegerField(_("rows"))
    personal = models.BooleanField(
        _("personal data"), default=False, help_text=_("The file holds personal data (NIP, names).")
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=ExportChannel.choices, default=ExportChannel.CLI
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.CharField(
        _("actor"),
        max_length=150,
        help_text=_("Who ran the export: the Mutu user, or the operating-system user."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor}: {self.kind} ({self.rows})"
