"""Section 3 (Strategi Pelaksanaan): what was delivered, to whom, at what cost."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from mutu.reporting.compose.source import Results, sentence
from mutu.reporting.model import (
    Block,
    Callout,
    Cell,
    ChartSpec,
    Column,
    Figure,
    Number,
    Paragraph,
    Ref,
    ReferenceLine,
    Section,
    Series,
    Table,
)

PART = "participation"
COSTS = "l5_roi"

#: The participation stages of ``funnel_by_year``, in order.
STAGES = ("nominated", "registered", "attended", "completed")


def stage_label(stage: str) -> str:
    """The name of a participation stage."""
    names = {
        "nominated": _("Nominated"),
        "registered": _("Registered"),
        "attended": _("Attended"),
        "completed": _("Completed"),
    }
    return names.get(stage, stage)


def year_row(
    rows: list[tuple[int, Mapping[str, Any]]], year: int | None
) -> tuple[int, Mapping[str, Any]] | None:
    """The row of the report year (else the last row)."""
    for i, row in rows:
        if row.get("year") == year:
            return i, row
    return rows[-1] if rows else None


def _funnel(res: Results) -> list[Block]:
    found = year_row(res.table(PART, "funnel_by_year"), res.year)
    if found is None:
        return [
            Callout(
                "no_data",
                _("Participation"),
                (_("The results hold no participation counts."),),
                res.path("sections", PART),
            )
        ]
    i, row = found
    base = res.table_path(PART, "funnel_by_year", i)
    stages = [s for s in STAGES if s in row]
    chart = ChartSpec(
        "funnel",
        tuple(stage_label(s) for s in stages),
        (Series(_("Number of people"), tuple(res.num(*base, s, kind="count") for s in stages)),),
        value_kind="count",
        digits=0,
    )
    blocks: list[Block] = []
    if {"nominated", "attended", "completed"} <= set(stages):
        blocks.append(
            Paragraph(
                sentence(
                    _(
                        "In %(year)s, of %(nominated)s nominations %(attended)s (%(rate)s) led "
                        "to attendance at the first session and %(completed)s (%(crate)s) to "
                        "completion (%(ref)s)."
                    ),
                    year=str(row.get("year")),
                    nominated=res.num(*base, "nominated", kind="count"),
                    attended=res.num(*base, "attended", kind="count"),
                    rate=res.num(*base, "attended_rate", kind="percent", digits=0),
                    completed=res.num(*base, "completed", kind="count"),
                    crate=res.num(*base, "completed_rate", kind="percent", digits=0),
                    ref=Ref("fig-funnel"),
                ),
                res.path(*base),
            )
        )
    blocks.append(
        Figure(
            "fig-funnel",
            chart,
            _("Participation funnel in %(year)s: from nomination to completion")
            % {"year": row.get("year")},
            _("Funnel chart of the number of people at each stage of participation."),
            res.path(*base),
        )
    )
    return blocks


def _by_place(res: Results) -> list[Block]:
    """Attendance by kecamatan (ranked) when the results have it, else by distance band."""
    by_kecamatan = res.table(PART, "attendance_by_kecamatan")
    name, label_key = ("attendance_by_kecamatan", "kecamatan")
    rows = by_kecamatan
    if not rows:
        name, label_key = ("attendance_by_distance", "distance_band")
        rows = res.table(PART, name)
    if not rows:
        return []
    shown = [(i, r) for i, r in rows if not res.small(*res.table_path(PART, name, i, "nominated"))]
    if name == "attendance_by_kecamatan":
        shown.sort(key=lambda item: -float(item[1].get("attendance_rate") or 0.0))
    reference = None
    overall = res.value("sections", PART, "attendance_rate")
    if overall is not None:
        reference = ReferenceLine(overall, _("Regency"))
    chart = ChartSpec(
        "ranked_bar",
        tuple(str(r.get(label_key)) for _i, r in shown),
        (
            Series(
                _("Attendance rate"),
                tuple(
                    res.num(
                        *res.table_path(PART, name, i, "attendance_rate"), kind="percent", digits=0
                    )
                    for i, _r in shown
                ),
            ),
        ),
        x_label=_("Share of nominees who attended"),
        value_kind="percent",
        digits=0,
        reference=reference,
    )
    if name == "attendance_by_kecamatan":
        caption = _("Attendance rate by kecamatan, highest first; the dashed line is the regency")
        fig_id = "fig-kecamatan"
    else:
        caption = _(
            "Attendance rate by road distance from the capital; the dashed line is the regency"
        )
        fig_id = "fig-distance"
    if len(shown) < len(rows):
        caption += " " + _("(groups with fewer than %(minimum)s nominees are withheld)") % {
            "minimum": res.privacy_minimum
        }
    blocks: list[Block] = []
    if len(shown) >= 2:
        (first_i, first), (last_i, last) = shown[0], shown[-1]
        template = (
            _(
                "Attendance depends on where people work (%(ref)s): from %(high)s of nominees "
                "in %(best)s to %(low)s in %(worst)s."
            )
            if name == "attendance_by_kecamatan"
            else _(
                "Attendance falls with distance (%(ref)s): %(high)s of nominees within "
                "%(best)s came, against %(low)s at %(worst)s."
            )
        )
        blocks.append(
            Paragraph(
                sentence(
                    template,
                    ref=Ref(fig_id),
                    high=res.num(
                        *res.table_path(PART, name, first_i, "attendance_rate"),
                        kind="percent",
                        digits=0,
                    ),
                    best=str(first.get(label_key)),
                    low=res.num(
                        *res.table_path(PART, name, last_i, "attendance_rate"),
                        kind="percent",
                        digits=0,
                    ),
                    worst=str(last.get(label_key)),
                ),
                res.path(*res.table_path(PART, name)),
            )
        )
    blocks.append(
        Figure(
            fig_id,
            chart,
            caption,
            _("Bar chart of the attendance rate per group."),
            res.path(*res.table_path(PART, name)),
        )
    )
    return blocks


def _budget(res: Results) -> list[Block]:
    years = res.table(COSTS, "per_year")
    if not years:
        return [
            Callout(
                "no_data",
                _("Budget"),
                (_("The results hold no budget or spending figures."),),
                res.path("sections", COSTS),
            )
        ]

    def money(i: int, key: str) -> Number:
        return res.num(*res.table_path(COSTS, "per_year", i, key), kind="rupiah", digits=0)

    chart = ChartSpec(
        "bar",
        tuple(str(y.get("year")) for _i, y in years),
        (
            Series(_("Budget"), tuple(money(i, "planned") for i, _y in years)),
            Series(_("Spent"), tuple(money(i, "spent") for i, _y in years)),
            Series(_("Fully loaded cost"), tuple(money(i, "fully_loaded") for i, _y in years)),
        ),
        x_label=_("Year"),
        value_kind="rupiah",
        digits=0,
    )
    rows: list[tuple[Cell, ...]] = [
        (
            str(y.get("year")),
            money(i, "planned"),
            money(i, "spent"),
            money(i, "participant_time"),
            money(i, "fully_loaded"),
            res.num(*res.table_path(COSTS, "per_year", i, "participant_jp"), kind="count"),
            money(i, "cost_per_jp"),
        )
        for i, y in years
    ]
    table = Table(
        "tab-budget",
        _("Budget, spending and fully loaded cost per year"),
        (
            Column("year", _("Year")),
            Column("planned", _("Budget (Rp)"), "rupiah"),
            Column("spent", _("Spent (Rp)"), "rupiah"),
            Column("time", _("Participants' time (Rp)"), "rupiah"),
            Column("full", _("Fully loaded (Rp)"), "rupiah"),
            Column("jp", _("Participant-JP"), "count"),
            Column("per_jp", _("Cost per participant-JP (Rp)"), "rupiah"),
        ),
        tuple(rows),
        res.path(*res.table_path(COSTS, "per_year")),
        definitions=(
            (_("Budget (Rp)"), _("Planned cash cost of the activities (budget lines).")),
            (_("Spent (Rp)"), _("Cash actually spent (expenditures).")),
            (
                _("Participants' time (Rp)"),
                _(
                    "Hours attended valued at the hourly employment cost of each participant's "
                    "group (costing rulebook)."
                ),
            ),
            (
                _("Fully loaded (Rp)"),
                _("Cash spent plus participants' time (Phillips' fully loaded cost)."),
            ),
            (_("Participant-JP"), _("Lesson hours delivered, summed over completers.")),
        ),
        sheet=_("Budget"),
    )
    blocks: list[Block] = []
    base = ("sections", COSTS)
    if res.value(*base, "planned") is not None and res.value(*base, "spent") is not None:
        blocks.append(
            Paragraph(
                sentence(
                    _(
                        "In %(year)s the budget was %(planned)s and %(spent)s was spent; "
                        "counting participants' time, the fully loaded cost was %(full)s, or "
                        "%(per_jp)s per participant-JP (%(ref)s)."
                    ),
                    year=str(res.get(*base, "year") or res.year),
                    planned=res.num(*base, "planned", kind="rupiah", compact=True),
                    spent=res.num(*base, "spent", kind="rupiah", compact=True),
                    full=res.num(*base, "fully_loaded", kind="rupiah", compact=True),
                    per_jp=res.num(*base, "cost_per_jp", kind="rupiah", digits=0),
                    ref=Ref("fig-budget"),
                ),
                res.path(*base),
            )
        )
    blocks += [
        Figure(
            "fig-budget",
            chart,
            _("Budget, spending and fully loaded cost per year"),
            _("Grouped bar chart of budget, spending and fully loaded cost per year."),
            res.path(*res.table_path(COSTS, "per_year")),
        ),
        table,
    ]
    return blocks


def strategy(res: Results) -> Section:
    """3. Strategi Pelaksanaan."""
    intro: list[Block] = []
    if res.value("data", "rows", "activities") is not None:
        intro.append(
            Paragraph(
                sentence(
                    _(
                        "Over the period the program ran %(activities)s activities — classroom "
                        "training, seminars, workshops, e-learning and internships — with "
                        "%(enrollments)s enrollments."
                    ),
                    activities=res.num("data", "rows", "activities", kind="count"),
                    enrollments=res.num("data", "rows", "enrollments", kind="count"),
                ),
                res.path("data", "rows"),
            )
        )
    participation = Section("3.1", _("Participation"), (*_funnel(res), *_by_place(res)), id="s-3-1")
    budget = Section("3.2", _("Budget and spending"), tuple(_budget(res)), id="s-3-2")
    return Section(
        "3", _("Implementation Strategy"), tuple(intro), (participation, budget), id="s-3"
    )
