"""The kinds of data ``mutu import`` reads and ``mutu export`` writes."""

from __future__ import annotations

from typing import Any

from mutu.domain.errors import MutuValueError
from mutu.imports.engine import Kind, Options
from mutu.imports.kinds.activities import ActivitiesKind, SessionsKind
from mutu.imports.kinds.budget import BudgetKind, SpendingKind
from mutu.imports.kinds.course_history import CourseHistoryKind
from mutu.imports.kinds.employees import EmployeesKind
from mutu.imports.kinds.participation import AttendanceKind, EnrollmentsKind
from mutu.imports.kinds.positions import PositionsKind
from mutu.imports.kinds.programs import ProgramsKind
from mutu.imports.kinds.responses import ResponsesKind
from mutu.imports.kinds.scores import TestScoresKind
from mutu.imports.kinds.skm import SkmResultsKind
from mutu.imports.kinds.units import UnitsKind

#: Kind name → class, in the order data depends on each other.
KINDS: dict[str, type[Kind[Any]]] = {
    UnitsKind.name: UnitsKind,
    PositionsKind.name: PositionsKind,
    EmployeesKind.name: EmployeesKind,
    ProgramsKind.name: ProgramsKind,
    ActivitiesKind.name: ActivitiesKind,
    SessionsKind.name: SessionsKind,
    EnrollmentsKind.name: EnrollmentsKind,
    AttendanceKind.name: AttendanceKind,
    TestScoresKind.name: TestScoresKind,
    ResponsesKind.name: ResponsesKind,
    CourseHistoryKind.name: CourseHistoryKind,
    SkmResultsKind.name: SkmResultsKind,
    BudgetKind.name: BudgetKind,
    SpendingKind.name: SpendingKind,
}


def get_kind(name: str, options: Options | None = None) -> Kind[Any]:
    """The kind called ``name``, ready to import or export."""
    try:
        return KINDS[name](options)
    except KeyError:
        known = ", ".join(KINDS)
        raise MutuValueError(
            f"Jenis data {name!r} tidak dikenal; pilih {known}.",
            f"Unknown kind {name!r}; choose {known}.",
        ) from None
