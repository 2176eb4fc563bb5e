"""Kind ``programs``: competency-development programs (natural key: the program code).

One row per :class:`~mutu.programs.models.Program` with its own fields: code,
name, description, period, owner unit, and whether (and how often) it
recurs.  A program's goals (:class:`~mutu.programs.models.ProgramGoal`: a
dimension, statement, indicator, baseline, target, unit of measure, metric
and activity series each, several per program, no natural key), its target
units (:class:`~mutu.programs.models.ProgramUnit`: a unit *and* its adoption
year, often dozens per program) and its target competencies are lists of
records, not cells of one row; they are neither imported nor exported here
and stay with the admin and the web application.

Rules besides the engine's (:mod:`mutu.imports.engine`):

- the program code is matched to the stored one without regard to case
  (``pmpp`` is the stored ``PMPP``, with a note) and is never changed;
- a new program needs a name, both period dates and an owner unit;
- the period's end may not be before its start (also against the stored date
  when the file gives only one of them);
- ``Berulang`` (yes/no) and ``Pengulangan`` (monthly, quarterly, twice a year,
  yearly) must agree, as the model's own check says; either column alone is
  enough (a recurrence makes a program recurring, an empty one makes it
  one-off; ``Berulang`` = Tidak clears the recurrence);
- a description keeps its line breaks; the name and description are compared
  with the stored ones after the spaces at their ends (and runs of spaces in
  the name) are cleaned, so a file exported from Mutu imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from mutu.domain.cells import (
    Cell,
    Note,
    Parsed,
    cell_text,
    read_bool,
    read_choice,
    read_date,
    read_text,
)
from mutu.imports.engine import Action, Change, Column, ImportRun, Kind, Row, validate
from mutu.imports.kinds._lookups import Directory, choice_labels
from mutu.people.models import Unit
from mutu.programs.models import Program, Recurrence

#: Model field → column key (to name a changed or refused field by its column).
PROGRAM_FIELDS = {
    "code": "code",
    "name": "name",
    "description": "description",
    "period_start": "period_start",
    "period_end": "period_end",
    "owner_unit": "owner",
    "is_recurring": "recurring",
    "recurrence": "recurrence",
}

#: Other words for a recurrence, besides its value and labels (monthly/bulanan …).
RECURRENCE_ALIASES = {
    "bulan": Recurrence.MONTHLY,
    "per bulan": Recurrence.MONTHLY,
    "triwulan": Recurrence.QUARTERLY,
    "per triwulan": Recurrence.QUARTERLY,
    "tiga bulanan": Recurrence.QUARTERLY,
    "semester": Recurrence.SEMIANNUAL,
    "per semester": Recurrence.SEMIANNUAL,
    "enam bulanan": Recurrence.SEMIANNUAL,
    "half yearly": Recurrence.SEMIANNUAL,
    "per tahun": Recurrence.ANNUAL,
    "setahun sekali": Recurrence.ANNUAL,
    "annually": Recurrence.ANNUAL,
}

#: Fields written by an update (what :meth:`ProgramsKind.apply` may change).
UPDATE_FIELDS = (
    "name",
    "description",
    "period_start",
    "period_end",
    "owner_unit",
    "is_recurring",
    "recurrence",
)


def _lines(text: str) -> str:
    """Text with Windows/Mac line ends made ``\\n``, non-breaking spaces made spaces,
    spaces at the end of each line and around the whole removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def read_paragraphs(cell: Cell) -> Parsed[str]:
    """Free text that may run over several lines (a description): line breaks are kept.

    Spaces at the ends of lines and of the whole text are removed, with a note.
    """
    raw = cell_text(cell)
    clean = _lines(raw)
    if clean == raw.replace("\r\n", "\n").replace("\r", "\n"):
        return Parsed(clean)
    return Parsed(
        clean,
        (
            Note(
                "spaces",
                "Spasi di awal atau akhir baris dihapus.",
                "Spaces at the start or end of lines were removed.",
            ),
        ),
    )


def _same(name: str, stored: Any, given: Any) -> bool:
    """True when the file's value is the stored one (texts compared as the file reads them)."""
    if name == "name" and isinstance(stored, str):
        return bool(" ".join(stored.split()) == given)
    if name == "description" and isinstance(stored, str):
        return bool(_lines(stored) == given)
    return bool(stored == given)


@dataclass
class ProgramRecord:
    code: str
    existing: Program | None
    #: Model field (``owner_unit_id`` for the unit) → value, for the columns the file has.
    values: dict[str, Any]


class ProgramsKind(Kind[ProgramRecord]):
    name = "programs"
    title_id = "program"
    title_en = "programs"
    personal = False
    filters = ("year",)
    key_columns = ("code",)
    field_columns = PROGRAM_FIELDS
    columns = (
        Column("no", "No", ("nomor", "no urut")),
        Column(
            "code",
            "Kode Program",
            ("kode", "program code", "kode prog"),
            required=True,
        ),
        Column("name", "Nama Program", ("nama", "program", "judul program", "program name")),
        Column("description", "Uraian", ("deskripsi", "keterangan", "description")),
        Column(
            "period_start",
            "Periode Mulai",
            ("mulai", "tgl mulai", "tanggal mulai", "awal periode", "period start"),
        ),
        Column(
            "period_end",
            "Periode Selesai",
            ("selesai", "tgl selesai", "tanggal selesai", "akhir periode", "period end"),
        ),
        Column(
            "owner",
            "Unit Pemilik",
            ("kode unit pemilik", "unit", "kode unit", "unit kerja", "pemilik", "owner unit"),
        ),
        Column("recurring", "Berulang", ("program berulang", "recurring")),
        Column("recurrence", "Pengulangan", ("frekuensi", "periode ulang", "recurrence")),
    )

    def prepare(self, run: ImportRun) -> None:
        self.units = Directory(
            Unit.objects.all(),
            code=lambda u: u.code,
            names=lambda u: [u.name],
            what_id="Unit kerja",
            what_en="unit",
        )
        self.recurrences = {**choice_labels(Recurrence.choices), **RECURRENCE_ALIASES}
        self.existing: dict[str, Program] = {p.code.casefold(): p for p in Program.objects.all()}

    # -- reading

    def parse(self, row: Row) -> ProgramRecord | None:
        code = row.read("code", read_text, required=True)
        if code is None:
            return None
        existing = self.existing.get(code.casefold())
        if existing is not None and existing.code != code:
            row.notice(
                "code",
                f"Kode {code} dibaca sebagai program tersimpan {existing.code}.",
                f"The code {code} was read as the stored program {existing.code}.",
                code="code_case",
            )
        new = existing is None
        values: dict[str, Any] = {}
        missing = [
            c.label
            for c in self.columns
            if new
            and c.key in ("name", "period_start", "period_end", "owner")
            and not row.has(c.key)
        ]
        if missing:
            names = ", ".join(missing)
            row.error(
                "code",
                f"Program baru {code} perlu kolom {names}.",
                f"The new program {code} needs the column(s) {names}.",
                code="required",
            )
            return None
        if row.has("name"):
            values["name"] = row.read("name", read_text, required=True)
        if row.has("description"):
            values["description"] = row.read("description", read_paragraphs) or ""
        for key in ("period_start", "period_end"):
            if row.has(key):
                values[key] = row.read(key, read_date, required=True)
        if row.has("owner"):
            unit = row.read("owner", self.units.reader(), required=True)
            values["owner_unit_id"] = unit.pk if unit is not None else None
        self._read_recurrence(row, values)
        if row.failed:
            return None
        return ProgramRecord(code, existing, values)

    def _read_recurrence(self, row: Row, values: dict[str, Any]) -> None:
        recurrence: str | None = None
        if row.has("recurrence"):
            if row.blank("recurrence"):
                recurrence = ""
            else:
                recurrence = row.read(
                    "recurrence",
                    lambda c: read_choice(
                        c, self.recurrences, what_id="Pengulangan", what_en="recurrence"
                    ),
                )
                if recurrence is None:
                    return
        recurring: bool | None = None
        if row.has("recurring") and not row.blank("recurring"):
            recurring = row.read("recurring", read_bool)
            if recurring is None:
                return
        if recurring is None and recurrence is not None:
            recurring = bool(recurrence)
        if recurring is False and recurrence is None:
            recurrence = ""  # a one-off program has no recurrence
        if recurring is not None:
            values["is_recurring"] = recurring
        if recurrence is not None:
            values["recurrence"] = recurrence

    def key(self, record: ProgramRecord) -> Hashable:
        return record.code.casefold()

    # -- comparing with the database

    def plan(self, items: list[tuple[Row, ProgramRecord]]) -> list[Change[ProgramRecord]]:
        changes: list[Change[ProgramRecord]] = []
        for row, rec in items:
            action: Action
            changed: tuple[str, ...] = ()
            if rec.existing is None:
                program = Program(code=rec.code, **rec.values)
                action = "create"
            else:
                program = rec.existing
                changed = tuple(
                    k for k, v in rec.values.items() if not _same(k, getattr(program, k), v)
                )
                for k in changed:
                    setattr(program, k, rec.values[k])
                action = "update" if changed else "unchanged"
            label = rec.existing.code if rec.existing is not None else rec.code
            if action != "unchanged":
                if not self._period_ok(row, program):
                    continue
                columns = dict(PROGRAM_FIELDS)
                if not row.has("recurrence"):
                    columns["recurrence"] = "recurring"  # the column the file has
                if not validate(program, row, columns, exclude=["owner_unit"]):
                    continue
            changes.append(Change(action, row, label, rec, program, changed))
        return changes

    @staticmethod
    def _period_ok(row: Row, program: Program) -> bool:
        start: date | None = program.period_start
        end: date | None = program.period_end
        if start is None or end is None or end >= start:
            return True
        key = "period_end" if row.has("period_end") else "period_start"
        row.error(
            key,
            f"Periode selesai {end:%d-%m-%Y} sebelum periode mulai {start:%d-%m-%Y}.",
            f"The period end {end:%d-%m-%Y} is before the period start {start:%d-%m-%Y}.",
            code="period",
        )
        return False

    # -- writing

    def apply(self, changes: list[Change[ProgramRecord]]) -> None:
        Program.objects.bulk_create([c.obj for c in changes if c.action == "create"])
        updates = [c for c in changes if c.action == "update"]
        if updates:
            fields = sorted({f.removesuffix("_id") for c in updates for f in c.fields})
            Program.objects.bulk_update([c.obj for c in updates], fields)

    # -- export

    def export_columns(self, shape: str = "mutu") -> list[str]:
        return [c.label for c in self.columns if c.key != "no"]

    def export_rows(self, shape: str = "mutu", **filters: Any) -> Iterator[list[Any]]:
        """One row per program, by code; ``year``: programs whose period touches that year."""
        rows = Program.objects.select_related("owner_unit").order_by("code")
        if "year" in filters:
            year = int(filters["year"])
            rows = rows.filter(period_start__year__lte=year, period_end__year__gte=year)
        for p in rows:
            yield [
                p.code,
                p.name,
                p.description,
                p.period_start,
                p.period_end,
                p.owner_unit.code,
                "Ya" if p.is_recurring else "Tidak",
                p.recurrence,
            ]
