"""Running the program in a browser: the attendance checklist, a certificate's verification."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import (
    PHONE,
    Site,
    browser_context,
    fits_the_screen,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser


def attendance(site: Site) -> list[tuple[int, int, str]]:
    """(enrollment, present, method) of the session's attendance in the served database."""
    return site.query(
        "SELECT enrollment_id, present, method FROM programs_attendance WHERE session_id = ? "
        "ORDER BY enrollment_id",
        site.facts["session_pk"],
    )


def test_operator_records_attendance_with_the_checklist_and_it_stays_on_reload(
    phone: Page, site: Site
) -> None:
    facts = site.facts
    roster = facts["operator_roster"]
    checklist = f"/kegiatan/sesi/{facts['session_pk']}/presensi/"
    sign_in(phone, "demo-operator")
    phone.goto(f"/kegiatan/{facts['activity_pk']}/")
    phone.locator(f'a[href="{checklist}"]').click()
    expect(phone).to_have_url(f"{site.url}{checklist}")
    expect(phone.locator("main h1")).to_have_text("Kehadiran")
    expect(phone.get_by_test_id("present-count")).to_contain_text("belum dicatat")
    boxes = phone.locator("input[name=present]")
    # The operator sees their own unit's participants only, not the participant from elsewhere.
    expect(boxes).to_have_count(roster)
    expect(phone.locator("main")).not_to_contain_text(facts["participant_name"])
    assert attendance(site) == []

    present = roster - 2
    for i in range(present):
        boxes.nth(i).check()
    phone.get_by_role("button", name="Simpan kehadiran").click()
    expect(phone.locator(".messages")).to_contain_text(
        f"Kehadiran tersimpan: {present} hadir, 2 tidak hadir."
    )

    phone.reload()
    expect(phone.get_by_test_id("present-count")).to_have_text(f"{present} dari {roster} hadir")
    expect(phone.locator(".messages")).to_have_count(0)
    marks = [phone.locator("input[name=present]").nth(i).is_checked() for i in range(roster)]
    assert marks == [True] * present + [False] * 2
    assert fits_the_screen(phone)
    screenshot(phone, "presensi-operator")

    stored = attendance(site)
    assert len(stored) == roster
    assert sum(p for _, p, _ in stored) == present
    assert {m for _, _, m in stored} == {"operator"}


def verification_url(pdf: Path) -> str:
    """The verification address a certificate PDF prints under its QR code."""
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    match = re.search(r"https?://\S+?/kegiatan/sertifikat/[0-9a-f]{32}/", re.sub(r"\s+", "", text))
    assert match, f"no verification address in the certificate: {text!r}"
    return match.group(0)


def test_a_certificates_qr_page_verifies_it_and_an_unknown_code_is_not_found(
    phone: Page, browser: Browser, site: Site, tmp_path: Path
) -> None:
    facts = site.facts
    sign_in(phone, "demo-peserta")
    phone.goto("/kegiatan/saya/")
    entry = phone.locator("li.entry").filter(has_text=facts["certificate_number"])
    with phone.expect_download() as download:
        entry.locator("a.button").click()
    pdf = tmp_path / "sertifikat.pdf"
    download.value.save_as(pdf)
    url = verification_url(pdf)
    assert url.startswith(f"{site.url}/kegiatan/sertifikat/")
    ((token,),) = site.query(
        "SELECT verification_token FROM programs_certificate WHERE number = ?",
        facts["certificate_number"],
    )
    assert url.endswith(f"/{token}/")

    # Anyone who scans the QR code (not signed in) sees that it is valid, and whose it is.
    stranger = browser_context(browser, site, PHONE, is_mobile=True, has_touch=True)
    try:
        page = stranger.new_page()
        answer = page.goto(url)
        assert answer is not None and answer.status == 200
        expect(page.get_by_test_id("certificate-valid")).to_contain_text("Sertifikat ini sah")
        main = page.locator("main")
        expect(main).to_contain_text(facts["participant_name"])
        expect(main).to_contain_text(facts["certificate_number"])
        assert fits_the_screen(page)
        screenshot(page, "sertifikat-sah")

        unknown = page.goto("/kegiatan/sertifikat/" + "0" * 32 + "/")
        assert unknown is not None and unknown.status == 404
        expect(page.get_by_test_id("certificate-unknown")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text(facts["participant_name"])
        screenshot(page, "sertifikat-tidak-dikenal")
    finally:
        stranger.close()
