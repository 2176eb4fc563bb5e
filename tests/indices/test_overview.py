"""Input reshaping, census trends and the JSON-ready overview of all indices."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from mutu.indices import (
    IndexInputError,
    index_trend,
    indices_overview,
    ip_asn,
    jp_compliance,
    skm,
    skm_wide,
    training_history,
)

ELEMENTS = [f"U{i}" for i in range(1, 10)]


def test_skm_wide_pivots_the_answers_of_the_skm_instrument_only() -> None:
    responses = pd.DataFrame(
        {
            "token": ["t1", "t2", "r1"],
            "instrument": ["SKM", "SKM", "REAKSI"],
            "unit": ["PKM-1", "PKM-2", None],
            "submitted_at": pd.to_datetime(
                ["2024-03-01 10:00", "2025-01-02 09:00", "2024-01-01 08:00"]
            ),
        }
    )
    answers = pd.DataFrame(
        {
            "token": ["t1"] * 9 + ["t2"] * 9 + ["r1"],
            "item": ELEMENTS * 2 + ["R1"],
            "value": [3.0] * 9 + [4.0] * 8 + [np.nan] + [5.0],
        }
    )
    wide = skm_wide(responses, answers)
    assert list(wide.index) == ["t1", "t2"]
    assert list(wide.columns) == ["unit", "date", "year", *ELEMENTS]
    assert wide.loc["t2", "year"] == 2025 and np.isnan(wide.loc["t2", "U9"])
    # U1–U8: (3 + 4) / 2 = 3.5; U9 answered once: 3.  IKM = 25 × 31 / 9.
    res = skm(wide)
    assert res.ikm == pytest.approx(25 * 31 / 9)
    assert res.groups.iloc[0]["reference_date"] == pd.Timestamp("2025-01-02")
    stray = pd.concat([answers, pd.DataFrame({"token": ["zz"], "item": ["U1"], "value": [3.0]})])
    with pytest.raises(IndexInputError, match="token is not among the responses"):
        skm_wide(responses, stray.reset_index(drop=True))


def test_training_history_from_completed_enrollments() -> None:
    activities = pd.DataFrame(
        {
            "code": ["A1", "A2"],
            "form": ["pelatihan_teknis", "seminar"],
            "jp": [24.0, 8.0],
            "end_date": pd.to_datetime(["2024-05-03", "2024-08-01"]),
        }
    )
    enrollments = pd.DataFrame(
        {
            "activity": ["A1", "A1", "A2"],
            "nip": ["N1", "N2", "N1"],
            "status": ["completed", "withdrawn", "completed"],
            "completed_on": pd.to_datetime(["2024-05-04", None, None]),
        }
    )
    t = training_history(enrollments, activities)
    assert t["nip"].tolist() == ["N1", "N1"]
    assert t["end"].tolist() == [pd.Timestamp("2024-05-04"), pd.Timestamp("2024-08-01")]
    assert t["relevant"].isna().all()
    bad = enrollments.assign(activity=["A1", "A9", "A2"])
    with pytest.raises(IndexInputError, match=r"unknown activity \(rows 1\)"):
        training_history(bad, activities)


def test_index_trend_is_a_plain_change_for_a_census() -> None:
    frame = pd.DataFrame(
        {"unit": ["X", "X", "Y", "X"], "year": [2023, 2024, 2024, 2026], "v": [60.0, 62.5, 70, 61]}
    )
    res = index_trend(frame, value="v", by="unit")
    x = res.frame[res.frame["unit"] == "X"]
    assert x["change"].tolist()[1:] == [2.5, -1.5]
    assert x["previous_period"].tolist()[2] == 2024
    assert not res.sampled and "se" not in res.frame.columns
    assert res.summary("en") == "v: 1 increases and 1 decreases between periods."
    with pytest.raises(IndexInputError, match="period repeated"):
        index_trend(pd.concat([frame, frame.head(1)]), value="v", by="unit")


@pytest.fixture
def world() -> dict[str, pd.DataFrame]:
    employees = pd.DataFrame(
        {
            "nip": ["P1", "P2", "K1"],
            "status": ["PNS", "PNS", "PPPK"],
            "unit": ["DINKES", "DISDIK", "DINKES"],
            "education_level": ["S1", "S2", "SMA"],
            "position": ["pos-a", "pos-b", "pos-a"],
        }
    )
    positions = pd.DataFrame(
        {"code": ["pos-a", "pos-b"], "kind": ["pelaksana", "pengawas"], "level": ["", ""]}
    )
    ledger = pd.DataFrame(
        {
            "nip": ["P1", "P2", "P1"],
            "year": [2023, 2024, 2024],
            "jp": [24.0, 10.0, 20.0],
            "minutes": [None, None, None],
            "approval_status": ["approved"] * 3,
        }
    )
    trainings = pd.DataFrame(
        {"nip": ["P1"], "form": ["pelatihan_teknis"], "jp": [24.0], "end": ["2023-10-01"]}
    )
    performance = pd.DataFrame(
        {
            "nip": ["P1", "P2", "K1"] * 2,
            "year": [2022] * 3 + [2023] * 3,
            "predikat": ["baik", "sangat_baik", "baik"] * 2,
        }
    )
    rng = np.random.default_rng(5)
    skm_rows = pd.DataFrame(rng.integers(2, 5, size=(40, 9)), columns=ELEMENTS)
    skm_rows["unit"] = ["DINKES", "DISDIK"] * 20
    skm_rows["year"] = [2023] * 20 + [2024] * 20
    units = pd.DataFrame({"code": ["DINKES", "DISDIK"], "kind": ["skpk", "skpk"]})
    standards = pd.DataFrame(
        {"position": ["pos-a", "pos-b"], "competency": ["c1", "c1"], "required_level": [2, 3]}
    )
    assessments = pd.DataFrame(
        {
            "nip": ["P1", "P2"],
            "competency": ["c1", "c1"],
            "level": [2, 2],
            "assessed_on": ["2023-01-01", "2023-01-01"],
        }
    )
    return {
        "employees": employees,
        "positions": positions,
        "ledger": ledger,
        "trainings": trainings,
        "performance": performance,
        "discipline": pd.DataFrame({"nip": [], "level": [], "decided_on": []}),
        "skm_responses": skm_rows,
        "units": units,
        "standards": standards,
        "assessments": assessments,
    }


def test_overview_is_json_ready_and_agrees_with_the_functions(
    world: dict[str, pd.DataFrame],
) -> None:
    ov = indices_overview(years=[2023, 2024], **world)
    text = json.dumps(ov)  # must not raise
    assert "NaN" not in text
    assert ov["years"] == [2023, 2024]
    assert set(ov["regency"]["2024"]) == {"jp", "ip_asn", "jpm", "skm"}
    jp = jp_compliance(world["ledger"], world["employees"], year=2024)
    assert ov["regency"]["2024"]["jp"]["share_pns_compliant"] == jp.share_pns_compliant == 0.5
    assert ov["regency"]["2024"]["jp"]["n"] == 3 and isinstance(
        ov["regency"]["2024"]["jp"]["n"], int
    )
    assert ov["units"]["DINKES"]["2024"]["jp"]["pns_compliant"] == 1
    # IP ASN on 31 Dec 2023 for P1: 15 + 22.5 (24 JP on 1 Oct 2023) + 25 + 5 = 67.5.
    emp = world["employees"].assign(position_kind=["pelaksana", "pengawas", "pelaksana"])
    ip = ip_asn(
        emp,
        on=date(2023, 12, 31),
        trainings=world["trainings"],
        performance=world["performance"],
        discipline=world["discipline"],
    )
    assert ip.persons.loc["P1", "total"] == 67.5
    assert ov["regency"]["2023"]["ip_asn"]["mean_total"] == pytest.approx(ip.mean_total)
    assert ov["regency"]["2023"]["ip_asn"]["band_label"] == ip.band_label
    assert ov["units"]["DINKES"]["2024"]["skm"]["n"] == 10
    assert ov["skm_by_unit_kind"]["2024"]["skpk"]["n"] == 20
    assert [row["year"] for row in ov["trends"]["regency"]["ikm"]] == [2023, 2024]
    assert ov["trends"]["regency"]["ikm"][1]["ci_low"] is not None
    # On 31 Dec 2024 P1's training of 1 Oct 2023 is past its 1-year window: −22.5 / 3 ASN.
    assert ov["trends"]["regency"]["ip_asn_mean"][1]["change"] == pytest.approx(-7.5)
    assert ov["units"]["DISDIK"]["2024"]["jpm"]["mean_jpm"] == pytest.approx(200 / 3)
    assert ov["rulebooks"] == {
        "ip_asn": ["ip_asn 2019.1"],
        "jp": ["jp 2020.1"],
        "jpm": ["jpm 2017.1"],
        "skm": ["skm 2017.1"],
    }
    assert "ip_asn.kualifikasi.S1" in ov["unconfirmed"]
    assert ov["fallbacks"] == []


def test_overview_leaves_out_indices_without_inputs(world: dict[str, pd.DataFrame]) -> None:
    ov = indices_overview(employees=world["employees"], years=[2024], ledger=world["ledger"])
    assert set(ov["regency"]["2024"]) == {"jp"}
    assert ov["skm_by_unit_kind"] == {} and ov["rulebooks"] == {"jp": ["jp 2020.1"]}


def test_jp_distribution_puts_exactly_the_floor_on_its_side_and_caps_the_top() -> None:
    from mutu.indices.overview import _jp_distribution

    persons = pd.DataFrame(
        {"status": ["PNS"] * 5 + ["PPPK"], "jp": [0.0, 19.99, 20.0, 59.9, 200.0, 30.0]}
    )
    dist = _jp_distribution(persons, 20.0)
    assert dist["edges"][:2] == [0.0, 5.0]
    assert dist["edges"][-2:] == [60.0, 65.0]
    counts = dist["counts"]
    assert sum(counts) == 5  # PPPK are not counted
    assert counts[3] == 1  # 19.99 JP: below the floor
    assert counts[4] == 1  # exactly 20 JP: the bin that starts at the floor
    assert counts[-1] == 1  # 200 JP: the open top bin
