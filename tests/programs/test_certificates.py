"""Certificates: a real A4 landscape PDF with its number and a QR code to a public check page."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from mutu.accounts.models import Role
from mutu.programs.certificates import certificate_html, qr_svg
from mutu.programs.models import Certificate
from mutu.programs.services import activity_complete, attendance_save
from tests.programs.test_web_support import World, client_for, make_world, user_with

pytestmark = pytest.mark.django_db


def _completed_world() -> tuple[World, Certificate]:
    world = make_world(sessions=1, venue="Aula BKPSDM, Kutacane", organiser="BKPSDM")
    session = world.activity.sessions.get()
    attendance_save(
        session_id=session.pk,
        roster_ids=[world.enrollment_alice.pk, world.enrollment_budi.pk],
        present_ids=[world.enrollment_alice.pk, world.enrollment_budi.pk],
    )
    activity_complete(activity_id=world.activity.pk)
    return world, Certificate.objects.get(enrollment=world.enrollment_alice)


def _pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_holder_downloads_a_real_a4_landscape_pdf_with_number_name_nip_and_jp() -> None:
    world, certificate = _completed_world()
    alice = client_for(user_with(Role.PARTICIPANT, employee=world.alice), lang="en")
    response = alice.get(f"/kegiatan/sertifikat/{certificate.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    reader, text = _pdf_text(pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(841.89, abs=1) and float(box.height) == pytest.approx(
        595.28, abs=1
    )
    assert certificate.number in text
    assert "Alice Ginting" in text and world.alice.nip in text
    assert world.activity.title in text
    assert "16" in text and "JP" in text
    assert "2 March 2026" in text


def test_the_qr_code_points_at_the_public_verification_page_which_verifies() -> None:
    world, certificate = _completed_world()
    alice = client_for(user_with(Role.PARTICIPANT, employee=world.alice))
    _, text = _pdf_text(alice.get(f"/kegiatan/sertifikat/{certificate.pk}/pdf/").content)
    found = re.search(r"http://testserver(/kegiatan/sertifikat/[A-Za-z0-9_-]+/)", text)
    assert found is not None
    url = found.group(0)
    # The QR code in the page encodes exactly this address.
    html = certificate_html(certificate, verify_url=url)
    assert str(qr_svg(url, scale=3)) in html
    page = Client(headers={"accept-language": "en"}).get(found.group(1))
    body = page.content.decode()
    assert page.status_code == 200
    assert "This certificate is valid." in body
    assert "Alice Ginting" in body and world.activity.title in body and "16 JP" in body
    assert certificate.number in body
    # No other personal data: not the NIP, not the unit.
    assert world.alice.nip not in body and world.unit_a.name not in body


def test_the_verification_code_is_random_not_the_id() -> None:
    world, certificate = _completed_world()
    other = Certificate.objects.get(enrollment=world.enrollment_budi)
    tokens = [certificate.verification_token, other.verification_token]
    assert tokens[0] != tokens[1]
    assert all(len(t) >= 32 for t in tokens)
    assert str(certificate.pk) not in tokens and str(other.pk) not in tokens
    guess = Client().get(f"/kegiatan/sertifikat/{certificate.pk}/")
    assert guess.status_code == 404


def test_an_unknown_code_says_so_in_both_languages() -> None:
    page = Client(headers={"accept-language": "en"}).get("/kegiatan/sertifikat/not-a-real-code/")
    assert page.status_code == 404
    assert "No certificate has this verification code" in page.content.decode()
    page = Client().get("/kegiatan/sertifikat/not-a-real-code/")
    assert page.status_code == 404 and 'data-testid="certificate-unknown"' in page.content.decode()


def test_who_may_download_a_certificate() -> None:
    world, certificate = _completed_world()
    url = f"/kegiatan/sertifikat/{certificate.pk}/pdf/"
    allowed = (
        user_with(Role.ADMIN),
        user_with(Role.UNIT_OPERATOR, unit=world.unit_a),
        user_with(Role.TRAINER, activity=world.activity),
    )
    refused = (
        user_with(Role.PARTICIPANT, employee=world.budi),  # another participant
        user_with(Role.UNIT_OPERATOR, unit=world.unit_b),  # another unit's operator
        user_with(Role.ANALYST),  # reads everything, exports no personal data
    )
    for user in allowed:
        assert client_for(user).get(url).status_code == 200
    for user in refused:
        assert client_for(user).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_the_participants_page_lists_their_certificates() -> None:
    world, certificate = _completed_world()
    alice = client_for(user_with(Role.PARTICIPANT, employee=world.alice))
    html = alice.get("/kegiatan/saya/").content.decode()
    assert certificate.number in html and f"/kegiatan/sertifikat/{certificate.pk}/pdf/" in html
