"""Kind ``positions``: jabatan per unit (natural key: the position code).

Employees name their position by code or by its name within their unit, so a
fresh registry is imported in the order units → positions → employees.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any

from mutu.domain.cells import read_choice, read_text
from mutu.imports.engine import Action, Change, Column, ImportRun, Kind, Row, save_changes, validate
from mutu.imports.kinds._lookups import Directory, choice_labels
from mutu.people.models import Position, PositionKind, PositionLevel, Unit

FIELDS = {"code": "code", "name": "name", "kind": "kind", "level": "level", "unit": "unit"}

#: Other words for a position's kind, as SIASN's "jenis jabatan" writes them.
KIND_ALIASES = {
    "struktural": PositionKind.ADMINISTRATOR,
    "jpt": PositionKind.JPT_PRATAMA,
    "fungsional tertentu": PositionKind.FUNGSIONAL_KEAHLIAN,
    "fungsional umum": PositionKind.PELAKSANA,
    "jfu": PositionKind.PELAKSANA,
}


@dataclass
class PositionRecord:
    code: str
    values: dict[str, Any]


class PositionsKind(Kind[PositionRecord]):
    name = "positions"
    title_id = "jabatan"
    title_en = "positions"
    personal = False
    key_columns = ("code",)
    field_columns = FIELDS
    columns = (
        Column("no", "No", ("nomor",)),
        Column("code", "Kode Jabatan", ("kode", "id jabatan", "jabatan id"), required=True),
        Column("name", "Nama Jabatan", ("jabatan", "nama", "jabatan nama"), required=True),
        Column("kind", "Jenis Jabatan", ("jenis", "kind", "kelompok jabatan"), required=True),
        Column("level", "Jenjang", ("jenjang jabatan", "level", "tingkat")),
        Column("unit", "Kode Unit", ("unit", "kode unor", "unit kerja", "unor"), required=True),
    )

    def prepare(self, run: ImportRun) -> None:
        self.kinds = {**choice_labels(PositionKind.choices), **KIND_ALIASES}
        self.levels = choice_labels(PositionLevel.choices)
        self.units = Directory(
            Unit.objects.all(),
            code=lambda u: u.code,
            names=lambda u: [u.name],
            what_id="Unit kerja",
            what_en="unit",
        )
        self.existing = {p.code: p for p in Position.objects.all()}

    def parse(self, row: Row) -> PositionRecord | None:
        code = row.read("code", read_text, required=True)
        values: dict[str, Any] = {
            "name": row.read("name", read_text, required=True),
            "kind": row.read(
                "kind",
                lambda c: read_choice(c, self.kinds, what_id="Jenis jabatan", what_en="kind"),
                required=True,
            ),
        }
        if row.has("level"):
            values["level"] = (
                row.read(
                    "level",
                    lambda c: read_choice(c, self.levels, what_id="Jenjang", what_en="level"),
                )
                or ""
            )
        unit = row.read("unit", self.units.reader(), required=True)
        if unit is not None:
            values["unit_id"] = unit.pk
        if code is None:
            return None
        return PositionRecord(code, values)

    def key(self, record: PositionRecord) -> Hashable:
        return record.code

    def plan(self, items: list[tuple[Row, PositionRecord]]) -> list[Change[PositionRecord]]:
        changes: list[Change[PositionRecord]] = []
        for row, rec in items:
            position = self.existing.get(rec.code)
            action: Action
            changed: tuple[str, ...] = ()
            if position is None:
                position = Position(code=rec.code, **rec.values)
                action = "create"
            else:
                changed = tuple(k for k, v in rec.values.items() if getattr(position, k) != v)
                action = "update" if changed else "unchanged"
                for k, v in rec.values.items():
                    setattr(position, k, v)
            if action != "unchanged" and not validate(position, row, FIELDS, exclude=["unit"]):
                continue
            changes.append(Change(action, row, rec.code, rec, position, changed))
        return changes

    def apply(self, changes: list[Change[PositionRecord]]) -> None:
        save_changes(Position, changes, ["name", "kind", "level", "unit"])

    def export_columns(self, shape: str = "mutu") -> list[str]:
        return [c.label for c in self.columns if c.key != "no"]

    def export_rows(self, shape: str = "mutu", **filters: Any) -> Iterator[list[Any]]:
        rows = Position.objects.select_related("unit").order_by("unit__code", "code")
        for p in rows.iterator(chunk_size=2000):
            yield [p.code, p.name, p.kind, p.level, p.unit.code]
