"""Each demo role signs in on a phone and lands on its own first page, which fits the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, fits_the_screen, screenshot, sign_in

pytestmark = pytest.mark.browser

#: username → (picture for the user guide, a path the role's first page is under)
LANDINGS = {
    "demo-admin": ("beranda-admin", "/dasbor/"),
    "demo-analis": ("beranda-analis", "/dasbor/"),
    "demo-operator": ("beranda-operator", "/dasbor/"),
    "demo-pelatih": ("beranda-pelatih", "/"),
    "demo-atasan": ("beranda-atasan", "/dasbor/pegawai/"),
}


@pytest.mark.parametrize("username", list(LANDINGS))
def test_each_role_lands_on_a_page_that_fits_a_phone(phone: Page, username: str) -> None:
    picture, under = LANDINGS[username]
    sign_in(phone, username)
    assert "/masuk/" not in phone.url
    assert under in phone.url
    expect(phone.get_by_test_id("logout")).to_contain_text(username)
    expect(phone.locator("main h1")).to_be_visible()
    assert fits_the_screen(phone), f"{phone.url} is wider than a 360-px phone"
    screenshot(phone, picture)


def test_admin_sees_the_regency_dashboard_on_an_office_screen(desktop: Page, site: Site) -> None:
    sign_in(desktop, "demo-admin")
    answer = desktop.goto("/dasbor/")
    assert answer is not None and answer.status == 200
    expect(desktop.locator("main")).to_contain_text(site.facts["head_unit_name"])
    screenshot(desktop, "dasbor-admin")
    report = desktop.goto("/laporan/")
    assert report is not None and report.status == 200
    screenshot(desktop, "laporan-admin")
