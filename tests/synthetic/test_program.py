"""The program, its money and what happens in it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mutu.domain.development_forms import get_form
from mutu.synthetic import World
from mutu.synthetic.program import UGL

from .helpers import employee_covariates, enrollments_with_attendance


def test_activities_use_development_form_codes_and_have_sessions(world: World) -> None:
    f = world.frames
    acts = f["activities"]
    for code in acts["form"].unique():
        assert get_form(code).code == code
    sessions = f["activity_sessions"]
    minutes = (sessions["ends_at"] - sessions["starts_at"]).dt.total_seconds() / 60
    jp = (minutes / 45).groupby(sessions["activity"]).sum()
    classical = acts[acts["line"] != "MAGANG"].set_index("code")["jp"]
    np.testing.assert_allclose(jp.reindex(classical.index), classical)
    assert (sessions["starts_at"].dt.day_of_week < 5).all()


def test_the_program_as_the_regency_runs_it(world: World) -> None:
    acts = world.frames["activities"]
    forms = set(acts["form"])
    assert {"pelatihan_manajerial", "pelatihan_teknis", "seminar", "workshop", "e_learning",
            "pkp", "pka", "magang"} <= forms  # fmt: skip
    pmpp = acts[acts["line"] == "PMPP"]
    assert (pmpp.groupby("year")["start_date"].apply(lambda d: d.dt.quarter.nunique()) == 4).all()
    partners = set(acts["partner"].dropna())
    assert {UGL, "BPSDM Aceh"} <= partners
    assert any("Integritas" in t for t in acts["title"])
    ngo = world.frames["partners"].query("kind == 'ngo'")["name"]
    assert acts["partner"].isin(ngo).any()
    intern = world.frames["internships"]
    assert (intern["host_partner"] == UGL).all()
    assert len(intern) > 100


def test_budget_is_too_small_for_everyones_20_jp(world: World) -> None:
    f = world.frames
    budget = f["budget_lines"].groupby("fiscal_year")["planned_amount"].sum()
    acts = f["activities"]
    planned_jp = (acts["capacity"] * acts["jp"]).groupby(acts["year"]).sum()
    emp = f["employees"]
    for year in world.years:
        pns = ((emp["status"] == "PNS") & (emp["tmt_cpns"] <= f"{year}-06-30")).sum()
        cost_per_jp = budget[year] / planned_jp[year]
        assert budget[year] < 20 * pns * cost_per_jp
    for row in world.truth["design"]["budget"]:
        assert row["budget"] < row["cost_of_20_jp_for_all_pns"]
        assert row["coverage"] < 1
    kinds = set(f["budget_lines"]["cost_type"])
    assert {"honorarium", "venue", "consumption", "transport", "partner_fee"} <= kinds
    assert (f["participant_time_costs"]["amount"] > 0).mean() > 0.9


def test_completion_certificates_and_the_jp_ledger_agree(world: World) -> None:
    f = world.frames
    done = f["enrollments"].query("status == 'completed'").set_index(["activity", "nip"]).index
    certs = f["certificates"].set_index(["activity", "nip"]).index
    assert set(certs) == set(done)
    ledger = f["jp_ledger"]
    from_acts = ledger[ledger["source"] == "activity"].set_index(["activity", "nip"]).index
    assert set(from_acts) == set(done)
    assert ledger.loc[ledger["source"] == "external", "activity"].isna().all()
    statuses = set(f["enrollments"]["status"])
    assert statuses == {"completed", "withdrawn", "failed"}


def test_participation_falls_with_distance_and_workload(world: World) -> None:
    e = enrollments_with_attendance(world)
    cov = employee_covariates(world)
    e["distance_km"] = cov.loc[e["nip"], "distance_km"].to_numpy()
    e["workload"] = cov.loc[e["nip"], "workload"].to_numpy()
    bands = pd.cut(e["distance_km"], [-1, 5, 20, 40, 100])
    rate = e.groupby(bands, observed=True)["attended"].mean()
    assert rate.is_monotonic_decreasing
    assert rate.iloc[0] - rate.iloc[-1] > 0.15
    by_load = e.groupby("workload")["attended"].mean()
    assert by_load[0] > by_load[1]


def test_units_adopt_in_different_years(world: World) -> None:
    adoption = world.frames["program_units"]["adoption_year"]
    years = set(adoption.dropna().astype(int))
    assert years == set(range(world.years[0] + 1, world.years[1] + 1))
    assert adoption.isna().sum() >= 5  # never-treated units remain


def test_skm_has_realistic_respondent_counts(world: World) -> None:
    f = world.frames
    skm = f["responses"][f["responses"]["instrument"] == "SKM"]
    per = skm.groupby([skm["unit"], skm["submitted_at"].dt.year]).size()
    assert per.between(50, 200).all()
    units = f["units"].set_index("code")
    service = set(units.index[units["service_unit"]])
    assert set(skm["unit"]) == service
    values = f["answers"].loc[f["answers"]["token"].isin(skm["token"]), "value"]
    assert set(values.unique()) == {1.0, 2.0, 3.0, 4.0}
    results = f["skm_results"]
    assert results["nrr"].between(1, 4).all()
    assert set(results["element"]) == {f"U{i}" for i in range(1, 10)}


def test_instruments_have_reverse_keyed_items_and_answer_keys(world: World) -> None:
    f = world.frames
    items = f["items"]
    reaction = items[items["instrument"] == "REAKSI"]
    assert reaction["is_reverse"].sum() == 1
    tests = items[items["item_type"] == "multiple_choice"]
    assert (tests["answer_key"].isin(["A", "B", "C", "D"])).all()
    options = f["item_options"]
    correct = options[options["is_correct"]].set_index(["instrument", "version", "item"])["code"]
    keys = tests.set_index(["instrument", "version", "code"])["answer_key"]
    assert correct.sort_index().tolist() == keys.sort_index().tolist()
    # Pre- and post-test of one version share items and keys.
    pre = tests[tests["instrument"] == "TEST-PMPP-PRE"][["version", "code", "answer_key"]]
    post = tests[tests["instrument"] == "TEST-PMPP-POST"][["version", "code", "answer_key"]]
    assert pre.reset_index(drop=True).equals(post.reset_index(drop=True))
    kinds = set(f["instruments"]["kind"])
    assert {
        "reaction",
        "pre_test",
        "post_test",
        "self_efficacy",
        "supervisor_rating",
        "skm",
    } <= kinds


def test_missing_post_tests_and_ratings_timing(world: World) -> None:
    f = world.frames
    r = f["responses"]
    pre = r[r["instrument"].str.endswith("-PRE")]
    post = r[r["instrument"].str.endswith("-POST")]
    assert 0.6 < len(post) / len(pre) < 0.95
    ratings = r[r["instrument"] == "PENILAIAN-ATASAN"].copy()
    trained_after = ratings[(ratings["occasion"] == "after") & ratings["activity"].notna()]
    ends = f["activities"].set_index("code")["end_date"]
    lag = (
        trained_after["submitted_at"].dt.floor("D") - ends.loc[trained_after["activity"]].to_numpy()
    )
    assert lag.dt.days.between(60, 90).all()


def test_pppk_stay_within_24_jp_a_year_and_interns_are_pns(world: World) -> None:
    f = world.frames
    ledger = f["jp_ledger"][f["jp_ledger"]["source"] == "activity"]
    status = f["employees"].set_index("nip")["status"]
    pppk = ledger[status.loc[ledger["nip"]].to_numpy() == "PPPK"]
    assert pppk.groupby(["nip", "year"])["jp"].sum().max() <= 24
    assert (status.loc[f["internships"]["nip"]] == "PNS").all()
