"""The other kinds: units, activities, sessions, enrollments, attendance, course history."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from mutu.imports.kinds import KINDS
from mutu.imports.kinds.course_history import siasn_type_from_title
from mutu.people.models import Unit
from mutu.programs import services as program_services
from mutu.programs.models import (
    Activity,
    ActivitySession,
    ApprovalStatus,
    Attendance,
    Enrollment,
    JpLedgerEntry,
    JpSource,
)
from mutu.reference.services import reference_data_load
from tests.factories import (
    aware,
    make_activity,
    make_employee,
    make_enrollment,
    make_program,
    make_unit,
)
from tests.imports.helpers import database_state, mutu, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference() -> None:
    reference_data_load()


def roundtrip(tmp_path: Path, kind: str, *extra: str) -> str:
    """Export ``kind`` and import the file back; the import's output (must change nothing)."""
    for suffix in ("xlsx", "csv"):
        path = tmp_path / f"{kind}.{suffix}"
        _out, error = mutu("export", kind, "--out", str(path), *extra)
        assert error is None
        state = database_state()
        out, error = mutu("import", kind, str(path))
        assert error is None, out
        assert "0 baru/created, 0 diperbarui/updated" in out
        assert database_state() == state
    return out


def test_every_kind_is_registered() -> None:
    assert set(KINDS) == {
        "units",
        "positions",
        "employees",
        "programs",
        "activities",
        "sessions",
        "enrollments",
        "attendance",
        "course_history",
        "skm_results",
        "test_scores",
        "responses",
        "budget",
        "spending",
    }


# --- units ------------------------------------------------------------------------------------


def test_units_are_created_with_parents_later_in_the_file(tmp_path: Path) -> None:
    rows = [
        ["Kode Unit", "Nama Unit", "Jenis", "Kode Induk", "Kecamatan"],
        ["PKM-BBS", "Puskesmas Babussalam", "puskesmas", "DINKES", "Babussalam"],
        ["DINKES", "Dinas Kesehatan", "OPD", "PEMKAB", "11.02.11"],
        ["PEMKAB", "Pemerintah Kabupaten", "instansi", "", ""],
    ]
    out, error = mutu("import", "units", str(write_csv(tmp_path / "unit.csv", rows)))
    assert error is None, out
    assert "3 baru/created" in out
    puskesmas = Unit.objects.get(code="PKM-BBS")
    assert puskesmas.parent is not None and puskesmas.parent.code == "DINKES"
    assert puskesmas.kind == "puskesmas"
    assert puskesmas.kecamatan is not None and puskesmas.kecamatan.name == "Babussalam"
    assert Unit.objects.get(code="DINKES").kind == "skpk"
    roundtrip(tmp_path, "units")


def test_units_refuse_a_cycle_an_unknown_parent_and_an_unknown_kind(tmp_path: Path) -> None:
    make_unit(code="A", name="Unit A")
    rows = [
        ["Kode Unit", "Nama Unit", "Jenis", "Kode Induk"],
        ["A", "Unit A", "skpk", "B"],
        ["B", "Unit B", "bidang", "A"],
        ["C", "Unit C", "kantor lurah", ""],
        ["D", "Unit D", "bidang", "ZZZ"],
    ]
    before = database_state()
    out, error = mutu("import", "units", str(write_xlsx(tmp_path / "u.xlsx", rows)))
    assert error is not None
    assert "baris/row 2, kolom/column Kode Induk (D): Unit A akan menjadi induk" in out
    assert "baris/row 4, kolom/column Jenis (C)" in out and "kantor lurah" in out
    assert "baris/row 5, kolom/column Kode Induk (D)" in out and "ZZZ" in out
    assert database_state() == before


def test_positions_are_created_in_their_units_and_round_trip(tmp_path: Path) -> None:
    make_unit(code="BKPSDM", name="BKPSDM")
    rows = [
        ["Kode Jabatan", "Nama Jabatan", "Jenis Jabatan", "Jenjang", "Kode Unit"],
        ["BKPSDM.analis", "Analis SDM Aparatur", "Fungsional umum", "", "BKPSDM"],
        ["BKPSDM.asesor", "Asesor SDM Aparatur", "fungsional_keahlian", "Ahli Muda", "BKPSDM"],
        ["BKPSDM.pranata", "Pranata Komputer", "fungsional_keahlian", "", "BKPSDM"],
    ]
    out, error = mutu("import", "positions", str(write_xlsx(tmp_path / "j.xlsx", rows)))
    assert error is not None
    where = "baris/row 4, kolom/column Jenjang (D): "
    assert (
        where + "Jabatan fungsional memerlukan jenjang. / A functional position needs a level."
        in out
    )
    out, error = mutu("import", "positions", str(write_xlsx(tmp_path / "j.xlsx", rows[:3])))
    assert error is None, out
    assert "2 baru/created" in out
    roundtrip(tmp_path, "positions")


# --- activities and sessions ----------------------------------------------------------------


def test_activities_and_sessions_are_created_then_round_trip(tmp_path: Path) -> None:
    program = make_program(code="PMPP")
    rows = [
        [
            "Kode Kegiatan",
            "Kode Program",
            "Judul",
            "Bentuk",
            "JP",
            "Tgl Mulai",
            "Tgl Selesai",
            "Min Kehadiran",
            "Status",
        ],
        [
            "PMPP-2026-01",
            "PMPP",
            "Pelatihan Pelayanan Publik",
            "Bimbingan teknis",
            "24",
            "07-04-2026",
            "09-04-2026",
            "80%",
            "direncanakan",
        ],
    ]
    out, error = mutu("import", "activities", str(write_xlsx(tmp_path / "a.xlsx", rows)))
    assert error is None, out
    activity = Activity.objects.get(code="PMPP-2026-01")
    assert (activity.program, activity.form.code, activity.jp) == (program, "bimtek", Decimal(24))
    assert activity.min_attendance_share == Decimal("0.8")
    sessions = [
        ["Kode Kegiatan", "Sesi", "Mulai", "Selesai", "Topik"],
        ["PMPP-2026-01", 2, "07-04-2026 13:00", "07-04-2026 16:00", "Praktik"],
        ["PMPP-2026-01", 1, "07-04-2026 08:00", "07-04-2026 11:00", "Pengantar"],
    ]
    out, error = mutu("import", "sessions", str(write_csv(tmp_path / "s.csv", sessions)))
    assert error is None, out
    first, second = activity.sessions.order_by("starts_at")
    assert first.topic == "Pengantar" and first.starts_at == aware(date(2026, 4, 7), 8)
    assert second.jp == Decimal(4)
    roundtrip(tmp_path, "activities")
    roundtrip(tmp_path, "sessions", "--activity", "PMPP-2026-01")


def test_sessions_must_be_numbered_without_gaps_and_in_time_order(tmp_path: Path) -> None:
    activity = make_activity(code="BT-1", start_date=date(2026, 3, 2), end_date=date(2026, 3, 3))
    program_services.activity_session_add(
        activity=activity,
        starts_at=aware(date(2026, 3, 2), 8),
        ends_at=aware(date(2026, 3, 2), 11),
    )
    rows = [
        ["Kode Kegiatan", "Sesi", "Mulai", "Selesai"],
        ["BT-1", 3, "03-03-2026 08:00", "03-03-2026 11:00"],
    ]
    out, error = mutu("import", "sessions", str(write_xlsx(tmp_path / "gap.xlsx", rows)))
    assert error is not None and "numbers 2 are missing" in out
    rows = [
        ["Kode Kegiatan", "Sesi", "Mulai", "Selesai"],
        ["BT-1", 2, "02-03-2026 07:00", "02-03-2026 07:30"],
    ]
    out, error = mutu("import", "sessions", str(write_xlsx(tmp_path / "order.xlsx", rows)))
    assert error is not None and "Session 2 starts before or with session 1" in out
    rows = [
        ["Kode Kegiatan", "Sesi", "Mulai", "Selesai"],
        ["BT-1", 2, "05-03-2026 08:00", "05-03-2026 09:00"],
    ]
    out, error = mutu("import", "sessions", str(write_xlsx(tmp_path / "outside.xlsx", rows)))
    assert error is not None and "falls outside the activity's dates" in out
    assert ActivitySession.objects.count() == 1


def test_an_activity_needs_a_known_program(tmp_path: Path) -> None:
    rows = [
        ["Kode Kegiatan", "Kode Program", "Judul", "Bentuk", "JP", "Tgl Mulai", "Tgl Selesai"],
        ["X-1", "TIDAK-ADA", "Judul", "bimtek", "8", "01-03-2026", "01-03-2026"],
        ["X-2", "", "Judul", "seminar", "-4", "02-03-2026", "01-03-2026"],
    ]
    out, error = mutu("import", "activities", str(write_xlsx(tmp_path / "a.xlsx", rows)))
    assert error is not None
    assert "baris/row 2, kolom/column Kode Program (B)" in out and "TIDAK-ADA" in out
    assert "baris/row 3, kolom/column Kode Program (B): Kode Program wajib diisi" in out
    assert not Activity.objects.exists()


# --- enrollments and attendance -------------------------------------------------------------


@pytest.fixture
def activity_with_sessions() -> Activity:
    activity = make_activity(
        code="PMPP-2026-01", start_date=date(2026, 3, 2), end_date=date(2026, 3, 3)
    )
    for day, hour in ((2, 8), (2, 13), (3, 8)):
        program_services.activity_session_add(
            activity=activity,
            starts_at=aware(date(2026, 3, day), hour),
            ends_at=aware(date(2026, 3, day), hour + 3),
        )
    return activity


def test_enrollments_are_created_and_completion_is_not_importable(
    tmp_path: Path, activity_with_sessions: Activity
) -> None:
    a, b = make_employee(), make_employee()
    rows = [
        ["Kode Kegiatan", "NIP", "Nama", "Status"],
        ["PMPP-2026-01", a.nip, a.name, ""],
        ["PMPP-2026-01", b.nip, b.name, "Completed"],
        ["PMPP-2026-01", "199001152015031999", "Tidak Ada", ""],
    ]
    out, error = mutu("import", "enrollments", str(write_xlsx(tmp_path / "e.xlsx", rows)))
    assert error is not None
    assert "baris/row 3, kolom/column Status (D): Status selesai atau gagal" in out
    assert (
        "baris/row 4, kolom/column NIP (B): Tidak ada pegawai dengan NIP 199001152015031999" in out
    )
    assert not Enrollment.objects.exists()
    out, error = mutu("import", "enrollments", str(write_xlsx(tmp_path / "ok.xlsx", rows[:2])))
    assert error is None
    assert Enrollment.objects.get().status == "registered"
    roundtrip(tmp_path, "enrollments")


def test_an_attendance_sheet_marks_sessions_and_skips_empty_cells(
    tmp_path: Path, activity_with_sessions: Activity
) -> None:
    a = make_enrollment(activity=activity_with_sessions).employee
    b = make_enrollment(activity=activity_with_sessions).employee
    rows = [
        ["No", "NIP", "Nama", "Sesi 1", "Sesi 2", "Sesi 3"],
        [1, f"{a.nip[:8]} {a.nip[8:14]} {a.nip[14]} {a.nip[14 + 1 :]}", a.name, "H", "Hadir", ""],
        [2, b.nip, b.name, "-", "H", "S"],
    ]
    path = write_csv(tmp_path / "daftar_hadir_PMPP-2026-01.csv", rows, sep=",")
    out, error = mutu("import", "attendance", str(path))
    assert error is None, out
    assert "The activity code PMPP-2026-01 was taken from the file name" in out
    assert "5 baru/created" in out
    marks = {
        (m.enrollment.employee.nip, *_hour_day(m.session)): m.present
        for m in Attendance.objects.select_related("enrollment__employee", "session")
    }
    assert marks[(a.nip, 8, 2)] and marks[(a.nip, 13, 2)]
    assert (a.nip, 8, 3) not in marks  # an empty cell records nothing
    assert not marks[(b.nip, 8, 2)] and marks[(b.nip, 13, 2)] and not marks[(b.nip, 8, 3)]
    out, error = mutu("import", "attendance", str(path))
    assert "0 baru/created, 0 diperbarui/updated, 5 tetap/unchanged" in out
    roundtrip(tmp_path, "attendance", "--activity", "PMPP-2026-01")


def test_an_attendance_workbook_with_merged_header_and_cells(
    tmp_path: Path, activity_with_sessions: Activity
) -> None:
    a = make_enrollment(activity=activity_with_sessions).employee
    b = make_enrollment(activity=activity_with_sessions).employee
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["DAFTAR HADIR PMPP-2026-01"])
    ws.append(["No", "NIP", "Nama", "Unit Kerja", "Kehadiran", None, None])
    ws.append([None, None, None, None, "Sesi 1", "Sesi 2", "Sesi 3"])
    ws.append([1, a.nip, a.name, "Dinas Contoh", "H", "H", "-"])
    ws.append([2, b.nip, b.name, None, "H", "-", "H"])
    for ref in ("A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:G2", "D4:D5"):
        ws.merge_cells(ref)
    book.save(tmp_path / "hadir.xlsx")
    out, error = mutu(
        "import", "attendance", str(tmp_path / "hadir.xlsx"), "--activity", "PMPP-2026-01"
    )
    assert error is None, out
    assert "6 baru/created" in out
    assert "Rows 1–2 above the header were ignored" in out
    assert "Cells D4:D5 are merged" in out
    assert Attendance.objects.filter(present=True).count() == 4


def _hour_day(session: ActivitySession) -> tuple[int, int]:
    local = timezone.localtime(session.starts_at)
    return local.hour, local.day


def test_attendance_refuses_strangers_and_sessions_that_do_not_exist(
    tmp_path: Path, activity_with_sessions: Activity
) -> None:
    enrolled = make_enrollment(activity=activity_with_sessions).employee
    stranger = make_employee()
    rows = [
        ["NIP", "Nama", "Sesi 1", "Sesi 2", "Sesi 3", "Sesi 4"],
        [enrolled.nip, enrolled.name, "H", "H", "H", "H"],
        [stranger.nip, stranger.name, "H", "H", "H", ""],
        [enrolled.nip, "lagi", "H", "H", "?", ""],
    ]
    path = write_xlsx(tmp_path / "hadir.xlsx", rows)
    before = database_state()
    out, error = mutu("import", "attendance", str(path), "--activity", "PMPP-2026-01")
    assert error is not None
    assert "baris/row 2, kolom/column Sesi 4 (F): PMPP-2026-01 hanya punya 3 sesi" in out
    assert "baris/row 3, kolom/column NIP (A)" in out and "is not enrolled in PMPP-2026-01" in out
    assert "baris/row 4, kolom/column Sesi 3 (E): Tanda kehadiran '?' tidak dikenal" in out
    assert database_state() == before
    out, error = mutu("import", "attendance", str(path))
    assert error is not None and "--activity CODE" in out


# --- course history -------------------------------------------------------------------------


def test_course_history_becomes_approved_external_jp_and_round_trips(tmp_path: Path) -> None:
    person = make_employee()
    rows = [
        [
            "NIP",
            "namaKursus",
            "institusiPenyelenggara",
            "jenisDiklatId",
            "jumlahJam",
            "nomorSertipikat",
            "tahunKursus",
            "tanggalKursus",
            "tanggalSelesaiKursus",
        ],
        [
            person.nip,
            "Bimbingan Teknis Aplikasi SIPD",
            "Kemendagri",
            8,
            "10",
            "123/BT/2025",
            2025,
            "01-09-2025",
            "03-09-2025",
        ],
        [person.nip, "Webinar Manajemen Talenta", "BKN", 9, "2,5", "", 2024, "", "2024-05-05"],
    ]
    out, error = mutu("import", "course_history", str(write_csv(tmp_path / "rk.csv", rows)))
    assert error is None, out
    assert "2 baru/created" in out
    entry = JpLedgerEntry.objects.get(certificate_number="123/BT/2025")
    assert entry.source == JpSource.EXTERNAL
    assert entry.approval_status == ApprovalStatus.APPROVED
    assert (entry.start_date, entry.date, entry.year) == (date(2025, 9, 1), date(2025, 9, 3), 2025)
    assert JpLedgerEntry.objects.get(title__startswith="Webinar").jp == Decimal("2.5")
    out, error = mutu("import", "course_history", str(tmp_path / "rk.csv"))
    assert "0 baru/created, 0 diperbarui/updated, 2 tetap/unchanged" in out
    roundtrip(tmp_path, "course_history")
    roundtrip(tmp_path, "course_history", "--shape", "siasn")
    siasn = load_workbook(tmp_path / "course_history.xlsx").worksheets[0]
    assert [c.value for c in siasn[1]][:3] == ["NIP", "namaKursus", "institusiPenyelenggara"]
    assert siasn.cell(row=3, column=9).value == "03-09-2025"  # dates as text dd-mm-YYYY
    assert siasn.cell(row=3, column=4).value == 8  # jenisDiklatId


def test_course_history_refuses_future_courses_and_edits_of_activity_jp(tmp_path: Path) -> None:
    enrollment = make_enrollment(activity=make_activity(title="Bimtek Arsip", jp=Decimal(16)))
    program_services.enrollment_complete(enrollment=enrollment)
    person = enrollment.employee
    later = timezone.localdate() + timedelta(days=30)
    rows = [
        ["NIP", "Nama Kursus", "Tgl Selesai", "JP"],
        [person.nip, "Bimtek Arsip", "03-03-2026", "20"],
        [person.nip, "Kursus Nanti", f"{later:%d-%m-%Y}", "4"],
        [person.nip, "Kursus Nol", "01-01-2025", "0"],
    ]
    before = database_state()
    out, error = mutu("import", "course_history", str(write_xlsx(tmp_path / "rk.xlsx", rows)))
    assert error is not None
    assert "baris/row 2, kolom/column JP (D): JP ini dari kegiatan Mutu (16.00 JP)" in out
    assert "baris/row 3, kolom/column Tgl Selesai (C)" in out and "in the future" in out
    assert "baris/row 4, kolom/column JP (D)" in out and "above 0" in out
    assert database_state() == before


def test_a_course_record_is_corrected_through_its_id(tmp_path: Path) -> None:
    person = make_employee()
    rows = [
        ["NIP", "Nama Kursus", "Tgl Selesai", "JP", "Status"],
        [person.nip, "Kursus A", "01-02-2025", "4", "menunggu"],
    ]
    mutu("import", "course_history", str(write_xlsx(tmp_path / "a.xlsx", rows)))
    entry = JpLedgerEntry.objects.get()
    assert entry.approval_status == ApprovalStatus.PENDING and entry.decided_at is None
    fix = [
        ["ID", "NIP", "Nama Kursus", "Tgl Selesai", "JP", "Status"],
        [entry.pk, person.nip, "Kursus A (perbaikan)", "02-02-2025", "6", "disetujui"],
    ]
    out, error = mutu("import", "course_history", str(write_xlsx(tmp_path / "b.xlsx", fix)))
    assert error is None, out
    assert "0 baru/created, 1 diperbarui/updated" in out
    entry.refresh_from_db()
    assert (entry.title, entry.date, entry.jp) == ("Kursus A (perbaikan)", date(2025, 2, 2), 6)
    assert entry.approval_status == ApprovalStatus.APPROVED and entry.decided_at is not None


def test_the_siasn_training_type_guessed_from_a_title() -> None:
    assert siasn_type_from_title("Bimbingan Teknis Aplikasi SIPD") == 8
    assert siasn_type_from_title("Webinar Keterbukaan Informasi Publik") == 9
    assert siasn_type_from_title("Kursus daring Literasi Data") == 3
    assert siasn_type_from_title("Rapat koordinasi") is None


# --- SKM results -----------------------------------------------------------------------------


def test_skm_results_refuse_scores_out_of_range_and_round_trip(tmp_path: Path) -> None:
    make_unit(code="PKM-1", name="Puskesmas Satu")
    header = ["Kode Unit", "Periode Mulai", "Periode Selesai", "Responden", "U1", "U2", "U9"]
    rows = [
        header,
        ["PKM-1", "01-01-2025", "31-12-2025", 120, "3,25", "3.5", "2,9"],
        ["PKM-1", "01-01-2026", "31-12-2026", 90, "81,3", "3", "4,2"],
    ]
    before = database_state()
    out, error = mutu("import", "skm_results", str(write_xlsx(tmp_path / "skm.xlsx", rows)))
    assert error is not None
    assert "baris/row 3, kolom/column U1 (E)" in out and "outside 1–4 (the SKM scale)" in out
    assert "baris/row 3, kolom/column U9 (G)" in out
    assert database_state() == before
    out, error = mutu("import", "skm_results", str(write_xlsx(tmp_path / "ok.xlsx", rows[:2])))
    assert error is None, out
    assert "3 baru/created" in out
    roundtrip(tmp_path, "skm_results")
