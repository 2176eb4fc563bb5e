"""Reads for instruments in the field: who may run an activity's forms, links, form items, scores.

Access to an activity's forms (:func:`activity_access`):

- an administrator, the activity's trainer, and an operator of the unit that
  owns the activity's program *manage* it: attach instruments, see every
  participant's link and whether they answered;
- an operator of a unit with participants in the activity sees the links of
  *their own unit's* participants only (offices pass links on to their staff);
- anyone else (analysts included: links are personal) does not reach the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mutu.accounts.models import Role
from mutu.instruments.models import (
    ActivityInstrument,
    InstrumentKind,
    InstrumentLink,
    InstrumentVersion,
    Item,
    ItemType,
    LinkRole,
    Response,
)
from mutu.instruments.skm_texts import SKM_QUESTIONS
from mutu.instruments.tokens import looks_like_token, token_for, token_hash
from mutu.people.models import Employee, Unit
from mutu.programs.models import Activity, ActivityStatus, EnrollmentStatus

if TYPE_CHECKING:
    from mutu.accounts.scope import Scope

__all__ = [
    "ActivityAccess",
    "Choice",
    "FormItem",
    "LinkRow",
    "LinkState",
    "activity_access",
    "attachment_counts",
    "form_items",
    "link_by_token",
    "link_response",
    "link_rows",
    "link_state",
    "person_links",
    "response_score",
    "skm_unit",
    "skm_version",
    "staff_activities",
]

#: Instrument kinds whose score is shown to the respondent after submission.
TEST_KINDS = (InstrumentKind.PRE_TEST, InstrumentKind.POST_TEST)


# -- who may run an activity's forms ---------------------------------------------------------


@dataclass(frozen=True)
class ActivityAccess:
    """What a user may do with an activity's forms.

    ``manage``: attach and remove instruments.  ``unit_ids``: the units whose
    participants' links the user sees; ``None`` means every participant.
    """

    manage: bool
    unit_ids: frozenset[int] | None

    def covers(self, unit_id: int | None) -> bool:
        return self.unit_ids is None or (unit_id is not None and unit_id in self.unit_ids)


def activity_access(scope: Scope, activity: Activity) -> ActivityAccess | None:
    """The user's access to an activity's forms, or ``None`` (answer 404)."""
    if scope.is_admin or activity.pk in scope.activities:
        return ActivityAccess(manage=True, unit_ids=None)
    if not scope.has(Role.UNIT_OPERATOR) or not scope.write_units:
        return None
    if activity.program.owner_unit_id in scope.write_units:
        return ActivityAccess(manage=True, unit_ids=None)
    if activity.enrollments.filter(employee__unit_id__in=scope.write_units).exists():
        return ActivityAccess(manage=False, unit_ids=scope.write_units)
    return None


def staff_activities(scope: Scope, query: str = "") -> QuerySet[Activity]:
    """Activities whose forms the user may open, newest first, optionally filtered by text."""
    qs = Activity.objects.select_related("program")
    if not scope.is_admin:
        cond = Q(pk__in=scope.activities)
        if scope.has(Role.UNIT_OPERATOR) and scope.write_units:
            cond |= Q(program__owner_unit_id__in=scope.write_units)
            cond |= Q(
                pk__in=Activity.objects.filter(
                    enrollments__employee__unit_id__in=scope.write_units
                ).values("pk")
            )
        qs = qs.filter(cond)
    if query:
        qs = qs.filter(Q(code__icontains=query) | Q(title__icontains=query))
    return qs.annotate(n_instruments=Count("attached_instruments")).order_by("-start_date", "code")


# -- links -------------------------------------------------------------------------------------


class LinkState(StrEnum):
    OPEN = "open"
    NOT_YET = "not_yet"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    SUBMITTED = "submitted"


def link_by_token(token: str, *, people: bool = True) -> InstrumentLink | None:
    """The link a token opens, with what its form needs; ``None`` for an unknown token.

    One query reads the link with its attachment, version, instrument, activity
    and enrollment; with ``people`` a second one reads the respondent and the
    participant (``link.respondent``, ``link.enrollment.employee``).  Without,
    only their ids are there (reading them costs a query each): what a
    submission needs.  Two plain queries, because one that also joins both
    employees (eight tables) takes PostgreSQL several milliseconds to plan,
    more than the two together (docs/scale.md, "Survey intake throughput").
    """
    if not looks_like_token(token):
        return None
    # The hash is unique: no ORDER BY at all (the default ordering joins and sorts by the
    # activity, and compiling an ORDER BY over these many columns costs milliseconds).
    found = list(
        InstrumentLink.objects.select_related(
            "attachment__version__instrument", "attachment__activity", "enrollment"
        )
        .filter(token_hash=token_hash(token))
        .order_by()[:1]
    )
    if not found:
        return None
    link = found[0]
    if people:
        enrollment = link.enrollment
        employees = Employee.objects.order_by().in_bulk(
            {link.respondent_id, enrollment.employee_id}
        )
        link.respondent = employees[link.respondent_id]
        enrollment.employee = employees[enrollment.employee_id]
    return link


def link_state(link: InstrumentLink, today: dt.date | None = None) -> LinkState:
    """Whether the link's form can be filled today (submitted first, then the dates)."""
    if link.is_submitted:
        return LinkState.SUBMITTED
    today = today or timezone.localdate()
    attachment = link.attachment
    if (
        attachment.activity.status == ActivityStatus.CANCELLED
        or link.enrollment.status == EnrollmentStatus.WITHDRAWN
    ):
        return LinkState.WITHDRAWN
    if today < attachment.opens_on:
        return LinkState.NOT_YET
    if today > attachment.closes_on:
        return LinkState.CLOSED
    return LinkState.OPEN


@dataclass(frozen=True)
class LinkRow:
    """One personal link as staff see it."""

    attachment_id: int
    name: str
    nip: str
    unit: str
    role: str
    subject_name: str
    subject_nip: str
    token: str
    submitted: bool


def link_rows(activity: Activity, access: ActivityAccess) -> list[LinkRow]:
    """Every link of the activity the access covers (by the rated participant's unit)."""
    qs = (
        InstrumentLink.objects.filter(attachment__activity=activity)
        .select_related("respondent", "enrollment__employee__unit")
        .order_by("attachment_id", "enrollment__employee__name", "respondent_role")
    )
    if access.unit_ids is not None:
        qs = qs.filter(enrollment__employee__unit_id__in=access.unit_ids)
    rows = []
    for link in qs:
        person = link.enrollment.employee
        rated = link.respondent_role == LinkRole.SUPERVISOR
        rows.append(
            LinkRow(
                attachment_id=link.attachment_id,
                name=link.respondent.name,
                nip=link.respondent.nip,
                unit=person.unit.name,
                role=link.respondent_role,
                subject_name=person.name if rated else "",
                subject_nip=person.nip if rated else "",
                token=token_for(link.nonce),
                submitted=link.is_submitted,
            )
        )
    return rows


def attachment_counts(activity: Activity, access: ActivityAccess) -> dict[int, tuple[int, int]]:
    """Per attachment id: (links submitted, links) among those the access covers."""
    qs = InstrumentLink.objects.filter(attachment__activity=activity)
    if access.unit_ids is not None:
        qs = qs.filter(enrollment__employee__unit_id__in=access.unit_ids)
    rows = qs.values("attachment_id").annotate(
        total=Count("pk"), done=Count("pk", filter=Q(is_submitted=True))
    )
    return {r["attachment_id"]: (r["done"], r["total"]) for r in rows}


def activity_attachments(activity: Activity) -> list[ActivityInstrument]:
    """The instruments attached to an activity, in the order they open."""
    return list(
        activity.attached_instruments.select_related("version__instrument").order_by(
            "opens_on", "pk"
        )
    )


@dataclass(frozen=True)
class PersonLink:
    """A form waiting for (or filled by) the signed-in person."""

    token: str
    instrument: str
    activity: str
    occasion: str
    role: str
    subject_name: str
    closes_on: dt.date
    state: LinkState


def person_links(employee_id: int, today: dt.date | None = None) -> list[PersonLink]:
    """The person's own links (as participant or supervisor), open ones first."""
    today = today or timezone.localdate()
    qs = (
        InstrumentLink.objects.filter(respondent_id=employee_id)
        .select_related(
            "attachment__version__instrument", "attachment__activity", "enrollment__employee"
        )
        .order_by("is_submitted", "attachment__closes_on", "pk")
    )
    out = []
    for link in qs:
        attachment = link.attachment
        instrument = attachment.version.instrument
        out.append(
            PersonLink(
                token=token_for(link.nonce),
                instrument=instrument.title_id,
                activity=attachment.activity.title,
                occasion=attachment.occasion,
                role=link.respondent_role,
                subject_name=link.enrollment.employee.name
                if link.respondent_role == LinkRole.SUPERVISOR
                else "",
                closes_on=attachment.closes_on,
                state=link_state(link, today),
            )
        )
    return out


def link_response(link: InstrumentLink) -> Response | None:
    """The response a submitted link of a non-anonymous instrument produced (its respondent's).

    Anonymous instruments keep no such connection, so this is always ``None`` for them.
    """
    attachment = link.attachment
    if not link.is_submitted or attachment.version.instrument.is_anonymous:
        return None
    qs = Response.objects.filter(
        version_id=attachment.version_id,
        activity_id=attachment.activity_id,
        occasion=attachment.occasion,
        identity__employee_id=link.respondent_id,
        respondent_role=link.respondent_role,
    )
    if link.respondent_role == LinkRole.SUPERVISOR:
        qs = qs.filter(subject_id=link.enrollment.employee_id)
    return qs.order_by("-submitted_at", "-pk").first()


# -- the form ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    number: str


@dataclass(frozen=True)
class FormItem:
    """One question as the form shows it."""

    number: int
    code: str
    field: str
    text: str
    kind: str
    choices: tuple[Choice, ...]
    required: bool


def field_name(code: str) -> str:
    """The form field of an item."""
    return f"q_{code}"


def _pick(text_id: str, text_en: str, lang: str) -> str:
    return text_en if lang == "en" and text_en else text_id


def form_items(version: InstrumentVersion, lang: str = "id") -> list[FormItem]:
    """The version's items in order, with their choices in ``lang`` (``"id"`` or ``"en"``)."""
    skm = version.instrument.kind == InstrumentKind.SKM
    items = (
        version.items.select_related("scale").prefetch_related("options").order_by("order", "code")
    )
    out = []
    for number, item in enumerate(items, start=1):
        text = _pick(item.text_id, item.text_en, lang)
        choices: tuple[Choice, ...] = ()
        if item.item_type == ItemType.LIKERT and item.scale is not None:
            scale = item.scale
            labels = scale.labels if isinstance(scale.labels, dict) else {}
            question = SKM_QUESTIONS.get(item.code) if skm else None
            points = range(scale.min_value, scale.max_value + 1)
            if question is not None and len(points) == 4:
                text = question.question_en if lang == "en" else question.question_id
                words = question.answers_en if lang == "en" else question.answers_id
                choices = tuple(
                    Choice(str(p), w, str(p)) for p, w in zip(points, words, strict=True)
                )
            else:
                choices = tuple(
                    Choice(str(p), _point_label(labels.get(str(p)), lang), str(p)) for p in points
                )
        elif item.item_type == ItemType.MULTIPLE_CHOICE:
            choices = tuple(
                Choice(o.code, _pick(o.text_id, o.text_en, lang), o.code)
                for o in sorted(item.options.all(), key=lambda o: (o.order, o.code))
            )
        kind = {
            ItemType.LIKERT: "scale",
            ItemType.MULTIPLE_CHOICE: "choice",
            ItemType.NUMERIC: "number",
        }.get(ItemType(item.item_type), "text")
        out.append(
            FormItem(
                number=number,
                code=item.code,
                field=field_name(item.code),
                text=text,
                kind=kind,
                choices=choices,
                required=kind != "text",
            )
        )
    return out


def _point_label(label: object, lang: str) -> str:
    if not isinstance(label, dict):
        return ""
    return str(label.get(lang) or label.get("id") or "")


# -- scores ------------------------------------------------------------------------------------


def response_score(response: Response) -> float | None:
    """The response's test score as the evaluation computes it (``l2_learning.test_scores``).

    100 × points of the keyed items answered with the key / points of all keyed
    items of the version; an unanswered item earns nothing.  ``None`` when the
    version has no keyed item (not a test).
    """
    keyed = list(
        Item.objects.filter(version_id=response.version_id)
        .exclude(answer_key="")
        .values_list("pk", "answer_key", "points")
    )
    total = sum((points for _pk, _key, points in keyed), Decimal(0))
    if not keyed or total == 0:
        return None
    chosen = dict(
        response.answers.filter(option__isnull=False).values_list("item_id", "option__code")
    )
    earned = sum((points for pk, key, points in keyed if chosen.get(pk) == key), Decimal(0))
    return float(100 * earned / total)


# -- SKM ---------------------------------------------------------------------------------------


def skm_version(code: str = "SKM") -> InstrumentVersion | None:
    """The SKM version citizens answer: the latest published version of ``code``.

    Falls back to any SKM-kind instrument when ``code`` does not exist, and to
    the latest version when none is published.
    """
    versions = InstrumentVersion.objects.select_related("instrument").filter(
        instrument__kind=InstrumentKind.SKM
    )
    mine = versions.filter(instrument__code=code)
    pool = mine if mine.exists() else versions
    return (
        pool.filter(published_at__isnull=False).order_by("-version", "-pk").first()
        or pool.order_by("-version", "-pk").first()
    )


def skm_unit(code: str) -> Unit | None:
    """The active unit with this code, or ``None``."""
    return Unit.objects.filter(code=code, is_active=True).first()
