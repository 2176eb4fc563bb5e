"""The values every cell reader shares: a cell, a parsed value, its notes, an error."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from mutu.domain.errors import MutuValueError

T = TypeVar("T")

#: A cell value as openpyxl or the CSV reader gives it.
Cell = str | int | float | bool | Decimal | date | datetime | time | None

Severity = Literal["error", "notice"]


class CellError(MutuValueError):
    """A cell that cannot be read; ``code`` names the kind of fault for programs and tests."""

    def __init__(self, message_id: str, message_en: str, *, code: str) -> None:
        super().__init__(message_id, message_en)
        self.code = code


@dataclass(frozen=True, slots=True)
class Note:
    """Something a reader corrected or interpreted, for the person to check."""

    code: str
    message_id: str
    message_en: str


@dataclass(frozen=True, slots=True)
class Parsed(Generic[T]):
    """A value read from a cell, with the notes of what was corrected to read it."""

    value: T
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """A fault of a file: where (0-based row and column of the table), what, how bad."""

    code: str
    message_id: str
    message_en: str
    severity: Severity = "error"
    row: int | None = None
    col: int | None = None

    @classmethod
    def of(
        cls,
        err: CellError | Note,
        *,
        row: int | None = None,
        col: int | None = None,
    ) -> Problem:
        """A problem from a refused cell (an error) or a correction (a notice)."""
        severity: Severity = "error" if isinstance(err, CellError) else "notice"
        return cls(err.code, err.message_id, err.message_en, severity, row, col)


# --- text -----------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def is_blank(cell: Cell) -> bool:
    """True for an empty cell: ``None`` or text of spaces only."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_text(cell: Cell) -> str:
    """The text a cell shows, without correction: numbers without a spurious ``.0``."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.strftime("%d-%m-%Y %H:%M") if cell.time() != time() else f"{cell:%d-%m-%Y}"
    if isinstance(cell, date):
        return f"{cell:%d-%m-%Y}"
    return str(cell)


def read_text(cell: Cell) -> Parsed[str]:
    """The text of a cell with spaces cleaned: trimmed, runs of spaces made one.

    A non-breaking space counts as a space.  A note says when spaces were removed,
    since a trailing space is a common reason a name "does not match".
    """
    raw = cell_text(cell).replace("\u00a0", " ")
    clean = _SPACES.sub(" ", raw).strip()
    if clean == raw:
        return Parsed(clean)
    shown = raw.replace(" ", "·")
    return Parsed(
        clean,
        (
            Note(
                "spaces",
                f"Spasi berlebih dihapus: {shown!r} dibaca {clean!r}.",
                f"Extra spaces removed: {shown!r} read as {clean!r}.",
            ),
        ),
    )


def text_key(text: str) -> str:
    """A key to compare names: case-folded, accents kept, spaces and punctuation as one space."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", re.sub(r"[\W_]+", " ", folded)).strip()
