"""An analyst plans next year on a phone: the form, its waiting sign, the plan, a comparison."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, fits_the_screen, screenshot, sign_in

pytestmark = pytest.mark.browser

#: The address of a saved scenario.
SAVED = re.compile(r"/rencana/\d+/$")


def plan_year(site: Site) -> int:
    """The year after the last year with activities: the year a plan is made for."""
    ((year,),) = site.query(
        "SELECT MAX(CAST(strftime('%Y', start_date) AS INTEGER)) FROM programs_activity"
    )
    return int(year) + 1


def fill(page: Page, name: str, year: int, budget: str) -> None:
    form = page.get_by_test_id("scenario-form")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=year]").fill(str(year))
    form.locator("input[name=budget]").fill(budget)


def test_an_analyst_saves_two_scenarios_and_compares_them_on_a_phone(
    phone: Page, site: Site
) -> None:
    sign_in(phone, "demo-analis")
    phone.goto("/rencana/baru/")
    expect(phone.locator("main h1")).to_be_visible()
    # the waiting sign is hidden until the form is sent
    expect(phone.get_by_test_id("computing")).to_be_hidden()
    assert fits_the_screen(phone)

    year = plan_year(site)
    # a budget written as words is refused in Indonesian, in place, and nothing is saved
    fill(phone, "Anggaran salah", year, "dua miliar")
    phone.get_by_role("button").filter(has_text="Hitung").click()
    expect(phone.get_by_test_id("scenario-error")).to_be_visible()
    expect(phone.get_by_test_id("scenario-error")).to_contain_text("Anggaran")
    refused = site.query(
        "SELECT COUNT(*) FROM scenarios_planscenario WHERE name = ?", "Anggaran salah"
    )
    assert refused == [(0,)]

    # a real budget: the waiting sign shows and the button is disabled while the solver runs
    fill(phone, "Pagu 400 juta", year, "400.000.000")
    button = phone.get_by_role("button").filter(has_text="Hitung")
    button.click()
    expect(phone.get_by_test_id("computing")).to_be_visible()
    expect(button).to_be_disabled()
    phone.wait_for_url(SAVED, timeout=120_000)
    expect(phone.locator("main")).to_contain_text("Pagu 400 juta")
    assert fits_the_screen(phone), f"{phone.url} is wider than a 360-px phone"
    screenshot(phone, "rencana-skenario")

    phone.goto("/rencana/baru/")
    fill(phone, "Pagu 800 juta", year, "800.000.000")
    phone.get_by_role("button").filter(has_text="Hitung").click()
    phone.wait_for_url(SAVED, timeout=120_000)

    saved = site.query(
        "SELECT id, name FROM scenarios_planscenario WHERE name LIKE 'Pagu % juta' ORDER BY id"
    )
    assert [name for _pk, name in saved] == ["Pagu 400 juta", "Pagu 800 juta"]

    phone.goto("/rencana/")
    for pk, _name in saved:
        phone.locator(f"input[name=s][value='{pk}']").check()
    phone.locator("form[action$='/rencana/banding/'] button").click()
    phone.wait_for_url("**/rencana/banding/**")
    main = phone.locator("main")
    expect(main).to_contain_text("Pagu 400 juta")
    expect(main).to_contain_text("Pagu 800 juta")
    assert fits_the_screen(phone), "the comparison is wider than a 360-px phone"
    screenshot(phone, "rencana-banding", full_page=True)
