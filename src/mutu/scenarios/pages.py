"""What the scenario pages show, already formatted (tiles, tables, charts).

Built from a scenario's stored plan JSON with the dashboard's blocks
(:mod:`mutu.dashboard.blocks`), so numbers read as on the dashboards and in the
report; every figure keeps the JSON Pointer of its value in the plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from mutu.dashboard.blocks import (
    Cell,
    Chart,
    Kpi,
    Table,
    columns,
    fmt,
    number,
    series_number,
    text,
)
from mutu.reporting.compose.source import Results
from mutu.reporting.formatting import active_lang
from mutu.reporting.model import ChartSpec, Series
from mutu.scenarios.models import PlanScenario
from mutu.scenarios.selectors import ScenarioRow

#: How many units a row of the activity table names before "and N more".
UNITS_SHOWN = 6


def policy_label(name: str) -> str:
    labels = {
        "none": _("No offer"),
        "everyone": _("Everyone nominated"),
        "far": _("Nominees working far from the capital"),
        "predicted_low": _("Those least likely to attend (model)"),
        "as_offered": _("As offered in the reference year"),
    }
    return labels.get(name, name)


def one_language(message: str) -> str:
    """The active language's half of an ``"indonesia / english"`` message."""
    if " / " not in message:
        return message
    first, second = message.split(" / ", 1)
    return second if active_lang() == "en" else first


def percent_gap(gap: float | None) -> str:
    return fmt(gap, "percent", 2)


def kpis(plan: Mapping[str, Any]) -> list[Kpi]:
    res = Results(plan)
    seats = sum(int(a.get("seats") or 0) for _i, a in res.records("activities"))
    classes = sum(int(a.get("classes") or 0) for _i, a in res.records("activities"))
    return [
        Kpi(_("Budget"), fmt(res.value("budget"), "rupiah", 0, compact=True), source="/budget"),
        Kpi(
            _("Total cost"),
            fmt(res.value("total_cost"), "rupiah", 0, compact=True),
            _("%(classes)s classes, %(seats)s seats")
            % {"classes": fmt(classes, "count", 0), "seats": fmt(seats, "count", 0)},
            source="/total_cost",
        ),
        Kpi(
            _("Objective (needs covered)"),
            fmt(res.value("objective"), "decimal", 1),
            _("bound %(bound)s; gap at most %(gap)s")
            % {
                "bound": fmt(res.value("bound"), "decimal", 1),
                "gap": percent_gap(res.value("mip_gap")),
            },
            source="/objective",
        ),
        Kpi(
            _("PNS below %(floor)s JP after the plan")
            % {"floor": fmt(res.value("below_20jp", "floor_jp"), "count", 0)},
            fmt(res.value("below_20jp", "after"), "count", 0),
            _("before: %(before)s")
            % {"before": fmt(res.value("below_20jp", "before"), "count", 0)},
            source="/below_20jp/after",
            tone="good" if res.value("below_20jp", "after") == 0 else "",
        ),
    ]


def solver_note(plan: Mapping[str, Any]) -> str:
    """How close to the best plan this one is proven to be, said as it is."""
    res = Results(plan)
    gap, bound, status = res.value("mip_gap"), res.value("bound"), str(plan.get("status", ""))
    if gap is None or bound is None:
        return _(
            "The solver found this plan but proved no bound (%(status)s): how far it is from "
            "the best possible plan is unknown."
        ) % {"status": status}
    if gap <= 1e-9:
        return _(
            "The solver proved this plan optimal (%(status)s): no plan within the budget covers "
            "more needs."
        ) % {"status": status}
    return _(
        "The solver stopped (%(status)s) with a proven gap of %(gap)s: the best possible plan "
        "covers at most %(bound)s, so this plan may fall short of it by up to that share. "
        "The other points of the curve were solved by LP rounding; their gaps are in the table."
    ) % {"status": status, "gap": percent_gap(gap), "bound": fmt(bound, "decimal", 1)}


def _units_text(per_unit: Mapping[str, Any]) -> tuple[str, str]:
    """The units with most seats ("RSUD 209, PUPR 37, …") and the rest counted."""
    ranked = sorted(per_unit.items(), key=lambda kv: (-float(kv[1] or 0), kv[0]))
    shown = ", ".join(f"{unit} {fmt(n, 'count', 0)}" for unit, n in ranked[:UNITS_SHOWN])
    rest = len(ranked) - UNITS_SHOWN
    more = _("and %(n)s more units") % {"n": fmt(rest, "count", 0)} if rest > 0 else ""
    return shown or "–", more


def activity_table(plan: Mapping[str, Any]) -> Table:
    res = Results(plan)
    rows = []
    ordered = sorted(res.records("activities"), key=lambda r: -float(r[1].get("cost") or 0))
    for i, act in ordered:
        units, more = _units_text(act.get("seats_per_unit") or {})
        base = f"/activities/{i}"
        rows.append(
            (
                text(str(act.get("activity", ""))),
                number(res.value("activities", i, "classes"), "count", 0, source=f"{base}/classes"),
                number(res.value("activities", i, "seats"), "count", 0, source=f"{base}/seats"),
                Cell(units, sub=more),
                number(res.value("activities", i, "cost"), "rupiah", 0, source=f"{base}/cost"),
                number(
                    res.value("activities", i, "expected_jp"), "jp", 0, source=f"{base}/expected_jp"
                ),
                number(res.value("activities", i, "weight"), "decimal", 2, source=f"{base}/weight"),
            )
        )
    return Table(
        columns(
            _("Activity"),
            (_("Classes"), True),
            (_("Seats"), True),
            _("Seats per unit"),
            (_("Cost"), True),
            (_("Expected JP"), True),
            (_("Effectiveness weight"), True),
        ),
        tuple(rows),
        _(
            "Activities of the plan, most costly first; expected JP = seats × measured "
            "attendance × JP."
        ),
        _("The plan holds no activity."),
    )


def _budget_label(value: float | None) -> str:
    return fmt(value, "rupiah", 0, compact=True)


def curve_chart(plan: Mapping[str, Any], chart_id: str = "ch-curve") -> Chart | None:
    """Objective (and its proven bound) against the budget: what one more rupiah buys."""
    res = Results(plan)
    points = list(res.records("coverage_curve"))
    if not points:
        return None
    base = "coverage_curve"
    spec = ChartSpec(
        "line",
        tuple(_budget_label(res.value(base, i, "budget")) for i, _p in points),
        (
            Series(
                _("Needs covered (objective)"),
                tuple(
                    series_number(
                        res.value(base, i, "objective"), "decimal", 1, f"/{base}/{i}/objective"
                    )
                    for i, _p in points
                ),
                emphasis=True,
            ),
            Series(
                _("Proven bound"),
                tuple(
                    series_number(res.value(base, i, "bound"), "decimal", 1, f"/{base}/{i}/bound")
                    for i, _p in points
                ),
            ),
        ),
        x_label=_("Budget"),
        y_label=_("Needs covered"),
        value_kind="decimal",
        digits=0,
    )
    return Chart(
        chart_id,
        spec,
        _("Coverage of needs against the budget, from half to twice the given budget"),
        _("Line chart of the objective and its bound at each budget of the curve."),
        f"/{base}",
    )


def curve_table(plan: Mapping[str, Any]) -> Table:
    res = Results(plan)
    rows = []
    for i, point in res.records("coverage_curve"):
        base = ("coverage_curve", i)
        rows.append(
            (
                number(
                    res.value(*base, "share"), "percent", 0, source=f"/coverage_curve/{i}/share"
                ),
                number(
                    res.value(*base, "budget"), "rupiah", 0, source=f"/coverage_curve/{i}/budget"
                ),
                number(
                    res.value(*base, "objective"),
                    "decimal",
                    1,
                    source=f"/coverage_curve/{i}/objective",
                ),
                number(
                    res.value(*base, "total_cost"),
                    "rupiah",
                    0,
                    source=f"/coverage_curve/{i}/total_cost",
                ),
                number(
                    res.value(*base, "mip_gap"), "percent", 2, source=f"/coverage_curve/{i}/mip_gap"
                ),
                text(str(point.get("method") or "–")),
            )
        )
    return Table(
        columns(
            (_("Share of budget"), True),
            (_("Budget"), True),
            (_("Objective"), True),
            (_("Cost"), True),
            (_("Gap to bound"), True),
            _("Method"),
        ),
        tuple(rows),
        "",
        _("The plan holds no coverage curve."),
    )


def below_table(plan: Mapping[str, Any]) -> Table:
    res = Results(plan)
    b = ("below_20jp",)
    return Table(
        columns("", (_("Before the plan"), True), (_("After the plan"), True)),
        (
            (
                text(_("PNS below the floor")),
                number(res.value(*b, "before"), "count", 0, source="/below_20jp/before"),
                number(res.value(*b, "after"), "count", 0, source="/below_20jp/after"),
            ),
            (
                text(_("JP short of the floor, in total")),
                number(
                    res.value(*b, "jp_deficit_before"),
                    "jp",
                    0,
                    source="/below_20jp/jp_deficit_before",
                ),
                number(
                    res.value(*b, "jp_deficit_after"),
                    "jp",
                    0,
                    source="/below_20jp/jp_deficit_after",
                ),
            ),
        ),
        _("The floor is %(floor)s per PNS per year (jp rulebook); seats are counted as taken.")
        % {"floor": fmt(res.value(*b, "floor_jp"), "jp", 0)},
    )


def _interval(d: Any, kind: str, digits: int) -> str:
    if not isinstance(d, Mapping) or d.get("mean") is None:
        return "–"
    return _("%(mean)s (%(low)s to %(high)s)") % {
        "mean": fmt(d.get("mean"), kind, digits),  # type: ignore[arg-type]
        "low": fmt(d.get("ci_low"), kind, digits, unit=False),  # type: ignore[arg-type]
        "high": fmt(d.get("ci_high"), kind, digits, unit=False),  # type: ignore[arg-type]
    }


def participation_facts(participation: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The non-attendance model's held-out AUC and the incentive policies, with intervals."""
    if not participation:
        return None
    res = Results(participation)
    auc = ("model", "validation", "auc")
    auc_text = "–"
    if res.value(*auc, "auc") is not None:
        auc_text = _("%(auc)s (95%% CI %(low)s to %(high)s, DeLong)") % {
            "auc": fmt(res.value(*auc, "auc"), "decimal", 3),
            "low": fmt(res.value(*auc, "ci_low"), "decimal", 3),
            "high": fmt(res.value(*auc, "ci_high"), "decimal", 3),
        }
    rows = []
    for _i, row in res.records("policies"):
        rows.append(
            (
                text(policy_label(str(row.get("policy", "")))),
                number(_number(row.get("n_offered")), "count", 0),
                Cell(_interval(row.get("extra_attendance"), "decimal", 0), numeric=True),
                Cell(_interval(row.get("uplift_pp_per_offer"), "percent_points", 1), numeric=True),
                Cell(_interval(row.get("extra_jp"), "jp", 0), numeric=True),
                Cell(_interval(row.get("cost"), "rupiah", 0), numeric=True),
            )
        )
    return {
        "auc": auc_text,
        "split": str(res.get("model", "validation", "split") or ""),
        "table": Table(
            columns(
                _("Incentive policy"),
                (_("Offers"), True),
                (_("Extra attendances"), True),
                (_("Uplift per offer"), True),
                (_("Extra JP"), True),
                (_("Cost"), True),
            ),
            tuple(rows),
            _("Mean over the simulation draws, with the 95% interval in brackets."),
            _("No incentive policy was simulated."),
        ),
    }


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def scenario_page(scenario: PlanScenario) -> dict[str, Any]:
    plan = scenario.plan if isinstance(scenario.plan, Mapping) else {}
    return {
        "fairness_floor_text": fmt(scenario.fairness_floor, "percent", 1),
        "kpis": kpis(plan),
        "solver_note": solver_note(plan),
        "activities": activity_table(plan),
        "curve": curve_chart(plan),
        "curve_table": curve_table(plan),
        "below": below_table(plan),
        "participation": participation_facts(scenario.participation),
        "warnings": [one_language(str(w)) for w in plan.get("warnings") or []],
    }


def compare_table(scenarios: Sequence[PlanScenario]) -> Table:
    """One column per scenario, one row per headline figure."""
    plans = [Results(s.plan if isinstance(s.plan, Mapping) else {}) for s in scenarios]

    def row(label: str, key: tuple[str, ...], kind: str, digits: int) -> tuple[Cell, ...]:
        return (
            text(label),
            *(
                number(p.value(*key), kind, digits, source="/" + "/".join(key))  # type: ignore[arg-type]
                for p in plans
            ),
        )

    seats = tuple(
        number(sum(float(a.get("seats") or 0) for _i, a in p.records("activities")), "count", 0)
        for p in plans
    )
    return Table(
        columns("", *((f"{s.name} (#{s.pk})", True) for s in scenarios)),
        (
            (text(_("Plan year")), *(text(str(s.year)) for s in scenarios)),
            row(_("Budget"), ("budget",), "rupiah", 0),
            (
                text(_("Fairness floor")),
                *(number(s.fairness_floor, "percent", 1) for s in scenarios),
            ),
            row(_("Total cost"), ("total_cost",), "rupiah", 0),
            row(_("Objective (needs covered)"), ("objective",), "decimal", 1),
            row(_("Proven bound"), ("bound",), "decimal", 1),
            row(_("Gap to bound"), ("mip_gap",), "percent", 2),
            (text(_("Seats")), *seats),
            row(_("PNS below the floor before"), ("below_20jp", "before"), "count", 0),
            row(_("PNS below the floor after"), ("below_20jp", "after"), "count", 0),
            row(_("JP short of the floor after"), ("below_20jp", "jp_deficit_after"), "jp", 0),
        ),
    )


def compare_chart(scenarios: Sequence[PlanScenario]) -> Chart | None:
    """Every scenario's coverage curve on one chart, over the union of their budgets."""
    curves = []
    budgets: set[float] = set()
    for s in scenarios:
        res = Results(s.plan if isinstance(s.plan, Mapping) else {})
        points = {}
        for i, _p in res.records("coverage_curve"):
            budget, objective = (
                res.value("coverage_curve", i, "budget"),
                res.value("coverage_curve", i, "objective"),
            )
            if budget is not None:
                points[budget] = (objective, f"/coverage_curve/{i}/objective")
                budgets.add(budget)
        curves.append((s, points))
    if not budgets:
        return None
    axis = sorted(budgets)
    series = tuple(
        Series(
            f"{s.name} (#{s.pk})",
            tuple(
                series_number(points[b][0], "decimal", 1, points[b][1]) if b in points else None
                for b in axis
            ),
            emphasis=False,
        )
        for s, points in curves
    )
    spec = ChartSpec(
        "line",
        tuple(_budget_label(b) for b in axis),
        series,
        x_label=_("Budget"),
        y_label=_("Needs covered"),
        value_kind="decimal",
        digits=0,
    )
    return Chart(
        "ch-compare",
        spec,
        _("Coverage of needs against the budget, one line per scenario"),
        _("Line chart of each scenario's objective at each budget of its curve."),
    )


def list_rows(rows: Sequence[ScenarioRow]) -> list[dict[str, Any]]:
    """The saved scenarios with their figures formatted in the active language."""
    return [
        {
            "pk": r.pk,
            "name": r.name,
            "year": r.year,
            "created_at": r.created_at,
            "created_by": r.created_by,
            "budget_text": fmt(r.budget, "rupiah", 0, compact=True),
            "cost_text": fmt(r.total_cost, "rupiah", 0, compact=True),
            "objective_text": fmt(r.objective, "decimal", 1),
            "below_text": fmt(r.below_after, "count", 0),
        }
        for r in rows
    ]
