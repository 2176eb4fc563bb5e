"""The frames of the synthetic world: their columns, dtypes and meaning.

This is the contract between the generator and whoever loads its output
(``mutu load DIR``) or analyses it.  Each frame names the Django model it
maps to (``None`` for derived frames that are not stored); each column its
dtype, whether it may be empty, and the model field it fills (``None`` for
extra columns a loader may ignore).  References between frames use natural
keys — unit code, NIP, activity code, instrument code and version, response
token — never database ids.

Dtypes: ``str`` (pandas' string dtype; empty = NaN), ``int64``, ``float64``,
``bool``, ``datetime64[ms]`` (dates at midnight, or local wall-clock times in
WIB, Asia/Jakarta, without a time zone), and the nullable ``Int64``,
``Float64``.  ``docs/frames.md`` is generated from this module
(:func:`frames_markdown`) and a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

STR, INT, FLOAT, BOOL, DT = "str", "int64", "float64", "bool", "datetime64[ms]"
NINT, NFLOAT = "Int64", "Float64"


@dataclass(frozen=True, slots=True)
class Column:
    """One column: name, dtype, whether it may be empty, model field, description."""

    name: str
    dtype: str
    description: str
    maps_to: str | None = None
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class FrameSchema:
    """One frame: its model (or None when derived), description and columns."""

    name: str
    model: str | None
    description: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        """The column names, in order."""
        return [c.name for c in self.columns]


def _c(
    name: str, dtype: str, description: str, maps_to: str | None = "", *, null: bool = False
) -> Column:
    # maps_to "" means "the model field of the same name".
    return Column(name, dtype, description, name if maps_to == "" else maps_to, null)


def _f(name: str, model: str | None, description: str, *columns: Column) -> FrameSchema:
    return FrameSchema(name, model, description, tuple(columns))


NIP = "18-digit NIP (PNS) or NI PPPK of the employee"
SCHEMAS: tuple[FrameSchema, ...] = (
    _f("kecamatan", "reference.Kecamatan", "The 16 kecamatan of Aceh Tenggara.",
       _c("code", STR, "Kemendagri code as in the reference app (placeholder, unconfirmed)"),
       _c("name", STR, "Kecamatan name (asn-rules.md)"),
       _c("kabupaten_code", STR, "Regency code, 11.02"),
       _c("code_confirmed", BOOL, "Always false: the codes are placeholders"),
       _c("distance_km", FLOAT, "Illustrative road distance from Kutacane (invented)")),
    _f("units", "people.Unit", "The instansi, 34 SKPK, bagian, kantor camat, schools, puskesmas.",
       _c("code", STR, "Unit code (natural key)"),
       _c("name", STR, "Unit name"),
       _c("kind", STR, "people.UnitKind value"),
       _c("parent", STR, "Code of the parent unit; empty for the instansi", "parent → Unit.code",
          null=True),
       _c("kecamatan", STR, "Kecamatan code of the unit's office", "kecamatan → Kecamatan.code"),
       _c("is_active", BOOL, "Always true"),
       _c("service_unit", BOOL, "Serves the public and runs the SKM survey", None),
       _c("workload", INT, "1 for heavy-workload kinds (school, puskesmas, hospital), else 0",
          None)),
    _f("competencies", "people.Competency",
       "8 manajerial and 1 sosial kultural (PermenPANRB 38/2017), 10 teknis (invented).",
       _c("code", STR, "Competency code"), _c("name", STR, "Name"),
       _c("type", STR, "teknis, manajerial or sosial_kultural"),
       _c("description", STR, "Empty")),
    _f("positions", "people.Position", "One position (jabatan) per unit and template; "
       "several employees may hold it.",
       _c("code", STR, "<unit code>.<template key> (natural key)"),
       _c("name", STR, "Position name, unique within its unit"),
       _c("kind", STR, "people.PositionKind value"),
       _c("level", STR, "people.PositionLevel value or empty"),
       _c("unit", STR, "Unit code", "unit → Unit.code")),
    _f("competency_standards", "people.CompetencyStandard",
       "Required level of each position on 9 general competencies and its teknis competency.",
       _c("position", STR, "Position code", "position → positions.code"),
       _c("competency", STR, "Competency code", "competency → Competency.code"),
       _c("required_level", INT, "1-5; general levels from the jpm rulebook")),
    _f("employees", "people.Employee", "Every ASN, a snapshot at the end of the window.",
       _c("nip", STR, NIP), _c("name", STR, "Full name with academic titles"),
       _c("status", STR, "PNS or PPPK (agrees with the NIP)"),
       _c("employment_type", STR, "full_time or part_time for PPPK; empty for PNS"),
       _c("birth_date", DT, "Birth date (agrees with the NIP)"),
       _c("sex", STR, "L or P (agrees with the NIP)"),
       _c("golongan", STR, "Golongan code: III/a for PNS, IX for PPPK",
          "golongan → reference.Golongan (kind = status, code)"),
       _c("education_level", STR, "SD … S3"),
       _c("unit", STR, "Unit code", "unit → Unit.code"),
       _c("position", STR, "Position code", "position → positions.code"),
       _c("supervisor", STR, "NIP of the direct supervisor; empty for the Sekretaris Daerah",
          "supervisor → Employee.nip", null=True),
       _c("tmt_cpns", DT, "TMT CPNS (PNS) or first appointment (PPPK); agrees with the NIP"),
       _c("is_active", BOOL, "Always true")),
    _f("position_history", "people.PositionHistory", "The current position of each employee.",
       _c("nip", STR, NIP, "employee → Employee.nip"),
       _c("position", STR, "Position code", "position → positions.code"),
       _c("unit", STR, "Unit code", "unit → Unit.code"),
       _c("start", DT, "Start of the position"), _c("end", DT, "Always empty", null=True)),
    _f("performance_records", "people.PerformanceRecord",
       "SKP per employee and year, from three years before the window.",
       _c("nip", STR, NIP, "employee → Employee.nip"), _c("year", INT, "Year"),
       _c("predikat", STR, "people.SkpPredikat value"), _c("score", FLOAT, "Score 45-99.5")),
    _f("discipline_records", "people.DisciplineRecord", "A few sanctions (PP 94/2021 kinds).",
       _c("nip", STR, NIP, "employee → Employee.nip"),
       _c("level", STR, "ringan, sedang or berat"), _c("sanction", STR, "Sanction text"),
       _c("decided_on", DT, "Decision date"), _c("start", DT, "Start"),
       _c("end", DT, "End; empty for a reprimand", null=True),
       _c("decree_number", STR, "Decree number (invented)")),
    _f("competency_assessments", "people.CompetencyAssessment",
       "Assessment centre (managerial, once) and monthly supervisor assessments of young "
       "ASN's technical competency until they reach the standard.",
       _c("nip", STR, NIP, "employee → Employee.nip"),
       _c("competency", STR, "Competency code", "competency → Competency.code"),
       _c("level", INT, "Measured level 1-5"), _c("assessed_on", DT, "Date"),
       _c("method", STR, "assessment_center or supervisor"),
       _c("assessor", STR, "Assessor (the supervisor's name for monthly assessments)")),
    _f("partners", "programs.Partner", "Universitas Gunung Leuser, BPSDM Aceh, an NGO, LAN.",
       _c("name", STR, "Name (natural key)"), _c("kind", STR, "programs.PartnerKind value"),
       _c("contact", STR, "Contact"), _c("is_active", BOOL, "Always true")),
    _f("partner_agreements", "programs.PartnerAgreement", "MoU and PKS with the partners.",
       _c("partner", STR, "Partner name", "partner → Partner.name"),
       _c("number", STR, "Agreement number (invented)"), _c("title", STR, "Title"),
       _c("start", DT, "Start"), _c("end", DT, "End"),
       _c("quota", NINT, "Places agreed, if any", null=True),
       _c("contact_person", STR, "Contact person")),
    _f("programs", "programs.Program", "The five programs of the window.",
       _c("code", STR, "Program code"), _c("name", STR, "Name"),
       _c("description", STR, "Description"), _c("period_start", DT, "1 January, first year"),
       _c("period_end", DT, "31 December, last year"),
       _c("owner_unit", STR, "BKPSDM", "owner_unit → Unit.code"),
       _c("is_recurring", BOOL, "Recurring program"),
       _c("recurrence", STR, "quarterly, semiannual, annual or empty")),
    _f("program_goals", "programs.ProgramGoal", "Measurable goals (planning figures, invented).",
       _c("program", STR, "Program code", "program → Program.code"),
       _c("dimension", STR, "programs.GoalDimension value"), _c("statement", STR, "Statement"),
       _c("indicator", STR, "Indicator"),
       _c("baseline", NFLOAT, "Baseline", null=True), _c("target", NFLOAT, "Target", null=True),
       _c("unit_of_measure", STR, "Unit of measure"),
       _c("metric", STR, "Computed metric (mutu.evaluation.pipeline.goals.METRICS) or empty"),
       _c("activity_series", STR, "Activity code prefix the goal is about, or empty")),
    _f("program_competencies", "programs.Program.target_competencies",
       "Target competencies of each program (many-to-many).",
       _c("program", STR, "Program code", "program → Program.code"),
       _c("competency", STR, "Competency code", "competency → Competency.code")),
    _f("program_units", "programs.ProgramUnit",
       "Service units targeted by the public-service program and the year each adopted it.",
       _c("program", STR, "Program code (PMPP)", "program → Program.code"),
       _c("unit", STR, "Unit code", "unit → Unit.code"),
       _c("adoption_year", NINT, "Year the unit adopted the program; empty = never",
          null=True)),
    _f("activities", "programs.Activity", "Every activity of the window (all done).",
       _c("code", STR, "Activity code <line>-<year>-<nn> (natural key)"),
       _c("program", STR, "Program code", "program → Program.code"),
       _c("title", STR, "Title"),
       _c("form", STR, "Form-of-development code", "form → reference.DevelopmentForm.code"),
       _c("jp", FLOAT, "JP credited"), _c("venue", STR, "Venue"),
       _c("kecamatan", STR, "Kecamatan code; empty when online or outside the regency",
          "kecamatan → Kecamatan.code", null=True),
       _c("organiser", STR, "Organiser"),
       _c("partner", STR, "Partner name", "partner → Partner.name", null=True),
       _c("capacity", NINT, "Places", null=True), _c("start_date", DT, "First day"),
       _c("end_date", DT, "Last day"), _c("status", STR, "done"),
       _c("line", STR, "Activity line (see docs/synthetic-world.md)", None),
       _c("year", INT, "Year", None)),
    _f("activity_sessions", "programs.ActivitySession", "Sessions; 180 min = 4 JP in class.",
       _c("activity", STR, "Activity code", "activity → Activity.code"),
       _c("session_no", INT, "1, 2, … within the activity (natural key with activity)", None),
       _c("starts_at", DT, "Start, local time (WIB)"), _c("ends_at", DT, "End, local time"),
       _c("topic", STR, "Topic"), _c("trainer_name", STR, "Trainer")),
    _f("budget_lines", "programs.BudgetLine", "Planned cash cost per activity and cost type.",
       _c("code", STR, "BL-<activity>-<cost type> (natural key)", None),
       _c("program", STR, "Program code", "program → Program.code"),
       _c("activity", STR, "Activity code", "activity → Activity.code"),
       _c("fiscal_year", INT, "Fiscal year"), _c("account_code", STR, "Account (invented)"),
       _c("cost_type", STR, "honorarium, venue, consumption, transport, materials, "
          "partner_fee"),
       _c("description", STR, "Description"), _c("planned_amount", FLOAT, "Rupiah")),
    _f("expenditures", "programs.Expenditure", "Cash spent against a budget line.",
       _c("budget_line", STR, "Budget line code", "budget_line → budget_lines.code"),
       _c("date", DT, "Date"), _c("amount", FLOAT, "Rupiah"),
       _c("description", STR, "Description"), _c("document_number", STR, "SP2D number")),
    _f("participant_time_costs", None, "Participants' time per activity (an economic cost, "
       "not a budget line), from attendance.",
       _c("activity", STR, "Activity code", None),
       _c("participant_hours", FLOAT, "Hours present, summed over participants", None),
       _c("amount", FLOAT, "Value of that time in Rupiah (estimated hourly pay)", None),
       _c("hourly_cost", FLOAT, "amount / participant_hours", None)),
    _f("incentive_schemes", "programs.IncentiveScheme", "Incentive schemes.",
       _c("code", STR, "Scheme code (natural key)"), _c("name", STR, "Name"),
       _c("kind", STR, "programs.IncentiveKind value"), _c("description", STR, "Description"),
       _c("start", DT, "Start"), _c("end", DT, "End")),
    _f("incentive_offers", "programs.IncentiveOffer", "Offers to nominated employees.",
       _c("scheme", STR, "Scheme code", "scheme → incentive_schemes.code"),
       _c("nip", STR, NIP, "employee → Employee.nip"),
       _c("activity", STR, "Activity code", "activity → Activity.code"),
       _c("offered_on", DT, "Date of the offer"),
       _c("accepted", BOOL, "Took it up (completed the activity)")),
    _f("enrollments", "programs.Enrollment", "Nominations and their outcome.",
       _c("activity", STR, "Activity code", "activity → Activity.code"),
       _c("nip", STR, NIP, "employee → Employee.nip"),
       _c("status", STR, "completed, withdrawn (no-show or drop-out) or failed"),
       _c("nominated_by", STR, "NIP of the nominating supervisor", "nominated_by → Employee.nip",
          null=True),
       _c("nominated_on", DT, "Nomination date"),
       _c("registered_on", DT, "Registration date; empty if never registered", null=True),
       _c("completed_on", DT, "Completion date", null=True)),
    _f("attendance", "programs.Attendance", "One row per enrollment and session.",
       _c("activity", STR, "Activity code", "enrollment → (activity, nip)"),
       _c("session_no", INT, "Session number", "session → (activity, session_no)"),
       _c("nip", STR, NIP, "enrollment → (activity, nip)"), _c("present", BOOL, "Present"),
       _c("checked_in_at", DT, "Check-in time when present", null=True),
       _c("method", STR, "operator or qr")),
    _f("certificates", "programs.Certificate", "Certificates of completed enrollments.",
       _c("activity", STR, "Activity code", "enrollment → (activity, nip)"),
       _c("nip", STR, NIP, "enrollment → (activity, nip)"), _c("number", STR, "Number"),
       _c("issued_on", DT, "Issue date"), _c("verification_token", STR, "32 hex digits")),
    _f("jp_ledger", "programs.JpLedgerEntry", "JP from completed activities and from elsewhere.",
       _c("ref", STR, "Entry reference (natural key)", None),
       _c("nip", STR, NIP, "employee → Employee.nip"), _c("date", DT, "Date"),
       _c("year", INT, "Year of the date"), _c("jp", FLOAT, "JP"),
       _c("minutes", NINT, "Always empty", null=True), _c("source", STR, "activity or external"),
       _c("activity", STR, "Activity code for source activity", "enrollment → (activity, nip)",
          null=True),
       _c("title", STR, "Title"), _c("organiser", STR, "Organiser"),
       _c("approval_status", STR, "approved, pending or rejected")),
    _f("internships", "programs.Internship", "Magang placements at Universitas Gunung Leuser.",
       _c("activity", STR, "Magang activity code", "activity → Activity.code"),
       _c("nip", STR, NIP, "employee → Employee.nip"),
       _c("host_partner", STR, "Partner name", "host_partner → Partner.name"),
       _c("host_unit", STR, "Always empty", "host_unit → Unit.code", null=True),
       _c("mentor_name", STR, "Mentor (lecturer)"), _c("start", DT, "Start"),
       _c("end", DT, "End (early for drop-outs)"), _c("objectives", STR, "Objectives")),
    _f("internship_logs", "programs.InternshipLogEntry", "Weekly logbook entries.",
       _c("activity", STR, "Magang activity code", "internship → (activity, nip)"),
       _c("nip", STR, NIP, "internship → (activity, nip)"),
       _c("week_start", DT, "Week starting"), _c("text", STR, "What was done"),
       _c("mentor_comment", STR, "Mentor comment (may be empty)")),
    _f("scales", "instruments.Scale", "Rating scales.",
       _c("name", STR, "Name (natural key)"), _c("min_value", INT, "Lowest point"),
       _c("max_value", INT, "Highest point"),
       _c("labels", STR, 'JSON {"1": {"id": …, "en": …}, …}')),
    _f("instruments", "instruments.Instrument", "Questionnaires and tests.",
       _c("code", STR, "Instrument code"), _c("title_id", STR, "Title (Indonesian)"),
       _c("title_en", STR, "Title (English)"), _c("kind", STR, "instruments.InstrumentKind"),
       _c("is_anonymous", BOOL, "Anonymous: no response_identities rows")),
    _f("instrument_versions", "instruments.InstrumentVersion", "Versions (locked).",
       _c("instrument", STR, "Instrument code", "instrument → Instrument.code"),
       _c("version", INT, "Version number"), _c("published_at", DT, "Publication time"),
       _c("is_locked", BOOL, "Always true")),
    _f("items", "instruments.Item", "Items; R4 is reverse-keyed; tests have answer keys.",
       _c("instrument", STR, "Instrument code", "version → (instrument, version)"),
       _c("version", INT, "Version", "version → (instrument, version)"),
       _c("code", STR, "Item code"), _c("order", INT, "Order"),
       _c("text_id", STR, "Text (Indonesian)"), _c("text_en", STR, "Text (English)"),
       _c("dimension", STR, "Dimension scored together"),
       _c("item_type", STR, "likert, multiple_choice or text"),
       _c("scale", STR, "Scale name for likert items", "scale → Scale.name", null=True),
       _c("is_reverse", BOOL, "Reverse-scored"),
       _c("answer_key", STR, "Correct option code of a test item, else empty"),
       _c("points", FLOAT, "Points")),
    _f("item_options", "instruments.ItemOption", "Options A-D of the test items.",
       _c("instrument", STR, "Instrument code", "item → (instrument, version, item)"),
       _c("version", INT, "Version", "item → (instrument, version, item)"),
       _c("item", STR, "Item code", "item → (instrument, version, item)"),
       _c("code", STR, "Option code"), _c("order", INT, "Order"),
       _c("text_id", STR, "Text"), _c("text_en", STR, "Empty"),
       _c("is_correct", BOOL, "The answer key")),
    _f("responses", "instruments.Response", "Filled-in instruments (no respondent here).",
       _c("token", STR, "Response token (32 hex digits; natural key)"),
       _c("instrument", STR, "Instrument code", "version → (instrument, version)"),
       _c("version", INT, "Version", "version → (instrument, version)"),
       _c("activity", STR, "Activity code", "activity → Activity.code", null=True),
       _c("unit", STR, "Service unit rated (SKM)", "unit → Unit.code", null=True),
       _c("submitted_at", DT, "Submission time, local (WIB)"),
       _c("respondent_role", STR, "participant, supervisor or citizen"),
       _c("occasion", STR, "pre, post, end, before, after; empty for SKM", null=True),
       _c("subject_nip", STR, "Employee rated (supervisor ratings)", "subject → Employee.nip",
          null=True)),
    _f("answers", "instruments.Answer", "One row per response and item (long).",
       _c("token", STR, "Response token", "response → Response.token"),
       _c("item", STR, "Item code (of the response's version)", "item → (version, code)"),
       _c("value", FLOAT, "Rating for likert items", null=True),
       _c("option", STR, "Option code for multiple choice", "option → ItemOption.code",
          null=True),
       _c("text", STR, "Free text", null=True)),
    _f("response_identities", "instruments.ResponseIdentity",
       "Who answered a non-anonymous instrument (the supervisor for ratings).",
       _c("token", STR, "Response token", "response → Response.token"),
       _c("nip", STR, NIP, "employee → Employee.nip")),
    _f("skm_results", "indicators.SkmResult", "Mean score (NRR) per unit, year and element, "
       "computed from the SKM answers.",
       _c("unit", STR, "Unit code", "unit → Unit.code"), _c("period_start", DT, "1 January"),
       _c("period_end", DT, "31 December"), _c("element", STR, "U1-U9"),
       _c("nrr", FLOAT, "Mean score 1-4, 4 decimals"), _c("respondent_count", INT, "Respondents")),
    _f("proficiency", None, "Young ASN: months from appointment to the position's technical "
       "standard, derived from competency_assessments (censored at the window's end).",
       _c("nip", STR, NIP, None), _c("appointed_on", DT, "TMT", None),
       _c("magang", BOOL, "Completed the internship", None),
       _c("competency", STR, "Technical competency code", None),
       _c("required_level", INT, "Standard level", None),
       _c("reached_on", DT, "First assessment at the standard", None, null=True),
       _c("months_to_standard", FLOAT, "Whole months to reached_on", None, null=True),
       _c("censored", BOOL, "Not reached by the end of the window", None),
       _c("followed_until", DT, "reached_on, or the end of the window", None)),
)  # fmt: skip

#: Every frame's schema by name, in output order.
FRAME_SCHEMAS: dict[str, FrameSchema] = {s.name: s for s in SCHEMAS}


class SchemaError(ValueError):
    """A frame whose columns differ from its schema."""


def conform(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Frames in schema order, with schema column order and dtypes.

    Raises
    ------
    SchemaError
        When the frames or a frame's columns are not exactly those of the schemas.
    """
    if list(frames) != list(FRAME_SCHEMAS):
        raise SchemaError(f"frames {list(frames)} != schemas {list(FRAME_SCHEMAS)}")
    out: dict[str, pd.DataFrame] = {}
    for name, schema in FRAME_SCHEMAS.items():
        df = frames[name]
        if sorted(df.columns) != sorted(schema.column_names):
            raise SchemaError(f"{name}: columns {list(df.columns)} != {schema.column_names}")
        data = {}
        for col in schema.columns:
            s = df[col.name].reset_index(drop=True)
            if col.dtype == STR:
                s = pd.Series(s.to_numpy(dtype=object), dtype="str")
            else:
                s = s.astype(col.dtype)  # type: ignore[call-overload]  # dtype names are data
            if not col.nullable and bool(s.isna().any()):
                raise SchemaError(f"{name}.{col.name} has empty values")
            data[col.name] = s
        out[name] = pd.DataFrame(data)
    return out


#: Columns without a model field that the database selectors still supply (a
#: natural key the loader uses, rebuilt from what is stored).
REBUILT_COLUMNS: dict[str, tuple[str, ...]] = {
    "activity_sessions": ("session_no",),
    "budget_lines": ("code",),
}


def stored_columns(name: str) -> list[str]:
    """The columns of frame ``name`` that survive a trip through the database.

    A column survives when it fills a model field, or is in
    :data:`REBUILT_COLUMNS`.  Derived frames (no model) have none.
    """
    schema = FRAME_SCHEMAS[name]
    if schema.model is None:
        return []
    keep = REBUILT_COLUMNS.get(name, ())
    return [c.name for c in schema.columns if c.maps_to is not None or c.name in keep]


def stored_view(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames as the database gives them back: stored frames, stored columns only.

    This is the contract of the evaluation pipeline: it may use only what a
    database loaded from real data would hold, never the generator's extras.
    """
    return {
        name: frames[name][stored_columns(name)].copy()
        for name in frames
        if name in FRAME_SCHEMAS and FRAME_SCHEMAS[name].model is not None
    }


def frames_markdown() -> str:
    """``docs/frames.md``: every frame's model, description and columns."""
    lines = [
        "# Frames of the synthetic world",
        "",
        "Generated from `mutu.synthetic.schemas.FRAME_SCHEMAS` (a test keeps this file equal "
        "to it). Each frame is one file (`<name>.parquet` or `<name>.csv`) in the output "
        "folder of `mutu world`. References use natural keys (unit code, NIP, activity code, "
        'instrument code and version, response token). "maps to" names the model field a '
        "loader fills; `—` marks an extra column a loader may ignore. Dtypes: `str` (empty = "
        "missing), `int64`, `float64`, `bool`, `datetime64[ms]` (local WIB time, no zone), "
        "nullable `Int64` and `Float64`.",
        "",
        "The data are synthetic: never present them as data of Kabupaten Aceh Tenggara.",
        "",
    ]
    for s in SCHEMAS:
        lines += [f"## `{s.name}`", "", s.description, ""]
        lines += [f"Model: `{s.model}`" if s.model else "Model: none (derived, not stored)", ""]
        lines += [
            "| column | dtype | empty | maps to | description |",
            "| --- | --- | --- | --- | --- |",
        ]
        for c in s.columns:
            maps = f"`{c.maps_to}`" if c.maps_to else "—"
            empty = "yes" if c.nullable else ""
            lines.append(f"| `{c.name}` | `{c.dtype}` | {empty} | {maps} | {c.description} |")
        lines.append("")
    return "\n".join(lines)
