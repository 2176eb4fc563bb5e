"""Everything Mutu holds about one person, as one JSON document (UU 27/2022, the right of access).

:func:`mydata_collect` gathers, for a signed-in user:

- their account (never the password hash), role assignments, sign-in records,
  the audit events they caused and the exports they made;
- when the account is an employee's (participant or supervisor role): the
  employee record, position history, competency assessments, performance and
  discipline records, enrollments, attendance, certificates, JP ledger,
  internships with their logbooks, incentive offers, their personal survey
  links, the named responses they gave (with answers) and the named ratings
  given about them.

Nothing from an anonymous instrument is ever included: not its responses,
not its answers, not even the personal link that asked them to fill it in.
Secrets (password hashes, link token hashes and nonces, check-in secrets,
response tokens) are left out.

:func:`mydata_export` writes the document, as JSON or as an Excel workbook
(:func:`mydata_workbook`: one sheet per section, Indonesian headers first),
and logs it as a personal-data export (:class:`~mutu.imports.models.ExportLog`,
kind ``my_data``, shape ``json`` or ``xlsx``, channel web).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mutu.accounts.models import AuditEvent, LoginEvent, RoleAssignment
from mutu.domain.errors import MutuValueError
from mutu.imports.models import ExportChannel, ExportLog

__all__ = [
    "SECRET_FIELDS",
    "SHAPES",
    "SHEETS",
    "mydata_collect",
    "mydata_export",
    "mydata_workbook",
]

#: The download's shapes.
SHAPES = ("json", "xlsx")

#: Fields never written out, whoever asks.
SECRET_FIELDS = frozenset(
    {"password", "token_hash", "nonce", "checkin_secret", "token", "key", "draft_key"}
)


def _row(obj: models.Model) -> dict[str, Any]:
    """One row: every concrete field; a relation as its id plus its label; choices with labels."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        if field.is_relation:
            related_id = getattr(obj, field.attname)
            out[field.attname] = related_id
            if related_id is not None:
                out[field.name] = str(getattr(obj, field.name))
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        out[field.name] = value
        if field.choices and value not in (None, ""):
            out[f"{field.name}_label"] = str(getattr(obj, f"get_{field.name}_display")())
    return out


def _rows(qs: models.QuerySet[Any]) -> list[dict[str, Any]]:
    relations = [f.name for f in qs.model._meta.concrete_fields if f.is_relation]
    return [_row(obj) for obj in qs.select_related(*relations).order_by("pk")]


def _response(response: Any) -> dict[str, Any]:
    row = _row(response)
    row["instrument"] = str(response.version.instrument)
    row["answers"] = [
        {
            "item": answer.item.code,
            "question": answer.item.text_id,
            "value": answer.value,
            "option": answer.option.code if answer.option_id else None,
            "text": answer.text,
        }
        for answer in response.answers.select_related("item", "option").order_by("item__order")
    ]
    return row


def _employee_sections(employee_id: int) -> dict[str, Any]:
    from mutu.instruments.models import InstrumentLink, Response
    from mutu.people.models import (
        CompetencyAssessment,
        DisciplineRecord,
        Employee,
        PerformanceRecord,
        PositionHistory,
    )
    from mutu.programs.models import (
        Attendance,
        Certificate,
        Enrollment,
        IncentiveOffer,
        Internship,
        InternshipLogEntry,
        JpLedgerEntry,
    )

    named = {"version__instrument__is_anonymous": False}
    given = (
        Response.objects.filter(identity__employee_id=employee_id, **named)
        .select_related("version__instrument", "activity", "unit")
        .order_by("pk")
    )
    received = (
        Response.objects.filter(subject_id=employee_id, **named)
        .select_related("version__instrument", "activity", "unit")
        .order_by("pk")
    )
    return {
        "employee": _rows(Employee.objects.filter(pk=employee_id)),
        "position_history": _rows(PositionHistory.objects.filter(employee_id=employee_id)),
        "competency_assessments": _rows(
            CompetencyAssessment.objects.filter(employee_id=employee_id)
        ),
        "performance_records": _rows(PerformanceRecord.objects.filter(employee_id=employee_id)),
        "discipline_records": _rows(DisciplineRecord.objects.filter(employee_id=employee_id)),
        "enrollments": _rows(Enrollment.objects.filter(employee_id=employee_id)),
        "attendance": _rows(Attendance.objects.filter(enrollment__employee_id=employee_id)),
        "certificates": _rows(Certificate.objects.filter(enrollment__employee_id=employee_id)),
        "jp_ledger": _rows(JpLedgerEntry.objects.filter(employee_id=employee_id)),
        "internships": _rows(Internship.objects.filter(employee_id=employee_id)),
        "internship_logbook": _rows(
            InternshipLogEntry.objects.filter(internship__employee_id=employee_id)
        ),
        "incentive_offers": _rows(IncentiveOffer.objects.filter(employee_id=employee_id)),
        "survey_links": _rows(
            InstrumentLink.objects.filter(
                respondent_id=employee_id, attachment__version__instrument__is_anonymous=False
            )
        ),
        "responses_given": [_response(r) for r in given],
        "ratings_received": [_response(r) for r in received],
    }


def mydata_collect(*, user: AbstractBaseUser, employee_id: int | None) -> dict[str, Any]:
    """The document for ``user`` (and the employee they are, when ``employee_id`` is set)."""
    account = {
        key: getattr(user, key, None)
        for key in (
            "username",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "is_staff",
            "is_superuser",
            "date_joined",
            "last_login",
        )
    }
    sections: dict[str, Any] = {
        "account": account,
        "role_assignments": _rows(RoleAssignment.objects.filter(user_id=user.pk)),
        "login_events": _rows(LoginEvent.objects.filter(user_id=user.pk)),
        "audit_events_caused": _rows(AuditEvent.objects.filter(user_id=user.pk)),
        "exports_made": _rows(ExportLog.objects.filter(user_id=user.pk)),
    }
    if employee_id is not None:
        sections.update(_employee_sections(employee_id))
    return {
        "generated_at": timezone.now(),
        "about": {
            "id": "Semua data yang disimpan Mutu tentang Anda (UU 27/2022). Jawaban atas "
            "instrumen anonim tidak pernah dikaitkan dengan Anda, sehingga tidak termasuk.",
            "en": "Everything Mutu holds about you (UU 27/2022). Answers to anonymous "
            "instruments are never linked to you, so they are not included.",
        },
        **sections,
    }


def _count(document: dict[str, Any]) -> int:
    return sum(len(v) for v in document.values() if isinstance(v, list))


def mydata_export(
    *, user: AbstractBaseUser, employee_id: int | None, shape: str = "json"
) -> tuple[bytes, str, ExportLog]:
    """The file (bytes, file name) and its export-log entry (personal data, web).

    ``shape`` is ``json`` (the document) or ``xlsx`` (:func:`mydata_workbook`); another
    shape is refused, bilingually, before anything is read or logged.
    """
    if shape not in SHAPES:
        raise MutuValueError(
            f"Format unduhan tidak dikenal: {shape[:20]!r}. Pilih json atau xlsx.",
            f"Unknown download format: {shape[:20]!r}. Choose json or xlsx.",
        )
    document = mydata_collect(user=user, employee_id=employee_id)
    day = timezone.localdate().isoformat()
    file_name = f"data-saya-{user.get_username()}-{day}.{shape}"
    if shape == "xlsx":
        content = mydata_workbook(document)
    else:
        content = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode(
            "utf-8"
        )
    log = ExportLog.objects.create(
        kind="my_data",
        shape=shape,
        file_name=file_name,
        rows=_count(document),
        personal=True,
        filters={"employee": str(employee_id) if employee_id is not None else ""},
        channel=ExportChannel.WEB,
        user_id=user.pk,
        actor=user.get_username(),
    )
    return content, file_name, log


# -- the workbook -------------------------------------------------------------------------------

#: Section → (sheet name in Indonesian, in English), in the document's order. Sheet names
#: are at most 31 characters (Excel's limit).
SHEETS: dict[str, tuple[str, str]] = {
    "account": ("Akun", "Account"),
    "role_assignments": ("Peran", "Roles"),
    "login_events": ("Catatan masuk", "Sign-ins"),
    "audit_events_caused": ("Perubahan oleh Anda", "Changes you made"),
    "exports_made": ("Ekspor oleh Anda", "Exports you took"),
    "employee": ("Data pegawai", "Employee record"),
    "position_history": ("Riwayat jabatan", "Position history"),
    "competency_assessments": ("Penilaian kompetensi", "Competency assessments"),
    "performance_records": ("Kinerja", "Performance records"),
    "discipline_records": ("Disiplin", "Discipline records"),
    "enrollments": ("Keikutsertaan kegiatan", "Enrollments"),
    "attendance": ("Kehadiran", "Attendance"),
    "certificates": ("Sertifikat", "Certificates"),
    "jp_ledger": ("Buku JP", "JP ledger"),
    "internships": ("Magang", "Internships"),
    "internship_logbook": ("Logbook magang", "Internship logbook"),
    "incentive_offers": ("Tawaran insentif", "Incentive offers"),
    "survey_links": ("Tautan isian", "Survey links"),
    "responses_given": ("Isian Anda", "Forms you filled in"),
    "ratings_received": ("Penilaian tentang Anda", "Ratings about you"),
}
#: Sections whose rows carry a list of answers, written to a sheet of their own.
ANSWER_SHEETS: dict[str, tuple[str, str]] = {
    "responses_given": ("Jawaban isian Anda", "Answers you gave"),
    "ratings_received": ("Jawaban penilaian tentang Anda", "Answers about you"),
}
#: Headers of the answer sheets: key → Indonesian.
ANSWER_HEADERS = {
    "response": "Isian (id)",
    "item": "Butir",
    "question": "Pertanyaan",
    "value": "Nilai",
    "option": "Pilihan",
    "text": "Jawaban teks",
}
#: Headers no model field names.
FIXED_HEADERS = {"id": "ID", "instrument": "Instrumen", "answers": "Jawaban (lihat lembar)"}


def _section_models() -> dict[str, type[models.Model]]:
    """The model each section's rows come from (for the headers' Indonesian names)."""
    from django.contrib.auth import get_user_model

    from mutu.instruments.models import InstrumentLink, Response
    from mutu.people.models import (
        CompetencyAssessment,
        DisciplineRecord,
        Employee,
        PerformanceRecord,
        PositionHistory,
    )
    from mutu.programs.models import (
        Attendance,
        Certificate,
        Enrollment,
        IncentiveOffer,
        Internship,
        InternshipLogEntry,
        JpLedgerEntry,
    )

    return {
        "account": get_user_model(),
        "role_assignments": RoleAssignment,
        "login_events": LoginEvent,
        "audit_events_caused": AuditEvent,
        "exports_made": ExportLog,
        "employee": Employee,
        "position_history": PositionHistory,
        "competency_assessments": CompetencyAssessment,
        "performance_records": PerformanceRecord,
        "discipline_records": DisciplineRecord,
        "enrollments": Enrollment,
        "attendance": Attendance,
        "certificates": Certificate,
        "jp_ledger": JpLedgerEntry,
        "internships": Internship,
        "internship_logbook": InternshipLogEntry,
        "incentive_offers": IncentiveOffer,
        "survey_links": InstrumentLink,
        "responses_given": Response,
        "ratings_received": Response,
    }


def _header(model: type[models.Model] | None, key: str) -> str:
    """A column's Indonesian name: the field's verbose name (``(id)``, ``(keterangan)`` added
    for a relation's id and a choice's label), else the key itself."""
    if key in FIXED_HEADERS:
        return FIXED_HEADERS[key]
    base, suffix = key, ""
    if key.endswith("_label"):
        base, suffix = key[: -len("_label")], " (keterangan)"
    if model is not None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        field = fields.get(base)
        if field is not None and field.is_relation and field.attname != field.name:
            suffix = " (id)"
        else:
            try:
                field = model._meta.get_field(base)  # type: ignore[assignment]
            except FieldDoesNotExist:
                field = None
        if field is not None:
            with translation.override("id"):
                return str(field.verbose_name) + suffix
    return key


def _cell_value(value: Any) -> Any:
    """A value as a cell holds it: local naive date-times, lists and dicts as JSON text,
    strings without the control characters a workbook cannot hold."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, bool | int | float | dt.date):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list | dict):
        value = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _write_sheet(sheet: Worksheet, headers: list[str], keys: list[str], rows: list[Any]) -> None:
    """Row 1: Indonesian headers (bold); row 2: the JSON keys (grey); then one row per item.

    Every text is a text cell (``=...`` stays text, never a formula).
    """
    sheet.append(headers)
    sheet.append(keys)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="666666")
    sheet.freeze_panes = "A3"
    widths = [max(len(h), len(k)) for h, k in zip(headers, keys, strict=True)]
    for r, row in enumerate(rows, start=3):
        for c, key in enumerate(keys, start=1):
            value = _cell_value(row.get(key))
            if value is None or value == "":
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
                cell.number_format = "@"
            elif isinstance(value, dt.datetime):
                cell.number_format = "DD-MM-YYYY HH:MM:SS"
            elif isinstance(value, dt.date):
                cell.number_format = "DD-MM-YYYY"
            widths[c - 1] = max(widths[c - 1], min(len(str(value)), 50))
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = max(width, 8) + 2


def _keys(rows: list[dict[str, Any]]) -> list[str]:
    """Every key of the rows, in first-seen order."""
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return list(keys)


def mydata_workbook(document: dict[str, Any]) -> bytes:
    """The document as an ``.xlsx`` workbook.

    Sheet ``Tentang`` first (what the file is, in Indonesian and English, and one line
    per sheet: its name, its section of the JSON and its row count), then one sheet per
    section in the document's order, each with the section's rows (the account: one
    row). The answers of the named forms are on sheets of their own, one row per answer
    with the form's id. Only what :func:`mydata_collect` gathered is written: nothing
    from an anonymous instrument.
    """
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "Tentang"
    models_ = _section_models()
    about.append(["Data saya / My data"])
    about["A1"].font = Font(bold=True, size=13)
    about.append([document["about"]["id"]])
    about.append([document["about"]["en"]])
    about.append(["Dibuat / Generated", _cell_value(document["generated_at"])])
    about["B4"].number_format = "DD-MM-YYYY HH:MM:SS"
    about.append([])
    about.append(["Lembar", "Sheet", "Bagian JSON / JSON section", "Baris / Rows"])
    for cell in about[6]:
        cell.font = Font(bold=True)
    for key, (title_id, title_en) in SHEETS.items():
        if key not in document:
            continue
        section = document[key]
        rows = [section] if isinstance(section, dict) else list(section)
        keys = _keys(rows) if rows else [f.attname for f in models_[key]._meta.concrete_fields]
        if key == "account":
            keys = list(section)
        keys = [k for k in keys if k not in SECRET_FIELDS]
        headers = [_header(models_.get(key), k) for k in keys]
        _write_sheet(book.create_sheet(title_id), headers, keys, rows)
        about.append([title_id, title_en, key, len(rows)])
        if key in ANSWER_SHEETS:
            answers = [
                {"response": row.get("id"), **answer}
                for row in rows
                for answer in row.get("answers", [])
            ]
            a_id, a_en = ANSWER_SHEETS[key]
            a_keys = list(ANSWER_HEADERS)
            _write_sheet(
                book.create_sheet(a_id), [ANSWER_HEADERS[k] for k in a_keys], a_keys, answers
            )
            about.append([a_id, a_en, f"{key}[].answers", len(answers)])
    about.column_dimensions["A"].width = 32
    about.column_dimensions["B"].width = 28
    about.column_dimensions["C"].width = 30
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
