"""IP ASN (PermenPANRB 38/2018; Peraturan BKN 8/2019): hand-worked cases and rule changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mutu.indices import IndexInputError, ip_asn
from mutu.rulebooks import load
from tests.indices.helpers import rulebook_variant

ON = date(2025, 6, 30)
NONE = pd.DataFrame({"nip": [], "level": [], "decided_on": []})


def employees(*rows: tuple[str, str, str, str | None]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["nip", "unit", "position_kind", "education_level"])


def trainings(*rows: tuple[str, str, float, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["nip", "form", "jp", "end"])


def skp(*rows: tuple[str, int, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["nip", "year", "predikat"])


def test_pelaksana_s1_with_24_jp_technical_training_and_no_sanction() -> None:
    # ip_asn 2019.1, measured on 30 June 2025:
    #   kualifikasi: S1 → kualifikasi.S1 = 15 [U]
    #   kompetensi (pelaksana path): a pelatihan teknis of 24 JP that ended 15 Nov 2024,
    #     inside lookback_years.pelatihan_teknis = 1 year [C] and 24 ≥
    #     kompetensi.pelatihan_teknis_min_jp = 20 [C] → kompetensi.pelaksana.pelatihan_teknis
    #     = 22.5 [C]; no seminar/workshop → + 0; 22.5 ≤ weights.kompetensi = 40
    #   kinerja: SKP 2024 predikat "baik" → kinerja.predikat_points.baik = 25 [U]
    #   disiplin: never sanctioned → disiplin.points.tidak_pernah = 5 [U]
    #   total = 15 + 22.5 + 25 + 5 = 67.5 → the band with the highest min ≤ 67.5 is
    #   "rendah" (61–70): Rendah
    book = load("ip_asn", ON)
    assert book.integer("kualifikasi.S1") == 15
    assert float(book.decimal("kompetensi.pelaksana.pelatihan_teknis")) == 22.5
    assert book.integer("kinerja.predikat_points.baik") == 25
    assert book.integer("disiplin.points.tidak_pernah") == 5
    res = ip_asn(
        employees(("199001012015031001", "DISDIK", "pelaksana", "S1")),
        on=ON,
        trainings=trainings(("199001012015031001", "pelatihan_teknis", 24, "2024-11-15")),
        performance=skp(("199001012015031001", 2024, "baik")),
        discipline=NONE,
    )
    row = res.persons.iloc[0]
    assert (row["kualifikasi"], row["kompetensi"], row["kinerja"], row["disiplin"]) == (
        15.0,
        22.5,
        25.0,
        5.0,
    )
    assert row["total"] == 67.5 and row["band"] == "rendah" and row["band_label"] == "Rendah"
    assert bool(row["complete"]) and row["missing"] == "" and row["sanction"] == "tidak_pernah"
    assert res.rulebook == "ip_asn 2019.1" and res.performance_year == 2024
    assert res.unconfirmed == (
        "ip_asn.disiplin.points.tidak_pernah",
        "ip_asn.kinerja.predikat_points.baik",
        "ip_asn.kompetensi.forms.pelatihan_teknis",
        "ip_asn.kualifikasi.S1",
    )
    assert res.fallbacks == ()  # every form mapping comes from the rulebook
    assert res.mean_total == 67.5 and res.band_label == "Rendah"
    assert "rata-rata 67,50 (Rendah)" in res.summary()
    assert "mean 67.50 (Low)" in res.summary("en")


def test_structural_path_and_look_back_windows() -> None:
    # Administrator, S2, on 30 June 2025:
    #   kualifikasi S2 = 20 [C]
    #   kompetensi (struktural_fungsional): PKA in 2015 (no look-back) 15 + seminar ended
    #   1 July 2023 (2-year window opens after 30 June 2023) 10 [U] + technical training of
    #   30 JP ended 30 June 2024 (1-year window opens after 30 June 2024: outside) 0 = 25
    #   kinerja: SKP 2024 sangat_baik = 30 [U]; disiplin: ringan in 2021 = 3 [U]
    #   total = 20 + 25 + 30 + 3 = 78 → sedang
    nip = "198001012005011001"
    res = ip_asn(
        employees((nip, "BKPSDM", "administrator", "S2")),
        on=ON,
        trainings=trainings(
            (nip, "pka", 96, "2015-03-01"),
            (nip, "seminar", 8, "2023-07-01"),
            (nip, "pelatihan_teknis", 30, "2024-06-30"),
        ),
        performance=skp((nip, 2024, "sangat_baik")),
        discipline=pd.DataFrame({"nip": [nip], "level": ["ringan"], "decided_on": ["2021-05-01"]}),
    )
    row = res.persons.iloc[0]
    assert row["path"] == "struktural_fungsional"
    assert row["kompetensi"] == 25.0
    assert bool(row["pelatihan_kepemimpinan_fungsional"]) and bool(row["seminar_workshop"])
    assert not row["pelatihan_teknis"] and bool(row["assumed_relevant"])
    assert row["total"] == 78.0 and row["band"] == "sedang" and row["sanction"] == "ringan"


def test_training_edges_short_irrelevant_and_future() -> None:
    # A pelaksana: technical training of 19.5 JP (< 20) does not count; a workshop
    # marked irrelevant does not count; a seminar after `on` does not count yet.
    nip = "199501012020121001"
    t = trainings(
        (nip, "pelatihan_teknis", 19.5, "2025-01-10"),
        (nip, "workshop", 16, "2025-02-01"),
        (nip, "seminar", 8, "2025-07-01"),
    ).assign(relevant=[None, False, True])
    res = ip_asn(
        employees((nip, "DINKES", "pelaksana", "D3")),
        on=ON,
        trainings=t,
        performance=skp((nip, 2024, "baik")),
        discipline=NONE,
    )
    row = res.persons.iloc[0]
    assert row["kompetensi"] == 0.0 and row["kualifikasi"] == 10.0
    # A 20 JP technical training in the window and a relevant magang bring 22.5 + 17.5 = 40.
    t2 = trainings((nip, "pelatihan_teknis", 20, "2024-07-01"), (nip, "magang", 60, "2023-08-01"))
    res2 = ip_asn(
        employees((nip, "DINKES", "pelaksana", "D3")),
        on=ON,
        trainings=t2,
        performance=skp((nip, 2024, "baik")),
        discipline=NONE,
    )
    assert res2.persons.iloc[0]["kompetensi"] == 40.0


def test_missing_inputs_are_reported_per_person_not_imputed() -> None:
    emp = employees(
        ("A1", "DINKES", "pelaksana", "S1"),
        ("A2", "DINKES", "pelaksana", None),  # no education recorded
        ("A3", "DISDIK", None, "S1"),  # no position kind
        ("A4", "DISDIK", "pengawas", "S1"),  # no SKP for 2024
    )
    perf = skp(("A1", 2024, "baik"), ("A2", 2024, "baik"), ("A3", 2024, "baik"))
    res = ip_asn(emp, on=ON, trainings=trainings(), performance=perf, discipline=NONE)
    p = res.persons
    assert p["missing"].tolist() == ["", "education_level", "position_kind", "kinerja"]
    assert p["complete"].tolist() == [True, False, False, False]
    assert p["total"].notna().tolist() == [True, False, False, False]
    assert res.n_scored == 1 and res.units.loc["DISDIK", "n_incomplete"] == 2
    assert res.units.loc["DINKES", "mean_total"] == 45.0  # A1 only: 15 + 0 + 25 + 5
    zero = ip_asn(emp, on=ON, trainings=trainings(), performance=perf, missing="zero")
    # Discipline not given at all: disiplin scores 0 too, and is named.
    assert zero.persons["total"].tolist() == [40.0, 25.0, 40.0, 15.0]
    assert zero.persons.loc["A1", "missing"] == "disiplin"
    nothing = ip_asn(emp, on=ON)
    assert nothing.persons.loc["A1", "missing"] == "trainings, kinerja, disiplin"
    assert nothing.n_scored == 0 and nothing.mean_total is None


def test_kinerja_from_score_when_no_predikat() -> None:
    # Score 80 → category "baik" (76–90) → kinerja.points.baik = 25 [U].
    emp = employees(("B1", "DINKES", "pelaksana", "SMA"))
    perf = pd.DataFrame({"nip": ["B1"], "year": [2024], "predikat": [None], "score": [80.0]})
    res = ip_asn(emp, on=ON, trainings=trainings(), performance=perf, discipline=NONE)
    assert res.persons.loc["B1", "kinerja"] == 25.0
    assert "ip_asn.kinerja.points.baik" in res.unconfirmed


def test_heaviest_sanction_counts_and_later_ones_wait() -> None:
    emp = employees(("C1", "DINKES", "pelaksana", "S1"), ("C2", "DINKES", "pelaksana", "S1"))
    disc = pd.DataFrame(
        {
            "nip": ["C1", "C1", "C2"],
            "level": ["ringan", "berat", "sedang"],
            "decided_on": ["2020-01-01", "2022-01-01", "2025-07-01"],
        }
    )
    res = ip_asn(emp, on=ON, trainings=trainings(), performance=skp(), discipline=disc)
    assert res.persons["disiplin"].tolist() == [1.0, 5.0]
    assert res.persons["sanction"].tolist() == ["berat", "tidak_pernah"]


def test_bands_and_unit_distribution() -> None:
    emp = employees(
        ("D1", "X", "pelaksana", "S3"),
        ("D2", "X", "pelaksana", "S2"),
        ("D3", "Y", "pelaksana", "SD"),
    )
    t = trainings(
        ("D1", "pelatihan_teknis", 40, "2025-01-01"),
        ("D1", "kursus", 10, "2024-01-01"),
        ("D2", "pelatihan_teknis", 40, "2025-01-01"),
    )
    perf = skp(("D1", 2024, "sangat_baik"), ("D2", 2024, "sangat_baik"), ("D3", 2024, "kurang"))
    res = ip_asn(emp, on=ON, trainings=t, performance=perf, discipline=NONE)
    # D1 25 + 40 + 30 + 5 = 100; D2 20 + 22.5 + 30 + 5 = 77.5; D3 1 + 0 + 15 + 5 = 21.
    assert res.persons["total"].tolist() == [100.0, 77.5, 21.0]
    assert res.persons["band"].tolist() == ["sangat_tinggi", "sedang", "sangat_rendah"]
    x = res.units.loc["X"]
    assert (x["n_sangat_tinggi"], x["n_sedang"], x["share_sedang"]) == (1, 1, 0.5)
    assert x["mean_total"] == 88.75 and x["band_of_mean"] == "tinggi"
    assert res.regency.loc["regency", "n_sangat_rendah"] == 1


@pytest.mark.parametrize(
    ("frame", "change", "message"),
    [
        ("employees", {"education_level": ["S9"]}, "unknown education_level"),
        ("employees", {"position_kind": ["camat"]}, "unknown position_kind"),
        ("trainings", {"form": ["rapat"]}, "unknown form-of-development code"),
        ("trainings", {"nip": ["ZZ"]}, "NIP is not among the employees"),
        ("trainings", {"jp": [-3.0]}, "jp is negative"),
        ("trainings", {"end": [None]}, "end date is empty"),
        ("performance", {"predikat": ["istimewa"]}, "unknown predikat: istimewa"),
        ("discipline", {"level": ["pemecatan"]}, "level must be one of ringan, sedang, berat"),
    ],
)
def test_bad_input_is_refused(frame: str, change: dict[str, list[object]], message: str) -> None:
    frames = {
        "employees": employees(("E1", "X", "pelaksana", "S1")),
        "trainings": trainings(("E1", "seminar", 8, "2025-01-01")),
        "performance": skp(("E1", 2024, "baik")),
        "discipline": pd.DataFrame(
            {"nip": ["E1"], "level": ["ringan"], "decided_on": ["2024-01-01"]}
        ),
    }
    frames[frame] = frames[frame].assign(**change)
    with pytest.raises(IndexInputError, match=message):
        ip_asn(
            frames["employees"],
            on=ON,
            trainings=frames["trainings"],
            performance=frames["performance"],
            discipline=frames["discipline"],
        )


def test_minutes_in_the_training_history_use_the_jp_rule() -> None:
    # 900 minutes of technical training = 20 JP: enough.
    t = pd.DataFrame(
        {
            "nip": ["F1"],
            "form": ["pelatihan_teknis"],
            "jp": [np.nan],
            "minutes": [900],
            "end": ["2025-01-01"],
        }
    )
    res = ip_asn(
        employees(("F1", "X", "pelaksana", "S1")),
        on=ON,
        trainings=t,
        performance=skp(("F1", 2024, "baik")),
        discipline=NONE,
    )
    assert res.persons.loc["F1", "kompetensi"] == 22.5
    assert "jp 2020.1" in res.rulebook


def test_new_ip_asn_version_with_other_weights(tmp_path: Path) -> None:
    # A hypothetical 2026 revision: kualifikasi weighs 30 and S1 scores 30; kinerja weighs 25.
    path = rulebook_variant(
        tmp_path,
        "ip_asn",
        "2019.1",
        "2026.1",
        "2026-01-01",
        {
            'kualifikasi = { value = 25, confidence = "confirmed" }': (
                'kualifikasi = { value = 30, confidence = "unconfirmed" }'
            ),
            'kinerja     = { value = 30, confidence = "secondary" }': (
                'kinerja     = { value = 25, confidence = "unconfirmed" }'
            ),
            'S1  = { value = 15, confidence = "unconfirmed" }': (
                'S1  = { value = 30, confidence = "unconfirmed" }'
            ),
            'sangat_baik     = { value = 30, confidence = "unconfirmed", note = "Mapped': (
                'sangat_baik     = { value = 25, confidence = "unconfirmed", note = "Mapped'
            ),
        },
    )
    nip = "G1"
    args = {
        "employees": employees((nip, "X", "pelaksana", "S1")),
        "trainings": trainings((nip, "pelatihan_teknis", 24, "2025-11-15")),
        "discipline": NONE,
        "search_path": path,
    }
    before = ip_asn(on=date(2025, 12, 31), performance=skp((nip, 2024, "baik")), **args)
    after = ip_asn(on=date(2026, 6, 30), performance=skp((nip, 2025, "baik")), **args)
    # 2019.1: 15 + 22.5 + 25 + 5 = 67.5 (rendah); 2026.1: 30 + 22.5 + 25 + 5 = 82.5 (tinggi).
    assert before.persons.loc[nip, "total"] == 67.5 and before.rulebook == "ip_asn 2019.1"
    assert after.persons.loc[nip, "total"] == 82.5 and after.rulebook == "ip_asn 2026.1"
    assert after.persons.loc[nip, "band"] == "tinggi"
    assert "ip_asn.weights.kualifikasi" in after.unconfirmed
    assert "ip_asn.weights.kualifikasi" not in before.unconfirmed
