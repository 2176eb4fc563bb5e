"""JP earned elsewhere: recorded with evidence, checked, approved or rejected once by BKPSDM."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone

from mutu.accounts.models import Role
from mutu.domain.errors import MutuValueError
from mutu.programs.models import JpLedgerEntry
from mutu.programs.services import external_jp_decide, external_jp_record
from mutu.programs.services.external import EVIDENCE_MAX_BYTES
from tests.factories import make_employee
from tests.programs.test_web_support import client_for, make_world, user_with

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _form(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "title": "Kursus Analisis Kebijakan",
        "organiser": "LAN RI",
        "start_date": "2026-02-02",
        "end_date": "2026-02-04",
        "jp": "24",
        "certificate_number": "LAN/2026/123",
        "evidence": SimpleUploadedFile("sertifikat.pdf", PDF, content_type="application/pdf"),
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def test_a_participant_records_a_course_with_a_pdf_and_it_waits_for_approval(media: Path) -> None:
    world = make_world()
    alice = client_for(user_with(Role.PARTICIPANT, employee=world.alice))
    response = alice.post("/kegiatan/jp-luar/baru/", _form(jp="1,5"))
    assert response.status_code == 302
    entry = JpLedgerEntry.objects.get(source="external")
    assert entry.employee == world.alice and entry.approval_status == "pending"
    assert entry.jp == 1.5 and entry.date == date(2026, 2, 4)
    assert entry.start_date == date(2026, 2, 2) and entry.certificate_number == "LAN/2026/123"
    stored = media / entry.evidence.name
    assert stored.read_bytes() == PDF
    assert (
        entry.evidence.name.startswith("jp-evidence/2026/")
        and "sertifikat" not in entry.evidence.name
    )


@pytest.mark.parametrize(
    ("overrides", "id_text", "en_text"),
    [
        ({"jp": "-3"}, "tidak boleh negatif", "cannot be negative"),
        ({"jp": "abc"}, "harus berupa angka", "must be a number"),
        ({"jp": "0"}, "lebih dari nol", "more than zero"),
        ({"jp": ""}, "JP wajib diisi", "The JP are required"),
        ({"end_date": "2026-01-01"}, "tidak boleh sebelum", "cannot be before"),
        ({"title": ""}, "Judul pelatihan wajib diisi", "course title is required"),
        ({"evidence": None}, "Unggah bukti", "Upload the evidence"),
        (
            {"evidence": SimpleUploadedFile("sertifikat.exe", b"MZ\0\0")},
            "PDF, JPG atau PNG",
            "PDF, JPG or PNG",
        ),
        (
            {"evidence": SimpleUploadedFile("foto.png", PDF)},  # a PDF renamed .png
            "bukan PNG",
            "not the PNG",
        ),
        (
            {"evidence": SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * EVIDENCE_MAX_BYTES)},
            "terlalu besar",
            "too large",
        ),
    ],
)
def test_bad_input_is_refused_in_both_languages_and_nothing_is_written(
    media: Path, overrides: dict[str, object], id_text: str, en_text: str
) -> None:
    world = make_world()
    user = user_with(Role.PARTICIPANT, employee=world.alice)
    for lang, text in (("id", id_text), ("en", en_text)):
        form = _form(**overrides)
        if isinstance(form.get("evidence"), SimpleUploadedFile):
            form["evidence"].seek(0)  # type: ignore[union-attr]
        page = client_for(user, lang=lang).post("/kegiatan/jp-luar/baru/", form)
        assert page.status_code == 200
        assert text in page.content.decode()
    assert not JpLedgerEntry.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_future_end_date_is_refused() -> None:
    world = make_world()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    with pytest.raises(MutuValueError) as refused:
        external_jp_record(
            employee_id=world.alice.pk,
            title="Kursus",
            start_date=timezone.localdate(),
            end_date=date.fromisoformat(tomorrow),
            jp="4",
            evidence=SimpleUploadedFile("a.pdf", PDF),
        )
    assert "has ended" in refused.value.message("en")
    assert not JpLedgerEntry.objects.exists()


def test_an_operator_records_for_their_units_employee_by_nip_not_another_units() -> None:
    world = make_world()
    operator_a = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_a))
    assert operator_a.post("/kegiatan/jp-luar/baru/", _form(nip=world.budi.nip)).status_code == 302
    page = operator_a.post("/kegiatan/jp-luar/baru/", _form(nip=world.citra.nip))
    assert page.status_code == 200 and "Tidak ada pegawai dengan NIP" in page.content.decode()
    assert list(JpLedgerEntry.objects.values_list("employee_id", flat=True)) == [world.budi.pk]


def _pending(employee_id: int) -> JpLedgerEntry:
    return external_jp_record(
        employee_id=employee_id,
        title="Seminar Nasional",
        start_date=date(2026, 4, 1),
        end_date=date(2026, 4, 1),
        jp="8",
        evidence=SimpleUploadedFile("bukti.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 32),
    )


def _approved_jp(employee_id: int) -> float:
    total = JpLedgerEntry.objects.filter(
        employee_id=employee_id, approval_status="approved"
    ).aggregate(t=Sum("jp"))["t"]
    return float(total or 0)


def test_the_admin_approves_once_and_the_jp_count_once() -> None:
    world = make_world()
    entry = _pending(world.alice.pk)
    assert _approved_jp(world.alice.pk) == 0
    admin_user = user_with(Role.ADMIN)
    admin = client_for(admin_user)
    queue = admin.get("/kegiatan/jp-luar/").content.decode()
    assert "Seminar Nasional" in queue and "Alice Ginting" in queue
    admin.post(f"/kegiatan/jp-luar/{entry.pk}/putuskan/", {"decision": "approve"})
    assert _approved_jp(world.alice.pk) == 8
    page = admin.post(
        f"/kegiatan/jp-luar/{entry.pk}/putuskan/", {"decision": "approve"}, follow=True
    )
    assert "sudah diputuskan" in page.content.decode()
    assert _approved_jp(world.alice.pk) == 8
    entry.refresh_from_db()
    assert entry.approved_by == admin_user and entry.decided_at is not None
    with pytest.raises(MutuValueError):
        external_jp_decide(entry_id=entry.pk, approved=False, decided_by=admin_user, reason="x")


def test_rejection_needs_a_reason_and_the_participant_sees_it() -> None:
    world = make_world()
    entry = _pending(world.alice.pk)
    admin = client_for(user_with(Role.ADMIN), lang="en")
    page = admin.post(
        f"/kegiatan/jp-luar/{entry.pk}/putuskan/", {"decision": "reject"}, follow=True
    )
    assert "Give the reason for the rejection." in page.content.decode()
    entry.refresh_from_db()
    assert entry.approval_status == "pending"
    admin.post(
        f"/kegiatan/jp-luar/{entry.pk}/putuskan/",
        {"decision": "reject", "reason": "Sertifikat tidak terbaca"},
    )
    entry.refresh_from_db()
    assert entry.approval_status == "rejected" and _approved_jp(world.alice.pk) == 0
    alice = client_for(user_with(Role.PARTICIPANT, employee=world.alice))
    assert "Sertifikat tidak terbaca" in alice.get("/kegiatan/saya/").content.decode()


def test_only_bkpsdm_admins_decide() -> None:
    world = make_world()
    entry = _pending(world.alice.pk)
    for user in (
        user_with(Role.UNIT_OPERATOR, unit=world.unit_a),
        user_with(Role.ANALYST),
        user_with(Role.PARTICIPANT, employee=world.alice),
    ):
        response = client_for(user).post(
            f"/kegiatan/jp-luar/{entry.pk}/putuskan/", {"decision": "approve"}
        )
        assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.approval_status == "pending"


def test_evidence_is_served_to_its_owner_the_admin_and_the_units_operator_only() -> None:
    world = make_world()
    entry = _pending(world.alice.pk)
    url = f"/kegiatan/jp-luar/{entry.pk}/bukti/"
    for user in (
        user_with(Role.PARTICIPANT, employee=world.alice),
        user_with(Role.ADMIN),
        user_with(Role.UNIT_OPERATOR, unit=world.unit_a),
    ):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")  # type: ignore[attr-defined]
    for user in (
        user_with(Role.PARTICIPANT, employee=world.budi),
        user_with(Role.UNIT_OPERATOR, unit=world.unit_b),
        user_with(Role.ANALYST),
        user_with(Role.UNIT_HEAD, unit=world.unit_a),
    ):
        assert client_for(user).get(url).status_code == 404


def test_the_list_shows_each_role_its_own_records() -> None:
    world = make_world()
    _pending(world.alice.pk)
    _pending(world.citra.pk)
    other = make_employee(unit=world.unit_b, name="Orang Lain")
    _pending(other.pk)
    alice = client_for(user_with(Role.PARTICIPANT, employee=world.alice))
    html = alice.get("/kegiatan/jp-luar/").content.decode()
    assert html.count("Seminar Nasional") == 1
    operator_b = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_b))
    html = operator_b.get("/kegiatan/jp-luar/").content.decode()
    assert "Citra Pinem" in html and "Orang Lain" in html and "Alice Ginting" not in html


def test_the_admins_activity_list_counts_records_waiting_for_approval() -> None:
    world = make_world()
    _pending(world.alice.pk)
    _pending(world.budi.pk)
    admin = client_for(user_with(Role.ADMIN), lang="en")
    assert "2 waiting for approval" in admin.get("/kegiatan/").content.decode()
    operator = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_a), lang="en")
    assert "waiting for approval" not in operator.get("/kegiatan/").content.decode()
