"""Sections 5 and 6 on the two challenges the program names: a small budget and low participation.

Read from two optional parts of the results dict, added by ``mutu report`` from
the latest saved plan scenario of the report year (never from the database
here): ``planning`` — the plan JSON of ``mutu plan`` (budget, cost, objective,
its proven bound and gap, people below the JP floor, the coverage curve, the
activities) — and ``participation_analysis`` — the JSON of ``mutu
participation`` (the non-attendance model's held-out AUC, the incentive
policies simulated with their intervals). Every number keeps its JSON Pointer;
without a scenario the report says that planning has not been run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from mutu.reporting.compose.estimands import interval
from mutu.reporting.compose.source import Key, Results, join, sentence
from mutu.reporting.formatting import format_value
from mutu.reporting.model import (
    Block,
    Bullets,
    ChartSpec,
    Figure,
    Inline,
    NumberKind,
    Paragraph,
    Series,
)

PLAN = "planning"
PART = "participation_analysis"
#: Policies compared for the recommendation (``none`` is the baseline, ``as_offered`` the past).
TARGETED = ("everyone", "far", "predicted_low")
#: How many activities the "next rupiah" recommendation names.
TOP_ACTIVITIES = 3


def has_planning(res: Results) -> bool:
    return isinstance(res.get(PLAN), Mapping) and res.value(PLAN, "objective") is not None


def has_participation(res: Results) -> bool:
    return isinstance(res.get(PART), Mapping)


def _drawn(res: Results, *keys: Key, kind: NumberKind, digits: int) -> tuple[Inline, ...]:
    """``218 (95% interval 173 to 260)`` for a ``{mean, ci_low, ci_high}`` of simulation draws."""
    return sentence(
        _("%(mean)s (%(level)s interval %(low)s to %(high)s)"),
        level="95%",
        mean=res.num(*keys, "mean", kind=kind, digits=digits),
        low=res.num(*keys, "ci_low", kind=kind, digits=digits, unit=False),
        high=res.num(*keys, "ci_high", kind=kind, digits=digits, unit=False),
    )


def policy_name(res: Results, index: int) -> tuple[Inline, ...]:
    """The policy of ``policies[index]`` in words (its thresholds from the settings)."""
    name = res.get(PART, "policies", index, "policy")
    if name == "everyone":
        return (_("offer every nominee"),)
    if name == "far" and res.value(PART, "settings", "far_km") is not None:
        return sentence(
            _("offer nominees working more than %(km)s km from the capital"),
            km=res.num(PART, "settings", "far_km", kind="decimal", digits=0),
        )
    if name == "predicted_low" and res.value(PART, "settings", "low_share") is not None:
        return sentence(
            _("offer the %(share)s of nominees the model finds least likely to attend"),
            share=res.num(PART, "settings", "low_share", kind="percent", digits=0),
        )
    if name == "as_offered":
        return (_("offer as in the reference year"),)
    if name == "none":
        return (_("no offer"),)
    return (str(name),)


# --------------------------------------------------------------------------- section 5


def _budget_paragraph(res: Results) -> Paragraph:
    below = (PLAN, "below_20jp")
    scenario = res.get("planning_scenario", "name")
    lead = sentence(
        _("Budget and the JP floor (plan for %(year)s%(scenario)s):"),
        year=str(res.get(PLAN, "year") or "–"),
        scenario=f", “{scenario}”" if isinstance(scenario, str) else "",
    )
    before = sentence(
        _(
            "before the plan, %(before)s PNS are below the floor of %(floor)s a year, "
            "%(deficit)s short in total."
        ),
        before=res.num(*below, "before", kind="count", digits=0),
        floor=res.num(*below, "floor_jp", kind="jp", digits=0),
        deficit=res.num(*below, "jp_deficit_before", kind="jp", digits=0),
    )
    bought = sentence(
        _(
            "The budget of %(budget)s buys a plan costing %(cost)s that leaves %(after)s PNS "
            "below the floor (%(deficit)s short) and covers needs worth %(objective)s "
            "(the optimiser's objective)."
        ),
        budget=res.num(PLAN, "budget", kind="rupiah", compact=True),
        cost=res.num(PLAN, "total_cost", kind="rupiah", compact=True),
        after=res.num(*below, "after", kind="count", digits=0),
        deficit=res.num(*below, "jp_deficit_after", kind="jp", digits=0),
        objective=res.num(PLAN, "objective", kind="decimal", digits=1),
    )
    if res.value(PLAN, "mip_gap") is not None and res.value(PLAN, "bound") is not None:
        gap = sentence(
            _(
                "The solver proved that no plan within the budget covers more than %(bound)s: "
                "this plan is at most %(gap)s short of the best."
            ),
            bound=res.num(PLAN, "bound", kind="decimal", digits=1),
            gap=res.num(PLAN, "mip_gap", kind="percent", digits=2),
        )
    else:
        gap = (_("The solver proved no bound, so how far this plan is from the best is unknown."),)
    after = res.value(*below, "after")
    if after == 0:
        mandate: tuple[Inline, ...] = (
            _("At this budget the 20 JP mandate is met for every PNS the plan can reach."),
        )
    else:
        mandate = (
            _(
                "The 20 JP mandate is therefore not met at this budget; the curve below shows "
                "what half to twice the budget would buy."
            ),
        )
    return Paragraph(join(lead, before, bought, gap, mandate), res.path(PLAN))


def _curve_points(res: Results) -> list[int]:
    return [
        i
        for i, _p in res.records(PLAN, "coverage_curve")
        if res.value(PLAN, "coverage_curve", i, "objective") is not None
        and res.value(PLAN, "coverage_curve", i, "budget") is not None
    ]


def _curve_figure(res: Results) -> Figure | None:
    points = _curve_points(res)
    if len(points) < 2:
        return None
    base = (PLAN, "coverage_curve")
    chart = ChartSpec(
        "line",
        tuple(
            format_value(res.value(*base, i, "budget"), "rupiah", 0, compact=True) for i in points
        ),
        (
            Series(
                _("Needs covered (objective)"),
                tuple(res.num(*base, i, "objective", kind="decimal", digits=1) for i in points),
                emphasis=True,
            ),
            Series(
                _("Proven bound"),
                tuple(res.num(*base, i, "bound", kind="decimal", digits=1) for i in points),
            ),
        ),
        x_label=_("Budget"),
        y_label=_("Needs covered"),
        value_kind="decimal",
        digits=0,
    )
    return Figure(
        "fig-plan-curve",
        chart,
        _("Needs covered by the best plan found at half to twice the budget, with its bound"),
        _("Line chart of the plan's objective and its proven bound against the budget."),
        res.path(*base),
    )


def _curve_paragraph(res: Results) -> Paragraph | None:
    points = _curve_points(res)
    if len(points) < 2:
        return None
    first, last = points[0], points[-1]
    base = (PLAN, "coverage_curve")
    return Paragraph(
        sentence(
            _(
                "At %(low_budget)s the best plan found covers %(low)s; at %(high_budget)s it "
                "covers %(high)s (bounds %(low_bound)s and %(high_bound)s)."
            ),
            low_budget=res.num(*base, first, "budget", kind="rupiah", compact=True),
            low=res.num(*base, first, "objective", kind="decimal", digits=1),
            high_budget=res.num(*base, last, "budget", kind="rupiah", compact=True),
            high=res.num(*base, last, "objective", kind="decimal", digits=1),
            low_bound=res.num(*base, first, "bound", kind="decimal", digits=1),
            high_bound=res.num(*base, last, "bound", kind="decimal", digits=1),
        ),
        res.path(*base),
    )


def _model_paragraph(res: Results) -> Paragraph | None:
    auc = (PART, "model", "validation", "auc")
    if res.value(*auc, "auc") is None:
        return None
    return Paragraph(
        sentence(
            _(
                "Non-attendance: a model of who does not come, tested on %(n)s nominations it "
                "was not fitted on, separates those who stay away from those who come with an "
                "AUC of %(auc)s (%(interval)s; 0.5 is chance, 1 is perfect)."
            ),
            n=res.num(PART, "model", "validation", "n_test", kind="count", digits=0),
            auc=res.num(*auc, "auc", kind="decimal", digits=3),
            interval=interval(res, *auc, kind="decimal", digits=3),
        ),
        res.path(*auc),
    )


def _policy_items(res: Results) -> list[tuple[Inline, ...]]:
    items: list[tuple[Inline, ...]] = []
    for i, row in res.records(PART, "policies"):
        if row.get("policy") not in TARGETED:
            continue
        base = (PART, "policies", i)
        if res.value(*base, "extra_attendance", "mean") is None:
            continue
        parts = sentence(
            _("%(policy)s (%(n)s offers): %(extra)s extra attendances, %(uplift)s per offer"),
            policy=policy_name(res, i),
            n=res.num(*base, "n_offered", kind="count", digits=0),
            extra=_drawn(res, *base, "extra_attendance", kind="decimal", digits=0),
            uplift=_drawn(res, *base, "uplift_pp_per_offer", kind="percent_points", digits=1),
        )
        if res.value(*base, "cost", "mean") is not None:
            parts = join(
                parts,
                sentence(
                    _("at a cost of %(cost)s"),
                    cost=_drawn(res, *base, "cost", kind="rupiah", digits=0),
                ),
                sep=", ",
            )
        items.append((*parts, "."))
    return items


def _incentive_paragraph(res: Results) -> Paragraph | None:
    effect = (PART, "incentive_effect")
    if res.value(*effect, "estimate_pp") is None:
        return None
    return Paragraph(
        sentence(
            _(
                "Incentives: an offer raised attendance by %(effect)s (%(interval)s) among those "
                "offered. Carried with its uncertainty to next year's nominations, the "
                "policies give:"
            ),
            effect=res.num(*effect, "estimate_pp", kind="percent_points", digits=1, signed=True),
            interval=interval(
                res, *effect, kind="percent_points", digits=1, low="ci_low_pp", high="ci_high_pp"
            ),
        ),
        res.path(*effect),
    )


def planning_challenges(res: Results) -> list[Block]:
    """Section 5's blocks on the budget and on participation (or that planning was not run)."""
    if not has_planning(res):
        return [
            Paragraph(
                (
                    _(
                        "Budget and participation: planning has not been run for this year — no "
                        "plan scenario is saved — so this report gives no figures on what the "
                        "budget buys or on incentive policies. Save one (`mutu plan --save NAME` "
                        "or the Planning page) and write the report again."
                    ),
                )
            )
        ]
    blocks: list[Block] = [_budget_paragraph(res)]
    for block in (_curve_paragraph(res), _curve_figure(res)):
        if block is not None:
            blocks.append(block)
    if not has_participation(res):
        blocks.append(
            Paragraph(
                (
                    _(
                        "Participation: the saved scenario holds no participation analysis, so "
                        "no figures on non-attendance or incentives are given."
                    ),
                )
            )
        )
        return blocks
    model = _model_paragraph(res)
    if model is not None:
        blocks.append(model)
    incentive = _incentive_paragraph(res)
    items = _policy_items(res)
    if incentive is not None and items:
        blocks.extend([incentive, Bullets(tuple(items), res.path(PART, "policies"))])
    return blocks


# --------------------------------------------------------------------------- section 6


def _per_rupiah(row: Mapping[str, Any]) -> float | None:
    cost, jp = row.get("cost"), row.get("expected_jp")
    if not isinstance(cost, int | float) or not isinstance(jp, int | float) or cost <= 0:
        return None
    return float(jp) / float(cost)


def _next_rupiah(res: Results) -> tuple[Inline, ...] | None:
    ranked = sorted(
        ((ratio, i) for i, row in res.records(PLAN, "activities") if (ratio := _per_rupiah(row))),
        reverse=True,
    )[:TOP_ACTIVITIES]
    if not ranked:
        return None
    named: list[Inline] = []
    for n, (_ratio, i) in enumerate(ranked):
        if n:
            named.append("; ")
        named.extend(
            sentence(
                _("%(activity)s (%(jp)s expected for %(cost)s)"),
                activity=str(res.get(PLAN, "activities", i, "activity")),
                jp=res.num(PLAN, "activities", i, "expected_jp", kind="jp", digits=0),
                cost=res.num(PLAN, "activities", i, "cost", kind="rupiah", compact=True),
            )
        )
    text = sentence(
        _(
            "Where the next rupiah goes: in the saved plan the activities that buy most expected "
            "JP per rupiah are %(list)s; fund them first."
        ),
        list=tuple(named),
    )
    points = _curve_points(res)
    at = next((i for i in points if res.value(PLAN, "coverage_curve", i, "share") == 1.0), None)
    up = next((i for i in points if at is not None and i > at), None)
    if at is not None and up is not None:
        base = (PLAN, "coverage_curve")
        text = join(
            text,
            sentence(
                _(
                    "Raising the budget from %(b1)s to %(b2)s would raise the needs covered "
                    "from %(o1)s to %(o2)s (bound %(u2)s)."
                ),
                b1=res.num(*base, at, "budget", kind="rupiah", compact=True),
                b2=res.num(*base, up, "budget", kind="rupiah", compact=True),
                o1=res.num(*base, at, "objective", kind="decimal", digits=1),
                o2=res.num(*base, up, "objective", kind="decimal", digits=1),
                u2=res.num(*base, up, "bound", kind="decimal", digits=1),
            ),
        )
    return text


def best_policy(res: Results) -> int | None:
    """The targeted policy to recommend: cheapest per extra attendance when costs are known,
    else the largest uplift per offer — only when its interval lies above zero."""
    rows = [(i, row) for i, row in res.records(PART, "policies") if row.get("policy") in TARGETED]

    def low(i: int, key: str) -> float | None:
        return res.value(PART, "policies", i, key, "ci_low")

    proven = [(i, r) for i, r in rows if (low(i, "uplift_pp_per_offer") or 0.0) > 0]
    costed = [
        (i, r)
        for i, r in proven
        if res.value(PART, "policies", i, "cost_per_extra_attendance", "mean") is not None
    ]
    if costed:
        return min(
            costed,
            key=lambda ir: (
                res.value(PART, "policies", ir[0], "cost_per_extra_attendance", "mean") or 0.0
            ),
        )[0]
    if proven:
        return max(
            proven,
            key=lambda ir: res.value(PART, "policies", ir[0], "uplift_pp_per_offer", "mean") or 0.0,
        )[0]
    return None


def _policy_recommendation(res: Results) -> tuple[Inline, ...]:
    best = best_policy(res)
    if best is None:
        return (
            _(
                "Incentives: no simulated policy raises attendance with an interval above zero; "
                "measure the effect of offers (a comparison group) before paying for them."
            ),
        )
    base = (PART, "policies", best)
    text = sentence(
        _(
            "Incentives: %(policy)s — it adds %(uplift)s attendance per offer and %(extra)s "
            "attendances in all."
        ),
        policy=policy_name(res, best),
        uplift=_drawn(res, *base, "uplift_pp_per_offer", kind="percent_points", digits=1),
        extra=_drawn(res, *base, "extra_attendance", kind="decimal", digits=0),
    )
    if res.value(*base, "cost_per_extra_attendance", "mean") is not None:
        text = join(
            text,
            sentence(
                _("Each extra attendance costs %(cost)s."),
                cost=_drawn(res, *base, "cost_per_extra_attendance", kind="rupiah", digits=0),
            ),
        )
    return text


def planning_recommendations(res: Results) -> list[tuple[Inline, ...]]:
    """Section 6's recommendations from the plan and the incentive simulation."""
    if not has_planning(res):
        return [
            (
                _(
                    "Run the budget plan and the participation analysis for next year (a saved "
                    "plan scenario) before the budget is decided, so that the report can say "
                    "where the money covers most needs."
                ),
            )
        ]
    items: list[tuple[Inline, ...]] = []
    rupiah = _next_rupiah(res)
    if rupiah is not None:
        items.append(rupiah)
    if has_participation(res) and res.has(PART, "policies"):
        items.append(_policy_recommendation(res))
    return items
