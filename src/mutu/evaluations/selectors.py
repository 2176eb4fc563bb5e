"""The database read back into the frames of ``docs/frames.md`` (stored columns only).

:func:`evaluation_frames` is the inverse of ``mutu load``: for every stored
frame it returns the columns listed by :func:`mutu.synthetic.stored_columns`,
with natural keys (unit code, NIP, activity code, response token) instead of
ids, and the schema's dtypes.  The evaluation pipeline
(:func:`mutu.evaluation.pipeline.evaluate`) reads only these frames, so what it
computes from a database equals what it computes from a world folder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

import numpy as np
import pandas as pd
from django.db.models import CharField, Model, QuerySet, Value
from django.db.models.functions import Cast, Concat

from mutu.indicators.models import SkmResult
from mutu.instruments.models import (
    Answer,
    Instrument,
    InstrumentVersion,
    Item,
    ItemOption,
    Response,
    ResponseIdentity,
    Scale,
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
from mutu.reference.models import Kecamatan
from mutu.synthetic.schemas import FRAME_SCHEMAS, STR, stored_columns

WIB = "Asia/Jakarta"

#: Frame name → (model, {column: ORM path}).  Columns not listed are read by
#: their own name.
_SOURCES: dict[str, tuple[type[Model], dict[str, str]]] = {
    "kecamatan": (Kecamatan, {}),
    "units": (Unit, {"parent": "parent__code", "kecamatan": "kecamatan__code"}),
    "competencies": (Competency, {}),
    "positions": (Position, {"unit": "unit__code"}),
    "competency_standards": (
        CompetencyStandard,
        {"position": "position__code", "competency": "competency__code"},
    ),
    "employees": (
        Employee,
        {
            "golongan": "golongan__code",
            "unit": "unit__code",
            "position": "position__code",
            "supervisor": "supervisor__nip",
        },
    ),
    "position_history": (
        PositionHistory,
        {"nip": "employee__nip", "position": "position__code", "unit": "unit__code"},
    ),
    "performance_records": (PerformanceRecord, {"nip": "employee__nip"}),
    "discipline_records": (DisciplineRecord, {"nip": "employee__nip"}),
    "competency_assessments": (
        CompetencyAssessment,
        {"nip": "employee__nip", "competency": "competency__code"},
    ),
    "partners": (Partner, {}),
    "partner_agreements": (PartnerAgreement, {"partner": "partner__name"}),
    "programs": (Program, {"owner_unit": "owner_unit__code"}),
    "program_goals": (ProgramGoal, {"program": "program__code"}),
    "program_competencies": (
        Program.target_competencies.through,
        {"program": "program__code", "competency": "competency__code"},
    ),
    "program_units": (ProgramUnit, {"program": "program__code", "unit": "unit__code"}),
    "activities": (
        Activity,
        {
            "program": "program__code",
            "form": "form__code",
            "kecamatan": "kecamatan__code",
            "partner": "partner__name",
        },
    ),
    "activity_sessions": (ActivitySession, {"activity": "activity__code"}),
    "budget_lines": (
        BudgetLine,
        {"code": "line_code", "program": "program__code", "activity": "activity__code"},
    ),
    "expenditures": (Expenditure, {"budget_line": "line_code"}),
    "incentive_schemes": (IncentiveScheme, {}),
    "incentive_offers": (
        IncentiveOffer,
        {"scheme": "scheme__code", "nip": "employee__nip", "activity": "activity__code"},
    ),
    "enrollments": (
        Enrollment,
        {
            "activity": "activity__code",
            "nip": "employee__nip",
            "nominated_by": "nominated_by__nip",
        },
    ),
    "attendance": (
        Attendance,
        {
            "activity": "enrollment__activity__code",
            "nip": "enrollment__employee__nip",
            "session_no": "session_id",
        },
    ),
    "certificates": (
        Certificate,
        {"activity": "enrollment__activity__code", "nip": "enrollment__employee__nip"},
    ),
    "jp_ledger": (
        JpLedgerEntry,
        {"nip": "employee__nip", "activity": "enrollment__activity__code"},
    ),
    "internships": (
        Internship,
        {
            "activity": "activity__code",
            "nip": "employee__nip",
            "host_partner": "host_partner__name",
            "host_unit": "host_unit__code",
        },
    ),
    "internship_logs": (
        InternshipLogEntry,
        {"activity": "internship__activity__code", "nip": "internship__employee__nip"},
    ),
    "scales": (Scale, {}),
    "instruments": (Instrument, {}),
    "instrument_versions": (InstrumentVersion, {"instrument": "instrument__code"}),
    "items": (
        Item,
        {
            "instrument": "version__instrument__code",
            "version": "version__version",
            "scale": "scale__name",
        },
    ),
    "item_options": (
        ItemOption,
        {
            "instrument": "item__version__instrument__code",
            "version": "item__version__version",
            "item": "item__code",
        },
    ),
    "responses": (
        Response,
        {
            "instrument": "version__instrument__code",
            "version": "version__version",
            "activity": "activity__code",
            "unit": "unit__code",
            "subject_nip": "subject__nip",
        },
    ),
    "answers": (
        Answer,
        {"token": "response__token", "item": "item__code", "option": "option__code"},
    ),
    "response_identities": (ResponseIdentity, {"token": "response__token", "nip": "employee__nip"}),
    "skm_results": (SkmResult, {"unit": "unit__code"}),
}


def _queryset(name: str, model: type[Model]) -> QuerySet[Model]:
    qs: QuerySet[Model] = model._default_manager.all().order_by("pk")
    if name == "budget_lines":
        qs = qs.annotate(line_code=Concat(Value("BL-"), Cast("id", CharField())))
    elif name == "expenditures":
        qs = qs.annotate(line_code=Concat(Value("BL-"), Cast("budget_line_id", CharField())))
    return qs


def _cast(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The schema's dtypes; aware times as WIB wall-clock; empty optional text as missing."""
    schema = {c.name: c for c in FRAME_SCHEMAS[name].columns}
    out = {}
    for column in frame.columns:
        spec = schema[column]
        series = frame[column]
        if spec.dtype == STR:
            if column == "labels":
                series = series.map(lambda v: json.dumps(v, ensure_ascii=False))
            values = series.to_numpy(dtype=object)
            if spec.nullable:
                empty = pd.isna(values) | (values == "")
                values = np.where(empty, np.full(len(values), None, dtype=object), values)
            series = pd.Series(values, dtype="str")
        elif spec.dtype.startswith("datetime64"):
            stamps = pd.to_datetime(series, utc=bool(series.map(_aware).any()))
            if getattr(stamps.dt, "tz", None) is not None:
                stamps = stamps.dt.tz_convert(WIB).dt.tz_localize(None)
            series = stamps.astype("datetime64[ms]")
        elif spec.dtype in ("float64", "Float64"):
            numbers = pd.to_numeric(series.map(lambda v: None if v is None else float(v)))
            series = numbers.astype("Float64" if spec.dtype == "Float64" else "float64")
        else:
            series = series.astype(spec.dtype)  # type: ignore[call-overload]
        out[column] = series.reset_index(drop=True)
    return pd.DataFrame(out, columns=frame.columns)


def _aware(value: object) -> bool:
    return getattr(value, "tzinfo", None) is not None


def _session_numbers() -> dict[int, int]:
    """Session id → its number (1, 2, …) within its activity, in order of start."""
    rows = ActivitySession.objects.order_by("activity_id", "starts_at", "pk").values_list(
        "pk", "activity_id"
    )
    numbers: dict[int, int] = {}
    counts: dict[int, int] = {}
    for pk, activity in rows:
        counts[activity] = counts.get(activity, 0) + 1
        numbers[pk] = counts[activity]
    return numbers


def evaluation_frames(names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read the stored frames from the database (all, or those in ``names``).

    Each frame has exactly :func:`mutu.synthetic.stored_columns` of its name,
    in that order, with the schema's dtypes.
    """
    wanted = [n for n in _SOURCES if names is None or n in names]
    sessions = _session_numbers() if {"attendance", "activity_sessions"} & set(wanted) else {}
    frames: dict[str, pd.DataFrame] = {}
    for name in wanted:
        model, paths = _SOURCES[name]
        columns = stored_columns(name)
        if name == "activity_sessions":
            lookups = [paths.get(c, c) for c in columns if c != "session_no"] + ["pk"]
        else:
            lookups = [paths.get(c, c) for c in columns]
        rows = list(_queryset(name, model).values_list(*lookups))
        if name == "activity_sessions":
            data = pd.DataFrame(rows, columns=[c for c in columns if c != "session_no"] + ["pk"])
            data["session_no"] = data.pop("pk").map(sessions)
            data = data[columns]
        else:
            data = pd.DataFrame(rows, columns=columns)
            if name == "attendance":
                data["session_no"] = data["session_no"].map(sessions)
        frames[name] = _cast(name, data)
    return frames


def frames_fingerprint(frames: Mapping[str, pd.DataFrame]) -> str:
    """A sha256 over the frames' content, to name the data snapshot an evaluation used."""
    digest = hashlib.sha256()
    for name in sorted(frames):
        digest.update(name.encode())
        digest.update(pd.util.hash_pandas_object(frames[name], index=False).to_numpy().tobytes())
    return digest.hexdigest()
