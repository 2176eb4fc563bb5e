"""Kind ``employees``: the ASN registry as SIASN and SIMPEG export it (natural key: NIP).

Columns are found by the names those systems use (``NIP``, ``NAMA``, ``GELAR
DEPAN``, ``GELAR BELAKANG``, ``TGL LAHIR``, ``STATUS``, ``GOL``, ``JABATAN``,
``UNOR``, ``PENDIDIKAN``, ``TMT CPNS`` …).  A unit is found by its code
(``Kode Unit``) or, as SIASN gives it, by its name (``UNOR``); a position by
its code or by its name within the employee's unit.  A column the file does
not have leaves that field as it is stored; an empty cell empties the field
(birth date and sex are then taken from the NIP).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Q
from django.utils import timezone

from mutu.domain.cells import (
    CellError,
    Parsed,
    cell_text,
    read_bool,
    read_choice,
    read_date,
    read_nip,
    read_text,
    text_key,
)
from mutu.domain.errors import MutuValueError
from mutu.domain.golongan import UnknownEducation, UnknownGolongan, parse_education, parse_golongan
from mutu.domain.nip import normalize_nip, parse_nip
from mutu.imports.engine import Action, Change, Column, ImportRun, Kind, Row, validate
from mutu.imports.kinds._lookups import Directory, in_chunks
from mutu.people.models import Employee, EmploymentType, Position, Unit
from mutu.people.models.organisation import MAX_TREE_DEPTH
from mutu.reference.models import Golongan
from mutu.rulebooks import resolve

#: Status as SIASN writes it → (status, employment type).
STATUSES: dict[str, tuple[str, str]] = {
    "PNS": ("PNS", ""),
    "CPNS": ("PNS", ""),
    "PPPK": ("PPPK", EmploymentType.FULL_TIME),
    "P3K": ("PPPK", EmploymentType.FULL_TIME),
    "PPPK Penuh Waktu": ("PPPK", EmploymentType.FULL_TIME),
    "PPPK Paruh Waktu": ("PPPK", EmploymentType.PART_TIME),
    "P3K Paruh Waktu": ("PPPK", EmploymentType.PART_TIME),
}

SEXES = {
    "L": "L",
    "P": "P",
    "Laki-laki": "L",
    "Laki laki": "L",
    "Pria": "L",
    "M": "L",
    "Male": "L",
    "1": "L",
    "Perempuan": "P",
    "Wanita": "P",
    "F": "P",
    "Female": "P",
    "2": "P",
}

_GOLONGAN_IN_TEXT = re.compile(r"\b([IV]{1,3})\s*[/\-]\s*([a-eA-E])\b")

#: Model field → column key, to put a model's refusal on the right cell.
FIELDS = {
    "nip": "nip",
    "name": "name",
    "status": "status",
    "employment_type": "status",
    "birth_date": "birth_date",
    "sex": "sex",
    "golongan": "golongan",
    "education_level": "education",
    "unit": "unit",
    "position": "position",
    "tmt_cpns": "tmt",
    "supervisor": "supervisor",
    "is_active": "is_active",
}


@dataclass
class EmployeeRecord:
    nip: str
    values: dict[str, Any] = field(default_factory=dict)
    supervisor: str | None = None
    has_supervisor: bool = False
    golongan: Golongan | None = None
    unit: Unit | None = None


def full_name(front: str, plain: str, back: str) -> str:
    """A name with its academic titles as Mutu stores it: ``Ns. Sartika, S.Kep.``."""
    name = plain.strip()
    if front.strip():
        name = f"{front.strip()} {name}"
    if back.strip():
        name = f"{name}, {back.strip().removeprefix(',').strip()}"
    return name


class EmployeesKind(Kind[EmployeeRecord]):
    name = "employees"
    title_id = "pegawai"
    title_en = "employees"
    filters = ("unit",)
    key_columns = ("nip",)
    field_columns = FIELDS
    columns = (
        Column("no", "No", ("nomor", "no urut")),
        Column(
            "nip",
            "NIP",
            ("nip baru", "nip ni pppk", "ni pppk", "nomor induk pegawai", "nip pegawai"),
            required=True,
        ),
        Column(
            "name",
            "Nama",
            ("nama lengkap", "nama pegawai", "nama asn", "name", "nama tanpa gelar"),
            required=True,
        ),
        Column("front_title", "Gelar Depan", ("glr depan",)),
        Column("back_title", "Gelar Belakang", ("glr belakang",)),
        Column("sex", "Jenis Kelamin", ("jk", "l p", "sex", "kelamin")),
        Column("birth_date", "Tgl Lahir", ("tanggal lahir", "tgllahir", "birth date")),
        Column("status", "Status", ("status pegawai", "jenis pegawai", "status asn", "jenis asn")),
        Column(
            "golongan",
            "Gol",
            ("golongan", "gol ruang", "golongan ruang", "pangkat golongan", "gol akhir"),
        ),
        Column("position_code", "Kode Jabatan", ("id jabatan", "jabatan id")),
        Column("position", "Jabatan", ("nama jabatan", "jabatan nama", "jabatan akhir")),
        Column("unit_code", "Kode Unit", ("kode unor", "id unor", "unor id", "kode unit kerja")),
        Column(
            "unit",
            "Unit Kerja",
            ("unor", "nama unor", "unor nama", "unit organisasi", "satuan kerja", "nama unit"),
        ),
        Column(
            "education",
            "Pendidikan",
            ("tingkat pendidikan", "pendidikan terakhir", "jenjang pendidikan", "tk pendidikan"),
        ),
        Column("tmt", "TMT CPNS", ("tmt", "tmt cpns pppk", "tmt pengangkatan", "tmt cpns/pppk")),
        Column("supervisor", "NIP Atasan", ("nip atasan langsung", "atasan nip")),
        Column("is_active", "Aktif", ("active", "status aktif")),
    )

    def prepare(self, run: ImportRun) -> None:
        self.units = Directory(
            Unit.objects.all(),
            code=lambda u: u.code,
            names=lambda u: [u.name],
            what_id="Unit kerja",
            what_en="unit",
        )
        self.golongan = {(g.kind, g.code): g for g in Golongan.objects.all()}
        self.golongan_book = resolve("golongan")
        self.golongan_cache: dict[tuple[str, str], Parsed[Golongan] | CellError] = {}
        col = run.layout.columns["nip"]
        nips = {
            normalize_nip(cell_text(row[col]))
            for row in run.table.rows[run.layout.data_start :]
            if col < len(row)
        }
        self.existing: dict[str, Employee] = {
            e.nip: e for e in in_chunks(lambda part: Employee.objects.filter(nip__in=part), nips)
        }
        self.positions_by_code: dict[str, Position] = {}
        self.positions_by_name: dict[tuple[int, str], list[Position]] = {}
        if run.layout.columns.keys() & {"position", "position_code"}:
            for p in Position.objects.all():
                self.positions_by_code[p.code.casefold()] = p
                self.positions_by_name.setdefault((p.unit_id, text_key(p.name)), []).append(p)

    # -- reading a row
    def parse(self, row: Row) -> EmployeeRecord | None:
        nip = row.read("nip", read_nip, required=True)
        plain = row.read("name", read_text, required=True)
        if nip is None or plain is None:
            return None
        rec = EmployeeRecord(nip)
        front = row.read("front_title", read_text) or ""
        back = row.read("back_title", read_text) or ""
        rec.values["name"] = full_name(front, plain, back)
        parsed = parse_nip(nip)
        kind = parsed.kind
        self._status(row, rec, kind)
        status = rec.values.get("status") or self._stored(nip, "status") or kind
        if row.has("sex"):
            rec.values["sex"] = (
                row.read(
                    "sex",
                    lambda c: read_choice(c, SEXES, what_id="Jenis kelamin", what_en="sex"),
                )
                or parsed.sex
            )
        if row.has("birth_date"):
            rec.values["birth_date"] = row.read("birth_date", read_date) or parsed.birth_date
        if row.has("golongan"):
            rec.golongan = row.read("golongan", lambda c: self._golongan(c, status))
            rec.values["golongan_id"] = rec.golongan.pk if rec.golongan else None
        if row.has("education"):
            rec.values["education_level"] = row.read("education", _education) or ""
        if row.has("tmt"):
            rec.values["tmt_cpns"] = row.read("tmt", read_date)
        if row.has("is_active"):
            active = row.read("is_active", read_bool)
            rec.values["is_active"] = True if active is None else active
        self._unit_and_position(row, rec)
        if row.has("supervisor"):
            rec.has_supervisor = True
            rec.supervisor = row.read("supervisor", read_nip)
        return rec

    def _stored(self, nip: str, name: str) -> Any:
        employee = self.existing.get(nip)
        return getattr(employee, name) if employee is not None else None

    def _status(self, row: Row, rec: EmployeeRecord, kind: str) -> None:
        if not row.has("status") or row.blank("status"):
            if rec.nip not in self.existing:
                rec.values["status"] = kind
                rec.values["employment_type"] = EmploymentType.FULL_TIME if kind == "PPPK" else ""
            return
        found = row.read(
            "status", lambda c: read_choice(c, STATUSES, what_id="Status", what_en="status")
        )
        if found is None:
            return
        status, employment = found
        if status != kind:
            row.error(
                "status",
                f"Status {status} tidak cocok dengan NIP, yang merupakan nomor {kind}.",
                f"The status {status} does not match the NIP, which is a {kind} number.",
                code="status_mismatch",
            )
            return
        rec.values["status"] = status
        rec.values["employment_type"] = employment

    def _golongan(self, cell: Any, status: str) -> Parsed[Golongan]:
        text = read_text(cell).value
        kind: Literal["PNS", "PPPK"] = "PPPK" if status == "PPPK" else "PNS"
        key = (kind, text)
        if key not in self.golongan_cache:
            try:
                self.golongan_cache[key] = self._find_golongan(text, kind)
            except CellError as err:
                self.golongan_cache[key] = err
        found = self.golongan_cache[key]
        if isinstance(found, CellError):
            raise found
        return found

    def _find_golongan(self, text: str, kind: Literal["PNS", "PPPK"]) -> Parsed[Golongan]:
        book = self.golongan_book
        try:
            parsed = parse_golongan(text, kind=kind, rulebook=book)
        except UnknownGolongan as err:
            inside = _GOLONGAN_IN_TEXT.search(text) if kind == "PNS" else None
            if inside is None:
                raise CellError(err.message_id, err.message_en, code="golongan_invalid") from None
            parsed = parse_golongan(
                f"{inside.group(1)}/{inside.group(2)}", kind=kind, rulebook=book
            )
        row = self.golongan.get((parsed.kind, parsed.code))
        if row is None:
            raise CellError(
                f"Golongan {parsed.code} belum ada di tabel referensi; jalankan "
                "`mutu load_reference`.",
                f"Golongan {parsed.code} is not in the reference table; run `mutu load_reference`.",
                code="reference_missing",
            )
        return Parsed(row)

    def _unit_and_position(self, row: Row, rec: EmployeeRecord) -> None:
        unit_key = "unit_code" if row.has("unit_code") and not row.blank("unit_code") else "unit"
        if row.has(unit_key):
            rec.unit = row.read(
                unit_key,
                self.units.reader(by_name=unit_key == "unit"),
                required=True,
            )
            if rec.unit is not None:
                rec.values["unit_id"] = rec.unit.pk
        elif rec.nip not in self.existing:
            row.error(
                "nip",
                "Pegawai baru perlu unit kerja (kolom Unit Kerja/UNOR atau Kode Unit).",
                "A new employee needs a unit (a Unit Kerja/UNOR or Kode Unit column).",
                code="required",
            )
        if row.has("position_code") and not row.blank("position_code"):
            position = row.read("position_code", lambda c: self._position_by_code(c))
            rec.values["position_id"] = position.pk if position else None
        elif row.has("position"):
            unit_id = rec.values.get("unit_id") or self._stored(rec.nip, "unit_id")
            if row.blank("position"):
                rec.values["position_id"] = None
            elif unit_id is not None:
                position = row.read("position", lambda c: self._position_by_name(c, unit_id))
                rec.values["position_id"] = position.pk if position else None

    def _position_by_code(self, cell: Any) -> Parsed[Position]:
        text = read_text(cell).value
        found = self.positions_by_code.get(text.casefold())
        if found is None:
            raise CellError(
                f"Kode jabatan {text!r} tidak dikenal di Mutu.",
                f"Unknown position code {text!r}: it is not in Mutu.",
                code="unknown_reference",
            )
        return Parsed(found)

    def _position_by_name(self, cell: Any, unit_id: int) -> Parsed[Position]:
        text = read_text(cell).value
        hits = self.positions_by_name.get((unit_id, text_key(text)), [])
        if len(hits) == 1:
            return Parsed(hits[0])
        unit = Unit.objects.filter(pk=unit_id).values_list("name", flat=True).first() or ""
        if hits:
            raise CellError(
                f"Jabatan {text!r} ada lebih dari satu di {unit}; pakai kolom Kode Jabatan.",
                f"There is more than one position {text!r} in {unit}; use a Kode Jabatan column.",
                code="ambiguous",
            )
        raise CellError(
            f"Jabatan {text!r} tidak ada di unit {unit}; tambahkan jabatan itu dulu atau "
            "kosongkan selnya.",
            f"There is no position {text!r} in the unit {unit}; add the position first or "
            "leave the cell empty.",
            code="unknown_reference",
        )

    def key(self, record: EmployeeRecord) -> Hashable:
        return record.nip

    # -- comparing with the database
    def plan(self, items: list[tuple[Row, EmployeeRecord]]) -> list[Change[EmployeeRecord]]:
        in_file = {rec.nip for _row, rec in items}
        wanted = {rec.supervisor for _row, rec in items if rec.supervisor} - in_file
        wanted -= set(self.existing)
        supervisors = {
            e.nip: e for e in in_chunks(lambda part: Employee.objects.filter(nip__in=part), wanted)
        }
        known = {**supervisors, **self.existing}
        graph = self._supervisor_graph(items, known)
        changes: list[Change[EmployeeRecord]] = []
        for row, rec in items:
            if rec.has_supervisor and rec.supervisor:
                if rec.supervisor not in known and rec.supervisor not in in_file:
                    row.error(
                        "supervisor",
                        f"Atasan dengan NIP {rec.supervisor} tidak ada di Mutu maupun di berkas.",
                        f"The supervisor with NIP {rec.supervisor} is neither in Mutu nor in the "
                        "file.",
                        code="unknown_reference",
                    )
                    continue
                if _cycle(rec.nip, graph):
                    row.error(
                        "supervisor",
                        "Pegawai akan menjadi atasan dirinya sendiri (lingkaran atasan).",
                        "The employee would become their own supervisor (a cycle).",
                        code="cycle",
                    )
                    continue
            change = self._compare(row, rec, known)
            if change is not None:
                changes.append(change)
        return changes

    def _supervisor_graph(
        self, items: list[tuple[Row, EmployeeRecord]], known: dict[str, Employee]
    ) -> dict[str, str | None]:
        graph: dict[str, str | None] = {}
        ids = {e.pk: nip for nip, e in known.items()}
        missing = {
            e.supervisor_id
            for e in known.values()
            if e.supervisor_id and e.supervisor_id not in ids
        }
        if missing:
            ids.update(dict(Employee.objects.filter(pk__in=missing).values_list("pk", "nip")))
        for nip, e in known.items():
            graph[nip] = ids.get(e.supervisor_id) if e.supervisor_id else None
        for _row, rec in items:
            if rec.has_supervisor:
                graph[rec.nip] = rec.supervisor
        return graph

    def _compare(
        self, row: Row, rec: EmployeeRecord, known: dict[str, Employee]
    ) -> Change[EmployeeRecord] | None:
        values = dict(rec.values)
        if rec.has_supervisor:
            boss = known.get(rec.supervisor or "")
            values["supervisor_id"] = boss.pk if boss is not None else None
        employee = self.existing.get(rec.nip)
        if employee is None:
            employee = Employee(nip=rec.nip)
            action: Action = "create"
            changed: tuple[str, ...] = ()
        else:
            changed = tuple(k for k, v in values.items() if getattr(employee, k) != v)
            if rec.has_supervisor and rec.supervisor and rec.supervisor not in known:
                changed = (*changed, "supervisor_id")  # a supervisor new in this file
            action = "update" if changed else "unchanged"
        if action == "unchanged":
            return Change("unchanged", row, rec.nip, rec, employee)
        for name, value in values.items():
            if name == "supervisor_id":
                continue  # checked above, without walking the stored chain
            setattr(employee, name, value)
        if rec.golongan is not None:
            employee.golongan = rec.golongan
        if rec.unit is not None:
            employee.unit = rec.unit
        kept = employee.supervisor_id
        employee.supervisor = None
        ok = validate(employee, row, FIELDS, exclude=["unit", "golongan", "position", "supervisor"])
        employee.supervisor_id = kept
        if not ok:
            return None
        return Change(action, row, rec.nip, rec, employee, changed)

    # -- writing
    def apply(self, changes: list[Change[EmployeeRecord]]) -> None:
        now = timezone.now()
        new = [c.obj for c in changes if c.action == "create"]
        Employee.objects.bulk_create(new, batch_size=500)
        for c in changes:
            c.obj.updated_at = now
        bosses = {c.record.supervisor for c in changes if c.record.supervisor}
        pk_of = dict(
            (nip, pk)
            for part in _parts(bosses)
            for nip, pk in Employee.objects.filter(nip__in=part).values_list("nip", "pk")
        )
        for c in changes:
            if c.record.has_supervisor:
                c.obj.supervisor_id = pk_of.get(c.record.supervisor or "")
        fields = sorted(
            {f.removesuffix("_id") for c in changes for f in c.fields}
            | {"supervisor", "updated_at"}
        )
        Employee.objects.bulk_update([c.obj for c in changes], fields, batch_size=500)

    # -- export
    def export_columns(self, shape: str = "mutu") -> list[str]:
        return [
            "NIP",
            "Nama",
            "Jenis Kelamin",
            "Tgl Lahir",
            "Status",
            "Gol",
            "Kode Jabatan",
            "Jabatan",
            "Kode Unit",
            "Unit Kerja",
            "Pendidikan",
            "TMT CPNS",
            "NIP Atasan",
            "Aktif",
        ]

    def export_rows(self, shape: str = "mutu", **filters: Any) -> Iterator[list[Any]]:
        rows = Employee.objects.select_related("golongan", "position", "unit", "supervisor")
        if "unit" in filters:
            rows = rows.filter(Q(unit__in=_subtree(str(filters["unit"]))))
        for e in rows.order_by("unit__code", "nip").iterator(chunk_size=2000):
            status = e.status
            if e.employment_type == EmploymentType.PART_TIME:
                status = "PPPK Paruh Waktu"
            yield [
                e.nip,
                e.name,
                e.sex,
                e.birth_date,
                status,
                e.golongan.code if e.golongan else "",
                e.position.code if e.position else "",
                e.position.name if e.position else "",
                e.unit.code,
                e.unit.name,
                e.education_level,
                e.tmt_cpns,
                e.supervisor.nip if e.supervisor else "",
                "Ya" if e.is_active else "Tidak",
            ]


def _education(cell: Any) -> Parsed[str]:
    text = read_text(cell).value
    try:
        return Parsed(parse_education(text).value)
    except UnknownEducation as err:
        raise CellError(err.message_id, err.message_en, code="education_invalid") from None


def _cycle(nip: str, graph: dict[str, str | None]) -> bool:
    node = graph.get(nip)
    for _ in range(MAX_TREE_DEPTH):
        if node is None:
            return False
        if node == nip:
            return True
        node = graph.get(node)
    return True


def _parts(values: set[str], size: int = 900) -> Iterator[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _subtree(code: str) -> list[int]:
    """The unit with ``code`` and every unit below it (ids)."""
    children: dict[int | None, list[int]] = {}
    root = None
    for pk, parent, unit_code in Unit.objects.values_list("pk", "parent_id", "code"):
        children.setdefault(parent, []).append(pk)
        if unit_code == code:
            root = pk
    if root is None:
        raise MutuValueError(f"Unit {code!r} tidak ada.", f"There is no unit {code!r}.")
    out, stack = [], [root]
    while stack:
        pk = stack.pop()
        out.append(pk)
        stack.extend(children.get(pk, []))
    return out
