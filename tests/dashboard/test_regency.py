"""The regency dashboard: who sees it, its figures against the stored evaluation, the year."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from mutu.evaluations.models import EvaluationRun
from mutu.reporting.compose.estimands import claim_for, estimand_info
from mutu.reporting.compose.source import Results
from mutu.reporting.compose.summary import claim_label
from mutu.reporting.formatting import format_value
from tests.dashboard.pages import cell, kpi, page
from tests.dashboard.world import DashboardWorld

pytestmark = pytest.mark.django_db


def share_source(year: int) -> str:
    return f"/indices/regency/{year}/jp/share_pns_compliant"


def test_admin_and_analyst_see_the_regency_figures_of_the_stored_evaluation(
    world: DashboardWorld, client: Client
) -> None:
    year = world.year
    stored = world.results["indices"]["regency"][str(year)]
    for role in ("admin", "analyst"):
        client.force_login(world.users[role])
        text = page(client, "/dasbor/")
        assert f'<option value="{year}" selected>' in text
        assert kpi(text, share_source(year)) == format_value(
            stored["jp"]["share_pns_compliant"], "percent", 1, "id"
        )
        assert kpi(text, f"/indices/regency/{year}/ip_asn/mean_total") == format_value(
            stored["ip_asn"]["mean_total"], "decimal", 1, "id"
        )
        assert kpi(text, f"/indices/regency/{year}/skm/ikm") == format_value(
            stored["skm"]["ikm"], "decimal", 2, "id"
        )
        # every chart is drawn inline by the report's engine, with tooltips
        assert text.count("<svg") >= 8
        assert 'id="ch-jp"' in text and "<title>" in text
        for panel in ("jp", "ip-asn", "ikm", "effects", "funnel", "budget", "units"):
            assert f'data-testid="panel-{panel}"' in text


def test_figures_are_written_the_indonesian_way_and_switch_to_english(
    world: DashboardWorld, client: Client
) -> None:
    client.force_login(world.users["admin"])
    value = world.results["indices"]["regency"][str(world.year)]["jp"]["share_pns_compliant"]
    indonesian = kpi(page(client, "/dasbor/"), share_source(world.year))
    english = kpi(page(client, "/dasbor/", lang="en"), share_source(world.year))
    assert indonesian == format_value(value, "percent", 1, "id")
    assert english == format_value(value, "percent", 1, "en")
    assert "," in indonesian and "." in english  # 14,2% against 14.2%


def test_the_headline_estimates_show_their_interval_and_the_holm_verdict(
    world: DashboardWorld, client: Client
) -> None:
    client.force_login(world.users["analyst"])
    text = page(client, "/dasbor/")
    res = Results(world.results)
    assert len(world.results["estimands"]) == 5
    with translation.override("id"):
        for key, record in world.results["estimands"].items():
            info = estimand_info(key, res)
            assert cell(text, f"/estimands/{key}/estimate") == format_value(
                record["estimate"], info.kind, info.digits, "id", signed=True
            )
            interval = cell(text, f"/estimands/{key}/ci_low")
            low = format_value(record["ci_low"], info.kind, info.digits, "id", unit=False)
            high = format_value(record["ci_high"], info.kind, info.digits, "id", unit=False)
            assert interval == f"{low} – {high}"
            verdict = claim_label(claim_for(res, key))
            row = text[text.index(f'data-source="/estimands/{key}/estimate"') :]
            assert verdict in row[: row.index("</tr>")]
            # "significant" only where the Holm-corrected p is below the level
            if record["p_adjusted"] >= 0.05:
                assert not claim_for(res, key).significant


def test_the_year_selector_changes_the_numbers(world: DashboardWorld, client: Client) -> None:
    client.force_login(world.users["admin"])
    regency = world.results["indices"]["regency"]
    first = min(int(y) for y in regency)
    old, new = (regency[str(y)]["jp"]["share_pns_compliant"] for y in (first, world.year))
    assert format_value(old, "percent", 1, "id") != format_value(new, "percent", 1, "id")
    text = page(client, f"/dasbor/?tahun={first}")
    assert f'<option value="{first}" selected>' in text
    assert kpi(text, share_source(first)) == format_value(old, "percent", 1, "id")
    assert f'data-source="{share_source(world.year)}"><div' not in text
    # the funnel and the tiles follow the year too
    funnel = world.results["sections"]["participation"]["tables"]["funnel_by_year"]
    row = next(i for i, r in enumerate(funnel) if r["year"] == first)
    source = f"/sections/participation/tables/funnel_by_year/{row}/nominated"
    assert cell(text, source) == format_value(funnel[row]["nominated"], "count", 0, "id")
    # the headline estimates are the evaluated year's, and the page says so
    english = page(client, f"/dasbor/?tahun={first}", lang="en")
    assert f"The headline estimates are those of {world.year}" in english
    assert f"mutu evaluate --year {first}" in english
    assert "The headline estimates are those of" not in page(client, "/dasbor/", lang="en")


def test_a_year_without_data_falls_back_to_the_latest_with_a_message(
    world: DashboardWorld, client: Client
) -> None:
    client.force_login(world.users["admin"])
    for bad, echoed in (("1999", "1999"), ("tahun-lalu", "tahun-la")):
        text = page(client, f"/dasbor/?tahun={bad}")
        assert f'<option value="{world.year}" selected>' in text
        warning = text[text.index('<li class="warning">') :]
        assert echoed in warning[: warning.index("</li>")]
        assert str(world.year) in warning[: warning.index("</li>")]


def test_small_groups_are_withheld_in_the_ikm_ranking(
    world: DashboardWorld, client: Client
) -> None:
    client.force_login(world.users["admin"])
    y = str(world.year)
    units = world.results["indices"]["units"]
    small = [c for c, v in units.items() if "skm" in v.get(y, {}) and v[y]["skm"]["n"] < 5]
    shown = [c for c, v in units.items() if "skm" in v.get(y, {}) and v[y]["skm"]["n"] >= 5]
    assert shown
    text = page(client, "/dasbor/")
    for code in shown:
        assert cell(text, f"/indices/units/{code}/{y}/skm/ikm") == format_value(
            units[code][y]["skm"]["ikm"], "decimal", 2, "id"
        )
        assert f'href="/dasbor/unit/{code}/?tahun={world.year}"' in text
    for code in small:
        assert f'data-source="/indices/units/{code}/{y}/skm/ikm"' not in text


def test_without_a_stored_evaluation_the_page_says_to_run_mutu_evaluate(
    world: DashboardWorld, client: Client
) -> None:
    EvaluationRun.objects.all().delete()  # rolled back after the test
    client.force_login(world.users["admin"])
    text = page(client, "/dasbor/")
    assert 'data-testid="no-evaluation"' in text
    assert "mutu evaluate" in text
    client.force_login(world.users["analyst"])
    text = page(client, "/dasbor/")
    assert 'data-testid="no-evaluation"' in text and "mutu evaluate" not in text
