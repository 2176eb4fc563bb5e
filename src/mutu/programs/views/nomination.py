"""Nominating participants (admin, unit operators for their units) and confirming registration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mutu.accounts.models import Role
from mutu.accounts.scope import unit_subtree
from mutu.domain.errors import MutuValueError
from mutu.domain.jp import pns_min_jp
from mutu.people.models import Unit
from mutu.programs import access
from mutu.programs.forms import NominationFilterForm
from mutu.programs.selectors import nomination_candidates
from mutu.programs.services import enrollment_nominate, enrollment_register
from mutu.programs.views._common import activity_or_404, int_list, refuse, require, scope_of

#: Rows shown at once; a narrower filter shows the rest.
CANDIDATE_LIMIT = 300


@login_required
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    """Filter employees by unit, position, JP deficit and competency gap; tick and nominate."""
    scope = scope_of(request)
    activity = activity_or_404(request, pk)
    require(scope.is_admin or scope.has(Role.UNIT_OPERATOR))
    is_open = access.may_nominate(scope, activity)
    units = access.nominable_employees(scope).values("unit_id")
    unit_rows = Unit.objects.filter(pk__in=units).order_by("code").values_list("pk", "name")
    data = request.POST if request.method == "POST" else request.GET
    form = NominationFilterForm(
        data if data.get("filtered") else None, units=[(pk_, name) for pk_, name in unit_rows]
    )
    unit_ids = None
    filters = {}
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data.get("unit")
        if chosen:
            unit_ids = (
                unit_subtree([chosen]) if form.cleaned_data.get("subunits") else frozenset([chosen])
            )
        filters = {
            "position_kind": form.cleaned_data.get("position_kind") or "",
            "position_text": form.cleaned_data.get("position") or "",
            "jp_deficit_only": bool(form.cleaned_data.get("jp_deficit")),
            "gap_only": bool(form.cleaned_data.get("gap")),
        }
    if request.method == "POST" and is_open:
        ids = int_list(request.POST.getlist("employee"))
        allowed = access.nominable_employees(scope)
        try:
            if ids is None or allowed.filter(pk__in=ids).count() != len(set(ids)):
                raise MutuValueError(
                    "Ada pegawai terpilih di luar unit Anda; muat ulang halaman.",
                    "Some chosen employees are outside your units; reload the page.",
                )
            result = enrollment_nominate(
                activity_id=activity.pk, employee_ids=ids, nominated_by_id=scope.employee_id
            )
        except MutuValueError as err:
            refuse(request, err)
        else:
            text = ngettext(
                "%(n)d employee nominated.", "%(n)d employees nominated.", result.created
            ) % {"n": result.created}
            if result.already_enrolled:
                text += " " + _("%(n)d were already enrolled.") % {"n": result.already_enrolled}
            messages.success(request, text)
            return redirect("programs:activity", pk=activity.pk)
    candidates, total = nomination_candidates(
        access.nominable_employees(scope),
        activity,
        unit_ids=unit_ids,
        limit=CANDIDATE_LIMIT,
        **filters,  # type: ignore[arg-type]
    )
    return render(
        request,
        "programs/nominate.html",
        {
            "activity": activity,
            "form": form,
            "candidates": candidates,
            "total": total,
            "limit": CANDIDATE_LIMIT,
            "is_open": is_open,
            "year": activity.start_date.year,
            "floor": pns_min_jp(),
            "targets": list(activity.program.target_competencies.values_list("name", flat=True)),
        },
    )


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the registration of ticked nominees (a nominee may confirm their own)."""
    scope = scope_of(request)
    activity = activity_or_404(request, pk)
    ids = int_list(request.POST.getlist("enrollment"))
    require(ids is not None)
    assert ids is not None
    visible = access.visible_enrollments(scope, activity).select_related("employee")
    rows = list(visible.filter(pk__in=ids))
    require(len(rows) == len(set(ids)))
    target = request.POST.get("next") or reverse("programs:activity", args=[activity.pk])
    # Only a path: redirect() would read any other text as a view name (NoReverseMatch, a 500).
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = reverse("programs:activity", args=[activity.pk])
    require(all(access.may_register(scope, e) for e in rows))
    try:
        n = enrollment_register(enrollment_ids=[e.pk for e in rows])
    except MutuValueError as err:
        refuse(request, err)
    else:
        messages.success(
            request,
            ngettext("%(n)d registration confirmed.", "%(n)d registrations confirmed.", n)
            % {"n": n},
        )
    return redirect(target)
