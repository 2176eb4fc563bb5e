"""What a dashboard page shows, already formatted: tiles, tables and charts.

Numbers are formatted here, in the active language, by the report's own
helpers (:mod:`mutu.reporting.formatting`), so a figure reads the same on the
dashboard and in the report. A figure taken from the stored evaluation keeps
the JSON Pointer of its value (``source``), which the templates print as
``data-source``, as the HTML report does.

Charts are :class:`~mutu.reporting.model.ChartSpec` s drawn by the report's
engine (:func:`mutu.reporting.charts.render_svg`). Drawing one takes 50–150 ms,
so the SVG is kept in memory per spec and language: a spec holds only the
numbers and words it shows, so an equal spec always draws the same picture.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from mutu.reporting.charts import render_svg
from mutu.reporting.compose.source import Key, Results
from mutu.reporting.formatting import active_lang, format_value, is_suppressed, suppressed_text
from mutu.reporting.model import ChartSpec, Number, NumberKind

#: Drawn charts kept in memory (a regency page has about a dozen, a unit page three).
CHART_CACHE_SIZE = 512

# matplotlib's rc_context changes global settings: one drawing at a time per process.
_draw_lock = threading.Lock()


@functools.lru_cache(maxsize=CHART_CACHE_SIZE)
def chart_svg(spec: ChartSpec, lang: str, prefix: str) -> str:
    """The chart as inline SVG (memoised: equal specs draw the same picture)."""
    with _draw_lock:
        return render_svg(spec, lang, prefix=prefix)


def fmt(
    value: float | None,
    kind: NumberKind = "decimal",
    digits: int = 1,
    *,
    signed: bool = False,
    compact: bool = False,
    unit: bool = True,
) -> str:
    """A number as the active language writes it (``1.234,5``; ``Rp 2,39 miliar``; ``14,2%``)."""
    return format_value(
        None if value is None else float(value),
        kind,
        digits,
        active_lang(),
        signed=signed,
        compact=compact,
        unit=unit,
    )


@dataclass(frozen=True)
class Kpi:
    """A tile: a label, its value and a line under it."""

    label: str
    value: str
    sub: str = ""
    source: str = ""
    withheld: bool = False
    tone: str = ""


@dataclass(frozen=True)
class Cell:
    """A table cell: text, optionally a link, a number (right-aligned) or withheld."""

    text: str
    url: str = ""
    numeric: bool = False
    source: str = ""
    withheld: bool = False
    tone: str = ""
    sub: str = ""


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """A small table under a chart (or on its own)."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str = ""
    empty: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart of the report's engine with its caption and text alternative."""

    id: str
    spec: ChartSpec
    caption: str
    alt: str
    source: str = ""

    def svg(self) -> SafeString:
        # matplotlib escapes every text it writes into the SVG, render_svg the tooltips.
        return mark_safe(chart_svg(self.spec, active_lang(), self.id))


@dataclass(frozen=True)
class Panel:
    """A card: a title, charts, a table and a note or link under them."""

    id: str
    title: str
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    note: str = ""
    link_url: str = ""
    link_label: str = ""
    #: Tables too wide to sit beside a chart go under it.
    stack: bool = False


def text(value: str, url: str = "") -> Cell:
    return Cell(value, url)


def number(
    value: float | None,
    kind: NumberKind = "decimal",
    digits: int = 1,
    *,
    source: str = "",
    signed: bool = False,
    compact: bool = False,
    unit: bool = True,
    url: str = "",
    tone: str = "",
) -> Cell:
    """A right-aligned number cell."""
    return Cell(
        fmt(value, kind, digits, signed=signed, compact=compact, unit=unit),
        url,
        True,
        source,
        tone=tone,
    )


def withheld(minimum: int, source: str = "") -> Cell:
    """The cell of a value withheld because its group is below the privacy minimum."""
    return Cell(suppressed_text(minimum), numeric=True, source=source, withheld=True)


def result_cell(
    res: Results, *keys: Key, kind: NumberKind = "decimal", digits: int = 1, signed: bool = False
) -> Cell:
    """A number of the stored evaluation, with its JSON Pointer."""
    return number(
        res.value(*keys), kind, digits, source=res.path(*keys), signed=signed, compact=False
    )


def result_kpi(
    res: Results,
    label: str,
    *keys: Key,
    kind: NumberKind = "decimal",
    digits: int = 1,
    sub: str = "",
    compact: bool = False,
    group: float | None = None,
) -> Kpi:
    """A tile of a stored value; withheld when ``group`` (its group size) is too small."""
    if group is not None and is_suppressed(group, res.privacy_minimum):
        return Kpi(label, suppressed_text(res.privacy_minimum), withheld=True)
    return Kpi(
        label, fmt(res.value(*keys), kind, digits, compact=compact), sub, source=res.path(*keys)
    )


def series_number(value: float | None, kind: NumberKind, digits: int, source: str = "") -> Number:
    """A chart value (``None`` draws nothing: missing or withheld)."""
    return Number(value, kind, digits, source)


def columns(*specs: tuple[str, bool] | str) -> tuple[Column, ...]:
    """Columns from labels (text) or (label, numeric) pairs."""
    return tuple(Column(s) if isinstance(s, str) else Column(*s) for s in specs)


def short(name: str, limit: int = 32) -> str:
    """A long unit name shortened for a chart axis (the table below shows it in full)."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"
