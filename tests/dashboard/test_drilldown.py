"""Unit, activity and person pages: their figures against the stored evaluation and the data."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client

from mutu.accounts.scope import unit_subtree
from mutu.people.models import Employee, Unit
from mutu.programs.models import Activity, JpLedgerEntry
from mutu.reporting.formatting import format_value
from tests.dashboard.pages import cell, page
from tests.dashboard.world import DashboardWorld

pytestmark = pytest.mark.django_db


def tile(text: str, label: str) -> str:
    """The value of the tile with this label."""
    match = re.search(
        r'<div class="label">' + re.escape(label) + r'</div>\s*<div class="value[^"]*">([^<]*)',
        text,
    )
    assert match is not None, label
    return html.unescape(match.group(1)).strip()


def pooled_share(world: DashboardWorld, unit: Unit, year: int) -> float:
    """Σ compliant / Σ PNS over the unit's subtree, from the stored per-unit indices."""
    codes = Unit.objects.filter(pk__in=unit_subtree([unit.pk])).values_list("code", flat=True)
    rows = [world.results["indices"]["units"].get(c, {}).get(str(year), {}) for c in codes]
    n = sum(r["jp"]["n_pns"] for r in rows if "jp" in r)
    k = sum(r["jp"]["pns_compliant"] for r in rows if "jp" in r)
    return k / n


def test_a_unit_page_pools_its_sub_units_and_follows_the_year(
    world: DashboardWorld, client: Client
) -> None:
    assert world.head_unit is not None
    client.force_login(world.users["head"])
    label = "PNS meeting the 20 JP floor"
    for year in (world.year, world.year - 2):
        text = page(client, f"/dasbor/unit/{world.head_unit.code}/?tahun={year}", lang="en")
        expected = format_value(pooled_share(world, world.head_unit, year), "percent", 1, "en")
        assert tile(text, label) == expected
        assert f'<option value="{year}" selected>' in text
    # the regency column of the trend table is the stored regency value
    share = world.results["indices"]["regency"][str(world.year)]["jp"]["share_pns_compliant"]
    source = f"/indices/regency/{world.year}/jp/share_pns_compliant"
    assert cell(page(client, f"/dasbor/unit/{world.head_unit.code}/"), source) == format_value(
        share, "percent", 1, "id"
    )


def test_a_leaf_unit_shows_its_stored_figure(world: DashboardWorld, client: Client) -> None:
    y = str(world.year)
    units = world.results["indices"]["units"]
    leaf = next(
        u
        for u in Unit.objects.filter(children__isnull=True).order_by("code")
        if units.get(u.code, {}).get(y, {}).get("jp", {}).get("n_pns", 0) >= 5
    )
    client.force_login(world.users["admin"])
    text = page(client, f"/dasbor/unit/{leaf.code}/", lang="en")
    stored = units[leaf.code][y]["jp"]["share_pns_compliant"]
    assert tile(text, "PNS meeting the 20 JP floor") == format_value(stored, "percent", 1, "en")


def test_a_unit_with_fewer_than_five_pns_is_withheld(world: DashboardWorld, client: Client) -> None:
    y = str(world.year)
    units = world.results["indices"]["units"]
    small = next(
        u
        for u in Unit.objects.filter(children__isnull=True).order_by("code")
        if 0 < units.get(u.code, {}).get(y, {}).get("jp", {}).get("n_pns", 99) < 5
    )
    share = units[small.code][y]["jp"]["share_pns_compliant"]
    client.force_login(world.users["admin"])
    text = page(client, f"/dasbor/unit/{small.code}/", lang="en")
    assert tile(text, "PNS meeting the JP floor") == "withheld (n < 5)"
    # neither the tile nor the trend table gives the value away
    assert f">{format_value(share, 'percent', 1, 'en')}<" not in text
    assert text.count("withheld (n &lt; 5)") >= 2  # the tile and the year's trend row
    # its people are still listed for those who may read them, with their own JP
    for person in Employee.objects.filter(unit=small, is_active=True):
        assert person.name in text


def test_an_activity_page_shows_schedule_attendance_and_its_l1_l2(
    world: DashboardWorld, client: Client
) -> None:
    rows = world.results["sections"]["l2_learning"]["tables"]["per_activity"]
    i, row = next((i, r) for i, r in enumerate(rows) if r["n"] >= 5)
    activity = Activity.objects.get(code=row["activity"])
    client.force_login(world.users["admin"])
    text = page(client, f"/dasbor/kegiatan/{activity.code}/")
    base = f"/sections/l2_learning/tables/per_activity/{i}"
    assert cell(text, f"{base}/mean_pre") == format_value(row["mean_pre"], "decimal", 1, "id")
    assert cell(text, f"{base}/mean_post") == format_value(row["mean_post"], "decimal", 1, "id")
    assert 'id="ch-l2"' in text
    sessions = activity.sessions.count()
    assert sessions > 0 and text.count('<tr><td class="num">') >= sessions
    for name in activity.enrollments.values_list("employee__name", flat=True):
        assert name in text
    assert f"/ {sessions}</td>" in text  # sessions attended of those held


def test_an_activity_with_fewer_than_five_answers_is_withheld(
    world: DashboardWorld, client: Client
) -> None:
    rows = world.results["sections"]["l1_reaction"]["tables"]["per_activity"]
    i, row = next((i, r) for i, r in enumerate(rows) if r["n_respondents"] < 5)
    client.force_login(world.users["admin"])
    text = page(client, f"/dasbor/kegiatan/{row['activity']}/", lang="en")
    assert "Withheld: fewer than 5 people answered." in text
    assert f"/sections/l1_reaction/tables/per_activity/{i}/" not in text
    assert 'id="ch-l1"' not in text
    assert tile(text, "Reaction (L1)") == "withheld (n < 5)"


def test_a_person_page_shows_the_year_s_jp_against_the_floor(
    world: DashboardWorld, client: Client
) -> None:
    assert world.participant is not None and world.activity is not None
    client.force_login(world.users["participant"])
    person = world.participant
    for year in (world.year, world.year - 1):
        earned = JpLedgerEntry.objects.filter(
            employee=person, year=year, approval_status="approved"
        ).aggregate(t=Sum("jp"))["t"] or Decimal(0)
        text = page(client, f"/dasbor/pegawai/{person.pk}/?tahun={year}")
        shown = re.search(r'data-testid="jp-earned">([^<]*)<', text)
        assert shown is not None
        digits = 0 if earned == int(earned) else 1
        assert shown.group(1) == format_value(float(earned), "jp", digits, "id")
    text = page(client, f"/dasbor/pegawai/{person.pk}/")
    assert world.activity.code in text  # enrollments
    certificate = person.enrollments.filter(certificate__isnull=False).first()
    assert certificate is not None and certificate.certificate.number in text
    assert 'data-testid="performance"' in text and 'data-testid="competencies"' in text
