"""The database read back into the frames of ``docs/frames.md`` (stored columns only).

:func:`evaluation_frames` is the inverse of ``mutu load``: for every stored
frame it returns the columns listed by :func:`mutu.synthetic.stored_columns`,
with natural keys (unit code, NIP, activity code, response token) instead of
ids, and the schema's dtypes.  The evaluation pipeline
(:func:`mutu.evaluation.pipeline.evaluate`) reads only these frames, so what it
computes from a database equals what it computes from a world folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import CharField, DateTimeField, Model, QuerySet, Value
from django.db.models.functions import Cast, Concat

from mutu.evaluations.models import EvaluationRun
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


def _fetch(qs: QuerySet[Model]) -> tuple[list[np.ndarray], list[Any], dict[int, Any]]:
    """Run a ``values_list`` query on a plain cursor: its columns, their fields, converters.

    One query, no model instances and no per-row Python work: the rows go
    straight from the cursor into one ``object`` array per column. Django's
    per-value converters (:meth:`SQLCompiler.get_converters`) are returned, not
    applied; :func:`_converted` applies them to each distinct value only.
    """
    compiler = qs.query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()
    expressions = [s[0] for s in compiler.select[0 : compiler.col_count]]
    with compiler.connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    width = len(expressions)
    table = np.empty((len(rows), width), dtype=object)
    try:
        if rows:
            table[:] = rows if len(rows[0]) == width else [row[:width] for row in rows]
        columns = [table[:, i] for i in range(width)]
    except ValueError:  # a value that is itself a sequence (e.g. a JSON list): column by column
        columns = [_objects([row[i] for row in rows]) for i in range(width)]
    converters = compiler.get_converters(expressions)
    return columns, [e.output_field for e in expressions], converters


def _objects(values: list[Any]) -> np.ndarray:
    """A one-dimensional ``object`` array holding exactly these values (lists stay lists)."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


def _map_distinct(values: np.ndarray, func: Any) -> np.ndarray:
    """``func`` applied to each value, computed once per distinct value (missing included)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    for i, value in enumerate(uniques):
        mapped[i] = func(value)
    mapped[-1] = func(None)
    return mapped[codes] if len(values) else np.empty(0, dtype=object)


def _converted(values: np.ndarray, converter: tuple[list[Any], Any] | None) -> np.ndarray:
    """The column as Django's ``values_list`` gives it: its converters on each distinct value."""
    if converter is None:
        return values
    convs, expression = converter
    connection = connections[DEFAULT_DB_ALIAS]

    def convert(value: object) -> object:
        for fn in convs:
            value = fn(value, expression, connection)
        return value

    return _map_distinct(values, convert)


def _wib_times(values: np.ndarray) -> pd.Series:
    """Stored instants (aware, or naive UTC as SQLite keeps them) as WIB wall-clock, in ms."""
    stamps = pd.to_datetime(pd.Series(values, dtype=object), utc=True)
    return stamps.dt.tz_convert(WIB).dt.tz_localize(None).astype("datetime64[ms]")


def _column(spec: Any, values: np.ndarray | pd.Series, *, labels: bool) -> pd.Series:
    """One column in the schema's dtype; empty optional text as missing."""
    if isinstance(values, pd.Series) and spec.dtype.startswith("datetime64"):
        return values.reset_index(drop=True)  # already converted by _wib_times
    raw = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
    if spec.dtype == STR:
        if labels:
            raw = np.array([json.dumps(v, ensure_ascii=False) for v in raw], dtype=object)
        if spec.nullable:
            empty = pd.isna(raw) | (raw == "")
            raw = np.where(empty, np.full(len(raw), None, dtype=object), raw)
        return _text_series(raw)
    if spec.dtype.startswith("datetime64"):
        aware = any(_aware(v) for v in pd.unique(raw) if v is not None)
        stamps = pd.to_datetime(pd.Series(raw, dtype=object), utc=aware)
        if getattr(stamps.dt, "tz", None) is not None:
            stamps = stamps.dt.tz_convert(WIB).dt.tz_localize(None)
        return stamps.astype("datetime64[ms]")
    if spec.dtype in ("float64", "Float64"):
        floats = _map_distinct(raw, lambda v: None if v is None else float(v))
        numbers = pd.to_numeric(pd.Series(floats, dtype=object))
        return numbers.astype("Float64" if spec.dtype == "Float64" else "float64")
    return pd.Series(raw, dtype=object).astype(spec.dtype)


def _text_series(values: np.ndarray) -> pd.Series:
    """``pd.Series(values, dtype="str")``, the Arrow text built once per distinct value.

    The distinct texts go to Arrow once and the column is an Arrow ``take`` of
    them (a token repeated on every answer is converted once, not per row).
    Values that are not all text are left to pandas.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    try:
        distinct = pa.array(uniques, type=pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.Series(values, dtype="str")
    column = distinct.take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(column, dtype="str"))


def _aware(value: object) -> bool:
    return getattr(value, "tzinfo", None) is not None


def _session_numbers() -> pd.Series:
    """Session id → its number (1, 2, …) within its activity, in order of start."""
    rows = ActivitySession.objects.order_by("activity_id", "starts_at", "pk").values_list(
        "pk", "activity_id"
    )
    table = pd.DataFrame(list(rows), columns=["pk", "activity"], dtype="int64")
    numbers = table.groupby("activity", sort=False).cumcount() + 1
    return pd.Series(numbers.to_numpy(dtype="int64"), index=table["pk"].to_numpy())


def _frame(name: str, sessions: pd.Series) -> pd.DataFrame:
    """One stored frame, read column by column (see :func:`evaluation_frames`)."""
    model, paths = _SOURCES[name]
    columns = stored_columns(name)
    read = [c for c in columns if not (name == "activity_sessions" and c == "session_no")]
    lookups = [paths.get(c, c) for c in read]
    if name == "activity_sessions":
        lookups.append("pk")
    raw, fields, converters = _fetch(_queryset(name, model).values_list(*lookups))
    utc_times = settings.USE_TZ and connections[DEFAULT_DB_ALIAS].timezone_name == "UTC"
    values: dict[str, np.ndarray | pd.Series] = {}
    for i, column in enumerate(read):
        if isinstance(fields[i], DateTimeField) and utc_times:
            values[column] = _wib_times(raw[i])
        else:
            values[column] = _converted(raw[i], converters.get(i))
    if name == "activity_sessions":
        values["session_no"] = sessions.reindex(raw[-1].astype("int64")).to_numpy(dtype=object)
    elif name == "attendance":
        ids = pd.Series(values["session_no"], dtype="Int64")
        numbers = ids.map(sessions).astype(object)
        values["session_no"] = numbers.where(numbers.notna(), None).to_numpy(dtype=object)
    schema = {c.name: c for c in FRAME_SCHEMAS[name].columns}
    out = {c: _column(schema[c], values[c], labels=c == "labels") for c in columns}
    return pd.DataFrame(out, columns=columns)


def evaluation_frames(names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read the stored frames from the database (all, or those in ``names``).

    Each frame has exactly :func:`mutu.synthetic.stored_columns` of its name,
    in that order, with the schema's dtypes. Columnar: one query per frame on
    a plain cursor, values converted once per distinct value (Django's own
    converters) or vectorised (date-times), no model instances.
    """
    wanted = [n for n in _SOURCES if names is None or n in names]
    sessions = (
        _session_numbers()
        if {"attendance", "activity_sessions"} & set(wanted)
        else pd.Series(dtype="int64")
    )
    return {name: _frame(name, sessions) for name in wanted}


def frames_fingerprint(frames: Mapping[str, pd.DataFrame]) -> str:
    """A sha256 over the frames' content, to name the data snapshot an evaluation used."""
    digest = hashlib.sha256()
    for name in sorted(frames):
        digest.update(name.encode())
        digest.update(pd.util.hash_pandas_object(frames[name], index=False).to_numpy().tobytes())
    return digest.hexdigest()


# --- stored evaluation runs, for the dashboards and the reports page ---------------------


@dataclass(frozen=True)
class StoredRun:
    """One stored evaluation run, without its (large) results."""

    pk: int
    created_at: dt.datetime
    year: int | None

    @property
    def cache_key(self) -> tuple[int, str]:
        # The creation time guards against a pk reused after a rollback (tests) or a reload.
        return (self.pk, self.created_at.isoformat())


@dataclass(frozen=True)
class StoredEvaluation:
    """A stored run with its parsed results (shared, read-only: never change ``results``)."""

    run: StoredRun
    results: Mapping[str, Any]

    @property
    def evaluated_year(self) -> int | None:
        """The year the run's L1–L5 sections and estimands are about (``data.year``)."""
        data = self.results.get("data")
        if isinstance(data, Mapping):
            year = data.get("year")
            if isinstance(year, int) and not isinstance(year, bool):
                return year
            years = data.get("years")
            if isinstance(years, list) and years:
                return max(int(y) for y in years)
        return self.run.year

    @property
    def years(self) -> list[int]:
        """The years with indices in the run (``indices.years``), oldest first."""
        indices = self.results.get("indices")
        years = indices.get("years") if isinstance(indices, Mapping) else None
        if isinstance(years, list) and years:
            return sorted(int(y) for y in years)
        return [self.evaluated_year] if self.evaluated_year is not None else []


#: Parsed results of the last few runs, by :attr:`StoredRun.cache_key` (a run is several MB).
RESULTS_CACHE_SIZE = 4
_results_cache: OrderedDict[tuple[int, str], Mapping[str, Any]] = OrderedDict()
_results_lock = threading.Lock()


def stored_runs() -> list[StoredRun]:
    """Every stored evaluation run, newest first (one small query: no results read)."""
    rows = EvaluationRun.objects.order_by("-created_at", "-pk").values_list(
        "pk", "created_at", "year"
    )
    return [StoredRun(pk, created, year) for pk, created, year in rows]


def evaluation_results(run: StoredRun) -> Mapping[str, Any]:
    """The run's results, read and parsed once per process and then served from memory."""
    key = run.cache_key
    with _results_lock:
        cached = _results_cache.get(key)
        if cached is not None:
            _results_cache.move_to_end(key)
            return cached
    results: Mapping[str, Any] = EvaluationRun.objects.values_list("results", flat=True).get(
        pk=run.pk
    )
    with _results_lock:
        _results_cache[key] = results
        while len(_results_cache) > RESULTS_CACHE_SIZE:
            _results_cache.popitem(last=False)
    return results


def stored_evaluation(year: int | None = None) -> StoredEvaluation | None:
    """The evaluation to show for a year, or ``None`` when none is stored.

    The newest run made for that year (``mutu evaluate --year``), else the
    newest run: its indices cover every year of the data, its L1–L5 sections
    and estimands the year it evaluated (:attr:`StoredEvaluation.evaluated_year`).
    """
    runs = stored_runs()
    if not runs:
        return None
    chosen = next((r for r in runs if year is not None and r.year == year), runs[0])
    return StoredEvaluation(chosen, evaluation_results(chosen))


# --- generated report files (the reports page) -------------------------------------------

#: File names ``mutu report`` writes (:func:`mutu.reporting.report_filename`).
REPORT_FILE = re.compile(
    r"^(?P<stem>laporan-evaluasi|evaluation-report)(?:-(?P<year>\d{4}))?\.(?P<fmt>html|pdf|docx|xlsx)$"
)
#: Folder of one run's reports under ``MEDIA_ROOT/reports``.
RUN_FOLDER = re.compile(r"^evaluasi-(?P<pk>\d+)$")


@dataclass(frozen=True)
class GeneratedReport:
    """A report file written from a stored evaluation."""

    run_pk: int
    name: str
    path: Path
    lang: str
    fmt: str
    year: int | None
    size: int
    modified: dt.datetime


def report_folder(root: Path, run_pk: int) -> Path:
    """Where the reports of one run are kept: ``<root>/evaluasi-<pk>``."""
    return root / f"evaluasi-{int(run_pk)}"


def generated_reports(root: Path) -> list[GeneratedReport]:
    """The report files under ``root`` (``MEDIA_ROOT/reports``), newest first."""
    found: list[GeneratedReport] = []
    if not root.is_dir():
        return found
    for folder in root.iterdir():
        run = RUN_FOLDER.match(folder.name)
        if run is None or not folder.is_dir():
            continue
        for path in folder.iterdir():
            match = REPORT_FILE.match(path.name)
            if match is None or not path.is_file():
                continue
            stat = path.stat()
            found.append(
                GeneratedReport(
                    run_pk=int(run["pk"]),
                    name=path.name,
                    path=path,
                    lang="en" if match["stem"] == "evaluation-report" else "id",
                    fmt=match["fmt"],
                    year=int(match["year"]) if match["year"] else None,
                    size=stat.st_size,
                    modified=dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC),
                )
            )
    return sorted(found, key=lambda r: (r.modified, r.name), reverse=True)


def generated_report(root: Path, run_pk: int, name: str) -> Path | None:
    """The path of one generated report, or ``None`` (also for any name not ours)."""
    if REPORT_FILE.match(name) is None:
        return None
    path = report_folder(root, run_pk) / name
    return path if path.is_file() else None
