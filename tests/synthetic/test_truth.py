"""The planted truth: five estimands, exact zeros under null, plausible sizes."""

from __future__ import annotations

import json

import pytest

from mutu.synthetic import ESTIMANDS, World
from mutu.synthetic.output import json_bytes

#: The stated ranges of the baseline scenario (docs/synthetic-world.md).
BASELINE_RANGES = {
    "learning_gain": (10.0, 15.0),
    "workplan_quality_att": (0.3, 0.4),
    "ikm_att": (2.0, 3.0),
    "incentive_attendance_effect": (10.0, 15.0),
    "magang_months_to_proficiency_diff": (-6.0, -4.0),
}


def test_truth_has_the_five_estimands(world: World) -> None:
    est = world.truth["estimands"]
    assert set(est) == set(ESTIMANDS)
    for e in est.values():
        assert {"value", "naive", "population", "definition", "unit", "n"} <= set(e)
        assert isinstance(e["value"], float)
        assert isinstance(e["naive"], float)
        assert e["n"] > 50
    assert world.truth["seed"] == 11
    assert world.truth["scenario"] == "baseline"
    json.loads(json_bytes(world.truth))


@pytest.mark.parametrize("name", ESTIMANDS)
def test_baseline_effects_are_in_their_stated_ranges(world: World, name: str) -> None:
    lo, hi = BASELINE_RANGES[name]
    assert lo <= world.truth["estimands"][name]["value"] <= hi


def test_null_makes_every_estimand_exactly_zero(null_world: World) -> None:
    for name in ESTIMANDS:
        assert null_world.truth["estimands"][name]["value"] == 0.0
    effects = null_world.truth["design"]["effects"]
    assert effects["magang_factor"] == 1.0
    assert all(v == 0.0 for k, v in effects.items() if k != "magang_factor")


def test_null_changes_nothing_but_the_effects(world: World, null_world: World) -> None:
    """Same people, units, activities, nominations, offers and adoption (common random numbers)."""
    for name in ("employees", "units", "positions", "performance_records", "activities",
                 "activity_sessions", "program_units", "budget_lines", "internships"):  # fmt: skip
        assert world.frames[name].equals(null_world.frames[name]), name
    for name in ("enrollments", "incentive_offers"):
        keys = ["activity", "nip"]
        assert world.frames[name][keys].equals(null_world.frames[name][keys]), name
    skm = world.frames["responses"].query("instrument == 'SKM'")
    skm0 = null_world.frames["responses"].query("instrument == 'SKM'")
    assert len(skm) == len(skm0)
    # The incentive moves attendance only among the offered.
    a, b = world.frames["attendance"], null_world.frames["attendance"]
    offered = world.frames["incentive_offers"].set_index(["activity", "nip"]).index
    differs = a.loc[a["present"] != b["present"]].set_index(["activity", "nip"]).index
    assert differs.isin(offered).all()


def test_strong_is_about_double(world: World, strong_world: World) -> None:
    for name in ESTIMANDS:
        ratio = (
            strong_world.truth["estimands"][name]["value"] / world.truth["estimands"][name]["value"]
        )
        assert 1.6 < ratio < 2.4, (name, ratio)


def test_naive_comparisons_are_biased_in_baseline(world: World) -> None:
    est = world.truth["estimands"]
    wp = est["workplan_quality_att"]
    assert wp["naive"] - wp["value"] > 0.25 * wp["value"]
    ikm = est["ikm_att"]
    assert ikm["value"] - ikm["naive"] > 1.0
    inc = est["incentive_attendance_effect"]
    assert inc["value"] - inc["naive"] > 5.0


def test_design_records_selection_adoption_and_budget(world: World) -> None:
    design = world.truth["design"]
    assert {"effects", "selection", "adoption_years", "budget", "rules", "rulebooks"} <= set(design)
    adoption = world.frames["program_units"].set_index("unit")["adoption_year"]
    for unit, year in design["adoption_years"].items():
        assert (None if adoption.isna()[unit] else int(adoption[unit])) == year
