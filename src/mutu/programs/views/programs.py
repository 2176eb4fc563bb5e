"""The program list (``/program/``) and one program's page (``/program/<pk>/``).

Who sees which program, what the figures count and when they are withheld is
written in :mod:`mutu.programs.program_selectors`; these views parse the
filters, call the selectors and render.  Anyone who may see no program at all
(trainer, participant, supervisor) gets 404, as for a program outside the scope.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mutu.programs import access
from mutu.programs.models import Activity
from mutu.programs.program_selectors import (
    ProgramFigures,
    may_list_programs,
    program_activities,
    program_budget_lines,
    program_goals,
    program_list,
    program_target_units,
    program_totals,
    program_years,
    programs_in_scope,
)
from mutu.programs.views._common import require, scope_of
from mutu.reporting.formatting import DEFAULT_PRIVACY_MINIMUM, suppressed_text

#: Longest search text taken (a longer one is cut, not refused).
SEARCH_MAX = 100


def default_year(years: list[int], today: int) -> int:
    """This year when a program runs in it; else the latest year before it; else the latest."""
    if today in years or not years:
        return today
    earlier = [y for y in years if y < today]
    return max(earlier) if earlier else max(years)


def requested_year(request: HttpRequest, years: list[int], fallback: int | None) -> int | None:
    """``?year=`` when it is one of ``years``; otherwise ``fallback``, with a message.

    An empty or missing ``year`` gives ``fallback`` silently.
    """
    raw = request.GET.get("year", "").strip()
    if not raw:
        return fallback
    try:
        year: int | None = int(raw)
    except ValueError:
        year = None
    if year is not None and year in years:
        return year
    shown = str(fallback) if fallback is not None else _("all years")
    messages.warning(
        request,
        _("There is no data for the year %(year)s; showing %(shown)s instead.")
        % {"year": raw[:8], "shown": shown},
    )
    return fallback


def _figures_rows(rows: Any) -> list[dict[str, Any]]:
    return [{"obj": row, "f": ProgramFigures.of(row)} for row in rows]


@login_required
def program_list_view(request: HttpRequest) -> HttpResponse:
    """Programs running in a year (default: this year, or the latest with programs), searchable."""
    scope = scope_of(request)
    require(may_list_programs(scope))
    scoped = programs_in_scope(scope)
    years = program_years(scoped)
    year = requested_year(request, years, default_year(years, timezone.localdate().year))
    assert year is not None
    search = request.GET.get("q", "").strip()[:SEARCH_MAX]
    page = Paginator(program_list(scoped, year=year, search=search), 50).get_page(
        request.GET.get("halaman")
    )
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "programs/program_list.html",
        {
            "year": year,
            "years": years or [year],
            "search": search,
            "page": page,
            "rows": _figures_rows(page.object_list),
            "query": query.urlencode(),
            "minimum": DEFAULT_PRIVACY_MINIMUM,
            "withheld_text": suppressed_text(DEFAULT_PRIVACY_MINIMUM),
        },
    )


@login_required
def program_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One program: goals, target units, figures, activities, budget lines (all years or one)."""
    scope = scope_of(request)
    require(may_list_programs(scope))
    program = get_object_or_404(programs_in_scope(scope).select_related("owner_unit"), pk=pk)
    years = sorted(range(program.period_start.year, program.period_end.year + 1), reverse=True)
    year = requested_year(request, years, None)
    activities = _figures_rows(program_activities(program, year))
    reachable = set(
        access.activities_in_scope(scope, Activity.objects.filter(program=program)).values_list(
            "pk", flat=True
        )
    )
    for row in activities:
        row["linked"] = row["obj"].pk in reachable
    lines = list(program_budget_lines(program, year))
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "year": year,
            "years": years,
            "totals": program_totals(program, year),
            "goals": program_goals(program),
            "targets": program_target_units(program),
            "activities": activities,
            "lines": lines,
            "lines_planned": sum((line.planned_amount for line in lines), start=0),
            "lines_spent": sum((line.spent for line in lines), start=0),  # type: ignore[attr-defined]
            "minimum": DEFAULT_PRIVACY_MINIMUM,
            "withheld_text": suppressed_text(DEFAULT_PRIVACY_MINIMUM),
        },
    )
