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

:func:`mydata_export` writes the document and logs it as a personal-data
export (:class:`~mutu.imports.models.ExportLog`, kind ``my_data``, channel web).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from mutu.accounts.models import AuditEvent, LoginEvent, RoleAssignment
from mutu.imports.models import ExportChannel, ExportLog

__all__ = ["SECRET_FIELDS", "mydata_collect", "mydata_export"]

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
    *, user: AbstractBaseUser, employee_id: int | None
) -> tuple[bytes, str, ExportLog]:
    """The JSON file (bytes, file name) and its export-log entry (personal data, web)."""
    document = mydata_collect(user=user, employee_id=employee_id)
    day = timezone.localdate().isoformat()
    file_name = f"data-saya-{user.get_username()}-{day}.json"
    content = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    log = ExportLog.objects.create(
        kind="my_data",
        shape="json",
        file_name=file_name,
        rows=_count(document),
        personal=True,
        filters={"employee": str(employee_id) if employee_id is not None else ""},
        channel=ExportChannel.WEB,
        user_id=user.pk,
        actor=user.get_username(),
    )
    return content.encode("utf-8"), file_name, log
