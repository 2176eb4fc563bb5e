"""Panels of the program's results: the headline effects, participation and the budget.

Read from the stored evaluation's ``estimands`` and ``sections``; the chart
specs follow the report's figures.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from mutu.dashboard.blocks import (
    Cell,
    Chart,
    Panel,
    Table,
    columns,
    fmt,
    number,
    result_cell,
    series_number,
    text,
    withheld,
)
from mutu.reporting.compose.estimands import claim_for, estimand_info
from mutu.reporting.compose.source import Results
from mutu.reporting.compose.strategy import STAGES, stage_label
from mutu.reporting.compose.summary import claim_label, estimand_keys
from mutu.reporting.formatting import is_suppressed
from mutu.reporting.model import ChartSpec, ReferenceLine, Series

# --- headline effects -------------------------------------------------------------------


def effects_panel(res: Results, year: int) -> Panel:
    evaluated = res.year
    charts: list[Chart] = []
    rows: list[tuple[Cell, ...]] = []
    for key in estimand_keys(res):
        info = estimand_info(key, res)
        base = ("estimands", key)
        claim = claim_for(res, key)
        estimate = res.value(*base, "estimate")
        low, high = res.value(*base, "ci_low"), res.value(*base, "ci_high")
        tone = "good" if claim.significant else ""
        rows.append(
            (
                text(info.label),
                result_cell(
                    res, *base, "estimate", kind=info.kind, digits=info.digits, signed=True
                ),
                Cell(
                    f"{fmt(low, info.kind, info.digits, unit=False)} – "
                    f"{fmt(high, info.kind, info.digits, unit=False)}",
                    numeric=True,
                    source=res.path(*base, "ci_low"),
                ),
                result_cell(res, *base, "p_adjusted", kind="p_value", digits=3),
                result_cell(res, *base, "n", kind="count"),
                Cell(claim_label(claim), tone=tone),
            )
        )
        if estimate is None:
            continue
        naive = res.value(*base, "naive")
        categories = [_("Estimate")]
        values = [series_number(estimate, info.kind, info.digits)]
        lows = [series_number(low, info.kind, info.digits)]
        highs = [series_number(high, info.kind, info.digits)]
        if naive is not None:
            categories.append(_("Naive comparison"))
            values.append(series_number(naive, info.kind, info.digits))
            lows.append(series_number(None, info.kind, info.digits))
            highs.append(series_number(None, info.kind, info.digits))
        spec = ChartSpec(
            "point_range",
            tuple(categories),
            (Series(info.label, tuple(values), tuple(lows), tuple(highs)),),
            x_label=info.short_unit,
            value_kind=info.kind,
            digits=info.digits,
            reference=ReferenceLine(0.0),
        )
        charts.append(
            Chart(
                f"ch-effect-{key}".replace("_", "-"),
                spec,
                info.label,
                _("Estimate with its interval, beside the naive comparison."),
                res.path(*base),
            )
        )
    note = _(
        "Significance after the Holm correction over the headline estimates; every estimate "
        "with its confidence interval (95%)."
    )
    if evaluated is not None and evaluated != year:
        note = (
            _(
                "The headline estimates are those of %(evaluated)s, the year of the stored "
                "evaluation. Run `mutu evaluate --year %(year)s` to compute them for %(year)s."
            )
            % {"evaluated": evaluated, "year": year}
            + " "
            + note
        )
    return Panel(
        "effects",
        _("Headline results (L1–L5) of %(year)s") % {"year": evaluated or year},
        tuple(charts),
        (
            Table(
                columns(
                    _("Effect"),
                    (_("Estimate"), True),
                    (_("95% CI"), True),
                    (_("Corrected p"), True),
                    (_("n"), True),
                    _("Conclusion"),
                ),
                tuple(rows),
                empty=_("The stored evaluation holds no estimates."),
            ),
        ),
        note=note,
    )


# --- participation and budget -----------------------------------------------------------


def funnel_panel(res: Results, year: int) -> Panel:
    rows_by_year = res.table("participation", "funnel_by_year")
    found = next((i for i, r in rows_by_year if r.get("year") == year), None)
    charts: list[Chart] = []
    rows: list[tuple[Cell, ...]] = []
    if found is not None:
        base = ("sections", "participation", "tables", "funnel_by_year", found)
        stages = [s for s in STAGES if res.get(*base, s) is not None]
        charts.append(
            Chart(
                "ch-funnel",
                ChartSpec(
                    "funnel",
                    tuple(stage_label(s) for s in stages),
                    (
                        Series(
                            _("Number of people"),
                            tuple(res.num(*base, s, kind="count") for s in stages),
                        ),
                    ),
                    value_kind="count",
                    digits=0,
                ),
                _("Participation funnel in %(year)s: from nomination to completion")
                % {"year": year},
                _("Funnel chart of the number of people at each stage of participation."),
                res.path(*base),
            )
        )
        for s in stages:
            rate = (
                result_cell(res, *base, f"{s}_rate", kind="percent", digits=0)
                if s != "nominated"
                else number(1.0, "percent", 0)
            )
            rows.append((text(stage_label(s)), result_cell(res, *base, s, kind="count"), rate))
    return Panel(
        "funnel",
        _("Participation funnel"),
        tuple(charts),
        (
            Table(
                columns(_("Stage"), (_("Number of people"), True), (_("Of the nominated"), True)),
                tuple(rows),
                empty=_("The stored evaluation holds no participation counts for this year."),
            ),
            program_funnel_table(res, year),
        ),
    )


def program_funnel_table(res: Results, year: int) -> Table:
    """Nominations, attendance and completion per program in the year."""
    minimum = res.privacy_minimum
    rows: list[tuple[Cell, ...]] = []
    for i, r in res.table("participation", "funnel_by_program"):
        if r.get("year") != year:
            continue
        base = ("sections", "participation", "tables", "funnel_by_program", i)
        small = is_suppressed(res.value(*base, "nominated"), minimum)
        rows.append(
            (
                text(str(r.get("program"))),
                result_cell(res, *base, "nominated", kind="count"),
                withheld(minimum)
                if small
                else result_cell(res, *base, "attended_rate", kind="percent", digits=0),
                withheld(minimum)
                if small
                else result_cell(res, *base, "completed_rate", kind="percent", digits=0),
            )
        )
    return Table(
        columns(
            _("Program"), (_("Nominated"), True), (_("Attended"), True), (_("Completed"), True)
        ),
        tuple(rows),
        caption=_("Per program"),
        empty=_("No nominations in this year."),
    )


def budget_panel(res: Results, year: int) -> Panel:
    years = res.table("l5_roi", "per_year")
    charts: list[Chart] = []
    rows: list[tuple[Cell, ...]] = []
    path = ("sections", "l5_roi", "tables", "per_year")
    if years:
        charts.append(
            Chart(
                "ch-budget",
                ChartSpec(
                    "bar",
                    tuple(str(r.get("year")) for _i, r in years),
                    (
                        Series(
                            _("Budget"),
                            tuple(
                                res.num(*path, i, "planned", kind="rupiah", digits=0)
                                for i, _r in years
                            ),
                        ),
                        Series(
                            _("Spent"),
                            tuple(
                                res.num(*path, i, "spent", kind="rupiah", digits=0)
                                for i, _r in years
                            ),
                        ),
                    ),
                    x_label=_("Year"),
                    value_kind="rupiah",
                    digits=0,
                ),
                _("Budget and spending per year"),
                _("Grouped bar chart of budget and spending per year."),
                res.path(*path),
            )
        )
    for i, r in years:
        planned, spent = res.value(*path, i, "planned"), res.value(*path, i, "spent")
        rows.append(
            (
                Cell(str(r.get("year")), tone="current" if r.get("year") == year else ""),
                result_cell(res, *path, i, "planned", kind="rupiah", digits=0),
                result_cell(res, *path, i, "spent", kind="rupiah", digits=0),
                number(spent / planned if spent is not None and planned else None, "percent", 0),
                result_cell(res, *path, i, "cost_per_jp", kind="rupiah", digits=0),
            )
        )
    return Panel(
        "budget",
        _("Budget plan and spending"),
        tuple(charts),
        (
            Table(
                columns(
                    _("Year"),
                    (_("Budget"), True),
                    (_("Spent"), True),
                    (_("Absorbed"), True),
                    (_("Cost per participant-JP"), True),
                ),
                tuple(rows),
                empty=_("The results hold no budget or spending figures."),
            ),
        ),
    )
