"""Draw a :class:`~mutu.reporting.model.ChartSpec` on a matplotlib figure.

One drawing serves both outputs (PNG for PDF/DOCX, SVG with tooltips for
HTML), so the two can never disagree. Every data mark gets a ``gid``
(``mark0``, ``mark1``, …) and a tooltip text; :mod:`mutu.reporting.charts`
turns those into ``<title>`` elements in the SVG.

Colours are the Okabe–Ito palette (distinguishable with colour-vision
deficiencies); bars below a reference line are drawn in orange so the eye
finds them without the legend.
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Literal

from django.utils.translation import gettext as _
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from mutu.reporting.formatting import format_decimal, format_value
from mutu.reporting.model import ChartSpec, Number, NumberKind, Series

BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILION = "#D55E00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
GREY = "#6E6E6E"
INK = "#1A1A1A"
PALETTE = (BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE, "#999933", "#882255")

WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with 2.5 cm margins


class Tips:
    """Collects a tooltip per data mark and names the mark's SVG group."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def add(self, artist: Any, text: str) -> None:
        artist.set_gid(f"mark{len(self.texts)}")
        self.texts.append(text)


class _LocaleFormatter(Formatter):
    """Tick labels in the report language, with as few decimals as the ticks need."""

    def __init__(self, kind: NumberKind, lang: str, scale: float = 1.0) -> None:
        self.kind, self.lang, self.scale = kind, lang, scale
        self.digits = 0

    def set_locs(self, locs: list[float]) -> None:
        super().set_locs(locs)
        values = [v / self.scale * (100 if self.kind == "percent" else 1) for v in locs]
        steps = [abs(b - a) for a, b in itertools.pairwise(values) if b != a]
        step = min(steps) if steps else 1.0
        self.digits = max(0, min(3, -math.floor(math.log10(step) + 1e-9))) if step < 1 else 0

    def __call__(self, x: float, pos: int | None = None) -> str:
        if self.kind == "percent":
            return format_decimal(x * 100, self.digits, self.lang) + "%"
        if self.kind == "percent100":
            return format_decimal(x, self.digits, self.lang) + "%"
        return format_decimal(x / self.scale, self.digits, self.lang)


def _value(n: Number | None) -> float | None:
    if n is None or n.value is None:
        return None
    value = float(n.value)
    return value if math.isfinite(value) else None


def _fmt(spec: ChartSpec, n: Number | None, lang: str) -> str:
    if n is None or n.value is None:
        return _("no data")
    return format_value(n.value, n.kind, n.digits, lang, signed=n.signed, compact=True)


def _rupiah_scale(spec: ChartSpec) -> tuple[float, str]:
    """Scale large Rupiah axes to juta / miliar and name the unit in the axis label."""
    values = [abs(v) for s in spec.series for v in map(_value, s.values) if v is not None]
    top = max(values, default=0.0)
    if top >= 1e9:
        return 1e9, _("Rp billion")
    if top >= 1e6:
        return 1e6, _("Rp million")
    return 1.0, "Rp"


def _style(ax: Axes, spec: ChartSpec, lang: str, value_axis: Literal["x", "y"]) -> None:
    scale, unit = (1.0, "")
    if spec.value_kind == "rupiah":
        scale, unit = _rupiah_scale(spec)
    formatter = _LocaleFormatter(spec.value_kind, lang, scale)
    axis = ax.yaxis if value_axis == "y" else ax.xaxis
    axis.set_major_formatter(formatter)
    axis.set_major_locator(MaxNLocator(nbins=6))
    x_label, y_label = spec.x_label, spec.y_label
    if unit:
        if value_axis == "y":
            y_label = f"{y_label} ({unit})" if y_label else unit
        else:
            x_label = f"{x_label} ({unit})" if x_label else unit
    ax.set_xlabel(x_label, color=INK)
    ax.set_ylabel(y_label, color=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(GREY)
    ax.tick_params(colors=INK, labelsize=8)
    ax.grid(axis=value_axis, color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


def _histogram(fig: Figure, ax: Axes, spec: ChartSpec, lang: str, tips: Tips) -> None:
    counts = spec.series[0].values
    edges = spec.edges or tuple(float(i) for i in range(len(counts) + 1))
    ref = spec.reference.value if spec.reference else None
    for i, n in enumerate(counts):
        left, right = edges[i], edges[i + 1]
        colour = ORANGE if ref is not None and right <= ref else BLUE
        bars = ax.bar(left, _value(n) or 0.0, width=right - left, align="edge", color=colour)
        bars[0].set_edgecolor("white")
        tips.add(bars[0], f"{spec.categories[i]}: {_fmt(spec, n, lang)}")
    if spec.reference is not None:
        line = ax.axvline(spec.reference.value, color=INK, linestyle="--", linewidth=1.2)
        tips.add(line, spec.reference.label)
        ax.annotate(
            spec.reference.label,
            xy=(spec.reference.value, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(4, -2),
            textcoords="offset points",
            va="top",
            fontsize=8,
            color=INK,
        )
    ax.set_xlim(edges[0], edges[-1])
    _style(ax, spec, lang, "y")


def first_value(series: Series) -> int:
    """Index of the first category with a value (the one that carries the legend label)."""
    return next((i for i, v in enumerate(series.values) if _value(v) is not None), -1)


def _point_range(fig: Figure, ax: Axes, spec: ChartSpec, lang: str, tips: Tips) -> None:
    n_cat, n_series = len(spec.categories), len(spec.series)
    offsets = [(j - (n_series - 1) / 2) * 0.22 for j in range(n_series)]
    for j, series in enumerate(spec.series):
        colour = PALETTE[j % len(PALETTE)]
        for i, est in enumerate(series.values):
            v = _value(est)
            if v is None:
                continue
            pos = (i if spec.vertical else n_cat - 1 - i) + offsets[j]
            low = _value(series.low[i]) if series.low else None
            high = _value(series.high[i]) if series.high else None
            if low is not None and high is not None:
                if spec.vertical:
                    ax.plot([pos, pos], [low, high], color=colour, linewidth=2, alpha=0.8)
                else:
                    ax.plot([low, high], [pos, pos], color=colour, linewidth=2, alpha=0.8)
            xy = (pos, v) if spec.vertical else (v, pos)
            label = series.name if i == first_value(series) else None
            (marker,) = ax.plot(*xy, "o", color=colour, markersize=6, zorder=3, label=label)
            interval = ""
            if low is not None and high is not None:
                interval = " ({} {} {})".format(
                    _fmt(spec, series.low[i], lang), _("to"), _fmt(spec, series.high[i], lang)
                )
            name = f"{series.name}, " if n_series > 1 else ""
            tips.add(marker, f"{name}{spec.categories[i]}: {_fmt(spec, est, lang)}{interval}")
    ticks = list(range(n_cat)) if spec.vertical else [n_cat - 1 - i for i in range(n_cat)]
    if spec.vertical:
        ax.set_xticks(ticks, spec.categories)
        ax.set_xlim(-0.6, n_cat - 0.4)
    else:
        ax.set_yticks(ticks, spec.categories)
        ax.set_ylim(-0.6, n_cat - 0.4)
    if spec.reference is not None:
        draw = ax.axhline if spec.vertical else ax.axvline
        draw(spec.reference.value, color=GREY, linestyle="--", linewidth=1)
    if n_series > 1:
        ax.legend(frameon=False, fontsize=8, loc="best")
    _style(ax, spec, lang, "y" if spec.vertical else "x")


def _line(fig: Figure, ax: Axes, spec: ChartSpec, lang: str, tips: Tips) -> None:
    xs = list(range(len(spec.categories)))
    colours = iter(PALETTE)
    for series in spec.series:
        colour = INK if series.emphasis else next(colours, GREY)
        ys = [_value(v) for v in series.values]
        points = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None]
        if not points:
            continue
        (line,) = ax.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            color=colour,
            linewidth=2.6 if series.emphasis else 1.4,
            label=series.name,
            zorder=3 if series.emphasis else 2,
        )
        tips.add(line, series.name)
        for i, v in enumerate(series.values):
            if _value(v) is None:
                continue
            (dot,) = ax.plot(xs[i], _value(v) or 0.0, "o", color=colour, markersize=4, zorder=4)
            tips.add(dot, f"{series.name}, {spec.categories[i]}: {_fmt(spec, v, lang)}")
    ax.set_xticks(xs, spec.categories)
    ax.set_xlim(-0.3, len(xs) - 0.7)
    if spec.value_kind in ("percent", "percent100"):
        ax.set_ylim(bottom=0)  # shares start at zero, so a small change does not look large
    ax.legend(
        frameon=False,
        fontsize=7.5,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=min(3, max(1, len(spec.series))),
    )
    _style(ax, spec, lang, "y")


def _funnel(fig: Figure, ax: Axes, spec: ChartSpec, lang: str, tips: Tips) -> None:
    values = spec.series[0].values
    top = max((_value(v) or 0.0 for v in values), default=1.0) or 1.0
    n = len(values)
    for i, v in enumerate(values):
        width = _value(v) or 0.0
        shade = PALETTE[0] if i == 0 else SKY if i < n - 1 else GREEN
        bars = ax.barh(n - 1 - i, width, left=(top - width) / 2, height=0.72, color=shade)
        tips.add(bars[0], f"{spec.categories[i]}: {_fmt(spec, v, lang)}")
        ax.text(
            top / 2,
            n - 1 - i,
            _fmt(spec, v, lang),
            ha="center",
            va="center",
            fontsize=8.5,
            color="white" if width > top * 0.25 else INK,
            fontweight="bold",
        )
    ax.set_yticks([n - 1 - i for i in range(n)], spec.categories)
    ax.set_xticks([])
    ax.set_xlim(0, top)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(GREY)
    ax.tick_params(colors=INK, labelsize=8, left=False)


def _bar(fig: Figure, ax: Axes, spec: ChartSpec, lang: str, tips: Tips) -> None:
    n_series = len(spec.series)
    width = 0.8 / max(1, n_series)
    for j, series in enumerate(spec.series):
        for i, v in enumerate(series.values):
            x = i - 0.4 + width * (j + 0.5)
            bars = ax.bar(
                x,
                _value(v) or 0.0,
                width=width * 0.92,
                color=PALETTE[j % len(PALETTE)],
                label=series.name if i == 0 else None,
            )
            tips.add(bars[0], f"{series.name}, {spec.categories[i]}: {_fmt(spec, v, lang)}")
    ax.set_xticks(range(len(spec.categories)), spec.categories)
    if spec.reference is not None:
        ax.axhline(spec.reference.value, color=INK, linestyle="--", linewidth=1)
    if n_series > 1:
        ax.legend(
            frameon=False,
            fontsize=8,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=n_series,
        )
    _style(ax, spec, lang, "y")


def _ranked_bar(fig: Figure, ax: Axes, spec: ChartSpec, lang: str, tips: Tips) -> None:
    series = spec.series[0]
    n = len(spec.categories)
    ref = spec.reference.value if spec.reference else None
    top = max((_value(v) or 0.0 for v in series.values), default=1.0) or 1.0
    for i, v in enumerate(series.values):
        value = _value(v)
        colour = ORANGE if ref is not None and value is not None and value < ref else BLUE
        bars = ax.barh(n - 1 - i, value or 0.0, height=0.7, color=colour)
        tips.add(bars[0], f"{spec.categories[i]}: {_fmt(spec, v, lang)}")
        ax.text(
            (value or 0.0) + top * 0.01,
            n - 1 - i,
            _fmt(spec, v, lang),
            va="center",
            fontsize=7.5,
            color=INK,
        )
    ax.set_yticks([n - 1 - i for i in range(n)], spec.categories)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlim(0, top * 1.15)
    if spec.reference is not None:
        line = ax.axvline(spec.reference.value, color=INK, linestyle="--", linewidth=1)
        tips.add(line, spec.reference.label)
        ax.annotate(
            spec.reference.label,
            xy=(spec.reference.value, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, 2),
            textcoords="offset points",
            va="bottom",
            fontsize=7.5,
            color=INK,
        )
    _style(ax, spec, lang, "x")
    ax.tick_params(axis="y", left=False)


DRAWERS = {
    "histogram": _histogram,
    "point_range": _point_range,
    "line": _line,
    "funnel": _funnel,
    "bar": _bar,
    "ranked_bar": _ranked_bar,
}


def figure_height(spec: ChartSpec) -> float:
    """Inches: horizontal charts grow with their categories, the others are 3.4 in."""
    if spec.kind in ("ranked_bar", "funnel") or (spec.kind == "point_range" and not spec.vertical):
        return min(8.0, 1.1 + 0.3 * len(spec.categories) * max(1, len(spec.series) * 0.7))
    if spec.kind == "line":
        return 3.9
    return 3.4


def draw(spec: ChartSpec, lang: str) -> tuple[Figure, Tips]:
    """A matplotlib figure of the spec (no pyplot: no global state) and its tooltips."""
    fig = Figure(figsize=(WIDTH_IN, figure_height(spec)), layout="constrained")
    ax = fig.add_subplot()
    tips = Tips()
    DRAWERS[spec.kind](fig, ax, spec, lang, tips)
    return fig, tips
