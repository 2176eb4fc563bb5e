"""Loading the registry: units, competencies, positions, employees and their records."""

from __future__ import annotations

from datetime import date
from typing import Any

from mutu.console.world_load.base import (
    BATCH,
    Frames,
    Ids,
    WorldLoadReport,
    as_date,
    as_decimal,
    as_text,
    records,
    write,
)
from mutu.people.models import (
    Competency,
    CompetencyAssessment,
    CompetencyStandard,
    DisciplineRecord,
    Employee,
    PerformanceRecord,
    Position,
    PositionHistory,
    Unit,
)


def load_people(frames: Frames, ids: Ids, report: WorldLoadReport) -> None:
    units = frames["units"]
    unit_codes = list(units["code"])
    ids.maps["unit"] = {}
    for code in unit_codes:  # ids first, so a parent may come after its child
        ids.maps["unit"][code] = ids.take(Unit)
    objects = [
        Unit(
            pk=ids.maps["unit"][r["code"]],
            code=r["code"],
            name=r["name"],
            kind=r["kind"],
            parent_id=ids.optional("unit", r["parent"], "units"),
            kecamatan_id=ids.optional("kecamatan", r["kecamatan"], "units"),
            is_active=bool(r["is_active"]),
        )
        for r in records(units)
    ]
    Unit.objects.bulk_create(objects, batch_size=BATCH)
    report.rows["people.Unit"] = len(objects)

    write(
        Competency,
        frames["competencies"],
        lambda r: {
            "code": r["code"],
            "name": r["name"],
            "type": r["type"],
            "description": as_text(r["description"]),
        },
        ids,
        report,
        key=lambda r: r["code"],
        kind="competency",
    )
    write(
        Position,
        frames["positions"],
        lambda r: {
            "code": r["code"],
            "name": r["name"],
            "kind": r["kind"],
            "level": as_text(r["level"]),
            "unit_id": ids.resolve("unit", r["unit"], "positions"),
        },
        ids,
        report,
        key=lambda r: r["code"],
        kind="position",
    )
    write(
        CompetencyStandard,
        frames["competency_standards"],
        lambda r: {
            "position_id": ids.resolve("position", r["position"], "competency_standards"),
            "competency_id": ids.resolve("competency", r["competency"], "competency_standards"),
            "required_level": r["required_level"],
        },
        ids,
        report,
    )

    employees = frames["employees"]
    ids.maps["employee"] = {nip: ids.take(Employee) for nip in employees["nip"]}
    people = [
        Employee(
            pk=ids.maps["employee"][r["nip"]],
            nip=r["nip"],
            name=r["name"],
            status=r["status"],
            employment_type=as_text(r["employment_type"]),
            birth_date=as_date(r["birth_date"]) or date.min,
            sex=r["sex"],
            golongan_id=ids.resolve("golongan", (r["status"], r["golongan"]), "employees"),
            education_level=r["education_level"],
            unit_id=ids.resolve("unit", r["unit"], "employees"),
            position_id=ids.optional("position", r["position"], "employees"),
            supervisor_id=ids.optional("employee", r["supervisor"], "employees"),
            tmt_cpns=as_date(r["tmt_cpns"]),
            is_active=bool(r["is_active"]),
        )
        for r in records(employees)
    ]
    Employee.objects.bulk_create(people, batch_size=BATCH)
    report.rows["people.Employee"] = len(people)

    def emp(r: dict[str, Any], frame: str) -> int:
        return ids.resolve("employee", r["nip"], frame)

    write(
        PositionHistory,
        frames["position_history"],
        lambda r: {
            "employee_id": emp(r, "position_history"),
            "position_id": ids.resolve("position", r["position"], "position_history"),
            "unit_id": ids.resolve("unit", r["unit"], "position_history"),
            "start": as_date(r["start"]),
            "end": as_date(r["end"]),
        },
        ids,
        report,
    )
    write(
        PerformanceRecord,
        frames["performance_records"],
        lambda r: {
            "employee_id": emp(r, "performance_records"),
            "year": r["year"],
            "predikat": r["predikat"],
            "score": as_decimal(r["score"]),
        },
        ids,
        report,
    )
    write(
        DisciplineRecord,
        frames["discipline_records"],
        lambda r: {
            "employee_id": emp(r, "discipline_records"),
            "level": r["level"],
            "sanction": r["sanction"],
            "decided_on": as_date(r["decided_on"]),
            "start": as_date(r["start"]),
            "end": as_date(r["end"]),
            "decree_number": as_text(r["decree_number"]),
        },
        ids,
        report,
    )
    write(
        CompetencyAssessment,
        frames["competency_assessments"],
        lambda r: {
            "employee_id": emp(r, "competency_assessments"),
            "competency_id": ids.resolve("competency", r["competency"], "competency_assessments"),
            "level": r["level"],
            "assessed_on": as_date(r["assessed_on"]),
            "method": r["method"],
            "assessor": as_text(r["assessor"]),
        },
        ids,
        report,
    )
