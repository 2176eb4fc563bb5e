"""IP ASN and the talent 9-box per ASN (vectorised) equal Mutu's ``ip_asn`` and ``talent_box``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.fast.bench import (
    IP_FIGURES,
    TALENT_FIGURES,
    _band_code,
    _iter_national,
    _plain,
    ip_bands,
    naive_ip_asn,
    naive_talent,
)
from mutu.evaluation.fast.people import ip_asn_per_asn, talent_per_asn
from mutu.indices.frames import training_history
from mutu.indices.ip_asn import ip_asn
from mutu.indices.overview import with_position_kind
from mutu.indices.talent import talent_box
from mutu.synthetic import generate_world
from mutu.synthetic.national import generate_national

TOL = 1e-9
ON = date(2025, 12, 31)
NUMBERS = ("kualifikasi", "kompetensi", "kinerja", "disiplin", "total")
TALENT = ("kinerja_level", "potensial_level", "box", "track_record_ok", "succession_pool",
          "national_pool")  # fmt: skip


def _reference_ip(frames: dict[str, pd.DataFrame], on: date) -> pd.DataFrame:
    emp = _plain(frames["employees"])
    if "position_kind" not in emp.columns:
        emp = with_position_kind(emp, _plain(frames["positions"]))
    return ip_asn(
        emp,
        on=on,
        trainings=training_history(_plain(frames["enrollments"]), _plain(frames["activities"])),
        performance=_plain(frames["performance_records"]),
        discipline=_plain(frames["discipline_records"]),
    ).persons


def _assert_ip_equal(fast: pd.DataFrame, ref: pd.DataFrame) -> None:
    ref = ref.reindex(fast["nip"].astype(str))
    assert len(ref) == len(fast) and ref.index.notna().all()
    for col in NUMBERS:
        a = fast[col].to_numpy(dtype=np.float64)
        b = ref[col].to_numpy(dtype=np.float64, na_value=np.nan)
        assert np.array_equal(np.isnan(a), np.isnan(b)), col
        ok = ~np.isnan(a)
        assert np.all(np.abs(a[ok] - b[ok]) <= TOL), col
    band_fast = fast["band"].astype(object).where(fast["band"].notna(), None).to_numpy()
    band_ref = ref["band"].astype(object).where(ref["band"].notna(), None).to_numpy()
    assert list(band_fast) == list(band_ref)
    assert (fast["complete"].to_numpy() == ref["complete"].to_numpy(dtype=bool)).all()


def _assert_talent_equal(fast: pd.DataFrame, ref: pd.DataFrame) -> None:
    ref = ref.reindex(fast["nip"].astype(str))
    for col in TALENT:
        a = fast[col].to_numpy(dtype=np.float64)
        b = ref[col].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
        if col == "box":
            b = np.where(np.isnan(b), 0.0, b)
        assert np.array_equal(a, b, equal_nan=True), col


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    out: Path = tmp_path_factory.mktemp("nat")
    generate_national(seed=7, scale=12_000, out=out)
    return next(iter(_iter_national(out)))


def test_every_asn_of_a_national_partition_equals_ip_asn_and_talent_box(
    national: dict[str, pd.DataFrame],
) -> None:
    fast = ip_asn_per_asn(national, on=ON)
    _assert_ip_equal(fast, _reference_ip(national, ON))
    assert fast["band"].notna().sum() > 0.9 * len(fast)  # most ASN are scored
    assert fast["band"].nunique() >= 3
    tb = talent_per_asn(national, year=2025)
    ref = talent_box(
        _plain(national["performance_records"]),
        _plain(national["potential"]),
        year=2025,
        employees=_plain(national["employees"]),
        discipline=_plain(national["discipline_records"]),
    ).persons
    _assert_talent_equal(tb, ref)
    assert set(np.unique(tb["box"])) == set(range(10))  # every box and "no box" occur
    assert (~tb["track_record_ok"]).any()


def test_the_bench_naive_per_person_calls_agree_on_a_sample(
    national: dict[str, pd.DataFrame],
) -> None:
    plain = {n: _plain(f) for n, f in national.items()}
    ip = ip_asn_per_asn(national, on=ON)
    tb = talent_per_asn(national, year=2025)
    bands = ip_bands(ON)
    rng = np.random.default_rng(0)
    no_skp = np.flatnonzero(ip["kinerja"].isna().to_numpy())[:3]
    sample = np.concatenate([rng.choice(len(ip), 12, replace=False), no_skp])
    for i in sample.tolist():
        nip = str(ip["nip"].iloc[i])
        naive = naive_ip_asn(plain, nip, ON)
        for f in IP_FIGURES:
            got = ip[f].iloc[i]
            value = _band_code(got, bands) if f == "band" else float(got)
            assert value == pytest.approx(naive[f], abs=TOL, nan_ok=True), (nip, f)
        naive_t = naive_talent(plain, nip, 2025)
        for f in TALENT_FIGURES:
            assert float(tb[f].iloc[i]) == pytest.approx(naive_t[f], nan_ok=True), (nip, f)


def test_a_regency_world_with_every_form_and_history_year_equals_ip_asn() -> None:
    frames = generate_world(seed=3, scale="kecil").frames
    for year in (2024, 2025, 2026):
        on = date(year, 12, 31)
        _assert_ip_equal(ip_asn_per_asn(frames, on=on), _reference_ip(frames, on))


def _edge_frames() -> dict[str, pd.DataFrame]:
    nips = [f"N{i}" for i in range(9)]
    employees = pd.DataFrame(
        {
            "nip": nips,
            "unit": ["A"] * 5 + ["B"] * 4,
            "position_kind": ["pelaksana", "administrator", None, "pelaksana", "jpt_utama",
                              "fungsional_keahlian", "pelaksana", "pengawas", "pelaksana"],
            "education_level": ["S-1", "s2", "SLTA", None, "S3", "D4", "SMP", "S1", "D3"],
        }
    )  # fmt: skip
    activities = pd.DataFrame(
        {
            "code": ["T19", "T20", "W-old", "W-edge", "W-in", "PKA", "T-late"],
            "form": ["pelatihan_teknis", "pelatihan_teknis", "workshop", "workshop", "seminar",
                     "pka", "pelatihan_teknis"],
            "jp": [19.0, 20.0, 8.0, 8.0, 4.0, 40.0, 24.0],
            "end_date": pd.to_datetime(["2025-06-01", "2025-01-01", "2023-06-30", "2023-12-31",
                                        "2024-01-01", "2019-05-05", "2026-01-02"]),
        }
    )  # fmt: skip
    enrollments = pd.DataFrame(
        {
            "activity": ["T19", "T20", "W-old", "W-edge", "W-in", "PKA", "T-late", "T20", "PKA",
                         "W-in"],
            "nip": ["N0", "N0", "N1", "N1", "N1", "N1", "N3", "N6", "N6", "N8"],
            "status": ["completed"] * 9 + ["withdrawn"],
        }
    )  # fmt: skip
    performance = pd.DataFrame(
        {
            "nip": ["N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N0", "N1", "N5", "N7"],
            "year": [2024] * 8 + [2025] * 4,
            "predikat": ["baik", "Sangat Baik", None, "kurang", "sangat_baik", "butuh_perbaikan",
                         None, "baik", "sangat_baik", "baik", "sangat_baik", "butuh_perbaikan"],
            "score": [80.0, 95.0, 91.0, 55.0, 99.0, 65.0, 50.5, 77.0, 93.0, 80.0, 94.0, 70.0],
        }
    )  # fmt: skip
    discipline = pd.DataFrame(
        {
            "nip": ["N1", "N1", "N4", "N5", "N7", "N8"],
            "level": ["ringan", "berat", "sedang", "Berat", "sedang", "berat"],
            "decided_on": pd.to_datetime(["2020-02-02", "2026-01-01", "2025-12-31", "2023-12-31",
                                          "2024-01-01", "2024-07-07"]),
        }
    )  # fmt: skip
    potential = pd.DataFrame(
        {
            "nip": ["N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7"],
            "score": [50.0, 60.0, 60.0, 70.0, np.nan, 40.0, 55.5, 80.0],
            "cohort": ["A", "A", "A", "A", "A", "B", "B", None],
        }
    )
    return {
        "employees": employees,
        "activities": activities,
        "enrollments": enrollments,
        "performance_records": performance,
        "discipline_records": discipline,
        "potential": potential,
    }


def test_edge_cases_windows_thresholds_missing_inputs_and_ties() -> None:
    frames = _edge_frames()
    for on in (date(2025, 12, 31), date(2026, 12, 31), date(2024, 12, 31)):
        fast = ip_asn_per_asn(frames, on=on)
        _assert_ip_equal(fast, _reference_ip(frames, on))
    fast = ip_asn_per_asn(frames, on=ON).set_index("nip")
    assert np.isnan(fast.loc["N2", "total"]) and not fast.loc["N2", "complete"]  # no kind
    assert np.isnan(fast.loc["N3", "kualifikasi"])  # no education
    assert fast.loc["N6", "kinerja"] == 5.0  # score 50.5 only: category buruk
    assert fast.loc["N0", "kompetensi"] == 22.5  # 20 JP counts, 19 JP does not
    # the 9-box refuses an SKP without predikat (so does talent_box); fill them
    frames["performance_records"] = frames["performance_records"].fillna({"predikat": "kurang"})
    for year in (2024, 2025, 2026):
        tb = talent_per_asn(frames, year=year)
        ref = talent_box(
            frames["performance_records"],
            frames["potential"],
            year=year,
            employees=frames["employees"],
            discipline=frames["discipline_records"],
        ).persons
        _assert_talent_equal(tb, ref)
    given = dict(frames, potential=pd.DataFrame({"nip": ["N0", "N1"], "level": [3, np.nan]}))
    tb = talent_per_asn(given, year=2025)
    ref = talent_box(
        frames["performance_records"], given["potential"], year=2025,
        employees=frames["employees"],
    ).persons  # fmt: skip
    _assert_talent_equal(tb.assign(track_record_ok=True), ref)


def test_unknown_predikat_and_sanction_level_are_refused_in_both_languages() -> None:
    frames = _edge_frames()
    bad = frames["performance_records"].assign(predikat="istimewa")
    with pytest.raises(MutuValueError) as err:
        ip_asn_per_asn(dict(frames, performance_records=bad), on=ON)
    assert "tidak dikenal" in err.value.message_id and "unknown" in err.value.message_en
    with pytest.raises(MutuValueError):
        talent_per_asn(dict(frames, performance_records=bad), year=2025)
    with pytest.raises(MutuValueError) as err:  # an empty predikat, as talent_box refuses it
        talent_per_asn(frames, year=2025)
    assert "kosong" in err.value.message_id and "empty" in err.value.message_en
    worse = frames["discipline_records"].assign(level="dipecat")
    with pytest.raises(MutuValueError) as err:
        ip_asn_per_asn(dict(frames, discipline_records=worse), on=ON)
    assert "level" in err.value.message_en
