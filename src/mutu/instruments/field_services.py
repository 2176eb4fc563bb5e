"""Writes for instruments in the field: attaching, personal links, drafts, submissions, SKM.

Every function validates before it writes and refuses bad input with a
:class:`~mutu.domain.errors.MutuValueError` (Indonesian and English), writing
nothing.  Submitting a link is idempotent: the link is marked used by a
conditional update in the same transaction that stores the response, so a
double click or a retried request stores one response and the second one is
told the form was already submitted.

Anonymous instruments: the response is stored without subject and identity,
with its time kept to the day only, and the link keeps nothing but "submitted"
(no response id, no time, its draft emptied), so answers cannot be joined back
to the person while staff still see who has not answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from mutu.domain.errors import MutuValueError
from mutu.evaluation.pipeline.plan import EvaluationPlan
from mutu.instruments.models import (
    ActivityInstrument,
    Instrument,
    InstrumentKind,
    InstrumentLink,
    InstrumentVersion,
    ItemType,
    LinkRole,
    Occasion,
    PublicFormRate,
    Response,
    Scale,
)
from mutu.instruments.selectors import LinkState, field_name, link_state
from mutu.instruments.services import (
    AnswerInput,
    instrument_create,
    instrument_version_create,
    item_add,
    response_submit,
    version_publish,
    version_spec,
)
from mutu.instruments.tokens import new_nonce, token_for, token_hash
from mutu.people.models import Employee, Unit
from mutu.programs.models import Activity, ActivityStatus, Enrollment, EnrollmentStatus
from mutu.programs.models.activities import ACTIVE_ENROLLMENT

__all__ = [
    "AlreadySubmitted",
    "AnswerErrors",
    "CreatedLink",
    "RateLimited",
    "activity_instrument_attach",
    "activity_instrument_detach",
    "answers_parse",
    "default_period",
    "followups_create",
    "link_draft_save",
    "link_submit",
    "links_ensure",
    "skm_instrument_ensure",
    "skm_submit",
]

#: Longest free-text answer kept.
MAX_TEXT = 2000
#: Public SKM submissions accepted per client address and hour when the setting is absent
#: (the environment variable ``MUTU_SKM_RATE_LIMIT``, docs/settings.md).
DEFAULT_SKM_RATE_LIMIT = 20
#: Days after an activity's end when the behaviour follow-up is due (Kirkpatrick level 3).
FOLLOWUP_FROM_DAYS, FOLLOWUP_TO_DAYS = 60, 90
#: Last day of a follow-up form, counted from the activity's end.
FOLLOWUP_CLOSES_DAYS = 120

#: Occasions each instrument kind may be given on (SKM is never attached to an activity).
KIND_OCCASIONS: dict[str, tuple[str, ...]] = {
    InstrumentKind.REACTION: (Occasion.END,),
    InstrumentKind.PRE_TEST: (Occasion.PRE,),
    InstrumentKind.POST_TEST: (Occasion.POST,),
    InstrumentKind.SELF_EFFICACY: (Occasion.PRE, Occasion.POST, Occasion.AFTER),
    InstrumentKind.SUPERVISOR_RATING: (Occasion.BEFORE, Occasion.AFTER),
    InstrumentKind.OTHER: tuple(Occasion.values),
}

#: Occasion labels for messages, (id, en).
OCCASION_WORDS: dict[str, tuple[str, str]] = {
    Occasion.PRE: ("pre-test (sebelum)", "pre-test (before)"),
    Occasion.POST: ("post-test (sesudah)", "post-test (after)"),
    Occasion.END: ("akhir kegiatan", "end of the activity"),
    Occasion.BEFORE: ("sebelum pelatihan", "before training"),
    Occasion.AFTER: ("60–90 hari sesudah pelatihan", "60–90 days after training"),
}


class AnswerErrors(MutuValueError):
    """Answers refused: the message lists every problem; ``fields`` names the form fields."""

    def __init__(self, problems_id: list[str], problems_en: list[str], fields: list[str]) -> None:
        super().__init__(" ".join(problems_id), " ".join(problems_en), field=fields[0])
        self.fields = tuple(fields)


class AlreadySubmitted(MutuValueError):
    """The link's form was submitted before; nothing was stored this time."""

    def __init__(self) -> None:
        super().__init__(
            "Formulir ini sudah dikirim sebelumnya; jawaban kedua tidak disimpan.",
            "This form was already submitted; a second answer is not stored.",
        )


class RateLimited(MutuValueError):
    """Too many public submissions from one address within the hour."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"Terlalu banyak isian dari perangkat atau jaringan ini (paling banyak {limit} per "
            "jam). Silakan coba lagi nanti.",
            f"Too many submissions from this device or network (at most {limit} an hour). "
            "Please try again later.",
        )


# -- answers -----------------------------------------------------------------------------------


def _number_list(numbers: list[int], lang: str) -> str:
    word = " dan " if lang == "id" else " and "
    texts = [str(n) for n in numbers]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + word + texts[-1]


def answers_parse(
    version: InstrumentVersion, data: Mapping[str, str], *, complete: bool
) -> dict[str, AnswerInput]:
    """Read the form fields (``q_<item code>``) of a version into answers, item code → value.

    An empty field is unanswered.  With ``complete``, every item but free text
    must be answered.

    Raises
    ------
    AnswerErrors
        Listing each refused value (a point off the scale, an unknown option,
        a number that is not one, text too long) and, with ``complete``, the
        questions not answered.
    """
    items = version_spec(version).items  # in form order; kept per process once locked
    answers: dict[str, AnswerInput] = {}
    bad_id: list[str] = []
    bad_en: list[str] = []
    fields: list[str] = []
    missing: list[int] = []
    for number, item in enumerate(items, start=1):
        field = field_name(item.code)
        raw = str(data.get(field, "") or "").strip()
        if not raw:
            if complete and item.item_type != ItemType.TEXT:
                missing.append(number)
                fields.append(field)
            continue
        if item.item_type == ItemType.LIKERT:
            low, high = (item.scale_min, item.scale_max)
            if low is None or high is None:
                low, high = 1, 5
            if not raw.isdigit() or not low <= int(raw) <= high:
                bad_id.append(f"Pertanyaan {number}: pilih salah satu nilai {low} sampai {high}.")
                bad_en.append(f"Question {number}: choose one of the values {low} to {high}.")
                fields.append(field)
                continue
            answers[item.code] = int(raw)
        elif item.item_type == ItemType.MULTIPLE_CHOICE:
            if raw not in item.options:
                bad_id.append(f"Pertanyaan {number}: pilihan jawaban tidak dikenal.")
                bad_en.append(f"Question {number}: unknown answer option.")
                fields.append(field)
                continue
            answers[item.code] = raw
        elif item.item_type == ItemType.NUMERIC:
            try:
                value = Decimal(raw.replace(".", "").replace(",", ".") if "," in raw else raw)
                if not value.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                bad_id.append(f"Pertanyaan {number}: isi dengan angka.")
                bad_en.append(f"Question {number}: enter a number.")
                fields.append(field)
                continue
            answers[item.code] = value
        else:
            if len(raw) > MAX_TEXT:
                most_id = f"{MAX_TEXT:,}".replace(",", ".")
                bad_id.append(
                    f"Pertanyaan {number}: jawaban terlalu panjang (paling banyak {most_id} "
                    "karakter)."
                )
                bad_en.append(
                    f"Question {number}: the answer is too long (at most {MAX_TEXT:,} characters)."
                )
                fields.append(field)
                continue
            answers[item.code] = raw
    if missing:
        bad_id.append(f"Belum dijawab: pertanyaan {_number_list(missing, 'id')}.")
        bad_en.append(
            f"Not answered yet: question{'s' if len(missing) > 1 else ''} "
            f"{_number_list(missing, 'en')}."
        )
    if bad_id:
        raise AnswerErrors(bad_id, bad_en, fields)
    return answers


def _store(
    *,
    version: InstrumentVersion,
    answers: Mapping[str, AnswerInput],
    respondent_role: str,
    submitted_at: dt.datetime,
    activity: Activity | None = None,
    unit: Unit | None = None,
    employee_id: int | None = None,
    subject_id: int | None = None,
    occasion: str = "",
) -> Response:
    """:func:`response_submit`, its Django validation errors turned into bilingual ones."""
    try:
        return response_submit(
            version=version,
            answers=answers,
            respondent_role=respondent_role,
            activity=activity,
            unit=unit,
            employee_id=employee_id,
            subject_id=subject_id,
            occasion=occasion,
            submitted_at=submitted_at,
        )
    except ValidationError as err:
        text = "; ".join(err.messages)
        raise MutuValueError(
            f"Jawaban tidak dapat disimpan: {text}", f"The answers cannot be stored: {text}"
        ) from err


# -- attaching instruments to an activity ------------------------------------------------------


def default_period(activity: Activity, occasion: str) -> tuple[dt.date, dt.date]:
    """When a form of this occasion opens and closes by default (both days included)."""
    start, end = activity.start_date, activity.end_date
    day = dt.timedelta
    if occasion == Occasion.PRE:
        return start - day(days=14), start
    if occasion == Occasion.BEFORE:
        return start - day(days=30), start
    if occasion == Occasion.AFTER:
        return end + day(days=FOLLOWUP_FROM_DAYS), end + day(days=FOLLOWUP_CLOSES_DAYS)
    return end, end + day(days=7)


@transaction.atomic
def activity_instrument_attach(
    *,
    activity: Activity,
    version: InstrumentVersion,
    occasion: str,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    created_by_id: int | None = None,
) -> ActivityInstrument:
    """Give an instrument version in an activity on an occasion, and create its personal links.

    ``opens_on``/``closes_on`` default to :func:`default_period`.  Refused: an
    unknown occasion, one that does not suit the instrument's kind (a pre-test
    on ``pre``, a reaction survey at the ``end``, a supervisor rating
    ``before``/``after``…), the SKM (citizens answer it on its public form), a
    version without items, a cancelled activity, the same instrument twice on
    one occasion, and a form that closes before it opens.
    """
    instrument = version.instrument
    if occasion not in Occasion.values:
        raise MutuValueError(
            f"Waktu pengisian tidak dikenal: {occasion!r}.",
            f"Unknown occasion: {occasion!r}.",
            field="occasion",
        )
    if instrument.kind == InstrumentKind.SKM:
        raise MutuValueError(
            "SKM diisi masyarakat melalui formulir publik unit, bukan melalui kegiatan.",
            "The SKM is answered by citizens on the unit's public form, not through an activity.",
            field="version",
        )
    allowed = KIND_OCCASIONS.get(instrument.kind, tuple(Occasion.values))
    if occasion not in allowed:
        words_id = ", ".join(OCCASION_WORDS[o][0] for o in allowed)
        words_en = ", ".join(OCCASION_WORDS[o][1] for o in allowed)
        raise MutuValueError(
            f"Instrumen {instrument.code} hanya dapat diberikan pada: {words_id}.",
            f"Instrument {instrument.code} can only be given on: {words_en}.",
            field="occasion",
        )
    if not version.items.exists():
        raise MutuValueError(
            f"{version} belum memiliki butir pertanyaan.",
            f"{version} has no questions yet.",
            field="version",
        )
    if activity.status == ActivityStatus.CANCELLED:
        raise MutuValueError(
            "Kegiatan ini dibatalkan.", "This activity is cancelled.", field="activity"
        )
    if ActivityInstrument.objects.filter(
        activity=activity, version__instrument=instrument, occasion=occasion
    ).exists():
        raise MutuValueError(
            f"{instrument.code} sudah dilampirkan untuk waktu pengisian ini.",
            f"{instrument.code} is already attached on this occasion.",
            field="version",
        )
    first, last = default_period(activity, occasion)
    opens_on = opens_on or first
    closes_on = closes_on or last
    if closes_on < opens_on:
        raise MutuValueError(
            "Tanggal tutup tidak boleh sebelum tanggal buka.",
            "The closing date cannot be before the opening date.",
            field="closes_on",
        )
    attachment = ActivityInstrument.objects.create(
        activity=activity,
        version=version,
        occasion=occasion,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by_id=created_by_id,
    )
    links_ensure(activity=activity)
    return attachment


@transaction.atomic
def activity_instrument_detach(*, attachment: ActivityInstrument) -> None:
    """Remove an attached instrument and its links; refused once anyone has submitted."""
    if attachment.links.filter(is_submitted=True).exists():
        raise MutuValueError(
            "Instrumen ini sudah diisi peserta; tidak dapat dilepas.",
            "Participants have already answered this instrument; it cannot be removed.",
        )
    attachment.delete()


# -- personal links ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatedLink:
    """A link just created (for ``mutu followups`` to print)."""

    activity: str
    role: str
    name: str
    nip: str
    subject_nip: str
    token: str


def _respondents(
    attachment: ActivityInstrument, enrollments: list[Enrollment]
) -> list[tuple[Enrollment, Employee, str]]:
    """(enrollment, respondent, role) the attachment wants a link for."""
    wanted: list[tuple[Enrollment, Employee, str]] = []
    rating = attachment.version.instrument.kind == InstrumentKind.SUPERVISOR_RATING
    for enrollment in enrollments:
        done = enrollment.status == EnrollmentStatus.COMPLETED
        if attachment.occasion == Occasion.AFTER and not done:
            continue
        person = enrollment.employee
        wanted.append((enrollment, person, LinkRole.PARTICIPANT))
        boss = person.supervisor
        if rating and boss is not None and boss.is_active and boss.pk != person.pk:
            wanted.append((enrollment, boss, LinkRole.SUPERVISOR))
    return wanted


def _ensure_for(
    attachment: ActivityInstrument, enrollments: list[Enrollment]
) -> list[InstrumentLink]:
    have = set(attachment.links.values_list("enrollment_id", "respondent_role"))
    new = []
    for enrollment, respondent, role in _respondents(attachment, enrollments):
        if (enrollment.pk, role) in have:
            continue
        nonce = new_nonce()
        new.append(
            InstrumentLink(
                attachment=attachment,
                enrollment=enrollment,
                respondent=respondent,
                respondent_role=role,
                nonce=nonce,
                token_hash=token_hash(token_for(nonce)),
            )
        )
    # ignore_conflicts: a concurrent request that created the same link wins, nothing doubles.
    InstrumentLink.objects.bulk_create(new, ignore_conflicts=True)
    return new


def _rekey(activity: Activity) -> int:
    """Links whose stored hash no longer matches their token (the secret key changed)."""
    stale = [
        link
        for link in InstrumentLink.objects.filter(attachment__activity=activity).only(
            "pk", "nonce", "token_hash"
        )
        if link.token_hash != token_hash(token_for(link.nonce))
    ]
    for link in stale:
        link.token_hash = token_hash(token_for(link.nonce))
    InstrumentLink.objects.bulk_update(stale, ["token_hash"])
    return len(stale)


@transaction.atomic
def links_ensure(*, activity: Activity) -> int:
    """Create the missing personal links of every instrument attached to an activity.

    Participants with an active enrollment get a link to each form; for a
    supervisor rating their active direct supervisor gets one too; follow-ups
    (``after``) go to completed participants only.  Idempotent.  Links of a
    changed secret key are re-keyed so that what is printed works.

    Returns
    -------
    int
        The number of links created.
    """
    enrollments = list(
        activity.enrollments.filter(status__in=ACTIVE_ENROLLMENT).select_related(
            "employee__supervisor"
        )
    )
    created = 0
    for attachment in activity.attached_instruments.select_related("version__instrument"):
        created += len(_ensure_for(attachment, enrollments))
    _rekey(activity)
    return created


def _open_link(link: InstrumentLink, today: dt.date) -> None:
    state = link_state(link, today)
    if state == LinkState.SUBMITTED:
        raise AlreadySubmitted
    if state == LinkState.NOT_YET:
        raise MutuValueError(
            f"Formulir ini baru dibuka pada {link.attachment.opens_on:%d-%m-%Y}.",
            f"This form opens on {link.attachment.opens_on:%Y-%m-%d}.",
        )
    if state == LinkState.CLOSED:
        raise MutuValueError(
            f"Formulir ini sudah ditutup pada {link.attachment.closes_on:%d-%m-%Y}.",
            f"This form closed on {link.attachment.closes_on:%Y-%m-%d}.",
        )
    if state == LinkState.WITHDRAWN:
        raise MutuValueError(
            "Tautan ini tidak berlaku lagi (kegiatan dibatalkan atau peserta mengundurkan diri).",
            "This link is no longer valid (the activity was cancelled or the participant "
            "withdrew).",
        )


@transaction.atomic
def link_draft_save(
    *, link: InstrumentLink, data: Mapping[str, str], today: dt.date | None = None
) -> dict[str, str]:
    """Keep the answers given so far (the whole form replaces the previous draft).

    Refused, with nothing stored, for a value that is not valid, and for a link
    that is closed or already submitted.
    """
    _open_link(link, today or timezone.localdate())
    answers = answers_parse(link.attachment.version, data, complete=False)
    draft = {code: str(value) for code, value in answers.items()}
    saved = InstrumentLink.objects.filter(pk=link.pk, is_submitted=False).update(draft=draft)
    if not saved:
        raise AlreadySubmitted
    link.draft = draft
    return draft


def link_submit(
    *,
    link: InstrumentLink,
    data: Mapping[str, str],
    now: dt.datetime | None = None,
) -> Response:
    """Store the link's answers as a response, once.

    Non-anonymous: the response names the activity and occasion, who answered
    (:class:`~mutu.instruments.models.ResponseIdentity`) and, for a supervisor,
    the participant rated (``subject``), which is what the evaluation reads
    (L2 test pairs by NIP, L3 ratings by ``subject_nip``).  A participant's own
    follow-up is a self-rating without ``subject``, so it never enters the
    supervisors' L3 panel.  Anonymous: see the module notes.

    Raises
    ------
    AlreadySubmitted
        The link was used before (also for a concurrent double submission).
    AnswerErrors, MutuValueError
        Bad or missing answers, a closed link; nothing is stored.
    """
    now = now or timezone.now()
    _open_link(link, timezone.localdate(now))
    attachment = link.attachment
    version = attachment.version
    answers = answers_parse(version, data, complete=True)
    anonymous = version.instrument.is_anonymous
    with transaction.atomic():
        fields: dict[str, object] = {"is_submitted": True, "draft": {}}
        if not anonymous:
            fields["submitted_at"] = now
        claimed = InstrumentLink.objects.filter(pk=link.pk, is_submitted=False).update(**fields)
        if not claimed:
            raise AlreadySubmitted
        when = now
        if anonymous:
            # The day only: a time would let the response be matched to the link's use.
            local = timezone.localtime(now)
            when = local.replace(hour=0, minute=0, second=0, microsecond=0)
        # Ids only: the employees' rows are not needed (nor read, see link_by_token).
        person_id = link.enrollment.employee_id
        supervisor = link.respondent_role == LinkRole.SUPERVISOR
        response = _store(
            version=version,
            answers=answers,
            respondent_role=link.respondent_role,
            submitted_at=when,
            activity=attachment.activity,
            employee_id=None if anonymous else link.respondent_id,
            subject_id=person_id if supervisor and not anonymous else None,
            occasion=attachment.occasion,
        )
    link.is_submitted = True
    link.draft = {}
    link.submitted_at = None if anonymous else now
    return response


# -- L3 follow-ups -----------------------------------------------------------------------------


def _rating_version(plan: EvaluationPlan) -> InstrumentVersion:
    versions = InstrumentVersion.objects.select_related("instrument").filter(
        instrument__code=plan.rating_instrument
    )
    version = (
        versions.filter(published_at__isnull=False).order_by("-version").first()
        or versions.order_by("-version").first()
    )
    if version is None:
        raise MutuValueError(
            f"Instrumen penilaian atasan {plan.rating_instrument!r} tidak ada di basis data.",
            f"The supervisor-rating instrument {plan.rating_instrument!r} is not in the database.",
            field="rating_instrument",
        )
    return version


@transaction.atomic
def followups_create(
    *, today: dt.date, plan: EvaluationPlan | None = None, program: str | None = None
) -> list[CreatedLink]:
    """Behaviour follow-up links for activities that ended 60–90 days before ``today``.

    For each such activity (not cancelled; of ``program`` when given) with
    completed participants, the plan's supervisor-rating instrument
    (``plan.rating_instrument``, latest published version) is attached on the
    occasion ``plan.rating_after`` unless it already is, open from day 60 to
    day 120 after the end; then each completed participant (a self-rating)
    and their active direct supervisor (rating the participant) get a link.
    Idempotent: a second run creates nothing.
    """
    plan = plan or EvaluationPlan()
    if plan.rating_after not in Occasion.values:
        raise MutuValueError(
            f"Waktu pengisian {plan.rating_after!r} dari rencana evaluasi tidak dikenal.",
            f"The evaluation plan's occasion {plan.rating_after!r} is unknown.",
            field="rating_after",
        )
    version = _rating_version(plan)
    latest = today - dt.timedelta(days=FOLLOWUP_FROM_DAYS)
    earliest = today - dt.timedelta(days=FOLLOWUP_TO_DAYS)
    activities = Activity.objects.filter(end_date__gte=earliest, end_date__lte=latest).exclude(
        status=ActivityStatus.CANCELLED
    )
    if program:
        activities = activities.filter(program__code=program)
    created: list[CreatedLink] = []
    for activity in activities.order_by("end_date", "code"):
        completed = list(
            activity.enrollments.filter(status=EnrollmentStatus.COMPLETED).select_related(
                "employee__supervisor"
            )
        )
        if not completed:
            continue
        attachment = ActivityInstrument.objects.filter(
            activity=activity,
            version__instrument_id=version.instrument_id,
            occasion=plan.rating_after,
        ).first()
        if attachment is None:
            opens, closes = default_period(activity, Occasion.AFTER)
            attachment = ActivityInstrument.objects.create(
                activity=activity,
                version=version,
                occasion=plan.rating_after,
                opens_on=opens,
                closes_on=closes,
            )
        persons = {e.pk: e.employee for e in completed}
        for link in _ensure_for(attachment, completed):
            person = persons[link.enrollment_id]
            created.append(
                CreatedLink(
                    activity=activity.code,
                    role=link.respondent_role,
                    name=link.respondent.name,
                    nip=link.respondent.nip,
                    subject_nip=person.nip if link.respondent_role == LinkRole.SUPERVISOR else "",
                    token=token_for(link.nonce),
                )
            )
    return created


# -- the citizens' SKM -------------------------------------------------------------------------


def skm_rate_limit() -> int:
    """Public SKM submissions accepted per client address and hour."""
    return int(getattr(settings, "MUTU_SKM_RATE_LIMIT", DEFAULT_SKM_RATE_LIMIT))


def _client_key(client_ip: str) -> str:
    return salted_hmac("mutu.instruments.skm-rate", client_ip, algorithm="sha256").hexdigest()


def _take_slot(key: str, window: dt.datetime, limit: int) -> None:
    """Count one submission in the window, or refuse when the window is full."""
    try:
        with transaction.atomic():
            PublicFormRate.objects.get_or_create(key=key, window_start=window)
    except IntegrityError:
        pass  # created concurrently by another request: the row exists now
    counted = PublicFormRate.objects.filter(key=key, window_start=window, count__lt=limit).update(
        count=F("count") + 1
    )
    if not counted:
        raise RateLimited(limit)


def skm_submit(
    *,
    unit: Unit,
    version: InstrumentVersion,
    data: Mapping[str, str],
    client_ip: str,
    now: dt.datetime | None = None,
) -> Response:
    """Store a citizen's SKM answers for a unit (anonymous, every element answered 1–4).

    Raises
    ------
    AnswerErrors
        A missing or invalid answer; nothing is stored.
    RateLimited
        More than :func:`skm_rate_limit` submissions from the client address
        this hour; nothing is stored.
    """
    if version.instrument.kind != InstrumentKind.SKM or not version.instrument.is_anonymous:
        raise MutuValueError(
            "Formulir ini bukan SKM anonim.", "This form is not an anonymous SKM.", field="version"
        )
    if not unit.is_active:
        raise MutuValueError("Unit ini tidak aktif.", "This unit is not active.", field="unit")
    answers = answers_parse(version, data, complete=True)
    now = now or timezone.now()
    window = now.replace(minute=0, second=0, microsecond=0)
    limit = skm_rate_limit()
    with transaction.atomic():
        PublicFormRate.objects.filter(window_start__lt=now - dt.timedelta(days=2)).delete()
        _take_slot(_client_key(client_ip), window, limit)
        return _store(
            version=version,
            answers=answers,
            respondent_role="citizen",
            submitted_at=now,
            unit=unit,
        )


@transaction.atomic
def skm_instrument_ensure(*, code: str = "SKM", on: dt.date | None = None) -> InstrumentVersion:
    """The SKM instrument, created from the ``skm`` rulebook when the database has none.

    Its items are the rulebook's elements (codes ``U1``…), rated on the
    rulebook's scale; the version is published.  Idempotent.
    """
    from mutu.instruments.selectors import skm_version
    from mutu.rulebooks import load

    existing = skm_version(code)
    if existing is not None:
        return existing
    book = load("skm", on or timezone.localdate())
    low = int(book.integer("scale.min"))
    high = int(book.integer("scale.max"))
    scale, _ = Scale.objects.get_or_create(
        name=f"SKM {low}-{high}",
        defaults={
            "min_value": low,
            "max_value": high,
            "labels": {
                "1": {"id": "Tidak baik", "en": "Not good"},
                "2": {"id": "Kurang baik", "en": "Less than good"},
                "3": {"id": "Baik", "en": "Good"},
                "4": {"id": "Sangat baik", "en": "Very good"},
            }
            if (low, high) == (1, 4)
            else {},
        },
    )
    instrument = Instrument.objects.filter(code=code).first() or instrument_create(
        code=code,
        title_id="Survei Kepuasan Masyarakat",
        title_en="Public satisfaction survey",
        kind=InstrumentKind.SKM,
        is_anonymous=True,
    )
    version = instrument_version_create(instrument=instrument)
    for order, element in enumerate(book.records("elements"), start=1):
        item_add(
            version=version,
            code=str(element["code"]),
            order=order,
            text_id=str(element["name_id"]),
            text_en=str(element["name_en"]),
            item_type=ItemType.LIKERT,
            dimension="skm",
            scale=scale,
        )
    return version_publish(version=version)
