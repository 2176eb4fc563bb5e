"""The planning pages: saved scenarios, a new one (the solver runs in the request), one, compared.

Administrators and analysts only (a plan is an aggregate; its named nominations
are not shown here); anyone else gets 403, a scenario that does not exist 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mutu.accounts.models import Role
from mutu.domain.errors import MutuValueError
from mutu.scenarios import pages
from mutu.scenarios.selectors import scenario_get, scenario_rows, scenarios_get
from mutu.scenarios.services import scenario_create

#: How many scenarios the compare page sets side by side.
COMPARE_MIN, COMPARE_MAX = 2, 3


def _require_planner(request: HttpRequest) -> None:
    if not request.scope.has(Role.ADMIN, Role.ANALYST):  # type: ignore[attr-defined]
        raise PermissionDenied


@login_required
@require_GET
def scenario_list(request: HttpRequest) -> HttpResponse:
    """The saved scenarios, with a choice of 2–3 to compare."""
    _require_planner(request)
    return render(request, "scenarios/list.html", {"rows": pages.list_rows(scenario_rows())})


@login_required
@require_http_methods(["GET", "POST"])
def scenario_new(request: HttpRequest) -> HttpResponse:
    """The form; on POST the plan is solved (about 25 s on the demo world) and saved."""
    _require_planner(request)
    error = ""
    status = 200
    values: dict[str, Any] = {"name": "", "year": "", "budget": "", "fairness_floor": ""}
    if request.method == "POST":
        values = {k: str(request.POST.get(k, ""))[:200] for k in values}
        try:
            scenario = scenario_create(
                name=values["name"],
                year=values["year"],
                budget=values["budget"],
                fairness_floor=values["fairness_floor"],
                created_by=request.user,  # type: ignore[arg-type]
            )
        except MutuValueError as err:
            error = err.message(get_language() or "id")
            # htmx swaps only 2xx answers: the form with its message comes back as 200 there.
            status = 200 if request.htmx else 400  # type: ignore[attr-defined]
        else:
            messages.success(request, _("Scenario saved: %(name)s") % {"name": scenario.name})
            target = reverse("scenarios:detail", args=[scenario.pk])
            if request.htmx:  # type: ignore[attr-defined]
                return HttpResponse(status=204, headers={"HX-Redirect": target})
            return redirect(target)
    return render(request, "scenarios/new.html", {"values": values, "error": error}, status=status)


@login_required
@require_GET
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One scenario: the plan per activity, the coverage curve, who stays below the floor."""
    _require_planner(request)
    scenario = scenario_get(pk)
    context = {"scenario": scenario, **pages.scenario_page(scenario)}
    return render(request, "scenarios/detail.html", context)


def parse_compare(values: list[str]) -> list[int]:
    """2–3 distinct scenario ids; anything else refused in both languages."""
    chosen: list[int] = []
    for raw in values:
        try:
            pk = int(raw)
        except ValueError as err:
            raise MutuValueError(
                f"Pilihan skenario tidak dikenal: {raw[:12]!r}.",
                f"Unknown scenario choice: {raw[:12]!r}.",
                field="s",
            ) from err
        if pk not in chosen:
            chosen.append(pk)
    if not COMPARE_MIN <= len(chosen) <= COMPARE_MAX:
        raise MutuValueError(
            f"Pilih {COMPARE_MIN} atau {COMPARE_MAX} skenario untuk dibandingkan.",
            f"Choose {COMPARE_MIN} or {COMPARE_MAX} scenarios to compare.",
            field="s",
        )
    return chosen


@login_required
@require_GET
def scenario_compare(request: HttpRequest) -> HttpResponse:
    """2–3 scenarios side by side: settings, cost, objective, people below the floor, curves."""
    _require_planner(request)
    raw = request.GET.getlist("s")
    context: dict[str, Any] = {"rows": scenario_rows(), "chosen": raw, "error": ""}
    if not raw:
        return render(request, "scenarios/compare.html", context)
    try:
        pks = parse_compare(raw)
    except MutuValueError as err:
        context["error"] = err.message(get_language() or "id")
        return render(request, "scenarios/compare.html", context, status=400)
    scenarios = scenarios_get(pks)
    context.update(
        scenarios=scenarios,
        table=pages.compare_table(scenarios),
        chart=pages.compare_chart(scenarios),
        chosen=[str(pk) for pk in pks],
    )
    return render(request, "scenarios/compare.html", context)
