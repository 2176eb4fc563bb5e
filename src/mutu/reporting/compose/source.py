"""Reading the evaluation results: typed numbers that remember where they came from."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mutu.reporting.formatting import is_suppressed
from mutu.reporting.model import Inline, Number, NumberKind, Suppressed, pointer, resolve

Key = str | int


class Results:
    """The evaluation results dict, read by key paths; missing parts read as ``None``.

    ``num(...)`` returns a :class:`~mutu.reporting.model.Number` whose
    ``source`` is the JSON Pointer of the value, so every number the report
    prints can be traced back (and is tested to be) the value in the results.
    """

    def __init__(self, data: Mapping[str, Any], *, privacy_minimum: int = 5) -> None:
        self.data = data
        self.privacy_minimum = privacy_minimum
        self.suppressed: set[str] = set()

    @property
    def year(self) -> int | None:
        """The year evaluated (``data.year``, else the last of ``data.years``)."""
        year = self.get("data", "year")
        if isinstance(year, int) and not isinstance(year, bool):
            return year
        years = self.get("data", "years")
        if isinstance(years, list) and years and all(isinstance(y, int) for y in years):
            return int(max(years))
        return None

    @property
    def years(self) -> list[int]:
        years = self.get("data", "years")
        if isinstance(years, list) and all(isinstance(y, int) for y in years):
            return [int(y) for y in years]
        return [self.year] if self.year is not None else []

    def regency(self, *keys: Key) -> tuple[Key, ...]:
        """Path of a regency index of the report year: ``indices/regency/<year>/...``."""
        return ("indices", "regency", str(self.year), *keys)

    def table(self, section: str, name: str) -> list[tuple[int, Mapping[str, Any]]]:
        """The rows of ``sections/<section>/tables/<name>`` as ``(index, row)``."""
        return list(self.records("sections", section, "tables", name))

    def table_path(self, section: str, name: str, *keys: Key) -> tuple[Key, ...]:
        return ("sections", section, "tables", name, *keys)

    def section_ok(self, section: str) -> bool:
        """The section exists and is not marked ``no_data``."""
        status = self.get("sections", section, "status")
        return self.has("sections", section) and status != "no_data"

    def path(self, *keys: Key) -> str:
        return pointer(*keys)

    def get(self, *keys: Key) -> Any:
        """The value at the path, or ``None`` when any part of it is missing."""
        try:
            return resolve(self.data, pointer(*keys))
        except (KeyError, TypeError):
            return None

    def has(self, *keys: Key) -> bool:
        value = self.get(*keys)
        return value is not None and value != [] and value != {}

    def value(self, *keys: Key) -> float | None:
        """A finite number at the path, else ``None``."""
        value = self.get(*keys)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value) if math.isfinite(value) else None

    def num(
        self,
        *keys: Key,
        kind: NumberKind = "decimal",
        digits: int = 2,
        signed: bool = False,
        compact: bool = False,
        unit: bool = True,
    ) -> Number:
        """The number at the path as a typed :class:`Number` (value ``None`` if missing)."""
        raw = self.get(*keys)
        value: float | None
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            value = None
        elif isinstance(raw, int):
            value = raw
        else:
            value = raw if math.isfinite(raw) else None
        return Number(value, kind, digits, pointer(*keys), signed, compact, unit)

    def count_or_suppressed(self, *keys: Key) -> Number | Suppressed:
        """A group size, or :class:`Suppressed` when it is below the privacy minimum."""
        n = self.value(*keys)
        if is_suppressed(n, self.privacy_minimum):
            self.suppressed.add(pointer(*keys))
            return Suppressed(self.privacy_minimum, pointer(*keys))
        return self.num(*keys, kind="count", digits=0)

    def small(self, *keys: Key) -> bool:
        """True (and recorded) when the group size at the path is below the privacy minimum."""
        n = self.value(*keys)
        if is_suppressed(n, self.privacy_minimum):
            self.suppressed.add(pointer(*keys))
            return True
        return False

    def records(self, *keys: Key) -> Iterator[tuple[int, Mapping[str, Any]]]:
        """``(index, record)`` for each mapping in the list at the path."""
        value = self.get(*keys)
        if isinstance(value, Sequence) and not isinstance(value, str):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield i, item


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def sentence(template: str, **values: Inline | Sequence[Inline]) -> tuple[Inline, ...]:
    """A translated template with ``%(name)s`` placeholders, filled with typed parts.

    ``sentence(_("The mean gain was %(gain)s."), gain=Number(...))`` keeps the
    number typed (and traceable) inside the translated sentence; a value may
    also be a string, a reference, a footnote or a tuple of parts.
    """
    parts: list[Inline] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > position:
            parts.append(template[position : match.start()])
        value = values[match.group(1)]
        if isinstance(value, str | Number | Suppressed) or not isinstance(value, Sequence):
            parts.append(value)
        else:
            parts.extend(value)
        position = match.end()
    if position < len(template):
        parts.append(template[position:])
    return tuple(parts)


def join(*pieces: Sequence[Inline], sep: str = " ") -> tuple[Inline, ...]:
    """Several sentences (tuples of parts) as one paragraph's parts."""
    out: list[Inline] = []
    for i, piece in enumerate(p for p in pieces if p):
        if i:
            out.append(sep)
        out.extend(piece)
    return tuple(out)
