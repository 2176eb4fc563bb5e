"""Finding the header row of a sheet, mapping its columns, and finding duplicate rows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mutu.domain.cells.base import Cell, Problem, cell_text, is_blank, read_text, text_key

# --- headers --------------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def header_key(text: str) -> str:
    """A header as compared: ``TGL_LAHIR``, ``Tgl. Lahir``, ``tglLahir`` → ``tgl lahir``."""
    return text_key(_CAMEL.sub(" ", cell_text(text) if not isinstance(text, str) else text))


@dataclass(frozen=True, slots=True)
class ColumnRule:
    """A column a reader looks for: its key, the header names that mean it, and if required.

    ``pattern`` (a regular expression on :func:`header_key`, with one group of
    digits) makes a numbered family of columns, like ``Sesi 1``, ``Sesi 2`` ….
    """

    key: str
    names: tuple[str, ...]
    required: bool = False
    pattern: str | None = None

    def number(self, key: str) -> int | None:
        """The number of a patterned column (``Sesi 3`` → 3) that ``key`` names, else None."""
        if self.pattern is None:
            return None
        m = re.fullmatch(self.pattern, key)
        return int(m.group(1)) if m else None

    def matches(self, key: str) -> bool:
        """True when a header key means this column (or one of its numbered family)."""
        if self.pattern is not None:
            return self.number(key) is not None
        return key in {header_key(n) for n in self.names}


@dataclass
class HeaderLayout:
    """Where the header is and which column holds what."""

    header_rows: tuple[int, ...]
    labels: list[str]
    columns: dict[str, int] = field(default_factory=dict)
    numbered: dict[str, dict[int, int]] = field(default_factory=dict)
    ignored: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def data_start(self) -> int:
        """Index of the first row after the header."""
        return self.header_rows[-1] + 1

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def _row_texts(row: Sequence[Cell]) -> list[str]:
    return [read_text(c).value for c in row]


def _filled(texts: Sequence[str]) -> list[str]:
    """An upper header row with each label carried right over the blanks it spans (a merge)."""
    out, last = [], ""
    for text in texts:
        last = text or last
        out.append(last)
    return out


def _candidates(upper: Sequence[str] | None, lower: Sequence[str], width: int) -> list[list[str]]:
    """Per column, the labels to try: the lower text, upper + lower, the upper text."""
    out: list[list[str]] = []
    carried = _filled(upper) if upper is not None else []
    for i in range(width):
        low = lower[i] if i < len(lower) else ""
        if upper is None:
            out.append([low] if low else [])
            continue
        up_own = upper[i] if i < len(upper) else ""
        up = carried[i] if i < len(carried) else ""
        names = []
        if low:
            names.append(low)
            if up:
                names.append(f"{up} {low}")
        elif up_own:
            names.append(up_own)
        out.append(names)
    return out


def _assign(rules: Sequence[ColumnRule], candidates: list[list[str]]) -> HeaderLayout:
    layout = HeaderLayout(header_rows=(), labels=[])
    seen: dict[str, list[int]] = {}
    for col, names in enumerate(candidates):
        label = names[0] if names else ""
        for name in names:
            key = header_key(name)
            hit = None
            for rule in rules:
                if not rule.matches(key):
                    continue
                hit = rule
                number = rule.number(key)
                if number is not None:
                    family = layout.numbered.setdefault(rule.key, {})
                    if number in family:
                        seen.setdefault(f"{rule.key} {number}", [family[number]]).append(col)
                    family[number] = col
                elif rule.key in layout.columns:
                    seen.setdefault(rule.key, [layout.columns[rule.key]]).append(col)
                else:
                    layout.columns[rule.key] = col
                break
            if hit is not None:
                label = name
                break
        else:
            if names:
                layout.ignored.append(col)
        layout.labels.append(label)
    for key, cols in seen.items():
        layout.problems.append(
            Problem(
                "header_duplicate",
                f"Kolom {key!r} muncul lebih dari sekali (kolom "
                f"{', '.join(column_letter(c) for c in cols)}); hapus salah satunya.",
                f"The column {key!r} appears more than once (columns "
                f"{', '.join(column_letter(c) for c in cols)}); delete all but one.",
                col=cols[-1],
            )
        )
    return layout


def _score(layout: HeaderLayout, rules: Sequence[ColumnRule]) -> tuple[int, int]:
    required = sum(1 for r in rules if r.required and r.key in layout.columns)
    found = len(layout.columns) + sum(1 for r in rules if r.key in layout.numbered)
    return required, found


def column_letter(index: int) -> str:
    """Excel's letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def locate_header(
    rows: Sequence[Sequence[Cell]], rules: Sequence[ColumnRule], *, scan: int = 10
) -> HeaderLayout:
    """Find the header among the first ``scan`` rows and map its columns to ``rules``.

    A header may sit below title rows (they are skipped, with a notice) or span
    two rows, as when "Kehadiran" is merged over "Sesi 1 … Sesi 6" or
    "No"/"NIP" are merged down two rows: each column is then named by its
    lower label, by upper + lower ("Tanggal" over "Mulai" is "Tanggal Mulai"),
    or by the upper label.  The layout's problems name a missing required
    column (with the names accepted) and a column that appears twice.
    """
    width = max((len(r) for r in rows[:scan]), default=0)
    best: HeaderLayout | None = None
    best_score = (-1, -1)
    texts = [_row_texts(r) for r in rows[:scan]]
    for i, lower in enumerate(texts):
        if not any(lower):
            continue
        options: list[tuple[tuple[int, ...], HeaderLayout]] = [
            ((i,), _assign(rules, _candidates(None, lower, width)))
        ]
        if i > 0 and any(texts[i - 1]):
            options.append(((i - 1, i), _assign(rules, _candidates(texts[i - 1], lower, width))))
        for header_rows, layout in options:
            score = _score(layout, rules)
            if score > best_score:
                layout.header_rows = header_rows
                best, best_score = layout, score
    if best is None or best_score[1] == 0:
        wanted = "; ".join(f"{r.names[0]}" for r in rules if r.required)
        layout = HeaderLayout(header_rows=(0,), labels=texts[0] if texts else [])
        layout.problems.append(
            Problem(
                "header_missing",
                f"Baris judul kolom tidak ditemukan di {scan} baris pertama; kolom yang wajib: "
                f"{wanted}.",
                f"No header row found in the first {scan} rows; required columns: {wanted}.",
                row=0,
            )
        )
        return layout
    missing = [r for r in rules if r.required and r.key not in best.columns]
    for rule in missing:
        names = ", ".join(rule.names)
        best.problems.append(
            Problem(
                "column_missing",
                f"Kolom wajib {rule.names[0]!r} tidak ada (nama yang diterima: {names}).",
                f"The required column {rule.names[0]!r} is missing (accepted names: {names}).",
                row=best.header_rows[-1],
            )
        )
    first = best.header_rows[0]
    if first > 0 and any(any(t) for t in texts[:first]):
        best.problems.append(
            Problem(
                "title_rows",
                f"Baris 1–{first} di atas judul kolom diabaikan.",
                f"Rows 1–{first} above the header were ignored.",
                severity="notice",
                row=0,
            )
        )
    if len(best.header_rows) == 2:
        best.problems.append(
            Problem(
                "header_two_rows",
                f"Judul kolom tersebar di dua baris ({first + 1}–{first + 2}, sel digabung); "
                "keduanya dibaca bersama.",
                f"The header spans two rows ({first + 1}–{first + 2}, merged cells); both were "
                "read together.",
                severity="notice",
                row=first,
            )
        )
    return best


def is_header_repeat(row: Sequence[Cell], layout: HeaderLayout) -> bool:
    """True when a data row repeats the header (a copied block with its header)."""
    mapped = [*layout.columns.values()]
    if not mapped:
        return False
    return all(
        i < len(row)
        and not is_blank(row[i])
        and header_key(read_text(row[i]).value) == header_key(layout.labels[i])
        for i in mapped
    )


# --- whole rows -----------------------------------------------------------------------------


def row_signature(row: Sequence[Cell], columns: Iterable[int]) -> tuple[str, ...]:
    """What two rows must share to be duplicates: the cleaned text of the given columns."""
    return tuple(text_key(cell_text(row[c])) if c < len(row) else "" for c in columns)


def duplicate_rows(
    rows: Sequence[Sequence[Cell]], columns: Sequence[int], *, start: int = 0
) -> list[tuple[int, int]]:
    """Rows (from ``start``) equal to an earlier row in ``columns``: (row, earlier row).

    Blank rows are not compared.
    """
    first: dict[tuple[str, ...], int] = {}
    out: list[tuple[int, int]] = []
    for i in range(start, len(rows)):
        sig = row_signature(rows[i], columns)
        if not any(sig):
            continue
        if sig in first:
            out.append((i, first[sig]))
        else:
            first[sig] = i
    return out
