"""The copy of an imported file with its faults marked, for staff to fix in Excel.

A workbook is copied as it is (formatting, other sheets, formulas) with:

- a column "Kesalahan / Errors" after the last column, the faults of each row;
- a column "Catatan / Notes", what the import corrected on its own;
- every bad cell filled red and given a comment with its message;
- a sheet "Kesalahan" listing every fault and note, with row and column.

A CSV file becomes a workbook of text cells (so NIPs stay as typed) with the
same marks.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from mutu.imports.engine import ImportReport, Issue
from mutu.imports.table import Table

ERROR_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
NOTE_FILL = PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C")
ERROR_FONT = Font(bold=True, color="9C0006")


def default_errors_path(path: Path) -> Path:
    """``pegawai.xlsx`` → ``pegawai.errors.xlsx`` (also for CSV: the copy is a workbook)."""
    return path.with_name(f"{path.stem}.errors.xlsx")


def _label(issue: Issue, lang: str) -> str:
    where = f"{issue.column}: " if issue.column else ""
    return f"{where}{issue.message(lang)}"


def write_errors_workbook(
    report: ImportReport, table: Table, target: Path, *, header_row: int, lang: str = "both"
) -> Path:
    """Write the marked copy of ``table``'s file to ``target`` and return it."""
    ws: Any
    if table.format == "xlsx":
        book = load_workbook(table.path)
        ws = book[table.sheet] if table.sheet in book.sheetnames else book.worksheets[0]
    else:
        book = Workbook()
        ws = book.active
        assert ws is not None
        ws.title = "Data"
        for r, row in enumerate(table.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value not in (None, ""):
                    cell = ws.cell(row=r, column=c, value=str(value))
                    cell.number_format = "@"
    _mark(ws, report.issues, header_row, lang)
    _listing(book.create_sheet("Kesalahan"), report.issues, lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def _mark(ws: Any, issues: list[Issue], header_row: int, lang: str) -> None:
    last = ws.max_column
    error_col, note_col = last + 1, last + 2
    for col, title in ((error_col, "Kesalahan / Errors"), (note_col, "Catatan / Notes")):
        cell = ws.cell(row=header_row, column=col, value=title)
        cell.font = ERROR_FONT
        ws.column_dimensions[cell.column_letter].width = 60
    by_row: dict[int, list[Issue]] = defaultdict(list)
    for issue in issues:
        by_row[issue.row or header_row].append(issue)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, found in by_row.items():
        errors = [i for i in found if i.severity == "error"]
        notes = [i for i in found if i.severity == "notice"]
        if errors:
            cell = ws.cell(
                row=row, column=error_col, value="\n".join(_label(i, lang) for i in errors)
            )
            cell.alignment = wrap
            cell.font = ERROR_FONT
        if notes:
            cell = ws.cell(
                row=row, column=note_col, value="\n".join(_label(i, lang) for i in notes)
            )
            cell.alignment = wrap
        for issue in found:
            if issue.col is None or issue.row is None:
                continue
            cell = ws.cell(row=issue.row, column=issue.col + 1)
            if issue.severity == "error":
                cell.fill = ERROR_FILL
            elif cell.fill != ERROR_FILL:
                cell.fill = NOTE_FILL
            text = issue.message(lang)
            if cell.comment is not None:
                text = f"{cell.comment.text}\n{text}"
            cell.comment = Comment(text[:30000], "Mutu")


def _listing(ws: Worksheet, issues: list[Issue], lang: str) -> None:
    ws.append(["Baris / Row", "Kolom / Column", "Jenis / Kind", "Pesan", "Message"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for issue in issues:
        kind = "kesalahan / error" if issue.severity == "error" else "catatan / note"
        where = issue.where("id").partition(", ")[2] if issue.row is not None else issue.where("id")
        ws.append(
            [
                issue.row,
                where if issue.col is not None else "",
                kind,
                issue.message_id,
                issue.message_en,
            ]
        )
    for letter, width in zip("ABCDE", (12, 28, 18, 80, 80), strict=True):
        ws.column_dimensions[letter].width = width
