"""Reads of programs and activities, attendance, nomination candidates, JP and the budget."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mutu.domain.jp import pns_min_jp
from mutu.people.models import CompetencyAssessment, CompetencyStandard, Employee
from mutu.programs.models import (
    Activity,
    ActivitySession,
    ApprovalStatus,
    Attendance,
    BudgetLine,
    Certificate,
    Enrollment,
    EnrollmentStatus,
    Expenditure,
    JpLedgerEntry,
)
from mutu.reference.models import EmploymentKind


def activity_counts_frame() -> pd.DataFrame:
    """Activities by year of their start and form of development.

    Columns: ``year``, ``form`` (code), ``form_label`` (Indonesian), ``n``,
    ``planned_jp`` (sum of the activities' JP).
    """
    rows = Activity.objects.values("start_date__year", "form__code", "form__label_id").annotate(
        n=Count("id"), planned_jp=Sum("jp")
    )
    frame = pd.DataFrame.from_records(
        list(rows),
        columns=["start_date__year", "form__code", "form__label_id", "n", "planned_jp"],
    )
    frame.columns = pd.Index(["year", "form", "form_label", "n", "planned_jp"])
    frame["planned_jp"] = frame["planned_jp"].astype(float)
    return frame.sort_values(["year", "form"], ignore_index=True)


def jp_delivered_frame() -> pd.DataFrame:
    """Approved JP credited to ASN, by year and source (activity or external).

    Columns: ``year``, ``source``, ``entries``, ``jp``, ``employees`` (distinct).
    """
    rows = (
        JpLedgerEntry.objects.filter(approval_status="approved")
        .values("year", "source")
        .annotate(entries=Count("id"), jp=Sum("jp"), employees=Count("employee", distinct=True))
    )
    frame = pd.DataFrame.from_records(
        list(rows), columns=["year", "source", "entries", "jp", "employees"]
    )
    frame["jp"] = frame["jp"].astype(float)
    return frame.sort_values(["year", "source"], ignore_index=True)


def budget_frame() -> pd.DataFrame:
    """Planned and spent Rupiah by fiscal year.

    Columns: ``year``, ``planned``, ``spent``, ``absorption`` (spent / planned).
    Spending is counted in the fiscal year of its budget line.
    """
    planned = BudgetLine.objects.values("fiscal_year").annotate(total=Sum("planned_amount"))
    spent = Expenditure.objects.values("budget_line__fiscal_year").annotate(total=Sum("amount"))
    frame = pd.DataFrame({"planned": {r["fiscal_year"]: float(r["total"]) for r in planned}}).join(
        pd.Series(
            {r["budget_line__fiscal_year"]: float(r["total"]) for r in spent},
            name="spent",
            dtype=float,
        ),
        how="outer",
    )
    frame = frame.fillna(0.0).rename_axis("year").reset_index()
    frame["absorption"] = frame["spent"] / frame["planned"].where(frame["planned"] > 0)
    return frame


# --- Running activities: reads for the web pages and the completion rules -------------------


@dataclass(frozen=True)
class AttendanceCount:
    """Sessions an enrollment attended, of the activity's sessions."""

    attended: int
    sessions: int

    @property
    def share(self) -> float | None:
        return self.attended / self.sessions if self.sessions else None


def attendance_counts(activity_id: int) -> dict[int, AttendanceCount]:
    """Per enrollment of the activity: sessions attended (present) of all its sessions."""
    sessions = ActivitySession.objects.filter(activity_id=activity_id).count()
    present = dict(
        Attendance.objects.filter(session__activity_id=activity_id, present=True)
        .values("enrollment_id")
        .annotate(n=Count("id"))
        .values_list("enrollment_id", "n")
    )
    ids = Enrollment.objects.filter(activity_id=activity_id).values_list("pk", flat=True)
    return {pk: AttendanceCount(int(present.get(pk, 0)), sessions) for pk in ids}


def post_test_scores(activity_id: int) -> dict[int, Decimal]:
    """Each participant's post-test score (0–100) in the activity, by employee id.

    A post-test is a response to the activity with ``occasion="post"`` or to a
    ``post_test`` instrument (never a ``pre`` one) whose version has keyed
    items.  The score is 100 × points of the items answered with the key /
    points of all keyed items of its version, as in the level-2 evaluation
    (:func:`mutu.evaluation.pipeline.l2_learning.test_scores`); an unanswered
    item earns nothing.  The latest response of each participant counts.
    """
    from mutu.instruments.models import Answer, InstrumentKind, Item, Occasion, Response

    keyed = Item.objects.exclude(answer_key="")
    responses = (
        Response.objects.filter(activity_id=activity_id, identity__isnull=False)
        .filter(Q(occasion=Occasion.POST) | Q(version__instrument__kind=InstrumentKind.POST_TEST))
        .exclude(occasion=Occasion.PRE)
        .filter(version_id__in=keyed.values("version_id"))
        .order_by("submitted_at", "pk")
        .values_list("pk", "version_id", "identity__employee_id")
    )
    latest: dict[int, tuple[int, int]] = {}
    for pk, version_id, employee_id in responses:
        latest[employee_id] = (pk, version_id)
    if not latest:
        return {}
    versions = {v for _pk, v in latest.values()}
    items = {
        pk: (version_id, key, points)
        for pk, version_id, key, points in keyed.filter(version_id__in=versions).values_list(
            "pk", "version_id", "answer_key", "points"
        )
    }
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for version_id, _key, points in items.values():
        totals[version_id] += points
    earned: dict[int, Decimal] = defaultdict(Decimal)
    chosen = [pk for pk, _v in latest.values()]
    for response_id, item_id, option_code in Answer.objects.filter(
        response_id__in=chosen, item_id__in=list(items)
    ).values_list("response_id", "item_id", "option__code"):
        _version, key, points = items[item_id]
        if option_code == key:
            earned[response_id] += points
    return {
        employee_id: Decimal(100) * earned[pk] / totals[version_id]
        for employee_id, (pk, version_id) in latest.items()
        if totals[version_id] > 0
    }


def activity_list(
    activities: QuerySet[Activity],
    *,
    year: int | None = None,
    program_id: int | None = None,
    form: str = "",
    status: str = "",
) -> QuerySet[Activity]:
    """Activities (already scoped) filtered by year of start, program, form and status.

    Annotated with ``n_participants`` (not withdrawn) and ``n_sessions``.
    """
    qs = activities
    if year:
        qs = qs.filter(start_date__year=year)
    if program_id:
        qs = qs.filter(program_id=program_id)
    if form:
        qs = qs.filter(form__code=form)
    if status:
        qs = qs.filter(status=status)
    participants = (
        Enrollment.objects.filter(activity_id=OuterRef("pk"))
        .exclude(status=EnrollmentStatus.WITHDRAWN)
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sessions = (
        ActivitySession.objects.filter(activity_id=OuterRef("pk"))
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.select_related("program", "form")
        .annotate(
            n_participants=Coalesce(Subquery(participants), 0),
            n_sessions=Coalesce(Subquery(sessions), 0),
        )
        .order_by("-start_date", "code")
    )


def activity_years(activities: QuerySet[Activity]) -> list[int]:
    """Years in which the given activities start, newest first."""
    return sorted(
        {d.year for d in activities.dates("start_date", "year")},
        reverse=True,
    )


def sessions_in_month(
    activities: QuerySet[Activity], year: int, month: int
) -> QuerySet[ActivitySession]:
    """Sessions of the given activities that start in a month (local time), in time order."""
    tz = timezone.get_current_timezone()
    first = datetime(year, month, 1, tzinfo=tz)
    after = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return (
        ActivitySession.objects.filter(
            activity__in=activities, starts_at__gte=first, starts_at__lt=after
        )
        .select_related("activity")
        .order_by("starts_at", "activity__code")
    )


def jp_by_employee(employees: QuerySet[Employee], year: int) -> QuerySet[Employee]:
    """``employees`` annotated with ``jp_year``: approved JP credited in ``year``."""
    credited = (
        JpLedgerEntry.objects.filter(
            employee_id=OuterRef("pk"), year=year, approval_status=ApprovalStatus.APPROVED
        )
        .values("employee_id")
        .annotate(total=Sum("jp"))
        .values("total")
    )
    return employees.annotate(
        jp_year=Coalesce(
            Subquery(credited),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=8, decimal_places=2),
        )
    )


@dataclass(frozen=True)
class Candidate:
    """An employee offered for nomination, with the needs that make them a candidate."""

    employee_id: int
    name: str
    nip: str
    status: str
    unit: str
    position: str
    jp_year: Decimal
    jp_deficit: Decimal | None
    gap_count: int
    gap_sum: int
    enrolled: str


def competency_gaps(
    employees: QuerySet[Employee], *, on: date, competency_ids: list[int] | None = None
) -> pd.DataFrame:
    """Per employee: competencies of their position's standard assessed below the standard.

    The latest assessment of each competency up to ``on`` counts (as in
    :func:`mutu.indices.jpm.job_person_match`); competencies never assessed
    are not counted as gaps.  With ``competency_ids`` only those competencies
    count (an activity's program's target competencies).

    Index ``employee_id``; columns ``gap_count`` (competencies below standard)
    and ``gap_sum`` (sum of :math:`\\max(0, s - a)`).
    """
    staff = pd.DataFrame.from_records(
        list(employees.filter(position__isnull=False).values_list("pk", "position_id")),
        columns=["employee_id", "position_id"],
    )
    standards_qs = CompetencyStandard.objects.filter(
        position_id__in=employees.values("position_id")
    )
    assessments_qs = CompetencyAssessment.objects.filter(
        employee_id__in=employees.values("pk"), assessed_on__lte=on
    )
    if competency_ids is not None:
        standards_qs = standards_qs.filter(competency_id__in=competency_ids)
        assessments_qs = assessments_qs.filter(competency_id__in=competency_ids)
    standards = pd.DataFrame.from_records(
        list(standards_qs.values_list("position_id", "competency_id", "required_level")),
        columns=["position_id", "competency_id", "required"],
    )
    assessed = pd.DataFrame.from_records(
        list(
            assessments_qs.values_list("employee_id", "competency_id", "level", "assessed_on", "pk")
        ),
        columns=["employee_id", "competency_id", "level", "assessed_on", "pk"],
    )
    empty = pd.DataFrame(
        {"gap_count": pd.Series(dtype=int), "gap_sum": pd.Series(dtype=int)},
        index=pd.Index([], name="employee_id", dtype=int),
    )
    if staff.empty or standards.empty or assessed.empty:
        return empty
    latest = assessed.sort_values(["assessed_on", "pk"]).drop_duplicates(
        ["employee_id", "competency_id"], keep="last"
    )
    merged = staff.merge(standards, on="position_id").merge(
        latest, on=["employee_id", "competency_id"]
    )
    if merged.empty:
        return empty
    merged["gap"] = (merged["required"] - merged["level"]).clip(lower=0)
    grouped = merged.groupby("employee_id")["gap"]
    return pd.DataFrame(
        {"gap_count": grouped.apply(lambda g: int((g > 0).sum())), "gap_sum": grouped.sum()}
    ).astype(int)


def nomination_candidates(
    employees: QuerySet[Employee],
    activity: Activity,
    *,
    unit_ids: frozenset[int] | None = None,
    position_kind: str = "",
    position_text: str = "",
    jp_deficit_only: bool = False,
    gap_only: bool = False,
    limit: int = 300,
) -> tuple[list[Candidate], int]:
    """Employees (already scoped) to nominate for ``activity``, neediest first, and their count.

    The JP deficit is counted in the activity's year, for a PNS only (the
    20-JP floor of the ``jp`` rulebook; a PPPK has a ceiling, not a floor).
    The competency gap uses the program's target competencies when it has
    any.  Ordered by largest JP deficit, then largest gap, then name; at most
    ``limit`` rows, with the total that matched.
    """
    year = activity.start_date.year
    floor = Decimal(pns_min_jp())
    qs = employees
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    if position_kind:
        qs = qs.filter(position__kind=position_kind)
    if position_text.strip():
        qs = qs.filter(position__name__icontains=position_text.strip())
    qs = jp_by_employee(qs, year)
    if jp_deficit_only:
        qs = qs.filter(status=EmploymentKind.PNS).filter(**{"jp_year__lt": floor})
    targets = list(activity.program.target_competencies.values_list("pk", flat=True))
    gaps = competency_gaps(qs, on=activity.start_date, competency_ids=targets or None)
    columns = ["pk", "name", "nip", "status", "unit__name", "position__name", "jp_year"]
    rows = list(qs.values_list(*columns))
    enrolled = dict(
        Enrollment.objects.filter(activity=activity).values_list("employee_id", "status")
    )
    out: list[Candidate] = []
    for pk, name, nip, status, unit, position, jp in rows:
        count = int(gaps["gap_count"].get(pk, 0))
        if gap_only and count == 0:
            continue
        jp = Decimal(jp or 0)
        out.append(
            Candidate(
                employee_id=pk,
                name=name,
                nip=nip,
                status=status,
                unit=unit,
                position=position or "",
                jp_year=jp,
                jp_deficit=max(floor - jp, Decimal(0)) if status == EmploymentKind.PNS else None,
                gap_count=count,
                gap_sum=int(gaps["gap_sum"].get(pk, 0)),
                enrolled=enrolled.get(pk, ""),
            )
        )
    out.sort(key=lambda c: (-(c.jp_deficit or 0), -c.gap_count, -c.gap_sum, c.name))
    return out[:limit], len(out)


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code, with what its public page shows."""
    return (
        Certificate.objects.select_related("enrollment__employee", "enrollment__activity")
        .filter(verification_token=code)
        .first()
    )


# --- the dashboards: activities, participation and a person's JP -------------------------


def jp_totals(employee_ids: Iterable[int], year: int) -> dict[int, Decimal]:
    """Approved JP credited in ``year`` per employee (employees without any are left out)."""
    rows = (
        JpLedgerEntry.objects.filter(
            employee_id__in=list(employee_ids), year=year, approval_status="approved"
        )
        .values("employee_id")
        .annotate(total=Sum("jp"))
        .values_list("employee_id", "total")
    )
    return {pk: Decimal(total or 0) for pk, total in rows}


def person_jp_entries(employee_id: int, year: int) -> list[JpLedgerEntry]:
    """The employee's JP ledger entries of one year, oldest first, with their activity."""
    return list(
        JpLedgerEntry.objects.filter(employee_id=employee_id, year=year)
        .select_related("enrollment__activity")
        .order_by("date", "pk")
    )


def person_enrollments(employee_id: int) -> list[Enrollment]:
    """The employee's enrollments, newest activity first, with sessions attended and held.

    Each enrollment carries ``sessions_present`` and ``sessions_total``
    annotations and its certificate (if any) loaded.
    """
    return list(
        Enrollment.objects.filter(employee_id=employee_id)
        .select_related("activity", "activity__program", "certificate")
        .annotate(
            sessions_present=Count("attendance", filter=Q(attendance__present=True), distinct=True),
            sessions_total=Count("activity__sessions", distinct=True),
        )
        .order_by("-activity__start_date", "activity__code")
    )


def data_years() -> list[int]:
    """Years with JP credited or activities held, oldest first."""
    # order_by() drops the model's ordering, which DISTINCT would otherwise include
    years = set(JpLedgerEntry.objects.order_by().values_list("year", flat=True).distinct())
    years.update(d.year for d in Activity.objects.dates("start_date", "year"))
    return sorted(int(y) for y in years)


def _attended() -> Exists:
    return Exists(Attendance.objects.filter(enrollment=OuterRef("pk"), present=True))


def unit_activity_participation(unit_ids: Iterable[int], year: int) -> list[dict[str, Any]]:
    """Activities starting in ``year`` with the participation of the given units' people.

    One row per activity with at least one nomination from those units, by
    start date: ``pk``, ``code``, ``title``, ``start_date``, ``end_date``,
    ``jp``, and the counts ``nominated``, ``registered`` (a registration date
    or attendance), ``attended`` (present at one session at least, or
    completed) and ``completed``.
    """
    rows = (
        Enrollment.objects.filter(
            employee__unit_id__in=list(unit_ids), activity__start_date__year=year
        )
        .annotate(present=_attended())
        .values_list("activity_id", "status", "registered_on", "present")
    )
    counts: dict[int, dict[str, int]] = {}
    for activity, status, registered_on, present in rows:
        row = counts.setdefault(
            activity, {"nominated": 0, "registered": 0, "attended": 0, "completed": 0}
        )
        completed = status == EnrollmentStatus.COMPLETED
        attended = bool(present) or completed
        row["nominated"] += 1
        row["registered"] += int(registered_on is not None or attended)
        row["attended"] += int(attended)
        row["completed"] += int(completed)
    activities = Activity.objects.filter(pk__in=counts).order_by("start_date", "code")
    return [
        {
            "pk": a.pk,
            "code": a.code,
            "title": a.title,
            "start_date": a.start_date,
            "end_date": a.end_date,
            "jp": a.jp,
            **counts[a.pk],
        }
        for a in activities
    ]


def activity_detail(code: str) -> Activity | None:
    """One activity by its code, with program, form, partner and kecamatan loaded."""
    return (
        Activity.objects.select_related("program", "form", "partner", "kecamatan")
        .filter(code=code)
        .first()
    )


def activity_reaches_units(activity: Activity, unit_ids: Iterable[int]) -> bool:
    """Whether the activity belongs to one of the units or has a participant from one."""
    units = list(unit_ids)
    if not units:
        return False
    if activity.program.owner_unit_id in units:
        return True
    return Enrollment.objects.filter(activity=activity, employee__unit_id__in=units).exists()


def activity_sessions(activity_id: int) -> list[ActivitySession]:
    """The activity's sessions in order, each with ``n_present`` (people marked present)."""
    return list(
        ActivitySession.objects.filter(activity_id=activity_id)
        .annotate(n_present=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("starts_at", "pk")
    )


def activity_participants(activity_id: int) -> list[dict[str, Any]]:
    """The activity's enrollments by name.

    Keys: ``employee_id``, ``name``, ``unit_id``, ``unit`` (name), ``status``
    (an EnrollmentStatus value), ``present`` (sessions attended),
    ``certificate`` (its number or "").
    """
    rows = (
        Enrollment.objects.filter(activity_id=activity_id)
        .annotate(present=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("employee__name", "employee__nip")
        .values_list(
            "employee_id",
            "employee__name",
            "employee__unit_id",
            "employee__unit__name",
            "status",
            "present",
            "certificate__number",
        )
    )
    return [
        {
            "employee_id": employee,
            "name": name,
            "unit_id": unit_id,
            "unit": unit,
            "status": status,
            "present": present,
            "certificate": number or "",
        }
        for employee, name, unit_id, unit, status, present, number in rows
    ]


def activities_by_ids(ids: Iterable[int]) -> list[Activity]:
    """The given activities, newest first, with their program."""
    return list(
        Activity.objects.filter(pk__in=list(ids))
        .select_related("program")
        .order_by("-start_date", "code")
    )
