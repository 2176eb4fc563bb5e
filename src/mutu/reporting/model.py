"""The report model: what the report says, before anyone decides how it looks.

A :class:`Report` is a tree of frozen dataclasses — sections holding blocks
(paragraphs, tables, figures, callouts, lists) — composed from the evaluation
results dict by :mod:`mutu.reporting.compose` and drawn by the renderers in
:mod:`mutu.reporting.renderers`. It holds already translated text (one report
is in one language) and keeps every number as a typed :class:`Number` with the
JSON Pointer (RFC 6901) of the value it came from in the evaluation results, so
a test can check each printed number against its source
(:func:`iter_numbers`, :func:`resolve`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

NumberKind = Literal[
    "count",  # whole number: 1.234
    "decimal",  # 1.234,56
    "percent",  # value is a share 0–1, printed ×100 with "%"
    "percent100",  # value already in percent (0–100), printed with "%"
    "percent_points",  # value already in percentage points
    "rupiah",  # Rp 1.250.000
    "jp",  # jam pelajaran
    "p_value",  # p = 0,034 / p < 0,001
]
ColumnKind = NumberKind | Literal["text"]
ChartKind = Literal["histogram", "point_range", "line", "funnel", "bar", "ranked_bar"]
CalloutKind = Literal["finding", "caution", "no_data"]


@dataclass(frozen=True)
class Number:
    """A number as printed, with where it came from.

    ``value`` is exactly the value at ``source`` (a JSON Pointer into the
    evaluation results); the renderer formats it by ``kind`` and ``digits`` in
    the report's language. ``signed`` prints a ``+`` before positive values
    (effects), ``compact`` prints large Rupiah as "Rp 2,39 miliar", ``unit=False``
    leaves out the unit words (the ends of an interval whose unit follows once).
    """

    value: float | None
    kind: NumberKind = "decimal"
    digits: int = 2
    source: str = ""
    signed: bool = False
    compact: bool = False
    unit: bool = True


@dataclass(frozen=True)
class Suppressed:
    """A value withheld because its group is smaller than the privacy minimum."""

    minimum: int
    source: str = ""


@dataclass(frozen=True)
class Ref:
    """A cross-reference to a figure or table by its id ("Gambar 3", "Tabel 2")."""

    target: str


@dataclass(frozen=True)
class Note:
    """A footnote, attached where it appears in a paragraph."""

    parts: tuple[Inline, ...]
    source: str = ""


Inline: TypeAlias = str | Number | Suppressed | Ref | Note
Cell: TypeAlias = str | Number | Suppressed | None


@dataclass(frozen=True)
class Paragraph:
    """Running text: strings, numbers, references and footnotes in reading order."""

    parts: tuple[Inline, ...]
    source: str = ""


@dataclass(frozen=True)
class Bullets:
    """A list of short items (recommendations, data-quality points)."""

    items: tuple[tuple[Inline, ...], ...]
    source: str = ""
    ordered: bool = False


@dataclass(frozen=True)
class Callout:
    """A boxed finding, caution or "the data cannot answer this"."""

    kind: CalloutKind
    title: str
    parts: tuple[Inline, ...]
    source: str = ""


@dataclass(frozen=True)
class Column:
    """A table column: its heading and how its cells are formatted."""

    key: str
    label: str
    kind: ColumnKind = "text"
    digits: int = 0


@dataclass(frozen=True)
class Table:
    """A table with typed cells, its caption, source and the definitions of its terms.

    ``id`` is used for cross-references; ``sheet`` is the (≤ 31 character)
    worksheet name in the XLSX annex.
    """

    id: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    source: str = ""
    definitions: tuple[tuple[str, str], ...] = ()
    note: str = ""
    sheet: str = ""


@dataclass(frozen=True)
class Series:
    """One series of a chart: a value (and optionally an interval) per category."""

    name: str
    values: tuple[Number | None, ...]
    low: tuple[Number | None, ...] = ()
    high: tuple[Number | None, ...] = ()
    emphasis: bool = False


@dataclass(frozen=True)
class ReferenceLine:
    """A line drawn across the chart at ``value`` (e.g. the 20 JP floor, zero effect)."""

    value: float
    label: str = ""


@dataclass(frozen=True)
class ChartSpec:
    """What a chart shows, independent of how it is drawn (PNG or interactive SVG).

    - ``histogram``: one series of counts per bin; ``edges`` has one more entry
      than ``categories``; the reference line is vertical (e.g. 20 JP).
    - ``point_range``: estimates with intervals per category; horizontal (the
      categories down the side) unless ``vertical`` (event study).
    - ``line``: one line per series over the categories (years).
    - ``funnel``: one series of decreasing counts, one stage per category.
    - ``bar``: grouped vertical bars (e.g. budget and spending per year).
    - ``ranked_bar``: horizontal bars, largest first.
    """

    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    x_label: str = ""
    y_label: str = ""
    value_kind: NumberKind = "decimal"
    digits: int = 1
    reference: ReferenceLine | None = None
    edges: tuple[float, ...] = ()
    vertical: bool = False


@dataclass(frozen=True)
class Figure:
    """A chart with its caption, a text alternative and its source."""

    id: str
    chart: ChartSpec
    caption: str
    alt: str = ""
    source: str = ""


Block: TypeAlias = Paragraph | Bullets | Callout | Table | Figure


@dataclass(frozen=True)
class Section:
    """A numbered section ("1", "4.2", "A") with its blocks and subsections."""

    number: str
    heading: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()
    id: str = ""


@dataclass(frozen=True)
class Metadata:
    """What a reader needs to reproduce the report."""

    data_hash: str = ""
    rulebooks: tuple[tuple[str, str], ...] = ()
    software_version: str = ""
    seed: int | None = None
    plan: tuple[tuple[str, str], ...] = ()
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Report:
    """The whole report in one language."""

    title: str
    subtitle: str
    regency: str
    period: str
    date: dt.date
    lang: str
    sections: tuple[Section, ...]
    annex: tuple[Section, ...] = ()
    metadata: Metadata = field(default_factory=Metadata)
    warning: str = ""
    year: int | None = None


# --- walking the model -------------------------------------------------------------


def iter_sections(sections: Sequence[Section]) -> Iterator[Section]:
    """Every section and subsection, depth first, in reading order."""
    for section in sections:
        yield section
        yield from iter_sections(section.subsections)


def iter_blocks(report: Report) -> Iterator[Block]:
    """Every block of the body and the annex in reading order."""
    for section in iter_sections((*report.sections, *report.annex)):
        yield from section.blocks


def _inline_numbers(parts: Sequence[Inline]) -> Iterator[Number]:
    for part in parts:
        if isinstance(part, Number):
            yield part
        elif isinstance(part, Note):
            yield from _inline_numbers(part.parts)


def block_numbers(block: Block) -> Iterator[Number]:
    """The numbers a block prints (chart values included)."""
    if isinstance(block, Paragraph | Callout):
        yield from _inline_numbers(block.parts)
    elif isinstance(block, Bullets):
        for item in block.items:
            yield from _inline_numbers(item)
    elif isinstance(block, Table):
        for row in block.rows:
            yield from (cell for cell in row if isinstance(cell, Number))
    else:
        for series in block.chart.series:
            for values in (series.values, series.low, series.high):
                yield from (v for v in values if v is not None)


def iter_numbers(report: Report) -> Iterator[Number]:
    """Every :class:`Number` in the report."""
    for block in iter_blocks(report):
        yield from block_numbers(block)


def figures_and_tables(report: Report) -> dict[str, int]:
    """Figure and table numbers by id, counted separately in reading order."""
    numbers: dict[str, int] = {}
    counts = {"figure": 0, "table": 0}
    for block in iter_blocks(report):
        if isinstance(block, Figure):
            counts["figure"] += 1
            numbers[block.id] = counts["figure"]
        elif isinstance(block, Table):
            counts["table"] += 1
            numbers[block.id] = counts["table"]
    return numbers


# --- JSON Pointer ------------------------------------------------------------------


def pointer(*keys: str | int) -> str:
    """The JSON Pointer (RFC 6901) of a path: ``pointer("a", 0, "b/c") == "/a/0/b~1c"``."""
    return "".join("/" + str(k).replace("~", "~0").replace("/", "~1") for k in keys)


def resolve(data: Any, path: str) -> Any:
    """The value at a JSON Pointer; ``KeyError`` when the path does not exist."""
    if path == "":
        return data
    if not path.startswith("/"):
        raise KeyError(path)
    node = data
    for raw in path[1:].split("/"):
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping):
            node = node[key]
        elif isinstance(node, Sequence) and not isinstance(node, str):
            try:
                node = node[int(key)]
            except (ValueError, IndexError) as err:
                raise KeyError(path) from err
        else:
            raise KeyError(path)
    return node
