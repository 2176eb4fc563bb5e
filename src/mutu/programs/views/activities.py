"""The activity list, an activity's page with its schedule and participants, the month calendar."""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR

from mutu.accounts.models import Role
from mutu.programs import access
from mutu.programs.forms import ActivityFilterForm
from mutu.programs.models import (
    ApprovalStatus,
    Attendance,
    EnrollmentStatus,
    JpLedgerEntry,
    Program,
)
from mutu.programs.selectors import (
    activity_list,
    activity_years,
    attendance_counts,
    sessions_in_month,
)
from mutu.programs.services.attendance import check_in_window
from mutu.programs.views._common import activity_or_404, lang, scope_of
from mutu.reference.models import DevelopmentForm
from mutu.reporting.formatting import month_name

#: Roles that work with activities as staff (the others see only their own).
STAFF_ROLES = (Role.ADMIN, Role.ANALYST, Role.UNIT_OPERATOR, Role.UNIT_HEAD, Role.TRAINER)


@login_required
def activity_list_view(request: HttpRequest) -> HttpResponse:
    """Activities in the user's scope, filtered by year, program, form and status."""
    scope = scope_of(request)
    scoped = access.activities_in_scope(scope)
    programs = Program.objects.filter(activities__in=scoped).distinct().order_by("code")
    forms_ = DevelopmentForm.objects.filter(activities__in=scoped).distinct().order_by("code")
    label = "label_en" if lang() == "en" else "label_id"
    form = ActivityFilterForm(
        request.GET or None,
        years=activity_years(scoped),
        programs=[(p.pk, f"{p.code} — {p.name}") for p in programs],
        forms_=[(f.code, getattr(f, label) or f.label_id) for f in forms_],
    )
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "year": form.cleaned_data.get("year"),
            "program_id": form.cleaned_data.get("program"),
            "form": form.cleaned_data.get("form") or "",
            "status": form.cleaned_data.get("status") or "",
        }
    rows = activity_list(scoped, **filters)
    page = Paginator(rows, 50).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "programs/activity_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "pending": (
                access.external_entries_in_scope(scope)
                .filter(approval_status=ApprovalStatus.PENDING)
                .count()
                if access.may_decide_external(scope)
                else 0
            ),
        },
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One activity: its data, completion rule, sessions, and the participants the user may see."""
    scope = scope_of(request)
    activity = activity_or_404(request, pk)
    is_staff = scope.has(*STAFF_ROLES) and (
        scope.all_units or access.is_trainer_of(scope, activity) or bool(scope.read_units)
    )
    enrollments = (
        access.visible_enrollments(scope, activity)
        .select_related("employee", "employee__unit", "certificate")
        .order_by("employee__name")
    )
    if not is_staff:
        enrollments = enrollments.filter(employee_id=scope.employee_id or 0)
    counts = attendance_counts(activity.pk)
    credited = dict(
        JpLedgerEntry.objects.filter(enrollment__activity=activity).values_list(
            "enrollment_id", "jp"
        )
    )
    roster: list[dict[str, Any]] = []
    for e in enrollments:
        count = counts.get(e.pk)
        roster.append(
            {
                "e": e,
                "attended": count.attended if count else 0,
                "share": count.share if count else None,
                "certificate": getattr(e, "certificate", None),
                "jp": credited.get(e.pk),
                "may_register": e.status == EnrollmentStatus.NOMINATED
                and access.may_register(scope, e),
            }
        )
    roster.sort(key=lambda r: r["e"].status == EnrollmentStatus.WITHDRAWN)
    visible_ids = [r["e"].pk for r in roster if r["e"].status != EnrollmentStatus.WITHDRAWN]
    present = dict(
        Attendance.objects.filter(
            session__activity=activity, present=True, enrollment_id__in=visible_ids
        )
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    mine = {}
    if scope.employee_id is not None:
        mine = dict(
            Attendance.objects.filter(
                session__activity=activity, enrollment__employee_id=scope.employee_id
            ).values_list("session_id", "present")
        )
    now = timezone.now()
    sessions = []
    for s in activity.sessions.order_by("starts_at"):
        opens, closes = check_in_window(s)
        sessions.append(
            {
                "s": s,
                "present": present.get(s.pk, 0),
                "mine": mine.get(s.pk),
                "running": opens <= now <= closes,
            }
        )
    may_attend = access.may_take_attendance(scope, activity) and is_staff
    return render(
        request,
        "programs/activity_detail.html",
        {
            "activity": activity,
            "sessions": sessions,
            "roster": roster,
            "is_staff": is_staff,
            "may_nominate": access.may_nominate(scope, activity),
            "may_attend": may_attend,
            "may_complete": access.may_complete(scope, activity),
            "registrable": [r for r in roster if r["may_register"]],
            "n_active": sum(1 for r in roster if r["e"].status != EnrollmentStatus.WITHDRAWN),
        },
    )


def _month(value: str | None) -> tuple[int, int]:
    """``2026-03`` → (2026, 3); this month for anything else."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    """Sessions of the user's activities in a month: a grid on a wide screen, a list on a phone."""
    scope = scope_of(request)
    year, month = _month(request.GET.get("bulan"))
    scoped = access.activities_in_scope(scope)
    by_day: dict[date, list[Any]] = defaultdict(list)
    for session in sessions_in_month(scoped, year, month):
        by_day[timezone.localtime(session.starts_at).date()].append(session)
    today = timezone.localdate()
    weeks = [
        [
            {
                "date": d,
                "in_month": d.month == month,
                "today": d == today,
                "sessions": by_day.get(d, []),
            }
            for d in week
        ]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    current = lang()
    weekdays = [WEEKDAYS_ABBR[d] for d in range(7)]
    return render(
        request,
        "programs/calendar.html",
        {
            "weeks": weeks,
            "title": f"{month_name(month, current)} {year}",
            "prev": f"{prev_month[0]}-{prev_month[1]:02d}",
            "next": f"{next_month[0]}-{next_month[1]:02d}",
            "weekdays": weekdays,
            "n_sessions": sum(len(v) for v in by_day.values()),
        },
    )
