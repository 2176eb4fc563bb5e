"""JP earned elsewhere: recorded with evidence by a participant or operator, decided by BKPSDM."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutu.accounts.models import Role
from mutu.domain.errors import MutuValueError
from mutu.people.models import Employee
from mutu.programs import access
from mutu.programs.forms import DecisionForm, ExternalJpForm
from mutu.programs.models import ApprovalStatus
from mutu.programs.services import external_jp_decide, external_jp_record
from mutu.programs.views._common import lang, refuse, require, scope_of


def _records_for_others(request: HttpRequest) -> bool:
    scope = scope_of(request)
    return scope.is_admin or scope.has(Role.UNIT_OPERATOR)


@login_required
def external_list(request: HttpRequest) -> HttpResponse:
    """JP from elsewhere in the user's scope; pending first. Administrators decide here."""
    scope = scope_of(request)
    require(scope.employee_id is not None or bool(scope.read_units) or scope.all_units)
    status = request.GET.get("status", "pending" if scope.is_admin else "")
    entries = access.external_entries_in_scope(scope).select_related("employee", "employee__unit")
    if status in ApprovalStatus.values:
        entries = entries.filter(approval_status=status)
    entries = entries.order_by("-created_at", "-pk")
    page = Paginator(entries, 50).get_page(request.GET.get("halaman"))
    return render(
        request,
        "programs/external_list.html",
        {
            "page": page,
            "status": status,
            "status_all": status not in ApprovalStatus.values,
            "statuses": ApprovalStatus.choices,
            "can_decide": access.may_decide_external(scope),
            "can_record": scope.employee_id is not None or _records_for_others(request),
            "decision_form": DecisionForm(),
            "show_people": scope.all_units or bool(scope.read_units),
        },
    )


@login_required
def external_new(request: HttpRequest) -> HttpResponse:
    """Record a course done elsewhere, with its certificate as evidence (pending approval)."""
    scope = scope_of(request)
    for_staff = _records_for_others(request)
    require(for_staff or scope.employee_id is not None)
    form = ExternalJpForm(request.POST or None, request.FILES or None, for_staff=for_staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employee_id = _employee_for(request, (data.get("nip") or "").strip())
            external_jp_record(
                employee_id=employee_id,
                title=data.get("title") or "",
                organiser=data.get("organiser") or "",
                start_date=data.get("start_date"),
                end_date=data.get("end_date"),
                jp=data.get("jp"),
                certificate_number=data.get("certificate_number") or "",
                evidence=request.FILES.get("evidence"),
                recorded_by=request.user,  # type: ignore[arg-type]
            )
        except MutuValueError as err:
            form.add_error(None, err.message(lang()))
        else:
            messages.success(request, _("Recorded. The JP count once BKPSDM approves them."))
            return redirect("programs:external_list")
    return render(request, "programs/external_new.html", {"form": form, "for_staff": for_staff})


def _employee_for(request: HttpRequest, nip: str) -> int:
    """The employee the JP are for: by NIP (staff, within their units) or the user themselves."""
    scope = scope_of(request)
    if not nip:
        if scope.employee_id is None:
            raise MutuValueError(
                "Isi NIP pegawai yang mengikuti pelatihan.",
                "Give the NIP of the employee who took the course.",
                field="nip",
            )
        return scope.employee_id
    employee = Employee.objects.filter(nip=nip).first()
    if employee is None or not access.may_record_external_for(scope, employee):
        raise MutuValueError(
            f"Tidak ada pegawai dengan NIP {nip} di unit Anda.",
            f"No employee with NIP {nip} in your units.",
            field="nip",
        )
    return employee.pk


@login_required
@require_POST
def external_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or reject (with a reason) one record: BKPSDM administrators only."""
    scope = scope_of(request)
    require(access.may_decide_external(scope))
    entry = get_object_or_404(access.external_entries_in_scope(scope), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("programs:external_list")
    try:
        external_jp_decide(
            entry_id=entry.pk,
            approved=form.cleaned_data["decision"] == "approve",
            decided_by=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data.get("reason") or "",
        )
    except MutuValueError as err:
        refuse(request, err)
    else:
        messages.success(request, _("Decision saved."))
    return redirect("programs:external_list")


@login_required
def external_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file, for its owner, the administrators and the unit's operators."""
    scope = scope_of(request)
    entry = get_object_or_404(
        access.external_entries_in_scope(scope).select_related("employee"), pk=pk
    )
    require(access.may_read_evidence(scope, entry) and bool(entry.evidence))
    try:
        handle = entry.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = mimetypes.guess_type(entry.evidence.name or "")[0] or "application/octet-stream"
    return FileResponse(handle, content_type=kind, filename=entry.evidence.name.rsplit("/", 1)[-1])
