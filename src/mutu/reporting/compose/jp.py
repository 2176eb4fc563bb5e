"""Section 4.6: development hours (JP) against the yearly floor of every PNS."""

from __future__ import annotations

import itertools

from django.utils.translation import gettext as _

from mutu.reporting.compose.source import Key, Results, sentence
from mutu.reporting.formatting import format_decimal
from mutu.reporting.model import (
    Block,
    Callout,
    ChartSpec,
    Figure,
    Paragraph,
    ReferenceLine,
    Section,
    Series,
)


def jp_histogram_spec(res: Results, jp: tuple[Key, ...], floor: float | None) -> ChartSpec | None:
    """The histogram of JP per PNS at ``jp/distribution``, with the floor as its reference line.

    ``None`` when the results hold no well-formed distribution. The report and
    the dashboard draw the same chart from this spec.
    """
    edges = res.get(*jp, "distribution", "edges")
    counts = res.get(*jp, "distribution", "counts")
    if not (isinstance(edges, list) and isinstance(counts, list)):
        return None
    if len(edges) != len(counts) + 1:
        return None
    return ChartSpec(
        "histogram",
        tuple(
            # the last bin holds everyone at or above its lower edge (indices overview)
            f"≥ {format_decimal(float(a), 0)} JP"
            if i == len(edges) - 2
            else f"{format_decimal(float(a), 0)}–{format_decimal(float(b), 0)} JP"
            for i, (a, b) in enumerate(itertools.pairwise(edges))
        ),
        (
            Series(
                _("PNS"),
                tuple(
                    res.num(*jp, "distribution", "counts", i, kind="count")
                    for i in range(len(counts))
                ),
            ),
        ),
        x_label=_("JP earned in the year"),
        y_label=_("Number of PNS"),
        value_kind="count",
        digits=0,
        reference=ReferenceLine(floor, f"{format_decimal(floor, 0)} JP")
        if floor is not None
        else None,
        edges=tuple(float(e) for e in edges),
    )


def _jp_histogram(res: Results) -> Figure | None:
    jp = res.regency("jp")
    chart = jp_histogram_spec(res, jp, res.value(*jp, "floor_jp"))
    if chart is None:
        return None
    return Figure(
        "fig-jp",
        chart,
        _("JP earned per PNS in the year; the dashed line is the floor (orange: below it)"),
        _("Histogram of JP per PNS with the yearly floor."),
        res.path(*jp, "distribution"),
    )


def _jp_trend(res: Results) -> Figure | None:
    rows = list(res.records("indices", "trends", "regency", "jp_share_pns_compliant"))
    if len(rows) < 2:
        return None
    path = ("indices", "trends", "regency", "jp_share_pns_compliant")
    chart = ChartSpec(
        "line",
        tuple(str(r.get("year")) for _i, r in rows),
        (
            Series(
                _("Share of PNS reaching the JP floor"),
                tuple(res.num(*path, i, "value", kind="percent", digits=1) for i, _r in rows),
                emphasis=True,
            ),
        ),
        x_label=_("Year"),
        y_label=_("Share of PNS"),
        value_kind="percent",
        digits=1,
    )
    return Figure(
        "fig-jp-trend",
        chart,
        _("Share of PNS reaching the yearly JP floor, per year"),
        _("Line chart of the share of PNS reaching the JP floor per year."),
        res.path(*path),
    )


def jp_section(res: Results) -> Section:
    """4.6: JP earned against the yearly floor."""
    jp = res.regency("jp")
    blocks: list[Block] = []
    if res.value(*jp, "share_pns_compliant") is not None:
        blocks.append(
            Paragraph(
                sentence(
                    _(
                        "In %(year)s, %(share)s of %(n)s PNS (%(k)s people) reached the yearly "
                        "JP floor; the mean was %(mean)s per PNS, and together they fell "
                        "%(deficit)s short of it."
                    ),
                    year=str(res.year),
                    share=res.num(*jp, "share_pns_compliant", kind="percent", digits=1),
                    n=res.num(*jp, "n_pns", kind="count"),
                    k=res.num(*jp, "pns_compliant", kind="count"),
                    mean=res.num(*jp, "mean_jp_pns", kind="jp", digits=1),
                    deficit=res.num(*jp, "deficit_jp", kind="jp", digits=0),
                ),
                res.path(*jp),
            )
        )
    for figure in (_jp_histogram(res), _jp_trend(res)):
        if figure is not None:
            blocks.append(figure)
    if not any(isinstance(b, Figure) and b.id == "fig-jp" for b in blocks):
        blocks.append(
            Callout(
                "no_data",
                _("JP distribution not available"),
                (
                    _(
                        "The results hold no distribution of JP per PNS, so the chart of JP "
                        "against the yearly floor cannot be drawn."
                    ),
                ),
                res.path(*jp, "distribution"),
            )
        )
    return Section(
        "4.6", _("Development hours (JP) against the yearly floor"), tuple(blocks), id="s-4-6"
    )
