"""Reading one cell: a NIP, a date, a number, yes/no, an attendance mark, a choice."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from mutu.domain.cells.base import (
    Cell,
    CellError,
    Note,
    Parsed,
    T,
    cell_text,
    is_blank,
    read_text,
    text_key,
)
from mutu.domain.nip import InvalidNip, normalize_nip, parse_nip

#: Excel's day 0 in the 1900 date system (serial 1 = 1900-01-01, with the 1900 leap-year bug).
EXCEL_EPOCH_1900 = date(1899, 12, 30)
#: Day 0 of the 1904 date system (old Excel for Mac).
EXCEL_EPOCH_1904 = date(1904, 1, 1)
#: Serials of dates a person can mean here: 1900-03-01 … 2199-12-31.
_SERIAL_RANGE = (61, 109574)
#: Excel keeps 15 significant digits of a number.
EXCEL_DIGITS = 15

# --- NIP ------------------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_TRAILING_ZERO_DECIMAL = re.compile(r"^(\d+)[.,]0+$")


def excel_general(number: float) -> str:
    """How Excel shows a large number in a General cell: ``1.99403E+17``."""
    mantissa, exponent = f"{number:.5E}".split("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}E+{int(exponent)}"


def _precision_lost(shown: str) -> CellError:
    return CellError(
        f"NIP {shown} tersimpan sebagai angka (notasi ilmiah): Excel hanya menyimpan "
        f"{EXCEL_DIGITS} digit, jadi digit terakhir NIP 18 digit hilang dan tidak bisa "
        "dipulihkan. Format kolom NIP sebagai Teks (Format Cells → Text), tempel atau ketik "
        "ulang NIP aslinya, lalu impor lagi.",
        f"NIP {shown} is stored as a number (scientific notation): Excel keeps only "
        f"{EXCEL_DIGITS} digits, so the last digits of an 18-digit NIP are lost and cannot be "
        "recovered. Format the NIP column as Text (Format Cells → Text), paste or type the "
        "original NIPs again, and import again.",
        code="nip_precision",
    )


def read_nip(cell: Cell) -> Parsed[str]:
    """An 18-digit NIP (PNS) or NI PPPK, checked by :func:`mutu.domain.nip.parse_nip`.

    Raises
    ------
    CellError
        ``nip_precision`` for a number Excel rounded (a float, scientific
        notation, or an integer whose digits beyond the 15th are zeros);
        ``nip_invalid`` for a NIP the BKN layout refuses (the message names
        the faulty part); ``required`` for an empty cell.
    """
    notes: list[Note] = []
    if is_blank(cell):
        raise CellError("NIP wajib diisi.", "The NIP is required.", code="required")
    if isinstance(cell, bool):
        raise CellError(
            f"NIP tidak valid: {cell_text(cell)}.",
            f"Invalid NIP: {cell_text(cell)}.",
            code="nip_invalid",
        )
    if isinstance(cell, float | Decimal):
        raise _precision_lost(excel_general(float(cell)))
    if isinstance(cell, int):
        digits = str(cell)
        if len(digits) > EXCEL_DIGITS and set(digits[EXCEL_DIGITS:]) == {"0"}:
            raise _precision_lost(excel_general(float(cell)))
        notes.append(
            Note(
                "nip_number",
                f"NIP {digits} tersimpan sebagai angka; format kolom NIP sebagai Teks agar Excel "
                "tidak membulatkannya.",
                f"NIP {digits} is stored as a number; format the NIP column as Text so Excel does "
                "not round it.",
            )
        )
        text = digits
    else:
        text = cell_text(cell).replace("\u00a0", " ").strip()
        if _SCIENTIFIC.match(text):
            raise _precision_lost(text)
        zero = _TRAILING_ZERO_DECIMAL.match(text)
        if zero:
            text = zero.group(1)
    digits = normalize_nip(text)
    if digits != text and digits.isdigit():
        notes.append(
            Note(
                "nip_separators",
                f"NIP {text!r} ditulis dengan spasi atau tanda baca; dibaca {digits}.",
                f"NIP {text!r} was typed with spaces or punctuation; read as {digits}.",
            )
        )
    try:
        parse_nip(digits)
    except InvalidNip as err:
        raise CellError(
            f"NIP {text!r} tidak valid: {err.message_id}",
            f"NIP {text!r} is invalid: {err.message_en}",
            code="nip_invalid",
        ) from None
    return Parsed(digits, tuple(notes))


# --- dates ----------------------------------------------------------------------------------

MONTHS: Mapping[str, int] = {
    **{
        name: i
        for i, names in enumerate(
            (
                ("januari", "jan", "january"),
                ("februari", "feb", "pebruari", "february"),
                ("maret", "mar", "march"),
                ("april", "apr"),
                ("mei", "may"),
                ("juni", "jun", "june"),
                ("juli", "jul", "july"),
                ("agustus", "agu", "agt", "agst", "aug", "august"),
                ("september", "sep", "sept"),
                ("oktober", "okt", "oct", "october"),
                ("november", "nov", "nop", "nopember"),
                ("desember", "des", "dec", "december"),
            ),
            start=1,
        )
        for name in names
    }
}

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DMY_SHORT = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NAMED = re.compile(r"^(\d{1,2})[\s\-/.]+([^\W\d_]+)\.?[\s\-/.]+(\d{4})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")
_SERIAL = re.compile(r"^\d{1,6}(?:[.,]\d+)?$")


def _invalid_date(text: str, hint_id: str = "", hint_en: str = "") -> CellError:
    return CellError(
        f"Tanggal {text!r} tidak bisa dibaca; tulis sebagai dd-mm-YYYY (mis. 17-08-2024).{hint_id}",
        f"Cannot read the date {text!r}; write it as dd-mm-YYYY (e.g. 17-08-2024).{hint_en}",
        code="date_invalid",
    )


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        if 1 <= day <= 12 and 12 < month <= 31:
            raise _invalid_date(
                text,
                " Sepertinya bulan dan hari tertukar (format bulan-hari-tahun).",
                " Day and month look swapped (a month-day-year date).",
            ) from None
        raise _invalid_date(text) from None


def excel_serial_date(serial: float, *, epoch_1904: bool = False) -> datetime:
    """The moment an Excel date serial stands for (a fraction of a day is the time).

    The 1900 system counts 1900-02-29, a day that never was (Lotus 1-2-3's
    bug kept for compatibility), so serials from 61 on are one day "ahead";
    serial 60 is refused.
    """
    if epoch_1904:
        base = datetime.combine(EXCEL_EPOCH_1904, time())
    elif serial < 60:
        base = datetime.combine(EXCEL_EPOCH_1900 + timedelta(days=1), time())
    elif serial < 61:
        raise CellError(
            "Serial tanggal Excel 60 adalah 29-02-1900, tanggal yang tidak ada.",
            "Excel date serial 60 is 29-02-1900, a day that never existed.",
            code="date_invalid",
        )
    else:
        base = datetime.combine(EXCEL_EPOCH_1900, time())
    moment = base + timedelta(days=float(serial))
    # Excel stores times to the millisecond; round away float noise to the second.
    return (moment + timedelta(microseconds=500_000)).replace(microsecond=0)


def _serial_note(serial: str, moment: datetime) -> Note:
    shown = f"{moment:%d-%m-%Y %H:%M}" if moment.time() != time() else f"{moment:%d-%m-%Y}"
    return Note(
        "date_serial",
        f"Angka {serial} dibaca sebagai serial tanggal Excel: {shown}. Format sel sebagai tanggal "
        "agar terlihat jelas.",
        f"The number {serial} was read as an Excel date serial: {shown}. Format the cell as a "
        "date to see it plainly.",
    )


def _from_serial(value: float, shown: str, *, epoch_1904: bool) -> Parsed[datetime]:
    if not _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1] and not (epoch_1904 and value >= 0):
        raise _invalid_date(shown)
    moment = excel_serial_date(value, epoch_1904=epoch_1904)
    return Parsed(moment, (_serial_note(shown, moment),))


def _parse_date_text(text: str) -> Parsed[date]:
    m = _DMY.match(text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        return Parsed(_make_date(year, month, day, text))
    m = _ISO.match(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
        value = _make_date(year, month, day, text)
        return Parsed(
            value,
            (
                Note(
                    "date_iso",
                    f"Tanggal {text!r} ditulis tahun-bulan-hari (ISO); dibaca {value:%d-%m-%Y}.",
                    f"The date {text!r} is written year-month-day (ISO); read as {value:%d-%m-%Y}.",
                ),
            ),
        )
    m = _NAMED.match(text)
    if m:
        name = m.group(2).casefold()
        if name in MONTHS:
            return Parsed(_make_date(int(m.group(3)), MONTHS[name], int(m.group(1)), text))
    if _DMY_SHORT.match(text):
        raise _invalid_date(
            text,
            " Tahun dua digit tidak jelas abadnya; tulis empat digit.",
            " A two-digit year is ambiguous; write all four digits.",
        )
    raise _invalid_date(text)


def read_date(cell: Cell, *, epoch_1904: bool = False) -> Parsed[date]:
    """A calendar date from a date cell, text or an Excel serial.

    Accepted text: ``dd-mm-YYYY`` (also with ``/`` or ``.``), ISO ``YYYY-MM-DD``
    (with a note), ``17 Agustus 2024`` (Indonesian or English month names), and
    a date with a midnight time (``2024-08-17 00:00:00``).

    Raises
    ------
    CellError
        ``date_invalid`` with the expected form; ``required`` for an empty cell.
    """
    if is_blank(cell):
        raise CellError("Tanggal wajib diisi.", "The date is required.", code="required")
    if isinstance(cell, datetime):
        return Parsed(cell.date())
    if isinstance(cell, date):
        return Parsed(cell)
    if isinstance(cell, bool | time):
        raise _invalid_date(cell_text(cell))
    if isinstance(cell, int | float | Decimal):
        moment = _from_serial(float(cell), cell_text(cell), epoch_1904=epoch_1904)
        return Parsed(moment.value.date(), moment.notes)
    text = read_text(cell).value
    if _SERIAL.match(text):
        moment = _from_serial(float(text.replace(",", ".")), text, epoch_1904=epoch_1904)
        return Parsed(moment.value.date(), moment.notes)
    time_part = text.partition(" ")[2]
    if time_part and _TIME.match(time_part.strip()):
        moment = read_datetime(cell, epoch_1904=epoch_1904)
        if moment.value.time() == time():
            return Parsed(moment.value.date(), moment.notes)
        raise _invalid_date(text, " Sel ini berisi jam juga.", " The cell holds a time too.")
    return _parse_date_text(text)


def read_datetime(cell: Cell, *, epoch_1904: bool = False) -> Parsed[datetime]:
    """A date and time (naive, local) from a cell: ``dd-mm-YYYY HH:MM``, ISO, serial.

    Raises
    ------
    CellError
        ``datetime_invalid`` when no time can be read.
    """
    if is_blank(cell):
        raise CellError(
            "Tanggal dan jam wajib diisi.", "The date and time are required.", code="required"
        )
    if isinstance(cell, datetime):
        return Parsed(cell.replace(tzinfo=None))
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        return _from_serial(float(cell), cell_text(cell), epoch_1904=epoch_1904)
    text = read_text(cell).value
    normal = text.replace("T", " ", 1) if _ISO.match(text[:10]) else text
    day_part, _, time_part = normal.partition(" ")
    m = _TIME.match(time_part.strip())
    if not m:
        raise CellError(
            f"Tanggal dan jam {text!r} tidak bisa dibaca; tulis sebagai dd-mm-YYYY HH:MM "
            "(mis. 17-08-2024 08:00).",
            f"Cannot read the date and time {text!r}; write them as dd-mm-YYYY HH:MM "
            "(e.g. 17-08-2024 08:00).",
            code="datetime_invalid",
        )
    day = _parse_date_text(day_part)
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(
            f"Jam {time_part.strip()!r} tidak valid.",
            f"The time {time_part.strip()!r} is invalid.",
            code="datetime_invalid",
        )
    return Parsed(datetime.combine(day.value, time(hour, minute, second)), day.notes)


# --- numbers, yes/no, choices --------------------------------------------------------------

_ID_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_EN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+\.\d+$")


def read_decimal(cell: Cell) -> Parsed[Decimal]:
    """A number: ``24``, ``24,5`` (decimal comma), ``1.250.000`` or ``1.250.000,50`` (Indonesian).

    ``1.234`` is one point two three four: a dot alone is a decimal point, as
    Excel writes it.  ``Rp`` and spaces are dropped.

    Raises
    ------
    CellError
        ``number_invalid``; ``required`` for an empty cell.
    """
    if is_blank(cell):
        raise CellError("Angka wajib diisi.", "The number is required.", code="required")
    if isinstance(cell, bool | date | time):
        raise CellError(
            f"{cell_text(cell)!r} bukan angka.",
            f"{cell_text(cell)!r} is not a number.",
            code="number_invalid",
        )
    if isinstance(cell, Decimal):
        return Parsed(cell)
    if isinstance(cell, int):
        return Parsed(Decimal(cell))
    if isinstance(cell, float):
        return Parsed(Decimal(repr(cell)).normalize() if cell == cell else Decimal("NaN"))
    text = re.sub(r"(?i)^rp\.?", "", read_text(cell).value).replace(" ", "")
    if _ID_THOUSANDS.match(text) and (text.count(".") > 1 or "," in text):
        text = text.replace(".", "").replace(",", ".")
    elif _EN_THOUSANDS.match(text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        shown = cell_text(cell).strip()
        raise CellError(
            f"{shown!r} bukan angka (contoh: 24 atau 24,5).",
            f"{shown!r} is not a number (e.g. 24 or 24.5).",
            code="number_invalid",
        )
    return Parsed(value)


def read_int(cell: Cell) -> Parsed[int]:
    """A whole number (``30``, ``30,0``)."""
    number = read_decimal(cell)
    if number.value != number.value.to_integral_value():
        shown = cell_text(cell).strip()
        raise CellError(
            f"{shown!r} harus bilangan bulat.",
            f"{shown!r} must be a whole number.",
            code="number_invalid",
        )
    return Parsed(int(number.value), number.notes)


_TRUE = {"ya", "y", "yes", "true", "benar", "1", "aktif", "active", "v", "✓", "✔"}
_FALSE = {"tidak", "t", "no", "n", "false", "salah", "0", "nonaktif", "non aktif", "inactive", "-"}


def read_bool(cell: Cell) -> Parsed[bool]:
    """Yes or no: ``Ya``/``Tidak``, ``Y``/``T``, ``1``/``0``, ``TRUE``/``FALSE``, ``aktif``."""
    if isinstance(cell, bool):
        return Parsed(cell)
    key = text_key(cell_text(cell)) or cell_text(cell).strip()
    if key in _TRUE:
        return Parsed(True)
    if key in _FALSE:
        return Parsed(False)
    raise CellError(
        f"{cell_text(cell)!r} bukan ya/tidak; tulis Ya atau Tidak.",
        f"{cell_text(cell)!r} is not yes/no; write Ya (yes) or Tidak (no).",
        code="bool_invalid",
    )


#: Attendance marks read as present and absent (case and spaces do not matter).
PRESENT_MARKS = ("h", "hadir", "v", "✓", "✔", "1", "y", "ya", "p", "present")
ABSENT_MARKS = (
    "-",
    "–",
    "0",
    "a",
    "absen",
    "alpa",
    "alpha",
    "tidak hadir",
    "th",
    "t",
    "i",
    "izin",
    "ijin",
    "s",
    "sakit",
    "x",
    "absent",
)


def read_attendance_mark(cell: Cell) -> Parsed[bool | None]:
    """Present (``H``), absent (``-``) or not recorded (an empty cell → ``None``).

    The standard marks are ``H`` and ``-``; other common marks are read with a
    note (``Hadir``, ``✓``, ``I`` izin, ``S`` sakit …).
    """
    if is_blank(cell):
        return Parsed(None)
    raw = cell_text(cell).strip()
    key = raw.casefold()
    if key in ("h", "-"):
        return Parsed(key == "h")
    for marks, present in ((PRESENT_MARKS, True), (ABSENT_MARKS, False)):
        if key in marks or text_key(key) in marks:
            word_id, word_en = (
                ("hadir (H)", "present (H)") if present else ("tidak hadir (-)", "absent (-)")
            )
            return Parsed(
                present,
                (
                    Note(
                        "mark_variant",
                        f"Tanda {raw!r} dibaca {word_id}.",
                        f"The mark {raw!r} was read as {word_en}.",
                    ),
                ),
            )
    raise CellError(
        f"Tanda kehadiran {raw!r} tidak dikenal; tulis H (hadir) atau - (tidak hadir).",
        f"Unknown attendance mark {raw!r}; write H (present) or - (absent).",
        code="mark_invalid",
    )


def read_choice(cell: Cell, choices: Mapping[str, T], *, what_id: str, what_en: str) -> Parsed[T]:
    """One of ``choices``, looked up by :func:`text_key` of the cell.

    ``choices`` maps every accepted spelling (codes, labels in both languages)
    to the value; the keys are compared after :func:`text_key`.
    """
    keyed = {text_key(k): v for k, v in choices.items()}
    text = read_text(cell).value
    if text_key(text) in keyed:
        return Parsed(keyed[text_key(text)])
    shown = ", ".join(sorted({k for k in choices if k == k.strip()})[:20])
    raise CellError(
        f"{what_id} {text!r} tidak dikenal. Yang valid: {shown}.",
        f"Unknown {what_en} {text!r}. Valid values: {shown}.",
        code="choice_invalid",
    )
