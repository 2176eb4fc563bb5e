"""Reading a workbook or CSV file into rows of cells, the way the file shows them."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from mutu.domain.cells import Cell, Note, is_blank, read_csv_bytes
from mutu.domain.errors import MutuValueError

Format = Literal["xlsx", "csv"]

#: File endings read as workbooks; everything else is read as CSV text.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


class FileUnreadable(MutuValueError):
    """A file that is not a workbook or CSV file Mutu can read."""


@dataclass
class Table:
    """The rows of one sheet: cells as read, and each row's number as Excel shows it."""

    path: Path
    format: Format
    rows: list[list[Cell]]
    numbers: list[int]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    epoch_1904: bool = False
    notes: list[tuple[int | None, int | None, Note]] = field(default_factory=list)

    def describe(self) -> str:
        """``siasn.csv (CSV, cp1252, ';')`` or ``pegawai.xlsx (sheet Data)``."""
        if self.format == "csv":
            return f"{self.path.name} (CSV, {self.encoding}, {self.delimiter!r})"
        return f"{self.path.name} (XLSX, sheet {self.sheet!r})"


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    """Read ``path``: an ``.xlsx``/``.xlsm`` workbook (its first sheet, or ``sheet``) or CSV.

    Trailing blank rows are dropped.  In a workbook, cells merged down or
    across inside the data are given their merged value in every row they
    cover (with a note), since staff merge e.g. a unit name over its people.

    Raises
    ------
    FileUnreadable
        Missing file, an old ``.xls`` workbook, a damaged workbook, an unknown
        sheet.
    """
    if not path.is_file():
        raise FileUnreadable(f"Berkas {path} tidak ada.", f"The file {path} does not exist.")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise FileUnreadable(
            f"{path.name} adalah buku kerja Excel lama (.xls); simpan ulang sebagai .xlsx "
            "(File → Save As → Excel Workbook) atau CSV.",
            f"{path.name} is an old Excel workbook (.xls); save it again as .xlsx "
            "(File → Save As → Excel Workbook) or CSV.",
        )
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path, sheet)
    decoded = read_csv_bytes(path.read_bytes())
    rows: list[list[Cell]] = [list(r) for r in decoded.rows]
    table = Table(
        path=path,
        format="csv",
        rows=rows,
        numbers=list(range(1, len(rows) + 1)),
        encoding=decoded.encoding,
        delimiter=decoded.delimiter,
    )
    table.notes += [(None, None, note) for note in decoded.notes]
    _drop_trailing_blanks(table)
    return table


def _drop_trailing_blanks(table: Table) -> None:
    while table.rows and all(is_blank(c) for c in table.rows[-1]):
        table.rows.pop()
        table.numbers.pop()


def _read_workbook(path: Path, sheet: str | None) -> Table:
    try:
        book = load_workbook(path, data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as err:
        raise FileUnreadable(
            f"{path.name} tidak bisa dibuka sebagai buku kerja Excel ({err}).",
            f"{path.name} cannot be opened as an Excel workbook ({err}).",
        ) from err
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = ", ".join(book.sheetnames)
            raise FileUnreadable(
                f"Lembar {sheet!r} tidak ada di {path.name}; yang ada: {names}.",
                f"There is no sheet {sheet!r} in {path.name}; it has: {names}.",
            )
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        # The stored dimension may be wrong (some tools write "A1"): read every row there is.
        ws.reset_dimensions()
        rows = [list(cast(tuple[Cell, ...], r)) for r in ws.iter_rows(min_row=1, values_only=True)]
        table = Table(
            path=path,
            format="xlsx",
            rows=rows,
            numbers=list(range(1, len(rows) + 1)),
            sheet=ws.title,
            epoch_1904=bool(book.epoch.year == 1904),
        )
        merged = _merged_ranges(path, getattr(ws, "_worksheet_path", ""))
    finally:
        book.close()
    _fill_merged(table, merged)
    _drop_trailing_blanks(table)
    return table


def _merged_ranges(path: Path, sheet_path: str) -> list[str]:
    """The merged ranges of a sheet (``A1:B2``), read from its XML: the fast reader skips them."""
    if not sheet_path:
        return []
    with zipfile.ZipFile(path) as archive:
        try:
            xml = archive.read(sheet_path.lstrip("/"))
        except KeyError:
            return []
    return [m.decode() for m in _MERGE_CELL.findall(xml)]


_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell [^>]*ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _fill_merged(table: Table, merged: list[str]) -> None:
    """Give a value merged down over data rows to every row it covers (with a note)."""
    rows = table.rows
    for ref in merged:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_row is None or max_row is None or min_col is None or max_col is None:
            continue
        if max_row == min_row or min_row > len(rows):
            continue  # merged across only: the header finder reads those
        value = rows[min_row - 1][min_col - 1] if min_col <= len(rows[min_row - 1]) else None
        if is_blank(value):
            continue
        for r in range(min_row, min(max_row, len(rows)) + 1):
            row = rows[r - 1]
            for c in range(min_col, max_col + 1):
                while len(row) < c:
                    row.append(None)
                row[c - 1] = value
        table.notes.append(
            (
                min_row,
                min_col - 1,
                Note(
                    "merged_cells",
                    f"Sel {ref} digabung; nilainya dipakai untuk setiap baris.",
                    f"Cells {ref} are merged; their value was used for every row.",
                ),
            )
        )
