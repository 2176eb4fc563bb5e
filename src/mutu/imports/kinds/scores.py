"""Kind ``test_scores``: pre- and post-test answer sheets, one row per participant and test.

Mutu stores a test as a :class:`~mutu.instruments.models.Response` of a test
instrument (kind pre-test or post-test) with one
:class:`~mutu.instruments.models.Answer` per item, who took it in a
:class:`~mutu.instruments.models.ResponseIdentity`, and the activity and
occasion (``pre``/``post``) on the response.  The score is not stored: the
evaluation computes it from the answers (100 × points of the items answered
with the key ÷ points of all keyed items, see
:func:`mutu.evaluation.pipeline.l2_learning.test_scores`).  So the sheet this
kind reads has **one column per item**, the item code as header (``Q01`` …
``Q20``), holding the option chosen (``A``–``D``), a rating or a number as
the item takes.

Natural key: (activity, NIP, occasion).  The activity comes from a ``Kode
Kegiatan`` column or ``--activity``; the occasion from a ``Tes`` column
(pre/post) or from the kind of the instrument named with ``--instrument``.
Which test (instrument version) a new row is: the stored response's version
for a re-import; else the instrument named (``Kode Instrumen`` column or
``--instrument``), in the version attached to the activity or already used
by it, else its latest version; else the one test attached to the activity
for that occasion, or the version its other participants took.

A sheet of **total scores only** (``Nilai Pre-test``, ``Nilai Post-test``) is
refused with the reason: the model has no place for a total, and making up
item answers to match one would invent data.  Marks 1/0 instead of options
are refused for the same reason (a 0 does not say which option was chosen).
A ``Nilai`` column next to the items is checked against the score the items
give.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mutu.domain.cells import (
    Cell,
    CellError,
    Parsed,
    is_blank,
    read_choice,
    read_date,
    read_decimal,
    read_nip,
)
from mutu.domain.errors import MutuValueError
from mutu.imports.engine import Change, Column, ImportRun, Issue, Kind, Row, validate
from mutu.imports.kinds._lookups import Directory, in_chunks
from mutu.imports.kinds.activities import activity_directory
from mutu.imports.kinds.participation import NIP_ALIASES, employees_by_nip, known_employee
from mutu.imports.kinds.responses import (
    Given,
    ResponsePlan,
    VersionItems,
    answer_cell,
    apply_plans,
    header_issue,
    load_versions,
    plan_answers,
    read_item_answers,
    rows_without_key,
    stored_answers,
    unmapped_columns,
)
from mutu.instruments.models import (
    ActivityInstrument,
    Instrument,
    InstrumentKind,
    Occasion,
    RespondentRole,
    Response,
    ResponseIdentity,
)
from mutu.people.models import Employee
from mutu.programs.models import Activity, Enrollment

TEST_KINDS = (InstrumentKind.PRE_TEST, InstrumentKind.POST_TEST)
OCCASIONS = (Occasion.PRE, Occasion.POST)
#: Every spelling of the two occasions a test sheet uses.
OCCASION_NAMES = {
    "pre": Occasion.PRE,
    "pre-test": Occasion.PRE,
    "pretest": Occasion.PRE,
    "awal": Occasion.PRE,
    "tes awal": Occasion.PRE,
    "sebelum": Occasion.PRE,
    "post": Occasion.POST,
    "post-test": Occasion.POST,
    "posttest": Occasion.POST,
    "akhir": Occasion.POST,
    "tes akhir": Occasion.POST,
    "sesudah": Occasion.POST,
}
#: A total given beside the items may differ from the items' score by rounding only.
SCORE_TOLERANCE = Decimal("0.5")
#: A new test's time when the sheet gives its date only (or no date): noon, WIB.
NOON = dt.time(12, 0)


def read_occasion(cell: Cell) -> Parsed[str]:
    return read_choice(cell, OCCASION_NAMES, what_id="Tes", what_en="test")


def read_total(cell: Cell) -> Parsed[Decimal]:
    """A total score, 0 to 100."""
    number = read_decimal(cell)
    if not Decimal(0) <= number.value <= Decimal(100):
        raise CellError(
            f"Nilai {number.value} di luar rentang 0–100.",
            f"The score {number.value} is outside 0–100.",
            code="out_of_range",
        )
    return number


@dataclass
class ScoreRecord:
    activity: Activity
    occasion: str
    nip: str
    instrument: Instrument | None
    day: dt.date | None
    total: Decimal | None
    answers: dict[str, int]  # item code → column


class TestScoresKind(Kind[ScoreRecord]):
    name = "test_scores"
    title_id = "nilai pre/post-test"
    title_en = "pre/post-test scores"
    filters = ("instrument", "activity", "year")
    key_columns = ("activity", "nip", "occasion")
    field_columns = {"submitted_at": "date", "employee": "nip"}
    columns = (
        Column("no", "No", ("nomor",)),
        Column(
            "activity",
            "Kode Kegiatan",
            ("kode", "activity code", "kegiatan", "kode diklat", "kode pelatihan"),
        ),
        Column("instrument", "Kode Instrumen", ("instrumen", "kode tes", "instrument")),
        Column("occasion", "Tes", ("jenis tes", "pre post", "kesempatan", "occasion")),
        Column("nip", "NIP", NIP_ALIASES, required=True),
        Column("name", "Nama", ("nama lengkap", "nama peserta", "name")),
        Column("unit", "Unit Kerja", ("unor", "unit", "satuan kerja", "instansi")),
        Column("date", "Tanggal Tes", ("tanggal", "tgl tes", "test date")),
        Column(
            "total",
            "Nilai",
            ("nilai total", "skor", "skor total", "total", "jumlah nilai", "score", "nilai akhir"),
        ),
        Column(
            "total_pre",
            "Nilai Pre-test",
            ("nilai pretest", "pre test", "pretest", "nilai awal", "skor pre test"),
        ),
        Column(
            "total_post",
            "Nilai Post-test",
            ("nilai posttest", "post test", "posttest", "nilai akhir tes", "skor post test"),
        ),
    )

    def prepare(self, run: ImportRun) -> None:
        issues = run.report.issues
        layout = run.layout.columns
        self.ready = False
        self.activities = activity_directory()
        tests = list(Instrument.objects.filter(kind__in=TEST_KINDS))
        self.instruments = Directory(
            tests, code=lambda i: i.code, names=lambda i: [], what_id="Tes", what_en="test"
        )
        self.given: Instrument | None = None
        code = self.options.extra.get("instrument")
        if code:
            try:
                self.given = self.instruments.find(str(code), by_name=False).value
            except CellError:
                other = Instrument.objects.filter(code__iexact=str(code).strip()).first()
                issues.append(
                    Issue(
                        "unknown_reference",
                        f"{code} bukan instrumen tes (pre-test/post-test)."
                        if other
                        else f"Instrumen {code!r} tidak ada di Mutu.",
                        f"{code} is not a test instrument (pre-test/post-test)."
                        if other
                        else f"There is no instrument {code!r} in Mutu.",
                    )
                )
        self.default_activity: Activity | None = None
        if "activity" not in layout:
            if self.options.activity is None:
                issues.append(
                    Issue(
                        "activity_missing",
                        "Kegiatan tidak diketahui: tambahkan kolom Kode Kegiatan atau pakai "
                        "--activity KODE.",
                        "Which activity? Add a Kode Kegiatan column or use --activity CODE.",
                    )
                )
            else:
                try:
                    self.default_activity = self.activities.find(
                        self.options.activity, by_name=False
                    ).value
                except CellError as err:
                    issues.append(Issue(err.code, err.message_id, err.message_en))
        pool = [self.given] if self.given is not None else tests
        self.versions = load_versions(i.pk for i in pool)
        self.item_cols = self._item_columns(run)
        rows_without_key(run, self.item_cols, "NIP")
        self.default_occasion: str | None = None
        if "occasion" not in layout and self.item_cols:
            if self.given is not None:
                self.default_occasion = (
                    Occasion.PRE if self.given.kind == InstrumentKind.PRE_TEST else Occasion.POST
                )
            else:
                issues.append(
                    header_issue(
                        run,
                        None,
                        "Tes mana (pre atau post)? Tambahkan kolom Tes (pre/post) atau sebutkan "
                        "instrumennya dengan --instrument KODE.",
                        "Which test, pre or post? Add a Tes column (pre/post) or name the "
                        "instrument with --instrument CODE.",
                        "column_missing",
                    )
                )
        self.ready = not any(i.severity == "error" for i in issues)

    def _item_columns(self, run: ImportRun) -> dict[int, str]:
        layout = run.layout.columns
        known = {c.casefold(): c for v in self.versions.values() for c in v.items}
        out: dict[int, str] = {}
        for col, label in unmapped_columns(run):
            code = known.get(label.casefold())
            if code is None:
                where = self.given.code if self.given else "tes mana pun / any test"
                run.report.issues.append(
                    header_issue(
                        run,
                        col,
                        f"Kolom {label!r} bukan kode butir soal ({where}) dan bukan kolom yang "
                        "dikenal; hapus kolomnya atau periksa kode butirnya.",
                        f"The column {label!r} is not an item code ({where}) nor a known column; "
                        "delete it or check the item code.",
                        "unknown_item",
                    )
                )
                continue
            if code in out.values():
                run.report.issues.append(
                    header_issue(
                        run,
                        col,
                        f"Butir {code} muncul dua kali; hapus salah satu kolomnya.",
                        f"Item {code} appears twice; delete one of its columns.",
                        "header_duplicate",
                    )
                )
                continue
            out[col] = code
        totals = [k for k in ("total", "total_pre", "total_post") if k in layout]
        if not out and totals:
            run.report.issues.append(
                header_issue(
                    run,
                    layout[totals[0]],
                    "Berkas ini hanya berisi nilai total, tanpa jawaban per butir soal. Mutu "
                    "menyimpan tes sebagai jawaban tiap butir dan menghitung nilainya dari "
                    "jawaban itu terhadap kunci jawaban; nilai total saja tidak punya tempat, "
                    "dan mengarang jawaban agar cocok dengan totalnya berarti mengarang data. "
                    "Impor lembar jawaban: satu baris per peserta dan tes, satu kolom per kode "
                    "butir (mis. Q01 … Q20) berisi pilihan yang dijawab; contohnya ditulis oleh "
                    "mutu export test_scores --instrument KODE.",
                    "This file holds total scores only, without the answer to each item. Mutu "
                    "stores a test as the answer to each item and computes its score from them "
                    "against the answer key; a total alone has no place, and making up answers "
                    "to match it would invent data. Import the answer sheets: one row per "
                    "participant and test, one column per item code (e.g. Q01 … Q20) holding "
                    "the option chosen; mutu export test_scores --instrument CODE writes an "
                    "example.",
                    "total_only",
                )
            )
        elif out and ("total_pre" in layout or "total_post" in layout):
            col = layout["total_pre"] if "total_pre" in layout else layout["total_post"]
            run.report.issues.append(
                header_issue(
                    run,
                    col,
                    "Satu baris adalah satu tes: beri kolom Tes (pre/post) dan satu kolom Nilai, "
                    "bukan Nilai Pre-test dan Nilai Post-test berdampingan.",
                    "One row is one test: give a Tes column (pre/post) and one Nilai column, not "
                    "Nilai Pre-test and Nilai Post-test side by side.",
                    "one_test_per_row",
                )
            )
        elif not out and not totals:
            run.report.issues.append(
                header_issue(
                    run,
                    None,
                    "Tidak ada kolom butir soal (kode butir sebagai judul kolom, mis. Q01).",
                    "There are no item columns (item codes as headers, e.g. Q01).",
                    "column_missing",
                )
            )
        return out

    def parse(self, row: Row) -> ScoreRecord | None:
        if not self.ready:
            return None
        if row.has("activity"):
            activity = row.read("activity", self.activities.reader(by_name=False), required=True)
        else:
            activity = self.default_activity
        if row.has("occasion"):
            occasion = row.read("occasion", read_occasion, required=True)
        else:
            occasion = self.default_occasion
        nip = row.read("nip", read_nip, required=True)
        instrument = self.given
        if row.has("instrument") and not row.blank("instrument"):
            named = row.read("instrument", self.instruments.reader(by_name=False))
            if named is not None and self.given is not None and named.pk != self.given.pk:
                row.error(
                    "instrument",
                    f"Baris ini menyebut {named.code}, sedangkan --instrument {self.given.code}.",
                    f"This row names {named.code}, while --instrument is {self.given.code}.",
                    code="other_instrument",
                )
            instrument = named or instrument
        day = row.read("date", read_date) if row.has("date") else None
        total = row.read("total", read_total) if row.has("total") else None
        answers = {code: col for col, code in self.item_cols.items() if not is_blank(row._at(col))}
        if activity is None or occasion is None or nip is None:
            return None
        return ScoreRecord(activity, occasion, nip, instrument, day, total, answers)

    def key(self, record: ScoreRecord) -> Hashable:
        return (record.activity.code, record.nip, record.occasion)

    def plan(self, items: list[tuple[Row, ScoreRecord]]) -> list[Change[ScoreRecord]]:
        if not self.ready:
            return []
        activity_ids = {rec.activity.pk for _row, rec in items}
        people = employees_by_nip({rec.nip for _row, rec in items})
        enrolled = {
            (e.activity_id, e.employee_id)
            for e in in_chunks(
                lambda part: Enrollment.objects.filter(activity_id__in=part), activity_ids
            )
        }
        tests = in_chunks(
            lambda part: Response.objects.filter(
                activity_id__in=part,
                occasion__in=OCCASIONS,
                version__instrument__kind__in=TEST_KINDS,
            ).order_by("submitted_at", "pk"),
            activity_ids,
        )
        responses = list(tests)
        identity = {
            i.response_id: i.employee_id
            for i in in_chunks(
                lambda part: ResponseIdentity.objects.filter(response_id__in=part),
                {r.pk for r in responses},
            )
        }
        stored: dict[tuple[int, int, str], Response] = {}
        used: dict[tuple[int, str], Counter[int]] = {}
        for r in responses:
            assert r.activity_id is not None
            used.setdefault((r.activity_id, r.occasion), Counter())[r.version_id] += 1
            if r.pk in identity:  # the latest per person wins, as the evaluation takes it
                stored[(r.activity_id, identity[r.pk], r.occasion)] = r
        attached: dict[tuple[int, str], list[int]] = {}
        for a in in_chunks(
            lambda part: ActivityInstrument.objects.filter(
                activity_id__in=part,
                occasion__in=OCCASIONS,
                version__instrument__kind__in=TEST_KINDS,
            ),
            activity_ids,
        ):
            attached.setdefault((a.activity_id, a.occasion), []).append(a.version_id)
        answers = stored_answers({r.pk for r in stored.values()})
        extra = {v for r in stored.values() for v in [r.version_id] if v not in self.versions} | {
            v for c in used.values() for v in c if v not in self.versions
        }
        if extra:
            instruments = set(
                Response.objects.filter(version_id__in=extra).values_list(
                    "version__instrument_id", flat=True
                )
            )
            self.versions.update(load_versions(instruments))
        changes: list[Change[ScoreRecord]] = []
        for row, rec in items:
            employee = known_employee(row, people, rec.nip)
            if employee is None:
                continue
            found = stored.get((rec.activity.pk, employee.pk, rec.occasion))
            if found is None and (rec.activity.pk, employee.pk) not in enrolled:
                row.error(
                    "nip",
                    f"{employee.name} (NIP {rec.nip}) tidak terdaftar sebagai peserta "
                    f"{rec.activity.code}; daftarkan dulu (impor enrollments) atau periksa "
                    "NIP-nya.",
                    f"{employee.name} (NIP {rec.nip}) is not enrolled in {rec.activity.code}; "
                    "enroll them first (import enrollments) or check the NIP.",
                    code="not_enrolled",
                )
                continue
            version = self._version(row, rec, found, attached, used)
            if version is None:
                continue
            given = read_item_answers(row, version, rec.answers)
            if given is None:
                continue
            self._plan_row(row, rec, employee, found, version, given, answers, changes)
        return changes

    def _version(
        self,
        row: Row,
        rec: ScoreRecord,
        found: Response | None,
        attached: dict[tuple[int, str], list[int]],
        used: dict[tuple[int, str], Counter[int]],
    ) -> VersionItems | None:
        """Which test version the row is (see the module notes); an error when it is unclear."""
        key = (rec.activity.pk, rec.occasion)
        if found is not None:
            version = self.versions[found.version_id]
            if rec.instrument is not None and version.version.instrument_id != rec.instrument.pk:
                row.error(
                    "instrument",
                    f"Tes {rec.occasion} peserta ini sudah tersimpan dengan "
                    f"{version.version.instrument.code}, bukan {rec.instrument.code}.",
                    f"This participant's {rec.occasion}-test is stored with "
                    f"{version.version.instrument.code}, not {rec.instrument.code}.",
                    code="other_instrument",
                )
                return None
            return version
        candidates = [
            *attached.get(key, []),
            *(v for v, _n in used.get(key, Counter()).most_common()),
        ]
        if rec.instrument is not None:
            own = [
                v for v in candidates if self.versions[v].version.instrument_id == rec.instrument.pk
            ]
            if own:
                return self.versions[own[0]]
            latest = max(
                (v for v in self.versions.values() if v.version.instrument_id == rec.instrument.pk),
                key=lambda v: v.version.version,
                default=None,
            )
            if latest is None or not latest.items:
                row.error(
                    "instrument",
                    f"{rec.instrument.code} belum punya versi dengan butir soal.",
                    f"{rec.instrument.code} has no version with items yet.",
                    code="no_version",
                )
                return None
            return latest
        distinct = list(dict.fromkeys(attached.get(key, [])))
        if len(distinct) == 1:
            return self.versions[distinct[0]]
        if not distinct and key in used:
            return self.versions[used[key].most_common(1)[0][0]]
        row.error(
            "occasion" if row.has("occasion") else None,
            f"Tes {rec.occasion} mana untuk {rec.activity.code}? Belum ada tes yang dilampirkan "
            "atau dipakai di kegiatan ini (atau lebih dari satu); sebutkan dengan kolom Kode "
            "Instrumen atau --instrument KODE.",
            f"Which {rec.occasion}-test for {rec.activity.code}? None (or more than one) is "
            "attached to or used in this activity; name it with a Kode Instrumen column or "
            "--instrument CODE.",
            code="instrument_unknown",
        )
        return None

    def _plan_row(
        self,
        row: Row,
        rec: ScoreRecord,
        employee: Employee,
        found: Response | None,
        version: VersionItems,
        given: dict[str, tuple[Given, int]],
        answers: dict[int, dict[int, Any]],
        changes: list[Change[ScoreRecord]],
    ) -> None:
        label = f"{rec.activity.code} {rec.nip} {rec.occasion}"
        kept = answers.get(found.pk, {}) if found is not None else {}
        if rec.total is not None:
            merged = {version.code_by_pk[i]: version.given(a) for i, a in kept.items()}
            merged.update({c: g for c, (g, _col) in given.items()})
            score = version.score(merged)
            if score is not None and abs(score - rec.total) > SCORE_TOLERANCE:
                row.error(
                    "total",
                    f"Nilai {rec.total} tidak sama dengan nilai dari jawaban per butir "
                    f"({score:.1f}); periksa jawabannya atau nilainya.",
                    f"The score {rec.total} differs from the score the items give "
                    f"({score:.1f}); check the answers or the score.",
                    code="score_mismatch",
                )
                return
        if found is None:
            if not given:
                row.notice(
                    None,
                    "Baris tanpa jawaban dilewati (peserta tidak ikut tes ini?).",
                    "A row without answers was skipped (the participant did not take this test?).",
                    code="no_answers",
                )
                return
            day = rec.day or (
                rec.activity.start_date if rec.occasion == Occasion.PRE else rec.activity.end_date
            )
            response = Response(
                version=version.version,
                activity=rec.activity,
                respondent_role=RespondentRole.PARTICIPANT,
                occasion=rec.occasion,
                submitted_at=timezone.make_aware(dt.datetime.combine(day, NOON)),
            )
            if not validate(response, row, self.field_columns, exclude=["version", "activity"]):
                return
            planned = plan_answers(row, version, given, {}, None)
            if planned is None:
                return
            plan = ResponsePlan(response, new_answers=planned[0], employee=employee)
            changes.append(Change("create", row, label, rec, plan))
            return
        fields: list[str] = []
        if rec.day is not None and timezone.localtime(found.submitted_at).date() != rec.day:
            found.submitted_at = timezone.make_aware(dt.datetime.combine(rec.day, NOON))
            fields.append("submitted_at")
        planned = plan_answers(row, version, given, kept, found)
        if planned is None:
            return
        new, changed, codes = planned
        plan = ResponsePlan(found, new, changed, save_response=bool(fields))
        if not fields and not codes:
            changes.append(Change("unchanged", row, label, rec, plan))
            return
        changes.append(Change("update", row, label, rec, plan, (*fields, *codes)))

    def apply(self, changes: list[Change[ScoreRecord]]) -> None:
        fields = ["submitted_at"] if any("submitted_at" in c.fields for c in changes) else []
        apply_plans([(c.action == "create", c.obj) for c in changes], fields)

    # -- export
    def export_table(
        self, shape: str = "mutu", **filters: Any
    ) -> tuple[list[str], Iterable[list[Any]]]:
        tests = Instrument.objects.filter(kind__in=TEST_KINDS)
        if "instrument" in filters:
            tests = tests.filter(code__iexact=str(filters["instrument"]).strip())
            if not tests.exists():
                raise MutuValueError(
                    f"{filters['instrument']} bukan instrumen tes (pre-test/post-test) di Mutu.",
                    f"{filters['instrument']} is not a test instrument (pre-test/post-test) in "
                    "Mutu.",
                )
        versions = load_versions(tests.values_list("pk", flat=True))
        codes: list[str] = []
        for v in versions.values():
            for code in v.items:
                if code not in codes:
                    codes.append(code)
        header = [
            "Kode Kegiatan",
            "Kode Instrumen",
            "Tes",
            "NIP",
            "Nama",
            "Tanggal Tes",
            "Nilai",
            *codes,
        ]
        return header, self._rows(versions, codes, **filters)

    def _rows(
        self, versions: dict[int, VersionItems], codes: list[str], **filters: Any
    ) -> Iterator[list[Any]]:
        rows = (
            Response.objects.filter(
                version_id__in=list(versions), occasion__in=OCCASIONS, activity__isnull=False
            )
            .select_related("activity")
            .order_by("submitted_at", "pk")
        )
        if "activity" in filters:
            rows = rows.filter(activity__code=filters["activity"])
        if "year" in filters:
            rows = rows.filter(activity__start_date__year=filters["year"])
        responses = list(rows)
        who = {
            i.response_id: i.employee
            for i in in_chunks(
                lambda part: ResponseIdentity.objects.filter(response_id__in=part).select_related(
                    "employee"
                ),
                {r.pk for r in responses},
            )
        }
        latest: dict[tuple[int, int, str], Response] = {}
        for r in responses:
            if r.pk in who:
                assert r.activity_id is not None
                latest[(r.activity_id, who[r.pk].pk, r.occasion)] = r
        kept = sorted(
            latest.values(), key=lambda r: (r.activity_id, r.occasion != "pre", who[r.pk].nip)
        )
        answers = stored_answers({r.pk for r in kept})
        options = {
            o.pk: o.code for v in versions.values() for opts in v.options.values() for o in opts
        }
        for r in kept:
            items_of = versions[r.version_id]
            by_id = items_of.code_by_pk
            mine = answers.get(r.pk, {})
            got = {by_id[item_id]: answer_cell(a, options) for item_id, a in mine.items()}
            score = items_of.score({by_id[i]: items_of.given(a) for i, a in mine.items()})
            person = who[r.pk]
            assert r.activity is not None
            yield [
                r.activity.code,
                items_of.version.instrument.code,
                r.occasion,
                person.nip,
                person.name,
                timezone.localtime(r.submitted_at).date(),
                round(score, 2) if score is not None else None,
                *(got.get(c) for c in codes),
            ]
