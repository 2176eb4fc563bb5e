"""Reads for the internship pages, always through the signed-in user's reach.

Who reaches an internship:

- administrators and analysts: every one (analysts read only);
- a unit operator or unit head: those of the employees in their unit subtree;
- the intern (participant role): their own;
- the mentor: the internships whose ``mentor_user`` is their account, or whose
  ``mentor_employee`` is their employee record. A mentor from outside
  government has an account with no role at all and reaches nothing else.

Anything else answers 404 in the views.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from mutu.accounts.models import Role
from mutu.domain import magang
from mutu.people.models import CompetencyStandard, Employee, Unit
from mutu.programs.models import (
    AssessmentStage,
    Certificate,
    Enrollment,
    Internship,
    InternshipAssessment,
    InternshipLogEntry,
    JpLedgerEntry,
    Partner,
    PartnerAgreement,
)
from mutu.rulebooks import load

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from mutu.accounts.scope import Scope

__all__ = [
    "AgreementRow",
    "EligibleRow",
    "InternshipRow",
    "WeekRow",
    "agreement_rows",
    "eligible_by_unit",
    "final_competency_rows",
    "internship_certificate",
    "internships_in_scope",
    "is_intern",
    "is_mentor",
    "may_edit_partners",
    "may_manage",
    "may_see_eligible",
    "may_see_partners",
    "partners_list",
    "position_standards",
    "weeks",
]

#: Roles that see lists of people (the eligible list, every placement of their units).
STAFF_ROLES = (Role.ADMIN, Role.ANALYST, Role.UNIT_OPERATOR, Role.UNIT_HEAD)


def mentor_condition(scope: Scope, user: AbstractBaseUser | AnonymousUser) -> Q:
    cond = Q(mentor_user_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    if scope.employee_id is not None:
        cond |= Q(mentor_employee_id=scope.employee_id)
    return cond


def internships_in_scope(
    scope: Scope, user: AbstractBaseUser | AnonymousUser
) -> QuerySet[Internship]:
    """The internships ``user`` (with ``scope``) may open."""
    qs = Internship.objects.select_related(
        "employee",
        "employee__unit",
        "host_partner",
        "host_unit",
        "activity",
        "competency",
        "agreement",
    )
    if not user.is_authenticated:
        return qs.none()
    if scope.all_units:
        return qs
    cond = mentor_condition(scope, user)
    if scope.read_units:
        cond |= Q(employee__unit_id__in=list(scope.read_units))
    if scope.employee_id is not None:
        cond |= Q(employee_id=scope.employee_id)
    return qs.filter(cond)


def is_mentor(scope: Scope, user: AbstractBaseUser | AnonymousUser, internship: Internship) -> bool:
    """The user mentors this internship (by account, or as the mentor employee)."""
    if user.is_authenticated and internship.mentor_user_id == user.pk:
        return True
    return scope.employee_id is not None and internship.mentor_employee_id == scope.employee_id


def is_intern(scope: Scope, internship: Internship) -> bool:
    return scope.employee_id is not None and internship.employee_id == scope.employee_id


def may_manage(scope: Scope) -> bool:
    """Placements, mentor accounts and completion: the BKPSDM administrators."""
    return scope.is_admin


def may_see_eligible(scope: Scope) -> bool:
    return scope.all_units or (scope.has(*STAFF_ROLES) and bool(scope.read_units))


# --------------------------------------------------------------------------- lists


@dataclass(frozen=True)
class InternshipRow:
    """One placement in a list, with its logbook state."""

    internship: Internship
    written: int
    missing: int
    due_weeks: int
    completed: bool


def internship_rows(qs: QuerySet[Internship], today: date) -> list[InternshipRow]:
    """Placements with the number of weeks written and missing as of ``today``."""
    items = list(qs)
    written: dict[int, list[date]] = defaultdict(list)
    for iid, week in InternshipLogEntry.objects.filter(
        internship_id__in=[i.pk for i in items]
    ).values_list("internship_id", "week_start"):
        written[iid].append(week)
    done = _completed_ids(items)
    rows = []
    for i in items:
        missing = magang.missing_weeks(start=i.start, end=i.end, written=written[i.pk], today=today)
        due = [w for w in magang.week_starts(i.start, i.end) if w <= today]
        rows.append(InternshipRow(i, len(written[i.pk]), len(missing), len(due), i.pk in done))
    return rows


def _completed_ids(items: list[Internship]) -> set[int]:
    """Internships whose intern completed the internship's activity (certificate issued)."""
    pairs = {(i.activity_id, i.employee_id): i.pk for i in items if i.activity_id is not None}
    if not pairs:
        return set()
    found = Certificate.objects.filter(
        enrollment__activity_id__in={a for a, _ in pairs},
        enrollment__employee_id__in={e for _, e in pairs},
    ).values_list("enrollment__activity_id", "enrollment__employee_id")
    return {pairs[p] for p in found if p in pairs}


# --------------------------------------------------------------------------- one internship


@dataclass(frozen=True)
class WeekRow:
    """One week of a placement: its entry if written, whether it is missing or still to come."""

    start: date
    end: date
    entry: InternshipLogEntry | None
    missing: bool
    future: bool


def weeks(internship: Internship, today: date) -> list[WeekRow]:
    """Every week of the placement, newest first, each with its entry and flags."""
    entries = {
        magang.week_of(internship.start, e.week_start): e
        for e in internship.log_entries.select_related("reviewed_by").order_by("week_start")
    }
    missing = set(
        magang.missing_weeks(
            start=internship.start, end=internship.end, written=entries, today=today
        )
    )
    rows = [
        WeekRow(
            start=w,
            end=min(w + timedelta(days=6), internship.end),
            entry=entries.get(w),
            missing=w in missing,
            future=w > today,
        )
        for w in magang.week_starts(internship.start, internship.end)
    ]
    return list(reversed(rows))


def position_standards(internship: Internship) -> list[CompetencyStandard]:
    """The competency standard of the intern's position (what the objectives aim at)."""
    position_id = internship.employee.position_id
    if position_id is None:
        return []
    return list(
        CompetencyStandard.objects.filter(position_id=position_id)
        .select_related("competency")
        .order_by("competency__type", "competency__code")
    )


def assessments(internship: Internship) -> dict[str, InternshipAssessment]:
    """The mentor's rubrics, by stage (``mid``, ``end``)."""
    return {a.stage: a for a in internship.assessments.all()}


def rubric_rows(assessment: InternshipAssessment | None, lang: str) -> list[dict[str, Any]]:
    """The rubric's criteria in the page's language, each with the score given (if any)."""
    scores = assessment.scores if assessment is not None else {}
    label = "label_en" if lang == "en" else "label_id"
    return [
        {"code": c["code"], "label": c[label], "score": scores.get(str(c["code"]))}
        for c in magang.rubric_criteria()
    ]


def rubric_mean(assessment: InternshipAssessment | None) -> Decimal | None:
    if assessment is None or not assessment.scores:
        return None
    return magang.rubric_mean({k: int(v) for k, v in assessment.scores.items()})


def internship_certificate(internship: Internship) -> Certificate | None:
    """The certificate of the internship's activity held by the intern, if issued."""
    if internship.activity_id is None:
        return None
    return (
        Certificate.objects.filter(
            enrollment__activity_id=internship.activity_id,
            enrollment__employee_id=internship.employee_id,
        )
        .select_related("enrollment")
        .first()
    )


def credited_jp(internship: Internship) -> Decimal | None:
    """JP in the ledger for the internship's activity, if credited."""
    if internship.activity_id is None:
        return None
    entry = JpLedgerEntry.objects.filter(
        enrollment__activity_id=internship.activity_id,
        enrollment__employee_id=internship.employee_id,
    ).first()
    return entry.jp if entry is not None else None


STAGES = (AssessmentStage.MIDPOINT, AssessmentStage.END)


# --------------------------------------------------------------------------- eligible


@dataclass(frozen=True)
class EligibleRow:
    employee: Employee
    eligibility: magang.Eligibility


def eligible_by_unit(
    scope: Scope, *, on: date, unit: Unit | None = None
) -> list[tuple[Unit, list[EligibleRow]]]:
    """Active young ASN eligible on ``on`` (``magang`` rulebook), grouped by unit, in scope.

    The database narrows by employment kind and appointment window; the pure
    core decides (:func:`mutu.domain.magang.eligible`).
    """
    book = load("magang", on)
    kinds = [str(k) for k in book.sequence("eligibility.employment_kinds")]
    # One month of slack either side: the core counts whole months exactly.
    earliest = on - timedelta(
        days=31 * (book.integer("eligibility.max_months_since_appointment") + 1)
    )
    latest = on - timedelta(days=28 * book.integer("eligibility.min_months_since_appointment") - 31)
    qs = scope.employees(
        Employee.objects.filter(
            is_active=True, status__in=kinds, tmt_cpns__gte=earliest, tmt_cpns__lte=latest
        )
    )
    if unit is not None:
        qs = qs.filter(unit=unit)
    qs = qs.annotate(
        had=Exists(Internship.objects.filter(employee_id=OuterRef("pk"))),
        enrolled=Exists(
            Enrollment.objects.filter(employee_id=OuterRef("pk"), activity__form__code="magang")
        ),
    ).select_related("unit", "position")
    grouped: dict[int, list[EligibleRow]] = defaultdict(list)
    units: dict[int, Unit] = {}
    for e in qs.order_by("unit__name", "name"):
        result = magang.eligible(
            status=e.status,
            birth_date=e.birth_date,
            tmt=e.tmt_cpns,
            on=on,
            had_internship=bool(e.had or e.enrolled),
            rulebook=book,
        )
        if result.eligible:
            grouped[e.unit_id].append(EligibleRow(e, result))
            units[e.unit_id] = e.unit
    return [(units[u], rows) for u, rows in sorted(grouped.items(), key=lambda x: units[x[0]].name)]


# --------------------------------------------------------------------------- partners


def may_see_partners(scope: Scope) -> bool:
    """Partners and agreements: read by administrators and analysts (the whole regency)."""
    return scope.all_units


def may_edit_partners(scope: Scope) -> bool:
    """Partners and agreements: changed by the BKPSDM administrators only."""
    return scope.is_admin


def partners_list(kind: str = "") -> QuerySet[Partner]:
    """Every partner, with its number of agreements and of hosted internships, by name."""
    qs = Partner.objects.annotate(
        n_agreements=Count("agreements", distinct=True),
        n_internships=Count("internships", distinct=True),
    ).order_by("-is_active", "name")
    return qs.filter(kind=kind) if kind else qs


@dataclass(frozen=True)
class AgreementRow:
    """One agreement with its quota use.

    ``used`` counts the placements made under it in ``year`` (the quota is
    per calendar year, ``agreement.quota_period = "year"``) or in total
    (``year`` is ``None``); ``by_year`` lists every year's count.
    """

    agreement: PartnerAgreement
    state: str
    year: int | None
    used: int
    left: int | None
    by_year: list[tuple[int, int]]

    @property
    def full(self) -> bool:
        return self.left is not None and self.left <= 0


def agreement_rows(partner: Partner, today: date) -> list[AgreementRow]:
    """The partner's agreements, newest first, each in force/ended/upcoming with its quota use.

    The quota year shown is ``today``'s year while the agreement is in force,
    else its last (or first) year.
    """
    period = magang.quota_period()
    rows = []
    for agreement in partner.agreements.order_by("-start", "number"):
        starts = list(
            Internship.objects.filter(agreement=agreement).values_list("start", flat=True)
        )
        per_year = magang.quota_counts(starts, period="year")
        if agreement.start > today:
            state, year = "upcoming", agreement.start.year
        elif agreement.end is not None and agreement.end < today:
            state, year = "ended", agreement.end.year
        else:
            state, year = "in_force", today.year
        key: int | None = year if period == "year" else None
        used = magang.quota_counts(starts, period=period).get(key, 0)
        left = agreement.quota - used if agreement.quota is not None else None
        rows.append(
            AgreementRow(
                agreement=agreement,
                state=state,
                year=key,
                used=used,
                left=left,
                by_year=sorted((int(y), n) for y, n in per_year.items() if y is not None),
            )
        )
    return rows


def final_competency_rows(internship: Internship) -> list[dict[str, Any]]:
    """The position's standard with the level measured at the end (if recorded), per competency.

    ``reached`` tells whether the measured level meets the required one.
    """
    measured = {a.competency_id: a for a in internship.final_competency.all()}
    rows = []
    for standard in position_standards(internship):
        found = measured.get(standard.competency_id)
        rows.append(
            {
                "standard": standard,
                "assessment": found,
                "reached": found is not None and found.level >= standard.required_level,
            }
        )
    return rows
