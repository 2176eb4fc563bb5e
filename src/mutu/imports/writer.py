"""Writing rows to an ``.xlsx`` workbook or a CSV file that Excel opens as staff expect.

In a workbook, NIPs and codes are text cells (Excel would otherwise round an
18-digit NIP), dates are date cells shown ``dd-mm-yyyy``, and the header is
bold and frozen.  A CSV file is UTF-8 with a byte-order mark, ``;``-separated
with decimal commas (what Excel with Indonesian settings reads), dates
``dd-mm-YYYY``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mutu.domain.errors import MutuValueError

DATE_FORMAT = "DD-MM-YYYY"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"


def output_format(path: Path) -> str:
    """``xlsx`` or ``csv`` from the file name; a bilingual refusal otherwise."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".csv"):
        return suffix[1:]
    raise MutuValueError(
        f"Nama berkas keluaran harus berakhiran .xlsx atau .csv: {path.name}.",
        f"The output file name must end in .xlsx or .csv: {path.name}.",
    )


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d-%m-%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, Decimal | float):
        text = format(Decimal(str(value)).normalize(), "f")
        return text.replace(".", ",")
    return str(value)


def write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``header`` and ``rows`` to ``path`` (``.xlsx`` or ``.csv``); the number of rows."""
    fmt = output_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        count = 0
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow([_csv_value(v) for v in row])
                count += 1
        return count
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Data"
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    widths = [len(h) for h in header]
    count = 0
    for r, row in enumerate(rows, start=2):
        count += 1
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.number_format = "@"
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            if c <= len(widths):
                widths[c - 1] = max(widths[c - 1], min(len(str(value)), 50))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(width, 8) + 2
    book.save(path)
    return count
