"""Kinds ``activities`` (natural key: activity code) and ``sessions`` ((activity, session no)).

A session's number is its place among the activity's sessions ordered by
start time, as the attendance sheet numbers them ("Sesi 1", "Sesi 2" …).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mutu.domain.cells import (
    Cell,
    Note,
    Parsed,
    read_choice,
    read_date,
    read_datetime,
    read_decimal,
    read_int,
    read_text,
)
from mutu.imports.engine import Action, Change, Column, ImportRun, Kind, Row, save_changes, validate
from mutu.imports.kinds._lookups import Directory, choice_labels, in_chunks
from mutu.imports.kinds.units import kecamatan_directory
from mutu.programs.models import Activity, ActivitySession, ActivityStatus, Partner, Program
from mutu.reference.models import DevelopmentForm

ACTIVITY_FIELDS = {
    "code": "code",
    "program": "program",
    "title": "title",
    "form": "form",
    "jp": "jp",
    "venue": "venue",
    "kecamatan": "kecamatan",
    "organiser": "organiser",
    "partner": "partner",
    "capacity": "capacity",
    "start_date": "start_date",
    "end_date": "end_date",
    "status": "status",
    "min_attendance_share": "min_attendance_share",
    "post_test_pass_mark": "pass_mark",
}


def read_share(cell: Cell) -> Parsed[Decimal]:
    """A share 0–1 written as ``0,8``, ``80%`` or ``80`` (read as a percentage, with a note)."""
    text = read_text(cell).value if isinstance(cell, str) else None
    percent = text is not None and text.endswith("%")
    number = read_decimal(text.rstrip("%") if percent and text is not None else cell)
    value = number.value
    if percent or value > 1:
        share = (value / 100).normalize()
        if not percent:
            return Parsed(
                share,
                (
                    *number.notes,
                    _note(
                        f"{value} dibaca sebagai persen: {share}.",
                        f"{value} was read as a percentage: {share}.",
                    ),
                ),
            )
        return Parsed(share, number.notes)
    return number


def _note(mid: str, men: str) -> Note:
    return Note("percent", mid, men)


@dataclass
class ActivityRecord:
    code: str
    values: dict[str, Any]


def form_directory() -> Directory:
    return Directory(
        DevelopmentForm.objects.all(),
        code=lambda f: f.code,
        names=lambda f: [f.label_id, f.label_en, f.code.replace("_", " ")],
        what_id="Bentuk pengembangan",
        what_en="form of development",
    )


class ActivitiesKind(Kind[ActivityRecord]):
    name = "activities"
    title_id = "kegiatan"
    title_en = "activities"
    personal = False
    filters = ("activity", "year")
    key_columns = ("code",)
    field_columns = ACTIVITY_FIELDS
    columns = (
        Column("no", "No", ("nomor",)),
        Column(
            "code",
            "Kode Kegiatan",
            ("kode", "activity code", "kode diklat", "kode pelatihan"),
            required=True,
        ),
        Column("program", "Kode Program", ("program", "program code")),
        Column(
            "title",
            "Judul",
            ("judul kegiatan", "nama kegiatan", "nama diklat", "nama pelatihan", "title"),
            required=True,
        ),
        Column("form", "Bentuk", ("bentuk pengembangan", "jenis pengembangan", "form")),
        Column("jp", "JP", ("jumlah jp", "jam pelajaran")),
        Column("venue", "Tempat", ("lokasi", "venue")),
        Column("kecamatan", "Kecamatan", ("kode kecamatan",)),
        Column("organiser", "Penyelenggara", ("institusi penyelenggara", "organiser", "organizer")),
        Column("partner", "Mitra", ("nama mitra", "partner")),
        Column("capacity", "Kapasitas", ("kuota", "capacity")),
        Column("start_date", "Tgl Mulai", ("tanggal mulai", "mulai", "start date")),
        Column("end_date", "Tgl Selesai", ("tanggal selesai", "selesai", "end date")),
        Column("status", "Status", ("status kegiatan",)),
        Column(
            "min_share",
            "Min Kehadiran",
            ("minimal kehadiran", "kehadiran minimal", "min attendance"),
        ),
        Column("pass_mark", "Nilai Lulus", ("nilai lulus post test", "batas lulus", "pass mark")),
    )

    def prepare(self, run: ImportRun) -> None:
        self.programs = Directory(
            Program.objects.all(),
            code=lambda p: p.code,
            names=lambda p: [],
            what_id="Program",
            what_en="program",
        )
        self.forms = form_directory()
        self.kecamatan = kecamatan_directory()
        self.partners = Directory(
            Partner.objects.all(),
            code=None,
            names=lambda p: [p.name],
            what_id="Mitra",
            what_en="partner",
        )
        self.statuses = choice_labels(ActivityStatus.choices)
        self.existing = {a.code: a for a in Activity.objects.all()}

    def parse(self, row: Row) -> ActivityRecord | None:
        code = row.read("code", read_text, required=True)
        if code is None:
            return None
        new = code not in self.existing
        v: dict[str, Any] = {"title": row.read("title", read_text, required=True)}

        def ref(key: str, directory: Directory, field: str) -> None:
            if row.has(key):
                found = row.read(
                    key, directory.reader(), required=new and key in ("program", "form")
                )
                v[field] = found.pk if found is not None else None
            elif new and key in ("program", "form"):
                row.error(
                    "code",
                    f"Kegiatan baru {code} perlu kolom {key!r}.",
                    f"The new activity {code} needs a {key!r} column.",
                    code="required",
                )

        ref("program", self.programs, "program_id")
        ref("form", self.forms, "form_id")
        ref("kecamatan", self.kecamatan, "kecamatan_id")
        ref("partner", self.partners, "partner_id")
        if row.has("jp") or new:
            v["jp"] = row.read("jp", read_decimal, required=True)
        for key in ("venue", "organiser"):
            if row.has(key):
                v[key] = row.read(key, read_text) or ""
        if row.has("capacity"):
            v["capacity"] = row.read("capacity", read_int)
        for key in ("start_date", "end_date"):
            if row.has(key) or new:
                v[key] = row.read(key, read_date, required=True)
        if row.has("status") and not row.blank("status"):
            v["status"] = row.read(
                "status",
                lambda c: read_choice(c, self.statuses, what_id="Status", what_en="status"),
            )
        if row.has("min_share") and not row.blank("min_share"):
            v["min_attendance_share"] = row.read("min_share", read_share)
        if row.has("pass_mark"):
            v["post_test_pass_mark"] = row.read("pass_mark", read_decimal)
        return ActivityRecord(code, v)

    def key(self, record: ActivityRecord) -> Hashable:
        return record.code

    def plan(self, items: list[tuple[Row, ActivityRecord]]) -> list[Change[ActivityRecord]]:
        changes: list[Change[ActivityRecord]] = []
        for row, rec in items:
            activity = self.existing.get(rec.code)
            if activity is None:
                activity = Activity(code=rec.code, **rec.values)
                action: Action = "create"
                changed: tuple[str, ...] = ()
            else:
                changed = tuple(k for k, v in rec.values.items() if getattr(activity, k) != v)
                action = "update" if changed else "unchanged"
                for k, v in rec.values.items():
                    setattr(activity, k, v)
            if action != "unchanged" and not validate(
                activity,
                row,
                ACTIVITY_FIELDS,
                exclude=["program", "form", "kecamatan", "partner"],
            ):
                continue
            changes.append(Change(action, row, rec.code, rec, activity, changed))
        return changes

    def apply(self, changes: list[Change[ActivityRecord]]) -> None:
        Activity.objects.bulk_create([c.obj for c in changes if c.action == "create"])
        updates = [c for c in changes if c.action == "update"]
        fields = sorted({f.removesuffix("_id") for c in updates for f in c.fields})
        if updates:
            Activity.objects.bulk_update([c.obj for c in updates], fields)

    def export_columns(self, shape: str = "mutu") -> list[str]:
        return [c.label for c in self.columns if c.key != "no"]

    def export_rows(self, shape: str = "mutu", **filters: Any) -> Iterator[list[Any]]:
        rows = Activity.objects.select_related("program", "form", "kecamatan", "partner")
        if "activity" in filters:
            rows = rows.filter(code=filters["activity"])
        if "year" in filters:
            rows = rows.filter(start_date__year=filters["year"])
        for a in rows.order_by("start_date", "code"):
            yield [
                a.code,
                a.program.code,
                a.title,
                a.form.code,
                a.jp,
                a.venue,
                a.kecamatan.code if a.kecamatan else "",
                a.organiser,
                a.partner.name if a.partner else "",
                a.capacity,
                a.start_date,
                a.end_date,
                a.status,
                a.min_attendance_share,
                a.post_test_pass_mark,
            ]


# --- sessions -----------------------------------------------------------------------------


@dataclass
class SessionRecord:
    activity: Activity
    number: int
    values: dict[str, Any]


SESSION_FIELDS = {
    "starts_at": "starts_at",
    "ends_at": "ends_at",
    "topic": "topic",
    "trainer_name": "trainer",
}


def local(moment: datetime) -> datetime:
    """A naive wall-clock time of the spreadsheet as an aware time in Mutu's zone (WIB)."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def activity_directory() -> Directory:
    return Directory(
        Activity.objects.all(),
        code=lambda a: a.code,
        names=lambda a: [],
        what_id="Kegiatan",
        what_en="activity",
    )


def sessions_by_number(activity_ids: set[int]) -> dict[int, list[ActivitySession]]:
    """Each activity's sessions in the order that numbers them (start time, then id)."""
    out: dict[int, list[ActivitySession]] = {pk: [] for pk in activity_ids}
    found = in_chunks(
        lambda part: ActivitySession.objects.filter(activity_id__in=part).order_by(
            "activity_id", "starts_at", "pk"
        ),
        activity_ids,
    )
    for s in found:
        out[s.activity_id].append(s)
    for sessions in out.values():
        sessions.sort(key=lambda s: (s.starts_at, s.pk))
    return out


class SessionsKind(Kind[SessionRecord]):
    name = "sessions"
    title_id = "sesi kegiatan"
    title_en = "sessions"
    personal = False
    filters = ("activity", "year")
    key_columns = ("activity", "number")
    field_columns = SESSION_FIELDS
    columns = (
        Column("no", "No", ("nomor",)),
        Column("activity", "Kode Kegiatan", ("kode", "activity code", "kegiatan"), required=True),
        Column("number", "Sesi", ("sesi ke", "no sesi", "nomor sesi", "session"), required=True),
        Column("starts_at", "Mulai", ("waktu mulai", "jam mulai", "starts at", "start"), True),
        Column("ends_at", "Selesai", ("waktu selesai", "jam selesai", "ends at", "end"), True),
        Column("topic", "Topik", ("materi", "topic", "judul sesi")),
        Column(
            "trainer",
            "Pengajar",
            ("narasumber", "fasilitator", "pelatih", "widyaiswara", "trainer"),
        ),
    )

    def prepare(self, run: ImportRun) -> None:
        self.activities = activity_directory()

    def parse(self, row: Row) -> SessionRecord | None:
        activity = row.read("activity", self.activities.reader(by_name=False), required=True)
        number = row.read("number", read_int, required=True)
        values: dict[str, Any] = {}
        for key in ("starts_at", "ends_at"):
            moment = row.read(key, read_datetime, required=True)
            values[key] = local(moment) if moment is not None else None
        if row.has("topic"):
            values["topic"] = row.read("topic", read_text) or ""
        if row.has("trainer"):
            values["trainer_name"] = row.read("trainer", read_text) or ""
        if activity is None or number is None:
            return None
        if number < 1:
            row.error("number", "Nomor sesi mulai dari 1.", "Session numbers start at 1.")
        return SessionRecord(activity, number, values)

    def key(self, record: SessionRecord) -> Hashable:
        return (record.activity.code, record.number)

    def plan(self, items: list[tuple[Row, SessionRecord]]) -> list[Change[SessionRecord]]:
        stored = sessions_by_number({rec.activity.pk for _row, rec in items})
        by_activity: dict[int, dict[int, tuple[Row, SessionRecord]]] = {}
        for row, rec in items:
            by_activity.setdefault(rec.activity.pk, {})[rec.number] = (row, rec)
        changes: list[Change[SessionRecord]] = []
        for pk, given in by_activity.items():
            sessions = stored[pk]
            count = len(sessions)
            new = sorted(n for n in given if n > count)
            missing = sorted(set(range(count + 1, max(new, default=count) + 1)) - set(new))
            if missing:
                for n in new:
                    given[n][0].error(
                        "number",
                        f"Sesi baru diberi nomor setelah {count} sesi yang ada, tanpa loncat; "
                        f"nomor {', '.join(map(str, missing))} tidak ada.",
                        f"New sessions are numbered on from the {count} stored, without gaps; "
                        f"numbers {', '.join(map(str, missing))} are missing.",
                        code="session_gap",
                    )
                continue
            previous = None
            for n in range(1, count + len(new) + 1):
                if n in given:
                    row, rec = given[n]
                    start = rec.values["starts_at"]
                    if previous is not None and start is not None and start <= previous:
                        row.error(
                            "starts_at",
                            f"Sesi {n} mulai sebelum atau bersamaan dengan sesi {n - 1}; nomor "
                            "sesi mengikuti urutan jam mulai.",
                            f"Session {n} starts before or with session {n - 1}; session numbers "
                            "follow the start times.",
                            code="session_order",
                        )
                    previous = start
                else:
                    previous = sessions[n - 1].starts_at
            for n, (row, rec) in sorted(given.items()):
                if row.failed:
                    continue
                label = f"{rec.activity.code} sesi {n}"
                action: Action
                changed: tuple[str, ...] = ()
                if n <= count:
                    session = sessions[n - 1]
                    changed = tuple(k for k, v in rec.values.items() if getattr(session, k) != v)
                    action = "update" if changed else "unchanged"
                    for k, v in rec.values.items():
                        setattr(session, k, v)
                else:
                    session = ActivitySession(activity=rec.activity, **rec.values)
                    action = "create"
                if action != "unchanged":
                    session.activity = rec.activity
                    if not validate(session, row, SESSION_FIELDS, exclude=["activity"]):
                        continue
                changes.append(Change(action, row, label, rec, session, changed))
        return changes

    def apply(self, changes: list[Change[SessionRecord]]) -> None:
        save_changes(ActivitySession, changes, ["starts_at", "ends_at", "topic", "trainer_name"])

    def export_columns(self, shape: str = "mutu") -> list[str]:
        return [c.label for c in self.columns if c.key != "no"]

    def export_rows(self, shape: str = "mutu", **filters: Any) -> Iterator[list[Any]]:
        activities = Activity.objects.order_by("start_date", "code")
        if "activity" in filters:
            activities = activities.filter(code=filters["activity"])
        if "year" in filters:
            activities = activities.filter(start_date__year=filters["year"])
        codes = dict(activities.values_list("pk", "code"))
        stored = sessions_by_number(set(codes))
        for pk, code in codes.items():
            for number, s in enumerate(stored[pk], start=1):
                yield [
                    code,
                    number,
                    timezone.localtime(s.starts_at).replace(tzinfo=None),
                    timezone.localtime(s.ends_at).replace(tzinfo=None),
                    s.topic,
                    s.trainer_name,
                ]
