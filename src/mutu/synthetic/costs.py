"""Money: budget lines per activity and cost type, spending, participants' time.

Unit costs are invented round figures of the kind a regency's standard cost
list (standar biaya) holds; account codes are plausible but invented.

========  ===========================================  ==============================
type      planned (from capacity)                      spent (from what happened)
========  ===========================================  ==============================
honor     Rp 900,000 per JP of classical sessions;      as planned
          e-learning Rp 15,000,000; magang mentors
          Rp 1,500,000 per intern-month
venue     Rp 750,000/day at the BKPSDM hall,            as planned
          Rp 3,500,000/day elsewhere in Kutacane
food      Rp 85,000 per participant-day                 per participant present each day
travel    Rp 150,000 per participant-day for half the   for those working > 10 km away,
          capacity; Rp 1,200,000 per trip to Banda      per day present (trip if they came)
          Aceh
material  Rp 60,000 per participant                     per participant who came
partner   PKP Rp 17,500,000, PKA Rp 28,000,000 per      per participant who came
          participant; UGL Rp 2,000,000 per intern
========  ===========================================  ==============================

Participants' time is an economic cost, not a budget line: the frame
``participant_time_costs`` values each attended session hour at the
employee's estimated hourly pay (monthly pay / 160 h; monthly pay by status
and golongan is an invented table).

The budget is too small for everyone's 20 JP: the design section of
``truth.json`` gives, per year, the number of PNS, the 20 × PNS
participant-JP the floor requires, the program's planned cash cost per
participant-JP (all planned lines / Σ capacity × JP) and the cost of
meeting the floor at that rate, against the year's planned budget.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mutu.synthetic.config import WorldConfig
from mutu.synthetic.program import KUTACANE_HALL, LINE_BY_CODE
from mutu.synthetic.util import dates, day, days_to_datetime

ACCOUNTS = {
    "honorarium": ("5.1.02.02.01.0003", "Honorarium narasumber/pembimbing"),
    "venue": ("5.1.02.02.01.0062", "Sewa tempat dan peralatan"),
    "consumption": ("5.1.02.01.01.0052", "Makanan dan minuman peserta"),
    "transport": ("5.1.02.04.01.0003", "Transportasi dan perjalanan peserta"),
    "materials": ("5.1.02.01.01.0024", "Alat tulis, modul dan sertifikat"),
    "partner_fee": ("5.1.02.02.01.0026", "Kontribusi penyelenggaraan kepada mitra"),
}
PARTNER_FEE = {"PKP": 17_500_000, "PKA": 28_000_000, "MAGANG": 2_000_000}
FAR_KM = 10.0


def _monthly_pay(people: pd.DataFrame) -> np.ndarray:
    rank = people["rank"].to_numpy(dtype=float)
    status = people["status_code"].to_numpy()
    return np.where(
        status == 0, 3_500_000 + 250_000 * rank, np.where(status == 1, 4_200_000, 1_600_000)
    )


def costs(
    config: WorldConfig,
    people: pd.DataFrame,
    activities: pd.DataFrame,
    sessions: pd.DataFrame,
    enrol: pd.DataFrame,
    attendance: pd.DataFrame,
    rng: np.random.Generator,
    jp_floor: int,
    minutes_per_jp: int,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[dict[str, Any]]]:
    """Budget lines, expenditures, participants' time, and the yearly budget arithmetic."""
    person_of = pd.Series(np.arange(len(people)), index=people["nip"].to_numpy())
    far = people["distance_km"].to_numpy() > FAR_KM
    att = attendance[attendance["present"]]
    att_person = person_of.reindex(att["nip"].to_numpy()).to_numpy()
    sess_min = sessions.assign(
        minutes=(sessions["ends_at"] - sessions["starts_at"]).dt.total_seconds() / 60
    ).set_index(["activity", "session_no"])["minutes"]
    att_minutes = sess_min.reindex(
        pd.MultiIndex.from_arrays([att["activity"].to_numpy(), att["session_no"].to_numpy()])
    ).to_numpy()
    by_act = att.assign(
        far=far[att_person],
        day=att["checked_in_at"].dt.floor("D"),
        hours=att_minutes / 60.0,
        pay=_monthly_pay(people)[att_person] / 160.0,
    )
    distinct = by_act.drop_duplicates(["activity", "nip", "day"])
    person_days = distinct.groupby("activity").size()
    far_days = distinct[distinct["far"]].groupby("activity").size()
    came = enrol[enrol["show"]].groupby("activity").size()

    lines, spend = [], []
    ordered = activities.sort_values(["start_date", "code"], kind="stable")
    ends = dates(ordered["end_date"])
    for k, a in enumerate(ordered.itertuples(index=False)):
        line = LINE_BY_CODE[str(a.line)]
        code = str(a.code)
        cap = int(str(a.capacity))
        n_days = sessions[sessions["activity"] == code]["starts_at"].dt.floor("D").nunique()
        jp_sessions = float(sess_min.loc[code].sum()) / minutes_per_jp
        plan: dict[str, float] = {}
        real: dict[str, float] = {}
        n_came = int(came.get(code, 0))
        if line.weekly:
            plan["honorarium"] = real["honorarium"] = 15_000_000
        elif line.code == "MAGANG":
            plan["honorarium"] = 1_500_000 * 3 * cap
            real["honorarium"] = 1_500_000 * 3 * n_came
        else:
            plan["honorarium"] = real["honorarium"] = 900_000 * jp_sessions
        if not line.weekly and line.kecamatan is not None:
            rate = 750_000 if line.venue == KUTACANE_HALL else 3_500_000
            plan["venue"] = real["venue"] = rate * n_days
        if not line.weekly:
            plan["consumption"] = 85_000 * cap * n_days
            real["consumption"] = 85_000 * int(person_days.get(code, 0))
        if line.kecamatan is None and not line.weekly:
            plan["transport"] = 1_200_000 * cap
            real["transport"] = 1_200_000 * n_came
        elif not line.weekly:
            plan["transport"] = 150_000 * cap * n_days * 0.5
            real["transport"] = 150_000 * int(far_days.get(code, 0))
        if line.code != "MAGANG":
            plan["materials"] = 60_000 * cap
            real["materials"] = 60_000 * n_came
        if line.code in PARTNER_FEE:
            plan["partner_fee"] = PARTNER_FEE[line.code] * cap
            real["partner_fee"] = PARTNER_FEE[line.code] * n_came
        for kind, amount in plan.items():
            account, label = ACCOUNTS[kind]
            ref = f"BL-{code}-{kind}"
            lines.append(
                {
                    "code": ref,
                    "program": str(a.program),
                    "activity": code,
                    "fiscal_year": int(str(a.year)),
                    "account_code": account,
                    "cost_type": kind,
                    "description": f"{label} — {a.title}",
                    "planned_amount": float(round(amount)),
                }
            )
            spend.append((ref, code, ends[k], float(round(real[kind])), label))

    budget = pd.DataFrame(lines)
    budget["fiscal_year"] = budget["fiscal_year"].astype(np.int64)
    lag = rng.integers(3, 21, len(spend))
    exp = pd.DataFrame(
        {
            "budget_line": [s[0] for s in spend],
            "date": days_to_datetime(np.array([s[2] for s in spend]) + lag),
            "amount": [s[3] for s in spend],
            "description": [f"Realisasi {s[4].lower()} {s[1]}" for s in spend],
            "document_number": [f"SP2D/{i + 1:05d}/BPKK" for i in range(len(spend))],
        }
    )
    exp = exp[exp["amount"] > 0].reset_index(drop=True)

    time = (
        by_act.assign(value=by_act["hours"] * by_act["pay"])
        .groupby("activity", sort=False)
        .agg(participant_hours=("hours", "sum"), amount=("value", "sum"))
    )
    time_df = pd.DataFrame(
        {
            "activity": activities["code"].to_numpy(),
            "participant_hours": time["participant_hours"]
            .reindex(activities["code"])
            .fillna(0.0)
            .to_numpy(),
            "amount": np.round(time["amount"].reindex(activities["code"]).fillna(0.0).to_numpy()),
        }
    )
    time_df["hourly_cost"] = np.where(
        time_df["participant_hours"] > 0,
        np.round(
            time_df["amount"]
            / time_df["participant_hours"].where(time_df["participant_hours"] > 0, 1.0)
        ),
        0.0,
    )

    arithmetic = []
    for year in config.year_list:
        acts = activities[activities["year"] == year]
        planned = float(budget.loc[budget["fiscal_year"] == year, "planned_amount"].sum())
        capacity_jp = float((acts["capacity"] * acts["jp"]).sum())
        n_pns = int(
            (
                (people["status_code"].to_numpy() == 0) & (dates(people["tmt"]) <= day(year, 6, 30))
            ).sum()
        )
        per_jp = planned / capacity_jp
        arithmetic.append(
            {
                "year": year,
                "pns": n_pns,
                "required_participant_jp": jp_floor * n_pns,
                "planned_participant_jp": capacity_jp,
                "planned_cost_per_participant_jp": round(per_jp, 2),
                "cost_of_20_jp_for_all_pns": round(jp_floor * n_pns * per_jp, 2),
                "budget": planned,
                "coverage": round(planned / (jp_floor * n_pns * per_jp), 4),
            }
        )
    return budget, exp, time_df, arithmetic
