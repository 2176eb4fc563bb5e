"""The ASN: who holds each position, with valid NIPs and consistent golongan.

Every holder is drawn from their position template (status, education, sex,
years of service), then:

- PNS: the TMT CPNS is the first of a month, ``service`` years before the end
  of the window; the birth date lies at least the education's entry age
  before it; the NIP is birth date · TMT year and month · sex · serial.
- PPPK: full-time PPPK were appointed in the years before the window's last
  year, the part-time PPPK in the year before it (the regency's 2025
  intake); the NI PPPK is birth date · appointment year · contract code
  (21 full-time, 24 part-time — an invention of this world) · sex · serial.
- Golongan (PNS): the entry golongan of the education (``entry_golongan``)
  plus one step per full four years of service, minus a delay of 0-2 steps,
  capped by the position's ceiling.  So ``entry ≤ rank ≤ entry + ⌊service/4⌋``.
- Golongan (PPPK): by education (:data:`~mutu.synthetic.config.PPPK_GOLONGAN_BY_EDUCATION`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from mutu.domain.golongan import Education, entry_golongan, golongan_table
from mutu.rulebooks import Rulebook
from mutu.synthetic.config import (
    MAX_AGE_AT_END,
    MIN_ENTRY_AGE,
    PPPK_GOLONGAN_BY_EDUCATION,
    REGULAR_CAP_BY_EDUCATION,
    YEARS_PER_GOLONGAN_STEP,
    WorldConfig,
)
from mutu.synthetic.names import person_names
from mutu.synthetic.organisation import INSTANSI, Organisation
from mutu.synthetic.util import day, days_to_datetime, first_of_month, years_between

DAYS_PER_YEAR = 365.25
PPPK_CODE_FULL = "21"
PPPK_CODE_PART = "24"


@dataclass(slots=True)
class Workforce:
    """The employees frame and the internal per-person table behind it."""

    employees: pd.DataFrame
    position_history: pd.DataFrame
    #: Internal: one row per employee (same order) with derived and latent columns.
    people: pd.DataFrame


def _draw_education(rng: np.random.Generator, mixes: pd.Series) -> npt.NDArray[np.str_]:
    u = rng.random(len(mixes))
    out = np.empty(len(mixes), dtype=object)
    keys = mixes.map(repr)
    for key in sorted(keys.unique()):
        mask = (keys == key).to_numpy()
        mix = mixes[mask].iloc[0]
        levels = np.array([lv for lv, _ in mix], dtype=object)
        cum = np.cumsum([p for _, p in mix])
        idx = np.minimum(np.searchsorted(cum / cum[-1], u[mask], side="right"), len(levels) - 1)
        out[mask] = levels[idx]
    return out.astype(np.str_)


def _unit_top(units: pd.DataFrame) -> dict[str, str]:
    """For every unit, its SKPK-level ancestor (the unit itself for an SKPK)."""
    parent = dict(zip(units["code"], units["parent"], strict=True))
    top: dict[str, str] = {}
    for code in units["code"]:
        node = code
        while parent.get(node) not in (None, INSTANSI) and isinstance(parent.get(node), str):
            node = str(parent[node])
        top[code] = node
    return top


def build_workforce(
    config: WorldConfig,
    org: Organisation,
    rng: np.random.Generator,
    names_rng: np.random.Generator,
    golongan_book: Rulebook,
) -> Workforce:
    """Draw every employee and their supervisor.

    Parameters
    ----------
    config
        The world's configuration.
    org
        The organisation (positions with headcounts).
    rng, names_rng
        The ``workforce`` and ``names`` streams.
    golongan_book
        The ``golongan`` rulebook (entry golongan by education, PNS table).
    """
    slots = org.slots
    idx = np.repeat(np.arange(len(slots)), slots["count"].to_numpy())
    p = slots.iloc[idx].reset_index(drop=True)
    n = len(p)
    as_of = np.datetime64(config.as_of.isoformat(), "D")
    y1 = config.last_year

    # Status: PNS, full-time PPPK, part-time PPPK.
    u = rng.random(n)
    cut1 = p["p_pns"].to_numpy()
    cut2 = cut1 + p["p_full"].to_numpy()
    status_code = np.where(u < cut1, 0, np.where(u < cut2, 1, 2))
    sex = np.where(rng.random(n) < p["female"].to_numpy(), "P", "L").astype(np.str_)
    education = _draw_education(rng, p["education"])
    min_entry = pd.Series(education).map(MIN_ENTRY_AGE).to_numpy(dtype=float)

    # PNS service and entry age; PPPK appointment year and age at appointment.
    smin = p["service_min"].to_numpy(dtype=float)
    smax = np.minimum(p["service_max"].to_numpy(dtype=float), MAX_AGE_AT_END - min_entry - 0.6)
    service = smin + rng.random(n) * np.maximum(smax - smin, 0.0)
    u_entry = rng.random(n)
    room = np.maximum(MAX_AGE_AT_END - 0.5 - service - min_entry, 0.1)
    entry_age = min_entry + 0.1 + u_entry * np.minimum(9.0, room - 0.1)
    tmt_pns = first_of_month(as_of - (service * DAYS_PER_YEAR).astype(np.int64))

    full_years = np.arange(max(2021, config.first_year - 2), y1)
    pppk_year = np.where(
        status_code == 2,
        y1 - 1,
        full_years[rng.integers(0, len(full_years), n)],
    )
    pppk_month = np.where(status_code == 2, 10, rng.integers(1, 13, n))
    tmt_pppk = day(pppk_year, pppk_month, 1)
    pppk_age = np.maximum(min_entry + 0.2, 22 + rng.gamma(2.2, 4.5, n))
    pppk_age = np.minimum(pppk_age, MAX_AGE_AT_END - 0.2 - (y1 - pppk_year + 1))
    is_pns = status_code == 0
    tmt = np.where(is_pns, tmt_pns, tmt_pppk)
    age_at_tmt = np.where(is_pns, entry_age, pppk_age)
    birth = tmt - (age_at_tmt * DAYS_PER_YEAR).astype(np.int64) - rng.integers(0, 20, n)
    service_years = years_between(tmt, as_of)

    # Golongan.
    table = golongan_table("PNS", rulebook=golongan_book)
    codes = np.array([g.code for g in table], dtype=object)
    entry_rank = pd.Series(education).map(
        {e.value: entry_golongan(e, rulebook=golongan_book).rank for e in Education}
    )
    entry_rank_a = entry_rank.to_numpy(dtype=np.int64)
    lag = rng.choice(3, size=n, p=[0.7, 0.25, 0.05])
    steps = np.maximum(np.floor(service_years / YEARS_PER_GOLONGAN_STEP).astype(np.int64) - lag, 0)
    cap = p["cap"].to_numpy(dtype=np.int64)
    regular = pd.Series(education).map(REGULAR_CAP_BY_EDUCATION).to_numpy(dtype=np.int64)
    cap = np.where(p["kind"].to_numpy() == "pelaksana", np.minimum(cap, regular), cap)
    rank = np.maximum(entry_rank_a, np.minimum(entry_rank_a + steps, cap))
    pppk_gol = pd.Series(education).map(PPPK_GOLONGAN_BY_EDUCATION).to_numpy(dtype=object)
    golongan = np.where(is_pns, codes[rank - 1], pppk_gol)

    # NIP.
    birth_s = pd.Series(days_to_datetime(birth)).dt.strftime("%Y%m%d")
    tmt_s = pd.Series(days_to_datetime(tmt))
    middle = np.where(
        is_pns,
        tmt_s.dt.strftime("%Y%m"),
        tmt_s.dt.year.astype(str) + np.where(status_code == 2, PPPK_CODE_PART, PPPK_CODE_FULL),
    )
    prefix = birth_s + pd.Series(middle) + pd.Series(np.where(sex == "L", "1", "2"))
    serial = prefix.groupby(prefix, sort=False).cumcount() + 1
    nip = (prefix + serial.map("{:03d}".format)).to_numpy(dtype=object)

    # Names with academic titles.
    plain = person_names(names_rng, sex)
    teacher = (
        p["teknis"].isin(("teknis_pembelajaran", "teknis_manajemen_sekolah"))
        & (p["kind"] == "fungsional_keahlian")
    ).to_numpy(dtype=bool)
    front, back = _titles(names_rng, p["key"].to_numpy(dtype=object), education, teacher)
    name = np.char.add(np.char.add(front.astype(np.str_), plain), back.astype(np.str_))

    units = org.units.set_index("code")
    kec = org.kecamatan.set_index("code")
    unit_codes = p["unit"].to_numpy(dtype=object)
    unit_kec = units.loc[unit_codes, "kecamatan"].to_numpy(dtype=object)
    top = _unit_top(org.units)
    employment_type = np.where(status_code == 0, "", np.where(status_code == 1, "full_time",
                                                              "part_time"))  # fmt: skip
    supervisor = _supervisors(p, org.units, nip)

    employees = pd.DataFrame(
        {
            "nip": nip,
            "name": name,
            "status": np.where(is_pns, "PNS", "PPPK"),
            "employment_type": employment_type,
            "birth_date": days_to_datetime(birth),
            "sex": sex,
            "golongan": golongan,
            "education_level": education,
            "unit": unit_codes,
            "position": p["position"].to_numpy(dtype=object),
            "supervisor": supervisor,
            "tmt_cpns": days_to_datetime(tmt),
            "is_active": True,
        }
    )
    age_end = years_between(birth, as_of)
    people = pd.DataFrame(
        {
            "nip": nip,
            "status_code": status_code,
            "part_time": status_code == 2,
            "unit": unit_codes,
            "skpk": [top[c] for c in unit_codes],
            "unit_kind": units.loc[unit_codes, "kind"].to_numpy(dtype=object),
            "kecamatan": unit_kec,
            "distance_km": kec.loc[unit_kec, "distance_km"].to_numpy(dtype=float),
            "workload": units.loc[unit_codes, "workload"].to_numpy(dtype=np.int64),
            "priority": units.loc[unit_codes, "priority"].to_numpy(dtype=bool),
            "service_unit": units.loc[unit_codes, "service_unit"].to_numpy(dtype=bool),
            "position": p["position"].to_numpy(dtype=object),
            "kind": p["kind"].to_numpy(dtype=object),
            "tier": p["tier"].to_numpy(dtype=np.int64),
            "workplan": p["workplan"].to_numpy(dtype=bool),
            "front_line": p["front_line"].to_numpy(dtype=bool),
            "teknis": p["teknis"].to_numpy(dtype=object),
            "teknis_level": p["teknis_level"].to_numpy(dtype=np.int64),
            "education": education,
            "degree": np.isin(education, ("D4", "S1", "S2", "S3")),
            "rank": np.where(is_pns, rank, 0),
            "birth": birth,
            "tmt": tmt,
            "age_end": age_end,
            "service_end": service_years,
            "sex": sex,
            "plain_name": plain,
            "front_title": front,
            "back_title": back,
            "supervisor": supervisor,
            "ability": rng.standard_normal(n),
        }
    )
    start = np.maximum(
        tmt, first_of_month(as_of - (rng.uniform(0.5, 8.0, n) * DAYS_PER_YEAR).astype(np.int64))
    )
    history = pd.DataFrame(
        {
            "nip": nip,
            "position": employees["position"],
            "unit": unit_codes,
            "start": days_to_datetime(start),
            "end": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ms]"),
        }
    )
    return Workforce(employees, history, people)


_S1_TITLES = ("S.E.", "S.H.", "S.Sos.", "S.Kom.", "S.IP.", "S.T.", "S.P.", "S.Ag.", "S.AP.")
_S2_TITLES = ("M.Si.", "M.M.", "M.H.", "M.AP.")
_SPESIALIS = ("Sp.PD.", "Sp.A.", "Sp.OG.", "Sp.B.", "Sp.An.")


def _titles(
    rng: np.random.Generator,
    key: npt.NDArray[np.object_],
    education: npt.NDArray[np.str_],
    guru: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """Academic titles before and after the name (gelar depan, gelar belakang)."""
    n = len(key)
    s1 = np.asarray(_S1_TITLES, dtype=object)[rng.integers(0, len(_S1_TITLES), n)]
    s2 = np.asarray(_S2_TITLES, dtype=object)[rng.integers(0, len(_S2_TITLES), n)]
    sp = np.asarray(_SPESIALIS, dtype=object)[rng.integers(0, len(_SPESIALIS), n)]
    back = np.full(n, "", dtype=object)
    back = np.where(education == "D3", ", A.Md.", back)
    back = np.where(education == "D4", ", S.Tr.AP.", back)
    back = np.where(education == "S1", ", " + s1, back)
    back = np.where(education == "S2", ", " + s1 + ", " + s2, back)
    back = np.where(guru & (education == "S1"), ", S.Pd.", back)
    back = np.where(guru & (education == "S2"), ", S.Pd., M.Pd.", back)
    nurse = np.isin(key, ("perawat_terampil", "perawat_ahli"))
    midwife = np.isin(key, ("bidan_terampil", "bidan_ahli"))
    back = np.where(nurse & (education == "D3"), ", A.Md.Kep.", back)
    back = np.where(nurse & (education == "S1"), ", S.Kep.", back)
    back = np.where(midwife & (education == "D3"), ", A.Md.Keb.", back)
    back = np.where(midwife & np.isin(education, ("D4", "S1")), ", S.Tr.Keb.", back)
    health_d3 = np.isin(key, ("farmasi", "lab", "nutrisionis", "sanitarian", "radiografer"))
    back = np.where(health_d3 & (education == "D3"), ", A.Md.Kes.", back)
    doctor = np.isin(key, ("dokter", "spesialis"))
    back = np.where(key == "dokter", "", back)
    back = np.where(key == "spesialis", ", " + sp, back)
    front = np.where(doctor, "dr. ", np.where(nurse & (education == "S1"), "Ns. ", ""))
    return front.astype(object), back.astype(object)


def _supervisors(
    p: pd.DataFrame, units: pd.DataFrame, nip: npt.NDArray[np.object_]
) -> npt.NDArray[np.object_]:
    """Each employee's direct supervisor (NIP), or None for the Sekretaris Daerah.

    Within a unit, a holder of tier t reports to someone of the nearest lower
    tier, round-robin.  A unit head reports to the Sekretaris Daerah, except
    the heads of bagian (to an Asisten), schools and puskesmas (to a Kepala
    Bidang of their dinas).
    """
    out = np.full(len(p), None, dtype=object)
    unit_arr = p["unit"].to_numpy(dtype=object)
    tier = p["tier"].to_numpy(dtype=np.int64)
    by_unit: dict[str, npt.NDArray[np.int64]] = {}
    order = np.argsort(unit_arr.astype(str), kind="stable")
    sorted_units = unit_arr[order]
    bounds = np.flatnonzero(sorted_units[1:] != sorted_units[:-1]) + 1
    for chunk in np.split(order, bounds):
        by_unit[str(unit_arr[chunk[0]])] = chunk
    parent = dict(zip(units["code"], units["parent"], strict=True))
    heads = {u: rows[tier[rows] == 0] for u, rows in by_unit.items()}
    sekda_rows = heads.get("SETDAKAB", np.array([], dtype=np.int64))
    sekda = nip[sekda_rows[0]] if len(sekda_rows) else None
    pools: dict[str, list[object]] = {}
    counters: dict[str, int] = {}
    for u in sorted(by_unit):
        rows = by_unit[u]
        for t in (1, 2, 3):
            here = rows[tier[rows] == t]
            if not len(here):
                continue
            lower = [s for s in range(t) if np.any(tier[rows] == s)]
            bosses = rows[tier[rows] == max(lower)] if lower else rows[tier[rows] == 0]
            if not len(bosses):
                continue
            out[here] = nip[bosses[np.arange(len(here)) % len(bosses)]]
        pools[u] = [nip[i] for i in rows[tier[rows] == 1]]
    for u in sorted(by_unit):
        rows = heads[u]
        if not len(rows) or u == "SETDAKAB":
            continue
        par = parent.get(u)
        pool = pools.get(str(par), []) if par not in (None, INSTANSI) else []
        if pool:
            k = counters.get(str(par), 0)
            out[rows] = pool[k % len(pool)]
            counters[str(par)] = k + 1
        else:
            out[rows] = sekda
    return out
