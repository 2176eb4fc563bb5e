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
from mutu.internships.forms import (
    AgreementForm,
    FinalCompetencyForm,
    LogForm,
    MentorAccountForm,
    PartnerForm,
    PlacementForm,
    ReviewForm,
)
from mutu.internships.services import (
    agreement_save,
    internship_assess,
    internship_complete,
    internship_final_competency,
    internship_log_review,
    internship_log_write,
    internship_mentor_link,
    internship_place,
    partner_save,
)
from mutu.people.models import AssessmentMethod, Competency, Employee, Unit
from mutu.programs.models import (
    Activity,
    ActivityStatus,
    InternshipLogEntry,
    Partner,
    PartnerAgreement,
    PartnerKind,
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
            "can_see_partners": sel.may_see_partners(scope),
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
        agreements=[
            (a.pk, f"{a.partner.name}: {a.number}")
            for a in PartnerAgreement.objects.select_related("partner").order_by(
                "partner__name", "-start"
            )
        ],
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
                agreement_id=data.get("agreement"),
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
    mid_first, mid_last = magang.midpoint_window(internship.start, internship.end, rulebook=book)
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
            "midpoint_window": (mid_first, mid_last),
            "mid_open": mid_first <= today <= mid_last,
            "final_rows": sel.final_competency_rows(internship),
            "final_opens": magang.final_assessment_opens(
                internship.start, internship.end, rulebook=book
            ),
            "can_assess_final": mentor or sel.may_manage(scope),
            "can_see_partners": sel.may_see_partners(scope),
            "final_form": FinalCompetencyForm(
                initial={
                    "method": _final_method(internship),
                    "assessor": _final_assessor(request, internship),
                }
            ),
            "levels": range(1, 6),
            "today": today,
        },
    )


def _final_method(internship: Any) -> str:
    found = internship.final_competency.first()
    return str(found.method) if found is not None else str(AssessmentMethod.OTHER)


def _final_assessor(request: HttpRequest, internship: Any) -> str:
    found = internship.final_competency.first()
    if found is not None and found.assessor:
        return str(found.assessor)
    if sel.is_mentor(scope_of(request), request.user, internship):
        return str(internship.mentor_name or request.user.get_username())
    return ""


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


@login_required
@require_POST
def final_competency(request: HttpRequest, pk: int) -> HttpResponse:
    """The final competency assessment (the mentor or the BKPSDM administrators)."""
    scope = scope_of(request)
    internship = _internship_or_404(request, pk)
    _only(sel.is_mentor(scope, request.user, internship) or sel.may_manage(scope))
    levels: dict[int, object] = {}
    for standard in sel.position_standards(internship):
        levels[standard.competency_id] = request.POST.get(f"level_{standard.competency_id}", "")
    try:
        internship_final_competency(
            internship_id=internship.pk,
            levels=levels,
            method=request.POST.get("method", ""),
            assessor_name=request.POST.get("assessor", ""),
            on=timezone.localdate(),
        )
    except MutuValueError as err:
        refuse(request, err)
    else:
        messages.success(request, _("Final competency assessment saved."))
    return _back(internship.pk)


# --------------------------------------------------------------------------- partners


@login_required
def partners(request: HttpRequest) -> HttpResponse:
    """Partners (universities, NGOs, BPSDM, other hosts): administrators and analysts."""
    scope = scope_of(request)
    require(sel.may_see_partners(scope))
    kind = request.GET.get("jenis", "")
    if kind not in PartnerKind.values:
        kind = ""
    return render(
        request,
        "internships/partners.html",
        {
            "partners": sel.partners_list(kind),
            "kind": kind,
            "kinds": PartnerKind.choices,
            "can_edit": sel.may_edit_partners(scope),
        },
    )


@login_required
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One partner: contact, agreements with their quota use, hosted internships."""
    scope = scope_of(request)
    require(sel.may_see_partners(scope))
    partner = get_object_or_404(Partner, pk=pk)
    today = timezone.localdate()
    hosted = sel.internships_in_scope(scope, request.user).filter(host_partner=partner)
    return render(
        request,
        "internships/partner.html",
        {
            "partner": partner,
            "rows": sel.agreement_rows(partner, today),
            "hosted": hosted.count(),
            "running": hosted.filter(start__lte=today, end__gte=today).count(),
            "quota_per_year": magang.quota_period() == "year",
            "can_edit": sel.may_edit_partners(scope),
            "today": today,
        },
    )


def _partner_edit(request: HttpRequest, partner: Partner | None) -> HttpResponse:
    scope = scope_of(request)
    require(sel.may_edit_partners(scope))
    initial = (
        {
            "name": partner.name,
            "kind": partner.kind,
            "contact": partner.contact,
            "is_active": partner.is_active,
        }
        if partner is not None
        else {"is_active": True}
    )
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = partner_save(
                partner_id=partner.pk if partner is not None else None,
                name=data.get("name") or "",
                kind=data.get("kind") or "",
                contact=data.get("contact") or "",
                is_active=bool(data.get("is_active")),
            )
        except MutuValueError as err:
            form.add_error(None, err.message(lang()))
        else:
            messages.success(request, _("Partner saved."))
            return redirect("internships:partner", pk=saved.pk)
    return render(request, "internships/partner_form.html", {"form": form, "partner": partner})


@login_required
def partner_new(request: HttpRequest) -> HttpResponse:
    """Register a partner (administrators)."""
    return _partner_edit(request, None)


@login_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a partner (administrators)."""
    require(sel.may_edit_partners(scope_of(request)))
    return _partner_edit(request, get_object_or_404(Partner, pk=pk))


def _agreement_edit(
    request: HttpRequest, partner: Partner, agreement: PartnerAgreement | None
) -> HttpResponse:
    initial = (
        {
            "number": agreement.number,
            "title": agreement.title,
            "start": agreement.start,
            "end": agreement.end,
            "quota": agreement.quota,
            "contact_person": agreement.contact_person,
        }
        if agreement is not None
        else {}
    )
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement_save(
                agreement_id=agreement.pk if agreement is not None else None,
                partner_id=partner.pk,
                number=data.get("number") or "",
                title=data.get("title") or "",
                start=data.get("start"),
                end=data.get("end"),
                quota=data.get("quota"),
                contact_person=data.get("contact_person") or "",
            )
        except MutuValueError as err:
            form.add_error(None, err.message(lang()))
        else:
            messages.success(request, _("Agreement saved."))
            return redirect("internships:partner", pk=partner.pk)
    return render(
        request,
        "internships/agreement_form.html",
        {"form": form, "partner": partner, "agreement": agreement},
    )


@login_required
def agreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an agreement of the partner ``pk`` (administrators)."""
    require(sel.may_edit_partners(scope_of(request)))
    return _agreement_edit(request, get_object_or_404(Partner, pk=pk), None)


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an agreement (administrators)."""
    require(sel.may_edit_partners(scope_of(request)))
    agreement = get_object_or_404(PartnerAgreement.objects.select_related("partner"), pk=pk)
    return _agreement_edit(request, agreement.partner, agreement)
