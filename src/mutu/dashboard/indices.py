"""Panels of the indices (JP against the floor, IP ASN, IKM per unit) and the units table.

Read from the stored evaluation's ``indices`` for the chosen year; the chart
specs follow the report's figures (same kinds, labels and colours).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date

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
    short,
    text,
    withheld,
)
from mutu.dashboard.tree import IP_BANDS, PooledIndex, UnitTree, pooled_index
from mutu.reporting.compose.jp import jp_histogram_spec
from mutu.reporting.compose.source import Results
from mutu.reporting.formatting import active_lang, format_decimal, is_suppressed
from mutu.reporting.model import ChartSpec, ReferenceLine, Series
from mutu.rulebooks import RulebookError, load, versions

UnitUrl = Callable[[str], str]


def jp_floor(res: Results, year: int) -> float:
    """The PNS floor of JP a year: the evaluation's, else the jp rulebook in force that year.

    PP 11/2017 as amended by PP 17/2020, Pasal 203(4): at least 20 JP a year
    (``pns_min_jp_per_year`` of the ``jp`` rulebook, never a constant here).
    """
    floor = res.value("indices", "regency", str(year), "jp", "floor_jp")
    if floor is not None:
        return float(floor)
    return rulebook_jp_floor(year)


@functools.lru_cache(maxsize=16)
def rulebook_jp_floor(year: int) -> float:
    """``pns_min_jp_per_year`` of the ``jp`` rulebook in force on 31 December of ``year``."""
    return float(load("jp", date(year, 12, 31)).decimal("pns_min_jp_per_year"))


@functools.lru_cache(maxsize=8)
def _band_labels(version_label: str, lang: str) -> dict[str, str]:
    try:
        books = versions("ip_asn")
    except RulebookError:
        return {}
    book = next((b for b in books if b.label == version_label), books[-1] if books else None)
    if book is None:
        return {}
    key = "label_en" if lang == "en" else "label_id"
    return {str(r["code"]): str(r.get(key, r["code"])) for r in book.records("bands")}


def band_labels(res: Results) -> dict[str, str]:
    """IP ASN band code → label in the active language, from the rulebook the run used."""
    used = res.get("indices", "rulebooks", "ip_asn")
    label = str(used[0]) if isinstance(used, list) and used else ""
    found = _band_labels(label, active_lang())
    return {b: found.get(b, b.replace("_", " ")) for b in IP_BANDS}


# --- JP -------------------------------------------------------------------------------


def jp_panel(res: Results, year: int) -> Panel:
    y = str(year)
    jp = ("indices", "regency", y, "jp")
    floor = jp_floor(res, year)
    charts: list[Chart] = []
    spec = jp_histogram_spec(res, jp, floor)
    if spec is not None:
        charts.append(
            Chart(
                "ch-jp",
                spec,
                _("JP earned per PNS in %(year)s; the dashed line is the floor (orange: below it)")
                % {"year": year},
                _("Histogram of JP per PNS with the yearly floor."),
                res.path(*jp, "distribution"),
            )
        )
    trend = list(res.records("indices", "trends", "regency", "jp_share_pns_compliant"))
    path = ("indices", "trends", "regency", "jp_share_pns_compliant")
    if len(trend) >= 2:
        charts.append(
            Chart(
                "ch-jp-trend",
                ChartSpec(
                    "line",
                    tuple(str(r.get("year")) for _i, r in trend),
                    (
                        Series(
                            _("Share of PNS reaching the JP floor"),
                            tuple(
                                res.num(*path, i, "value", kind="percent", digits=1)
                                for i, _r in trend
                            ),
                            emphasis=True,
                        ),
                    ),
                    x_label=_("Year"),
                    y_label=_("Share of PNS"),
                    value_kind="percent",
                    digits=1,
                ),
                _("Share of PNS reaching the yearly JP floor, per year"),
                _("Line chart of the share of PNS reaching the JP floor per year."),
                res.path(*path),
            )
        )
    rows = []
    for yr in sorted(int(k) for k in (res.get("indices", "regency") or {})):
        base = ("indices", "regency", str(yr), "jp")
        if res.get(*base) is None:
            continue
        rows.append(
            (
                text(str(yr)),
                result_cell(res, *base, "n_pns", kind="count"),
                result_cell(res, *base, "pns_compliant", kind="count"),
                result_cell(res, *base, "share_pns_compliant", kind="percent", digits=1),
                result_cell(res, *base, "mean_jp_pns", kind="jp", digits=1),
            )
        )
    table = Table(
        columns(
            _("Year"),
            (_("PNS"), True),
            (_("Meeting the floor"), True),
            (_("Share"), True),
            (_("Mean JP"), True),
        ),
        tuple(rows),
    )
    return Panel(
        "jp",
        _("Development hours (JP) against the yearly floor"),
        tuple(charts),
        (table,),
        link_url="#units",
        link_label=_("JP compliance per unit"),
    )


# --- IP ASN ---------------------------------------------------------------------------


def ip_panel(res: Results, year: int) -> Panel:
    ip = ("indices", "regency", str(year), "ip_asn")
    labels = band_labels(res)
    charts: list[Chart] = []
    if res.value(*ip, "n_scored"):
        charts.append(
            Chart(
                "ch-ip-bands",
                ChartSpec(
                    "bar",
                    tuple(labels[b] for b in IP_BANDS),
                    (
                        Series(
                            _("ASN scored"),
                            tuple(res.num(*ip, f"n_{b}", kind="count") for b in IP_BANDS),
                        ),
                    ),
                    x_label=_("IP ASN band"),
                    y_label=_("Number of ASN"),
                    value_kind="count",
                    digits=0,
                ),
                _("ASN per IP ASN band in %(year)s") % {"year": year},
                _("Bar chart of the number of ASN in each IP ASN band."),
                res.path(*ip),
            )
        )
    trend = list(res.records("indices", "trends", "regency", "ip_asn_mean"))
    path = ("indices", "trends", "regency", "ip_asn_mean")
    if len(trend) >= 2:
        charts.append(
            Chart(
                "ch-ip-trend",
                ChartSpec(
                    "line",
                    tuple(str(r.get("year")) for _i, r in trend),
                    (
                        Series(
                            _("IP ASN, mean"),
                            tuple(res.num(*path, i, "value", digits=1) for i, _r in trend),
                            emphasis=True,
                        ),
                    ),
                    x_label=_("Year"),
                    y_label=_("IP ASN (0–100)"),
                    digits=1,
                ),
                _("Mean IP ASN per year"),
                _("Line chart of the mean IP ASN per year."),
                res.path(*path),
            )
        )
    rows = tuple(
        (
            text(labels[b]),
            result_cell(res, *ip, f"n_{b}", kind="count"),
            result_cell(res, *ip, f"share_{b}", kind="percent", digits=1),
        )
        for b in IP_BANDS
        if res.get(*ip) is not None
    )
    note = ""
    if res.value(*ip, "n_incomplete"):
        note = _("%(n)s ASN could not be scored: some of their inputs are missing.") % {
            "n": fmt(res.value(*ip, "n_incomplete"), "count")
        }
    return Panel(
        "ip-asn",
        _("IP ASN (professionalism index of the ASN)"),
        tuple(charts),
        (Table(columns(_("Band"), (_("ASN"), True), (_("Share of scored"), True)), rows),),
        note=note,
    )


# --- IKM ------------------------------------------------------------------------------


def ikm_panel(res: Results, year: int, tree: UnitTree, unit_url: UnitUrl) -> Panel:
    y = str(year)
    minimum = res.privacy_minimum
    units = res.get("indices", "units") or {}
    shown: list[tuple[float, str]] = []
    hidden: list[str] = []
    for code, per_year in units.items():
        skm = per_year.get(y, {}).get("skm") if isinstance(per_year, dict) else None
        if (
            not isinstance(skm, dict)
            or res.value("indices", "units", code, y, "skm", "ikm") is None
        ):
            continue
        if is_suppressed(res.value("indices", "units", code, y, "skm", "n"), minimum):
            hidden.append(code)
        else:
            shown.append((float(skm["ikm"]), code))
    shown.sort(key=lambda t: (-t[0], t[1]))

    def name(code: str) -> str:
        node = tree.by_code.get(code)
        return node.name if node else code

    charts: list[Chart] = []
    regency_ikm = res.value("indices", "regency", y, "skm", "ikm")
    if shown:
        charts.append(
            Chart(
                "ch-ikm-units",
                ChartSpec(
                    "ranked_bar",
                    tuple(short(name(code)) for _v, code in shown),
                    (
                        Series(
                            _("IKM"),
                            tuple(
                                res.num("indices", "units", code, y, "skm", "ikm", digits=1)
                                for _v, code in shown
                            ),
                        ),
                    ),
                    x_label=_("IKM (0–100)"),
                    digits=1,
                    reference=ReferenceLine(
                        regency_ikm,
                        _("Regency %(ikm)s") % {"ikm": format_decimal(regency_ikm, 1)},
                    )
                    if regency_ikm is not None
                    else None,
                ),
                _("IKM per service unit in %(year)s (orange: below the regency)") % {"year": year},
                _("Bar chart of the IKM of each service unit, highest first."),
                res.path("indices", "units"),
            )
        )
    trend = list(res.records("indices", "trends", "regency", "ikm"))
    path = ("indices", "trends", "regency", "ikm")
    if len(trend) >= 2:
        charts.append(
            Chart(
                "ch-ikm-trend",
                ChartSpec(
                    "line",
                    tuple(str(r.get("year")) for _i, r in trend),
                    (
                        Series(
                            _("Regency"),
                            tuple(res.num(*path, i, "value", digits=2) for i, _r in trend),
                            emphasis=True,
                        ),
                    ),
                    x_label=_("Year"),
                    y_label=_("IKM (0–100)"),
                    digits=1,
                ),
                _("IKM of the regency per year"),
                _("Line chart of the regency IKM per year."),
                res.path(*path),
            )
        )
    rows: list[tuple[Cell, ...]] = []
    for rank, (_v, code) in enumerate(shown, start=1):
        base = ("indices", "units", code, y, "skm")
        node = tree.by_code.get(code)
        rows.append(
            (
                number(rank, "count"),
                text(name(code), unit_url(code) if node else ""),
                result_cell(res, *base, "ikm", digits=2),
                Cell(
                    f"{fmt(res.value(*base, 'ci_low'), digits=1)}–"
                    f"{fmt(res.value(*base, 'ci_high'), digits=1)}",
                    numeric=True,
                ),
                result_cell(res, *base, "n", kind="count"),
                text(str(res.get(*base, "grade") or "–")),
            )
        )
    for code in sorted(hidden, key=name):
        node = tree.by_code.get(code)
        rows.append(
            (
                text("–"),
                text(name(code), unit_url(code) if node else ""),
                withheld(minimum),
                text(""),
                text(""),
                text(""),
            )
        )
    return Panel(
        "ikm",
        _("Public satisfaction (IKM) per unit"),
        tuple(charts),
        (
            Table(
                columns(
                    (_("Rank"), True),
                    _("Unit"),
                    (_("IKM"), True),
                    (_("95% CI"), True),
                    (_("Respondents"), True),
                    _("Grade"),
                ),
                tuple(rows),
                empty=_("No SKM answers in this year."),
            ),
        ),
    )


# --- units ------------------------------------------------------------------------------


def unit_index_cells(index: PooledIndex, minimum: int) -> tuple[Cell, ...]:
    """People-weighted JP share, IP ASN mean and IKM of a pooled group (withheld if small)."""
    jp = (
        withheld(minimum)
        if is_suppressed(index.n_pns, minimum)
        else number(index.jp_share, "percent", 1)
    )
    ip = (
        withheld(minimum)
        if is_suppressed(index.ip_scored, minimum)
        else number(index.ip_mean, "decimal", 1)
    )
    if index.skm_n == 0:
        ikm = number(None)
    elif is_suppressed(index.skm_n, minimum):
        ikm = withheld(minimum)
    else:
        ikm = number(index.ikm, "decimal", 2)
    return (number(index.n_pns, "count"), jp, ip, ikm)


def unit_columns() -> tuple[tuple[str, bool], ...]:
    """The headings of :func:`unit_index_cells` (active language)."""
    return (
        (_("PNS"), True),
        (_("Meeting the JP floor"), True),
        (_("IP ASN, mean"), True),
        (_("IKM"), True),
    )


def units_panel(res: Results, year: int, tree: UnitTree, unit_url: UnitUrl) -> Panel:
    units = res.get("indices", "units") or {}
    rows: list[tuple[Cell, ...]] = []
    for node in tree.top_units():
        codes = [n.code for n in tree.subtree(node.pk)]
        index = pooled_index(units, codes, year)
        rows.append(
            (text(node.name, unit_url(node.code)), *unit_index_cells(index, res.privacy_minimum))
        )
    return Panel(
        "units",
        _("Units"),
        tables=(
            Table(
                columns(_("Unit"), *unit_columns()),
                tuple(rows),
                caption=_("Each unit with its sub-units; open a unit to see its people."),
            ),
        ),
    )
