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
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from mutu.domain.errors import MutuValueError
from mutu.planning.catalogue import YOUNG_ONLY_FORMS, ActivityType, line_of, profiles, young_asn
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

#: Ways :func:`solve_plan` can solve a programme.
METHODS = ("milp", "lp_rounding", "auto")
#: Seconds ``method="auto"`` gives the LP rounding before the MILP.
AUTO_ROUNDING_SECONDS = 3.0

#: Budgets of the coverage curve, as shares of the given budget.
CURVE_SHARES = (0.5, 0.75, 1.0, 1.5, 2.0)


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
        w = value_weights(self)[t]
        jp = attendance_factors(self)[t] * self.types["jp"].to_numpy()[t]
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
    method: str = "milp"
    coverage_curve: tuple[dict[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def feasible(self) -> bool:
        return self.status in ("optimal", "time_limit_feasible", "carried_over", "heuristic")

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
                    "attendance_rate": _maybe(row.get("attendance_rate")),
                    "expected_attendees": float(n_seats * _rate(row)),
                    "expected_jp": float(n_seats * _rate(row) * row["jp"]),
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
            "method": self.method,
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


def _rate(row: Mapping[str, Any]) -> float:
    """The measured attendance rate of a type row (1 when not measured)."""
    rate = _maybe(row.get("attendance_rate"))
    return 1.0 if rate is None else rate


def _maybe(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# --- building the problem from the frames -----------------------------------------------


def build_problem(
    needs: NeedsResult,
    types: Sequence[ActivityType],
    weights: Mapping[str, TypeWeight],
    frames: Mapping[str, pd.DataFrame],
    *,
    gap_weight: float = 4.0,
    mandatory_weight: float = 1.0,
    attendance_discount: bool = False,
    young_forms: Sequence[str] = YOUNG_ONLY_FORMS,
    young_max_age: float = 35.0,
    young_window_years: float = 1.0,
) -> PlanProblem:
    """The programme's data from a needs analysis, a catalogue and the weights.

    ``gap_weight`` (JP-equivalents per competency level addressed) and
    ``mandatory_weight`` (share of a due mandatory training's JP counted as
    need) are policy choices, named in the output (``model``).  Every plan
    reports the expected attendees and JP of each activity at its type's
    measured attendance rate (``ActivityType.attendance_rate``).  With
    ``attendance_discount`` the optimisation itself credits a seat with its
    *expected* JP and competency levels (× the rate), so it maximises the
    need it expects to close; on the kabupaten world this makes the
    programme much harder for HiGHS (a gap near 10 % after 12 s against
    0.2 % without), so it is off by default.  Types of a form in
    ``young_forms`` are open only to young ASN
    (:func:`mutu.planning.catalogue.young_asn` on 31 December of the
    reference year) who have not been nominated to the type before.
    """
    people = needs.persons
    prof = profiles(frames).reindex(people.index)
    young = (
        young_asn(
            frames,
            on=date(needs.year, 12, 31),
            max_age=young_max_age,
            window_years=young_window_years,
        )
        .reindex(people.index)
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    enrolled = frames["enrollments"]
    enrolled_line = line_of(enrolled["activity"])
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
                "attendance": (
                    t.attendance_rate
                    if attendance_discount and t.attendance_rate is not None
                    else 1.0
                ),
                "attendance_rate": t.attendance_rate,
            }
        )
        eligible = np.fromiter((k in t.eligible for k in keys), dtype=bool, count=len(keys))
        eligible &= persons["room"].to_numpy() >= t.jp
        if t.form in young_forms:
            before = set(enrolled.loc[(enrolled_line == t.code).to_numpy(), "nip"].astype(str))
            eligible &= young & ~persons["nip"].isin(before).to_numpy()
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
            "attendance_discount": attendance_discount,
            "young_only_forms": list(young_forms),
            "young_max_age_at_appointment": young_max_age,
            "young_window_years": young_window_years,
            "n_types": len(types),
            "n_persons": len(persons),
            "n_pairs": len(pairs),
        },
    )


# --- solving ----------------------------------------------------------------------------


def _check_budget(budget: float) -> float:
    if (
        isinstance(budget, bool)
        or not isinstance(budget, int | float)
        or not math.isfinite(budget)
        or budget < 0
    ):
        raise MutuValueError(
            f"Anggaran harus berupa angka Rupiah tidak negatif, bukan {budget!r}.",
            f"The budget must be a non-negative number of Rupiah, not {budget!r}.",
            field="budget",
        )
    return float(budget)


def _check_floor(fairness_floor: float | None) -> None:
    if fairness_floor is not None and not 0 <= fairness_floor <= 1:
        raise MutuValueError(
            f"Batas minimum keadilan harus di [0, 1], bukan {fairness_floor}.",
            f"The fairness floor must be in [0, 1], not {fairness_floor}.",
            field="fairness_floor",
        )


def value_weights(problem: PlanProblem) -> np.ndarray:
    """Weight of one unit of need covered by each type (its measured effectiveness)."""
    return np.asarray(problem.types["weight"].to_numpy(dtype=float), dtype=float)


def attendance_factors(problem: PlanProblem) -> np.ndarray:
    """Expected share of a type's seats whose holder comes (1 without the discount)."""
    if "attendance" not in problem.types.columns:
        return np.ones(len(problem.types))
    a = problem.types["attendance"].astype(float).fillna(1.0).to_numpy(dtype=float)
    return np.asarray(np.clip(a, 0.0, 1.0), dtype=float)


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


def _layers(
    p_of: np.ndarray, value: np.ndarray, cap: np.ndarray, limit: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""The layer-cake form of each person's fractional knapsack.

    For a person with limit :math:`L` and seats of weights :math:`v_k` and
    capacities :math:`a_k x_k`, the best fill, best weight first, equals
    :math:`\sum_i (\omega_i - \omega_{i+1}) \min(L, \sum_{k: v_k \ge \omega_i} a_k x_k)`
    over the person's distinct weights :math:`\omega_1 > \omega_2 > \dots`
    (:math:`\omega_{m+1} = 0`).  Each ``min`` is a variable :math:`u_i \le L`
    with one row :math:`u_i \le \sum a_k x_k`.

    Returns the level variables (person, coefficient) and the row entries
    (level, pair, capacity).
    """
    keep = (cap > 0) & (limit[p_of] > 0)
    k = np.flatnonzero(keep)
    if not len(k):
        empty = np.zeros(0)
        return empty.astype(int), empty, empty.astype(int), empty.astype(int), empty
    frame = pd.DataFrame({"p": p_of[k], "w": value[k]})
    levels = frame.drop_duplicates().sort_values(["p", "w"], ascending=[True, False])
    nxt = levels.groupby("p")["w"].shift(-1).fillna(0.0).to_numpy()
    coef = levels["w"].to_numpy() - nxt
    useful = coef > 1e-12
    levels = levels[useful]
    coef = coef[useful]
    lv_p = levels["p"].to_numpy()
    lv_w = levels["w"].to_numpy()
    # Each pair enters every level of its person whose weight is not above its own.
    starts = np.searchsorted(lv_p, p_of[k], side="left")
    ends = np.searchsorted(lv_p, p_of[k], side="right")
    counts = ends - starts
    rep = np.repeat(np.arange(len(k)), counts)
    offsets = np.cumsum(counts) - counts
    lvl = starts[rep] + (np.arange(int(counts.sum())) - offsets[rep])
    ok = value[k][rep] >= lv_w[lvl] - 1e-12
    return lv_p, coef, lvl[ok], k[rep[ok]], cap[k][rep[ok]]


@dataclass(frozen=True, eq=False)
class _Model:
    """The programme's arrays for HiGHS; columns ``c (n_t) | x (n_k) | u (levels)``."""

    cost: np.ndarray
    matrix: Any
    row_lower: np.ndarray
    row_upper: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integrality: np.ndarray
    n_t: int
    n_k: int
    fixed: np.ndarray
    seat: np.ndarray
    t_of: np.ndarray


def _model(problem: PlanProblem, budget: float, fairness_floor: float | None) -> _Model:
    """Build the programme of the module docstring in its compact layer form.

    The per-pair credits :math:`z_k, y_k` of the docstring are eliminated:
    given the seats, their best values are per-person fractional knapsacks,
    written exactly with one variable per person and distinct weight
    (:func:`_layers`) — the same optimum and LP bound with far fewer rows.
    """
    ty, pe, pa = problem.types, problem.persons, problem.pairs
    n_t, n_k = len(ty), len(pa)
    t_of = pa["t"].to_numpy().astype(int)
    p_of = pa["p"].to_numpy().astype(int)
    jp = ty["jp"].to_numpy(dtype=float)
    w = value_weights(problem)
    cap = ty["capacity"].to_numpy(dtype=float)
    mins = ty["min_size"].to_numpy(dtype=float)
    fixed = ty["fixed_cost"].to_numpy(dtype=float)
    seat = ty["seat_cost"].to_numpy(dtype=float)
    gc = pa["gap_cover"].to_numpy(dtype=float)
    due = pa["due"].to_numpy(dtype=float)
    deficit = pe["deficit"].to_numpy(dtype=float)
    gap_total = pe["gap_total"].to_numpy(dtype=float)
    room = pe["room"].to_numpy(dtype=float)
    att = attendance_factors(problem)[t_of]
    jp_k = jp[t_of]
    w_k = w[t_of]

    # A seat delivers its expected JP and competency levels (× attendance), capped per person.
    jp_p, jp_coef, jp_row, jp_col, jp_val = _layers(
        p_of, w_k, np.minimum(att * jp_k, deficit[p_of]), deficit
    )
    g_p, g_coef, g_row, g_col, g_val = _layers(p_of, w_k, att * gc, gap_total)
    n_j, n_g = len(jp_p), len(g_p)
    ix, iu, iv = n_t, n_t + n_k, n_t + n_k + n_j
    n_var = iv + n_g

    cost = np.zeros(n_var)
    cost[ix:iu] = -w_k * problem.mandatory_weight * att * jp_k * due
    cost[iu:iv] = -jp_coef
    cost[iv:] = -problem.gap_weight * g_coef
    seats_possible = np.bincount(t_of, minlength=n_t).astype(float)
    max_classes = np.floor(seats_possible / np.maximum(mins, 1))
    if "max_classes" in ty.columns:
        max_classes = np.minimum(max_classes, ty["max_classes"].fillna(np.inf).to_numpy())
    upper = np.concatenate([max_classes, np.ones(n_k), deficit[jp_p], gap_total[g_p]])
    integrality = np.concatenate([np.ones(n_t + n_k), np.zeros(n_j + n_g)])

    blocks: list[tuple[Any, np.ndarray, np.ndarray]] = []

    def add(rows: Any, lo: Any, hi: Any) -> None:
        m = sparse.csr_array(rows)
        n = m.shape[0]
        blocks.append((m, np.broadcast_to(lo, n), np.broadcast_to(hi, n)))

    def coo(r: np.ndarray, c: np.ndarray, v: np.ndarray, n_rows: int) -> Any:
        return sparse.coo_array((v, (r, c)), shape=(n_rows, n_var))

    # layers: u_i − Σ a_k x_k ≤ 0
    add(
        coo(np.r_[np.arange(n_j), jp_row], np.r_[iu + np.arange(n_j), ix + jp_col],
            np.r_[np.ones(n_j), -jp_val], n_j),
        -np.inf, 0.0,
    )  # fmt: skip
    add(
        coo(np.r_[np.arange(n_g), g_row], np.r_[iv + np.arange(n_g), ix + g_col],
            np.r_[np.ones(n_g), -g_val], n_g),
        -np.inf, 0.0,
    )  # fmt: skip
    k = np.arange(n_k)
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
    budget_row[ix:iu] = seat[t_of] / _MILLION
    add(budget_row[None, :], -np.inf, budget / _MILLION)
    if fairness_floor and n_k:
        for column in ("unit", "kecamatan"):
            rows, lo = _floors(pe[column].to_numpy().astype(str), p_of, fairness_floor)
            n_rows = rows.shape[0]
            add(
                sparse.hstack(
                    [
                        sparse.csr_array((n_rows, n_t)),
                        rows,
                        sparse.csr_array((n_rows, n_j + n_g)),
                    ]
                ),
                lo,
                np.inf,
            )
    return _Model(
        cost=cost,
        matrix=sparse.vstack([blk[0] for blk in blocks]).tocsr(),
        row_lower=np.concatenate([b[1] for b in blocks]),
        row_upper=np.concatenate([b[2] for b in blocks]),
        lower=np.zeros(n_var),
        upper=upper,
        integrality=integrality,
        n_t=n_t,
        n_k=n_k,
        fixed=fixed,
        seat=seat,
        t_of=t_of,
    )


def _run(
    model: _Model,
    *,
    lower: np.ndarray | None = None,
    upper: np.ndarray | None = None,
    relax: bool = False,
    time_limit: float = 20.0,
    mip_rel_gap: float = 1e-4,
) -> Any:
    return milp(
        model.cost,
        constraints=LinearConstraint(model.matrix, model.row_lower, model.row_upper),
        integrality=np.zeros_like(model.integrality) if relax else model.integrality,
        bounds=Bounds(
            model.lower if lower is None else lower, model.upper if upper is None else upper
        ),
        options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap, "presolve": True},
    )


def _finish(
    problem: PlanProblem,
    model: _Model,
    x: np.ndarray | None,
    *,
    budget: float,
    status: str,
    fairness_floor: float | None,
    started: float,
    bound: float | None,
    method: str,
) -> Plan:
    n_t, n_k = model.n_t, model.n_k
    if x is None:
        return Plan(
            budget=budget,
            status=status,
            objective=float("nan"),
            total_cost=0.0,
            classes=np.zeros(n_t),
            seats=np.zeros(n_k),
            problem=problem,
            fairness_floor=fairness_floor,
            solve_seconds=time.perf_counter() - started,
            bound=bound,
            method=method,
        )
    x = np.round(x)
    classes = x[:n_t]
    seats = x[n_t : n_t + n_k]
    objective = plan_value(problem, seats)
    gap = None
    if bound is not None and math.isfinite(bound):
        gap = max(0.0, (bound - objective) / max(abs(bound), 1e-9))
    return Plan(
        budget=budget,
        status=status,
        objective=objective,
        total_cost=float(model.fixed @ classes + model.seat[model.t_of] @ seats),
        classes=classes,
        seats=seats,
        problem=problem,
        fairness_floor=fairness_floor,
        solve_seconds=time.perf_counter() - started,
        mip_gap=gap,
        bound=bound,
        method=method,
    )


def solve_plan(
    problem: PlanProblem,
    budget: float,
    *,
    fairness_floor: float | None = None,
    time_limit: float = 20.0,
    mip_rel_gap: float = 1e-4,
    method: str = "milp",
) -> Plan:
    """Solve the programme for one budget (see the module docstring).

    ``method="auto"`` runs the LP rounding first (at most
    :data:`AUTO_ROUNDING_SECONDS`), then the MILP with the time left, and keeps
    the better plan with the tighter of the two bounds.

    ``method="milp"``: HiGHS branch and cut on the whole programme, stopped
    at ``mip_rel_gap`` (relative gap between the plan and the solver's bound)
    or at ``time_limit`` seconds.  ``method="lp_rounding"``: the LP
    relaxation, then HiGHS on the sub-programme that fixes every seat the LP
    decided for a person with no fractional seat and lets class counts move
    between the floor and ceiling of the LP's (a relaxation-induced
    neighbourhood search, Berthold's RENS); its bound is the LP's.

    The plan records the bound and its gap ``(bound − objective) / bound``,
    so a plan stopped early says how far from the optimum it can at most be.
    """
    budget = _check_budget(budget)
    _check_floor(fairness_floor)
    if method not in METHODS:
        raise MutuValueError(
            f"Metode tidak dikenal: {method!r} ({', '.join(METHODS)}).",
            f"Unknown method: {method!r} ({', '.join(METHODS)}).",
            field="method",
        )
    started = time.perf_counter()
    model = _model(problem, budget, fairness_floor)
    if method == "lp_rounding":
        return _lp_rounding(
            problem, model, budget=budget, fairness_floor=fairness_floor, started=started,
            time_limit=time_limit,
        )  # fmt: skip
    rounded: Plan | None = None
    milp_limit = time_limit
    if method == "auto":
        rounded = _lp_rounding(
            problem, model, budget=budget, fairness_floor=fairness_floor, started=started,
            time_limit=min(AUTO_ROUNDING_SECONDS, time_limit / 2),
        )  # fmt: skip
        milp_limit = max(1.0, time_limit - (time.perf_counter() - started))
    res = _run(model, time_limit=milp_limit, mip_rel_gap=mip_rel_gap)
    dual = getattr(res, "mip_dual_bound", None)
    bound = -float(dual) if dual is not None and math.isfinite(dual) else None
    if res.x is None:
        status = "infeasible" if res.status == 2 else f"failed: {res.message}"
        plan = _finish(
            problem, model, None, budget=budget, status=status, fairness_floor=fairness_floor,
            started=started, bound=None, method=method,
        )  # fmt: skip
    else:
        plan = _finish(
            problem, model, res.x, budget=budget,
            status="optimal" if res.status == 0 else "time_limit_feasible",
            fairness_floor=fairness_floor, started=started, bound=bound, method=method,
        )  # fmt: skip
    if rounded is not None and rounded.feasible:
        if res.status == 2:  # the MILP proved infeasibility; the rounding cannot disagree
            return plan
        tight = (
            min(b for b in (bound, rounded.bound) if b is not None)
            if (bound is not None or rounded.bound is not None)
            else None
        )
        better = rounded if (not plan.feasible or rounded.objective > plan.objective) else plan
        status = (
            "optimal" if plan.status == "optimal" and better is plan else ("time_limit_feasible")
        )
        return replace(
            better,
            status=status,
            bound=tight,
            mip_gap=_gap(tight, better.objective),
            method="auto",
            solve_seconds=time.perf_counter() - started,
        )
    return plan


def _lp_rounding(
    problem: PlanProblem,
    model: _Model,
    *,
    budget: float,
    fairness_floor: float | None,
    started: float,
    time_limit: float,
) -> Plan:
    n_t, n_k = model.n_t, model.n_k
    lp = _run(model, relax=True, time_limit=time_limit)
    if lp.x is None:
        status = "infeasible" if lp.status == 2 else f"failed: {lp.message}"
        return _finish(
            problem, model, None, budget=budget, status=status, fairness_floor=fairness_floor,
            started=started, bound=None, method="lp_rounding",
        )  # fmt: skip
    bound = -float(lp.fun)
    x = lp.x
    lower = model.lower.copy()
    upper = model.upper.copy()
    lower[:n_t] = np.floor(x[:n_t] + 1e-9)
    upper[:n_t] = np.ceil(x[:n_t] - 1e-9)
    seats = x[n_t : n_t + n_k]
    fractional = (seats > 1e-6) & (seats < 1 - 1e-6)
    p_of = problem.pairs["p"].to_numpy()
    free = np.isin(p_of, np.unique(p_of[fractional]))
    xl = lower[n_t : n_t + n_k]
    xu = upper[n_t : n_t + n_k]
    xl[~free & (seats > 0.5)] = 1.0
    xu[~free & (seats <= 0.5)] = 0.0
    left = max(0.5, time_limit - (time.perf_counter() - started))
    res = _run(model, lower=lower, upper=upper, time_limit=left, mip_rel_gap=1e-4)
    left = time_limit - (time.perf_counter() - started)
    if res.x is None and left > 0.5:
        # The neighbourhood holds no plan (e.g. a fairness floor needs a seat it fixed at
        # zero): the whole programme, for the time that is left.
        res = _run(model, time_limit=left, mip_rel_gap=1e-3)
    status = "heuristic" if res.x is not None else "no_solution"
    return _finish(
        problem, model, res.x, budget=budget, status=status, fairness_floor=fairness_floor,
        started=started, bound=bound, method="lp_rounding",
    )  # fmt: skip


def plan_value(problem: PlanProblem, seats: np.ndarray) -> float:
    """The objective of a seat choice, the JP and gap credit filled best weight first.

    Given the seats, the best :math:`z` and :math:`y` are fractional knapsacks
    per person (value per unit :math:`w_t`, capacities :math:`j_t` and
    :math:`g_k`), solved exactly by taking types in order of weight.  Written
    apart from the programme's layer form, so each checks the other.
    """
    pr = problem
    chosen = pr.pairs[np.asarray(seats) > 0.5]
    t = chosen["t"].to_numpy()
    w = value_weights(pr)[t]
    att = attendance_factors(pr)[t]
    jp = att * pr.types["jp"].to_numpy()[t]
    frame = pd.DataFrame(
        {"p": chosen["p"].to_numpy(), "w": w, "jp": jp, "g": att * chosen["gap_cover"].to_numpy()}
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


#: Pairs up to which every point of the coverage curve is solved by the full MILP.
SMALL_PROBLEM_PAIRS = 2000


def plan_with_curve(
    problem: PlanProblem,
    budget: float,
    *,
    fairness_floor: float | None = None,
    shares: Sequence[float] = CURVE_SHARES,
    time_limit: float = 12.0,
    curve_time_limit: float = 2.5,
    mip_rel_gap: float = 2e-3,
    curve_method: str | None = None,
    warnings: Sequence[str] = (),
) -> Plan:
    """The plan for ``budget`` with its coverage curve over ``shares`` of it.

    The given budget is solved by the MILP (``time_limit`` seconds,
    ``mip_rel_gap``; ``method="auto"`` of :func:`solve_plan` on programmes
    larger than :data:`SMALL_PROBLEM_PAIRS`).  The other points use ``curve_method``: by default the
    MILP on small programmes (≤ :data:`SMALL_PROBLEM_PAIRS` pairs) and
    ``lp_rounding`` (:func:`solve_plan`) with ``curve_time_limit`` seconds on
    larger ones; each point states its bound and gap.  A plan feasible at a
    smaller budget is feasible at a larger one, so where a point returns less
    than a smaller budget's plan, that plan is kept (``carried_over``):
    coverage never falls as the budget rises.
    """
    budget = _check_budget(budget)
    _check_floor(fairness_floor)
    small = len(problem.pairs) <= SMALL_PROBLEM_PAIRS
    if curve_method is None:
        curve_method = "milp" if small else "lp_rounding"
    levels = sorted({float(s) for s in shares} | {1.0})
    solved: list[tuple[float, Plan]] = []
    for share in levels:
        main = share == 1.0
        plan = solve_plan(
            problem,
            budget * share,
            fairness_floor=fairness_floor,
            time_limit=time_limit if main else curve_time_limit,
            mip_rel_gap=mip_rel_gap,
            method=("milp" if small else "auto") if main else curve_method,
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
                bound=plan.bound,
                mip_gap=_gap(plan.bound, best.objective),
                method=plan.method,
            )
        if plan.feasible:
            best = plan
        curve.append(
            {
                "share": share,
                "budget": plan.budget,
                "objective": plan.objective if plan.feasible else None,
                "bound": plan.bound,
                "total_cost": plan.total_cost if plan.feasible else None,
                "status": plan.status,
                "method": plan.method,
                "mip_gap": plan.mip_gap,
                "solve_seconds": round(plan.solve_seconds, 3),
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


def _gap(bound: float | None, objective: float) -> float | None:
    if bound is None or not math.isfinite(bound):
        return None
    return max(0.0, (bound - objective) / max(abs(bound), 1e-9))
