"""Reading spreadsheet and CSV cells the way BKPSDM staff and national systems fill them.

Pure core: the standard library only.  Every reader takes a cell value as a
spreadsheet library hands it over (text, a number, a date, ``None``) and gives
back a :class:`Parsed` value with the notes of anything it had to correct, or
raises :class:`CellError` with a message in Indonesian and English that says
what is wrong and how to fix it in Excel.

The faults handled are the ones real files have:

- a NIP that Excel turned into a number (``1.99403E+17``): an 18-digit number
  keeps only 15 significant digits in Excel, so the last three are lost and
  cannot be recovered: the message says to format the column as Text;
- a NIP typed with spaces, dots or dashes (``19861021 202121 2 001``);
- dates as ``dd-mm-YYYY``, ``dd/mm/YYYY``, ISO ``YYYY-MM-DD``, an Indonesian
  month name (``17 Agustus 2024``) or an Excel date serial (``45292``);
- leading, trailing and doubled spaces; non-breaking spaces;
- decimal commas (``24,5``) and Indonesian thousands (``1.250.000``);
- headers that differ in case, spacing or wording (aliases), headers set
  below a title or split over two rows (merged cells), and a header row
  repeated inside the data;
- duplicated rows;
- CSV files in UTF-8 (with or without a byte-order mark) or Windows-1252.

Modules: :mod:`.base` (the shared types and text), :mod:`.values` (one
cell), :mod:`.headers` (the header row, duplicates), :mod:`.csvfile`.
"""

from mutu.domain.cells.base import (
    Cell,
    CellError,
    Note,
    Parsed,
    Problem,
    Severity,
    cell_text,
    is_blank,
    read_text,
    text_key,
)
from mutu.domain.cells.csvfile import DecodedCsv, decode_text, read_csv_bytes, sniff_delimiter
from mutu.domain.cells.headers import (
    ColumnRule,
    HeaderLayout,
    column_letter,
    duplicate_rows,
    header_key,
    is_header_repeat,
    locate_header,
    row_signature,
)
from mutu.domain.cells.values import (
    ABSENT_MARKS,
    EXCEL_DIGITS,
    EXCEL_EPOCH_1900,
    EXCEL_EPOCH_1904,
    MONTHS,
    PRESENT_MARKS,
    excel_general,
    excel_serial_date,
    read_attendance_mark,
    read_bool,
    read_choice,
    read_date,
    read_datetime,
    read_decimal,
    read_int,
    read_nip,
)

__all__ = [
    "ABSENT_MARKS",
    "EXCEL_DIGITS",
    "EXCEL_EPOCH_1900",
    "EXCEL_EPOCH_1904",
    "MONTHS",
    "PRESENT_MARKS",
    "Cell",
    "CellError",
    "ColumnRule",
    "DecodedCsv",
    "HeaderLayout",
    "Note",
    "Parsed",
    "Problem",
    "Severity",
    "cell_text",
    "column_letter",
    "decode_text",
    "duplicate_rows",
    "excel_general",
    "excel_serial_date",
    "header_key",
    "is_blank",
    "is_header_repeat",
    "locate_header",
    "read_attendance_mark",
    "read_bool",
    "read_choice",
    "read_csv_bytes",
    "read_date",
    "read_datetime",
    "read_decimal",
    "read_int",
    "read_nip",
    "read_text",
    "row_signature",
    "sniff_delimiter",
    "text_key",
]
