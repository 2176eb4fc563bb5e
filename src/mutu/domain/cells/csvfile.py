"""Decoding a CSV file as Excel and SIASN write it: UTF-8 (with or without BOM) or Windows-1252."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

from mutu.domain.cells.base import Note

# --- CSV ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DecodedCsv:
    """The rows of a CSV file, with how it was read."""

    rows: list[list[str]]
    encoding: str
    delimiter: str
    notes: tuple[Note, ...] = ()


def decode_text(data: bytes) -> tuple[str, str, tuple[Note, ...]]:
    """Bytes of a text file → (text, encoding, notes).

    UTF-8 with or without a byte-order mark first; otherwise Windows-1252, as
    Excel on Windows and SIASN save it (with a note, since a wrongly guessed
    encoding garbles names: the note asks to check them).
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig", ()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16", ()
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError as err:
        position = err.start
    try:
        text = data.decode("cp1252")
        encoding = "cp1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        encoding = "latin-1"
    line = data.count(b"\n", 0, position) + 1
    return (
        text,
        encoding,
        (
            Note(
                "encoding",
                f"Berkas bukan UTF-8 (mulai baris {line}); dibaca sebagai Windows-1252. Periksa "
                "nama yang berhuruf khusus (é, ’).",
                f"The file is not UTF-8 (from line {line}); read as Windows-1252. Check names with "
                "special letters (é, ’).",
            ),
        ),
    )


def sniff_delimiter(text: str) -> str:
    """``;``, ``,``, tab or ``|``: the one the first line splits into most columns by."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in (";", ",", "\t", "|")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def read_csv_bytes(data: bytes) -> DecodedCsv:
    """The rows of a CSV file as text cells (the encoding and separator are detected)."""
    text, encoding, notes = decode_text(data)
    delimiter = sniff_delimiter(text)
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return DecodedCsv(rows, encoding, delimiter, notes)
