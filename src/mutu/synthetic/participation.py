"""Who is nominated, who is offered an incentive, who comes, who completes.

Nomination (per activity, in date order) is a weighted draw without
replacement among the eligible, with log-weights on *observed*
characteristics only (see :func:`_eligible`); nobody is nominated twice for
the same line.  Incentive offers go preferentially to those far from
Kutacane or in heavy-workload units, i.e. to those least likely to come.

Showing up (present at the first session) follows a logit model::

    η = α_line + b_d·km/10 + b_w·workload + b_a·(age − 40)/10 + b_p·part_time
    P(show) = logistic(η + γ·offer)

with γ the scenario's incentive effect.  After showing up, a participant
drops out at each later session with hazard 1.5% + 2% (heavy workload) + 1% per
10 km, and misses a session otherwise with probability 5%.  Completion is
attendance at ≥ 80% of the sessions; leadership trainings fail 4% of their
completers.  All uniforms are drawn for every nomination and every session,
so the ``null`` and ``baseline`` worlds differ only where γ moves a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from mutu.synthetic.config import WorldConfig
from mutu.synthetic.program import LINE_BY_CODE
from mutu.synthetic.util import dates, days_to_datetime, gumbel_top_k, logistic, tokens

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(slots=True)
class Participation:
    """Frames of participation and the internal per-enrollment table."""

    enrollments: pd.DataFrame
    attendance: pd.DataFrame
    certificates: pd.DataFrame
    offers: pd.DataFrame
    schemes: pd.DataFrame
    #: Internal: one row per enrollment, with person index and latent probabilities.
    table: pd.DataFrame


def _eligible(
    line: str,
    people: pd.DataFrame,
    start: np.datetime64,
    year: int,
    adoption: dict[str, int],
    skp_z: FloatArray,
    before: BoolArray,
    config: WorldConfig,
) -> tuple[BoolArray, FloatArray]:
    """Eligibility and log-weights of every employee for one activity."""
    s = config.selection
    active = dates(people["tmt"]) <= start - 30
    part = people["part_time"].to_numpy(dtype=bool)
    dist10 = people["distance_km"].to_numpy() / 10.0
    kind = people["kind"].to_numpy()
    tier = people["tier"].to_numpy()
    front = people["front_line"].to_numpy(dtype=bool)
    service_unit = people["service_unit"].to_numpy(dtype=bool)
    age10 = (start - dates(people["birth"])).astype(np.int64) / 3652.5 - 4.0
    w = np.zeros(len(people))
    if line == "PMPP":
        ok = active & (front | ((kind == "pelaksana") & ~service_unit))
        adopted = np.array(
            [0 < adoption.get(u, 0) <= year for u in people["unit"].to_numpy()], dtype=bool
        )
        w = np.where(service_unit, np.where(adopted, 2.5, -4.0), 0.0) - 0.25 * dist10
        w = w - 1.5 * before
        return ok, w
    if line == "TKPB":
        ok = active & people["workplan"].to_numpy(dtype=bool) & ~np.isnan(skp_z) & ~before
        rank = people["rank"].to_numpy(dtype=float)
        priority = people["skpk"].isin(("DISDIKBUD", "BAPPEDA", "BPKK")).to_numpy(dtype=bool)
        w = (
            s.gg_skp * np.nan_to_num(skp_z)
            + s.gg_age10 * age10
            + s.gg_rank * (rank - 10)
            + s.gg_distance10 * dist10
            + s.gg_priority_unit * priority
        )
        return ok, w
    if line == "SEMINT":
        return active & ~part, 1.0 * (tier <= 2) - 0.3 * dist10
    if line in ("SEMPP", "NGOYAN"):
        ok = active & front
        if line == "NGOYAN":
            ok = ok & service_unit
        return ok, -0.3 * dist10
    if line == "WSSKP":
        return active & ~part, 1.0 * ((tier <= 2) | people["workplan"].to_numpy(dtype=bool))
    if line == "WSARSIP":
        clerk = people["position"].str.endswith(".pengadministrasi").to_numpy(dtype=float)
        ok = np.asarray(active & ~part & (kind == "pelaksana"), dtype=np.bool_)
        return ok, np.asarray(1.5 * clerk, dtype=np.float64)
    if line in ("ELDIG", "ELASN"):
        return active, -0.3 * age10 + 0.3 * part
    if line in ("PKP", "PKA"):
        want = "pengawas" if line == "PKP" else "administrator"
        return active & (kind == want) & ~before, 0.05 * people["service_end"].to_numpy()
    raise KeyError(line)  # pragma: no cover - every line is listed above


def nominate(
    config: WorldConfig,
    people: pd.DataFrame,
    skp_z: FloatArray,
    activities: pd.DataFrame,
    adoption: dict[str, int],
    rng: np.random.Generator,
    pppk_cap: float,
) -> pd.DataFrame:
    """Nominations for every activity except the internships (see ``magang.py``).

    A PPPK is not nominated for an activity that would take their planned JP
    of the year above ``pppk_cap`` (24 JP, PP 49/2018 Pasal 40; the contract
    year is taken as the calendar year).
    """
    order = activities.sort_values(["start_date", "code"], kind="stable")
    before: dict[str, BoolArray] = {}
    same_year: dict[tuple[str, int], BoolArray] = {}
    planned_jp: dict[int, FloatArray] = {}
    pppk = people["status_code"].to_numpy() > 0
    out = []
    n = len(people)
    starts = dates(order["start_date"])
    for k, act in enumerate(order.itertuples(index=False)):
        line = str(act.line)
        if line == "MAGANG":
            continue
        start = starts[k]
        year = int(str(act.year))
        prev = before.setdefault(line, np.zeros(n, dtype=bool))
        taken = same_year.setdefault((line, year), np.zeros(n, dtype=bool))
        ok, w = _eligible(line, people, start, year, adoption, skp_z, prev, config)
        jp_so_far = planned_jp.setdefault(year, np.zeros(n))
        jp = float(str(act.jp))
        ok &= ~taken & ~(pppk & (jp_so_far + jp > pppk_cap))
        idx = np.flatnonzero(ok)
        chosen = idx[gumbel_top_k(rng, w[idx], int(str(act.capacity)))]
        prev[chosen] = True
        taken[chosen] = True
        jp_so_far[chosen] += jp
        lead = rng.integers(14, 36, len(chosen))
        out.append(
            pd.DataFrame({"activity": act.code, "person": chosen, "nominated_on": start - lead})
        )
    return pd.concat(out, ignore_index=True)


def simulate(
    config: WorldConfig,
    people: pd.DataFrame,
    noms: pd.DataFrame,
    activities: pd.DataFrame,
    sessions: pd.DataFrame,
    inc_rng: np.random.Generator,
    att_rng: np.random.Generator,
    token_rng: np.random.Generator,
) -> Participation:
    """Offers, attendance per session, completion and certificates."""
    s = config.selection
    act = activities.set_index("code")
    t = noms.copy()
    t["line"] = act.loc[t["activity"], "line"].to_numpy()
    t["year"] = act.loc[t["activity"], "year"].to_numpy()
    t["start"] = act.loc[t["activity"], "start_date"].to_numpy().astype("datetime64[D]")
    t["end"] = act.loc[t["activity"], "end_date"].to_numpy().astype("datetime64[D]")
    p = people.iloc[t["person"].to_numpy()]
    t["nip"] = p["nip"].to_numpy()
    dist10 = p["distance_km"].to_numpy() / 10.0
    workload = p["workload"].to_numpy(dtype=float)
    part = p["part_time"].to_numpy(dtype=float)
    age10 = (dates(t["start"]) - dates(p["birth"])).astype(np.int64) / 3652.5 - 4.0
    n = len(t)

    # Incentive offers (targeted at those least likely to come).
    can_offer = np.array([LINE_BY_CODE[x].offers for x in t["line"]], dtype=bool)
    can_offer &= t["year"].to_numpy() >= config.first_year + 1
    p_offer = logistic(
        s.offer_intercept + s.offer_distance10 * dist10 + s.offer_workload * workload
    )
    offered = can_offer & (inc_rng.random(n) < p_offer)

    intercept = np.array([LINE_BY_CODE[x].intercept for x in t["line"]])
    eta = (
        intercept
        + s.att_distance10 * dist10
        + s.att_workload * workload
        + s.att_age10 * age10
        + s.att_part_time * part
    )
    p0 = logistic(eta)
    p1 = logistic(eta + config.effects.incentive)
    show = att_rng.random(n) < np.where(offered, p1, p0)

    # Session grid: every enrollment × every session of its activity.
    n_sess = sessions.groupby("activity", sort=False).size()
    ns = n_sess.reindex(t["activity"]).to_numpy(dtype=np.int64)
    rep = np.repeat(np.arange(n), ns)
    sno = np.concatenate([np.arange(1, k + 1) for k in ns]) if n else np.zeros(0, np.int64)
    u_drop = att_rng.random(len(rep))
    u_pres = att_rng.random(len(rep))
    residential = t["line"].isin(("PKP", "PKA", "MAGANG")).to_numpy(dtype=bool)
    hazard = (0.015 + 0.02 * workload + 0.01 * dist10) * np.where(residential, 0.2, 1.0)
    hazard = hazard[rep]
    drop_flag = (sno >= 2) & (u_drop < hazard)
    dropped_so_far = pd.Series(drop_flag).groupby(rep).cumsum().to_numpy() > 0
    present = show[rep] & ~dropped_so_far & ((sno == 1) | (u_pres < 0.95))
    count = np.bincount(rep, weights=present, minlength=n)
    dropped = np.bincount(rep, weights=drop_flag & show[rep], minlength=n) > 0
    last_present = np.zeros(n, dtype=bool)
    last_present[rep[sno == ns[rep]]] = present[sno == ns[rep]]
    completed = show & (count >= np.ceil(0.8 * ns))
    leadership = t["line"].isin(("PKP", "PKA")).to_numpy(dtype=bool)
    fail = completed & leadership & (att_rng.random(n) < 0.04)
    status = np.where(
        ~show,
        "withdrawn",
        np.where(
            completed & ~fail, "completed", np.where(dropped & ~completed, "withdrawn", "failed")
        ),
    )
    t["offer_eligible"] = can_offer
    t["offered"] = offered
    t["p0"] = p0
    t["p1"] = p1
    t["show"] = show
    t["n_sessions"] = ns
    t["present_count"] = count.astype(np.int64)
    t["last_present"] = last_present
    t["completed"] = status == "completed"
    t["status"] = status

    reg_lag = att_rng.integers(1, 11, n)
    registered = show | (att_rng.random(n) < 0.6)
    enrollments = pd.DataFrame(
        {
            "activity": t["activity"].to_numpy(),
            "nip": t["nip"].to_numpy(),
            "status": status,
            "nominated_by": p["supervisor"].to_numpy(),
            "nominated_on": days_to_datetime(dates(t["nominated_on"])),
            "registered_on": days_to_datetime(
                np.where(registered, dates(t["nominated_on"]) + reg_lag, np.datetime64("NaT"))
            ),
            "completed_on": days_to_datetime(
                np.where(t["completed"], dates(t["end"]), np.datetime64("NaT"))
            ),
        }
    )

    sess = sessions.set_index(["activity", "session_no"])
    keys = pd.MultiIndex.from_arrays([t["activity"].to_numpy()[rep], sno])
    starts = sess.loc[keys, "starts_at"].to_numpy()
    offset = att_rng.integers(-20, 26, len(rep)).astype("timedelta64[m]")
    online = np.array([LINE_BY_CODE[x].weekly for x in t["line"]], dtype=bool)[rep]
    qr = (t["year"].to_numpy()[rep] >= config.first_year + 2) & ~online
    attendance = pd.DataFrame(
        {
            "activity": t["activity"].to_numpy()[rep],
            "session_no": sno.astype(np.int64),
            "nip": t["nip"].to_numpy()[rep],
            "present": present,
            "checked_in_at": np.where(present, starts + offset, np.datetime64("NaT")).astype(
                "datetime64[ms]"
            ),
            "method": np.where(qr, "qr", "operator"),
        }
    )

    done = np.flatnonzero(t["completed"].to_numpy())
    seq = (
        pd.Series(t["activity"].to_numpy()[done]).groupby(t["activity"].to_numpy()[done]).cumcount()
        + 1
    )
    certificates = pd.DataFrame(
        {
            "activity": t["activity"].to_numpy()[done],
            "nip": t["nip"].to_numpy()[done],
            "number": [
                f"SERT/{a}/{k:03d}"
                for a, k in zip(t["activity"].to_numpy()[done], seq.to_numpy(), strict=True)
            ],
            "issued_on": days_to_datetime(
                dates(t["end"])[done] + att_rng.integers(0, 15, len(done))
            ),
            "verification_token": tokens(token_rng, len(done)),
        }
    )

    schemes, offers = _offers(config, t, offered)
    return Participation(enrollments, attendance, certificates, offers, schemes, t)


def _offers(
    config: WorldConfig, t: pd.DataFrame, offered: BoolArray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    y0, y1 = config.years
    schemes = pd.DataFrame(
        {
            "code": ["INS-PIAGAM", "INS-TPP"],
            "name": [
                "Piagam penghargaan Bupati bagi peserta pengembangan kompetensi",
                "Poin TPP untuk kehadiran pengembangan kompetensi",
            ],
            "kind": ["recognition", "tpp_points"],
            "description": [
                "Piagam dan pengumuman di apel pagi bagi peserta yang menyelesaikan kegiatan.",
                "Tambahan poin penilaian TPP bagi peserta yang hadir dan menyelesaikan kegiatan.",
            ],
            "start": days_to_datetime(
                np.array([f"{y0 + 1}-01-01", f"{min(y0 + 2, y1)}-01-01"], dtype="datetime64[D]")
            ),
            "end": days_to_datetime(
                np.array([f"{y0 + 1}-12-31", f"{y1}-12-31"], dtype="datetime64[D]")
            ),
        }
    )
    idx = np.flatnonzero(offered)
    year = t["year"].to_numpy()[idx]
    scheme = np.where((year >= y0 + 2) | (y0 + 2 > y1), "INS-TPP", "INS-PIAGAM")
    # An offer is made two days after the nomination, never before its scheme starts.
    scheme_start = np.where(
        scheme == "INS-TPP",
        np.datetime64(f"{min(y0 + 2, y1)}-01-01", "D"),
        np.datetime64(f"{y0 + 1}-01-01", "D"),
    )
    when = np.maximum(dates(t["nominated_on"])[idx] + 2, scheme_start)
    offers = pd.DataFrame(
        {
            "scheme": scheme,
            "nip": t["nip"].to_numpy()[idx],
            "activity": t["activity"].to_numpy()[idx],
            "offered_on": days_to_datetime(when),
            "accepted": t["completed"].to_numpy()[idx],
        }
    )
    return schemes, offers
