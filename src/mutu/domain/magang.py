"""Internship (magang) of young ASN: eligibility, the weekly logbook, the mentor's rubric, JP.

Every number comes from the ``magang`` rulebook (the regency's policy, all
unconfirmed) except the JP a completed internship credits, which are the
program's JP converted by the ``jp`` rulebook's row for the form ``magang``
(Peraturan LAN 10/2018; today the unconfirmed default factor 1.0).

Pure core: dates and numbers in, results out; no Django, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType

from mutu.domain.errors import MutuValueError
from mutu.domain.jp import Number, conversion_factor, converted_jp
from mutu.rulebooks import Rulebook, RulebookValue, resolve

__all__ = [
    "REASONS",
    "Eligibility",
    "age_on",
    "eligible",
    "final_assessment_opens",
    "magang_jp",
    "midpoint",
    "midpoint_window",
    "missing_weeks",
    "months_since",
    "quota_counts",
    "quota_period",
    "rubric_check",
    "rubric_criteria",
    "rubric_mean",
    "rubric_passes",
    "week_of",
    "week_starts",
]

#: Why someone is not eligible: code → (Indonesian, English).
REASONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "employment_kind": (
            "Status kepegawaian tidak termasuk skema magang.",
            "The employment status is not covered by the internship scheme.",
        ),
        "no_appointment_date": (
            "Tanggal pengangkatan (TMT) tidak diketahui.",
            "The appointment date (TMT) is unknown.",
        ),
        "no_birth_date": ("Tanggal lahir tidak diketahui.", "The birth date is unknown."),
        "too_old": (
            "Usia saat pengangkatan melebihi batas.",
            "Older than the limit on the appointment date.",
        ),
        "too_new": (
            "Pengangkatan terlalu baru; tunggu masa orientasi selesai.",
            "Appointed too recently; the orientation comes first.",
        ),
        "too_long_ago": (
            "Pengangkatan sudah terlalu lama untuk skema ASN muda.",
            "Appointed too long ago for the young-ASN scheme.",
        ),
        "already_interned": ("Sudah pernah mengikuti magang.", "Has already done an internship."),
    }
)


def age_on(birth: date, day: date) -> int:
    """Whole years of age on ``day`` (a birthday counts on the day itself)."""
    years = day.year - birth.year
    return years - 1 if (day.month, day.day) < (birth.month, birth.day) else years


def months_since(start: date, day: date) -> int:
    """Whole calendar months from ``start`` to ``day`` (negative when ``day`` is earlier).

    A month is complete on the same day of the month: 15 January → 15 March is
    2 months, → 14 March 1 month. From 31 January, 28 February is not yet a month
    (the day of the month has not been reached).
    """
    months = (day.year - start.year) * 12 + (day.month - start.month)
    if months > 0 and day.day < start.day:
        months -= 1
    elif months < 0 and day.day > start.day:
        months += 1
    return months


@dataclass(frozen=True)
class Eligibility:
    """Whether one employee may be placed, why not, and on which rules."""

    eligible: bool
    reasons: tuple[str, ...]
    months_since_appointment: int | None
    age_at_appointment: int | None
    rulebook: str
    unconfirmed: tuple[str, ...]

    def reason_texts(self, lang: str = "id") -> tuple[str, ...]:
        """The reasons in one language (``"id"`` unless ``lang`` starts with ``"en"``)."""
        i = 1 if lang.lower().startswith("en") else 0
        return tuple(REASONS[r][i] for r in self.reasons)


def eligible(
    *,
    status: str,
    birth_date: date | None,
    tmt: date | None,
    on: date,
    had_internship: bool = False,
    rulebook: Rulebook | None = None,
) -> Eligibility:
    """Whether an employee may join an internship on ``on``, by the ``magang`` rulebook.

    Eligible when every rule holds (all of them regency policy, unconfirmed):

    - the employment kind (``status``: ``"PNS"`` / ``"PPPK"``) is in
      ``eligibility.employment_kinds`` (PNS only by default: a PPPK may receive
      at most 24 JP a year, PP 49/2018 Pasal 40);
    - the age on the appointment date is at most ``eligibility.max_age_at_appointment``;
    - the whole months since the appointment lie between
      ``eligibility.min_months_since_appointment`` and
      ``eligibility.max_months_since_appointment`` (both included);
    - with ``eligibility.once_only``, the employee has had no internship yet.

    Every failed rule is listed in ``reasons`` (codes of :data:`REASONS`).

    Parameters
    ----------
    rulebook
        A ``magang`` rulebook; the version in force on ``on`` when ``None``.
    """
    book = resolve("magang", rulebook, on=on)
    reasons: list[str] = []
    kinds = {str(k) for k in book.sequence("eligibility.employment_kinds")}
    if status not in kinds:
        reasons.append("employment_kind")
    months: int | None = None
    age: int | None = None
    if tmt is None:
        reasons.append("no_appointment_date")
    else:
        months = months_since(tmt, on)
        if birth_date is None:
            reasons.append("no_birth_date")
        else:
            age = age_on(birth_date, tmt)
            if age > book.integer("eligibility.max_age_at_appointment"):
                reasons.append("too_old")
        if months < book.integer("eligibility.min_months_since_appointment"):
            reasons.append("too_new")
        elif months > book.integer("eligibility.max_months_since_appointment"):
            reasons.append("too_long_ago")
    if had_internship and book.value("eligibility.once_only") is True:
        reasons.append("already_interned")
    return Eligibility(
        eligible=not reasons,
        reasons=tuple(reasons),
        months_since_appointment=months,
        age_at_appointment=age,
        rulebook=book.label,
        unconfirmed=tuple(k for k in book.unconfirmed_keys() if k.startswith("eligibility.")),
    )


# --------------------------------------------------------------------------- logbook


def week_starts(start: date, end: date) -> tuple[date, ...]:
    """The first day of every week of a placement: ``start``, ``start + 7``, … up to ``end``."""
    if end < start:
        return ()
    return tuple(start + timedelta(days=7 * k) for k in range((end - start).days // 7 + 1))


def week_of(start: date, day: date) -> date:
    """The first day of the placement week that holds ``day`` (weeks counted from ``start``)."""
    return start + timedelta(days=7 * ((day - start).days // 7))


def missing_weeks(
    *,
    start: date,
    end: date,
    written: Iterable[date],
    today: date,
    rulebook: Rulebook | None = None,
) -> tuple[date, ...]:
    """Weeks of a placement with no logbook entry that should have one by ``today``.

    A week is due once it has ended (its last day is ``week start + 6``, or the
    placement's end) and ``logbook.grace_days`` more days have passed. An entry
    counts for the week that holds its date.
    """
    book = resolve("magang", rulebook, on=start)
    grace = timedelta(days=book.integer("logbook.grace_days"))
    done = {week_of(start, d) for d in written}
    out = []
    for week in week_starts(start, end):
        last = min(week + timedelta(days=6), end)
        if last + grace < today and week not in done:
            out.append(week)
    return tuple(out)


# --------------------------------------------------------------------------- rubric


def rubric_criteria(rulebook: Rulebook | None = None) -> tuple[Mapping[str, object], ...]:
    """The rubric's criteria (``code``, ``label_id``, ``label_en``)."""
    return resolve("magang", rulebook).records("rubric.criteria")


def rubric_check(
    scores: Mapping[str, object], *, rulebook: Rulebook | None = None
) -> dict[str, int]:
    """A mentor's scores, one whole number per criterion within the scale, or a bilingual refusal.

    Raises
    ------
    MutuValueError
        When a criterion is missing or unknown, or a score is not a whole
        number between ``rubric.min_score`` and ``rubric.max_score``.
    """
    book = resolve("magang", rulebook)
    low, high = book.integer("rubric.min_score"), book.integer("rubric.max_score")
    codes = [str(c["code"]) for c in book.records("rubric.criteria")]
    unknown = sorted(set(scores) - set(codes))
    if unknown:
        raise MutuValueError(
            f"Kriteria rubrik tidak dikenal: {', '.join(unknown)}.",
            f"Unknown rubric criteria: {', '.join(unknown)}.",
            field="scores",
        )
    out: dict[str, int] = {}
    for code in codes:
        raw = scores.get(code)
        value: int | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            value = raw
        elif isinstance(raw, str) and raw.strip().isdigit():
            value = int(raw.strip())
        if value is None or not low <= value <= high:
            raise MutuValueError(
                f"Nilai untuk kriteria {code} harus bilangan bulat {low}–{high}.",
                f"The score for {code} must be a whole number from {low} to {high}.",
                field=code,
            )
        out[code] = value
    return out


def rubric_mean(scores: Mapping[str, int]) -> Decimal:
    """The mean score, exact (``Decimal``), of a checked rubric."""
    if not scores:
        raise MutuValueError("Rubrik kosong.", "The rubric is empty.", field="scores")
    return Decimal(sum(scores.values())) / Decimal(len(scores))


def rubric_passes(scores: Mapping[str, int], *, rulebook: Rulebook | None = None) -> bool:
    """The final rubric completes the internship: mean score ≥ ``rubric.pass_mean``."""
    return rubric_mean(scores) >= resolve("magang", rulebook).decimal("rubric.pass_mean")


def midpoint(start: date, end: date) -> date:
    """The placement's middle day: ``start`` + half the days to ``end``, rounded down."""
    return start + timedelta(days=(end - start).days // 2)


def midpoint_window(
    start: date, end: date, *, rulebook: Rulebook | None = None
) -> tuple[date, date]:
    """The first and last day the mid-point rubric is accepted (both included).

    The placement's :func:`midpoint` ± ``rubric.midpoint_window_days`` (regency
    policy, unconfirmed), clipped to the placement's own period.
    """
    book = resolve("magang", rulebook, on=start)
    width = timedelta(days=book.integer("rubric.midpoint_window_days"))
    middle = midpoint(start, end)
    return max(start, middle - width), min(end, middle + width)


def final_assessment_opens(start: date, end: date, *, rulebook: Rulebook | None = None) -> date:
    """The first day the final competency assessment is accepted.

    ``final_assessment.earliest_days_before_end`` days before the placement's
    last day (regency policy, unconfirmed), never before its first day.
    """
    book = resolve("magang", rulebook, on=start)
    return max(
        start, end - timedelta(days=book.integer("final_assessment.earliest_days_before_end"))
    )


# --------------------------------------------------------------------------- agreements


def quota_period(rulebook: Rulebook | None = None) -> str:
    """What an agreement's quota counts: ``"year"`` (per calendar year) or ``"agreement"``."""
    value = resolve("magang", rulebook).text("agreement.quota_period")
    if value not in ("year", "agreement"):
        raise MutuValueError(
            f'agreement.quota_period harus "year" atau "agreement", bukan {value!r}.',
            f'agreement.quota_period must be "year" or "agreement", not {value!r}.',
            field="rulebook",
        )
    return value


def quota_counts(starts: Iterable[date], *, period: str) -> dict[int | None, int]:
    """Placements counted against a quota, by calendar year (``period="year"``) or in total.

    The key is the year of the placement's start, or ``None`` for the whole agreement.
    """
    out: dict[int | None, int] = {}
    for start in starts:
        key = start.year if period == "year" else None
        out[key] = out.get(key, 0) + 1
    return out


# --------------------------------------------------------------------------- JP


def magang_jp(
    program_jp: Number,
    *,
    rulebook: Rulebook | None = None,
    jp_rulebook: Rulebook | None = None,
) -> tuple[Decimal, RulebookValue]:
    """JP a completed internship credits, and the conversion factor used (with its mark).

    ``program_jp`` × the ``jp`` rulebook's factor for the form ``form_code``
    of the ``magang`` rulebook (``magang``): Peraturan LAN 10/2018's appendix,
    whose magang row is not confirmed, so the factor is today
    ``conversion.default`` (1.0, unconfirmed).
    """
    form = resolve("magang", rulebook).text("form_code")
    book = resolve("jp", jp_rulebook)
    return converted_jp(program_jp, form, rulebook=book), conversion_factor(form, rulebook=book)
