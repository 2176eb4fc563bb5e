"""The data annex as an Excel workbook (openpyxl).

One worksheet per table of the report, in reading order, with the caption,
the source path in the evaluation results, a header row (frozen, with a
filter) and the values stored as numbers with number formats — never as text
— so an analyst can recompute from them. A "Definisi"/"Definitions" sheet
lists each table's terms and a "Tentang"/"About" sheet the reproducibility
metadata (data hash, rulebook versions, software version, seed).

Percentages are stored as shares (0.423 shown as 42.3%), Rupiah as whole
Rupiah; Excel shows the separators of the reader's own locale.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mutu.reporting.formatting import format_date, suppressed_text
from mutu.reporting.model import Column, NumberKind, Report, Suppressed, Table, iter_blocks
from mutu.reporting.renderers.common import Numbering

__all__ = ["excel_format", "render_xlsx", "sheet_names"]

HEADER_FILL = PatternFill("solid", fgColor="0B4F7C")
HEADER_FONT = Font(bold=True, color="FFFFFF")
FIRST_DATA_ROW = 5


def excel_format(kind: NumberKind, digits: int) -> str:
    """The Excel number format of a column kind (locale-neutral codes)."""
    decimals = "." + "0" * digits if digits > 0 else ""
    if kind == "percent":
        return f"0{decimals}%"
    if kind == "percent100":
        return f'0{decimals}"%"'
    if kind == "rupiah":
        return '"Rp "#,##0'
    if kind == "count":
        return "#,##0"
    if kind == "p_value":
        return "0.0000"
    return f"#,##0{decimals}"


def _clean(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", name).strip()


def sheet_names(tables: list[Table], numbering: Numbering) -> list[str]:
    """Unique worksheet names of at most 31 characters, one per table."""
    names: list[str] = []
    for table in tables:
        base = _clean(table.sheet or f"T{numbering.numbers[table.id]} {table.caption}")[:31]
        name, i = base, 2
        while name.lower() in {n.lower() for n in names}:
            suffix = f" ({i})"
            name, i = base[: 31 - len(suffix)] + suffix, i + 1
        names.append(name)
    return names


def _widths(ws: Worksheet, columns: int) -> None:
    for index in range(1, columns + 1):
        letter = get_column_letter(index)
        longest = max(
            (len(str(c.value)) for c in ws[letter][FIRST_DATA_ROW - 2 :] if c.value is not None),
            default=8,
        )
        ws.column_dimensions[letter].width = min(50, max(9, longest + 2))


def _write_table(ws: Worksheet, table: Table, label: str) -> None:
    ws["A1"] = f"{label}. {table.caption}"
    ws["A1"].font = Font(bold=True, size=12)
    if table.source:
        ws["A2"] = _("Source: evaluation results, %(path)s") % {"path": table.source}
        ws["A2"].font = Font(italic=True, color="5A5A5A")
    header = FIRST_DATA_ROW - 1
    for j, column in enumerate(table.columns, start=1):
        cell = ws.cell(row=header, column=j, value=column.label)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(table.rows, start=FIRST_DATA_ROW):
        for j, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            _write_cell(ws, i, j, column, value)
    last_row = FIRST_DATA_ROW + len(table.rows) - 1
    if table.note:
        ws.cell(row=last_row + 2, column=1, value=table.note).font = Font(italic=True)
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    end = get_column_letter(len(table.columns))
    ws.auto_filter.ref = f"A{header}:{end}{max(header, last_row)}"
    _widths(ws, len(table.columns))


def _write_cell(ws: Worksheet, row: int, col: int, column: Column, value: object) -> None:
    if value is None:
        return
    if isinstance(value, str):
        ws.cell(row=row, column=col, value=value)
    elif isinstance(value, Suppressed):
        cell = ws.cell(row=row, column=col, value=suppressed_text(value.minimum))
        cell.font = Font(italic=True, color="5A5A5A")
    else:
        number = getattr(value, "value", None)
        if number is None:
            return
        cell = ws.cell(row=row, column=col, value=number)
        cell.number_format = excel_format(value.kind, value.digits)  # type: ignore[attr-defined]


def _about(ws: Worksheet, report: Report, contents: list[tuple[str, str]]) -> None:
    m = report.metadata
    rows: list[tuple[str, str | int]] = [
        (_("Report"), report.title),
        (_("Regency"), report.regency),
        (_("Period"), report.period),
        (_("Date"), format_date(report.date, report.lang)),
        (_("Language"), report.lang),
        (_("Data hash (SHA-256)"), m.data_hash or "–"),
        (_("Software version"), m.software_version or "–"),
        (_("Seed"), m.seed if m.seed is not None else "–"),
    ]
    rows += [(_("Rulebook %(name)s") % {"name": name}, version) for name, version in m.rulebooks]
    rows += list(m.plan) + list(m.extra)
    if report.warning:
        rows.insert(0, (_("Warning"), report.warning))
    ws["A1"] = report.title
    ws["A1"].font = Font(bold=True, size=13)
    for i, (key, value) in enumerate(rows, start=3):
        ws.cell(row=i, column=1, value=key).font = Font(bold=True)
        ws.cell(row=i, column=2, value=value)
    start = len(rows) + 5
    ws.cell(row=start - 1, column=1, value=_("Sheets")).font = Font(bold=True, size=12)
    for i, (sheet, caption) in enumerate(contents, start=start):
        ws.cell(row=i, column=1, value=sheet)
        ws.cell(row=i, column=2, value=caption)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90


def render_xlsx(report: Report) -> bytes:
    """The data annex as XLSX bytes, labels in the report's language."""
    with translation.override(report.lang):
        numbering = Numbering(report)
        tables = [b for b in iter_blocks(report) if isinstance(b, Table)]
        names = sheet_names(tables, numbering)
        wb = Workbook()
        about = wb.active
        assert about is not None
        about.title = _("About")[:31]
        definitions = wb.create_sheet()
        for table, name in zip(tables, names, strict=True):
            _write_table(wb.create_sheet(title=name), table, numbering.label(table))
        definitions.title = _("Definitions")[:31]
        wb.move_sheet(definitions, offset=len(tables))
        headings = (_("Sheet"), _("Table"), _("Term"), _("Definition"))
        for j, text in enumerate(headings, start=1):
            cell = definitions.cell(row=1, column=j, value=text)
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        row = 2
        for table, name in zip(tables, names, strict=True):
            for term, text in table.definitions:
                values = (name, numbering.label(table), term, text)
                for j, value in enumerate(values, start=1):
                    definitions.cell(row=row, column=j, value=value)
                row += 1
        for letter, width in zip("ABCD", (28, 12, 30, 100), strict=True):
            definitions.column_dimensions[letter].width = width
        definitions.freeze_panes = "A2"
        contents = [
            (n, f"{numbering.label(t)}. {t.caption}") for t, n in zip(tables, names, strict=True)
        ]
        _about(about, report, contents)
        stamp = dt.datetime.combine(report.date, dt.time(0, 0))
        wb.properties.created = wb.properties.modified = stamp
        wb.properties.title = report.title
        wb.properties.creator = "Mutu"
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
