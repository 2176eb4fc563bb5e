"""The import engine: read the file, check every row, then write all of it or nothing.

A *kind* (:class:`Kind`) says which columns it reads (with the other names
SIASN, SIMPEG and staff give them), how to read a row into a record, its
natural key, how to compare records with the database (:meth:`Kind.plan`)
and how to write the changes (:meth:`Kind.apply`).  The engine does the
rest, in this order:

1. read the table (:mod:`mutu.imports.table`), find the header;
2. read every data row: cells through :mod:`mutu.domain.cells`, faults kept
   per row and column; exact duplicate rows and rows repeating a natural key
   are refused;
3. plan: look the records up in the database, validate them as the models
   do, and sort them into created, updated and unchanged;
4. only when no row has an error, and not a dry run: apply the plan in one
   transaction.  Any refusal there (the database's own constraints) rolls
   everything back.

Row numbers in messages are the numbers Excel shows (the header is usually
row 1); columns are named by their header text and letter.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import translation

from mutu.domain.cells import (
    Cell,
    CellError,
    ColumnRule,
    HeaderLayout,
    Note,
    Parsed,
    Problem,
    Severity,
    cell_text,
    column_letter,
    duplicate_rows,
    is_blank,
    is_header_repeat,
    locate_header,
)
from mutu.domain.errors import MutuValueError
from mutu.imports.table import Table, read_table
from mutu.reference.statistics import planner_statistics_refresh

T = TypeVar("T")
R = TypeVar("R")

Action = Literal["create", "update", "unchanged"]


@dataclass(frozen=True)
class Column:
    """A column of a kind: its key, the header Mutu writes, and the other names it reads.

    ``pattern`` (on the header as :func:`mutu.domain.cells.header_key` writes
    it) makes a numbered family (``Sesi 1``, ``Sesi 2`` …); ``label`` then
    holds ``{n}`` for the number.
    """

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    pattern: str | None = None

    def rule(self) -> ColumnRule:
        return ColumnRule(self.key, (self.label, *self.aliases), self.required, self.pattern)


@dataclass
class Issue:
    """A fault (error) or a correction (notice) of the file, at a row and column when known."""

    code: str
    message_id: str
    message_en: str
    severity: Severity = "error"
    row: int | None = None
    col: int | None = None
    column: str = ""

    def where(self, lang: str = "both") -> str:
        """``baris 12, kolom NIP (B)`` / ``row 12, column NIP (B)``."""
        row_word, col_word = {
            "id": ("baris", "kolom"),
            "en": ("row", "column"),
        }.get(lang, ("baris/row", "kolom/column"))
        parts = []
        if self.row is not None:
            parts.append(f"{row_word} {self.row}")
        if self.col is not None:
            name = f"{self.column} " if self.column else ""
            parts.append(f"{col_word} {name}({column_letter(self.col)})")
        return ", ".join(parts) or {"id": "berkas", "en": "file"}.get(lang, "berkas/file")

    def message(self, lang: str = "both") -> str:
        if lang == "id":
            return self.message_id
        if lang == "en":
            return self.message_en
        return f"{self.message_id} / {self.message_en}"

    def line(self, lang: str = "both") -> str:
        return f"{self.where(lang)}: {self.message(lang)}"


class ImportFailed(MutuValueError):
    """An import that wrote nothing; ``report`` holds every fault found."""

    def __init__(self, report: ImportReport) -> None:
        n = len(report.errors)
        super().__init__(
            f"{n} kesalahan; tidak ada yang disimpan.", f"{n} errors; nothing was written."
        )
        self.report = report


class Row:
    """One data row being read: its cells by column key, and the issues found on it."""

    def __init__(self, run: ImportRun, index: int) -> None:
        self.run = run
        self.index = index
        self.number = run.table.numbers[index]
        self.cells = run.table.rows[index]
        self.failed = False

    # -- cells
    def col(self, key: str) -> int | None:
        return self.run.layout.columns.get(key)

    def has(self, key: str) -> bool:
        """True when the file has the column (absent columns leave the stored value alone)."""
        return key in self.run.layout.columns

    def cell(self, key: str) -> Cell:
        col = self.col(key)
        return self._at(col)

    def _at(self, col: int | None) -> Cell:
        if col is None or col >= len(self.cells):
            return None
        return self.cells[col]

    def blank(self, key: str) -> bool:
        return is_blank(self.cell(key))

    def numbered(self, key: str) -> dict[int, int]:
        """Number → column index of a numbered family (``Sesi 1`` …)."""
        return self.run.layout.numbered.get(key, {})

    # -- issues
    def _issue(self, col: int | None, code: str, mid: str, men: str, severity: Severity) -> None:
        label = self.run.layout.labels[col] if col is not None else ""
        self.run.issues.append(Issue(code, mid, men, severity, self.number, col, label))
        if severity == "error":
            self.failed = True

    def error(
        self, key: str | None, message_id: str, message_en: str, code: str = "invalid"
    ) -> None:
        self._issue(self.col(key) if key else None, code, message_id, message_en, "error")

    def error_at(self, col: int | None, message_id: str, message_en: str, code: str) -> None:
        self._issue(col, code, message_id, message_en, "error")

    def notice(
        self, key: str | None, message_id: str, message_en: str, code: str = "notice"
    ) -> None:
        self._issue(self.col(key) if key else None, code, message_id, message_en, "notice")

    def _notes(self, col: int | None, notes: Iterable[Note]) -> None:
        for note in notes:
            self._issue(col, note.code, note.message_id, note.message_en, "notice")

    # -- reading
    def read(
        self, key: str, reader: Callable[[Cell], Parsed[T]], *, required: bool = False
    ) -> T | None:
        """The cell of column ``key`` read by ``reader``; None when blank or refused.

        A refusal becomes an error on the row; a blank required cell too.
        """
        return self.read_at(self.col(key), reader, required=required, key=key)

    def read_at(
        self,
        col: int | None,
        reader: Callable[[Cell], Parsed[T]],
        *,
        required: bool = False,
        key: str = "",
    ) -> T | None:
        cell = self._at(col)
        if is_blank(cell):
            if required:
                label = self.run.layout.labels[col] if col is not None else key
                self._issue(
                    col,
                    "required",
                    f"{label} wajib diisi.",
                    f"{label} is required.",
                    "error",
                )
            return None
        try:
            parsed = reader(cell)
        except CellError as err:
            self._issue(col, err.code, err.message_id, err.message_en, "error")
            return None
        self._notes(col, parsed.notes)
        return parsed.value

    def model_errors(self, err: ValidationError, columns: dict[str, str]) -> None:
        """A model's refusal, as errors on the columns its fields come from, in both languages."""
        texts: dict[str, dict[str, list[str]]] = {}
        for lang in ("id", "en"):
            with translation.override(lang):
                for name, messages in err.message_dict.items():
                    texts.setdefault(name, {})[lang] = list(messages)
        for name, by_lang in texts.items():
            key = columns.get(name)
            col = self.col(key) if key else None
            for mid, men in zip(by_lang["id"], by_lang["en"], strict=True):
                self._issue(col, "model", mid, men, "error")


@dataclass
class Change(Generic[R]):
    """What an import does with one record: create, update or leave it."""

    action: Action
    row: Row
    label: str
    record: R
    obj: Any = None
    fields: tuple[str, ...] = ()
    #: The changed fields as the file's column headers (for the person reading the report).
    shown: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """What an import found and did."""

    kind: str
    path: Path
    dry_run: bool
    source: str = ""
    rows: int = 0
    issues: list[Issue] = field(default_factory=list)
    changes: list[Change[Any]] = field(default_factory=list)
    written: bool = False
    errors_path: Path | None = None
    table: Table | None = None
    header_row: int = 1

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def notices(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "notice"]

    def count(self, action: Action) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Options:
    """What the person running the import chose (``--activity`` and the like)."""

    activity: str | None = None
    user: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


class Kind(Generic[R]):
    """One kind of data an import reads and an export writes; subclasses fill it in."""

    name: ClassVar[str]
    title_id: ClassVar[str]
    title_en: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    #: Columns whose cells make a row's natural key (named in duplicate messages).
    key_columns: ClassVar[tuple[str, ...]]
    #: The export holds personal data (NIP, names): it is logged.
    personal: ClassVar[bool] = True
    #: Columns not compared when looking for exact duplicate rows (a running number).
    ignore_in_duplicates: ClassVar[tuple[str, ...]] = ("no",)
    #: Model field → column key, to name a changed or refused field by its column.
    field_columns: ClassVar[dict[str, str]] = {}

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()

    # -- import
    def prepare(self, run: ImportRun) -> None:
        """Load what rows are checked against (units, golongan …), once per import."""

    def parse(self, row: Row) -> R | None:
        """Read a row into a record; record faults on ``row``.  None for a row to skip."""
        raise NotImplementedError

    def key(self, record: R) -> Hashable:
        raise NotImplementedError

    def plan(self, items: list[tuple[Row, R]]) -> list[Change[R]]:
        """Compare the records with the database; refusals become errors on their rows."""
        raise NotImplementedError

    def apply(self, changes: list[Change[R]]) -> None:
        """Write the creates and updates (inside the engine's transaction)."""
        raise NotImplementedError

    # -- export
    def export_columns(self, shape: str = "mutu") -> list[str]:
        return [c.label for c in self.columns if c.pattern is None]

    def export_rows(self, shape: str = "mutu", **filters: Any) -> Iterator[list[Any]]:
        raise NotImplementedError

    def export_table(
        self, shape: str = "mutu", **filters: Any
    ) -> tuple[list[str], Iterable[list[Any]]]:
        """The header and rows of an export (a kind whose columns depend on the data overrides)."""
        return self.export_columns(shape), self.export_rows(shape, **filters)

    def holds_personal(self, header: list[str]) -> bool:
        """Whether an export with this header holds personal data (and is logged as such)."""
        return self.personal

    #: Export shapes besides the import shape ``mutu``.
    shapes: ClassVar[tuple[str, ...]] = ("mutu",)
    #: Filters the export understands (``activity``, ``year``, ``unit``).
    filters: ClassVar[tuple[str, ...]] = ()


class ImportRun:
    """The state of one import while it runs."""

    def __init__(self, kind: Kind[Any], table: Table, report: ImportReport) -> None:
        self.kind = kind
        self.table = table
        self.report = report
        self.issues = report.issues
        self.layout = HeaderLayout(header_rows=(0,), labels=[])

    def problem(self, problem: Problem) -> None:
        """A problem of the pure core (0-based row index) as an issue of the report."""
        numbers = self.table.numbers
        # An empty file has no row to point at: the problem is the file's.
        inside = problem.row is not None and problem.row < len(numbers)
        row = numbers[problem.row] if inside and problem.row is not None else None
        label = ""
        if problem.col is not None and problem.col < len(self.layout.labels):
            label = self.layout.labels[problem.col]
        self.issues.append(
            Issue(
                problem.code,
                problem.message_id,
                problem.message_en,
                problem.severity,
                row,
                problem.col,
                label,
            )
        )


def run_import(
    kind: Kind[Any],
    path: Path,
    *,
    dry_run: bool = False,
    sheet: str | None = None,
) -> ImportReport:
    """Import ``path`` as ``kind``: validate everything, then write all of it or nothing.

    Returns the report (also for a dry run, and when there were errors: then
    nothing was written and ``report.ok`` is False).

    Raises
    ------
    mutu.imports.table.FileUnreadable
        When the file cannot be opened at all.
    """
    report = ImportReport(kind=kind.name, path=path, dry_run=dry_run)
    table = read_table(path, sheet=sheet)
    report.source = table.describe()
    report.table = table
    run = ImportRun(kind, table, report)
    run.layout = locate_header(table.rows, [c.rule() for c in kind.columns])
    if table.rows:
        report.header_row = table.numbers[min(run.layout.data_start, len(table.rows)) - 1]
    for problem in run.layout.problems:
        run.problem(problem)
    header_end = table.numbers[run.layout.data_start - 1] if table.rows else 0
    for number, col, note in table.notes:
        if number is None or number > header_end:
            run.issues.append(
                Issue(note.code, note.message_id, note.message_en, "notice", number, col)
            )
    if not run.layout.ok:
        return report
    rows = _data_rows(run)
    report.rows = len(rows)
    kind.prepare(run)
    items: list[tuple[Row, Any]] = []
    for row in rows:
        if row.failed:
            continue
        record = kind.parse(row)
        if record is not None and not row.failed:
            items.append((row, record))
    items = _unique_keys(run, items)
    report.changes = kind.plan(items)
    report.changes = [c for c in report.changes if not c.row.failed]
    for change in report.changes:
        change.shown = tuple(_column_label(run, name) for name in change.fields)
    report.issues.sort(key=lambda i: (i.row or 0, i.col if i.col is not None else -1))
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            kind.apply([c for c in report.changes if c.action != "unchanged"])
            planner_statistics_refresh()
    except (IntegrityError, DatabaseError, ValidationError, MutuValueError) as err:
        report.issues.append(
            Issue(
                "database",
                f"Basis data menolak perubahan; tidak ada yang disimpan. ({err})",
                f"The database refused the changes; nothing was saved. ({err})",
            )
        )
        return report
    report.written = True
    return report


def _data_rows(run: ImportRun) -> list[Row]:
    """The data rows: blank ones and repeated headers skipped, exact duplicates refused."""
    layout, table = run.layout, run.table
    start = layout.data_start
    mapped = [*layout.columns.values(), *(c for f in layout.numbered.values() for c in f.values())]
    ignore = {layout.columns[k] for k in run.kind.ignore_in_duplicates if k in layout.columns}
    compared = sorted(set(mapped) - ignore)
    rows: list[Row] = []
    for index in range(start, len(table.rows)):
        cells = table.rows[index]
        if all(is_blank(cells[c]) for c in compared if c < len(cells)):
            continue
        if is_header_repeat(cells, layout):
            run.problem(
                Problem(
                    "header_repeat",
                    "Baris ini mengulang judul kolom; dilewati.",
                    "This row repeats the header; skipped.",
                    "notice",
                    row=index,
                )
            )
            continue
        rows.append(Row(run, index))
    by_index = {r.index: r for r in rows}
    width = max((len(r) for r in table.rows), default=0)
    everything = [c for c in range(width) if c not in ignore]
    for dup, first in duplicate_rows(table.rows, everything, start=start):
        row = by_index.get(dup)
        if row is None:
            continue
        first_no = table.numbers[first]
        row.error(
            None,
            f"Baris ini sama persis dengan baris {first_no}; hapus salah satunya.",
            f"This row is an exact copy of row {first_no}; delete one of them.",
            code="duplicate_row",
        )
    return rows


def _column_label(run: ImportRun, field_name: str) -> str:
    name = field_name.removesuffix("_id")
    key = run.kind.field_columns.get(name, name)
    col = run.layout.columns.get(key)
    return run.layout.labels[col] if col is not None else name


def _unique_keys(run: ImportRun, items: list[tuple[Row, Any]]) -> list[tuple[Row, Any]]:
    """Refuse a second row with the same natural key (the file says two things at once)."""
    seen: dict[Hashable, Row] = {}
    out = []
    kind = run.kind
    for row, record in items:
        key = kind.key(record)
        if key in seen:
            first = seen[key].number
            names = ", ".join(
                run.layout.labels[run.layout.columns[k]]
                for k in kind.key_columns
                if k in run.layout.columns
            )
            shown = " / ".join(
                cell_text(row.cell(k)).strip() for k in kind.key_columns if row.has(k)
            )
            row.error(
                kind.key_columns[0] if kind.key_columns else None,
                f"{names} {shown} sudah ada di baris {first}; setiap {names} hanya sekali.",
                f"{names} {shown} is already on row {first}; each {names} only once.",
                code="duplicate_key",
            )
            continue
        seen[key] = row
        out.append((row, record))
    return out


# --- helpers for kinds ---------------------------------------------------------------------


def save_changes(model: type[models.Model], changes: list[Change[Any]], fields: list[str]) -> None:
    """Insert the planned creations and write ``fields`` of the planned updates, in bulk."""
    model._default_manager.bulk_create([c.obj for c in changes if c.action == "create"])
    updates = [c.obj for c in changes if c.action == "update"]
    if updates:
        model._default_manager.bulk_update(updates, fields)


def changed_fields(obj: models.Model, values: dict[str, Any]) -> tuple[str, ...]:
    """The fields of ``obj`` whose value differs from ``values`` (attribute names)."""
    return tuple(name for name, value in values.items() if getattr(obj, name) != value)


def validate(
    obj: models.Model,
    row: Row,
    columns: dict[str, str],
    *,
    exclude: Sequence[str] = (),
) -> bool:
    """Run the model's own checks (fields and ``clean()``); refusals become row errors.

    Foreign keys were resolved by the kind already and are not looked up
    again; uniqueness is the kind's natural key; the database constraints are
    enforced when the transaction writes.
    """
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as err:
        row.model_errors(err, columns)
        return False
    return True


def text_or_blank(row: Row, key: str, reader: Callable[[Cell], Parsed[str]]) -> str:
    value = row.read(key, reader)
    return value or ""


def shown(value: Cell) -> str:
    """A cell as quoted in a message."""
    return cell_text(value).strip()
