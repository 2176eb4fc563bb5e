"""An independent check of a plan against every constraint (written apart from the model)."""

from __future__ import annotations

import math

import numpy as np

from mutu.planning.budget import Plan


def violations(plan: Plan, *, tol: float = 1e-6) -> list[str]:
    """Every constraint the plan breaks, as readable strings (empty when it respects all)."""
    pr = plan.problem
    out: list[str] = []
    noms = plan.nominations()
    types = pr.types.set_index("code")
    # one seat per person per activity type
    dup = noms.duplicated(["activity", "nip"])
    if dup.any():
        out.append(f"{int(dup.sum())} repeated seats")
    cost = 0.0
    for i, code in enumerate(pr.types["code"]):
        row = types.loc[code]
        seats = int((noms["activity"] == code).sum())
        classes = round(plan.classes[i])
        if seats > row["capacity"] * classes:
            out.append(f"{code}: {seats} seats > capacity of {classes} classes")
        if seats < row["min_size"] * classes:
            out.append(f"{code}: {seats} seats < minimum size of {classes} classes")
        cost += row["fixed_cost"] * classes + row["seat_cost"] * seats
    if cost > plan.budget + 0.5:  # half a Rupiah
        out.append(f"cost {cost} > budget {plan.budget}")
    if not math.isclose(cost, plan.total_cost, rel_tol=1e-9, abs_tol=1e-6):
        out.append(f"reported cost {plan.total_cost} != {cost}")
    # eligibility: only listed pairs
    allowed = {
        (pr.types["code"].iloc[t], pr.persons["nip"].iloc[p])
        for t, p in zip(pr.pairs["t"], pr.pairs["p"], strict=True)
    }
    bad = [
        (a, n) for a, n in zip(noms["activity"], noms["nip"], strict=True) if (a, n) not in allowed
    ]
    if bad:
        out.append(f"{len(bad)} seats for ineligible pairs")
    # JP ceiling (PPPK room)
    jp = noms["activity"].map(types["jp"])
    per_person = jp.groupby(noms["nip"].to_numpy()).sum()
    room = pr.persons.set_index("nip")["room"]
    over = per_person[per_person > room.reindex(per_person.index) + tol]
    if len(over):
        out.append(f"{len(over)} persons over their JP room")
    # fairness floors
    f = plan.fairness_floor
    if f:
        eligible = pr.persons.iloc[np.unique(pr.pairs["p"].to_numpy())]
        for column in ("unit", "kecamatan"):
            need = np.ceil(f * eligible[column].value_counts() - 1e-9)
            got = noms[column].value_counts().reindex(need.index).fillna(0)
            short = got[got < need]
            if len(short):
                out.append(f"{column} floors missed: {list(short.index)}")
    return out
