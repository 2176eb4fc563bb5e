"""Participation on the kabupaten world: the funnel, the held-out model, incentive policies.

The world (seed 11) plants attendance as a logit with an incentive shift
``design.effects.incentive`` (0.68 on the log-odds) and writes the resulting
``incentive_attendance_effect`` (an ATT in percentage points) into its truth.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.planning.participation import (
    ParticipationResult,
    incentive_effect,
    nominations_table,
    participation_analysis,
)
from mutu.synthetic import World
from mutu.synthetic.program import LINE_BY_CODE
from tests.planning.conftest import Kabupaten


@pytest.fixture(scope="session")
def analysis(kabupaten: Kabupaten) -> ParticipationResult:
    _, frames, evaluation = kabupaten
    return participation_analysis(frames, evaluation, year=2027, draws=2000)


def planted_uplift(world: World, rows: pd.DataFrame) -> float:
    """Mean P(attend | offer) − P(attend | no offer) of ``rows`` under the world's own model."""
    f = world.frames
    sel = world.truth["design"]["selection"]
    gamma = world.truth["design"]["effects"]["incentive"]
    acts = f["activities"].set_index("code")
    emp = f["employees"].set_index("nip")
    units = f["units"].set_index("code")
    km = f["kecamatan"].set_index("code")["distance_km"]
    person = emp.loc[rows["nip"].to_numpy()]
    unit = units.loc[person["unit"].to_numpy()]
    start = acts.loc[rows["activity"].to_numpy(), "start_date"].to_numpy().astype("datetime64[D]")
    birth = person["birth_date"].to_numpy().astype("datetime64[D]")
    age10 = (start - birth).astype(np.int64) / 3652.5 - 4.0
    line = acts.loc[rows["activity"].to_numpy(), "line"].to_numpy()
    eta = (
        np.array([LINE_BY_CODE[x].intercept for x in line])
        + sel["att_distance10"] * km.loc[unit["kecamatan"].to_numpy()].to_numpy() / 10.0
        + sel["att_workload"] * unit["workload"].to_numpy(dtype=float)
        + sel["att_age10"] * age10
        + sel["att_part_time"] * (person["employment_type"].to_numpy() == "part_time")
    )
    p0 = 1 / (1 + np.exp(-eta))
    p1 = 1 / (1 + np.exp(-(eta + gamma)))
    return float(np.mean(p1 - p0))


def policy(result: ParticipationResult, name: str) -> dict[str, Any]:
    rows = result.policies[result.policies["policy"] == name]
    assert len(rows) == 1
    row: dict[str, Any] = rows.iloc[0].to_dict()
    return row


def test_uplift_on_the_offered_agrees_with_the_planted_effect(
    kabupaten: Kabupaten,
    analysis: ParticipationResult,
) -> None:
    world, _, _ = kabupaten
    truth = world.truth["estimands"]["incentive_attendance_effect"]["value"]
    check = analysis.transported["uplift_pp_on_offered"]
    assert check["ci_low"] < truth < check["ci_high"]
    # the shift on the log-odds the simulation carries is the planted one
    shift = analysis.transported["log_odds_shift"]
    assert shift["ci_low"] < world.truth["design"]["effects"]["incentive"] < shift["ci_high"]


def test_offering_everyone_next_year_agrees_with_the_planted_model(
    kabupaten: Kabupaten,
    analysis: ParticipationResult,
) -> None:
    world, frames, _ = kabupaten
    noms = nominations_table(frames)
    last = noms[noms["year"] == analysis.reference_year]
    row = policy(analysis, "everyone")
    assert row["n_offered"] == len(last)
    truth_pp = 100 * planted_uplift(world, last)
    per_offer = row["uplift_pp_per_offer"]
    assert per_offer["ci_low"] < truth_pp < per_offer["ci_high"]
    # more offers never buy fewer attendances, and no offer buys none
    assert policy(analysis, "none")["extra_attendance"]["mean"] == 0
    for name in ("far", "predicted_low", "as_offered"):
        assert policy(analysis, name)["extra_attendance"]["mean"] <= row["extra_attendance"]["mean"]
    # the far and the predicted low attenders gain more per offer than the average nominee
    assert policy(analysis, "far")["uplift_pp_per_offer"]["mean"] > per_offer["mean"]


def test_funnel_stages_only_narrow_and_bands_are_ordered(analysis: ParticipationResult) -> None:
    for name, table in analysis.funnels.items():
        assert (table["nominated"] >= table["registered"]).all(), name
        assert (table["registered"] >= table["attended"]).all(), name
        assert (table["attended"] >= table["completed"]).all(), name
        assert (table["testable"] >= table["tested"]).all(), name
    bands = analysis.funnels["by_distance_band"]
    assert list(bands.index) == ["0-5 km", "5-10 km", "10-20 km", "20-40 km", ">40 km"]
    rates = bands["attended_rate"].to_numpy()
    assert rates[0] > rates[-1]  # the planted fall of attendance with distance
    assert list(analysis.funnels["by_age_band"].index) == ["<=30", "30-40", "40-50", ">50"]
    assert analysis.funnels["overall"]["nominated"].iloc[0] == 6232


def test_the_model_is_validated_on_a_later_year_it_did_not_see(
    analysis: ParticipationResult,
) -> None:
    v = analysis.validation
    assert v is not None
    assert v.split == "temporal: fitted on 2023-2025, tested on 2026"
    assert v.n_train + v.n_test == analysis.model.n
    assert 0.6 < v.auc.auc < 0.9  # reported as it is: a modest, real discrimination
    assert v.auc.ci_low < v.auc.auc < v.auc.ci_high
    assert v.auc_hanley_mcneil.auc == v.auc.auc
    table = v.calibration.table
    assert table["n"].sum() == v.n_test
    assert table["mean_predicted"].is_monotonic_increasing
    coef = analysis.model.table().set_index("term")["coef"]
    assert coef["distance10"] < 0  # farther away, fewer come
    out = analysis.to_json()
    assert out["model"]["validation"]["auc"]["method"].startswith("DeLong")
    assert len(out["model"]["validation"]["calibration"]) == 10


def test_costs_are_carried_through_the_draws(
    kabupaten: Kabupaten,
) -> None:
    _, frames, evaluation = kabupaten
    res = participation_analysis(
        frames, evaluation, year=2027, draws=300, offer_cost=10_000.0, attendee_cost=100_000.0
    )
    row = policy(res, "everyone")
    n = row["n_offered"]
    attend = row["expected_attendance"]["mean"] - policy(res, "none")["expected_attendance"]["mean"]
    assert row["cost"]["mean"] > n * 10_000.0
    assert row["cost"]["ci_low"] < row["cost"]["mean"] < row["cost"]["ci_high"]
    assert attend > 0
    assert row["cost_per_extra_attendance"]["mean"] > 0
    assert res.summary("en").startswith("6,232 nominations")
    assert res.summary("id").startswith("6.232 nominasi")


def test_without_an_incentive_effect_there_is_no_simulation_but_a_warning(
    kabupaten: Kabupaten,
) -> None:
    _, frames, evaluation = kabupaten
    assert incentive_effect({}) is None
    res = participation_analysis(frames, {"plan": evaluation["plan"]}, year=2026, draws=200)
    assert res.policies.empty
    assert any("no incentive effect" in w for w in res.warnings)
    with pytest.raises(MutuValueError, match="No nominations up to 2020"):
        participation_analysis(frames, evaluation, year=2020)
