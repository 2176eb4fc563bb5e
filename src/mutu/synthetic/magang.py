"""The internship (magang) of young ASN with Universitas Gunung Leuser, and its outcome.

Young ASN are PNS appointed at most 35 years old whose appointment (TMT)
falls 2 to 8 months before one of the two yearly batch starts (1 March,
1 September), so each has exactly one batch to join.  PPPK are not eligible:
they may receive at most 24 JP a year (PP 49/2018 Pasal 40), less than the
internship's 60.  BKPSDM nominates up to 20 per batch, preferring degree
holders, the young and those near Kutacane (observed characteristics only).

Outcome: months from appointment until the position's technical competency
standard is reached.  Without the internship it is ``T0 = 9 + G`` months with
``log G ~ N(m, 0.45)``, ``m`` depending on the same observed characteristics;
with it, ``T1 = 9 + G · factor`` (the scenario's ``magang_factor``; 1 in
``null``).  Both come from the same G (common random numbers).  The
supervisor assesses the technical competency monthly from the first month
after appointment (one level below the standard) until the month the
standard is first met, or until the end of the window (censoring).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mutu.synthetic.config import WorldConfig
from mutu.synthetic.names import mentor_names
from mutu.synthetic.util import add_months, dates, days_to_datetime, gumbel_top_k, months_between

MIN_MONTHS = 9.0
#: Interns per batch at kabupaten scale.
MAGANG_CAPACITY = 20
LOG_TEXTS = {
    "teknis_pembelajaran": (
        "Observasi pembelajaran di laboratorium sekolah FKIP",
        "Menyusun modul ajar bersama dosen pembimbing",
        "Praktik mengajar terbimbing (microteaching)",
        "Menyusun asesmen diagnostik",
    ),
    "teknis_pelayanan_kesehatan": (
        "Orientasi standar pelayanan dan keselamatan pasien",
        "Menyusun alur pelayanan bersama pembimbing",
        "Praktik pencatatan dan pelaporan",
        "Diskusi kasus pelayanan",
    ),
}
DEFAULT_LOG = (
    "Orientasi tugas dan standar kompetensi jabatan",
    "Mengikuti kegiatan unit mitra di kampus",
    "Menyusun laporan kegiatan mingguan",
    "Praktik kerja terbimbing",
    "Presentasi kemajuan kepada pembimbing",
)
COMMENTS = ("Baik, lanjutkan.", "Perlu lebih teliti.", "Progres sesuai rencana.", "")


@dataclass(slots=True)
class YoungPool:
    """Young ASN with their batch and latent months to proficiency."""

    table: pd.DataFrame


def young_pool(
    config: WorldConfig, people: pd.DataFrame, activities: pd.DataFrame, rng: np.random.Generator
) -> YoungPool:
    """The young ASN, their one internship batch, and T0 / T1 for each."""
    s = config.selection
    batches = activities[activities["line"] == "MAGANG"].sort_values("start_date", kind="stable")
    starts = batches["start_date"].to_numpy().astype("datetime64[D]")
    tmt = dates(people["tmt"])
    age_tmt = (tmt - dates(people["birth"])).astype(np.int64) / 365.25
    # PNS only: a PPPK may receive at most 24 JP a year (PP 49/2018), less than the
    # internship's 60 JP.
    ok = (people["status_code"].to_numpy() == 0) & (age_tmt <= 35)
    batch = np.full(len(people), -1)
    for b, start in enumerate(starts):
        lo, hi = add_months(np.array([start]), -8)[0], add_months(np.array([start]), -2)[0]
        batch = np.where(ok & (tmt > lo) & (tmt <= hi), b, batch)
    idx = np.flatnonzero(batch >= 0)
    p = people.iloc[idx]
    degree = p["degree"].to_numpy(dtype=float)
    age = age_tmt[idx] - 28.0
    dist10 = p["distance_km"].to_numpy() / 10.0
    m = s.prof_log_median + s.prof_degree * degree + s.prof_age * age + s.prof_distance10 * dist10
    g = np.exp(m + s.prof_sd * rng.standard_normal(len(idx)))
    weight = s.magang_degree * degree + s.magang_distance10 * dist10 + s.magang_age * age
    table = pd.DataFrame(
        {
            "person": idx,
            "nip": p["nip"].to_numpy(),
            "tmt": tmt[idx],
            "batch": batch[idx],
            "activity": batches["code"].to_numpy()[batch[idx]],
            "weight": weight,
            "t0": MIN_MONTHS + g,
            "t1": MIN_MONTHS + g * config.effects.magang_factor,
        }
    )
    return YoungPool(table)


def nominate_magang(
    config: WorldConfig, pool: YoungPool, activities: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Up to 20 nominations per batch (fewer in a smaller world), weighted draw."""
    capacity = max(5, round(MAGANG_CAPACITY * config.scale.class_factor))
    t = pool.table
    out = []
    act = activities.set_index("code")
    for code in sorted(t["activity"].unique(), key=lambda c: (act.loc[c, "start_date"], c)):
        rows = np.flatnonzero(t["activity"].to_numpy() == code)
        chosen = rows[gumbel_top_k(rng, t["weight"].to_numpy()[rows], capacity)]
        start = np.datetime64(act.loc[code, "start_date"], "D")
        out.append(
            pd.DataFrame(
                {
                    "activity": code,
                    "person": t["person"].to_numpy()[chosen],
                    "nominated_on": start - rng.integers(14, 36, len(chosen)),
                }
            )
        )
    return pd.concat(out, ignore_index=True)


@dataclass(slots=True)
class MagangOutcome:
    """Internship frames, monthly assessments, the proficiency frame and the latent table."""

    internships: pd.DataFrame
    logs: pd.DataFrame
    assessments: pd.DataFrame
    proficiency: pd.DataFrame
    #: Internal: the pool with the treatment and observed outcome columns added.
    table: pd.DataFrame


def magang_outcomes(
    config: WorldConfig,
    pool: YoungPool,
    people: pd.DataFrame,
    enrol: pd.DataFrame,
    activities: pd.DataFrame,
    rng: np.random.Generator,
) -> MagangOutcome:
    """Internships, weekly logs, monthly assessments and the proficiency frame."""
    as_of = np.datetime64(config.as_of.isoformat(), "D")
    e = enrol[enrol["line"] == "MAGANG"]
    t = pool.table.copy()
    done = set(e.loc[e["completed"], "nip"])
    started = e[e["show"]]
    t["magang"] = t["nip"].isin(done).to_numpy()
    t["t"] = np.where(t["magang"], t["t1"], t["t0"])
    k_reach = np.ceil(t["t"].to_numpy()).astype(np.int64)
    tmt = dates(t["tmt"])
    reach_date = add_months(tmt, k_reach)
    observed = reach_date <= as_of
    months_avail = np.floor(months_between(tmt, np.full(len(t), as_of)) + 1e-9).astype(np.int64)
    # The last monthly assessment not after the end of the window.
    k_last = np.where(observed, k_reach, months_avail)
    while True:
        late = add_months(tmt, k_last) > as_of
        if not late.any():
            break
        k_last = np.where(late, k_last - 1, k_last)
    k_last = np.maximum(k_last, 0)
    t["observed"] = observed
    t["months"] = np.where(observed, k_reach.astype(float), np.nan)

    pp = people.iloc[t["person"].to_numpy()]
    sup_name = dict(zip(people["nip"], people["plain_name"], strict=True))
    rep = np.repeat(np.arange(len(t)), k_last)
    k = np.concatenate([np.arange(1, x + 1) for x in k_last]) if len(t) else np.zeros(0, np.int64)
    std = pp["teknis_level"].to_numpy()[rep]
    reached = observed[rep] & (k == k_reach[rep])
    level = np.where(reached, std, std - 1)
    early = (k <= k_reach[rep] // 3) & (std >= 3)
    level = np.where(early & ~reached, std - 2, level)
    assessments = pd.DataFrame(
        {
            "nip": t["nip"].to_numpy()[rep],
            "competency": pp["teknis"].to_numpy()[rep],
            "level": level.astype(np.int64),
            "assessed_on": days_to_datetime(add_months(tmt[rep], k)),
            "method": "supervisor",
            "assessor": [
                sup_name.get(x, "") if isinstance(x, str) else ""
                for x in pp["supervisor"].to_numpy()[rep]
            ],
        }
    )
    proficiency = pd.DataFrame(
        {
            "nip": t["nip"].to_numpy(),
            "appointed_on": days_to_datetime(tmt),
            "magang": t["magang"].to_numpy(),
            "competency": pp["teknis"].to_numpy(),
            "required_level": pp["teknis_level"].to_numpy(dtype=np.int64),
            "reached_on": days_to_datetime(np.where(observed, reach_date, np.datetime64("NaT"))),
            "months_to_standard": t["months"].to_numpy(dtype=float),
            "censored": ~observed,
            "followed_until": days_to_datetime(np.where(observed, reach_date, as_of)),
        }
    )
    internships, logs = _internships(started, activities, people, rng)
    return MagangOutcome(internships, logs, assessments, proficiency, t)


def _internships(
    started: pd.DataFrame, activities: pd.DataFrame, people: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    act = activities.set_index("code")
    mentors = mentor_names(rng, 12)
    start = act.loc[started["activity"], "start_date"].to_numpy().astype("datetime64[D]")
    full_end = act.loc[started["activity"], "end_date"].to_numpy().astype("datetime64[D]")
    end = np.where(started["completed"].to_numpy(dtype=bool), full_end, start + 30)
    teknis = people["teknis"].to_numpy()[started["person"].to_numpy()]
    internships = pd.DataFrame(
        {
            "activity": started["activity"].to_numpy(),
            "nip": started["nip"].to_numpy(),
            "host_partner": "Universitas Gunung Leuser",
            "host_unit": pd.Series([None] * len(started), dtype="str"),
            "mentor_name": [mentors[i] for i in rng.integers(0, len(mentors), len(started))],
            "start": days_to_datetime(start),
            "end": days_to_datetime(end),
            "objectives": [
                "Mempercepat pencapaian standar kompetensi teknis jabatan: "
                + t.removeprefix("teknis_").replace("_", " ")
                for t in teknis
            ],
        }
    )
    weeks = ((end - start).astype(np.int64) // 7) + 1
    rep = np.repeat(np.arange(len(started)), weeks)
    wk = np.concatenate([np.arange(w) for w in weeks]) if len(weeks) else np.zeros(0, np.int64)
    texts = [LOG_TEXTS.get(teknis[i], DEFAULT_LOG) for i in rep]
    pick = rng.integers(0, 1000, len(rep))
    logs = pd.DataFrame(
        {
            "activity": started["activity"].to_numpy()[rep],
            "nip": started["nip"].to_numpy()[rep],
            "week_start": days_to_datetime(start[rep] + 7 * wk),
            "text": [opts[j % len(opts)] for opts, j in zip(texts, pick, strict=True)],
            "mentor_comment": [COMMENTS[j % len(COMMENTS)] for j in pick // 7],
        }
    )
    return internships, logs
