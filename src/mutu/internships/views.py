"""Internship pages: placements for BKPSDM, the logbook for interns, review for mentors."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutu.domain import magang
from mutu.domain.errors import MutuValueError
from mutu.internships import selectors as sel
from mutu.internships.forms import LogForm, MentorAccountForm, PlacementForm, ReviewForm
from mutu.internships.services import (
    internship_assess,
    internship_complete,
    internship_log_review,
    internship_log_write,
    internship_mentor_link,
    internship_place,
)
from mutu.people.models import Competency, Employee, Unit
from mutu.programs.models import (
    Activity,
    ActivityStatus,
    InternshipLogEntry,
    Partner,
)
from mutu.programs.views._common import lang, refuse, require, scope_of
from mutu.rulebooks import load


def _internship_or_404(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(sel.internships_in_scope(scope_of(request), request.user), pk=pk)


def _only(condition: bool) -> None:
    """403 for a placement the user may see but whose intern or mentor they are not.

    (A placement outside the user's reach has already answered 404.)
    """
    if not condition:
        raise PermissionDenied


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Placements the user reaches: all (BKPSDM), their units', their own, or their interns."""
    scope = scope_of(request)
    today = timezone.localdate()
    qs = sel.internships_in_scope(scope, request.user).order_by("-start", "employee__name")
    status = request.GET.get("status", "")
    if status == "running":
        qs = qs.filter(start__lte=today, end__gte=today)
    elif status == "ended":
        qs = qs.filter(end__lt=today)
    page = Paginator(qs, 50).get_page(request.GET.get("halaman"))
    rows = sel.internship_rows(page.object_list, today)  # type: ignore[arg-type]
    mentoring = sel.internships_in_scope(scope, request.user).filter(
        sel.mentor_condition(scope, request.user)
    )
    return render(
        request,
        "internships/home.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "today": today,
            "can_manage": sel.may_manage(scope),
            "can_see_eligible": sel.may_see_eligible(scope),
            "mentoring": mentoring.count(),
            "total": qs.count(),
        },
    )


@login_required
def eligible(request: HttpRequest) -> HttpResponse:
    """Young ASN eligible for an internship on a date, per unit (``magang`` rulebook)."""
    scope = scope_of(request)
    require(sel.may_see_eligible(scope))
    on = parse_date(request.GET.get("tanggal") or "") or timezone.localdate()
    unit_code = request.GET.get("unit") or ""
    unit = None
    if unit_code:
        unit = get_object_or_404(scope.units(), code=unit_code)
    groups = sel.eligible_by_unit(scope, on=on, unit=unit)
    book = load("magang", on)
    return render(
        request,
        "internships/eligible.html",
        {
            "groups": groups,
            "on": on,
            "unit": unit,
            "units": scope.units(Unit.objects.filter(is_active=True)).order_by("name"),
            "total": sum(len(rows) for _u, rows in groups),
            "rulebook": book,
            "rules": {
                "kinds": ", ".join(str(k) for k in book.sequence("eligibility.employment_kinds")),
                "age": book.integer("eligibility.max_age_at_appointment"),
                "min": book.integer("eligibility.min_months_since_appointment"),
                "max": book.integer("eligibility.max_months_since_appointment"),
            },
            "unconfirmed": [k for k in book.unconfirmed_keys() if k.startswith("eligibility.")],
            "can_manage": sel.may_manage(scope),
        },
    )


def _placement_form(request: HttpRequest, employee: Employee | None) -> PlacementForm:
    form_code = load("magang").text("form_code")
    activities = Activity.objects.filter(form__code=form_code).exclude(
        status=ActivityStatus.CANCELLED
    )
    competencies = Competency.objects.order_by("type", "code")
    if employee is not None and employee.position_id is not None:
        competencies = competencies.filter(
            pk__in=employee.position.standards.values("competency_id")  # type: ignore[union-attr]
        )
    initial = {"nip": employee.nip} if employee is not None else {}
    return PlacementForm(
        request.POST or None,
        initial=initial,
        partners=[(p.pk, p.name) for p in Partner.objects.order_by("name")],
        activities=[
            (a.pk, f"{a.code} — {a.title}") for a in activities.order_by("-start_date", "code")
        ],
        competencies=[(c.pk, f"{c.code} — {c.name}") for c in competencies],
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Place an eligible young ASN (BKPSDM administrators)."""
    scope = scope_of(request)
    require(sel.may_manage(scope))
    nip = (request.POST.get("nip") or request.GET.get("nip") or "").strip()
    employee = Employee.objects.select_related("position").filter(nip=nip).first() if nip else None
    form = _placement_form(request, employee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if employee is None:
                raise MutuValueError(
                    f"Tidak ada pegawai dengan NIP {nip or '-'}.",
                    f"No employee with NIP {nip or '-'}.",
                    field="nip",
                )
            internship = internship_place(
                employee_id=employee.pk,
                host_partner_id=data.get("partner"),
                start=data.get("start"),
                end=data.get("end"),
                mentor_name=data.get("mentor_name") or "",
                objectives=data.get("objectives") or "",
                competency_id=data.get("competency"),
                activity_id=data.get("activity"),
            )
        except MutuValueError as err:
            form.add_error(None, err.message(lang()))
        else:
            messages.success(request, _("Placement saved."))
            return redirect("internships:detail", pk=internship.pk)
    return render(request, "internships/new.html", {"form": form, "employee": employee})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One placement: host, mentor, objectives, the weeks of the logbook, the rubric, completion."""
    scope = scope_of(request)
    internship = _internship_or_404(request, pk)
    today = timezone.localdate()
    week_rows = sel.weeks(internship, today)
    assessed = sel.assessments(internship)
    certificate = sel.internship_certificate(internship)
    intern = sel.is_intern(scope, internship)
    mentor = sel.is_mentor(scope, request.user, internship)
    rubrics = [
        {
            "stage": stage,
            "label": stage.label,
            "assessment": assessed.get(stage.value),
            "rows": sel.rubric_rows(assessed.get(stage.value), lang()),
            "mean": sel.rubric_mean(assessed.get(stage.value)),
        }
        for stage in sel.STAGES
    ]
    book = load("magang", internship.start)
    jp_value: Any = None
    factor = None
    if internship.activity is not None:
        jp_value, factor = magang.magang_jp(internship.activity.jp)
    return render(
        request,
        "internships/detail.html",
        {
            "i": internship,
            "weeks": week_rows,
            "missing": sum(1 for w in week_rows if w.missing),
            "standards": sel.position_standards(internship),
            "rubrics": rubrics,
            "certificate": certificate,
            "credited": sel.credited_jp(internship) if certificate else None,
            "jp_due": jp_value,
            "factor": factor,
            "is_intern": intern,
            "is_mentor": mentor,
            "can_manage": sel.may_manage(scope),
            "can_write": intern and certificate is None,
            "can_review": mentor and certificate is None,
            "writable": [
                w
                for w in week_rows
                if not w.future and (w.entry is None or not w.entry.reviewed_at)
            ],
            "log_form": LogForm(),
            "review_form": ReviewForm(),
            "mentor_form": MentorAccountForm(),
            "scale": range(book.integer("rubric.min_score"), book.integer("rubric.max_score") + 1),
            "pass_mean": book.decimal("rubric.pass_mean"),
            "today": today,
        },
    )


def _back(pk: int) -> HttpResponse:
    return redirect("internships:detail", pk=pk)


@login_required
@require_POST
def log_write(request: HttpRequest, pk: int) -> HttpResponse:
    """The intern writes (or rewrites, until reviewed) one week's entry."""
    scope = scope_of(request)
    internship = _internship_or_404(request, pk)
    _only(sel.is_intern(scope, internship))
    form = LogForm(request.POST)
    week: date | None = None
    if form.is_valid():
        week = form.cleaned_data.get("week_start")
    try:
        internship_log_write(
            internship_id=internship.pk,
            week_start=week,
            text=request.POST.get("text", ""),
            today=timezone.localdate(),
        )
    except MutuValueError as err:
        refuse(request, err)
    else:
        messages.success(request, _("Your week is saved."))
    return _back(internship.pk)


@login_required
@require_POST
def log_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentor comments on one week's entry."""
    scope = scope_of(request)
    entry = get_object_or_404(
        InternshipLogEntry.objects.filter(
            internship__in=sel.internships_in_scope(scope, request.user)
        ),
        pk=pk,
    )
    _only(sel.is_mentor(scope, request.user, entry.internship))
    try:
        internship_log_review(
            entry_id=entry.pk,
            comment=request.POST.get("comment", ""),
            reviewer=request.user,  # type: ignore[arg-type]
        )
    except MutuValueError as err:
        refuse(request, err)
    else:
        messages.success(request, _("Comment saved."))
    return _back(entry.internship_id)


@login_required
@require_POST
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentor's rubric at the mid-point or the end."""
    scope = scope_of(request)
    internship = _internship_or_404(request, pk)
    _only(sel.is_mentor(scope, request.user, internship))
    scores = {
        str(c["code"]): request.POST.get(f"score_{c['code']}", "") for c in magang.rubric_criteria()
    }
    try:
        internship_assess(
            internship_id=internship.pk,
            stage=request.POST.get("stage", ""),
            scores=dict(scores),
            comment=request.POST.get("comment", ""),
            assessor=request.user,  # type: ignore[arg-type]
            on=timezone.localdate(),
        )
    except MutuValueError as err:
        refuse(request, err)
    else:
        messages.success(request, _("Rubric saved."))
    return _back(internship.pk)


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Complete the internship: certificate and JP, once (BKPSDM administrators)."""
    scope = scope_of(request)
    internship = _internship_or_404(request, pk)
    _only(sel.may_manage(scope))
    try:
        done = internship_complete(internship_id=internship.pk, on=timezone.localdate())
    except MutuValueError as err:
        refuse(request, err)
    else:
        if done.newly_issued:
            messages.success(
                request,
                _("Certificate %(number)s issued; JP credited.")
                % {"number": done.certificate.number},
            )
        else:
            messages.info(request, _("The certificate was already issued; nothing changed."))
    return _back(internship.pk)


@login_required
@require_POST
def mentor_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the mentor an account limited to their interns (BKPSDM administrators)."""
    scope = scope_of(request)
    internship = _internship_or_404(request, pk)
    _only(sel.may_manage(scope))
    try:
        user = internship_mentor_link(
            internship_id=internship.pk,
            username=request.POST.get("username", ""),
            password=request.POST.get("password", ""),
        )
    except MutuValueError as err:
        refuse(request, err)
    else:
        messages.success(
            request, _("Mentor account %(name)s linked.") % {"name": user.get_username()}
        )
    return _back(internship.pk)
