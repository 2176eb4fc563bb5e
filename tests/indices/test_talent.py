"""Talent 9-box (PermenPANRB 3/2020): grid, thresholds from the rulebook, pools."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mutu.indices import IndexInputError, talent_box
from tests.indices.helpers import rulebook_variant


def perf(*rows: tuple[str, int, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["nip", "year", "predikat"])


def test_every_cell_of_the_grid() -> None:
    # nine_box 2020.1 grid, rows kinerja 3 (top) … 1, columns potensial 1 … 3:
    #   [[4, 7, 9], [2, 5, 8], [1, 3, 6]]
    # Kinerja from predikat (thresholds.kinerja_from_predikat [U]): sangat_baik 3, baik 2,
    # butuh_perbaikan/kurang/sangat_kurang 1.
    predikat = {3: "sangat_baik", 2: "baik", 1: "kurang"}
    cells = [(k, p) for k in (3, 2, 1) for p in (1, 2, 3)]
    performance = perf(*[(f"{k}{p}", 2024, predikat[k]) for k, p in cells])
    potential = pd.DataFrame({"nip": [f"{k}{p}" for k, p in cells], "level": [p for _, p in cells]})
    res = talent_box(performance, potential)
    assert res.persons.loc[[f"{k}{p}" for k, p in cells], "box"].tolist() == [
        4,
        7,
        9,
        2,
        5,
        8,
        1,
        3,
        6,
    ]
    assert res.persons.loc["33", "national_pool"] and res.persons.loc["32", "succession_pool"]
    assert not res.persons.loc["23", "national_pool"]
    assert res.persons.loc["23", "succession_pool"]  # box 8
    assert res.n_succession_pool == 3 and res.year == 2024
    assert res.rulebook == "nine_box 2020.1"
    assert res.unconfirmed == ("nine_box.thresholds.kinerja_from_predikat",)


def test_two_years_take_the_lower_level_and_tertiles_cut_the_scores() -> None:
    performance = perf(
        ("A", 2023, "sangat_baik"),
        ("A", 2024, "sangat_baik"),
        ("B", 2023, "baik"),
        ("B", 2024, "sangat_baik"),
        ("C", 2022, "kurang"),  # outside the two-year window (2023–2024)
        ("C", 2024, "sangat_baik"),
    )
    # Scores 10, 20, 30: tertile cut points 16.67 and 23.33 → levels 1, 2, 3.
    potential = pd.DataFrame({"nip": ["A", "B", "C"], "score": [30, 20, 10]})
    res = talent_box(performance, potential, year=2024)
    p = res.persons
    assert p["kinerja_level"].tolist() == [3, 2, 3]
    assert p["potensial_level"].tolist() == [3, 2, 1]
    assert p["box"].tolist() == [9, 5, 4]
    assert p.loc["A", "skp_years"] == "2023, 2024" and p.loc["C", "skp_years"] == "2024"
    assert "nine_box.thresholds.potensial_method" in res.unconfirmed


def test_sanction_in_the_window_fails_the_track_record() -> None:
    performance = perf(("A", 2024, "sangat_baik"), ("B", 2024, "sangat_baik"))
    potential = pd.DataFrame({"nip": ["A", "B"], "level": [3, 3]})
    discipline = pd.DataFrame(
        {"nip": ["A", "B"], "level": ["sedang", "ringan"], "decided_on": ["2023-04-01"] * 2}
    )
    res = talent_box(performance, potential, discipline=discipline)
    assert res.persons["box"].tolist() == [9, 9]
    assert res.persons["track_record_ok"].tolist() == [False, True]
    assert res.persons["national_pool"].tolist() == [False, True]


def test_employees_give_units_and_name_missing_inputs() -> None:
    employees = pd.DataFrame({"nip": ["A", "B", "C"], "unit": ["X", "X", "Y"]})
    performance = perf(("A", 2024, "baik"), ("B", 2024, "baik"))
    potential = pd.DataFrame({"nip": ["A", "C"], "level": [2, 2]})
    res = talent_box(performance, potential, employees=employees)
    assert res.persons["missing"].tolist() == ["", "potensial", "kinerja"]
    assert res.units.loc["X", "n_boxed"] == 1 and res.units.loc["X", "n_box_5"] == 1
    assert res.units.loc["Y", "n_boxed"] == 0
    assert "1 dari 3 ASN" in res.summary() and "1 of 3 ASN" in res.summary("en")
    stranger = pd.DataFrame({"nip": ["Z"], "level": [2]})
    with pytest.raises(IndexInputError, match="NIP is not among the employees"):
        talent_box(performance, stranger, employees=employees)


def test_bad_input_is_refused() -> None:
    with pytest.raises(IndexInputError, match="predikat must be one of"):
        talent_box(perf(("A", 2024, "istimewa")), pd.DataFrame({"nip": ["A"], "level": [1]}))
    with pytest.raises(IndexInputError, match="level must be 1, 2 or 3"):
        talent_box(perf(("A", 2024, "baik")), pd.DataFrame({"nip": ["A"], "level": [4]}))
    with pytest.raises(IndexInputError, match="NIP\\+year repeated"):
        talent_box(
            perf(("A", 2024, "baik"), ("A", 2024, "kurang")),
            pd.DataFrame({"nip": ["A"], "level": [1]}),
        )


def test_new_thresholds_from_a_new_version(tmp_path: Path) -> None:
    path = rulebook_variant(
        tmp_path,
        "nine_box",
        "2020.1",
        "2026.1",
        "2026-01-01",
        {"sangat_baik = 3, baik = 2,": "sangat_baik = 3, baik = 3,"},
    )
    potential = pd.DataFrame({"nip": ["A"], "level": [3]})
    before = talent_box(perf(("A", 2025, "baik")), potential, search_path=path)
    after = talent_box(perf(("A", 2026, "baik")), potential, search_path=path)
    assert (before.persons.loc["A", "box"], before.rulebook) == (8, "nine_box 2020.1")
    assert (after.persons.loc["A", "box"], after.rulebook) == (9, "nine_box 2026.1")
