"""Instruments in the field: attached to an activity, filled through personal links.

An :class:`ActivityInstrument` puts one instrument version on an activity for
one occasion (pre-test, post-test, reaction at the end, the 60–90-day
follow-up) between two dates.  Each respondent gets an :class:`InstrumentLink`
with a token of their own.  The token is never stored: the link keeps a random
nonce, the token is an HMAC of that nonce under the secret key (so exports can
print it again, while a copy of the database alone cannot), and lookups go
through the token's SHA-256.

A link says only *whether* it was used.  It never points at the response it
produced, and for an anonymous instrument it keeps no time of submission and
drops its draft answers when submitted: the answers cannot be joined back to
the person, yet staff still see who has not answered.

:class:`PublicFormRate` counts public submissions (the citizens' SKM) per
hashed client address and hour, for rate limiting without keeping addresses.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutu.instruments.models import Occasion


class LinkRole(models.TextChoices):
    """Who fills a personal link."""

    PARTICIPANT = "participant", _("participant")
    SUPERVISOR = "supervisor", _("supervisor")


class ActivityInstrument(models.Model):
    """An instrument version given in an activity on one occasion, open between two dates."""

    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="attached_instruments",
    )
    version = models.ForeignKey(
        "instruments.InstrumentVersion",
        verbose_name=_("instrument version"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    occasion = models.CharField(_("occasion"), max_length=10, choices=Occasion.choices)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(
        _("closes on"), help_text=_("The last day on which the form can be submitted.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("instrument of an activity")
        verbose_name_plural = _("instruments of activities")
        ordering = ["activity", "opens_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "version", "occasion"],
                name="instruments_activityinstrument_unique",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="instruments_activityinstrument_period",
                violation_error_message=_("A form cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.version} · {self.occasion}"


class InstrumentLink(models.Model):
    """One respondent's personal link to an attached instrument.

    For a participant, ``respondent`` is the enrolled employee; for a
    supervisor's follow-up, it is their direct supervisor and the employee
    rated is the enrollment's.
    """

    attachment = models.ForeignKey(
        ActivityInstrument,
        verbose_name=_("instrument of an activity"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    enrollment = models.ForeignKey(
        "programs.Enrollment",
        verbose_name=_("enrollment"),
        on_delete=models.CASCADE,
        related_name="instrument_links",
    )
    respondent = models.ForeignKey(
        "people.Employee",
        verbose_name=_("respondent"),
        on_delete=models.PROTECT,
        related_name="instrument_links",
        help_text=_("Who fills the form: the participant, or their supervisor for a follow-up."),
    )
    respondent_role = models.CharField(
        _("respondent role"), max_length=12, choices=LinkRole.choices
    )
    nonce = models.CharField(_("nonce"), max_length=32, unique=True, editable=False)
    token_hash = models.CharField(
        _("token hash"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("SHA-256 of the link's token; the token itself is not stored."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    draft = models.JSONField(
        _("saved answers"),
        default=dict,
        blank=True,
        help_text=_("Answers saved before submission; emptied when the form is submitted."),
    )
    is_submitted = models.BooleanField(_("submitted"), default=False)
    submitted_at = models.DateTimeField(
        _("submitted at"),
        null=True,
        blank=True,
        help_text=_("Kept only for instruments that are not anonymous."),
    )

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")
        ordering = ["attachment", "enrollment", "respondent_role"]
        constraints = [
            models.UniqueConstraint(
                fields=["attachment", "enrollment", "respondent_role"],
                name="instruments_link_unique_per_enrollment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attachment} · {self.enrollment_id} · {self.respondent_role}"


class PublicFormRate(models.Model):
    """Submissions of a public form from one (hashed) client address in one hour."""

    key = models.CharField(
        _("client key"),
        max_length=64,
        help_text=_("Keyed hash of the client address; the address itself is not stored."),
    )
    window_start = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("submissions"), default=0)

    class Meta:
        verbose_name = _("public form rate counter")
        verbose_name_plural = _("public form rate counters")
        ordering = ["-window_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_start"], name="instruments_publicformrate_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key[:8]} @ {self.window_start:%Y-%m-%d %H:00}: {self.count}"
