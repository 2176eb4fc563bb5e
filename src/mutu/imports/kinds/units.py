"""Kind ``units``: the organisation tree (natural key: the unit code)."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any

from mutu.domain.cells import read_bool, read_choice, read_text
from mutu.imports.engine import Change, Column, ImportRun, Kind, Row, validate
from mutu.imports.kinds._lookups import Directory, choice_labels
from mutu.people.models import Unit, UnitKind
from mutu.people.models.organisation import MAX_TREE_DEPTH
from mutu.reference.models import Kecamatan

#: Other words for a unit's kind.
KIND_ALIASES = {
    "opd": UnitKind.SKPK,
    "skpd": UnitKind.SKPK,
    "dinas": UnitKind.SKPK,
    "badan": UnitKind.SKPK,
    "rsud": UnitKind.RUMAH_SAKIT,
    "rumah sakit": UnitKind.RUMAH_SAKIT,
    "kantor camat": UnitKind.KECAMATAN,
    "sd": UnitKind.SEKOLAH,
    "smp": UnitKind.SEKOLAH,
}


_FIELDS = {
    "code": "code",
    "name": "name",
    "kind": "kind",
    "parent": "parent",
    "kecamatan": "kecamatan",
    "is_active": "is_active",
}


@dataclass
class UnitRecord:
    code: str
    values: dict[str, Any]
    parent_code: str | None
    has_parent: bool


def kecamatan_directory() -> Directory:
    return Directory(
        Kecamatan.objects.all(),
        code=lambda k: k.code,
        names=lambda k: [k.name],
        what_id="Kecamatan",
        what_en="kecamatan",
    )


class UnitsKind(Kind[UnitRecord]):
    name = "units"
    title_id = "unit kerja"
    title_en = "units"
    personal = False
    key_columns = ("code",)
    field_columns = _FIELDS
    columns = (
        Column("no", "No", ("nomor", "no urut")),
        Column(
            "code",
            "Kode Unit",
            ("kode", "kode unor", "id unor", "unor id", "kode satker", "kode opd", "unit code"),
            required=True,
        ),
        Column(
            "name",
            "Nama Unit",
            ("nama", "unor", "nama unor", "unit kerja", "nama unit kerja", "unit name"),
            required=True,
        ),
        Column("kind", "Jenis", ("jenis unit", "kind", "tipe unit")),
        Column("parent", "Kode Induk", ("induk", "kode unit induk", "kode unor induk", "parent")),
        Column("kecamatan", "Kecamatan", ("kode kecamatan",)),
        Column("is_active", "Aktif", ("active", "status aktif")),
    )

    def prepare(self, run: ImportRun) -> None:
        self.kinds = {**choice_labels(UnitKind.choices), **KIND_ALIASES}
        self.kecamatan = kecamatan_directory()
        self.existing = {u.code: u for u in Unit.objects.all()}

    def parse(self, row: Row) -> UnitRecord | None:
        code = row.read("code", read_text, required=True)
        name = row.read("name", read_text, required=True)
        values: dict[str, Any] = {"name": name}
        if row.has("kind"):
            values["kind"] = row.read(
                "kind",
                lambda c: read_choice(c, self.kinds, what_id="Jenis unit", what_en="unit kind"),
                required=True,
            )
        if row.has("kecamatan"):
            kec = row.read("kecamatan", self.kecamatan.reader())
            values["kecamatan_id"] = kec.pk if kec is not None else None
        if row.has("is_active"):
            active = row.read("is_active", read_bool)
            values["is_active"] = True if active is None else active
        parent = row.read("parent", read_text) if row.has("parent") else None
        if code is None:
            return None
        if code not in self.existing and "kind" not in values:
            row.error(
                "code",
                f"Unit baru {code} perlu kolom Jenis (mis. skpk, sekolah, puskesmas).",
                f"The new unit {code} needs a Jenis (kind) column (e.g. skpk, sekolah, puskesmas).",
                code="required",
            )
        return UnitRecord(code, values, parent or None, row.has("parent"))

    def key(self, record: UnitRecord) -> Hashable:
        return record.code

    def plan(self, items: list[tuple[Row, UnitRecord]]) -> list[Change[UnitRecord]]:
        in_file = {rec.code: rec for _row, rec in items}
        by_pk = {u.pk: u for u in self.existing.values()}
        parents: dict[str, str | None] = {
            code: (by_pk[u.parent_id].code if u.parent_id in by_pk else None)
            for code, u in self.existing.items()
        }
        for rec in in_file.values():
            if rec.has_parent:
                parents[rec.code] = rec.parent_code
        changes: list[Change[UnitRecord]] = []
        for row, rec in items:
            if rec.has_parent and rec.parent_code is not None:
                if rec.parent_code not in parents:
                    row.error(
                        "parent",
                        f"Unit induk {rec.parent_code} tidak ada di Mutu maupun di berkas ini.",
                        f"The parent unit {rec.parent_code} is neither in Mutu nor in this file.",
                        code="unknown_reference",
                    )
                    continue
                if _cycles(rec.code, parents):
                    row.error(
                        "parent",
                        f"Unit {rec.code} akan menjadi induk dirinya sendiri (lingkaran).",
                        f"Unit {rec.code} would become its own ancestor (a cycle).",
                        code="cycle",
                    )
                    continue
            unit = self.existing.get(rec.code)
            values = dict(rec.values)
            if rec.has_parent:
                parent = self.existing.get(rec.parent_code or "")
                values["parent_id"] = parent.pk if parent is not None else None
            if unit is None:
                unit = Unit(code=rec.code, **{k: v for k, v in values.items() if k != "parent_id"})
                if validate(unit, row, _FIELDS, exclude=["parent", "kecamatan"]):
                    changes.append(Change("create", row, rec.code, rec, unit))
                continue
            changed = tuple(k for k, v in values.items() if getattr(unit, k) != v)
            if rec.has_parent and rec.parent_code and rec.parent_code not in self.existing:
                changed = (*changed, "parent_id")  # the parent is new: it has no id yet
            for k, v in values.items():
                setattr(unit, k, v)
            if not validate(unit, row, _FIELDS, exclude=["parent", "kecamatan"]):
                continue
            changes.append(
                Change("update" if changed else "unchanged", row, rec.code, rec, unit, changed)
            )
        return changes

    def apply(self, changes: list[Change[UnitRecord]]) -> None:
        Unit.objects.bulk_create([c.obj for c in changes if c.action == "create"])
        wanted = {c.record.parent_code for c in changes if c.record.parent_code}
        pk_of = dict(Unit.objects.filter(code__in=wanted).values_list("code", "pk"))
        for c in changes:
            if c.record.has_parent:
                parent = c.record.parent_code
                c.obj.parent_id = pk_of[parent] if parent else None
        Unit.objects.bulk_update(
            [c.obj for c in changes], ["name", "kind", "parent", "kecamatan", "is_active"]
        )

    def export_rows(self, shape: str = "mutu", **filters: Any) -> Iterator[list[Any]]:
        rows = Unit.objects.select_related("parent", "kecamatan").order_by("code")
        for u in rows:
            yield [
                u.code,
                u.name,
                u.kind,
                u.parent.code if u.parent else "",
                u.kecamatan.code if u.kecamatan else "",
                "Ya" if u.is_active else "Tidak",
            ]

    def export_columns(self, shape: str = "mutu") -> list[str]:
        return [c.label for c in self.columns if c.key != "no"]


def _cycles(code: str, parents: dict[str, str | None]) -> bool:
    node = parents.get(code)
    for _ in range(MAX_TREE_DEPTH):
        if node is None:
            return False
        if node == code:
            return True
        node = parents.get(node)
    return True
