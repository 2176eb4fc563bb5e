"""Kinds ``enrollments`` ((activity, NIP)) and ``attendance`` ((activity, NIP, session)).

The attendance sheet is the one trainers sign: one row per participant, one
column per session (``Sesi 1`` … ``Sesi N``), ``H`` present and ``-`` absent;
an empty cell is "not recorded" and changes nothing.  The activity comes from
a ``Kode Kegiatan`` column, from ``--activity``, or from the file name
(``daftar_hadir_PMPP-2026-01.csv``).  Importing attendance does not complete
anyone: completion (certificates, JP) stays with the activity's completion.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from mutu.domain.cells import CellError, read_attendance_mark, read_choice, read_nip
from mutu.imports.engine import (
    Action,
    Change,
    Column,
    ImportRun,
    Issue,
    Kind,
    Row,
    save_changes,
    validate,
)
from mutu.imports.kinds._lookups import choice_labels, in_chunks
from mutu.imports.kinds.activities import activity_directory, sessions_by_number
from mutu.people.models import Employee
from mutu.programs.models import (
    Activity,
    ActivityStatus,
    Attendance,
    AttendanceMethod,
    Enrollment,
    EnrollmentStatus,
)
from mutu.programs.services.activities import CLOSED

#: Statuses an import may set; completion and failure come from the activity's completion.
SETTABLE = (
    EnrollmentStatus.NOMINATED,
    EnrollmentStatus.REGISTERED,
    EnrollmentStatus.CONFIRMED,
    EnrollmentStatus.WITHDRAWN,
)

NIP_ALIASES = ("nip baru", "nip ni pppk", "ni pppk", "nomor induk pegawai")


def employees_by_nip(nips: set[str]) -> dict[str, Employee]:
    return {e.nip: e for e in in_chunks(lambda part: Employee.objects.filter(nip__in=part), nips)}


def known_employee(row: Row, people: dict[str, Employee], nip: str) -> Employee | None:
    """The employee with this NIP, or None after marking the row's ``nip`` cell unknown."""
    employee = people.get(nip)
    if employee is None:
        row.error(
            "nip",
            f"Tidak ada pegawai dengan NIP {nip} di Mutu.",
            f"There is no employee with NIP {nip} in Mutu.",
            code="unknown_reference",
        )
    return employee


@dataclass
class EnrollmentRecord:
    activity: Activity
    nip: str
    status: str | None


class EnrollmentsKind(Kind[EnrollmentRecord]):
    name = "enrollments"
    title_id = "peserta kegiatan"
    title_en = "enrollments"
    filters = ("activity", "year")
    key_columns = ("activity", "nip")
    columns = (
        Column("no", "No", ("nomor",)),
        Column("activity", "Kode Kegiatan", ("kode", "activity code", "kegiatan"), required=True),
        Column("nip", "NIP", NIP_ALIASES, required=True),
        Column("name", "Nama", ("nama lengkap", "nama peserta", "name")),
        Column("unit", "Unit Kerja", ("unor", "unit", "satuan kerja")),
        Column("status", "Status", ("status peserta", "status pendaftaran")),
    )

    def prepare(self, run: ImportRun) -> None:
        self.activities = activity_directory()
        self.statuses = choice_labels(EnrollmentStatus.choices)

    def parse(self, row: Row) -> EnrollmentRecord | None:
        activity = row.read("activity", self.activities.reader(by_name=False), required=True)
        nip = row.read("nip", read_nip, required=True)
        status = None
        if row.has("status") and not row.blank("status"):
            status = row.read(
                "status",
                lambda c: read_choice(c, self.statuses, what_id="Status", what_en="status"),
            )
        if activity is None or nip is None:
            return None
        return EnrollmentRecord(activity, nip, status)

    def key(self, record: EnrollmentRecord) -> Hashable:
        return (record.activity.code, record.nip)

    def plan(self, items: list[tuple[Row, EnrollmentRecord]]) -> list[Change[EnrollmentRecord]]:
        people = employees_by_nip({rec.nip for _row, rec in items})
        existing = {
            (e.activity_id, e.employee_id): e
            for e in in_chunks(
                lambda part: Enrollment.objects.filter(activity_id__in=part),
                {rec.activity.pk for _row, rec in items},
            )
        }
        changes: list[Change[EnrollmentRecord]] = []
        for row, rec in items:
            employee = known_employee(row, people, rec.nip)
            if employee is None:
                continue
            label = f"{rec.activity.code} {rec.nip}"
            enrollment = existing.get((rec.activity.pk, employee.pk))
            if enrollment is not None and (rec.status is None or enrollment.status == rec.status):
                changes.append(Change("unchanged", row, label, rec, enrollment))
                continue
            wanted = rec.status or EnrollmentStatus.REGISTERED
            if wanted not in SETTABLE or (
                enrollment is not None and enrollment.status not in SETTABLE
            ):
                row.error(
                    "status",
                    "Status selesai atau gagal ditentukan oleh penyelesaian kegiatan di Mutu, "
                    "bukan lewat impor.",
                    "Completed and failed come from the activity's completion in Mutu, not from "
                    "an import.",
                    code="status_locked",
                )
                continue
            if enrollment is None:
                if rec.activity.status in CLOSED:
                    row.error(
                        "activity",
                        "Kegiatan ini sudah selesai atau dibatalkan; tidak menerima peserta baru.",
                        "The activity is done or cancelled and takes no more participants.",
                        code="activity_closed",
                    )
                    continue
                enrollment = Enrollment(activity=rec.activity, employee=employee, status=wanted)
                action: Action = "create"
                changed: tuple[str, ...] = ()
            else:
                enrollment.status = wanted
                action, changed = "update", ("status",)
            if validate(enrollment, row, {"status": "status"}, exclude=["activity", "employee"]):
                changes.append(Change(action, row, label, rec, enrollment, changed))
        return changes

    def apply(self, changes: list[Change[EnrollmentRecord]]) -> None:
        save_changes(Enrollment, changes, ["status", "updated_at"])

    def export_columns(self, shape: str = "mutu") -> list[str]:
        return [c.label for c in self.columns if c.key != "no"]

    def export_rows(self, shape: str = "mutu", **filters: Any) -> Iterator[list[Any]]:
        rows = Enrollment.objects.select_related("activity", "employee__unit")
        if "activity" in filters:
            rows = rows.filter(activity__code=filters["activity"])
        if "year" in filters:
            rows = rows.filter(activity__start_date__year=filters["year"])
        for e in rows.order_by("activity__start_date", "activity__code", "employee__nip"):
            yield [e.activity.code, e.employee.nip, e.employee.name, e.employee.unit.name, e.status]


# --- attendance ---------------------------------------------------------------------------

SESSION_PATTERN = r"(?:sesi|session|pertemuan|hari)\s*(?:ke\s*)?(\d+)"
_CODE_IN_NAME = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+")

#: Enrollment statuses whose holders may be marked present.
ATTENDING = (
    EnrollmentStatus.NOMINATED,
    EnrollmentStatus.REGISTERED,
    EnrollmentStatus.CONFIRMED,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.FAILED,
)


@dataclass
class AttendanceRecord:
    activity: Activity
    nip: str
    marks: dict[int, tuple[bool, int]]  # session number → (present, column)


class AttendanceKind(Kind[AttendanceRecord]):
    name = "attendance"
    title_id = "daftar hadir"
    title_en = "attendance"
    filters = ("activity", "year")
    key_columns = ("activity", "nip")
    columns = (
        Column("no", "No", ("nomor",)),
        Column("activity", "Kode Kegiatan", ("kode", "activity code", "kegiatan")),
        Column("nip", "NIP", NIP_ALIASES, required=True),
        Column("name", "Nama", ("nama lengkap", "nama peserta", "name")),
        Column("unit", "Unit Kerja", ("unor", "unit", "satuan kerja", "instansi")),
        Column("session", "Sesi {n}", (), pattern=SESSION_PATTERN),
    )

    def prepare(self, run: ImportRun) -> None:
        self.activities = activity_directory()
        self.default: Activity | None = None
        if "activity" in run.layout.columns:
            return
        code = self.options.activity
        if code is None:
            found = [
                self.activities.by_code[token.casefold()]
                for token in _CODE_IN_NAME.findall(run.table.path.stem)
                if token.casefold() in self.activities.by_code
            ]
            if len(found) == 1:
                self.default = found[0]
                run.report.issues.append(
                    Issue(
                        "activity_from_name",
                        f"Kode kegiatan {self.default.code} diambil dari nama berkas.",
                        f"The activity code {self.default.code} was taken from the file name.",
                        "notice",
                    )
                )
                return
            run.report.issues.append(
                Issue(
                    "activity_missing",
                    "Kegiatan tidak diketahui: tambahkan kolom Kode Kegiatan, pakai --activity "
                    "KODE, atau sebut kodenya di nama berkas.",
                    "Which activity? Add a Kode Kegiatan column, use --activity CODE, or put the "
                    "code in the file name.",
                    "error",
                )
            )
            return
        try:
            self.default = self.activities.find(code, by_name=False).value
        except CellError as err:  # an unknown code given with --activity
            run.report.issues.append(Issue(err.code, err.message_id, err.message_en, "error"))

    def parse(self, row: Row) -> AttendanceRecord | None:
        if row.has("activity"):
            activity = row.read("activity", self.activities.reader(by_name=False), required=True)
        else:
            activity = self.default
        nip = row.read("nip", read_nip, required=True)
        marks: dict[int, tuple[bool, int]] = {}
        for number, col in sorted(row.numbered("session").items()):
            present = row.read_at(col, read_attendance_mark)
            if present is not None:
                marks[number] = (present, col)
        if activity is None or nip is None:
            return None
        return AttendanceRecord(activity, nip, marks)

    def key(self, record: AttendanceRecord) -> Hashable:
        return (record.activity.code, record.nip)

    def plan(self, items: list[tuple[Row, AttendanceRecord]]) -> list[Change[AttendanceRecord]]:
        activity_ids = {rec.activity.pk for _row, rec in items}
        sessions = sessions_by_number(activity_ids)
        people = employees_by_nip({rec.nip for _row, rec in items})
        enrollments = {
            (e.activity_id, e.employee_id): e
            for e in in_chunks(
                lambda part: Enrollment.objects.filter(activity_id__in=part), activity_ids
            )
        }
        stored = {
            (a.enrollment_id, a.session_id): a
            for a in in_chunks(
                lambda part: Attendance.objects.filter(session__activity_id__in=part),
                activity_ids,
            )
        }
        changes: list[Change[AttendanceRecord]] = []
        for row, rec in items:
            activity = rec.activity
            if activity.status == ActivityStatus.CANCELLED:
                row.error(
                    "activity",
                    "Kegiatan ini dibatalkan; kehadiran tidak dicatat.",
                    "The activity is cancelled; attendance is not recorded.",
                    code="activity_cancelled",
                )
                continue
            employee = people.get(rec.nip)
            enrollment = enrollments.get((activity.pk, employee.pk)) if employee else None
            if enrollment is None:
                who = employee.name if employee else rec.nip
                row.error(
                    "nip",
                    f"{who} (NIP {rec.nip}) tidak terdaftar sebagai peserta {activity.code}; "
                    "daftarkan dulu (impor enrollments) atau periksa NIP-nya.",
                    f"{who} (NIP {rec.nip}) is not enrolled in {activity.code}; enroll them first "
                    "(import enrollments) or check the NIP.",
                    code="not_enrolled",
                )
                continue
            activity_sessions = sessions[activity.pk]
            for number, (present, col) in rec.marks.items():
                if number > len(activity_sessions):
                    row.error_at(
                        col,
                        f"{activity.code} hanya punya {len(activity_sessions)} sesi.",
                        f"{activity.code} has only {len(activity_sessions)} sessions.",
                        code="unknown_session",
                    )
                    continue
                session = activity_sessions[number - 1]
                label = f"{activity.code} {rec.nip} sesi {number}"
                found = stored.get((enrollment.pk, session.pk))
                newly_present = present and (found is None or not found.present)
                if newly_present and enrollment.status not in ATTENDING:
                    row.error_at(
                        col,
                        "Peserta ini sudah mengundurkan diri; tidak bisa ditandai hadir.",
                        "This participant has withdrawn and cannot be marked present.",
                        code="withdrawn",
                    )
                    continue
                if found is None:
                    mark = Attendance(
                        enrollment=enrollment,
                        session=session,
                        present=present,
                        method=AttendanceMethod.OPERATOR,
                    )
                    changes.append(Change("create", row, label, rec, mark))
                elif found.present != present:
                    found.present = present
                    if not present:
                        found.checked_in_at = None
                    found.method = AttendanceMethod.OPERATOR
                    changes.append(Change("update", row, label, rec, found, ("present",)))
                else:
                    changes.append(Change("unchanged", row, label, rec, found))
        for change in changes:
            if change.action == "create":
                validate(change.obj, change.row, {}, exclude=["enrollment", "session"])
        return changes

    def apply(self, changes: list[Change[AttendanceRecord]]) -> None:
        save_changes(Attendance, changes, ["present", "checked_in_at", "method"])

    def export_table(
        self, shape: str = "mutu", **filters: Any
    ) -> tuple[list[str], Iterable[list[Any]]]:
        rows, most = self._rows(**filters)
        sessions = [f"Sesi {n}" for n in range(1, most + 1)]
        return ["Kode Kegiatan", "NIP", "Nama", "Unit Kerja", *sessions], rows

    def _rows(self, **filters: Any) -> tuple[list[list[Any]], int]:
        activities = Activity.objects.order_by("start_date", "code")
        if "activity" in filters:
            activities = activities.filter(code=filters["activity"])
        if "year" in filters:
            activities = activities.filter(start_date__year=filters["year"])
        codes = dict(activities.values_list("pk", "code"))
        sessions = sessions_by_number(set(codes))
        number_of = {s.pk: n for ss in sessions.values() for n, s in enumerate(ss, start=1)}
        most = max((len(ss) for ss in sessions.values()), default=0)
        marks: dict[int, dict[int, str]] = {}
        for enrollment_id, session_id, present in in_chunks(
            lambda part: Attendance.objects.filter(session__activity_id__in=part).values_list(
                "enrollment_id", "session_id", "present"
            ),
            set(codes),
        ):
            marks.setdefault(enrollment_id, {})[number_of[session_id]] = "H" if present else "-"
        out: list[list[Any]] = []
        enrollments = in_chunks(
            lambda part: (
                Enrollment.objects.filter(activity_id__in=part)
                .select_related("employee__unit")
                .order_by("activity_id", "employee__nip")
            ),
            set(codes),
        )
        order = {pk: i for i, pk in enumerate(codes)}
        ordered = sorted(enrollments, key=lambda e: (order[e.activity_id], e.employee.nip))
        for e in ordered:
            got = marks.get(e.pk, {})
            out.append(
                [
                    codes[e.activity_id],
                    e.employee.nip,
                    e.employee.name,
                    e.employee.unit.name,
                    *(got.get(n, "") for n in range(1, most + 1)),
                ]
            )
        return out, most
