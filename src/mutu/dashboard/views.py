"""Dashboards drillable from regency → unit → activity → person, for a chosen year.

Every view needs a signed-in user and checks the user's scope; a unit,
activity or person outside it answers 404, never revealing that it exists.
Figures of the evaluation come from the latest stored run
(:func:`mutu.evaluations.selectors.stored_evaluation`, parsed once per
process); the live lists (people, activities, JP ledger) from the selectors.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mutu.accounts.models import Role
from mutu.accounts.scope import Scope
from mutu.dashboard.activity import activity_kpis, learning_panel, reaction_panel
from mutu.dashboard.person import person_context
from mutu.dashboard.regency import regency_page
from mutu.dashboard.tree import UnitTree
from mutu.dashboard.unit import (
    activities_panel,
    people_panel,
    period,
    subunits_panel,
    unit_indices,
    unit_kpis,
    unit_trend_panels,
)
from mutu.domain.jp import pns_min_jp
from mutu.evaluations.selectors import StoredEvaluation, stored_evaluation
from mutu.people.selectors import person_detail, unit_headcounts, unit_nodes, unit_people
from mutu.programs.models import Activity, EnrollmentStatus
from mutu.programs.selectors import (
    activities_by_ids,
    activity_detail,
    activity_participants,
    activity_reaches_units,
    activity_sessions,
    data_years,
    jp_totals,
    unit_activity_participation,
)
from mutu.reference.models import LoadedWorld
from mutu.reporting.compose.source import Results
from mutu.reporting.formatting import DEFAULT_PRIVACY_MINIMUM, format_date

# --- year and evaluation -------------------------------------------------------------------


def privacy_minimum(ev: StoredEvaluation | None) -> int:
    """The evaluation plan's privacy minimum (default 5)."""
    plan = ev.results.get("plan") if ev is not None else None
    value = plan.get("privacy_minimum") if isinstance(plan, dict) else None
    return int(value) if isinstance(value, int) and value > 0 else DEFAULT_PRIVACY_MINIMUM


def results_of(ev: StoredEvaluation | None) -> Results | None:
    if ev is None:
        return None
    return Results(ev.results, privacy_minimum=privacy_minimum(ev))


def requested_year(request: HttpRequest, years: list[int], default: int) -> int:
    """``?tahun=`` when it is one of ``years``; otherwise ``default`` (with a message)."""
    raw = request.GET.get("tahun", "").strip()
    if not raw:
        return default
    try:
        year = int(raw)
    except ValueError:
        year = None
    if year in years:
        assert year is not None
        return year
    messages.warning(
        request,
        _("There is no data for the year %(year)s; showing %(shown)s instead.")
        % {"year": raw[:8], "shown": default},
    )
    return default


def evaluation_and_year(
    request: HttpRequest, default: int | None = None, extra_years: list[int] | None = None
) -> tuple[StoredEvaluation | None, list[int], int]:
    """The stored evaluation for the chosen year, the years to choose from, and the year."""
    latest = stored_evaluation()
    years = list(latest.years) if latest is not None else []
    if extra_years is not None or not years:
        years = sorted(set(years) | set(extra_years if extra_years is not None else data_years()))
    if not years:
        years = [timezone.localdate().year]
    fallback = default if default in years else years[-1]
    assert fallback is not None
    year = requested_year(request, years, fallback)
    ev = latest
    if latest is not None and year != latest.evaluated_year:
        ev = stored_evaluation(year)
    return ev, years, year


def with_year(url: str, year: int) -> str:
    return f"{url}?{urlencode({'tahun': year})}"


def scope_of(request: HttpRequest) -> Scope:
    scope: Scope = request.scope  # type: ignore[attr-defined]
    return scope


def base_context(
    request: HttpRequest, ev: StoredEvaluation | None, years: list[int], year: int
) -> dict[str, Any]:
    return {
        "years": list(reversed(years)),
        "year": year,
        "run": ev.run if ev is not None else None,
        "evaluated_year": ev.evaluated_year if ev is not None else None,
        "synthetic": LoadedWorld.objects.exists(),
        "is_admin": scope_of(request).is_admin,
    }


# --- home: each role to its door --------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Admin and analyst: the regency; unit roles: their unit; people: their page."""
    scope = scope_of(request)
    if scope.sees_regency:
        return regency(request)
    query = request.GET.get("tahun", "")
    suffix = f"?{urlencode({'tahun': query})}" if query else ""
    if scope.read_units:
        tree = UnitTree(unit_nodes())
        roots = [
            tree.nodes[pk]
            for pk in scope.read_units
            if pk in tree.nodes and tree.nodes[pk].parent_id not in scope.read_units
        ]
        if len(roots) == 1:
            return redirect(reverse("dashboard:unit", args=[roots[0].code]) + suffix)
        return render(
            request,
            "dashboard/units.html",
            {"units": sorted(roots, key=lambda n: n.name), "suffix": suffix},
        )
    if scope.employee_id is not None:
        return redirect(reverse("dashboard:person", args=[scope.employee_id]) + suffix)
    if scope.activities:
        return render(
            request,
            "dashboard/trainer.html",
            {"activities": activities_by_ids(scope.activities)},
        )
    return render(request, "dashboard/no_role.html")


def regency(request: HttpRequest) -> HttpResponse:
    ev, years, year = evaluation_and_year(request)
    context = base_context(request, ev, years, year)
    res = results_of(ev)
    if res is not None:
        tree = UnitTree(unit_nodes())
        page = regency_page(
            res, year, tree, lambda code: with_year(reverse("dashboard:unit", args=[code]), year)
        )
        context.update(kpis=page.kpis, panels=page.panels)
    return render(request, "dashboard/regency.html", context)


# --- unit -----------------------------------------------------------------------------


@login_required
def unit(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_of(request)
    tree = UnitTree(unit_nodes())
    node = tree.by_code.get(code)
    if node is None or not scope.can_read_unit(node.pk):
        raise Http404
    ev, years, year = evaluation_and_year(request)
    res = results_of(ev)
    minimum = privacy_minimum(ev)
    subtree = tree.subtree(node.pk)
    headcounts = unit_headcounts(n.pk for n in subtree)
    floor = float(pns_min_jp())
    kpis: list[Any] = []
    panels: list[Any] = []
    if res is not None:
        ix = unit_indices(res, tree, node, year)
        floor = ix.floor
        kpis = unit_kpis(ix, minimum, sum(headcounts.values()))
        panels = unit_trend_panels(res, ix, node.name)
    people = unit_people(node.pk, year)
    jp = jp_totals((p["pk"] for p in people), year)
    sub = subunits_panel(
        res,
        tree,
        node,
        year,
        headcounts,
        lambda c: with_year(reverse("dashboard:unit", args=[c]), year),
    )
    live = [
        activities_panel(
            unit_activity_participation([n.pk for n in subtree], year),
            year,
            minimum,
            lambda c: with_year(reverse("dashboard:activity", args=[c]), year),
        ),
        people_panel(
            people,
            jp,
            year,
            floor,
            lambda pk: with_year(reverse("dashboard:person", args=[pk]), year),
        ),
    ]
    if sub is not None:
        live.append(sub)
    crumbs = [
        {"name": a.name, "url": with_year(reverse("dashboard:unit", args=[a.code]), year)}
        for a in tree.ancestors(node.pk)
        if scope.can_read_unit(a.pk)
    ]
    context = base_context(request, ev, years, year)
    context.update(
        node=node,
        crumbs=crumbs,
        kpis=kpis,
        panels=panels,
        live=live,
        regency_url=with_year(reverse("dashboard:home"), year) if scope.sees_regency else "",
    )
    return render(request, "dashboard/unit.html", context)


# --- activity ---------------------------------------------------------------------------


def can_read_activity(scope: Scope, activity: Activity) -> bool:
    """Admin and analyst; the activity's trainer; a unit role whose units take part."""
    if scope.all_units or activity.pk in scope.activities:
        return True
    if scope.has(Role.UNIT_HEAD, Role.UNIT_OPERATOR) and scope.read_units:
        return activity_reaches_units(activity, scope.read_units)
    return False


def can_read_person(scope: Scope, employee_id: int, unit_id: int | None) -> bool:
    return (
        scope.can_read_unit(unit_id)
        or employee_id == scope.employee_id
        or employee_id in scope.staff_ids
    )


@login_required
def activity(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_of(request)
    act = activity_detail(code)
    if act is None or not can_read_activity(scope, act):
        raise Http404
    ev, years, year = evaluation_and_year(request, default=act.start_date.year)
    res = results_of(ev)
    sessions = activity_sessions(act.pk)
    participants = activity_participants(act.pk)
    sees_all = scope.all_units or act.pk in scope.activities
    shown = [p for p in participants if sees_all or scope.can_read_unit(p["unit_id"])]
    status_labels = dict(EnrollmentStatus.choices)
    rows = [
        {
            **p,
            "url": with_year(reverse("dashboard:person", args=[p["employee_id"]]), year)
            if can_read_person(scope, p["employee_id"], p["unit_id"])
            else "",
            "status_label": status_labels.get(p["status"], p["status"]),
            "completed": p["status"] == EnrollmentStatus.COMPLETED,
        }
        for p in shown
    ]
    session_rows = [
        {
            "no": i,
            "day": format_date(timezone.localtime(s.starts_at).date()),
            "time": f"{timezone.localtime(s.starts_at):%H:%M}–"
            f"{timezone.localtime(s.ends_at):%H:%M}",
            "topic": s.topic,
            "trainer": s.trainer_name,
            "present": s.n_present,  # type: ignore[attr-defined]
        }
        for i, s in enumerate(sessions, start=1)
    ]
    context = base_context(request, ev, years, year)
    context.update(
        activity=act,
        dates=period(act.start_date, act.end_date),
        sessions=session_rows,
        participants=rows,
        n_participants=len(participants),
        n_hidden=len(participants) - len(shown),
        n_sessions=len(sessions),
        kpis=activity_kpis(res, act.code),
        panels=[reaction_panel(res, act.code), learning_panel(res, act.code)]
        if res is not None
        else [],
        regency_url=with_year(reverse("dashboard:home"), year) if scope.sees_regency else "",
    )
    return render(request, "dashboard/activity.html", context)


# --- person -----------------------------------------------------------------------------


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    employee = person_detail(pk)
    if employee is None or not scope.can_read_employee(employee):
        raise Http404
    ev, years, year = evaluation_and_year(request, extra_years=data_years())
    res = results_of(ev)
    floor = res.value("indices", "regency", str(year), "jp", "floor_jp") if res else None
    context = base_context(request, ev, years, year)
    context.update(
        person_context(employee, year, floor if floor is not None else float(pns_min_jp()))
    )
    context.update(
        unit_url=with_year(reverse("dashboard:unit", args=[employee.unit.code]), year)
        if scope.can_read_unit(employee.unit_id)
        else "",
        supervisor_url=with_year(reverse("dashboard:person", args=[employee.supervisor_id]), year)
        if employee.supervisor is not None and scope.can_read_employee(employee.supervisor)
        else "",
        own=employee.pk == scope.employee_id,
        regency_url=with_year(reverse("dashboard:home"), year) if scope.sees_regency else "",
        today=dt.date.today(),
    )
    return render(request, "dashboard/person.html", context)
