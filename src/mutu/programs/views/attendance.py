"""Attendance: the one-page checklist, the session QR code, self check-in; completion."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutu.domain.errors import MutuValueError
from mutu.programs import access
from mutu.programs.certificates import qr_svg
from mutu.programs.models import ActivitySession, Attendance, EnrollmentStatus
from mutu.programs.services import activity_complete, attendance_check_in, attendance_save
from mutu.programs.services.attendance import check_in_window
from mutu.programs.views._common import activity_or_404, int_list, lang, refuse, require, scope_of


def _session_for_staff(request: HttpRequest, pk: int) -> ActivitySession:
    """A session whose attendance the user may take; 404 otherwise."""
    session = get_object_or_404(ActivitySession.objects.select_related("activity"), pk=pk)
    scope = scope_of(request)
    activity = activity_or_404(request, session.activity_id)
    require(access.may_take_attendance(scope, activity))
    session.activity = activity
    return session


def _roster(request: HttpRequest, session: ActivitySession):  # type: ignore[no-untyped-def]
    return (
        access.visible_enrollments(scope_of(request), session.activity)
        .exclude(status=EnrollmentStatus.WITHDRAWN)
        .select_related("employee", "employee__unit")
        .order_by("employee__name", "pk")
    )


@login_required
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """All participants of one session on one page: tick who is present, save once."""
    session = _session_for_staff(request, pk)
    roster = list(_roster(request, session))
    roster_ids = {e.pk for e in roster}
    if request.method == "POST":
        shown = int_list(request.POST.getlist("roster"))
        ticked = int_list(request.POST.getlist("present"))
        if request.POST.get("all"):
            ticked = shown
        require(shown is not None and ticked is not None and set(shown) <= roster_ids)
        assert shown is not None and ticked is not None
        try:
            saved = attendance_save(session_id=session.pk, roster_ids=shown, present_ids=ticked)
        except MutuValueError as err:
            refuse(request, err)
        else:
            messages.success(
                request,
                _("Attendance saved: %(present)d present, %(absent)d absent.")
                % {"present": saved.present, "absent": saved.absent},
            )
            return redirect("programs:attendance", pk=session.pk)
    marks = dict(
        Attendance.objects.filter(session=session, enrollment_id__in=roster_ids).values_list(
            "enrollment_id", "present"
        )
    )
    methods = dict(
        Attendance.objects.filter(
            session=session, enrollment_id__in=roster_ids, present=True
        ).values_list("enrollment_id", "method")
    )
    rows = [{"e": e, "present": marks.get(e.pk), "method": methods.get(e.pk)} for e in roster]
    return render(
        request,
        "programs/attendance.html",
        {
            "session": session,
            "activity": session.activity,
            "rows": rows,
            "n_present": sum(1 for r in rows if r["present"]),
            "recorded": bool(marks),
        },
    )


@login_required
def session_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainer's screen: a QR code participants scan to check themselves in."""
    session = _session_for_staff(request, pk)
    url = request.build_absolute_uri(
        reverse("programs:check_in", args=[session.pk, session.checkin_secret])
    )
    opens, closes = check_in_window(session)
    return render(
        request,
        "programs/session_qr.html",
        {
            "session": session,
            "activity": session.activity,
            "qr": qr_svg(url, scale=8),
            "url": url,
            "opens": opens,
            "closes": closes,
            "is_open": opens <= timezone.now() <= closes,
            "n_present": _present_count(request, session),
        },
    )


def _present_count(request: HttpRequest, session: ActivitySession) -> int:
    return Attendance.objects.filter(
        session=session, present=True, enrollment__in=_roster(request, session)
    ).count()


@login_required
def session_count(request: HttpRequest, pk: int) -> HttpResponse:
    """How many are present so far (the QR page polls it with htmx)."""
    session = _session_for_staff(request, pk)
    return render(
        request,
        "programs/_present_count.html",
        {"session": session, "n_present": _present_count(request, session)},
    )


@login_required
def check_in(request: HttpRequest, pk: int, secret: str) -> HttpResponse:
    """A participant who scanned the session's QR code is marked present (once)."""
    session = ActivitySession.objects.select_related("activity").filter(pk=pk).first()
    if session is None or not secrets.compare_digest(session.checkin_secret, secret):
        raise Http404
    scope = scope_of(request)
    context: dict[str, Any] = {"session": session, "activity": session.activity}
    if scope.employee_id is None:
        context["refusal"] = _(
            "Only a participant's account can check in. Sign in with your own account."
        )
        return render(request, "programs/check_in.html", context, status=403)
    try:
        result = attendance_check_in(
            session_id=session.pk, secret=secret, employee_id=scope.employee_id
        )
    except MutuValueError as err:
        context["refusal"] = err.message(lang())
        return render(request, "programs/check_in.html", context, status=403)
    context.update({"attendance": result.attendance, "created": result.created})
    return render(request, "programs/check_in.html", context)


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply the completion rules: completed or failed, certificates, JP credited."""
    scope = scope_of(request)
    activity = activity_or_404(request, pk)
    require(access.may_complete(scope, activity))
    try:
        result = activity_complete(activity_id=activity.pk)
    except MutuValueError as err:
        refuse(request, err)
    else:
        messages.success(
            request,
            _(
                "Completion applied: %(completed)d completed, %(failed)d did not complete, "
                "%(already)d had completed before; %(certificates)d certificates issued."
            )
            % {
                "completed": result.completed,
                "failed": result.failed,
                "already": result.already_completed,
                "certificates": len(result.certificates),
            },
        )
    return redirect("programs:activity", pk=activity.pk)
