"""Writes for instruments: building versioned instruments and submitting responses.

:func:`response_submit` stores a response with all its answers, or nothing; it
refuses to link a response to an employee when the instrument is anonymous.

Survey intake is the busiest write (docs/scale.md, "Survey intake
throughput"), so a submission costs a fixed handful of SQL statements: the
answers are validated in Python against a :class:`VersionSpec` (the version's
items, scales and options), written with one ``bulk_create``, and recorded in
the audit trail as one event for the response, its answers and its identity
(none at all for an anonymous instrument).  The spec of a *locked* version is
kept per process (:func:`version_spec`): a locked version's items can no
longer change (:func:`item_add` refuses), an unlocked one is read afresh every
time, and any save or delete of an instrument, version, item, option or scale
in this process empties the cache; entries also expire after
:data:`VERSION_CACHE_SECONDS`, so an edit in another process (the admin) is
seen within that time.  Whether an instrument is anonymous is never cached:
it is read with the version on each request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mutu.accounts.audit import audit_record
from mutu.accounts.models import AuditAction
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


# -- what a submission is checked against: a version's items, cached when locked ----------------

#: Seconds a locked version's spec is kept per process (an admin edit elsewhere shows after this).
VERSION_CACHE_SECONDS = 300.0


@dataclass(frozen=True)
class ItemSpec:
    """What checking and storing an answer needs of an item."""

    pk: int
    code: str
    item_type: str
    scale_min: int | None
    scale_max: int | None
    #: Option code → option id (multiple-choice items).
    options: Mapping[str, int]


@dataclass(frozen=True)
class VersionSpec:
    """A version's items in form order (``order``, ``code``), by code too.

    ``instrument_id``, ``version`` and ``published_at`` identify the version
    it was read from: a cached spec is used only for a version object that
    still has them.
    """

    pk: int
    instrument_id: int
    version: int
    published_at: datetime | None
    items: tuple[ItemSpec, ...]

    @property
    def by_code(self) -> dict[str, ItemSpec]:
        return {item.code: item for item in self.items}

    def matches(self, version: InstrumentVersion) -> bool:
        return (self.pk, self.instrument_id, self.version, self.published_at) == (
            version.pk,
            version.instrument_id,
            version.version,
            version.published_at,
        )


_cache: dict[int, tuple[float, VersionSpec]] = {}
_cache_lock = threading.Lock()


def _spec_read(version: InstrumentVersion) -> VersionSpec:
    """Read a version's items (with their scale) and options: two SQL statements."""
    options: dict[int, dict[str, int]] = {}
    for item_id, code, option_id in ItemOption.objects.filter(
        item__version_id=version.pk
    ).values_list("item_id", "code", "pk"):
        options.setdefault(item_id, {})[code] = option_id
    rows = (
        Item.objects.filter(version_id=version.pk)
        .order_by("order", "code")
        .values_list("pk", "code", "item_type", "scale__min_value", "scale__max_value")
    )
    items = tuple(
        ItemSpec(pk, code, item_type, low, high, options.get(pk, {}))
        for pk, code, item_type, low, high in rows
    )
    return VersionSpec(
        version.pk, version.instrument_id, version.version, version.published_at, items
    )


def version_spec(version: InstrumentVersion) -> VersionSpec:
    """The version's items as a :class:`VersionSpec`; kept per process once it is locked.

    ``version.is_locked`` is taken from the object given (read from the
    database by the caller): an unlocked version is always read afresh and
    never kept (its items may still change).
    """
    now = time.monotonic()
    if version.is_locked:
        with _cache_lock:
            entry = _cache.get(version.pk)
        if entry is not None and entry[0] > now and entry[1].matches(version):
            return entry[1]
    spec = _spec_read(version)
    with _cache_lock:
        if version.is_locked:
            _cache[version.pk] = (now + VERSION_CACHE_SECONDS, spec)
        else:
            _cache.pop(version.pk, None)
    return spec


def version_cache_clear(**_: Any) -> None:
    """Forget every kept version spec (connected to saves and deletes of what a spec holds)."""
    with _cache_lock:
        _cache.clear()


_SPEC_MODELS: tuple[type[models.Model], ...] = (
    Instrument,
    InstrumentVersion,
    Item,
    ItemOption,
    Scale,
)
for _model in _SPEC_MODELS:
    for _signal in (post_save, post_delete):
        _signal.connect(
            version_cache_clear,
            sender=_model,
            dispatch_uid=f"mutu-version-spec-{_signal is post_save}-{_model._meta.label}",
        )


# -- responses ----------------------------------------------------------------------------------

_VALUE_FIELD = Answer._meta.get_field("value")


def _answer(response: Response, item: ItemSpec, raw: AnswerInput) -> Answer:
    """The answer to an item, checked as ``Answer.full_clean`` would, without a query."""
    answer = Answer(response=response, item_id=item.pk)
    if item.item_type == ItemType.MULTIPLE_CHOICE:
        option_id = item.options.get(str(raw)) if raw is not None else None
        if raw is not None and option_id is None:
            raise ValidationError(
                _("%(value)s is not an option of this item."), params={"value": raw}
            )
        answer.option_id = option_id
        return answer
    if item.item_type == ItemType.TEXT:
        answer.text = "" if raw is None else str(raw)
        return answer
    if raw is None:
        return answer
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number.")) from None
    value = _VALUE_FIELD.clean(value, answer)  # digits and decimal places of the column
    if item.item_type == ItemType.LIKERT and item.scale_min is not None:
        low, high = item.scale_min, item.scale_max
        if high is None or not (low <= value <= high) or value % 1:
            raise ValidationError(
                _("The rating must be a whole number from %(min)s to %(max)s."),
                params={"min": low, "max": high},
            )
    answer.value = value
    return answer


def _response_fields_check(response: Response) -> None:
    """``Response.full_clean`` for the fields a submission sets (the foreign keys are objects
    read from the database, and the database checks them again)."""
    errors: dict[str, list[str]] = {}
    for name in ("respondent_role", "occasion", "submitted_at"):
        field = Response._meta.get_field(name)
        assert isinstance(field, models.Field)
        try:
            setattr(
                response, field.attname, field.clean(getattr(response, field.attname), response)
            )
        except ValidationError as err:
            errors[name] = err.messages
    if errors:
        raise ValidationError(errors)


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
    employee_id: int | None = None,
    subject_id: int | None = None,
) -> Response:
    """Store a response with its answers (item code → answer); all of it or nothing.

    Everything is checked before anything is written; then, in one
    transaction, the response, its answers (one ``bulk_create``), the
    identity and one audit event (none for an anonymous instrument) are
    written: about four SQL statements, plus two to read the items of a
    version not yet kept (:func:`version_spec`) and one to lock the version on
    its first response.  Inside a caller's transaction no savepoint is made.

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
    employee_id, subject_id
        The same two by primary key, when the caller has not read the employees
        (the personal link's submission); give one form or the other.
    occasion
        ``pre``/``post`` (tests), ``end`` (reaction), ``before``/``after`` (follow-up).

    Raises
    ------
    ValidationError
        Keyed ``employee`` or ``subject`` (anonymity), ``answers`` (one message
        per bad answer, prefixed with its item code) or a field of the response.
    """
    if employee is not None:
        employee_id = employee.pk
    if subject is not None:
        subject_id = subject.pk
    anonymous = version.instrument.is_anonymous
    if employee_id is not None and anonymous:
        raise ValidationError({"employee": anonymity_error()})
    if subject_id is not None and anonymous:
        raise ValidationError({"subject": anonymity_error()})
    response = Response(
        version=version,
        activity=activity,
        unit=unit,
        respondent_role=respondent_role,
        subject_id=subject_id,
        occasion=occasion,
        submitted_at=submitted_at or timezone.now(),
    )
    if subject is not None:
        response.subject = subject
    _response_fields_check(response)
    items = version_spec(version).by_code
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
    # Bulk inserts send no signals: the audit event is written below, once.
    with transaction.atomic(savepoint=False):
        Response.objects.bulk_create([response])
        for answer in ready:
            answer.response_id = response.pk
        Answer.objects.bulk_create(ready)
        if employee_id is not None:
            ResponseIdentity.objects.bulk_create(
                [ResponseIdentity(response=response, employee_id=employee_id)]
            )
        if not version.is_locked:
            InstrumentVersion.objects.filter(pk=version.pk).update(is_locked=True)
            version.is_locked = True
        if not anonymous:
            # Row ids only, never what was answered; nothing at all for an anonymous instrument.
            audit_record(
                action=AuditAction.CREATE,
                model=Response._meta.label,
                object_pk=response.pk,
                note=f"{len(ready)} answers" + (", identity" if employee_id is not None else ""),
            )
    return response


@transaction.atomic
def response_identity_attach(*, response: Response, employee: Employee) -> ResponseIdentity:
    """Link an existing response to the employee who gave it (never for anonymous ones)."""
    identity = ResponseIdentity(response=response, employee=employee)
    identity.full_clean()
    identity.save()
    return identity
