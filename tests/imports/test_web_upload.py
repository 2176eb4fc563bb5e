"""The upload page ``/impor/``: upload → preview (a dry run) → apply the same file, or nothing."""

from __future__ import annotations

import json
import re
import time
from datetime import date
from html import unescape
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from mutu.people.models import Employee
from mutu.programs import services as program_services
from mutu.programs.models import Attendance
from tests.factories import aware, make_activity, make_enrollment
from tests.imports.helpers import database_state, mutu, write_csv, write_xlsx
from tests.imports.web_support import (
    HEADER,
    Registry,
    client_for,
    registry_load,
    text_of,
    token_of,
    upload_root,
    user_with,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(settings: Any, tmp_path: Path) -> Path:
    """Where pending uploads are kept in this test."""
    return upload_root(settings, tmp_path)


@pytest.fixture
def registry(root: Path) -> Registry:
    return registry_load()


@pytest.fixture
def admin_user() -> Any:
    return user_with("admin")


@pytest.fixture
def admin(admin_user: Any) -> Client:
    return client_for(admin_user)


def upload(client: Client, path: Path, kind: str = "employees") -> Any:
    with path.open("rb") as handle:
        return client.post("/impor/", {"kind": kind, "file": handle})


def preview_of(client: Client, answer: Any) -> tuple[str, str]:
    """(token, the preview page's HTML) after an upload that was accepted."""
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    token = token_of(answer["Location"])
    page = client.get(answer["Location"])
    assert page.status_code == 200
    return token, page.content.decode()


def sha_of(html: str) -> str:
    found = re.search(r'name="sha256" value="([0-9a-f]{64})"', html)
    assert found, "no apply form"
    return found.group(1)


def counts(html: str) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        int(text_of(html, f"count-{k}").replace(".", ""))
        for k in ("created", "updated", "unchanged")
    )


def cli_counts(path: Path) -> tuple[int, int, int]:
    out, error = mutu("import", "employees", str(path), "--dry-run")
    assert error is None, out
    found = re.search(r"(\d+) baru/created, (\d+) diperbarui/updated, (\d+) tetap/unchanged", out)
    assert found, out
    return int(found.group(1)), int(found.group(2)), int(found.group(3))


def test_the_preview_shows_the_cli_dry_run_counts_and_apply_writes_the_same_file(
    registry: Registry, admin: Client, admin_user: Any, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        registry.row(11, "Baru Satu", "Dinas Kesehatan"),
        registry.row(12, "Baru Dua", "PKM-KTC"),
        registry.existing(registry.nurse, gol="III/c"),
        registry.existing(registry.clerk),
    ]
    path = write_csv(tmp_path / "pegawai.csv", rows)
    assert cli_counts(path) == (2, 1, 1)
    before = database_state()

    token, html = preview_of(admin, upload(admin, path))

    assert counts(html) == (2, 1, 1)
    assert database_state() == before  # the preview wrote nothing
    changes = text_of(html, "preview-changes")
    assert "Gol" in html and registry.nurse.nip in html  # the changed column of the updated row
    assert changes
    assert 'data-testid="preview-errors"' not in html

    # Applied from an English page (the upload is the user's, whichever page they are on).
    english = client_for(admin_user, "en")
    answer = english.post("/impor/terapkan/", {"berkas": token, "sha256": sha_of(html)})
    assert answer.status_code == 302 and answer["Location"] == "/impor/"
    page = english.get("/impor/").content.decode()
    assert "Imported Employees: 2 created, 1 updated, 1 unchanged." in page
    assert Employee.objects.filter(name__in=["Baru Satu", "Baru Dua"]).count() == 2
    registry.nurse.refresh_from_db()
    assert registry.nurse.golongan is not None and registry.nurse.golongan.code == "III/c"
    # The pending upload is gone: applying it twice is refused and writes nothing more.
    state = database_state()
    again = admin.post("/impor/terapkan/", {"berkas": token, "sha256": sha_of(html)}, follow=True)
    assert "tidak ada" in again.content.decode()
    assert database_state() == state

    # The same file once more: nothing would change.
    _token, html = preview_of(admin, upload(admin, path))
    assert counts(html) == (0, 0, 4)
    assert cli_counts(path) == (0, 0, 4)


def test_a_bad_file_shows_every_error_by_row_and_column_and_leaves_the_database_alone(
    registry: Registry, admin: Client, admin_user: Any, tmp_path: Path, root: Path
) -> None:
    rows = [
        HEADER,
        registry.row(21, "Baik", "Dinas Kesehatan"),
        [1.99403162023032e17, "Angka Ilmiah", "", "PNS", "III/a", "Dinas Kesehatan", "S1", ""],
        registry.row(22, "Unit Asing", "Dinas Pariwisata"),
        registry.row(23, "Golongan Salah", "Dinas Kesehatan", gol="V/z"),
    ]
    path = write_xlsx(tmp_path / "pegawai.xlsx", rows, text_columns=[0])
    before = database_state()

    token, html = preview_of(admin, upload(admin, path))

    assert text_of(html, "count-errors") == "3"
    assert "baris 3, kolom NIP (A)" in html
    assert "baris 4, kolom Unit Kerja (F)" in html
    assert "baris 5, kolom Gol (E)" in html
    assert "15 digit" in html  # the message itself, in Indonesian
    assert 'name="sha256"' not in html  # no apply button while there are errors
    assert database_state() == before

    english = client_for(admin_user, "en")
    page = unescape(english.get(f"/impor/pratinjau/?berkas={token}").content.decode())
    assert "row 4, column Unit Kerja (F)" in page and "Unknown unit 'Dinas Pariwisata'" in page

    # The marked copy of the workbook downloads, with its error column.
    download = admin.get(f"/impor/kesalahan/?berkas={token}")
    assert download.status_code == 200
    assert 'filename="pegawai.errors.xlsx"' in download["Content-Disposition"]
    book = load_workbook(BytesIO(b"".join(download.streaming_content)))
    ws = book.worksheets[0]
    assert ws.cell(row=1, column=9).value == "Kesalahan / Errors"
    assert "15" in ws.cell(row=3, column=9).value
    assert ws.cell(row=2, column=9).value is None
    assert book["Kesalahan"].max_row == 4

    # Applying it anyway (a crafted request) writes nothing.
    manifest = json.loads(next(root.glob(f"*/{token}/manifest.json")).read_text())
    answer = admin.post("/impor/terapkan/", {"berkas": token, "sha256": manifest["sha256"]})
    assert answer.status_code == 302
    assert database_state() == before
    assert not Employee.objects.filter(name="Baik").exists()


def test_an_operator_cannot_import_rows_of_another_unit(
    registry: Registry, tmp_path: Path, root: Path
) -> None:
    operator = client_for(user_with("unit_operator", unit=registry.dinkes))
    rows = [
        HEADER,
        registry.row(31, "Di Puskesmas", "PKM-KTC"),  # inside: a sub-unit of DINKES
        registry.row(32, "Di Dinsos", "DINSOS"),  # outside
        registry.existing(registry.clerk, unit="DINKES"),  # moving someone in from outside
        registry.existing(registry.midwife, unit="DINSOS"),  # moving their own person out
        registry.existing(registry.nurse, gol="III/c"),  # inside
    ]
    path = write_csv(tmp_path / "pegawai.csv", rows)
    before = database_state()

    token, html = preview_of(operator, upload(operator, path))

    assert text_of(html, "count-errors") == "3"
    for row in (3, 4, 5):
        assert f"baris {row}, kolom Unit Kerja (F)" in html
    assert "baris 2," not in html and "baris 6," not in html
    assert "di luar wilayah Anda" in html
    assert 'name="sha256"' not in html
    manifest = json.loads(next(root.glob(f"*/{token}/manifest.json")).read_text())
    operator.post("/impor/terapkan/", {"berkas": token, "sha256": manifest["sha256"]})
    assert database_state() == before

    # Only the rows of their own units: imported.
    inside = write_csv(tmp_path / "dinkes.csv", [rows[0], rows[1], rows[5]])
    token, html = preview_of(operator, upload(operator, inside))
    assert counts(html) == (1, 1, 0)
    operator.post("/impor/terapkan/", {"berkas": token, "sha256": sha_of(html)})
    assert Employee.objects.get(name="Di Puskesmas").unit == registry.puskesmas
    assert not Employee.objects.filter(name="Di Dinsos").exists()

    # Kinds that change the shared structure are the BKPSDM's.
    page = operator.get("/impor/").content.decode()
    assert 'value="employees"' in page and 'value="units"' not in page
    refused = upload(
        operator, write_csv(tmp_path / "unit.csv", [["Kode Unit", "Nama Unit"]]), "units"
    )
    assert refused.status_code == 200
    assert 'data-testid="upload-error"' in refused.content.decode()


def test_a_tampered_or_expired_or_foreign_upload_is_refused(
    registry: Registry, admin: Client, tmp_path: Path, root: Path
) -> None:
    rows = [HEADER, registry.row(41, "Baru", "DINKES")]
    path = write_csv(tmp_path / "pegawai.csv", rows)
    before = database_state()

    # A hash that is not the previewed file's.
    token, html = preview_of(admin, upload(admin, path))
    page = admin.post(
        "/impor/terapkan/", {"berkas": token, "sha256": "0" * 64}, follow=True
    ).content.decode()
    assert "bukan berkas yang dipratinjau" in page
    assert database_state() == before

    # The file changed on disk after the preview.
    stored = next(root.glob(f"*/{token}/pegawai.csv"))
    stored.write_bytes(stored.read_bytes().replace(b"Baru", b"Lain"))
    page = admin.post(
        "/impor/terapkan/", {"berkas": token, "sha256": sha_of(html)}, follow=True
    ).content.decode()
    assert "berubah sejak pratinjau" in page
    assert database_state() == before
    assert not stored.parent.exists()

    # Another user cannot apply (or see) someone's upload.
    token, html = preview_of(admin, upload(admin, path))
    other = client_for(user_with("admin"))
    assert other.get(f"/impor/pratinjau/?berkas={token}").status_code == 302
    page = other.post(
        "/impor/terapkan/", {"berkas": token, "sha256": sha_of(html)}, follow=True
    ).content.decode()
    assert "tidak ada" in page
    assert other.get(f"/impor/kesalahan/?berkas={token}").status_code == 302
    assert database_state() == before

    # An upload past its time to live is refused and deleted.
    manifest_path = next(root.glob(f"*/{token}/manifest.json"))
    manifest = json.loads(manifest_path.read_text())
    manifest["created"] = time.time() - 2 * 3600
    manifest_path.write_text(json.dumps(manifest))
    page = admin.post(
        "/impor/terapkan/", {"berkas": token, "sha256": sha_of(html)}, follow=True
    ).content.decode()
    assert "kedaluwarsa" in page
    assert not manifest_path.parent.exists()
    assert database_state() == before

    # A token that is not one: refused, no path is built from it.
    page = admin.post(
        "/impor/terapkan/", {"berkas": "../../etc", "sha256": "x"}, follow=True
    ).content.decode()
    assert "tidak ada" in page


@pytest.mark.parametrize(
    ("name", "content", "lang", "fragment"),
    [
        ("pegawai.pdf", b"%PDF-1.4", "id", "bukan buku kerja Excel (.xlsx) atau berkas CSV"),
        ("pegawai.pdf", b"%PDF-1.4", "en", "is not an Excel workbook (.xlsx) or a CSV file"),
        ("pegawai.xls", b"\xd0\xcf\x11\xe0", "id", "buku kerja Excel lama (.xls)"),
        ("pegawai.xlsx", b"NIP;Nama\n", "en", "is not a valid .xlsx workbook"),
        ("pegawai.csv", b"NIP\x00\x01\x02", "id", "bukan berkas teks CSV"),
        ("pegawai.csv", b"x" * 2000, "en", "is larger than"),
    ],
)
def test_a_wrong_file_is_refused_with_a_clear_message_and_nothing_is_kept(
    registry: Registry,
    settings: Any,
    root: Path,
    name: str,
    content: bytes,
    lang: str,
    fragment: str,
) -> None:
    settings.MUTU_IMPORT_MAX_BYTES = 1000
    client = client_for(user_with("admin"), lang)
    before = database_state()
    answer = client.post(
        "/impor/", {"kind": "employees", "file": SimpleUploadedFile(name, content)}
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert fragment in unescape(text_of(html, "upload-error"))
    assert database_state() == before
    assert list(root.glob("*/*/*")) == []


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("unit_operator", True), ("analyst", False), ("unit_head", False)],
)
def test_only_administrators_and_unit_operators_reach_the_upload_page(
    registry: Registry, role: str, allowed: bool
) -> None:
    covers = {"unit": registry.dinkes} if role in ("unit_operator", "unit_head") else {}
    client = client_for(user_with(role, **covers))
    assert client.get("/impor/").status_code == (200 if allowed else 403)
    assert client.get("/impor/pratinjau/").status_code == (302 if allowed else 403)
    home = client.get("/dasbor/", follow=True).content.decode()
    assert ('href="/impor/"' in home) is allowed


def test_a_participant_is_refused(registry: Registry) -> None:
    client = client_for(user_with("participant", employee=registry.nurse))
    assert client.get("/impor/").status_code == 403
    assert client.post("/impor/terapkan/", {"berkas": "0" * 32}).status_code == 403


def test_an_operator_imports_the_attendance_of_their_own_participants(
    registry: Registry, tmp_path: Path
) -> None:
    """The activity's code is read from the file name, which the upload keeps."""
    activity = make_activity(
        code="PMPP-2026-01", start_date=date(2026, 3, 2), end_date=date(2026, 3, 2)
    )
    for hour in (8, 13):
        program_services.activity_session_add(
            activity=activity,
            starts_at=aware(date(2026, 3, 2), hour),
            ends_at=aware(date(2026, 3, 2), hour + 3),
        )
    for person in (registry.nurse, registry.clerk):
        make_enrollment(activity=activity, employee=person)
    operator = client_for(user_with("unit_operator", unit=registry.dinkes))
    header = ["NIP", "Nama", "Sesi 1", "Sesi 2"]
    mine = [registry.nurse.nip, registry.nurse.name, "H", "-"]
    theirs = [registry.clerk.nip, registry.clerk.name, "H", "H"]

    both = write_csv(tmp_path / "daftar_hadir_PMPP-2026-01.csv", [header, mine, theirs])
    _token, html = preview_of(operator, upload(operator, both, "attendance"))
    assert text_of(html, "count-errors") == "1"
    assert "baris 3, kolom NIP (A)" in html

    own = write_csv(tmp_path / "daftar_hadir_PMPP-2026-01.csv", [header, mine])
    token, html = preview_of(operator, upload(operator, own, "attendance"))
    assert counts(html) == (2, 0, 0)
    operator.post("/impor/terapkan/", {"berkas": token, "sha256": sha_of(html)})
    marks = dict(
        Attendance.objects.filter(enrollment__employee=registry.nurse)
        .order_by("session__starts_at")
        .values_list("session__starts_at__hour", "present")
    )
    assert list(marks.values()) == [True, False]
    assert not Attendance.objects.filter(enrollment__employee=registry.clerk).exists()


def test_a_kobo_export_is_previewed_and_applied_for_the_instrument_named_on_the_page(
    root: Path, admin: Client, tmp_path: Path
) -> None:
    from mutu.instruments.models import Response
    from mutu.reference.services import reference_data_load
    from tests.factories import make_instrument_version
    from tests.imports.test_responses_import import kobo_rows

    reference_data_load()
    version = make_instrument_version(anonymous=True)
    path = write_csv(tmp_path / "kobo.csv", kobo_rows(), sep=",", encoding="utf-8")

    # Without the instrument the preview says which one is missing, and nothing is written.
    before = database_state()
    _token, html = preview_of(admin, upload(admin, path, kind="responses"))
    assert "--instrument" in html or "instrumen" in html.lower()
    assert 'name="sha256"' not in html  # no apply button for a file with faults
    assert database_state() == before

    with path.open("rb") as handle:
        answer = admin.post(
            "/impor/",
            {"kind": "responses", "instrument": version.instrument.code, "file": handle},
        )
    token, html = preview_of(admin, answer)
    assert counts(html) == (2, 0, 0)
    assert database_state() == before
    applied = admin.post("/impor/terapkan/", {"berkas": token, "sha256": sha_of(html)})
    assert applied.status_code == 302
    assert Response.objects.filter(version=version, external_id__startswith="uuid:").count() == 2


def test_the_sheet_named_on_the_page_is_the_one_read(
    registry: Registry, admin: Client, tmp_path: Path, root: Path
) -> None:
    path = write_xlsx(tmp_path / "buku.xlsx", [["Catatan"], ["bukan data pegawai"]])
    book = load_workbook(path)
    data = book.create_sheet("Data")
    for row in [HEADER, registry.row(21, "Lembar Kedua", "Dinas Kesehatan")]:
        data.append(row)
    book.save(path)

    def send(sheet: str, target: Path = path) -> Any:
        with target.open("rb") as handle:
            return admin.post("/impor/", {"kind": "employees", "file": handle, "sheet": sheet})

    _token, html = preview_of(admin, send("Data"))
    assert counts(html) == (1, 0, 0)
    before = database_state()
    # A sheet the workbook lacks, or a sheet name with a CSV file: refused, nothing kept.
    missing = send("Pegawai")
    assert missing.status_code == 200
    message = unescape(text_of(missing.content.decode(), "upload-error"))
    assert "Lembar 'Pegawai' tidak ada" in message and "Data" in message
    csv_path = write_csv(tmp_path / "pegawai.csv", [HEADER])
    refused = unescape(text_of(send("Data", csv_path).content.decode(), "upload-error"))
    assert "CSV tidak punya lembar" in refused
    assert database_state() == before
    assert len(list(root.glob("*/*"))) == 1  # only the accepted preview is kept
