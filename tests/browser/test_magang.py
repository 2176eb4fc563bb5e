"""The internship in a browser: an intern writes a week on a phone, the mentor reviews, scores.

The served demo world's placements are history or nearly over, so a placement
running today (four weeks in, four to go: its midpoint is today) is made in the
served database first, through the project's services in a process of its own
(as ``tests.browser.world`` builds the world): a young ASN eligible on its
start, placed at Universitas Gunung Leuser under a fresh agreement, mentored by
``demo-mentor``, with an account of their own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import (
    PASSWORD,
    PHONE,
    ROOT,
    Site,
    browser_context,
    fits_the_screen,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

INTERN = "magang-intern"

#: Run in the served database's process environment; prints the facts as JSON.
PREPARE = f"""
import datetime as dt, json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.config.settings")
django.setup()
from django.contrib.auth import get_user_model
from django.utils import timezone
from mutu.accounts.services import role_assign
from mutu.domain import magang
from mutu.internships.services import agreement_save, internship_mentor_link, internship_place
from mutu.people.models import Employee
from mutu.programs.models import Internship, Partner

today = timezone.localdate()
start, end = today - dt.timedelta(days=28), today + dt.timedelta(days=28)
placed = set(Internship.objects.values_list("employee_id", flat=True))
intern = next(
    e for e in Employee.objects.filter(is_active=True, status="PNS").order_by("-tmt_cpns", "nip")
    if e.pk not in placed
    and magang.eligible(status=e.status, birth_date=e.birth_date, tmt=e.tmt_cpns, on=start).eligible
)
partner = Partner.objects.get(name="Universitas Gunung Leuser")
agreement = agreement_save(
    agreement_id=None, partner_id=partner.pk, number="PKS-MAGANG-UJI", title="PKS magang (uji)",
    start=start, end=end, quota=5, contact_person="Dekan FKIP",
)
internship = internship_place(
    employee_id=intern.pk, host_partner_id=partner.pk, start=start, end=end,
    mentor_name="Robert Perangin-angin, S.T., M.T.", objectives="Menyusun modul ajar",
    agreement_id=agreement.pk,
)
internship_mentor_link(internship_id=internship.pk, username="demo-mentor")
user = get_user_model().objects.create_user(username="{INTERN}", password="{PASSWORD}")
role_assign(user_id=user.pk, role="participant", employee=intern)
print(json.dumps({{"pk": internship.pk, "name": intern.name}}))
"""


@pytest.fixture(scope="module")
def placement(site: Site) -> dict[str, Any]:
    """A placement running today in the served database (see the module)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{site.database}",
        "MUTU_HOME": str(site.database.parent),
        "MUTU_DEBUG": "0",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("MUTU_PRODUCTION", None)
    done = subprocess.run(
        [sys.executable, "-c", PREPARE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    facts: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return facts


def test_the_intern_writes_a_week_and_the_mentor_reviews_and_scores(
    browser: Browser, site: Site, placement: dict[str, Any]
) -> None:
    page_url = f"/magang/{placement['pk']}/"
    text = "Menyusun modul ajar IPA kelas VII bersama dosen pembimbing"

    # The intern, on a phone.
    intern = browser_context(browser, site, PHONE, is_mobile=True, has_touch=True)
    phone = intern.new_page()
    sign_in(phone, INTERN)
    phone.goto("/magang/")
    phone.locator(f'a[href="{page_url}"]').click()
    expect(phone.locator("main h1")).to_have_text(placement["name"])
    form = phone.get_by_test_id("log-form")
    form.locator("textarea[name=text]").fill(text)
    form.locator("button[type=submit]").click()
    expect(phone.locator(".messages")).to_be_visible()
    expect(phone.get_by_test_id("weeks")).to_contain_text(text)
    assert fits_the_screen(phone)
    phone.get_by_test_id("log-form").scroll_into_view_if_needed()
    screenshot(phone, "magang-logbook")
    written = site.query(
        "SELECT id, text, reviewed_at FROM programs_internshiplogentry WHERE internship_id = ?",
        placement["pk"],
    )
    assert [(row[1], row[2]) for row in written] == [(text, None)]
    intern.close()

    # The mentor (a lecturer from outside government), also on a phone.
    mentor = browser_context(browser, site, PHONE, is_mobile=True, has_touch=True)
    page = mentor.new_page()
    sign_in(page, "demo-mentor")
    page.goto(page_url)
    review = page.locator(f'form[action="/magang/catatan/{written[0][0]}/tinjau/"]')
    review.locator("textarea[name=comment]").fill("Bagus, lanjutkan dengan asesmen diagnostik.")
    review.locator("button[type=submit]").click()
    expect(page.get_by_test_id("weeks")).to_contain_text("asesmen diagnostik")
    rubric = page.get_by_test_id("rubric-mid")
    expect(rubric.get_by_test_id("mid-window")).to_be_visible()
    selects = rubric.locator("select")
    for i in range(selects.count()):
        selects.nth(i).select_option("3" if i % 2 else "4")
    rubric.locator("button[type=submit]").click()
    expect(page.get_by_test_id("rubric-mid")).to_contain_text("3,50")
    assert fits_the_screen(page)
    reviewed = site.query(
        "SELECT mentor_comment, reviewed_at IS NOT NULL FROM programs_internshiplogentry "
        "WHERE id = ?",
        written[0][0],
    )
    assert reviewed == [("Bagus, lanjutkan dengan asesmen diagnostik.", 1)]
    stages = site.query(
        "SELECT stage FROM programs_internshipassessment WHERE internship_id = ?", placement["pk"]
    )
    assert stages == [("mid",)]
    # The mentor reaches nothing but their interns.
    assert page.goto("/magang/mitra/").status == 404
    mentor.close()
