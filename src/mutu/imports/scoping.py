"""Who may import and export which kinds on the web, and which rows: the role scope.

The engine (:mod:`mutu.imports.engine`) runs with full rights, as the
``mutu import`` command does.  The web application narrows it to the signed-in
user's :class:`~mutu.accounts.scope.Scope`:

Imports
    A BKPSDM administrator imports every kind.  A unit operator imports the
    kinds whose rows belong to a unit (:data:`OPERATOR_IMPORT_KINDS`), and
    only rows inside their units (their unit and its sub-units).  The engine
    has no scope of its own, so the check runs right after the kind's
    ``plan``: every row whose record touches a unit outside the operator's
    (an employee's unit before *and* after the import, a participant's unit,
    an SKM unit …) becomes an error on that row.  The engine then writes
    nothing, as for any other fault: all or nothing.  Units, activities and
    sessions stay with the BKPSDM (they change the shared structure).

Exports
    Participants and supervisors export nothing; analysts and unit heads
    export no personal data (NIP, names: UU 27/2022); administrators and unit
    operators export personal data.  Rows are kept only inside the user's
    scope: employees, enrollments, attendance and course history by the
    employee's NIP (:meth:`Scope.employees`), units, positions and SKM
    results by the unit code (:meth:`Scope.units`), activities and sessions
    by the activity code (:func:`mutu.programs.access.activities_in_scope`).
    A kind this module does not know (one added later) is exported only by
    scopes that cover every unit.  SKM element means over fewer respondents
    than the privacy minimum are left empty for everyone but administrators.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from mutu.accounts.models import Role
from mutu.accounts.scope import Scope
from mutu.domain.errors import MutuValueError
from mutu.imports.engine import Change, Kind, Options, Row
from mutu.imports.kinds import KINDS
from mutu.people.models import Employee, Position
from mutu.reporting.formatting import DEFAULT_PRIVACY_MINIMUM, is_suppressed

#: Kinds a unit operator may import (rows of their own units only).
OPERATOR_IMPORT_KINDS = (
    "employees",
    "positions",
    "enrollments",
    "attendance",
    "course_history",
    "skm_results",
)

#: Roles that may export anything at all.
EXPORT_ROLES = (Role.ADMIN, Role.ANALYST, Role.UNIT_OPERATOR, Role.UNIT_HEAD, Role.TRAINER)

#: Kind → (the export column the rows are kept by, what it holds).
EXPORT_ROW_KEYS: dict[str, tuple[str, str]] = {
    "employees": ("NIP", "nip"),
    "enrollments": ("NIP", "nip"),
    "attendance": ("NIP", "nip"),
    "course_history": ("NIP", "nip"),
    "units": ("Kode Unit", "unit"),
    "positions": ("Kode Unit", "unit"),
    "skm_results": ("Kode Unit", "unit"),
    "activities": ("Kode Kegiatan", "activity"),
    "sessions": ("Kode Kegiatan", "activity"),
}


# --------------------------------------------------------------------------- imports


def importable_kinds(scope: Scope) -> list[str]:
    """The kinds ``scope`` may import, in the order data depend on each other."""
    if scope.is_admin:
        return list(KINDS)
    if scope.has(Role.UNIT_OPERATOR) and scope.write_units:
        return [k for k in KINDS if k in OPERATOR_IMPORT_KINDS]
    return []


def may_import(scope: Scope) -> bool:
    return bool(importable_kinds(scope))


def import_kind_for(scope: Scope, name: str, options: Options) -> Kind[Any]:
    """The kind ``name`` as ``scope`` may run it: rows outside an operator's units refused.

    Raises
    ------
    MutuValueError
        A kind the scope may not import (or that does not exist).
    """
    allowed = importable_kinds(scope)
    if name not in allowed:
        raise MutuValueError(
            "Anda tidak boleh mengimpor jenis data ini.",
            "You may not import this kind of data.",
        )
    cls = KINDS[name]
    if scope.is_admin:
        return cls(options)
    units = scope.write_units

    def plan(self: Kind[Any], items: list[tuple[Row, Any]]) -> list[Change[Any]]:
        changes = cls.plan(self, items)
        refuse_outside(name, changes, units)
        return changes

    scoped: type[Kind[Any]] = type(f"Scoped{cls.__name__}", (cls,), {"plan": plan})
    return scoped(options)


#: The column an out-of-scope row's error is put on, per kind (the first the file has).
_SCOPE_COLUMNS: dict[str, tuple[str, ...]] = {
    "employees": ("unit_code", "unit", "nip"),
    "positions": ("unit", "code"),
    "enrollments": ("nip",),
    "attendance": ("nip",),
    "course_history": ("nip",),
    "skm_results": ("unit",),
}


def refuse_outside(name: str, changes: list[Change[Any]], units: frozenset[int]) -> None:
    """Put an error on every row whose record touches a unit outside ``units``.

    Unchanged rows are refused too: an operator's file holds their own units
    only, whatever the database already says.
    """
    touched = _units_touched(name, changes)
    flagged: set[int] = set()
    for change, unit_ids in zip(changes, touched, strict=True):
        row = change.row
        if row.number in flagged:
            continue
        if unit_ids and all(u is not None and u in units for u in unit_ids):
            continue
        flagged.add(row.number)
        key = next((k for k in _SCOPE_COLUMNS.get(name, ()) if row.has(k)), None)
        row.error(
            key,
            "Baris ini menyangkut unit kerja di luar wilayah Anda; operator unit hanya mengimpor "
            "data unit kerjanya sendiri dan sub-unitnya.",
            "This row concerns a unit outside yours; a unit operator imports only the data of "
            "their own unit and its sub-units.",
            code="outside_scope",
        )


def _units_touched(name: str, changes: list[Change[Any]]) -> list[list[int | None]]:
    """For each change, the units its record is in (before and after the import)."""
    if name in ("employees", "positions"):
        model: Any = Employee if name == "employees" else Position
        stored = _values(model, "unit_id", [c.obj.pk for c in changes if c.obj.pk is not None])
        return [
            [c.obj.unit_id, *([stored.get(c.obj.pk)] if c.obj.pk is not None else [])]
            for c in changes
        ]
    if name == "skm_results":
        return [[c.obj.unit_id] for c in changes]
    employee_of: Callable[[Any], int | None]
    if name == "attendance":

        def employee_of(obj: Any) -> int | None:
            return obj.enrollment.employee_id  # type: ignore[no-any-return]

    elif name in ("enrollments", "course_history"):

        def employee_of(obj: Any) -> int | None:
            return obj.employee_id  # type: ignore[no-any-return]

    else:
        return [[None] for _c in changes]
    people = [employee_of(c.obj) for c in changes]
    unit_of = _values(Employee, "unit_id", [p for p in people if p is not None])
    return [[unit_of.get(p) if p is not None else None] for p in people]


def _values(model: Any, field: str, pks: Iterable[int]) -> dict[int, Any]:
    """``pk → field`` for ``pks``, read in chunks (SQLite limits a query's parameters)."""
    wanted = sorted(set(pks))
    out: dict[int, Any] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        out.update(dict(model.objects.filter(pk__in=part).values_list("pk", field)))
    return out


# --------------------------------------------------------------------------- exports


def export_refusal(scope: Scope, name: str) -> MutuValueError | None:
    """Why ``scope`` may not export kind ``name`` (None when it may)."""
    if not scope.has(*EXPORT_ROLES):
        return MutuValueError(
            "Peran Anda tidak mengunduh data.",
            "Your role does not download data.",
        )
    kind = KINDS[name]
    if kind.personal and not scope.can_export_personal_data:
        return MutuValueError(
            "Peran Anda tidak boleh mengunduh data pribadi (NIP, nama); unduhan ini berisi data "
            "pribadi.",
            "Your role may not download personal data (NIP, names), and this download holds "
            "personal data.",
        )
    if name not in EXPORT_ROW_KEYS and not scope.all_units:
        return MutuValueError(
            "Jenis data ini hanya diunduh oleh BKPSDM.",
            "Only the BKPSDM downloads this kind of data.",
        )
    return None


def may_export(scope: Scope, name: str) -> bool:
    return name in KINDS and export_refusal(scope, name) is None


def export_row_filter(
    scope: Scope, name: str, header: list[str]
) -> Callable[[list[Any]], bool] | None:
    """A test keeping the rows of an export inside ``scope`` (None: every row may go)."""
    if scope.all_units:
        return None
    column, holds = EXPORT_ROW_KEYS[name]
    if column not in header:
        return lambda row: False
    at = header.index(column)
    allowed: set[str]
    if holds == "nip":
        allowed = set(scope.employees().values_list("nip", flat=True))
    elif holds == "unit":
        allowed = set(scope.units().values_list("code", flat=True))
    else:
        from mutu.programs.access import activities_in_scope

        allowed = set(activities_in_scope(scope).values_list("code", flat=True))
    return lambda row: at < len(row) and str(row[at] or "") in allowed


def export_privacy(
    scope: Scope, name: str, header: list[str], minimum: int = DEFAULT_PRIVACY_MINIMUM
) -> Callable[[list[Any]], list[Any]] | None:
    """The privacy minimum on an export's aggregates (None: nothing to withhold).

    SKM results are means over respondents: for everyone but administrators
    (who hold the raw data anyway) the element means of a row with fewer than
    ``minimum`` respondents are left empty, as the dashboards suppress them.
    An empty element cell imports as "not recorded", so the file still goes
    back in without changing anything.
    """
    if name != "skm_results" or scope.is_admin or "Responden" not in header:
        return None
    n_at = header.index("Responden")
    elements = [i for i, h in enumerate(header) if re.fullmatch(r"U\d+", h)]

    def withhold(row: list[Any]) -> list[Any]:
        n = row[n_at] if n_at < len(row) else None
        if n is None or is_suppressed(float(n), minimum):
            row = list(row)
            for i in elements:
                if i < len(row):
                    row[i] = None
        return row

    return withhold


def scoped_rows(
    rows: Iterable[list[Any]],
    keep: Callable[[list[Any]], bool] | None,
    change: Callable[[list[Any]], list[Any]] | None = None,
) -> Iterator[list[Any]]:
    """``rows``, without those ``keep`` refuses, each passed through ``change``."""
    for row in rows:
        if keep is None or keep(row):
            yield row if change is None else change(row)


__all__ = [
    "EXPORT_ROW_KEYS",
    "OPERATOR_IMPORT_KINDS",
    "export_privacy",
    "export_refusal",
    "export_row_filter",
    "import_kind_for",
    "importable_kinds",
    "may_export",
    "may_import",
    "refuse_outside",
    "scoped_rows",
]
