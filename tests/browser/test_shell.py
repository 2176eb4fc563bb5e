"""Sign-in, language switch and the unit head's reach, in a real browser on a phone screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, fits_the_screen, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_page_fits_a_phone_and_a_demo_user_signs_in(phone: Page, site: Site) -> None:
    phone.goto("/")
    expect(phone).to_have_url(f"{site.url}/masuk/")
    expect(phone.locator("h1")).to_have_text("Masuk")
    expect(phone.locator("html")).to_have_attribute("lang", "id")
    assert fits_the_screen(phone)
    screenshot(phone, "masuk-ponsel")

    phone.fill("input[name=username]", "demo-peserta")
    phone.fill("input[name=password]", "salah")
    phone.click("button[type=submit]")
    expect(phone.get_by_role("alert")).to_contain_text("kata sandi salah")
    screenshot(phone, "masuk-salah")

    sign_in(phone, "demo-peserta")
    expect(phone.get_by_test_id("logout")).to_contain_text("demo-peserta")
    assert "/masuk/" not in phone.url
    assert fits_the_screen(phone)
    screenshot(phone, "peserta-beranda")


def test_language_switch_turns_the_page_english_and_back(phone: Page) -> None:
    phone.goto("/masuk/")
    phone.get_by_role("button", name="EN").click()
    expect(phone.locator("h1")).to_have_text("Sign in")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_label("Password")).to_be_visible()
    screenshot(phone, "masuk-english")
    phone.get_by_role("button", name="ID").click()
    expect(phone.locator("h1")).to_have_text("Masuk")


def test_unit_head_opens_the_dashboard_and_cannot_reach_another_unit(
    phone: Page, site: Site
) -> None:
    facts = site.facts
    sign_in(phone, "demo-kepala")
    home = phone.goto("/dasbor/")
    assert home is not None and home.status == 200
    assert fits_the_screen(phone)
    screenshot(phone, "dasbor-kepala")

    own = phone.goto(f"/dasbor/unit/{facts['head_unit_code']}/")
    assert own is not None and own.status == 200
    expect(phone.locator("main")).to_contain_text(facts["head_unit_name"])
    inside = phone.goto(f"/dasbor/pegawai/{facts['inside_person_pk']}/")
    assert inside is not None and inside.status == 200

    # Typing the address of another unit, or of a person outside the unit, reveals nothing.
    other_unit = phone.goto(f"/dasbor/unit/{facts['outside_unit_code']}/")
    assert other_unit is not None and other_unit.status in (403, 404)
    other_person = phone.goto(f"/dasbor/pegawai/{facts['outside_person_pk']}/")
    assert other_person is not None and other_person.status in (403, 404)
    expect(phone.locator("main")).not_to_contain_text(str(facts["outside_person_pk"]))
    screenshot(phone, "tidak-ditemukan")
