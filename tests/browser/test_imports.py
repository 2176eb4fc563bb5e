"""An operator imports on a phone: upload → preview → apply; another unit's row is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, fits_the_screen, screenshot, sign_in

pytestmark = pytest.mark.browser


def csv_bytes(rows: list[list[str]]) -> bytes:
    """A CSV file as Excel with Indonesian settings writes it (``;``, UTF-8 with a BOM)."""
    return "\r\n".join(";".join(r) for r in rows).encode("utf-8-sig")


def operator_people(site: Site) -> list[tuple[int, str, str]]:
    """(pk, NIP, name) of two people in the demo operator's own unit (not the demo persons)."""
    rows = site.query(
        "SELECT e.id, e.nip, e.name FROM people_employee e "
        "JOIN accounts_roleassignment r ON r.unit_id = e.unit_id "
        "JOIN auth_user u ON u.id = r.user_id "
        "WHERE u.username = 'demo-operator' AND r.role = 'unit_operator' AND e.id != ? "
        "ORDER BY e.nip LIMIT 2",
        site.facts["participant_pk"],
    )
    assert len(rows) == 2
    return [(int(pk), str(nip), str(name)) for pk, nip, name in rows]


def choose_and_upload(page: Page, name: str, content: bytes) -> None:
    page.select_option("select[name=kind]", "employees")
    page.set_input_files(
        "input[name=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    page.locator("form.upload button[type=submit]").click()
    page.wait_for_load_state()


def test_an_operator_previews_then_applies_an_import_on_a_phone(phone: Page, site: Site) -> None:
    (pk, nip, name), (_pk2, nip2, name2) = operator_people(site)
    ((outsider,),) = site.query(
        "SELECT nip FROM people_employee WHERE id = ?", site.facts["inside_person_pk"]
    )
    renamed = f"{name} (impor)"
    sign_in(phone, "demo-operator")
    phone.locator('nav a[href="/impor/"]').click()
    expect(phone).to_have_url(f"{site.url}/impor/")
    assert fits_the_screen(phone)

    # A file with a row of another unit: the preview names it, offers the marked copy, no Apply.
    choose_and_upload(
        phone,
        "pegawai-salah.csv",
        csv_bytes([["NIP", "Nama"], [nip, renamed], [str(outsider), "Orang Unit Lain"]]),
    )
    expect(phone.get_by_test_id("count-errors")).to_have_text("1")
    expect(phone.get_by_test_id("preview-errors")).to_contain_text("baris 3")
    expect(phone.get_by_test_id("errors-download")).to_be_visible()
    expect(phone.get_by_test_id("apply")).to_have_count(0)
    with phone.expect_download() as download:
        phone.get_by_test_id("errors-download").click()
    assert download.value.suggested_filename == "pegawai-salah.errors.xlsx"
    assert site.query("SELECT name FROM people_employee WHERE id = ?", pk) == [(name,)]
    phone.get_by_test_id("discard").click()
    expect(phone).to_have_url(f"{site.url}/impor/")

    # The fixed file: one name changed, one row as stored.
    choose_and_upload(
        phone, "pegawai.csv", csv_bytes([["NIP", "Nama"], [nip, renamed], [nip2, name2]])
    )
    expect(phone.get_by_test_id("count-updated")).to_have_text("1")
    expect(phone.get_by_test_id("count-unchanged")).to_have_text("1")
    expect(phone.get_by_test_id("count-errors")).to_have_text("0")
    expect(phone.get_by_test_id("preview-changes")).to_contain_text(nip)
    expect(phone.get_by_test_id("preview-changes")).to_contain_text("Nama")
    assert fits_the_screen(phone), "the preview is wider than a 360-px phone"
    screenshot(phone, "impor-preview", full_page=True)
    assert site.query("SELECT name FROM people_employee WHERE id = ?", pk) == [(name,)]

    phone.get_by_test_id("apply").click()
    expect(phone).to_have_url(f"{site.url}/impor/")
    expect(phone.locator(".messages")).to_contain_text("1")
    assert site.query("SELECT name FROM people_employee WHERE id = ?", pk) == [(renamed,)]
