"""The ASN registry: valid NIPs, consistent golongan, the regency's shape."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mutu.domain.golongan import entry_golongan, parse_golongan
from mutu.domain.nip import parse_nip
from mutu.synthetic import World
from mutu.synthetic.config import PPPK_GOLONGAN_BY_EDUCATION, YEARS_PER_GOLONGAN_STEP
from mutu.synthetic.names import ALAS_CLANS, BATAK_MUSLIM_CLANS, CHRISTIAN_CLANS

ROOT = Path(__file__).resolve().parents[2]


def test_every_nip_parses_and_agrees_with_the_record(world: World) -> None:
    emp = world.frames["employees"]
    assert emp["nip"].is_unique
    for row in emp.itertuples(index=False):
        nip = parse_nip(row.nip)
        assert nip.kind == row.status
        assert nip.birth_date == row.birth_date.date()
        assert nip.sex == row.sex
        assert nip.appointment_year == row.tmt_cpns.year
        if nip.kind == "PNS":
            assert nip.appointment_month == row.tmt_cpns.month
            assert row.tmt_cpns.day == 1
            assert row.employment_type == ""
        else:
            assert row.employment_type in ("full_time", "part_time")


def test_golongan_follows_education_and_years_of_service(world: World) -> None:
    """PNS: entry(education) <= rank <= entry + floor(service / 4); PPPK: the world's table."""
    emp = world.frames["employees"]
    as_of = pd.Timestamp(f"{world.years[1]}-12-31")
    pns = emp[emp["status"] == "PNS"]
    service = (as_of - pns["tmt_cpns"]).dt.days / 365.25
    rank = pns["golongan"].map(lambda g: parse_golongan(g).rank)
    entry = pns["education_level"].map(lambda e: entry_golongan(e).rank)
    assert (rank >= entry).all()
    assert (rank <= entry + np.floor(service / YEARS_PER_GOLONGAN_STEP)).all()
    assert rank.nunique() >= 10  # a spread of grades, not everyone at entry
    pppk = emp[emp["status"] == "PPPK"]
    assert (pppk["golongan"] == pppk["education_level"].map(PPPK_GOLONGAN_BY_EDUCATION)).all()
    assert pppk["golongan"].map(lambda g: parse_golongan(g, kind="PPPK").code).notna().all()


def test_size_and_mix_of_the_workforce(world: World) -> None:
    emp = world.frames["employees"]
    assert 5000 <= len(emp) <= 7000
    counts = emp.groupby(["status", "employment_type"]).size()
    assert counts[("PNS", "")] > 0.5 * len(emp)
    assert counts[("PPPK", "full_time")] > 500
    assert counts[("PPPK", "part_time")] > 800
    # The part-time PPPK are the newly appointed ones (the year before the last).
    part = emp[emp["employment_type"] == "part_time"]
    assert (part["tmt_cpns"].dt.year == world.years[1] - 1).all()
    age = (pd.Timestamp(f"{world.years[1]}-12-31") - emp["birth_date"]).dt.days / 365.25
    assert age.min() >= 18
    assert age.max() <= 58


def test_units_are_a_regency(world: World) -> None:
    units = world.frames["units"]
    skpk = units[units["kind"].isin(["skpk", "rumah_sakit"])]
    assert 30 <= len(skpk) <= 40
    assert (skpk["parent"] == "PEMKAB-AGR").all()
    names = set(units["name"])
    for expected in (
        "Dinas Pendidikan dan Kebudayaan",
        "Dinas Kesehatan",
        "RSUD H. Sahudin Kutacane",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "Sekretariat Daerah Kabupaten",
        "Inspektorat Kabupaten",
    ):
        assert expected in names
    assert (units["kind"] == "sekolah").sum() > 100
    assert (units["kind"] == "puskesmas").sum() >= 16
    assert (units["kind"] == "kecamatan").sum() == 16


def test_every_kecamatan_has_asn_schools_and_a_puskesmas(world: World) -> None:
    f = world.frames
    units = f["units"].set_index("code")
    emp_kec = units.loc[f["employees"]["unit"], "kecamatan"]
    assert set(emp_kec) == set(f["kecamatan"]["code"])
    for kind in ("sekolah", "puskesmas", "kecamatan"):
        assert set(units.loc[units["kind"] == kind, "kecamatan"]) == set(f["kecamatan"]["code"])


def test_kecamatan_codes_and_names_match_the_reference_app(world: World) -> None:
    ref = json.loads(
        (ROOT / "src/mutu/reference/kecamatan_aceh_tenggara.json").read_text(encoding="utf-8")
    )
    expected = [(k["code"], k["name"]) for k in ref["kecamatan"]]
    kec = world.frames["kecamatan"]
    assert list(zip(kec["code"], kec["name"], strict=True)) == expected
    assert (kec.set_index("name").loc["Babussalam", "distance_km"]) == 0.0


def test_supervisors_form_a_tree(world: World) -> None:
    emp = world.frames["employees"]
    boss = dict(zip(emp["nip"], emp["supervisor"], strict=True))
    roots = [n for n, b in boss.items() if not isinstance(b, str)]
    assert len(roots) == 1  # the Sekretaris Daerah
    assert emp.set_index("nip").loc[roots[0], "position"] == "SETDAKAB.kepala"
    for nip in emp["nip"]:
        seen = set()
        while isinstance(nip, str):
            assert nip not in seen
            seen.add(nip)
            nip = boss[nip]


def test_positions_have_competency_standards(world: World) -> None:
    f = world.frames
    std = f["competency_standards"]
    per_position = std.groupby("position").size()
    assert set(per_position.index) == set(f["positions"]["code"])
    assert (per_position == 10).all()
    assert std["required_level"].between(1, 5).all()
    teknis = set(f["competencies"].loc[f["competencies"]["type"] == "teknis", "code"])
    assert std["competency"].isin(teknis).groupby(std["position"]).sum().eq(1).all()


def test_skp_history_starts_before_the_window(world: World) -> None:
    perf = world.frames["performance_records"]
    assert perf["year"].min() == world.years[0] - 3
    share = perf["predikat"].value_counts(normalize=True)
    assert share["baik"] > 0.6
    assert 0.03 < share["sangat_baik"] < 0.3
    assert 5 <= len(world.frames["discipline_records"]) <= 0.02 * len(world.frames["employees"])


def test_names_look_local(world: World) -> None:
    names = world.frames["employees"]["name"]
    assert names.str.len().min() >= 3
    clans = ALAS_CLANS + BATAK_MUSLIM_CLANS + CHRISTIAN_CLANS
    with_clan = names.map(lambda n: any(f" {c}" in n for c in clans))
    assert 0.4 < with_clan.mean() < 0.8  # Acehnese, Gayo and Javanese names have no clan
    alas = names.map(lambda n: any(f" {c}" in n for c in ALAS_CLANS))
    assert alas.mean() > 0.25
    assert names.str.contains(r"S\.Pd\.").any()
