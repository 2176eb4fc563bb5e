"""What an analyst would derive from the frames alone (no access to the generator's latents)."""

from __future__ import annotations

import pandas as pd

from mutu.domain.golongan import golongan_table
from mutu.synthetic import World

INSTANSI = "PEMKAB-AGR"


def employee_covariates(world: World) -> pd.DataFrame:
    """Per NIP: distance, workload, SKPK, golongan rank, prior SKP, part-time, supervisor."""
    f = world.frames
    units = f["units"].set_index("code")
    parent = units["parent"].to_dict()

    def top(code: str) -> str:
        while isinstance(parent.get(code), str) and parent[code] != INSTANSI:
            code = parent[code]
        return code

    emp = f["employees"].copy()
    kec = f["kecamatan"].set_index("code")["distance_km"]
    emp["distance_km"] = kec.reindex(units.loc[emp["unit"], "kecamatan"]).to_numpy()
    emp["workload"] = units.loc[emp["unit"], "workload"].to_numpy()
    emp["skpk"] = [top(u) for u in emp["unit"]]
    rank = {g.code: g.rank for g in golongan_table("PNS")}
    emp["rank"] = emp["golongan"].map(rank).fillna(0.0)
    perf = f["performance_records"]
    prior = perf[perf["year"] < world.years[0]].groupby("nip")["score"].mean()
    emp["skp_prior"] = emp["nip"].map(prior)
    emp["part_time"] = (emp["employment_type"] == "part_time").astype(int)
    return emp.set_index("nip")


def enrollments_with_attendance(world: World) -> pd.DataFrame:
    """Enrollments with line, year, start date, attended (present at any session), offered."""
    f = world.frames
    acts = f["activities"].set_index("code")
    att = f["attendance"].groupby(["activity", "nip"])["present"].any().rename("attended")
    e = f["enrollments"].join(att, on=["activity", "nip"])
    e["line"] = acts.loc[e["activity"], "line"].to_numpy()
    e["year"] = acts.loc[e["activity"], "year"].to_numpy()
    e["start_date"] = acts.loc[e["activity"], "start_date"].to_numpy()
    offers = f["incentive_offers"][["activity", "nip"]].assign(offered=1)
    e = e.merge(offers, on=["activity", "nip"], how="left")
    e["offered"] = e["offered"].fillna(0).astype(int)
    return e


def score_table(world: World) -> pd.DataFrame:
    """One row per test response: activity, NIP, occasion, score 0-100 (from the answer keys)."""
    f = world.frames
    r = f["responses"]
    tests = r[r["instrument"].str.startswith("TEST-")]
    a = f["answers"].merge(tests[["token", "instrument", "version"]], on="token")
    items = f["items"][f["items"]["item_type"] == "multiple_choice"]
    keys = items[["instrument", "version", "code", "answer_key"]].rename(columns={"code": "item"})
    a = a.merge(keys, on=["instrument", "version", "item"])
    score = (a["option"] == a["answer_key"]).groupby(a["token"]).mean() * 100
    out = tests.merge(f["response_identities"], on="token")
    out["score"] = out["token"].map(score)
    return out[["activity", "nip", "occasion", "score"]]


def workplan_panel(world: World) -> pd.DataFrame:
    """Supervisor ratings: per rated person and year the K1-K4 mean before and after."""
    f = world.frames
    r = f["responses"]
    sr = r[r["instrument"] == "PENILAIAN-ATASAN"]
    a = f["answers"]
    k = a[a["token"].isin(sr["token"]) & a["item"].str.startswith("K")]
    score = k.groupby("token")["value"].mean()
    sr = sr.assign(score=sr["token"].map(score), year=sr["submitted_at"].dt.year)
    panel = sr.pivot_table(
        index=["subject_nip", "year"], columns="occasion", values="score"
    ).reset_index()
    e = enrollments_with_attendance(world)
    done = e[(e["line"] == "TKPB") & (e["status"] == "completed")].set_index("nip")["year"]
    panel["trained_year"] = panel["subject_nip"].map(done)
    panel["trained"] = (panel["trained_year"] == panel["year"]).astype(int)
    return panel
