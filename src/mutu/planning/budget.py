r"""The yearly development plan as a mixed-integer programme (HiGHS via SciPy).

Sets: activity types :math:`t` (:mod:`mutu.planning.catalogue`), persons
:math:`p`, and the eligible pairs :math:`k = (t, p)` — the person's profile was
nominated to the type before, the type meets one of their needs, and a PPPK's
room under the JP ceiling holds the type's JP.

Variables: classes :math:`c_t \in \mathbb{Z}_{\ge 0}`; seats
:math:`x_k \in \{0, 1\}` (one seat per person per type); JP of deficit closed
:math:`0 \le z_k \le j_t x_k`; competency levels addressed
:math:`0 \le y_k \le g_k x_k`, with :math:`g_k` the number of the type's
target competencies in which the person falls short (one level each).

Objective (maximised): :math:`\sum_k w_t (z_k + \gamma y_k + \mu j_t d_k x_k)`
— JP of deficit closed, plus :math:`\gamma` JP-equivalents per competency
level addressed, plus the full JP of a mandatory training that is due
(:math:`d_k = 1`) valued at :math:`\mu`, each weighted by the measured
effectiveness :math:`w_t` of the type (:mod:`mutu.planning.weights`).

Constraints:

* per person, :math:`\sum_t z_k \le D_p` (plan-year JP deficit) and
  :math:`\sum_t y_k \le G_p` (their competency levels short);
* capacity :math:`\sum_p x_k \le C_t c_t` and minimum class size
  :math:`\sum_p x_k \ge m_t c_t`;
* budget :math:`\sum_t (F_t c_t + V_t \sum_p x_k) \le B`;
* JP ceiling for PPPK :math:`\sum_t j_t x_k \le R_p`;
* optional fairness floor :math:`f`: each unit :math:`u` and each kecamatan
  :math:`h` gets at least :math:`\lceil f N_u \rceil` (:math:`\lceil f N_h \rceil`)
  seats, :math:`N` its ASN with at least one eligible pair.

Solved with :func:`scipy.optimize.milp` (HiGHS branch and cut).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from mutu.domain.errors import MutuValueError
from mutu.planning.catalogue import ActivityType, profiles
from mutu.planning.needs import NeedsResult
from mutu.planning.weights import TypeWeight

__all__ = [
    "CURVE_SHARES",
    "Plan",
    "PlanProblem",
    "build_problem",
    "plan_with_curve",
    "solve_plan",
]

_MILLION = 1e6

#: Budgets of the coverage curve, as shares of the given budget.
CURVE_SHARES = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)


@dataclass(frozen=True, eq=False)
class PlanProblem:
    """The data of the programme, independent of how it was built.

    ``types`` is one row per activity type (``code, jp, capacity, min_size,
    fixed_cost, seat_cost, weight``, optional ``max_classes``); ``persons``
    one row per person (``nip, unit, kecamatan, status, deficit, room,
    gap_total``; ``room`` is ``inf`` for PNS); ``pairs`` one row per eligible
    pair (``t`` and ``p`` positional indices, ``gap_cover``, ``due``).
    """

    types: pd.DataFrame
    persons: pd.DataFrame
    pairs: pd.DataFrame
    gap_weight: float = 1.0
    mandatory_weight: float = 1.0
    floor_jp: float = 20.0
    meta: Mapping[str, Any] = field(default_factory=dict)

    def pair_value(self) -> np.ndarray:
        """Upper bound of each pair's value (for pruning and reports)."""
        t = self.pairs["t"].to_numpy()
        w = self.types["weight"].to_numpy()[t]
        jp = self.types["jp"].to_numpy()[t]
        deficit = self.persons["deficit"].to_numpy()[self.pairs["p"].to_numpy()]
        return np.asarray(
            w
            * (
                np.minimum(jp, deficit)
                + self.gap_weight * self.pairs["gap_cover"].to_numpy()
                + self.mandatory_weight * jp * self.pairs["due"].to_numpy()
            ),
            dtype=float,
        )


@dataclass(frozen=True, eq=False)
class Plan:
    """A solved plan; :meth:`to_json` gives the command's output."""

    budget: float
    status: str
    objective: float
    total_cost: float
    classes: np.ndarray = field(repr=False)
    seats: np.ndarray = field(repr=False)
    problem: PlanProblem = field(repr=False)
    fairness_floor: float | None = None
    solve_seconds: float = 0.0
    mip_gap: float | None = None
    bound: float | None = None
    carried_over: bool = False
    coverage_curve: tuple[dict[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def feasible(self) -> bool:
        return self.status in ("optimal", "time_limit_feasible", "carried_over")

    def jp_received(self) -> np.ndarray:
        """JP each person gets from the plan."""
        pr = self.problem
        jp = pr.types["jp"].to_numpy()[pr.pairs["t"].to_numpy()]
        out = np.zeros(len(pr.persons))
        np.add.at(out, pr.pairs["p"].to_numpy(), jp * self.seats)
        return out

    def nominations(self) -> pd.DataFrame:
        """The named ASN: ``activity``, ``nip``, ``unit``, ``kecamatan``."""
        pr = self.problem
        chosen = pr.pairs[self.seats > 0.5]
        people = pr.persons.iloc[chosen["p"].to_numpy()]
        return pd.DataFrame(
            {
                "activity": pr.types["code"].to_numpy()[chosen["t"].to_numpy()],
                "nip": people["nip"].to_numpy(),
                "unit": people["unit"].to_numpy(),
                "kecamatan": people["kecamatan"].to_numpy(),
            }
        )

    def to_json(self) -> dict[str, Any]:
        """Budget, cost, objective, activities, who stays below the floor, the curve."""
        pr = self.problem
        noms = self.nominations()
        acts = []
        for i, record in enumerate(pr.types.to_dict("records")):
            row = cast(dict[str, Any], record)
            mine = noms[noms["activity"] == row["code"]]
            n_seats = len(mine)
            classes = round(float(self.classes[i]))
            acts.append(
                {
                    "activity": row["code"],
                    "title": row.get("title", row["code"]),
                    "form": row.get("form", ""),
                    "program": row.get("program", ""),
                    "jp": float(row["jp"]),
                    "capacity": int(row["capacity"]),
                    "min_size": int(row["min_size"]),
                    "classes": classes,
                    "seats": n_seats,
                    "seats_per_unit": {
                        str(k): int(v) for k, v in mine.groupby("unit").size().items()
                    },
                    "cost": float(row["fixed_cost"] * classes + row["seat_cost"] * n_seats),
                    "fixed_cost_per_class": float(row["fixed_cost"]),
                    "cost_per_seat": float(row["seat_cost"]),
                    "weight": float(row["weight"]),
                    "weight_source": str(row.get("weight_source", "")),
                }
            )
        persons = pr.persons
        pns = (persons["status"] == "PNS").to_numpy()
        deficit = persons["deficit"].to_numpy()
        remaining = np.maximum(0.0, deficit - self.jp_received())
        before = pns & (deficit > 0)
        after = pns & (remaining > 0)
        by_unit = persons.loc[after, "unit"].value_counts().sort_index()
        return {
            "budget": float(self.budget),
            "total_cost": float(self.total_cost),
            "objective": float(self.objective),
            "status": self.status,
            "fairness_floor": self.fairness_floor,
            "solve_seconds": round(self.solve_seconds, 3),
            "mip_gap": self.mip_gap,
            "bound": self.bound,
            "carried_over": self.carried_over,
            "activities": acts,
            "below_20jp": {
                "floor_jp": float(pr.floor_jp),
                "before": int(before.sum()),
                "after": int(after.sum()),
                "jp_deficit_before": float(deficit[pns].sum()),
                "jp_deficit_after": float(remaining[pns].sum()),
                "by_unit": {str(k): int(v) for k, v in by_unit.items()},
                "nips": [str(n) for n in persons.loc[after, "nip"]],
            },
            "coverage_curve": list(self.coverage_curve),
            "nominations": noms.to_dict("records"),
            "warnings": list(self.warnings),
            "model": dict(pr.meta),
        }


# --- building the problem from the frames -----------------------------------------------


def build_problem(
    needs: NeedsResult,
    types: Sequence[ActivityType],
    weights: Mapping[str, TypeWeight],
    frames: Mapping[str, pd.DataFrame],
    *,
    gap_weight: float = 4.0,
    mandatory_weight: float = 1.0,
) -> PlanProblem:
    """The programme's data from a needs analysis, a catalogue and the weights.

    ``gap_weight`` (JP-equivalents per competency level addressed) and
    ``mandatory_weight`` (share of a due mandatory training's JP counted as
    need) are policy choices, named in the output (``model``).
    """
    people = needs.persons
    prof = profiles(frames).reindex(people.index)
    persons = pd.DataFrame(
        {
            "nip": people.index.astype(str),
            "unit": people["unit"].astype(str).to_numpy(),
            "kecamatan": people["kecamatan"].astype(str).to_numpy(),
            "status": people["status"].astype(str).to_numpy(),
            "deficit": people["plan_deficit"].astype(float).to_numpy(),
            "room": people["jp_room"].astype(float).to_numpy(),
            "gap_total": people["gap_total"].astype(float).to_numpy(),
        }
    )
    gaps = needs.gaps
    type_rows = []
    pair_frames = []
    keys = list(zip(prof["position_kind"], prof["unit_kind"], prof["status"], strict=True))
    due = people["mandatory_due"].to_numpy()
    for ti, t in enumerate(types):
        w = weights[t.code]
        type_rows.append(
            {
                "code": t.code,
                "title": t.title,
                "form": t.form,
                "program": t.program,
                "jp": t.jp,
                "capacity": t.capacity,
                "min_size": t.min_size,
                "fixed_cost": t.fixed_cost,
                "seat_cost": t.seat_cost,
                "weight": w.weight,
                "weight_source": w.source,
            }
        )
        eligible = np.fromiter((k in t.eligible for k in keys), dtype=bool, count=len(keys))
        eligible &= persons["room"].to_numpy() >= t.jp
        mine = gaps[gaps["competency"].isin(t.targets)]
        cover = np.minimum(mine["gap"].to_numpy(), 1.0)
        gap_cover = (
            pd.Series(cover, index=mine["nip"].to_numpy()).groupby(level=0).sum()
            if len(mine)
            else pd.Series(dtype=float)
        )
        gc = gap_cover.reindex(persons["nip"]).fillna(0.0).to_numpy()
        is_due = (due == t.form).astype(float)
        useful = (persons["deficit"].to_numpy() > 0) | (gc > 0) | (is_due > 0)
        idx = np.flatnonzero(eligible & useful)
        pair_frames.append(
            pd.DataFrame({"t": ti, "p": idx, "gap_cover": gc[idx], "due": is_due[idx]})
        )
    pairs = pd.concat(pair_frames, ignore_index=True)
    return PlanProblem(
        types=pd.DataFrame(type_rows),
        persons=persons,
        pairs=pairs,
        gap_weight=gap_weight,
        mandatory_weight=mandatory_weight,
        floor_jp=needs.floor_jp,
        meta={
            "gap_weight_jp_per_level": gap_weight,
            "mandatory_weight": mandatory_weight,
            "jp_reference_year": needs.year,
            "jp_rulebook": needs.rulebook,
            "n_types": len(types),
            "n_persons": len(persons),
            "n_pairs": len(pairs),
        },
    )


# --- solving ----------------------------------------------------------------------------


def _check_budget(budget: float) -> float:
    if not isinstance(budget, int | float) or not math.isfinite(budget) or budget < 0:
        raise MutuValueError(
            f"Anggaran harus berupa angka Rupiah tidak negatif, bukan {budget!r}.",
            f"The budget must be a non-negative number of Rupiah, not {budget!r}.",
            field="budget",
        )
    return float(budget)


def _floors(keys: np.ndarray, pair_p: np.ndarray, fraction: float) -> tuple[Any, np.ndarray]:
    """Rows ``Σ x ≥ ⌈f N_g⌉`` over the seats of each group ``g`` of the persons' ``keys``."""
    groups, inverse = np.unique(keys[pair_p], return_inverse=True)
    n_people = pd.Series(pair_p).groupby(inverse).nunique().to_numpy()
    lower = np.ceil(fraction * n_people - 1e-9)
    rows = sparse.csr_array(
        (np.ones(len(pair_p)), (inverse, np.arange(len(pair_p)))),
        shape=(len(groups), len(pair_p)),
    )
    return rows, lower


def solve_plan(
    problem: PlanProblem,
    budget: float,
    *,
    fairness_floor: float | None = None,
    time_limit: float = 20.0,
    mip_rel_gap: float = 1e-4,
) -> Plan:
    """Solve the programme for one budget (see the module docstring).

    HiGHS stops at ``mip_rel_gap`` (relative gap between the plan and the
    solver's bound) or at ``time_limit`` seconds; the plan records its gap
    (``mip_gap``) and the bound, so a plan stopped early says how far from
    the optimum it can at most be.
    """
    budget = _check_budget(budget)
    if fairness_floor is not None and not 0 <= fairness_floor <= 1:
        raise MutuValueError(
            f"Batas minimum keadilan harus di [0, 1], bukan {fairness_floor}.",
            f"The fairness floor must be in [0, 1], not {fairness_floor}.",
            field="fairness_floor",
        )
    started = time.perf_counter()
    ty, pe, pa = problem.types, problem.persons, problem.pairs
    n_t, n_k = len(ty), len(pa)
    t_of = pa["t"].to_numpy().astype(int)
    p_of = pa["p"].to_numpy().astype(int)
    jp = ty["jp"].to_numpy(dtype=float)
    w = ty["weight"].to_numpy(dtype=float)
    cap = ty["capacity"].to_numpy(dtype=float)
    mins = ty["min_size"].to_numpy(dtype=float)
    fixed = ty["fixed_cost"].to_numpy(dtype=float)
    seat = ty["seat_cost"].to_numpy(dtype=float)
    jp_k = jp[t_of]
    gc = pa["gap_cover"].to_numpy(dtype=float)
    due = pa["due"].to_numpy(dtype=float)
    deficit = pe["deficit"].to_numpy(dtype=float)
    room = pe["room"].to_numpy(dtype=float)

    # Columns: c (n_t) | x (n_k) | z (n_k) | y (n_k).
    n_var = n_t + 3 * n_k
    ix, iz, iy = n_t, n_t + n_k, n_t + 2 * n_k
    cost = np.zeros(n_var)
    cost[ix:iz] = -w[t_of] * problem.mandatory_weight * jp_k * due
    cost[iz:iy] = -w[t_of]
    cost[iy:] = -w[t_of] * problem.gap_weight
    seats_possible = np.bincount(t_of, minlength=n_t).astype(float)
    max_classes = np.floor(seats_possible / np.maximum(mins, 1))
    if "max_classes" in ty.columns:
        max_classes = np.minimum(max_classes, ty["max_classes"].fillna(np.inf).to_numpy())
    jp_cap = np.minimum(jp_k, deficit[p_of])
    upper = np.concatenate([max_classes, np.ones(n_k), jp_cap, gc])
    integrality = np.concatenate([np.ones(n_t), np.ones(n_k), np.zeros(2 * n_k)])

    k = np.arange(n_k)
    blocks: list[tuple[Any, np.ndarray, np.ndarray]] = []

    def add(rows: Any, lo: Any, hi: Any) -> None:
        m = sparse.csr_array(rows)
        n = m.shape[0]
        blocks.append((m, np.broadcast_to(lo, n), np.broadcast_to(hi, n)))

    def coo(r: np.ndarray, c: np.ndarray, v: np.ndarray, n_rows: int) -> Any:
        return sparse.coo_array((v, (r, c)), shape=(n_rows, n_var))

    # z_k ≤ min(jp, D_p) x_k ; y_k ≤ g_k x_k (the tightest coefficients)
    add(coo(np.r_[k, k], np.r_[iz + k, ix + k], np.r_[np.ones(n_k), -jp_cap], n_k), -np.inf, 0.0)
    add(coo(np.r_[k, k], np.r_[iy + k, ix + k], np.r_[np.ones(n_k), -gc], n_k), -np.inf, 0.0)
    # per person: Σ_t z ≤ D_p ; Σ_t y ≤ G_p ; PPPK Σ_t jp x ≤ R_p
    n_p = len(pe)
    add(coo(p_of, iz + k, np.ones(n_k), n_p), -np.inf, deficit)
    add(coo(p_of, iy + k, np.ones(n_k), n_p), -np.inf, pe["gap_total"].to_numpy(dtype=float))
    finite = np.isfinite(room)
    if finite.any():
        sel = finite[p_of]
        remap = np.cumsum(finite) - 1
        add(coo(remap[p_of[sel]], ix + k[sel], jp_k[sel], int(finite.sum())), -np.inf, room[finite])
    # capacity and minimum class size per type
    tt = np.arange(n_t)
    add(coo(np.r_[t_of, tt], np.r_[ix + k, tt], np.r_[np.ones(n_k), -cap], n_t), -np.inf, 0.0)
    add(coo(np.r_[t_of, tt], np.r_[ix + k, tt], np.r_[np.ones(n_k), -mins], n_t), 0.0, np.inf)
    # budget, in millions of Rupiah so the row is on the scale of the others
    budget_row = np.zeros(n_var)
    budget_row[:n_t] = fixed / _MILLION
    budget_row[ix:iz] = seat[t_of] / _MILLION
    add(budget_row[None, :], -np.inf, budget / _MILLION)
    if fairness_floor and n_k:
        for column in ("unit", "kecamatan"):
            rows, lo = _floors(pe[column].to_numpy().astype(str), p_of, fairness_floor)
            empty_c = sparse.csr_array((rows.shape[0], n_t))
            empty_zy = sparse.csr_array((rows.shape[0], 2 * n_k))
            add(sparse.hstack([empty_c, rows, empty_zy]), lo, np.inf)

    a = sparse.vstack([blk[0] for blk in blocks]).tocsr()
    res = milp(
        cost,
        constraints=LinearConstraint(
            a, np.concatenate([b[1] for b in blocks]), np.concatenate([b[2] for b in blocks])
        ),
        integrality=integrality,
        bounds=Bounds(np.zeros(n_var), upper),
        options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap, "presolve": True},
    )
    elapsed = time.perf_counter() - started
    if res.x is None:
        status = "infeasible" if res.status == 2 else f"failed: {res.message}"
        return Plan(
            budget=budget,
            status=status,
            objective=float("nan"),
            total_cost=0.0,
            classes=np.zeros(n_t),
            seats=np.zeros(n_k),
            problem=problem,
            fairness_floor=fairness_floor,
            solve_seconds=elapsed,
        )
    x = np.round(res.x)
    classes = x[:n_t]
    seats = x[ix:iz]
    status = "optimal" if res.status == 0 else "time_limit_feasible"
    return Plan(
        budget=budget,
        status=status,
        objective=plan_value(problem, seats),
        total_cost=float(fixed @ classes + seat[t_of] @ seats),
        classes=classes,
        seats=seats,
        problem=problem,
        fairness_floor=fairness_floor,
        solve_seconds=elapsed,
        mip_gap=float(getattr(res, "mip_gap", np.nan)),
        bound=-float(getattr(res, "mip_dual_bound", np.nan)),
    )


def plan_value(problem: PlanProblem, seats: np.ndarray) -> float:
    """The objective of a seat choice, the JP and gap credit filled best weight first.

    Given the seats, the best :math:`z` and :math:`y` are fractional knapsacks
    per person (value per unit :math:`w_t`, capacities :math:`j_t` and
    :math:`g_k`), solved exactly by taking types in order of weight.
    """
    pr = problem
    chosen = pr.pairs[np.asarray(seats) > 0.5]
    t = chosen["t"].to_numpy()
    w = pr.types["weight"].to_numpy()[t]
    jp = pr.types["jp"].to_numpy()[t]
    frame = pd.DataFrame(
        {"p": chosen["p"].to_numpy(), "w": w, "jp": jp, "g": chosen["gap_cover"].to_numpy()}
    ).sort_values(["p", "w"], ascending=[True, False], kind="stable")
    deficit = pr.persons["deficit"].to_numpy()[frame["p"].to_numpy()]
    gap_total = pr.persons["gap_total"].to_numpy()[frame["p"].to_numpy()]
    before_jp = frame.groupby("p")["jp"].cumsum().to_numpy() - frame["jp"].to_numpy()
    before_g = frame.groupby("p")["g"].cumsum().to_numpy() - frame["g"].to_numpy()
    z = np.clip(deficit - before_jp, 0, frame["jp"].to_numpy())
    y = np.clip(gap_total - before_g, 0, frame["g"].to_numpy())
    value = frame["w"].to_numpy() * (z + pr.gap_weight * y)
    mand = w * pr.mandatory_weight * jp * chosen["due"].to_numpy()
    return float(value.sum() + mand.sum())


def plan_with_curve(
    problem: PlanProblem,
    budget: float,
    *,
    fairness_floor: float | None = None,
    shares: Sequence[float] = CURVE_SHARES,
    time_limit: float = 15.0,
    curve_time_limit: float = 6.0,
    mip_rel_gap: float = 1e-3,
    warnings: Sequence[str] = (),
) -> Plan:
    """The plan for ``budget`` with its coverage curve over ``shares`` of it.

    The given budget is solved with ``time_limit`` seconds, the other points of
    the curve with ``curve_time_limit`` each.  A plan feasible at a smaller
    budget is feasible at a larger one, so where the solver (stopped at its gap
    or time limit) returns less than a smaller budget's plan, that plan is kept
    (``carried_over``): coverage never falls as the budget rises.
    """
    budget = _check_budget(budget)
    levels = sorted({float(s) for s in shares} | {1.0})
    solved: list[tuple[float, Plan]] = []
    for share in levels:
        plan = solve_plan(
            problem,
            budget * share,
            fairness_floor=fairness_floor,
            time_limit=time_limit if share == 1.0 else curve_time_limit,
            mip_rel_gap=mip_rel_gap,
        )
        solved.append((share, plan))
    best: Plan | None = None
    curve: list[dict[str, Any]] = []
    chosen: Plan | None = None
    total_seconds = 0.0
    for share, plan in solved:
        total_seconds += plan.solve_seconds
        if best is not None and (not plan.feasible or plan.objective < best.objective):
            plan = replace(
                best,
                budget=plan.budget,
                status="carried_over",
                carried_over=True,
                solve_seconds=plan.solve_seconds,
            )
        if plan.feasible:
            best = plan
        curve.append(
            {
                "share": share,
                "budget": plan.budget,
                "objective": plan.objective if plan.feasible else None,
                "total_cost": plan.total_cost if plan.feasible else None,
                "status": plan.status,
                "mip_gap": plan.mip_gap,
            }
        )
        if share == 1.0:
            chosen = plan
    assert chosen is not None
    return replace(
        chosen,
        coverage_curve=tuple(curve),
        warnings=tuple(warnings),
        solve_seconds=total_seconds,
    )
