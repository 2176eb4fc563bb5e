"""Job-person match (PermenPANRB 38/2017): JPM, bands, gap profile, defaults, bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from mutu.indices import IndexInputError, job_person_match

EMPLOYEES = pd.DataFrame(
    {
        "nip": ["N1", "N2", "N3", "N4"],
        "unit": ["DINKES", "DINKES", "DISDIK", "DISDIK"],
        "position": ["PERAWAT", "PERAWAT", "GURU", "KASI"],
        "position_kind": [
            "fungsional_keterampilan",
            "fungsional_keterampilan",
            "fungsional_keahlian",
            "pengawas",
        ],
        "position_level": ["terampil", "terampil", "ahli_muda", None],
    }
)
STANDARDS = pd.DataFrame(
    {
        "position": ["PERAWAT", "PERAWAT", "PERAWAT", "GURU", "GURU", "KASI"],
        "competency": [
            "integritas",
            "komunikasi",
            "keperawatan",
            "integritas",
            "pembelajaran",
            "integritas",
        ],
        "required_level": [2, 2, 3, 3, 4, None],
    }
)


def assessments(*rows: tuple[str, str, int, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["nip", "competency", "level", "assessed_on"])


def test_jpm_by_hand() -> None:
    # N1 (PERAWAT): min(2,2) + min(3,2) + min(2,3) = 2 + 2 + 2 = 6 of 2 + 2 + 3 = 7 → 85.71 %
    #   → cukup optimal (78 ≤ x < 90).  A level above standard does not offset a gap.
    # N3 (GURU): min(3,3) + min(4,4) = 7 of 7 → 100 % → optimal.
    # N4 (KASI, pengawas): integritas has no level in the standard → standard_level.pengawas = 2
    #   [U]; assessed 1 → 1/2 = 50 % → kurang optimal.
    a = assessments(
        ("N1", "integritas", 2, "2024-03-01"),
        ("N1", "komunikasi", 3, "2024-03-01"),
        ("N1", "keperawatan", 2, "2024-03-01"),
        ("N3", "integritas", 3, "2024-03-01"),
        ("N3", "pembelajaran", 4, "2024-03-01"),
        ("N4", "integritas", 1, "2024-03-01"),
    )
    res = job_person_match(a, STANDARDS, employees=EMPLOYEES, on="2024-12-31")
    p = res.persons
    assert p.loc["N1", "jpm"] == pytest.approx(600 / 7)
    assert p.loc["N1", "band"] == "cukup_optimal" and p.loc["N1", "band_label"] == "Cukup Optimal"
    assert p.loc["N3", "jpm"] == 100.0 and p.loc["N3", "band"] == "optimal"
    assert p.loc["N4", "jpm"] == 50.0 and p.loc["N4", "band"] == "kurang_optimal"
    # N2 was never assessed: no JPM, the missing competencies named.
    assert pd.isna(p.loc["N2", "jpm"])
    assert p.loc["N2", "missing"] == "integritas, keperawatan, komunikasi"
    assert res.rulebook == "jpm 2017.1"
    assert res.unconfirmed == ("jpm.formula", "jpm.standard_level.pengawas")
    assert res.units.loc["DINKES", "n_scored"] == 1
    assert res.units.loc["DISDIK", "mean_jpm"] == 75.0


def test_gap_profile_shows_what_the_unit_lacks_most() -> None:
    a = assessments(
        ("N1", "integritas", 2, "2024-03-01"),
        ("N1", "komunikasi", 2, "2024-03-01"),
        ("N1", "keperawatan", 1, "2024-03-01"),
        ("N2", "integritas", 1, "2024-03-01"),
        ("N2", "komunikasi", 2, "2024-03-01"),
        ("N2", "keperawatan", 2, "2024-03-01"),
    )
    res = job_person_match(a, STANDARDS, employees=EMPLOYEES, on="2024-12-31")
    gaps = res.gaps.loc["DINKES"]
    # keperawatan: gaps 2 and 1 → mean 1.5; integritas: 0 and 1 → 0.5; komunikasi: 0.
    assert gaps.index[0] == "keperawatan" and gaps.loc["keperawatan", "rank"] == 1
    assert gaps.loc["keperawatan", "mean_gap"] == 1.5
    assert gaps.loc["integritas", "share_below"] == 0.5
    assert gaps.loc["komunikasi", "mean_gap"] == 0.0 and gaps.loc["komunikasi", "rank"] == 3
    assert res.regency_gaps.index[0] == "keperawatan"
    assert "keperawatan" in res.summary() and "keperawatan" in res.summary("en")


def test_latest_assessment_up_to_the_date_counts() -> None:
    a = assessments(
        ("N3", "integritas", 1, "2023-01-01"),
        ("N3", "integritas", 3, "2024-01-01"),
        ("N3", "integritas", 1, "2025-06-01"),
        ("N3", "pembelajaran", 4, "2024-01-01"),
    )
    on_2024 = job_person_match(a, STANDARDS, employees=EMPLOYEES, on="2024-12-31")
    on_2025 = job_person_match(a, STANDARDS, employees=EMPLOYEES, on="2025-12-31")
    assert on_2024.persons.loc["N3", "jpm"] == 100.0
    assert on_2025.persons.loc["N3", "jpm"] == pytest.approx(500 / 7)


def test_missing_policies() -> None:
    a = assessments(("N1", "integritas", 2, "2024-03-01"), ("N1", "komunikasi", 1, "2024-03-01"))
    args = {"employees": EMPLOYEES, "on": "2024-12-31"}
    exclude = job_person_match(a, STANDARDS, **args)
    zero = job_person_match(a, STANDARDS, missing="zero", **args)
    assessed = job_person_match(a, STANDARDS, missing="assessed", **args)
    assert pd.isna(exclude.persons.loc["N1", "jpm"])
    assert zero.persons.loc["N1", "jpm"] == pytest.approx(300 / 7)  # (2 + 1 + 0) / 7
    assert assessed.persons.loc["N1", "jpm"] == 75.0  # (2 + 1) / (2 + 2)
    assert assessed.persons.loc["N1", "missing"] == "keperawatan"
    assert pd.isna(assessed.persons.loc["N2", "jpm"])


def test_per_person_standards_without_employees() -> None:
    std = pd.DataFrame(
        {
            "nip": ["M1", "M1"],
            "unit": ["U", "U"],
            "competency": ["a", "b"],
            "required_level": [2, 2],
        }
    )
    a = pd.DataFrame({"nip": ["M1", "M1"], "competency": ["a", "b"], "level": [2, 1]})
    res = job_person_match(a, std, on="2024-12-31")
    assert res.persons.loc["M1", "jpm"] == 75.0 and res.persons.loc["M1", "unit"] == "U"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("N1", "integritas", 6, "2024-01-01")], "level outside 1–5"),
        ([("N1", "integritas", 2.5, "2024-01-01")], "level outside 1–5 or not whole"),
        ([("X1", "integritas", 2, "2024-01-01")], "NIP has no competency standard"),
        ([("N1", "integritas", 2, None)], "no date"),
    ],
)
def test_bad_assessments_are_refused(rows: list[tuple[str, str, float, str]], message: str) -> None:
    with pytest.raises(IndexInputError, match=message):
        job_person_match(assessments(*rows), STANDARDS, employees=EMPLOYEES, on="2024-12-31")


def test_bad_standards_are_refused() -> None:
    twice = pd.concat([STANDARDS, STANDARDS.head(1)], ignore_index=True)
    with pytest.raises(IndexInputError, match="position\\+competency repeated"):
        job_person_match(assessments(), twice, employees=EMPLOYEES, on="2024-12-31")
    no_kind = EMPLOYEES.drop(columns=["position_kind"])
    with pytest.raises(IndexInputError, match="has no position_kind"):
        job_person_match(assessments(), STANDARDS, employees=no_kind, on="2024-12-31")
    with pytest.raises(IndexInputError, match="required_level outside 1–5"):
        job_person_match(
            assessments(), STANDARDS.assign(required_level=9), employees=EMPLOYEES, on="2024-12-31"
        )
