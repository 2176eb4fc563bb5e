"""Section 4 (Evaluasi Hasil), second part: results (L4), JP compliance, incentives,
internships and the return on investment (L5)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from mutu.reporting.compose.estimands import alpha, estimand_blocks, interval
from mutu.reporting.compose.jp import jp_section
from mutu.reporting.compose.source import Results, sentence
from mutu.reporting.formatting import format_decimal
from mutu.reporting.model import (
    Block,
    Callout,
    Cell,
    ChartSpec,
    Column,
    Figure,
    Inline,
    Number,
    Paragraph,
    Ref,
    ReferenceLine,
    Section,
    Series,
    Table,
)

L4 = "l4_results"
COSTS = "l5_roi"

#: How many units the IKM-over-time chart draws besides the regency (the largest by respondents).
IKM_UNITS_SHOWN = 5


def _event_study(res: Results) -> list[Block]:
    points = res.table(L4, "event_study")
    if not points:
        return []
    labels = tuple(format_decimal(float(p.get("event_time", 0)), 0) for _i, p in points)

    def series(name: str, before: bool) -> Series:
        def pick(i: int, p: Any, key: str) -> Number | None:
            if (float(p.get("event_time", 0)) < 0) != before:
                return None
            return res.num(*res.table_path(L4, "event_study", i, key), digits=2)

        return Series(
            name,
            tuple(pick(i, p, "att") for i, p in points),
            tuple(pick(i, p, "ci_low") for i, p in points),
            tuple(pick(i, p, "ci_high") for i, p in points),
        )

    chart = ChartSpec(
        "point_range",
        labels,
        (series(_("Before adoption"), True), series(_("After adoption"), False)),
        x_label=_("Years since the unit adopted the program"),
        y_label=_("Effect on IKM (points)"),
        digits=1,
        reference=ReferenceLine(0.0),
        vertical=True,
    )
    blocks: list[Block] = [
        Figure(
            "fig-event-study",
            chart,
            _(
                "Event study: the effect on IKM by years since adoption, with confidence "
                "intervals; before adoption the estimates should be near 0"
            ),
            _("Point-range chart of the IKM effect by years since adoption."),
            res.path(*res.table_path(L4, "event_study")),
        )
    ]
    p = res.value("sections", L4, "pretrend_p")
    if p is not None:
        text = sentence(
            _("The test of equal trends before adoption gives %(p)s (%(ref)s)."),
            p=res.num("sections", L4, "pretrend_p", kind="p_value", digits=3),
            ref=Ref("fig-event-study"),
        )
        if p < alpha(res):
            caution = _(
                " Units that adopted were already changing differently before; treat the IKM "
                "effect with caution."
            )
            blocks.insert(
                0,
                Callout(
                    "caution",
                    _("Parallel trends doubtful"),
                    (*text, caution),
                    res.path("sections", L4, "pretrend_p"),
                ),
            )
        else:
            blocks.insert(0, Paragraph(text, res.path("sections", L4, "pretrend_p")))
    if res.value("sections", L4, "twfe") is not None:
        blocks.insert(
            0,
            Paragraph(
                sentence(
                    _(
                        "A two-way fixed-effects regression, which is biased when units adopt in "
                        "different years, would give %(twfe)s (%(interval)s)."
                    ),
                    twfe=res.num("sections", L4, "twfe", digits=2, signed=True),
                    interval=interval(
                        res,
                        "sections",
                        L4,
                        kind="decimal",
                        digits=2,
                        low="twfe_ci_low",
                        high="twfe_ci_high",
                    ),
                ),
                res.path("sections", L4),
            ),
        )
    return blocks


def _ikm_over_time(res: Results) -> list[Block]:
    rows = res.table(L4, "ikm_panel")
    if not rows:
        return []
    years = sorted({int(r["year"]) for _i, r in rows if isinstance(r.get("year"), int)})
    respondents: dict[str, float] = defaultdict(float)
    cells: dict[tuple[str, int], int] = {}
    for i, r in rows:
        if res.small(*res.table_path(L4, "ikm_panel", i, "respondents")):
            continue
        unit = str(r.get("unit"))
        respondents[unit] += float(r.get("respondents") or 0)
        cells[(unit, int(r["year"]))] = i
    largest = sorted(respondents, key=lambda u: (-respondents[u], u))[:IKM_UNITS_SHOWN]

    def ikm(unit: str, year: int) -> Number | None:
        if (unit, year) not in cells:
            return None
        return res.num(*res.table_path(L4, "ikm_panel", cells[(unit, year)], "ikm"), digits=2)

    series = [Series(unit, tuple(ikm(unit, y) for y in years)) for unit in largest]
    regency = [
        res.num("indices", "regency", str(y), "skm", "ikm", digits=2)
        if res.value("indices", "regency", str(y), "skm", "ikm") is not None
        else None
        for y in years
    ]
    if any(v is not None for v in regency):
        series.append(Series(_("Regency"), tuple(regency), emphasis=True))
    chart = ChartSpec(
        "line",
        tuple(str(y) for y in years),
        tuple(series),
        x_label=_("Year"),
        y_label=_("IKM (0–100)"),
        digits=1,
    )
    caption = _(
        "IKM per year for the %(count)s service units with the most respondents, and the regency"
    ) % {"count": len(largest)}
    return [
        Figure(
            "fig-ikm-units",
            chart,
            caption,
            _("Line chart of the IKM per unit and year."),
            res.path(*res.table_path(L4, "ikm_panel")),
        )
    ]


def _incentives(res: Results) -> Section:
    blocks: list[Block] = list(estimand_blocks(res, "incentive_attendance_effect"))
    rows = res.table("participation", "offers_by_scheme")
    if rows:

        def num(i: int, key: str, **kw: Any) -> Number:
            return res.num(*res.table_path("participation", "offers_by_scheme", i, key), **kw)

        blocks.append(
            Table(
                "tab-incentives",
                _("Incentive offers per scheme"),
                (
                    Column("scheme", _("Scheme")),
                    Column("offers", _("Offers"), "count"),
                    Column("accepted", _("Accepted"), "count"),
                    Column("rate", _("Accepted (share)"), "percent", 0),
                ),
                tuple(
                    (
                        str(r.get("scheme")),
                        num(i, "offers", kind="count"),
                        num(i, "accepted", kind="count"),
                        num(i, "accepted_rate", kind="percent", digits=0),
                    )
                    for i, r in rows
                ),
                res.path(*res.table_path("participation", "offers_by_scheme")),
                sheet=_("Incentives"),
            )
        )
    return Section("4.7", _("Incentives and attendance"), tuple(blocks), id="s-4-7")


def _magang(res: Results) -> Section:
    blocks: list[Block] = list(estimand_blocks(res, "magang_months_to_proficiency_diff"))
    base = ("sections", "magang")
    if res.value(*base, "median_interns") is not None:
        blocks.insert(
            0,
            Paragraph(
                sentence(
                    _(
                        "Of %(young)s young ASN, %(n1)s completed the internship. Interns "
                        "reached their position's technical standard after a median of %(m1)s "
                        "months, comparable other young ASN after %(m0)s months (weighted to "
                        "resemble the interns)."
                    ),
                    young=res.num(*base, "n_young", kind="count"),
                    n1=res.num(*base, "n_interns", kind="count"),
                    m1=res.num(*base, "median_interns", digits=1),
                    m0=res.num(*base, "median_others_weighted", digits=1),
                ),
                res.path(*base),
            ),
        )
    return Section("4.8", _("Internships (magang)"), tuple(blocks), id="s-4-8")


def _roi(res: Results) -> Section:
    base = ("sections", COSTS)
    roi_rows = res.table(COSTS, "roi")
    if res.get(*base, "roi_computed") and roi_rows:
        columns = [k for k, v in roi_rows[0][1].items() if isinstance(v, int | float | str)]
        table = Table(
            "tab-roi",
            _("Return on investment (Phillips)"),
            tuple(
                Column(k, k, "text" if isinstance(roi_rows[0][1][k], str) else "decimal", 2)
                for k in columns
            ),
            tuple(
                tuple(
                    str(r[k])
                    if isinstance(r[k], str)
                    else res.num(*res.table_path(COSTS, "roi", i, k), digits=2)
                    for k in columns
                )
                for i, r in roi_rows
            ),
            res.path(*res.table_path(COSTS, "roi")),
            sheet="ROI",
        )
        return Section("4.9", _("Return on investment (L5)"), (table,), id="s-4-9")
    parts: tuple[Inline, ...] = (
        _(
            "The benefits were not given a Rupiah value, so no return on investment is "
            "computed: following Phillips, benefits that cannot be credibly monetised are "
            "listed, not guessed."
        ),
    )
    blocks: list[Block] = [Callout("no_data", _("ROI not computed"), parts, res.path(*base))]
    per_point = [
        ("cost_per_learning_point", _("per test point gained per participant")),
        ("cost_per_pns_reaching_floor", _("per PNS reaching the JP floor")),
        ("cost_per_workplan_point", _("per point of work-plan quality")),
        ("cost_per_jp", _("per participant-JP")),
    ]
    rows: list[tuple[Cell, ...]] = [
        (label, res.num(*base, key, kind="rupiah", digits=0))
        for key, label in per_point
        if res.value(*base, key) is not None
    ]
    if rows:
        blocks.append(
            Paragraph(
                (
                    _(
                        "What can be said without a money value is what each result cost "
                        "(fully loaded, in the report year):"
                    ),
                )
            )
        )
        blocks.append(
            Table(
                "tab-cost-effectiveness",
                _("Cost-effectiveness (fully loaded cost per unit of result)"),
                (Column("what", _("Cost")), Column("rp", _("Rupiah"), "rupiah")),
                tuple(rows),
                res.path(*base),
                sheet=_("Cost-effectiveness"),
            )
        )
    return Section("4.9", _("Return on investment (L5)"), tuple(blocks), id="s-4-9")


def outcome_sections(res: Results) -> list[Section]:
    """Subsections 4.5–4.9."""
    results = Section(
        "4.5",
        _("Results: public satisfaction (L4)"),
        (*estimand_blocks(res, "ikm_att"), *_event_study(res), *_ikm_over_time(res)),
        id="s-4-5",
    )
    return [results, jp_section(res), _incentives(res), _magang(res), _roi(res)]
