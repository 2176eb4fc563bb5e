"""The unit dashboard: the unit with its sub-units, its activities and its people.

The indices come from the stored evaluation, pooled over the unit's subtree
(:mod:`mutu.dashboard.tree`); the activities and the people list come from
the database, read by the views through the selectors and handed in here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from mutu.dashboard.blocks import (
    Cell,
    Chart,
    Kpi,
    Panel,
    Table,
    columns,
    fmt,
    number,
    series_number,
    text,
    withheld,
)
from mutu.dashboard.indices import jp_floor, unit_columns, unit_index_cells
from mutu.dashboard.tree import PooledIndex, UnitTree, pooled_index
from mutu.people.models import SkpPredikat, UnitKind
from mutu.people.selectors import UnitNode
from mutu.reporting.compose.source import Results
from mutu.reporting.compose.strategy import STAGES, stage_label
from mutu.reporting.formatting import (
    format_date,
    format_decimal,
    is_suppressed,
    month_name,
    suppressed_text,
)
from mutu.reporting.model import ChartSpec, Number, NumberKind, Series

Url = Callable[..., str]


@dataclass(frozen=True)
class UnitIndices:
    """The unit's (pooled) indices of the chosen year, and of every year for the trends."""

    year: int
    current: PooledIndex
    by_year: dict[int, PooledIndex]
    floor: float


def unit_indices(res: Results, tree: UnitTree, node: UnitNode, year: int) -> UnitIndices:
    units = res.get("indices", "units") or {}
    codes = [n.code for n in tree.subtree(node.pk)]
    years = sorted(int(y) for y in (res.get("indices", "regency") or {}))
    by_year = {y: pooled_index(units, codes, y) for y in years}
    current = by_year.get(year) or pooled_index(units, codes, year)
    return UnitIndices(year, current, by_year, jp_floor(res, year))


def unit_kpis(ix: UnitIndices, minimum: int, headcount: int) -> list[Kpi]:
    c = ix.current
    hidden = suppressed_text(minimum)
    kpis = [Kpi(_("Number of people"), fmt(headcount, "count"), _("with the sub-units"))]
    if is_suppressed(c.n_pns, minimum):
        kpis.append(Kpi(_("PNS meeting the JP floor"), hidden, withheld=True))
    else:
        kpis.append(
            Kpi(
                _("PNS meeting the %(floor)s JP floor") % {"floor": format_decimal(ix.floor, 0)},
                fmt(c.jp_share, "percent", 1),
                _("%(k)s of %(n)s PNS")
                % {"k": fmt(c.pns_compliant, "count"), "n": fmt(c.n_pns, "count")},
            )
        )
        kpis.append(Kpi(_("Mean JP per PNS"), fmt(c.mean_jp, "jp", 1)))
    if is_suppressed(c.ip_scored, minimum):
        kpis.append(Kpi(_("IP ASN, mean"), hidden, withheld=True))
    else:
        kpis.append(
            Kpi(
                _("IP ASN, mean"),
                fmt(c.ip_mean, "decimal", 1),
                _("%(n)s ASN scored") % {"n": fmt(c.ip_scored, "count")},
            )
        )
    if c.skm_n:
        if is_suppressed(c.skm_n, minimum):
            kpis.append(Kpi(_("Public satisfaction (IKM)"), hidden, withheld=True))
        else:
            kpis.append(
                Kpi(
                    _("Public satisfaction (IKM)"),
                    fmt(c.ikm, "decimal", 2),
                    _("%(n)s respondents") % {"n": fmt(c.skm_n, "count")},
                )
            )
    return kpis


def _trend(
    res: Results,
    ix: UnitIndices,
    *,
    chart_id: str,
    title: str,
    caption: str,
    unit_name: str,
    value: Callable[[PooledIndex], float | None],
    group: Callable[[PooledIndex], int],
    regency: Sequence[str],
    kind: NumberKind,
    digits: int,
    y_label: str,
) -> Panel:
    minimum = res.privacy_minimum
    years = sorted(ix.by_year)
    unit_values: list[Number | None] = []
    rows: list[tuple[Cell, ...]] = []
    for y in years:
        index = ix.by_year[y]
        small = is_suppressed(group(index), minimum)
        unit_values.append(None if small else series_number(value(index), kind, digits))
        reg_path = ("indices", "regency", str(y), *regency)
        rows.append(
            (
                Cell(str(y), tone="current" if y == ix.year else ""),
                withheld(minimum) if small else number(value(index), kind, digits),
                number(res.value(*reg_path), kind, digits, source=res.path(*reg_path)),
            )
        )
    regency_values = tuple(
        series_number(
            res.value("indices", "regency", str(y), *regency),
            kind,
            digits,
            res.path("indices", "regency", str(y), *regency),
        )
        for y in years
    )
    charts: tuple[Chart, ...] = ()
    if len(years) >= 2 and any(v is not None for v in unit_values):
        charts = (
            Chart(
                chart_id,
                ChartSpec(
                    "line",
                    tuple(str(y) for y in years),
                    (
                        Series(unit_name, tuple(unit_values), emphasis=True),
                        Series(_("Regency"), regency_values),
                    ),
                    x_label=_("Year"),
                    y_label=y_label,
                    value_kind=kind,
                    digits=digits,
                ),
                caption,
                _("Line chart of the unit and the regency per year."),
            ),
        )
    return Panel(
        chart_id.removeprefix("ch-"),
        title,
        charts,
        (Table(columns(_("Year"), (_("This unit"), True), (_("Regency"), True)), tuple(rows)),),
    )


def unit_trend_panels(res: Results, ix: UnitIndices, unit_name: str) -> list[Panel]:
    panels = [
        _trend(
            res,
            ix,
            chart_id="ch-unit-jp",
            title=_("JP compliance"),
            caption=_("Share of PNS reaching the yearly JP floor, per year"),
            unit_name=unit_name,
            value=lambda i: i.jp_share,
            group=lambda i: i.n_pns,
            regency=("jp", "share_pns_compliant"),
            kind="percent",
            digits=1,
            y_label=_("Share of PNS"),
        ),
        _trend(
            res,
            ix,
            chart_id="ch-unit-ip",
            title=_("IP ASN"),
            caption=_("Mean IP ASN per year"),
            unit_name=unit_name,
            value=lambda i: i.ip_mean,
            group=lambda i: i.ip_scored,
            regency=("ip_asn", "mean_total"),
            kind="decimal",
            digits=1,
            y_label=_("IP ASN (0–100)"),
        ),
    ]
    if any(i.skm_n for i in ix.by_year.values()):
        panels.append(
            _trend(
                res,
                ix,
                chart_id="ch-unit-ikm",
                title=_("Public satisfaction (IKM)"),
                caption=_("IKM per year (respondent-weighted over the unit's service units)"),
                unit_name=unit_name,
                value=lambda i: i.ikm,
                group=lambda i: i.skm_n,
                regency=("skm", "ikm"),
                kind="decimal",
                digits=2,
                y_label=_("IKM (0–100)"),
            )
        )
    return panels


# --- live data: activities, people, sub-units ----------------------------------------------


def activities_panel(
    rows: Sequence[Mapping[str, Any]], year: int, minimum: int, activity_url: Url
) -> Panel:
    """The year's activities with this unit's nominations, and their funnel."""
    totals = {s: sum(int(r[s]) for r in rows) for s in STAGES}
    charts: tuple[Chart, ...] = ()
    note = ""
    if totals["nominated"] and not is_suppressed(totals["nominated"], minimum):
        charts = (
            Chart(
                "ch-unit-funnel",
                ChartSpec(
                    "funnel",
                    tuple(stage_label(s) for s in STAGES),
                    (
                        Series(
                            _("Number of people"),
                            tuple(series_number(totals[s], "count", 0) for s in STAGES),
                        ),
                    ),
                    value_kind="count",
                    digits=0,
                ),
                _("Participation of the unit's people in %(year)s") % {"year": year},
                _("Funnel chart of the number of people at each stage of participation."),
            ),
        )
    elif totals["nominated"]:
        note = _("The participation chart is withheld: fewer than %(minimum)s nominations.") % {
            "minimum": minimum
        }
    table_rows = tuple(
        (
            Cell(r["code"], activity_url(r["code"]), sub=r["title"]),
            text(period(r["start_date"], r["end_date"])),
            number(float(r["jp"]), "decimal", jp_digits(r["jp"])),
            number(r["nominated"], "count"),
            number(r["registered"], "count"),
            number(r["attended"], "count"),
            number(r["completed"], "count"),
        )
        for r in rows
    )
    return Panel(
        "activities",
        _("Activities of %(year)s") % {"year": year},
        charts,
        (
            Table(
                columns(
                    _("Activity"),
                    _("Dates"),
                    (_("JP"), True),
                    (_("Nominated"), True),
                    (_("Registered"), True),
                    (_("Attended"), True),
                    (_("Completed"), True),
                ),
                table_rows,
                caption=_("Counts are of this unit's people (with its sub-units)."),
                empty=_("No one from this unit was nominated for an activity in this year."),
            ),
        ),
        note=note,
        stack=True,
    )


def period(start: dt.date, end: dt.date) -> str:
    """A date range as short as it reads: ``2–3 Februari 2026``, ``28 Mei – 2 Juni 2026``."""
    if start == end:
        return format_date(start)
    if start.year != end.year:
        return f"{format_date(start)} – {format_date(end)}"
    if start.month != end.month:
        return f"{start.day} {month_name(start.month)} – {format_date(end)}"
    return f"{start.day}–{format_date(end)}"


def jp_digits(value: float) -> int:
    """Whole JP print without decimals, 2,5 JP with one."""
    return 0 if float(value) == int(value) else 1


def skp_label(code: str | None) -> str:
    if not code:
        return "–"
    try:
        return str(SkpPredikat(code).label)
    except ValueError:
        return code


def people_panel(
    people: Sequence[Mapping[str, Any]],
    jp: Mapping[int, Decimal],
    year: int,
    floor: float,
    person_url: Url,
) -> Panel:
    """The unit's own members with their year's JP against the floor and their last SKP."""
    rows: list[tuple[Cell, ...]] = []
    below = 0
    for p in people:
        earned = float(jp.get(p["pk"], Decimal(0)))
        is_pns = p["status"] == "PNS"
        short_of = is_pns and earned < floor
        below += int(short_of)
        skp = skp_label(p["skp"])
        rows.append(
            (
                text(p["name"], person_url(p["pk"])),
                text(p["position"] or "–"),
                text(p["status"]),
                number(earned, "jp", jp_digits(earned), tone="bad" if short_of else ""),
                text(f"{skp} ({p['skp_year']})" if p["skp"] else "–"),
            )
        )
    note = ""
    if people:
        note = _("%(n)s of the unit's PNS are below %(floor)s JP in %(year)s.") % {
            "n": fmt(below, "count"),
            "floor": format_decimal(floor, 0),
            "year": year,
        }
    return Panel(
        "people",
        _("People of this unit"),
        tables=(
            Table(
                columns(
                    _("Name"),
                    _("Position"),
                    _("Status"),
                    (_("JP %(year)s") % {"year": year}, True),
                    _("Last SKP"),
                ),
                tuple(rows),
                caption=_("Members of this unit itself; the sub-units list their own."),
                empty=_("This unit has no members of its own."),
            ),
        ),
        note=note,
    )


def subunits_panel(
    res: Results | None,
    tree: UnitTree,
    node: UnitNode,
    year: int,
    headcounts: Mapping[int, int],
    unit_url: Url,
) -> Panel | None:
    """The unit's direct sub-units with their people and pooled indices."""
    children = tree.children.get(node.pk, [])
    if not children:
        return None
    units = (res.get("indices", "units") or {}) if res is not None else {}
    minimum = res.privacy_minimum if res is not None else 5
    rows: list[tuple[Cell, ...]] = []
    for child in children:
        subtree = tree.subtree(child.pk)
        people = sum(headcounts.get(n.pk, 0) for n in subtree)
        cells: tuple[Cell, ...] = ()
        if res is not None:
            index = pooled_index(units, [n.code for n in subtree], year)
            cells = unit_index_cells(index, minimum)[1:]
        rows.append(
            (
                text(child.name, unit_url(child.code)),
                text(kind_label(child.kind)),
                number(people, "count"),
                *cells,
            )
        )
    heads: list[tuple[str, bool] | str] = [_("Unit"), _("Kind"), (_("Number of people"), True)]
    if res is not None:
        heads += list(unit_columns()[1:])
    return Panel("subunits", _("Sub-units"), tables=(Table(columns(*heads), tuple(rows)),))


def kind_label(kind: str) -> str:
    try:
        return str(UnitKind(kind).label)
    except ValueError:
        return kind
