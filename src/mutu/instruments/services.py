"""Writes for instruments: building versioned instruments and submitting responses.

:func:`response_submit` stores a response with all its answers, or nothing; it
refuses to link a response to an employee when the instrument is anonymous.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mutu.instruments.models import (
    Answer,
    Instrument,
    InstrumentVersion,
    Item,
    ItemOption,
    ItemType,
    Response,
    ResponseIdentity,
    Scale,
    anonymity_error,
)
from mutu.people.models import Employee, Unit
from mutu.programs.models import Activity

#: An answer as handed over: a number (rating, numeric), an option code, or text.
AnswerInput = Decimal | int | float | str | None


@dataclass(frozen=True)
class OptionSpec:
    """An option to create with a multiple-choice item."""

    code: str
    text_id: str
    text_en: str = ""
    is_correct: bool = False


@transaction.atomic
def instrument_create(
    *, code: str, title_id: str, kind: str, title_en: str = "", is_anonymous: bool = False
) -> Instrument:
    """Create an instrument (its versions hold the items)."""
    instrument = Instrument(
        code=code, title_id=title_id, title_en=title_en, kind=kind, is_anonymous=is_anonymous
    )
    instrument.full_clean()
    instrument.save()
    return instrument


@transaction.atomic
def instrument_version_create(
    *, instrument: Instrument, version: int | None = None
) -> InstrumentVersion:
    """Start a new version of an instrument (numbered after the last one by default)."""
    if version is None:
        last = instrument.versions.aggregate(last=Max("version"))["last"]
        version = (last or 0) + 1
    created = InstrumentVersion(instrument=instrument, version=version)
    created.full_clean()
    created.save()
    return created


def _refuse_if_locked(version: InstrumentVersion) -> None:
    if version.is_locked:
        raise ValidationError(
            {"version": _("This version is locked; start a new version to change its items.")}
        )


@transaction.atomic
def item_add(
    *,
    version: InstrumentVersion,
    code: str,
    text_id: str,
    item_type: str,
    text_en: str = "",
    order: int | None = None,
    dimension: str = "",
    scale: Scale | None = None,
    is_reverse: bool = False,
    answer_key: str = "",
    points: Decimal = Decimal(1),
    options: Sequence[OptionSpec] = (),
) -> Item:
    """Add an item (with its options) to an unlocked version."""
    _refuse_if_locked(version)
    if order is None:
        order = (version.items.aggregate(last=Max("order"))["last"] or 0) + 1
    item = Item(
        version=version,
        code=code,
        order=order,
        text_id=text_id,
        text_en=text_en,
        dimension=dimension,
        item_type=item_type,
        scale=scale,
        is_reverse=is_reverse,
        answer_key=answer_key,
        points=points,
    )
    item.full_clean()
    item.save()
    for position, spec in enumerate(options, start=1):
        option = ItemOption(
            item=item,
            code=spec.code,
            order=position,
            text_id=spec.text_id,
            text_en=spec.text_en,
            is_correct=spec.is_correct,
        )
        option.full_clean()
        option.save()
    if answer_key and not item.options.filter(code=answer_key).exists():
        raise ValidationError({"answer_key": _("The answer key is not one of the item's options.")})
    return item


@transaction.atomic
def version_publish(*, version: InstrumentVersion) -> InstrumentVersion:
    """Publish a version and lock its items."""
    fresh = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if not fresh.items.exists():
        raise ValidationError({"version": _("A version without items cannot be published.")})
    fresh.published_at = fresh.published_at or timezone.now()
    fresh.is_locked = True
    fresh.full_clean()
    fresh.save()
    return fresh


def _answer(response: Response, item: Item, raw: AnswerInput) -> Answer:
    answer = Answer(response=response, item=item)
    if item.item_type == ItemType.MULTIPLE_CHOICE:
        option = item.options.filter(code=str(raw)).first() if raw is not None else None
        if raw is not None and option is None:
            raise ValidationError(
                _("%(value)s is not an option of this item."), params={"value": raw}
            )
        answer.option = option
    elif item.item_type == ItemType.TEXT:
        answer.text = "" if raw is None else str(raw)
    elif raw is not None:
        try:
            answer.value = Decimal(str(raw).strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            raise ValidationError(_("Enter a number.")) from None
    answer.full_clean()
    return answer


@transaction.atomic
def response_submit(
    *,
    version: InstrumentVersion,
    answers: Mapping[str, AnswerInput],
    respondent_role: str,
    activity: Activity | None = None,
    unit: Unit | None = None,
    employee: Employee | None = None,
    subject: Employee | None = None,
    occasion: str = "",
    submitted_at: datetime | None = None,
) -> Response:
    """Store a response with its answers (item code → answer); all of it or nothing.

    Parameters
    ----------
    answers
        Item code → a number (rating or numeric item), an option code
        (multiple choice) or text.  Items left out are unanswered.
    employee
        Who answered, kept apart in :class:`ResponseIdentity`; refused for an
        anonymous instrument.
    subject
        The employee rated (supervisor ratings); refused for an anonymous instrument.
    occasion
        ``pre``/``post`` (tests), ``end`` (reaction), ``before``/``after`` (follow-up).

    Raises
    ------
    ValidationError
        Keyed ``employee`` (anonymity), ``answers`` (one message per bad
        answer, prefixed with its item code) or a field of the response.
    """
    if employee is not None and version.instrument.is_anonymous:
        raise ValidationError({"employee": anonymity_error()})
    response = Response(
        version=version,
        activity=activity,
        unit=unit,
        respondent_role=respondent_role,
        subject=subject,
        occasion=occasion,
        submitted_at=submitted_at or timezone.now(),
    )
    response.full_clean()
    response.save()
    items = {item.code: item for item in version.items.all()}
    problems: list[str] = []
    ready: list[Answer] = []
    for code, raw in answers.items():
        item = items.get(code)
        if item is None:
            problems.append(gettext("%(code)s: no such item in this version.") % {"code": code})
            continue
        try:
            ready.append(_answer(response, item, raw))
        except ValidationError as err:
            problems.extend(f"{code}: {message}" for message in err.messages)
    if problems:
        raise ValidationError({"answers": problems})
    for answer in ready:
        answer.save()
    if employee is not None:
        identity = ResponseIdentity(response=response, employee=employee)
        identity.full_clean()
        identity.save()
    if not version.is_locked:
        InstrumentVersion.objects.filter(pk=version.pk).update(is_locked=True)
        version.is_locked = True
    return response


@transaction.atomic
def response_identity_attach(*, response: Response, employee: Employee) -> ResponseIdentity:
    """Link an existing response to the employee who gave it (never for anonymous ones)."""
    identity = ResponseIdentity(response=response, employee=employee)
    identity.full_clean()
    identity.save()
    return identity
