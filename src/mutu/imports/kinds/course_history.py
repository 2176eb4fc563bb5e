"""Kind ``course_history``: riwayat kursus, courses done elsewhere, as JP ledger entries.

A row is matched to a stored entry by its ``ID`` (written by Mutu's own
export) or else by its natural key: NIP, course title and end date.  A new
row becomes an entry of development elsewhere (``source = external``);
its approval comes from the ``Status Persetujuan`` column, and is
*approved* when the column is absent, since a riwayat kursus exported from
SIASN has been verified there (a decision recorded in ``docs/imports.md``).
Rows that match JP credited by one of Mutu's own activities are compared but
never changed: change those in the activity.

The export has two shapes: ``mutu`` (the columns this import reads) and
``siasn`` (SIASN's riwayat kursus fields: ``namaKursus``,
``institusiPenyelenggara``, ``jenisDiklatId``, ``jumlahJam``,
``nomorSertipikat``, ``tahunKursus``, ``tanggalKursus``,
``tanggalSelesaiKursus`` with dates as text ``dd-mm-YYYY``), which this
import reads as well.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mutu.domain.cells import (
    Cell,
    CellError,
    Parsed,
    read_choice,
    read_date,
    read_decimal,
    read_int,
    read_nip,
    read_text,
    text_key,
)
from mutu.domain.development_forms import SIASN_TRAINING_TYPES
from mutu.imports.engine import Change, Column, ImportRun, Kind, Row, save_changes, validate
from mutu.imports.kinds._lookups import choice_labels, in_chunks
from mutu.imports.kinds.participation import NIP_ALIASES, employees_by_nip, known_employee
from mutu.people.models import Employee
from mutu.programs.models import ApprovalStatus, JpLedgerEntry, JpSource
from mutu.programs.services.external import JP_MAX_PER_ENTRY

#: Title words → SIASN training type (jenisDiklatId), for courses recorded without a form.
#: A guess from the title, unconfirmed: only exported, never stored.
TITLE_TYPES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("bimbingan teknis", "bimtek"), 8),
    (("seminar", "webinar", "konferensi", "sarasehan"), 9),
    (("workshop", "lokakarya"), 4),
    (("sosialisasi",), 7),
    (("magang",), 10),
    (("kepemimpinan", "latsar", "pkp", "pka", "pkn", "diklatpim"), 1),
    (("fungsional",), 2),
    (("manajerial",), 5),
    (("sosial kultural",), 6),
    (("kursus", "pelatihan", "diklat", "training"), 3),
)

STATUS_WORDS = {"disetujui": "approved", "menunggu": "pending", "ditolak": "rejected"}

FIELDS = {
    "title": "title",
    "organiser": "organiser",
    "start_date": "start_date",
    "date": "end_date",
    "jp": "jp",
    "certificate_number": "certificate",
    "approval_status": "status",
}


#: Relations resolved by the import (not looked up again) and the evidence file it has none of.
EXCLUDE = ["employee", "enrollment", "evidence", "approved_by", "recorded_by"]


def siasn_type_from_title(title: str) -> int | None:
    """The SIASN training type a course title suggests (unconfirmed heuristic), or None."""
    key = text_key(title)
    for words, code in TITLE_TYPES:
        if any(f" {w} " in f" {key} " for w in words):
            return code
    return None


def read_siasn_type(cell: Cell) -> Parsed[int]:
    number = read_int(cell)
    if number.value not in SIASN_TRAINING_TYPES:
        raise CellError(
            f"Jenis diklat SIASN {number.value} tidak dikenal; yang dikenal 1–10.",
            f"Unknown SIASN training type {number.value}; known types are 1–10.",
            code="choice_invalid",
        )
    return number


@dataclass
class CourseRecord:
    nip: str
    ident: int | None
    title: str
    end: date
    values: dict[str, Any] = field(default_factory=dict)
    row_year: int | None = None


class CourseHistoryKind(Kind[CourseRecord]):
    name = "course_history"
    title_id = "riwayat kursus"
    title_en = "course history"
    filters = ("activity", "year")
    key_columns = ("nip", "title", "end_date")
    field_columns = FIELDS
    shapes = ("mutu", "siasn")
    columns = (
        Column("no", "No", ("nomor",)),
        Column("ident", "ID", ("id mutu", "id riwayat")),
        Column("nip", "NIP", NIP_ALIASES, required=True),
        Column("name", "Nama", ("nama lengkap", "nama pegawai", "name")),
        Column(
            "title",
            "Nama Kursus",
            ("judul", "nama diklat", "nama pelatihan", "kursus", "judul kursus", "title"),
            required=True,
        ),
        Column("organiser", "Penyelenggara", ("institusi penyelenggara", "organiser")),
        Column(
            "start_date",
            "Tgl Mulai",
            ("tanggal mulai", "tanggal kursus", "tgl kursus", "start date"),
        ),
        Column(
            "end_date",
            "Tgl Selesai",
            ("tanggal selesai", "tanggal selesai kursus", "tgl selesai kursus", "end date"),
            required=True,
        ),
        Column("jp", "JP", ("jumlah jam", "jumlah jp", "jam pelajaran"), required=True),
        Column(
            "certificate",
            "No Sertifikat",
            ("nomor sertifikat", "nomor sertipikat", "no sertipikat", "no sttpp", "nomor sttpp"),
        ),
        Column(
            "siasn_type",
            "Jenis Diklat SIASN",
            ("jenis diklat id", "jenis diklat", "kode jenis diklat", "jenis kursus"),
        ),
        Column("year", "Tahun", ("tahun kursus", "year")),
        Column("status", "Status Persetujuan", ("status", "approval status", "persetujuan")),
        Column("source", "Sumber", ("source",)),
    )

    def prepare(self, run: ImportRun) -> None:
        self.statuses = {**choice_labels(ApprovalStatus.choices), **STATUS_WORDS}
        self.today = timezone.localdate()

    def parse(self, row: Row) -> CourseRecord | None:
        ident = row.read("ident", read_int) if row.has("ident") else None
        nip = row.read("nip", read_nip, required=True)
        title = row.read("title", read_text, required=True)
        end = row.read("end_date", read_date, required=True)
        jp = row.read("jp", read_decimal, required=True)
        values: dict[str, Any] = {}
        if jp is not None:
            if jp <= 0 or jp > JP_MAX_PER_ENTRY:
                row.error(
                    "jp",
                    f"JP harus lebih dari 0 dan paling banyak {JP_MAX_PER_ENTRY}.",
                    f"The JP must be above 0 and at most {JP_MAX_PER_ENTRY}.",
                    code="out_of_range",
                )
            values["jp"] = jp
        if row.has("organiser"):
            values["organiser"] = row.read("organiser", read_text) or ""
        if row.has("start_date"):
            start = row.read("start_date", read_date)
            values["start_date"] = start
            if start is not None and end is not None and start > end:
                row.error(
                    "start_date",
                    "Tanggal mulai setelah tanggal selesai.",
                    "The start date is after the end date.",
                    code="period",
                )
        if row.has("certificate"):
            values["certificate_number"] = row.read("certificate", read_text) or ""
        if row.has("status") and not row.blank("status"):
            values["approval_status"] = row.read(
                "status",
                lambda c: read_choice(c, self.statuses, what_id="Status", what_en="status"),
            )
        if row.has("siasn_type"):
            row.read("siasn_type", read_siasn_type)
        year = row.read("year", read_int) if row.has("year") else None
        if end is not None and year is not None and year != end.year:
            row.notice(
                "year",
                f"Tahun {year} tidak sama dengan tahun tanggal selesai ({end.year}); yang "
                "dipakai tanggal selesai.",
                f"The year {year} differs from the end date's year ({end.year}); the end date is "
                "used.",
                code="year_mismatch",
            )
        if nip is None or title is None or end is None:
            return None
        return CourseRecord(nip, ident, title, end, values)

    def key(self, record: CourseRecord) -> Hashable:
        if record.ident is not None:
            return ("id", record.ident)
        return (record.nip, text_key(record.title), record.end)

    def plan(self, items: list[tuple[Row, CourseRecord]]) -> list[Change[CourseRecord]]:
        people = employees_by_nip({rec.nip for _row, rec in items})
        stored: dict[int, JpLedgerEntry] = {
            e.pk: e
            for e in in_chunks(
                lambda part: JpLedgerEntry.objects.filter(employee_id__in=part).select_related(
                    "enrollment__certificate"
                ),
                {e.pk for e in people.values()},
            )
        }
        by_key: dict[tuple[int, str, date], list[JpLedgerEntry]] = {}
        for held in stored.values():
            by_key.setdefault((held.employee_id, text_key(held.title), held.date), []).append(held)
        user = self.options.user
        changes: list[Change[CourseRecord]] = []
        for row, rec in items:
            employee = known_employee(row, people, rec.nip)
            if employee is None:
                continue
            match = self._match(row, rec, employee, stored, by_key)
            if match is False:
                continue
            entry: JpLedgerEntry | None = match if isinstance(match, JpLedgerEntry) else None
            label = f"{rec.nip} {rec.title} {rec.end:%d-%m-%Y}"
            values = {"title": rec.title, "date": rec.end, **rec.values}
            moved = entry is None or entry.date != rec.end
            if moved and rec.end > self.today:
                row.error(
                    "end_date",
                    "Tanggal selesai di masa depan; JP hanya dicatat untuk kursus yang sudah "
                    "selesai.",
                    "The end date is in the future; JP are recorded only for a course that has "
                    "ended.",
                    code="future",
                )
                continue
            if entry is None:
                fields = {"approval_status": ApprovalStatus.APPROVED, **values}
                entry = JpLedgerEntry(
                    employee=employee, source=JpSource.EXTERNAL, recorded_by=user, **fields
                )
                if entry.approval_status != ApprovalStatus.PENDING:
                    entry.decided_at = timezone.now()
                    entry.approved_by = user
                if validate(entry, row, FIELDS, exclude=EXCLUDE):
                    changes.append(Change("create", row, label, rec, entry))
                continue
            if entry.source == JpSource.ACTIVITY:
                changes.extend(self._activity_entry(row, rec, entry, label))
                continue
            changed = tuple(k for k, v in values.items() if getattr(entry, k) != v)
            if not changed:
                changes.append(Change("unchanged", row, label, rec, entry))
                continue
            if "approval_status" in changed:
                entry.decided_at = timezone.now()
                entry.approved_by = user
            for k, v in values.items():
                setattr(entry, k, v)
            if validate(entry, row, FIELDS, exclude=EXCLUDE):
                changes.append(Change("update", row, label, rec, entry, changed))
        return changes

    def _match(
        self,
        row: Row,
        rec: CourseRecord,
        employee: Employee,
        stored: dict[int, JpLedgerEntry],
        by_key: dict[tuple[int, str, date], list[JpLedgerEntry]],
    ) -> JpLedgerEntry | bool | None:
        """The stored entry the row is about, None for a new one, False after an error."""
        if rec.ident is not None:
            entry = stored.get(rec.ident)
            if entry is None:
                row.error(
                    "ident",
                    f"Tidak ada riwayat kursus dengan ID {rec.ident} untuk NIP {rec.nip}; "
                    "kosongkan ID untuk menambah riwayat baru.",
                    f"There is no course record with ID {rec.ident} for NIP {rec.nip}; leave the "
                    "ID empty to add a new record.",
                    code="unknown_reference",
                )
                return False
            return entry
        found = by_key.get((employee.pk, text_key(rec.title), rec.end), [])
        if len(found) > 1:
            row.error(
                "title",
                f"Ada {len(found)} riwayat kursus {rec.title!r} yang selesai {rec.end:%d-%m-%Y} "
                "untuk pegawai ini; tulis ID-nya (dari ekspor Mutu) untuk memilih.",
                f"There are {len(found)} records of {rec.title!r} ending {rec.end:%d-%m-%Y} for "
                "this employee; give its ID (from Mutu's export) to choose.",
                code="ambiguous",
            )
            return False
        return found[0] if found else None

    def _activity_entry(
        self, row: Row, rec: CourseRecord, entry: JpLedgerEntry, label: str
    ) -> list[Change[CourseRecord]]:
        jp = rec.values.get("jp")
        if jp is not None and Decimal(jp) != entry.jp:
            row.error(
                "jp",
                f"JP ini dari kegiatan Mutu ({entry.jp} JP); ubah di kegiatannya, bukan lewat "
                "impor.",
                f"These JP come from a Mutu activity ({entry.jp} JP); change them in the "
                "activity, not by an import.",
                code="activity_entry",
            )
            return []
        return [Change("unchanged", row, label, rec, entry)]

    def apply(self, changes: list[Change[CourseRecord]]) -> None:
        for change in changes:
            change.obj.year = change.obj.date.year
        save_changes(
            JpLedgerEntry,
            changes,
            [
                "title",
                "date",
                "year",
                "jp",
                "organiser",
                "start_date",
                "certificate_number",
                "approval_status",
                "decided_at",
                "approved_by",
            ],
        )

    # -- export
    def export_columns(self, shape: str = "mutu") -> list[str]:
        if shape == "siasn":
            return [
                "NIP",
                "namaKursus",
                "institusiPenyelenggara",
                "jenisDiklatId",
                "jumlahJam",
                "nomorSertipikat",
                "tahunKursus",
                "tanggalKursus",
                "tanggalSelesaiKursus",
            ]
        return [
            "ID",
            "NIP",
            "Nama",
            "Nama Kursus",
            "Penyelenggara",
            "Tgl Mulai",
            "Tgl Selesai",
            "JP",
            "No Sertifikat",
            "Jenis Diklat SIASN",
            "Tahun",
            "Status Persetujuan",
            "Sumber",
        ]

    def export_rows(self, shape: str = "mutu", **filters: Any) -> Iterator[list[Any]]:
        rows = JpLedgerEntry.objects.select_related(
            "employee", "enrollment__activity__form", "enrollment__certificate"
        )
        if shape == "siasn":
            rows = rows.filter(approval_status=ApprovalStatus.APPROVED)
        if "year" in filters:
            rows = rows.filter(year=filters["year"])
        if "activity" in filters:
            rows = rows.filter(enrollment__activity__code=filters["activity"])
        for e in rows.order_by("employee__nip", "date", "pk").iterator(chunk_size=2000):
            activity = e.enrollment.activity if e.enrollment else None
            certificate = e.certificate_number
            if not certificate and e.enrollment is not None:
                held = getattr(e.enrollment, "certificate", None)
                certificate = held.number if held is not None else ""
            start = e.start_date or (activity.start_date if activity else None)
            kind = activity.form.siasn_type if activity else siasn_type_from_title(e.title)
            if shape == "siasn":
                yield [
                    e.employee.nip,
                    e.title,
                    e.organiser,
                    kind or "",
                    _whole(e.jp),
                    certificate,
                    e.date.year,
                    f"{start:%d-%m-%Y}" if start else "",
                    f"{e.date:%d-%m-%Y}",
                ]
                continue
            yield [
                e.pk,
                e.employee.nip,
                e.employee.name,
                e.title,
                e.organiser,
                start,
                e.date,
                e.jp,
                certificate,
                kind or "",
                e.date.year,
                e.approval_status,
                "kegiatan Mutu" if e.source == JpSource.ACTIVITY else "luar Mutu",
            ]


def _whole(jp: Decimal) -> Decimal | int:
    """SIASN's ``jumlahJam`` is a whole number: JP like 10 are written as 10, 1,5 stays 1,5."""
    return int(jp) if jp == jp.to_integral_value() else jp
