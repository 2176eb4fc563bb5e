"""Finding what a row names (a unit, a golongan, an activity …) by code or by name, in bulk."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import models
from django.utils import translation

from mutu.domain.cells import Cell, CellError, Parsed, read_text, text_key

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")

#: Values per ``IN (…)`` query: below every database's limit on parameters.
CHUNK = 900


def in_chunks(
    query: Callable[[list[Any]], Iterable[T]], values: Iterable[Any], size: int = CHUNK
) -> Iterator[T]:
    """Run ``query`` on ``values`` in slices of ``size`` (large files, any database)."""
    pending = sorted(set(values), key=str)
    for start in range(0, len(pending), size):
        yield from query(pending[start : start + size])


def choice_labels(choices: Sequence[tuple[str, Any]]) -> dict[str, str]:
    """Every spelling of a Django choice: its value and its label in Indonesian and English."""
    out: dict[str, str] = {}
    for value, label in choices:
        out[value] = value
        for lang in ("en", "id"):
            with translation.override(lang):
                out[str(label)] = value
                # "supervisor (pengawas)" is also found as "supervisor" and "pengawas".
                text = str(label)
                if "(" in text and text.endswith(")"):
                    head, _, inner = text[:-1].partition("(")
                    out.setdefault(head.strip(), value)
                    out.setdefault(inner.strip(), value)
    return out


class Directory:
    """Rows of one model findable by code and by name (case, spaces and punctuation ignored).

    ``find`` answers a :class:`Parsed` or raises :class:`CellError` with the
    closest names, so the message can say "did you mean …".
    """

    def __init__(
        self,
        rows: Iterable[M],
        *,
        code: Callable[[M], str] | None,
        names: Callable[[M], Iterable[str]],
        what_id: str,
        what_en: str,
    ) -> None:
        self.what_id = what_id
        self.what_en = what_en
        self.by_code: dict[str, Any] = {}
        self.by_name: dict[str, list[Any]] = {}
        self.display: dict[str, str] = {}
        for row in rows:
            if code is not None:
                self.by_code[code(row).strip().casefold()] = row
            for name in names(row):
                key = text_key(name)
                if key:
                    bucket = self.by_name.setdefault(key, [])
                    if row not in bucket:
                        bucket.append(row)
                    self.display.setdefault(key, name)

    def add(self, code: str, row: Any, names: Iterable[str] = ()) -> None:
        """Make a row findable that is not in the database yet (it comes from the same file)."""
        self.by_code[code.strip().casefold()] = row
        for name in names:
            self.by_name.setdefault(text_key(name), []).append(row)

    def find(self, text: str, *, by_name: bool = True) -> Parsed[Any]:
        key = text.strip().casefold()
        if key in self.by_code:
            return Parsed(self.by_code[key])
        if by_name:
            hits = self.by_name.get(text_key(text), [])
            if len(hits) == 1:
                return Parsed(hits[0])
            if len(hits) > 1:
                raise CellError(
                    f"{self.what_id} {text!r} ada lebih dari satu; tulis kodenya.",
                    f"There is more than one {self.what_en} {text!r}; write its code.",
                    code="ambiguous",
                )
        close = difflib.get_close_matches(text_key(text), list(self.by_name), n=1, cutoff=0.85)
        hint_id = hint_en = ""
        if close:
            hint_id = f" Mungkin maksudnya {self.display.get(close[0], close[0])!r}?"
            hint_en = f" Did you mean {self.display.get(close[0], close[0])!r}?"
        raise CellError(
            f"{self.what_id} {text!r} tidak dikenal di Mutu.{hint_id}",
            f"Unknown {self.what_en} {text!r}: it is not in Mutu.{hint_en}",
            code="unknown_reference",
        )

    def reader(self, *, by_name: bool = True) -> Callable[[Cell], Parsed[Any]]:
        """A cell reader that finds the row a cell names, keeping the notes of reading its text."""

        def read(cell: Cell) -> Parsed[Any]:
            text = read_text(cell)
            found = self.find(text.value, by_name=by_name)
            return Parsed(found.value, text.notes + found.notes)

        return read
