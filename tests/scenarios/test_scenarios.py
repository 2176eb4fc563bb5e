"""Saved plan scenarios on the small world: the service, the pages, who may see them, bad input.

The solver runs for real (the small world's plan takes about ten seconds); the
scenario made through the web form is shared by the page tests of this module.
"""

from __future__ import annotations

import copy
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from mutu.domain.errors import MutuValueError
from mutu.scenarios.models import PlanScenario
from mutu.scenarios.selectors import with_planning
from mutu.scenarios.services import check_budget, check_floor, scenario_create, scenario_store
from tests.dashboard.world import DashboardWorld

BUDGET = "400.000.000"


def client_for(world: DashboardWorld, role: str, lang: str = "id") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(world.users[role])
    return client


@pytest.fixture(scope="module")
def saved(world: DashboardWorld, django_db_blocker: Any) -> PlanScenario:
    """A scenario made through the form (htmx), as an analyst would: the solver runs here."""
    with django_db_blocker.unblock():
        answer = client_for(world, "analyst").post(
            reverse("scenarios:new"),
            {
                "name": "Dasar 2027",
                "year": str(world.year + 1),
                "budget": BUDGET,
                "fairness_floor": "0,02",
            },
            HTTP_HX_REQUEST="true",
        )
        assert answer.status_code == 204, answer.content[:500]
        scenario = PlanScenario.objects.get(name="Dasar 2027")
        assert answer["HX-Redirect"] == reverse("scenarios:detail", args=[scenario.pk])
        return scenario


# --------------------------------------------------------------------------- the service


@pytest.mark.django_db
def test_the_form_runs_the_plan_as_mutu_plan_does_and_stores_it(
    world: DashboardWorld, saved: PlanScenario
) -> None:
    plan = saved.plan
    assert saved.year == world.year + 1 and float(saved.budget) == 400_000_000
    assert saved.fairness_floor == pytest.approx(0.02)
    assert saved.created_by == world.users["analyst"]
    # the keys mutu plan writes (the same function makes both)
    assert {"year", "reference_year", "evaluation", "budget", "total_cost", "objective"} <= set(
        plan
    )
    assert {"activities", "below_20jp", "coverage_curve", "needs", "mip_gap"} <= set(plan)
    assert plan["budget"] == 400_000_000 and plan["total_cost"] <= plan["budget"]
    assert plan["fairness_floor"] == pytest.approx(0.02)
    assert plan["evaluation"]["run"] == world.run.pk
    for act in plan["activities"]:
        assert sum(act["seats_per_unit"].values()) == act["seats"]
    found = [c["objective"] for c in plan["coverage_curve"] if c["objective"] is not None]
    assert found == sorted(found) and len(found) >= 4
    part = saved.participation
    assert part is not None
    assert {"funnel", "model", "incentive_effect", "policies"} <= set(part)
    auc = part["model"]["validation"]["auc"]
    assert auc["ci_low"] < auc["auc"] < auc["ci_high"]


@pytest.mark.parametrize(
    ("field", "value", "fragments"),
    [
        ("name", "  ", ["Nama skenario wajib", "needs a name"]),
        ("name", "x" * 121, ["paling banyak 120", "at most 120"]),
        ("year", "dua ribu", ["Tahun rencana harus", "plan year must"]),
        ("year", "2040", ["Tahun 2040 tidak dikenal", "Unknown year 2040"]),
        ("budget", "-1", ["Anggaran harus", "The budget must"]),
        ("budget", "satu miliar", ["tidak negatif", "non-negative"]),
        ("budget", "0", ["lebih dari Rp 0", "more than Rp 0"]),
        ("fairness_floor", "2", ["Batas keadilan", "fairness floor must"]),
        ("fairness_floor", "banyak", ["antara 0 dan 1", "between 0 and 1"]),
    ],
)
@pytest.mark.django_db
def test_bad_input_is_refused_in_both_languages_and_writes_nothing(
    world: DashboardWorld, field: str, value: str, fragments: list[str]
) -> None:
    data = {"name": "Coba", "year": str(world.year + 1), "budget": BUDGET, "fairness_floor": ""}
    data[field] = value
    before = PlanScenario.objects.count()
    with pytest.raises(MutuValueError) as info:
        scenario_create(**data, created_by=None)  # type: ignore[arg-type]
    assert fragments[0] in info.value.message("id")
    assert fragments[1] in info.value.message("en")
    for lang, fragment in zip(("id", "en"), fragments, strict=True):
        answer = client_for(world, "admin", lang).post(reverse("scenarios:new"), data)
        assert answer.status_code == 400
        text = answer.content.decode()
        assert 'data-testid="scenario-error"' in text
        assert fragment.replace("'", "&#x27;") in text
        assert 'value="Coba"' in text or field == "name"  # what was typed stays in the form
    assert PlanScenario.objects.count() == before


def test_budgets_and_floors_are_read_the_indonesian_way() -> None:
    assert check_budget("2.390.090.000") == 2_390_090_000
    assert check_budget("Rp 1,250,000") == 1_250_000
    assert check_budget(5e8) == 5e8
    assert check_floor("0,02") == pytest.approx(0.02)
    assert check_floor("2%") == pytest.approx(0.02)
    assert check_floor("") is None and check_floor(None) is None


@pytest.mark.django_db
def test_mutu_plan_save_stores_the_plan_it_writes(world: DashboardWorld, tmp_path: Path) -> None:
    target = tmp_path / "rencana.json"
    out = StringIO()
    call_command(
        "plan", "--year", str(world.year + 1), "--budget", "300000000", "--json", str(target),
        "--time-limit", "3", "--save", "Dari perintah", stdout=out,
    )  # fmt: skip
    assert "scenario saved" in out.getvalue()
    scenario = PlanScenario.objects.get(name="Dari perintah")
    assert scenario.plan == json.loads(target.read_text(encoding="utf-8"))
    assert scenario.participation is not None and scenario.created_by is None
    assert float(scenario.budget) == 300_000_000 and scenario.fairness_floor is None


# --------------------------------------------------------------------------- the pages


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "analyst"])
def test_planners_see_the_list_and_the_scenario(
    world: DashboardWorld, saved: PlanScenario, role: str
) -> None:
    client = client_for(world, role)
    listing = client.get(reverse("scenarios:list")).content.decode()
    assert "Dasar 2027" in listing and reverse("scenarios:detail", args=[saved.pk]) in listing
    assert "Rp 400 juta" in listing  # the budget, the Indonesian way
    page = client.get(reverse("scenarios:detail", args=[saved.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    plan = saved.plan
    assert 'id="ch-curve"' in text and "<svg" in text
    assert 'data-testid="plan-activities"' in text
    run = next(a for a in plan["activities"] if a["classes"] > 0)
    assert f">{run['activity']}</td>" in text
    gap = plan["mip_gap"]
    if gap and gap > 1e-9:
        assert "celah terbukti" in text or "proven gap" in text
    assert 'data-source="/below_20jp/after"' in text
    assert "AUC" in text  # the participation analysis, with its interval
    nav = client.get(reverse("web:home"), follow=True).content.decode()
    assert reverse("scenarios:list") in nav


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["head", "operator", "trainer", "participant", "supervisor"])
def test_other_roles_are_refused(world: DashboardWorld, saved: PlanScenario, role: str) -> None:
    client = client_for(world, role)
    for url in (
        reverse("scenarios:list"),
        reverse("scenarios:new"),
        reverse("scenarios:detail", args=[saved.pk]),
        reverse("scenarios:compare") + f"?s={saved.pk}&s={saved.pk}",
    ):
        assert client.get(url).status_code == 403, url
    before = PlanScenario.objects.count()
    answer = client.post(
        reverse("scenarios:new"),
        {"name": "x", "year": str(world.year + 1), "budget": BUDGET},
    )
    assert answer.status_code == 403
    assert PlanScenario.objects.count() == before


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_and_missing_scenarios_are_404(
    world: DashboardWorld, saved: PlanScenario
) -> None:
    answer = Client().get(reverse("scenarios:detail", args=[saved.pk]))
    assert answer.status_code == 302 and answer["Location"].startswith("/masuk/")
    client = client_for(world, "admin")
    assert client.get(reverse("scenarios:detail", args=[saved.pk + 999])).status_code == 404


def _variant(saved: PlanScenario, name: str, factor: float) -> PlanScenario:
    plan = copy.deepcopy(saved.plan)
    plan["budget"] *= factor
    for point in plan["coverage_curve"]:
        point["budget"] *= factor
    return scenario_store(
        name=name, year=saved.year, budget=plan["budget"], fairness_floor=None, plan=plan,
        participation=None, created_by=None,
    )  # fmt: skip


@pytest.mark.django_db
def test_compare_sets_two_or_three_scenarios_side_by_side(
    world: DashboardWorld, saved: PlanScenario
) -> None:
    other = _variant(saved, "Dua kali", 2.0)
    third = _variant(saved, "Separuh", 0.5)
    client = client_for(world, "analyst", "en")
    url = reverse("scenarios:compare")
    for chosen in ([saved, other], [saved, other, third]):
        answer = client.get(url, {"s": [str(s.pk) for s in chosen]})
        assert answer.status_code == 200
        text = answer.content.decode()
        assert 'data-testid="compare-table"' in text and 'id="ch-compare"' in text
        for s in chosen:
            assert f"{s.name} (#{s.pk})" in text
        assert "PNS below the floor after" in text and "Proven bound" in text
    assert client.get(url).status_code == 200  # the choice, nothing chosen yet
    for bad, fragment in (
        ([str(saved.pk)], "Choose 2 or 3"),
        ([str(s.pk) for s in (saved, other, third)] + ["99999"], "Choose 2 or 3"),
        (["x", str(saved.pk)], "Unknown scenario choice"),
    ):
        answer = client.get(url, {"s": bad})
        assert answer.status_code == 400 and fragment in answer.content.decode()
    indonesian = client_for(world, "analyst").get(url, {"s": [str(saved.pk)]})
    assert "Pilih 2 atau 3 skenario" in indonesian.content.decode()
    assert client.get(url, {"s": [str(saved.pk), "99999"]}).status_code == 404


# --------------------------------------------------------------------------- the report


@pytest.mark.django_db
def test_the_report_takes_the_latest_scenario_of_its_year(
    world: DashboardWorld, saved: PlanScenario
) -> None:
    results = {"data": {"year": world.year}}
    assert with_planning(results, world.year - 5) is results
    newest = _variant(saved, "Terbaru", 1.5)
    added = with_planning(results, world.year)
    assert added["planning"] == newest.plan
    assert "participation_analysis" not in added  # the newest holds none
    assert added["planning_scenario"]["name"] == "Terbaru"
    assert "planning" not in results  # the stored results are not changed
    newest.delete()


@pytest.mark.django_db
def test_mutu_report_writes_sections_5_and_6_from_the_scenario(
    world: DashboardWorld, saved: PlanScenario, tmp_path: Path
) -> None:
    PlanScenario.objects.exclude(pk=saved.pk).delete()
    call_command("report", "--format", "html", "--lang", "en", "--out", str(tmp_path),
                 stdout=StringIO())  # fmt: skip
    html = next(tmp_path.glob("*.html")).read_text(encoding="utf-8")
    assert "Dasar 2027" in html and "fig-plan-curve" in html
    assert "Where the next rupiah goes" in html and "AUC" in html
    assert "planning has not been run" not in html
