"""Sections 5 and 6 with a saved plan scenario: what the budget buys, non-attendance, incentives.

The plan and the participation analysis are computed by the pure core on the
synthetic world (seed 11, ``kecil``), as ``mutu plan`` and ``mutu participation``
would from the database, and passed to the composer under ``planning`` and
``participation_analysis``. Checks: every printed number is the number at its
source; the AUC and every policy come with their intervals; the recommendation
names the policy with the largest uplift per offer and the activities with most
expected JP per rupiah; without a scenario the report says planning has not
been run and prints no planning number.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import translation

from mutu.evaluation.pipeline import evaluate
from mutu.planning.budget import build_problem, plan_with_curve
from mutu.planning.catalogue import activity_catalogue
from mutu.planning.needs import needs_analysis
from mutu.planning.participation import participation_analysis
from mutu.planning.weights import effectiveness_weights
from mutu.reporting import compose_report
from mutu.reporting.compose.planning import best_policy
from mutu.reporting.compose.source import Results
from mutu.reporting.formatting import format_value
from mutu.reporting.model import (
    Bullets,
    Figure,
    Paragraph,
    Report,
    iter_blocks,
    iter_numbers,
    iter_sections,
)
from mutu.reporting.renderers.common import Numbering, inline_text
from mutu.synthetic import generate_world, stored_view
from tests.reporting.helpers import untraced_numbers

DAY = dt.date(2026, 11, 28)


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(json.dumps(data, allow_nan=False, default=float))
    return out


@pytest.fixture(scope="module")
def world_json() -> dict[str, Any]:
    """Evaluation results, the plan (Rp 400 juta, floor 0.02) and the participation analysis."""
    frames = stored_view(generate_world(seed=11, scale="kecil").frames)
    results = _plain(evaluate(frames).to_json())
    year = int(results["data"]["year"]) + 1
    needs = needs_analysis(frames, year=year)
    types = activity_catalogue(frames, year=needs.year)
    weights, warnings = effectiveness_weights(results, types)
    problem = build_problem(needs, types, weights, frames)
    plan = plan_with_curve(
        problem, 400_000_000, fairness_floor=0.02, time_limit=3, warnings=warnings
    )
    part = participation_analysis(frames, results, year=year, draws=300)
    return {
        "results": results,
        "planning": _plain({"year": year, "reference_year": needs.year, **plan.to_json()}),
        "participation_analysis": _plain(part.to_json()),
    }


def _with(world_json: dict[str, Any], *parts: str) -> dict[str, Any]:
    results = dict(world_json["results"])
    for part in parts:
        results[part] = world_json[part]
    if parts:
        results["planning_scenario"] = {"id": 1, "name": "Dasar", "year": 2027}
    return results


def _section_text(report: Report, number: str) -> str:
    numbering = Numbering(report)
    out: list[str] = []
    with translation.override(report.lang):
        for section in iter_sections(report.sections):
            if section.number != number:
                continue
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    out.append(inline_text(block.parts, report.lang, numbering))
                elif isinstance(block, Bullets):
                    out.extend(inline_text(i, report.lang, numbering) for i in block.items)
    return "\n".join(out)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    "parts", [("planning", "participation_analysis"), ("planning",), ()], ids=str
)
def test_every_number_is_the_number_in_the_json(
    world_json: dict[str, Any], lang: str, parts: tuple[str, ...]
) -> None:
    results = _with(world_json, *parts)
    report = compose_report(results, lang=lang, date=DAY, synthetic=True)
    assert untraced_numbers(report, results) == []
    sources = [n.source for n in iter_numbers(report)]
    for part in ("planning", "participation_analysis"):
        printed = any(s.startswith(f"/{part}/") for s in sources)
        assert printed == (part in parts), part


def test_section_5_says_what_the_budget_buys_and_carries_every_interval(
    world_json: dict[str, Any],
) -> None:
    results = _with(world_json, "planning", "participation_analysis")
    report = compose_report(results, lang="en", date=DAY, synthetic=True)
    text = _section_text(report, "5")
    plan, part = world_json["planning"], world_json["participation_analysis"]

    def en(value: float, kind: str, digits: int, **kw: Any) -> str:
        with translation.override("en"):  # unit words follow the active language
            return format_value(value, kind, digits, "en", **kw)  # type: ignore[arg-type]

    below = plan["below_20jp"]
    assert f"{en(below['before'], 'count', 0)} PNS are below the floor" in text
    assert f"leaves {en(below['after'], 'count', 0)} PNS below the floor" in text
    assert en(plan["objective"], "decimal", 1) in text
    assert f"at most {en(plan['mip_gap'], 'percent', 2)} short of the best" in text
    auc = part["model"]["validation"]["auc"]
    assert (
        f"AUC of {en(auc['auc'], 'decimal', 3)} (95% CI {en(auc['ci_low'], 'decimal', 3)} "
        f"to {en(auc['ci_high'], 'decimal', 3)}"
    ) in text
    for row in part["policies"]:
        if row["policy"] not in ("everyone", "far", "predicted_low"):
            continue
        up = row["uplift_pp_per_offer"]
        assert (
            f"{en(up['mean'], 'percent_points', 1)} (95% interval "
            f"{en(up['ci_low'], 'percent_points', 1, unit=False)} to "
            f"{en(up['ci_high'], 'percent_points', 1, unit=False)})"
        ) in text
    assert any(f.id == "fig-plan-curve" for f in _figures(report))


def _figures(report: Report) -> list[Any]:
    return [b for b in iter_blocks(report) if isinstance(b, Figure)]


def test_section_6_cites_the_next_rupiah_and_the_best_policy(world_json: dict[str, Any]) -> None:
    results = _with(world_json, "planning", "participation_analysis")
    report = compose_report(results, lang="en", date=DAY, synthetic=True)
    text = _section_text(report, "6.2")
    acts = [a for a in world_json["planning"]["activities"] if a["cost"] > 0]
    top = max(acts, key=lambda a: a["expected_jp"] / a["cost"])
    assert "Where the next rupiah goes" in text
    assert f"are {top['activity']} (" in text
    policies = world_json["participation_analysis"]["policies"]
    best = best_policy(Results(results))
    assert best is not None
    targeted = [p for p in policies if p["policy"] in ("everyone", "far", "predicted_low")]
    expected = max(targeted, key=lambda p: p["uplift_pp_per_offer"]["mean"])
    assert policies[best]["policy"] == expected["policy"]
    assert "Incentives: offer" in text and "per offer" in text and "95% interval" in text


def test_without_a_scenario_the_report_says_planning_has_not_been_run(
    world_json: dict[str, Any],
) -> None:
    for lang, words in (("en", "planning has not been run"), ("id", "")):
        report = compose_report(_with(world_json), lang=lang, date=DAY, synthetic=True)
        text = _section_text(report, "5")
        if words:
            assert words in text
        assert "Where the next rupiah goes" not in _section_text(report, "6.2")
        assert not any(
            n.source.startswith(("/planning", "/participation_analysis"))
            for n in iter_numbers(report)
        )


def test_no_policy_is_recommended_without_an_interval_above_zero(
    world_json: dict[str, Any],
) -> None:
    results = _with(world_json, "planning", "participation_analysis")
    part = json.loads(json.dumps(results["participation_analysis"]))
    for row in part["policies"]:
        if row["uplift_pp_per_offer"]:
            row["uplift_pp_per_offer"]["ci_low"] = -1.0
    results["participation_analysis"] = part
    assert best_policy(Results(results)) is None
    report = compose_report(results, lang="en", date=DAY, synthetic=True)
    assert "no simulated policy raises attendance" in _section_text(report, "6.2")
    assert untraced_numbers(report, results) == []
