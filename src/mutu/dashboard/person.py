"""A person's own page: position, unit, the year's JP against the floor, enrollments,
certificates, SKP and competency gaps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from mutu.dashboard.blocks import fmt
from mutu.dashboard.unit import period, skp_label
from mutu.domain.jp import pppk_max_jp
from mutu.people.models import CompetencyType, Employee
from mutu.people.selectors import person_competency_gaps, person_performance
from mutu.programs.models import ApprovalStatus, EnrollmentStatus, JpSource
from mutu.programs.selectors import person_enrollments, person_jp_entries
from mutu.reporting.formatting import format_date, format_decimal


def _jp_text(value: Decimal | float) -> str:
    number = float(value)
    return fmt(number, "jp", 0 if number == int(number) else 1)


def person_context(employee: Employee, year: int, floor: float) -> dict[str, Any]:
    """Everything the person page shows, formatted in the active language."""
    entries = person_jp_entries(employee.pk, year)
    approvals = dict(ApprovalStatus.choices)
    sources = dict(JpSource.choices)
    ledger = []
    earned = Decimal(0)
    for entry in entries:
        approved = entry.approval_status == ApprovalStatus.APPROVED
        if approved:
            earned += entry.jp
        activity = entry.enrollment.activity if entry.enrollment is not None else None
        ledger.append(
            {
                "day": format_date(entry.date),
                "what": f"{activity.code} — {activity.title}" if activity else entry.title,
                "source": sources.get(entry.source, entry.source),
                "jp": _jp_text(entry.jp),
                "status": approvals.get(entry.approval_status, entry.approval_status),
                "approved": approved,
            }
        )
    is_pns = employee.status == "PNS"
    target = floor if is_pns else float(pppk_max_jp())
    share = min(1.0, float(earned) / target) if target else 0.0
    statuses = dict(EnrollmentStatus.choices)
    enrollments = []
    certificates = []
    for e in person_enrollments(employee.pk):
        cert = getattr(e, "certificate", None)
        enrollments.append(
            {
                "code": e.activity.code,
                "title": e.activity.title,
                "program": e.activity.program.name,
                "dates": period(e.activity.start_date, e.activity.end_date),
                "jp": _jp_text(e.activity.jp),
                "status": statuses.get(e.status, e.status),
                "sessions": _("%(present)s of %(total)s")
                % {
                    "present": e.sessions_present,  # type: ignore[attr-defined]
                    "total": e.sessions_total,  # type: ignore[attr-defined]
                },
                "certificate": cert.number if cert is not None else "",
            }
        )
        if cert is not None:
            certificates.append(
                {
                    "number": cert.number,
                    "issued": format_date(cert.issued_on),
                    "activity": f"{e.activity.code} — {e.activity.title}",
                    "token": cert.verification_token,
                }
            )
    types = dict(CompetencyType.choices)
    gaps = [
        {
            **g,
            "type": types.get(g["type"], g["type"]),
            "assessed_on": format_date(g["assessed_on"]) if g["assessed_on"] else "–",
            "short": g["gap"] is not None and g["gap"] < 0,
        }
        for g in person_competency_gaps(employee, until=dt.date(year, 12, 31))
    ]
    performance = [
        {
            "year": r.year,
            "predikat": skp_label(r.predikat),
            "score": format_decimal(float(r.score), 2) if r.score is not None else "–",
        }
        for r in person_performance(employee.pk)
    ]
    return {
        "employee": employee,
        "ledger": ledger,
        "earned": _jp_text(earned),
        "target": _jp_text(target),
        "is_pns": is_pns,
        "meets": is_pns and float(earned) >= target,
        "share_pct": round(share * 100),
        "enrollments": enrollments,
        "certificates": certificates,
        "gaps": gaps,
        "n_short": sum(1 for g in gaps if g["short"]),
        "n_unassessed": sum(1 for g in gaps if g["measured"] is None),
        "performance": performance,
    }
