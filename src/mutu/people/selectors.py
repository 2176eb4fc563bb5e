"""Reads of the ASN registry, as DataFrames with documented columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import Count, OuterRef, Subquery

from mutu.people.models import (
    CompetencyAssessment,
    CompetencyStandard,
    Employee,
    PerformanceRecord,
    Unit,
)


def employee_counts_frame() -> pd.DataFrame:
    """Active ASN counted by status, employment type and kind of unit.

    Columns: ``status`` (PNS/PPPK), ``employment_type`` ("" for PNS,
    full_time/part_time for PPPK), ``unit_kind`` (people.UnitKind value), ``n``.
    """
    rows = (
        Employee.objects.filter(is_active=True)
        .values("status", "employment_type", "unit__kind")
        .annotate(n=Count("id"))
        .order_by("status", "employment_type", "unit__kind")
    )
    frame = pd.DataFrame.from_records(
        list(rows), columns=["status", "employment_type", "unit__kind", "n"]
    )
    return frame.rename(columns={"unit__kind": "unit_kind"})


# --- the dashboards: the unit tree, a unit's people, a person's records -------------------


@dataclass(frozen=True)
class UnitNode:
    """One unit of the organisation tree, without its relations."""

    pk: int
    code: str
    name: str
    kind: str
    parent_id: int | None


def unit_nodes() -> dict[int, UnitNode]:
    """Every unit by id (one query), to walk the tree in memory."""
    rows = Unit.objects.order_by("code").values_list("pk", "code", "name", "kind", "parent_id")
    return {pk: UnitNode(pk, code, name, kind, parent) for pk, code, name, kind, parent in rows}


def unit_people(unit_id: int, year: int) -> list[dict[str, Any]]:
    """The active employees of one unit (not its sub-units), by name.

    Keys: ``pk``, ``name``, ``nip``, ``status``, ``position`` (name or ""),
    ``skp`` (the latest SKP predikat up to ``year``, or None) and ``skp_year``.
    """
    last_skp = PerformanceRecord.objects.filter(employee=OuterRef("pk"), year__lte=year).order_by(
        "-year"
    )
    rows = (
        Employee.objects.filter(unit_id=unit_id, is_active=True)
        .annotate(
            skp=Subquery(last_skp.values("predikat")[:1]),
            skp_year=Subquery(last_skp.values("year")[:1]),
        )
        .order_by("name", "nip")
        .values("pk", "name", "nip", "status", "position__name", "skp", "skp_year")
    )
    return [
        {
            "pk": r["pk"],
            "name": r["name"],
            "nip": r["nip"],
            "status": r["status"],
            "position": r["position__name"] or "",
            "skp": r["skp"],
            "skp_year": r["skp_year"],
        }
        for r in rows
    ]


def unit_headcounts(unit_ids: Iterable[int]) -> dict[int, int]:
    """Active employees per unit (direct members only), for the given units."""
    rows = (
        Employee.objects.filter(unit_id__in=list(unit_ids), is_active=True)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    return dict(rows)


def person_detail(pk: int) -> Employee | None:
    """One employee with unit, position, golongan and supervisor loaded."""
    return (
        Employee.objects.select_related("unit", "position", "golongan", "supervisor")
        .filter(pk=pk)
        .first()
    )


def person_performance(employee_id: int) -> list[PerformanceRecord]:
    """The employee's SKP records, newest year first."""
    return list(PerformanceRecord.objects.filter(employee_id=employee_id).order_by("-year"))


def person_competency_gaps(
    employee: Employee, *, until: dt.date | None = None
) -> list[dict[str, Any]]:
    """Each competency the employee's position requires, with the latest measured level.

    Keys: ``competency``, ``type``, ``required``, ``measured`` (None when never
    assessed up to ``until``), ``gap`` (measured − required, None when not
    assessed), ``assessed_on``.  Largest shortfall first, then unassessed ones.
    """
    if employee.position_id is None:
        return []
    standards = CompetencyStandard.objects.filter(position_id=employee.position_id).values_list(
        "competency_id", "competency__name", "competency__type", "required_level"
    )
    assessments = CompetencyAssessment.objects.filter(employee_id=employee.pk)
    if until is not None:
        assessments = assessments.filter(assessed_on__lte=until)
    latest: dict[int, tuple[int, dt.date]] = {}
    for competency, level, day in assessments.order_by("assessed_on", "pk").values_list(
        "competency_id", "level", "assessed_on"
    ):
        latest[competency] = (level, day)
    rows = []
    for competency, name, kind, required in standards:
        measured = latest.get(competency)
        rows.append(
            {
                "competency": name,
                "type": kind,
                "required": required,
                "measured": measured[0] if measured else None,
                "gap": measured[0] - required if measured else None,
                "assessed_on": measured[1] if measured else None,
            }
        )
    rows.sort(
        key=lambda r: (r["gap"] is None, r["gap"] if r["gap"] is not None else 0, r["competency"])
    )
    return rows
