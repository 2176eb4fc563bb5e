"""Reads for the program pages (``/program/``): programs in a scope, their figures, their parts.

Who sees which program (:func:`programs_in_scope`)
    Administrators and analysts see every program.  A unit head or unit
    operator sees a program when (a) one of their units (their unit and its
    sub-units) owns it, (b) it targets one of their units
    (:class:`~mutu.programs.models.ProgramUnit`), or (c) one of its
    activities has a participant (in any enrollment status) from one of their
    units.  Everyone else (trainer, participant, supervisor) sees none.

What the figures count (:func:`figure_annotations`)
    Over a program's activities that are not cancelled (an activity's own row
    counts itself whatever its status), and, with a ``year``, only those
    starting in that year:

    - ``n_activities``: those activities; ``n_done``: those with status *done*;
    - ``n_enrolled``: their enrollments not withdrawn (a person in two
      activities counts twice); ``n_completed``: enrollments *completed*;
    - ``jp_delivered``: approved JP credited to their enrollments (JP ledger);
    - ``planned``: Rupiah of the program's budget lines (with a ``year``, of
      that fiscal year); ``spent``: Rupiah of the expenditures on those lines.

Privacy (:func:`withheld`)
    The outcomes over people (completed, completion rate, JP delivered) are
    withheld when fewer than the privacy minimum (5) are enrolled; the number
    enrolled (the group's size) is always shown, as on the dashboard.

Every figure is one correlated subquery, so a list of programs is one query
whatever its length (no query per program).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from mutu.accounts.models import Role
from mutu.programs.models import (
    Activity,
    ActivityStatus,
    ApprovalStatus,
    BudgetLine,
    Enrollment,
    EnrollmentStatus,
    Expenditure,
    JpLedgerEntry,
    Program,
    ProgramGoal,
    ProgramUnit,
)
from mutu.reporting.formatting import DEFAULT_PRIVACY_MINIMUM, is_suppressed

if TYPE_CHECKING:
    from mutu.accounts.scope import Scope

__all__ = [
    "ProgramFigures",
    "figure_annotations",
    "may_list_programs",
    "program_activities",
    "program_budget_lines",
    "program_goals",
    "program_list",
    "program_target_units",
    "program_totals",
    "program_years",
    "programs_in_scope",
    "withheld",
]

_MONEY: DecimalField[Any, Any] = DecimalField(max_digits=18, decimal_places=2)
_JP: DecimalField[Any, Any] = DecimalField(max_digits=12, decimal_places=2)
_COUNT: IntegerField[Any, Any] = IntegerField()


# --------------------------------------------------------------------------- scope


def may_list_programs(scope: Scope) -> bool:
    """Administrators and analysts; unit heads and operators with at least one unit."""
    if scope.all_units:
        return True
    return scope.has(Role.UNIT_HEAD, Role.UNIT_OPERATOR) and bool(scope.read_units)


def programs_in_scope(scope: Scope) -> QuerySet[Program]:
    """The programs ``scope`` may open (the rule is in the module's docstring)."""
    qs = Program.objects.all()
    if scope.all_units:
        return qs
    if not may_list_programs(scope):
        return qs.none()
    units = list(scope.read_units)
    targeted = ProgramUnit.objects.filter(unit_id__in=units).values("program_id")
    with_people = Activity.objects.filter(enrollments__employee__unit_id__in=units).values(
        "program_id"
    )
    return qs.filter(Q(owner_unit_id__in=units) | Q(pk__in=targeted) | Q(pk__in=with_people))


def program_years(programs: QuerySet[Program]) -> list[int]:
    """Every year some of ``programs`` runs in (from period start to period end), newest first."""
    years: set[int] = set()
    for start, end in programs.order_by().values_list("period_start", "period_end"):
        years.update(range(start.year, end.year + 1))
    return sorted(years, reverse=True)


# --------------------------------------------------------------------------- figures


def _counted(qs: QuerySet[Any], key: str) -> Subquery:
    """``COUNT(*)`` of ``qs`` grouped by ``key`` (``qs`` already filtered on the outer row)."""
    return Subquery(qs.order_by().values(key).annotate(n=Count("pk")).values("n")[:1])


def _summed(qs: QuerySet[Any], key: str, field: str) -> Subquery:
    return Subquery(qs.order_by().values(key).annotate(total=Sum(field)).values("total")[:1])


def _zero(subquery: Subquery, output: IntegerField[Any, Any] | DecimalField[Any, Any]) -> Coalesce:
    default = Value(0) if isinstance(output, IntegerField) else Value(Decimal(0))
    return Coalesce(subquery, default, output_field=output)


def figure_annotations(year: int | None = None, *, per: str = "program") -> dict[str, Any]:
    """The figures as annotations of a Program (``per="program"``) or an Activity query set.

    ``year`` keeps the activities starting in that year and the budget lines
    of that fiscal year.  Per activity, the budget is the lines tied to it.
    """
    activity_filter: dict[str, Any] = {}
    enrollment_filter: dict[str, Any] = {}
    ledger_filter: dict[str, Any] = {}
    line_filter: dict[str, Any] = {}
    spend_filter: dict[str, Any] = {}
    if per == "program":
        activity_filter["program_id"] = OuterRef("pk")
        enrollment_filter["activity__program_id"] = OuterRef("pk")
        ledger_filter["enrollment__activity__program_id"] = OuterRef("pk")
        line_filter["program_id"] = OuterRef("pk")
        spend_filter["budget_line__program_id"] = OuterRef("pk")
        keys = ("program_id", "activity__program_id", "enrollment__activity__program_id")
        line_keys = ("program_id", "budget_line__program_id")
    else:
        activity_filter["pk"] = OuterRef("pk")
        enrollment_filter["activity_id"] = OuterRef("pk")
        ledger_filter["enrollment__activity_id"] = OuterRef("pk")
        line_filter["activity_id"] = OuterRef("pk")
        spend_filter["budget_line__activity_id"] = OuterRef("pk")
        keys = ("pk", "activity_id", "enrollment__activity_id")
        line_keys = ("activity_id", "budget_line__activity_id")
    if year is not None:
        activity_filter["start_date__year"] = year
        enrollment_filter["activity__start_date__year"] = year
        ledger_filter["enrollment__activity__start_date__year"] = year
        line_filter["fiscal_year"] = year
        spend_filter["budget_line__fiscal_year"] = year
    activities = Activity.objects.filter(**activity_filter)
    enrollments = Enrollment.objects.filter(**enrollment_filter).exclude(
        status=EnrollmentStatus.WITHDRAWN
    )
    credited = JpLedgerEntry.objects.filter(
        **ledger_filter, approval_status=ApprovalStatus.APPROVED
    )
    if per == "program":  # an activity's own row shows it whatever its status
        cancelled = ActivityStatus.CANCELLED
        activities = activities.exclude(status=cancelled)
        enrollments = enrollments.exclude(activity__status=cancelled)
        credited = credited.exclude(enrollment__activity__status=cancelled)
    lines = BudgetLine.objects.filter(**line_filter)
    spent = Expenditure.objects.filter(**spend_filter)
    return {
        "n_activities": _zero(_counted(activities, keys[0]), _COUNT),
        "n_done": _zero(_counted(activities.filter(status=ActivityStatus.DONE), keys[0]), _COUNT),
        "n_enrolled": _zero(_counted(enrollments, keys[1]), _COUNT),
        "n_completed": _zero(
            _counted(enrollments.filter(status=EnrollmentStatus.COMPLETED), keys[1]), _COUNT
        ),
        "jp_delivered": _zero(_summed(credited, keys[2], "jp"), _JP),
        "planned": _zero(_summed(lines, line_keys[0], "planned_amount"), _MONEY),
        "spent": _zero(_summed(spent, line_keys[1], "amount"), _MONEY),
    }


@dataclass(frozen=True)
class ProgramFigures:
    """The figures of one program (or one activity), and whether the outcomes are withheld."""

    n_activities: int
    n_done: int
    n_enrolled: int
    n_completed: int
    jp_delivered: Decimal
    planned: Decimal
    spent: Decimal
    withheld: bool

    @property
    def completion_rate(self) -> float | None:
        """Completed / enrolled (None without enrollments)."""
        return self.n_completed / self.n_enrolled if self.n_enrolled else None

    @property
    def absorption(self) -> float | None:
        """Spent / planned (None without a planned amount)."""
        return float(self.spent / self.planned) if self.planned else None

    @classmethod
    def of(cls, row: Model, minimum: int = DEFAULT_PRIVACY_MINIMUM) -> ProgramFigures:
        """The figures a row annotated with :func:`figure_annotations` carries."""
        n_enrolled = int(row.n_enrolled)  # type: ignore[attr-defined]
        return cls(
            n_activities=int(row.n_activities),  # type: ignore[attr-defined]
            n_done=int(row.n_done),  # type: ignore[attr-defined]
            n_enrolled=n_enrolled,
            n_completed=int(row.n_completed),  # type: ignore[attr-defined]
            jp_delivered=Decimal(row.jp_delivered),  # type: ignore[attr-defined]
            planned=Decimal(row.planned),  # type: ignore[attr-defined]
            spent=Decimal(row.spent),  # type: ignore[attr-defined]
            withheld=withheld(n_enrolled, minimum),
        )


def withheld(n_enrolled: int, minimum: int = DEFAULT_PRIVACY_MINIMUM) -> bool:
    """Outcomes over people are withheld when fewer than ``minimum`` are enrolled (none: not)."""
    return n_enrolled > 0 and is_suppressed(n_enrolled, minimum)


def program_list(programs: QuerySet[Program], *, year: int, search: str = "") -> QuerySet[Program]:
    """``programs`` running in ``year`` (their period touches it), searched, with the figures.

    ``search`` matches the code or the name (case-insensitive).  Ordered by code.
    """
    qs = programs.filter(period_start__year__lte=year, period_end__year__gte=year)
    text = search.strip()
    if text:
        qs = qs.filter(Q(code__icontains=text) | Q(name__icontains=text))
    return qs.annotate(**figure_annotations(year)).order_by("code")


def program_totals(program: Program, year: int | None = None) -> ProgramFigures:
    """One program's figures (the whole program, or one year of it): one query."""
    row = Program.objects.filter(pk=program.pk).annotate(**figure_annotations(year)).get()
    return ProgramFigures.of(row)


def program_activities(program: Program, year: int | None = None) -> QuerySet[Activity]:
    """The program's activities (cancelled ones too), oldest first, each with its figures."""
    qs = Activity.objects.filter(program=program)
    if year is not None:
        qs = qs.filter(start_date__year=year)
    return (
        qs.select_related("form")
        .annotate(**figure_annotations(year, per="activity"))
        .order_by("start_date", "code")
    )


def program_budget_lines(program: Program, year: int | None = None) -> QuerySet[BudgetLine]:
    """The program's budget lines with ``spent`` (their expenditures), by year and account."""
    qs = BudgetLine.objects.filter(program=program)
    if year is not None:
        qs = qs.filter(fiscal_year=year)
    spent = (
        Expenditure.objects.filter(budget_line_id=OuterRef("pk"))
        .order_by()
        .values("budget_line_id")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return (
        qs.select_related("activity")
        .annotate(spent=_zero(Subquery(spent), _MONEY))
        .order_by("fiscal_year", "account_code", "pk")
    )


def program_goals(program: Program) -> list[ProgramGoal]:
    """The program's goals, by dimension."""
    return list(ProgramGoal.objects.filter(program=program).order_by("dimension", "pk"))


def program_target_units(program: Program) -> list[ProgramUnit]:
    """The units the program targets, with their adoption year, by unit name."""
    return list(
        ProgramUnit.objects.filter(program=program)
        .select_related("unit")
        .order_by("unit__name", "pk")
    )
