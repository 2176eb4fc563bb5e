"""Forms from a phone: a participant's post-test through their personal link, the citizens' SKM.

What the browser shows is checked against the served database too (read-only):
progress is kept as a draft on the server, a submitted link stores exactly
one response, and a citizen's answers are stored without anyone's identity.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, fits_the_screen, screenshot, sign_in

pytestmark = pytest.mark.browser


def answer(page: Page, numbers: range) -> None:
    """Tap one choice of each question numbered in ``numbers`` (1-based), a different one each."""
    questions = page.locator("fieldset.q")
    for number in numbers:
        choices = questions.nth(number - 1).locator("label.choice")
        choices.nth(number % choices.count()).click()


def answered(page: Page) -> list[bool]:
    """Per question, whether a choice is checked."""
    questions = page.locator("fieldset.q")
    return [
        questions.nth(i).locator("input:checked").count() == 1 for i in range(questions.count())
    ]


def link_row(site: Site) -> tuple[dict[str, Any], bool]:
    """The participant's post-test link in the served database: its draft and whether submitted."""
    ((draft, submitted),) = site.query(
        "SELECT l.draft, l.is_submitted FROM instruments_instrumentlink l "
        "JOIN instruments_activityinstrument a ON a.id = l.attachment_id "
        "WHERE l.enrollment_id = ? AND a.version_id = ? AND l.respondent_role = 'participant'",
        site.facts["participant_enrollment_pk"],
        site.facts["post_test_version_pk"],
    )
    return json.loads(draft or "{}"), bool(submitted)


def wait_for_draft(site: Site, size: int, seconds: float = 10) -> dict[str, Any]:
    """The server's draft once it holds ``size`` answers (changes are saved in the background)."""
    deadline = time.monotonic() + seconds
    while True:
        draft, _ = link_row(site)
        if len(draft) == size or time.monotonic() > deadline:
            return draft
        time.sleep(0.2)


def test_participant_fills_the_post_test_on_a_phone_saves_progress_and_submits_once(
    phone: Page, site: Site
) -> None:
    facts = site.facts
    link = f"/isian/{facts['post_test_token']}/"
    total = facts["post_test_questions"]
    half = total // 2

    phone.goto(link)
    expect(phone.locator("main h1")).to_have_text(facts["post_test_title"])
    expect(phone.locator("main")).to_contain_text(facts["activity_title"])
    expect(phone.locator("main")).to_contain_text(facts["participant_name"])
    assert phone.locator("fieldset.q").count() == total
    assert fits_the_screen(phone)
    screenshot(phone, "isian-ponsel")

    # The first half, answered and saved as the participant goes.
    answer(phone, range(1, half + 1))
    expect(phone.locator("#save-status")).to_contain_text("Tersimpan pukul")
    assert len(wait_for_draft(site, half)) == half
    phone.locator("#save-status").scroll_into_view_if_needed()
    screenshot(phone, "isian-tersimpan")

    # Opening the link again (a reload, or later from WhatsApp) shows those answers.
    phone.reload()
    assert answered(phone) == [True] * half + [False] * (total - half)
    # The same link, also open in a second tab, is filled in completely there too.
    stale = phone.context.new_page()
    stale.goto(link)
    assert answered(stale) == [True] * half + [False] * (total - half)
    answer(stale, range(half + 1, total + 1))
    assert len(wait_for_draft(site, total)) == total

    phone.bring_to_front()  # a tab in the background is throttled
    answer(phone, range(half + 1, total + 1))
    phone.get_by_test_id("submit").click()
    status = phone.get_by_test_id("link-status")
    expect(status.locator("h1")).to_have_text("Sudah dikirim")
    expect(status).to_contain_text("dari 100")  # a test shows its score
    assert fits_the_screen(phone)
    screenshot(phone, "isian-terkirim")

    # A second submission (the other tab) and a later visit are told it was sent already.
    stale.bring_to_front()
    stale.get_by_test_id("submit").click()
    expect(stale.get_by_test_id("link-status").locator("h1")).to_have_text("Sudah dikirim")
    again = phone.goto(link)
    assert again is not None and again.status == 200
    expect(phone.get_by_test_id("link-status").locator("h1")).to_have_text("Sudah dikirim")
    expect(phone.locator("fieldset.q")).to_have_count(0)

    # Stored exactly once, with every answer, under the participant's identity; no draft left.
    rows = site.query(
        "SELECT r.id, (SELECT COUNT(*) FROM instruments_answer a WHERE a.response_id = r.id) "
        "FROM instruments_response r JOIN instruments_responseidentity i ON i.response_id = r.id "
        "WHERE r.activity_id = ? AND r.version_id = ? AND r.occasion = 'post' "
        "AND i.employee_id = ?",
        facts["activity_pk"],
        facts["post_test_version_pk"],
        facts["participant_pk"],
    )
    assert len(rows) == 1 and rows[0][1] == total
    assert link_row(site) == ({}, True)


def test_participant_finds_the_open_forms_under_my_forms(phone: Page, site: Site) -> None:
    sign_in(phone, "demo-peserta")
    phone.goto("/isian/saya/")
    expect(phone.locator("main h1")).to_have_text("Isian saya")
    own = phone.get_by_test_id("own-forms")
    # `mutu demo` opened the reaction survey of the participant's latest activity …
    ((latest,),) = site.query(
        "SELECT a.title FROM programs_enrollment e "
        "JOIN programs_activity a ON a.id = e.activity_id "
        "WHERE e.employee_id = ? AND a.id <> ? ORDER BY a.start_date DESC LIMIT 1",
        site.facts["participant_pk"],
        site.facts["activity_pk"],
    )
    expect(own).to_contain_text(latest)
    # … and the training running today has its reaction survey open too.
    expect(own).to_contain_text(site.facts["activity_title"])
    assert own.locator("a.button").count() >= 2
    assert fits_the_screen(phone)
    screenshot(phone, "isian-saya")
    own.locator("a.button").first.click()
    expect(phone.locator("fieldset.q").first).to_be_visible()


def skm_count(site: Site) -> int:
    ((n,),) = site.query(
        "SELECT COUNT(*) FROM instruments_response r JOIN people_unit u ON u.id = r.unit_id "
        "WHERE u.code = ?",
        site.facts["skm_unit_code"],
    )
    return int(n)


def test_citizen_submits_the_skm_form_on_a_phone_and_is_thanked(phone: Page, site: Site) -> None:
    facts = site.facts
    before = skm_count(site)
    phone.goto(f"/isian/skm/{facts['skm_unit_code']}/")
    expect(phone.locator("main h1")).to_have_text("Survei Kepuasan Masyarakat")
    expect(phone.locator("main")).to_contain_text(facts["skm_unit_name"])
    expect(phone.get_by_test_id("logout")).to_have_count(0)  # no sign-in needed
    questions = phone.locator("fieldset.q")
    assert questions.count() == 9
    assert fits_the_screen(phone)
    screenshot(phone, "skm-ponsel")

    for i in range(questions.count()):
        choices = questions.nth(i).locator("label.choice")
        choices.nth(choices.count() - 1 - i % 2).click()  # "very good" and "good" in turn
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("skm-thanks")).to_contain_text(facts["skm_unit_name"])
    expect(phone.locator("main h1")).to_have_text("Terima kasih")
    assert phone.url.endswith(f"/isian/skm/{facts['skm_unit_code']}/terima-kasih/")
    assert fits_the_screen(phone)
    screenshot(phone, "skm-terima-kasih")

    assert skm_count(site) == before + 1
    ((answers, identities),) = site.query(
        "SELECT (SELECT COUNT(*) FROM instruments_answer a WHERE a.response_id = r.id), "
        "(SELECT COUNT(*) FROM instruments_responseidentity i WHERE i.response_id = r.id) "
        "FROM instruments_response r WHERE r.unit_id = (SELECT id FROM people_unit WHERE code = ?) "
        "ORDER BY r.id DESC LIMIT 1",
        facts["skm_unit_code"],
    )
    assert (answers, identities) == (9, 0)
