"""What every renderer shares: captions, cross-references and plain-text inlines."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from mutu.reporting.formatting import format_number, suppressed_text
from mutu.reporting.model import (
    Cell,
    Column,
    Figure,
    Inline,
    Note,
    Number,
    Ref,
    Report,
    Suppressed,
    Table,
    figures_and_tables,
)


class Numbering:
    """Figure and table numbers of one report, and the words that cite them."""

    def __init__(self, report: Report) -> None:
        self.numbers = figures_and_tables(report)
        self.lang = report.lang

    def label(self, block: Figure | Table) -> str:
        """``Gambar 3`` / ``Figure 3``, ``Tabel 2`` / ``Table 2``."""
        if isinstance(block, Figure):
            return _("Figure %(number)s") % {"number": self.numbers[block.id]}
        return _("Table %(number)s") % {"number": self.numbers[block.id]}

    def ref(self, ref: Ref) -> str:
        """The label of the figure or table a reference points to."""
        number = self.numbers.get(ref.target)
        if number is None:
            return "?"
        if ref.target.startswith("fig"):
            return _("Figure %(number)s") % {"number": number}
        return _("Table %(number)s") % {"number": number}


def inline_text(parts: Sequence[Inline], lang: str, numbering: Numbering | None = None) -> str:
    """Inline parts as plain text (footnotes in brackets): for XLSX, alt texts and tests."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Number):
            out.append(format_number(part, lang))
        elif isinstance(part, Suppressed):
            out.append(suppressed_text(part.minimum))
        elif isinstance(part, Ref):
            out.append(numbering.ref(part) if numbering else part.target)
        elif isinstance(part, Note):
            out.append(" (" + inline_text(part.parts, lang, numbering) + ")")
    return "".join(out)


def cell_text(cell: Cell, column: Column, lang: str) -> str:
    """A table cell as printed: numbers without their unit (the column heading has it)."""
    if cell is None:
        return "–"
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Suppressed):
        return suppressed_text(cell.minimum)
    return format_number(cell, lang, unit=False)


def is_numeric(column: Column) -> bool:
    """Whether a column is right-aligned."""
    return column.kind != "text"


def page_template() -> tuple[str, str, str]:
    """The page-number sentence split around its two numbers: ("Page ", " of ", "")."""
    text = _("Page %(page)s of %(pages)s")
    before, rest = text.split("%(page)s", 1)
    middle, after = rest.split("%(pages)s", 1)
    return before, middle, after


def table_source_note(table: Table) -> str:
    """``Sumber: /path`` under a table (the evaluation results' JSON Pointer)."""
    return _("Source: evaluation results, %(path)s") % {"path": table.source or "/"}
