"""Loading programs, partners, incentives, activities and everything that happens in them."""

from __future__ import annotations

from decimal import Decimal

from mutu.console.world_load.base import (
    BATCH,
    Frames,
    Ids,
    WorldLoadReport,
    as_date,
    as_decimal,
    as_moment,
    as_text,
    value_of,
    write,
)
from mutu.indicators.models import SkmResult
from mutu.programs.models import (
    Activity,
    ActivitySession,
    Attendance,
    BudgetLine,
    Certificate,
    Enrollment,
    Expenditure,
    IncentiveOffer,
    IncentiveScheme,
    Internship,
    InternshipLogEntry,
    JpLedgerEntry,
    Partner,
    PartnerAgreement,
    Program,
    ProgramGoal,
    ProgramUnit,
)


def load_programs(frames: Frames, ids: Ids, report: WorldLoadReport) -> None:
    write(
        Partner,
        frames["partners"],
        lambda r: {
            "name": r["name"],
            "kind": r["kind"],
            "contact": as_text(r["contact"]),
            "is_active": bool(r["is_active"]),
        },
        ids,
        report,
        key=lambda r: r["name"],
        kind="partner",
    )
    write(
        PartnerAgreement,
        frames["partner_agreements"],
        lambda r: {
            "partner_id": ids.resolve("partner", r["partner"], "partner_agreements"),
            "number": r["number"],
            "title": r["title"],
            "start": as_date(r["start"]),
            "end": as_date(r["end"]),
            "quota": r["quota"],
            "contact_person": as_text(r["contact_person"]),
        },
        ids,
        report,
    )
    write(
        Program,
        frames["programs"],
        lambda r: {
            "code": r["code"],
            "name": r["name"],
            "description": as_text(r["description"]),
            "period_start": as_date(r["period_start"]),
            "period_end": as_date(r["period_end"]),
            "owner_unit_id": ids.resolve("unit", r["owner_unit"], "programs"),
            "is_recurring": bool(r["is_recurring"]),
            "recurrence": as_text(r["recurrence"]),
        },
        ids,
        report,
        key=lambda r: r["code"],
        kind="program",
    )
    write(
        ProgramGoal,
        frames["program_goals"],
        lambda r: {
            "program_id": ids.resolve("program", r["program"], "program_goals"),
            "dimension": r["dimension"],
            "statement": r["statement"],
            "indicator": r["indicator"],
            "baseline": as_decimal(r["baseline"]),
            "target": as_decimal(r["target"]),
            "unit_of_measure": as_text(r["unit_of_measure"]),
            "metric": as_text(r["metric"]),
            "activity_series": as_text(r["activity_series"]),
        },
        ids,
        report,
    )
    write(
        ProgramUnit,
        frames["program_units"],
        lambda r: {
            "program_id": ids.resolve("program", r["program"], "program_units"),
            "unit_id": ids.resolve("unit", r["unit"], "program_units"),
            "adoption_year": r["adoption_year"],
        },
        ids,
        report,
    )
    links = [
        Program.target_competencies.through(
            program_id=ids.resolve("program", p, "program_competencies"),
            competency_id=ids.resolve("competency", c, "program_competencies"),
        )
        for p, c in zip(
            frames["program_competencies"]["program"],
            frames["program_competencies"]["competency"],
            strict=True,
        )
    ]
    Program.target_competencies.through.objects.bulk_create(links, batch_size=BATCH)
    report.rows["programs.Program_target_competencies"] = len(links)
    write(
        IncentiveScheme,
        frames["incentive_schemes"],
        lambda r: {
            "code": r["code"],
            "name": r["name"],
            "kind": r["kind"],
            "description": as_text(r["description"]),
            "start": as_date(r["start"]),
            "end": as_date(r["end"]),
        },
        ids,
        report,
        key=lambda r: r["code"],
        kind="scheme",
    )


def load_activities(frames: Frames, ids: Ids, report: WorldLoadReport) -> None:
    write(
        Activity,
        frames["activities"],
        lambda r: {
            "program_id": ids.resolve("program", r["program"], "activities"),
            "code": r["code"],
            "title": r["title"],
            "form_id": ids.resolve("form", r["form"], "activities"),
            "jp": as_decimal(r["jp"]),
            "venue": as_text(r["venue"]),
            "kecamatan_id": ids.optional("kecamatan", r["kecamatan"], "activities"),
            "organiser": as_text(r["organiser"]),
            "partner_id": ids.optional("partner", r["partner"], "activities"),
            "capacity": r["capacity"],
            "start_date": as_date(r["start_date"]),
            "end_date": as_date(r["end_date"]),
            "status": r["status"],
        },
        ids,
        report,
        key=lambda r: r["code"],
        kind="activity",
    )
    sessions = frames["activity_sessions"].sort_values(["activity", "session_no"], kind="stable")
    write(
        ActivitySession,
        sessions,
        lambda r: {
            "activity_id": ids.resolve("activity", r["activity"], "activity_sessions"),
            "starts_at": as_moment(r["starts_at"]),
            "ends_at": as_moment(r["ends_at"]),
            "topic": as_text(r["topic"]),
            "trainer_name": as_text(r["trainer_name"]),
        },
        ids,
        report,
        key=lambda r: (r["activity"], r["session_no"]),
        kind="session",
    )
    write(
        BudgetLine,
        frames["budget_lines"],
        lambda r: {
            "program_id": ids.resolve("program", r["program"], "budget_lines"),
            "activity_id": ids.optional("activity", r["activity"], "budget_lines"),
            "fiscal_year": r["fiscal_year"],
            "account_code": as_text(r["account_code"]),
            "cost_type": r["cost_type"],
            "description": r["description"],
            "planned_amount": as_decimal(r["planned_amount"]),
        },
        ids,
        report,
        key=lambda r: r["code"],
        kind="budget_line",
    )
    write(
        Expenditure,
        frames["expenditures"],
        lambda r: {
            "budget_line_id": ids.resolve("budget_line", r["budget_line"], "expenditures"),
            "date": as_date(r["date"]),
            "amount": as_decimal(r["amount"]),
            "description": as_text(r["description"]),
            "document_number": as_text(r["document_number"]),
        },
        ids,
        report,
    )
    write(
        IncentiveOffer,
        frames["incentive_offers"],
        lambda r: {
            "scheme_id": ids.resolve("scheme", r["scheme"], "incentive_offers"),
            "employee_id": ids.resolve("employee", r["nip"], "incentive_offers"),
            "activity_id": ids.optional("activity", r["activity"], "incentive_offers"),
            "offered_on": as_date(r["offered_on"]),
            "accepted": r["accepted"],
        },
        ids,
        report,
    )
    write(
        Enrollment,
        frames["enrollments"],
        lambda r: {
            "activity_id": ids.resolve("activity", r["activity"], "enrollments"),
            "employee_id": ids.resolve("employee", r["nip"], "enrollments"),
            "status": r["status"],
            "nominated_by_id": ids.optional("employee", r["nominated_by"], "enrollments"),
            "nominated_on": as_date(r["nominated_on"]),
            "registered_on": as_date(r["registered_on"]),
            "completed_on": as_date(r["completed_on"]),
        },
        ids,
        report,
        key=lambda r: (r["activity"], r["nip"]),
        kind="enrollment",
    )
    write(
        Attendance,
        frames["attendance"],
        lambda r: {
            "enrollment_id": ids.resolve("enrollment", (r["activity"], r["nip"]), "attendance"),
            "session_id": ids.resolve("session", (r["activity"], r["session_no"]), "attendance"),
            "present": bool(r["present"]),
            "checked_in_at": as_moment(r["checked_in_at"]),
            "method": r["method"],
        },
        ids,
        report,
    )
    write(
        Certificate,
        frames["certificates"],
        lambda r: {
            "enrollment_id": ids.resolve("enrollment", (r["activity"], r["nip"]), "certificates"),
            "number": r["number"],
            "issued_on": as_date(r["issued_on"]),
            "verification_token": r["verification_token"],
        },
        ids,
        report,
    )
    write(
        JpLedgerEntry,
        frames["jp_ledger"],
        lambda r: {
            "employee_id": ids.resolve("employee", r["nip"], "jp_ledger"),
            "date": as_date(r["date"]),
            "year": r["year"],
            "jp": as_decimal(r["jp"]),
            "minutes": r["minutes"],
            "source": r["source"],
            "enrollment_id": (
                None
                if value_of(r["activity"]) is None
                else ids.resolve("enrollment", (r["activity"], r["nip"]), "jp_ledger")
            ),
            "title": as_text(r["title"]),
            "organiser": as_text(r["organiser"]),
            "approval_status": r["approval_status"],
        },
        ids,
        report,
    )
    write(
        Internship,
        frames["internships"],
        lambda r: {
            "employee_id": ids.resolve("employee", r["nip"], "internships"),
            "host_partner_id": ids.optional("partner", r["host_partner"], "internships"),
            "host_unit_id": ids.optional("unit", r["host_unit"], "internships"),
            "activity_id": ids.optional("activity", r["activity"], "internships"),
            "mentor_name": as_text(r["mentor_name"]),
            "start": as_date(r["start"]),
            "end": as_date(r["end"]),
            "objectives": as_text(r["objectives"]),
        },
        ids,
        report,
        key=lambda r: (r["activity"], r["nip"]),
        kind="internship",
    )
    write(
        InternshipLogEntry,
        frames["internship_logs"],
        lambda r: {
            "internship_id": ids.resolve(
                "internship", (r["activity"], r["nip"]), "internship_logs"
            ),
            "week_start": as_date(r["week_start"]),
            "text": r["text"],
            "mentor_comment": as_text(r["mentor_comment"]),
        },
        ids,
        report,
    )
    write(
        SkmResult,
        frames["skm_results"],
        lambda r: {
            "unit_id": ids.resolve("unit", r["unit"], "skm_results"),
            "period_start": as_date(r["period_start"]),
            "period_end": as_date(r["period_end"]),
            "element": r["element"],
            "nrr": Decimal(str(round(float(r["nrr"]), 4))),
            "respondent_count": r["respondent_count"],
        },
        ids,
        report,
    )
