"""Questionnaires and tests: versioned instruments, items, responses and answers.

A response never names its respondent.  When an instrument is not anonymous,
who answered is kept apart in :class:`ResponseIdentity`, which an anonymous
instrument refuses outright, so an anonymous survey cannot be de-anonymised
by a join.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutu.reference.constraints import non_negative_constraint


def new_response_token() -> str:
    """A random, URL-safe token that identifies a response (not a person)."""
    return secrets.token_urlsafe(24)


class InstrumentKind(models.TextChoices):
    REACTION = "reaction", _("reaction survey (level 1)")
    PRE_TEST = "pre_test", _("pre-test (level 2)")
    POST_TEST = "post_test", _("post-test (level 2)")
    SELF_EFFICACY = "self_efficacy", _("self-efficacy scale")
    SUPERVISOR_RATING = "supervisor_rating", _("supervisor rating (level 3)")
    SKM = "skm", _("public satisfaction survey (SKM)")
    OTHER = "other", _("other")


class Instrument(models.Model):
    """A questionnaire or test, in versions."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title_id = models.CharField(_("title (Indonesian)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices)
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Responses to an anonymous instrument can never be linked to a person."),
    )

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.title_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.anonymity_check()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.anonymity_check()

    def anonymity_check(self) -> None:
        """Refuse to switch anonymity, either way, once the instrument has responses.

        The answers were given on the promise made when they were collected:
        switching it off would expose them; switching it on would leave named
        responses under an instrument that claims none are (UU 27/2022 PDP).
        """
        if self.pk is None:
            return
        stored = (
            Instrument.objects.filter(pk=self.pk).values_list("is_anonymous", flat=True).first()
        )
        if stored is None or stored == self.is_anonymous:
            return
        if Response.objects.filter(version__instrument_id=self.pk).exists():
            raise ValidationError(
                {
                    "is_anonymous": _(
                        "Anonymity cannot be changed once the instrument has responses: they "
                        "were given on the promise made when they were collected."
                    )
                },
                code="anonymity_fixed",
            )


class InstrumentVersion(models.Model):
    """One version of an instrument; locked once responses depend on it."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    is_locked = models.BooleanField(
        _("locked"), default=False, help_text=_("A locked version's items can no longer change.")
    )

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["instrument", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "version"], name="instruments_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="instruments_version_positive",
                violation_error_message=_("Versions are numbered from 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} v{self.version}"


class Scale(models.Model):
    """A rating scale, e.g. 1–4 (SKM) or 1–5 (Likert), with a label per point."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    min_value = models.SmallIntegerField(_("lowest point"))
    max_value = models.SmallIntegerField(_("highest point"))
    labels = models.JSONField(
        _("labels"),
        default=dict,
        blank=True,
        help_text=_('Per point, the label in each language: {"1": {"id": "…", "en": "…"}, …}.'),
    )

    class Meta:
        verbose_name = _("scale")
        verbose_name_plural = _("scales")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_value__gt=F("min_value")),
                name="instruments_scale_range",
                violation_error_message=_("The highest point must be above the lowest."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.min_value}–{self.max_value})"

    def clean(self) -> None:
        if not isinstance(self.labels, dict):
            raise ValidationError({"labels": _("The labels must be an object keyed by point.")})
        if self.min_value is None or self.max_value is None:
            return
        points = {str(p) for p in range(self.min_value, self.max_value + 1)}
        for key, label in self.labels.items():
            if str(key) not in points:
                raise ValidationError(
                    {
                        "labels": ValidationError(
                            _("Label for %(point)s, which is not a point of the scale."),
                            params={"point": key},
                        )
                    }
                )
            if not isinstance(label, dict) or not set(label) <= {"id", "en"}:
                raise ValidationError(
                    {"labels": _('Each label is an object with the texts "id" and "en".')}
                )


class ItemType(models.TextChoices):
    LIKERT = "likert", _("rating on a scale")
    MULTIPLE_CHOICE = "multiple_choice", _("multiple choice")
    NUMERIC = "numeric", _("number")
    TEXT = "text", _("free text")


class Item(models.Model):
    """A question of an instrument version."""

    version = models.ForeignKey(
        InstrumentVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_id = models.TextField(_("text (Indonesian)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    dimension = models.CharField(
        _("dimension"), max_length=60, blank=True, help_text=_("Scored together with its peers.")
    )
    item_type = models.CharField(_("item type"), max_length=20, choices=ItemType.choices)
    scale = models.ForeignKey(
        Scale,
        verbose_name=_("scale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
    )
    is_reverse = models.BooleanField(_("reverse-scored"), default=False)
    answer_key = models.CharField(
        _("answer key"),
        max_length=40,
        blank=True,
        help_text=_("Code of the correct option of a test item; empty when there is none."),
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal(1))

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="instruments_item_unique_code"
            ),
            non_negative_constraint("points", "instruments_item_points_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.code}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.item_type == ItemType.LIKERT and self.scale_id is None:
            errors["scale"] = _("A rating item needs a scale.")
        if self.is_reverse and self.item_type != ItemType.LIKERT:
            errors["is_reverse"] = _("Only a rating item can be reverse-scored.")
        if self.answer_key and self.item_type != ItemType.MULTIPLE_CHOICE:
            errors["answer_key"] = _("Only a multiple-choice item has an answer key.")
        if self.points is not None and self.points < 0:
            errors["points"] = _("Points cannot be negative.")
        if errors:
            raise ValidationError(errors)


class ItemOption(models.Model):
    """A choice of a multiple-choice item."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="options"
    )
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_id = models.CharField(_("text (Indonesian)"), max_length=500)
    text_en = models.CharField(_("text (English)"), max_length=500, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["item", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="instruments_option_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.code}"


class RespondentRole(models.TextChoices):
    PARTICIPANT = "participant", _("participant")
    SUPERVISOR = "supervisor", _("supervisor")
    CITIZEN = "citizen", _("citizen (service user)")


class Occasion(models.TextChoices):
    PRE = "pre", _("pre-test (before)")
    POST = "post", _("post-test (after)")
    END = "end", _("end of the activity")
    BEFORE = "before", _("before training (follow-up baseline)")
    AFTER = "after", _("60–90 days after training")


class Response(models.Model):
    """One filled-in instrument.  It does not say who filled it in (see ResponseIdentity)."""

    version = models.ForeignKey(
        InstrumentVersion,
        verbose_name=_("instrument version"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
    )
    unit = models.ForeignKey(
        "people.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        help_text=_("The service unit rated, for a public satisfaction survey."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    token = models.CharField(
        _("response token"), max_length=64, unique=True, default=new_response_token, editable=False
    )
    respondent_role = models.CharField(
        _("respondent role"), max_length=12, choices=RespondentRole.choices
    )
    occasion = models.CharField(
        _("occasion"),
        max_length=10,
        choices=Occasion.choices,
        blank=True,
        help_text=_("When it was given: before or after training, at the end of an activity."),
    )
    subject = models.ForeignKey(
        "people.Employee",
        verbose_name=_("employee rated"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings_received",
        help_text=_(
            "For a supervisor rating: the employee whose work is rated. "
            "Never set for an anonymous instrument."
        ),
    )
    external_id = models.CharField(
        _("external ID"),
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text=_(
            "The submission's instance ID in KoboToolbox/ODK (meta/instanceID), so that "
            "importing the same export again adds nothing."
        ),
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.version} · {self.token[:8]}"

    def clean(self) -> None:
        rated = self.subject_id is not None and self.version_id is not None
        if rated and self.version.instrument.is_anonymous:
            raise ValidationError({"subject": anonymity_error()})


def anonymity_error() -> ValidationError:
    return ValidationError(
        _("This instrument is anonymous: a response to it cannot be linked to an employee."),
        code="anonymous",
    )


class ResponseIdentity(models.Model):
    """Who gave a response to a non-anonymous instrument, kept apart from the answers."""

    response = models.OneToOneField(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="identity"
    )
    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="response_identities",
    )

    class Meta:
        verbose_name = _("response identity")
        verbose_name_plural = _("response identities")
        ordering = ["response"]

    def __str__(self) -> str:
        return f"{self.response} ← {self.employee.nip}"

    def clean(self) -> None:
        if self.response_id is not None and self.response.version.instrument.is_anonymous:
            raise ValidationError({"response": anonymity_error()})


class Answer(models.Model):
    """The answer to one item in one response."""

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="answers"
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4, null=True, blank=True)
    option = models.ForeignKey(
        ItemOption,
        verbose_name=_("option"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="instruments_answer_unique"),
        ]

    def __str__(self) -> str:
        if self.option is not None:
            return f"{self.item.code}: {self.option.code}"
        if self.value is not None:
            return f"{self.item.code}: {self.value}"
        return f"{self.item.code}: {self.text[:40]}"

    def clean(self) -> None:
        if self.item_id is None:
            return
        item = self.item
        if self.response_id is not None and self.response.version_id != item.version_id:
            raise ValidationError({"item": _("The item belongs to another instrument version.")})
        if self.option_id is not None:
            if item.item_type != ItemType.MULTIPLE_CHOICE:
                raise ValidationError({"option": _("Only a multiple-choice item takes an option.")})
            assert self.option is not None
            if self.option.item_id != item.pk:
                raise ValidationError({"option": _("The option belongs to another item.")})
        if self.value is not None and item.item_type in (ItemType.MULTIPLE_CHOICE, ItemType.TEXT):
            raise ValidationError({"value": _("This item takes no number.")})
        if item.item_type == ItemType.LIKERT and self.value is not None and item.scale:
            scale = item.scale
            if not (scale.min_value <= self.value <= scale.max_value) or self.value % 1:
                raise ValidationError(
                    {
                        "value": ValidationError(
                            _("The rating must be a whole number from %(min)s to %(max)s."),
                            params={"min": scale.min_value, "max": scale.max_value},
                        )
                    }
                )


# Instruments in the field (attachments, personal links, public-form rate counters) live in
# their own module; importing them here registers them with the app.
from mutu.instruments.fieldwork import (  # noqa: E402
    ActivityInstrument,
    InstrumentLink,
    LinkRole,
    PublicFormRate,
)

__all__ = [
    "ActivityInstrument",
    "Answer",
    "Instrument",
    "InstrumentKind",
    "InstrumentLink",
    "InstrumentVersion",
    "Item",
    "ItemOption",
    "ItemType",
    "LinkRole",
    "Occasion",
    "PublicFormRate",
    "RespondentRole",
    "Response",
    "ResponseIdentity",
    "Scale",
    "anonymity_error",
    "new_response_token",
]
