"""The candidate activity types of a plan: JP, class size, costs and who may take them.

An *activity type* is the line of an activity code (``<line>-<year>-<nn>``,
``docs/frames.md``): PMPP, TKPB, PKP, … .  For each type the catalogue takes,
from the stored activities of the last year it ran (up to the reference year):

* ``jp`` — JP credited: the activity's JP × the form's conversion factor of the
  ``jp`` rulebook (:func:`mutu.domain.jp.converted_jp`);
* ``capacity`` — seats per class (the median capacity); ``min_size`` —
  ``ceil(min_class_share × capacity)``, a policy argument (default one half);
* ``fixed_cost`` — Rupiah per class: the mean over those activities of the
  planned ``honorarium`` and ``venue`` budget lines (they do not grow with the
  number of participants); ``seat_cost`` — Rupiah per seat: the mean of the
  planned ``consumption``, ``transport``, ``materials`` and ``partner_fee``
  lines divided by the activity's capacity (these lines are planned per
  participant, ``docs/synthetic-world.md``, *Money*);
* ``realisation`` — spent ÷ planned over the same activities (expenditures);
  reported, not used: a plan must budget the planned cost;
* ``eligible`` — the profiles (position kind, unit kind, status) of everyone
  ever nominated to the type: who the regency has sent to it before;
* ``targets`` — the target competencies of the type's program.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.domain.jp import converted_jp
from mutu.indices import with_position_kind
from mutu.rulebooks import Rulebook, load

__all__ = ["FIXED_COST_TYPES", "SEAT_COST_TYPES", "ActivityType", "activity_catalogue", "line_of"]

#: Budget-line cost types paid once per class.
FIXED_COST_TYPES = ("honorarium", "venue")
#: Budget-line cost types planned per participant.
SEAT_COST_TYPES = ("consumption", "transport", "materials", "partner_fee")


@dataclass(frozen=True)
class ActivityType:
    """One candidate activity type of the plan (see the module docstring)."""

    code: str
    title: str
    program: str
    form: str
    jp: float
    capacity: int
    min_size: int
    fixed_cost: float
    seat_cost: float
    realisation: float | None
    source_year: int
    n_source: int
    eligible: frozenset[tuple[str, str, str]]
    targets: tuple[str, ...]

    def cost(self, classes: int, seats: int) -> float:
        """Planned cost of ``classes`` classes with ``seats`` seats in all."""
        return self.fixed_cost * classes + self.seat_cost * seats


def line_of(codes: pd.Series) -> pd.Series:
    """The line of activity codes ``<line>-<year>-<nn>`` (everything before the year)."""
    return codes.astype(str).str.replace(r"-\d{4}-\d+$", "", regex=True)


def activity_catalogue(
    frames: Mapping[str, pd.DataFrame],
    *,
    year: int,
    min_class_share: float = 0.5,
    rulebook: Rulebook | None = None,
) -> list[ActivityType]:
    """Candidate activity types from the stored activities up to ``year``.

    Parameters
    ----------
    frames
        ``activities``, ``budget_lines``, ``expenditures``, ``enrollments``,
        ``employees``, ``positions``, ``units``, ``program_competencies``.
    year
        Reference year: each type is costed on the last year ≤ ``year`` it ran.
    min_class_share
        Smallest class as a share of capacity (rounded up), in (0, 1].
    rulebook
        ``jp`` rulebook for the conversion factors (default: in force on
        31 December of ``year``).
    """
    if not 0 < min_class_share <= 1:
        raise MutuValueError(
            f"min_class_share harus di (0, 1], bukan {min_class_share}.",
            f"min_class_share must be in (0, 1], not {min_class_share}.",
            field="min_class_share",
        )
    book = rulebook if rulebook is not None else load("jp", date(year, 12, 31))
    acts = frames["activities"].copy()
    acts["line"] = line_of(acts["code"])
    acts["year"] = pd.to_datetime(acts["start_date"]).dt.year
    acts = acts[acts["year"] <= year]
    if acts.empty:
        raise MutuValueError(
            f"Tidak ada kegiatan sampai tahun {year} untuk dijadikan katalog rencana.",
            f"No activities up to {year} to build the plan's catalogue from.",
            field="activities",
        )
    lines = frames["budget_lines"]
    planned = lines.pivot_table(
        index="activity", columns="cost_type", values="planned_amount", aggfunc="sum", fill_value=0
    )
    for col in (*FIXED_COST_TYPES, *SEAT_COST_TYPES):
        if col not in planned.columns:
            planned[col] = 0.0
    spent_by_line = frames["expenditures"].groupby("budget_line")["amount"].sum()
    line_activity = lines.set_index("code")["activity"]
    spent = spent_by_line.groupby(spent_by_line.index.map(line_activity.to_dict())).sum()
    profiles = _profiles(frames)
    targets = frames["program_competencies"].groupby("program")["competency"].agg(tuple)

    out: list[ActivityType] = []
    for line, group in acts.groupby("line", sort=True):
        last = int(group["year"].max())
        recent = group[group["year"] == last]
        capacity = int(recent["capacity"].median())
        forms = recent["form"].mode()
        form = str(forms.iloc[0])
        jp = float(converted_jp(float(recent["jp"].median()), form, rulebook=book))
        costs = planned.reindex(recent["code"]).fillna(0.0)
        fixed = float(costs[list(FIXED_COST_TYPES)].sum(axis=1).mean())
        per_seat = costs[list(SEAT_COST_TYPES)].sum(axis=1) / recent["capacity"].to_numpy()
        total_planned = float(costs.to_numpy().sum())
        total_spent = float(spent.reindex(recent["code"]).fillna(0.0).sum())
        nominees = frames["enrollments"]["activity"].isin(set(group["code"]))
        nips = frames["enrollments"].loc[nominees.to_numpy(), "nip"]
        eligible = frozenset(profiles.loc[profiles.index.isin(set(nips))].itertuples(index=False))
        program = str(recent["program"].mode().iloc[0])
        out.append(
            ActivityType(
                code=str(line),
                title=str(recent["title"].iloc[0]),
                program=program,
                form=form,
                jp=jp,
                capacity=capacity,
                min_size=max(1, math.ceil(min_class_share * capacity)),
                fixed_cost=fixed,
                seat_cost=float(per_seat.mean()),
                realisation=total_spent / total_planned if total_planned > 0 else None,
                source_year=last,
                n_source=len(recent),
                eligible=eligible,
                targets=tuple(targets.get(program, ())),
            )
        )
    return out


def _profiles(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """(position kind, unit kind, status) per NIP."""
    emp = with_position_kind(frames["employees"], frames["positions"])
    kinds = frames["units"].set_index("code")["kind"]
    return pd.DataFrame(
        {
            "position_kind": emp["position_kind"].fillna("").astype(str).to_numpy(),
            "unit_kind": emp["unit"].map(kinds).fillna("").astype(str).to_numpy(),
            "status": emp["status"].astype(str).to_numpy(),
        },
        index=pd.Index(emp["nip"].astype(str).to_numpy(), name="nip"),
    )


def profiles(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Public access to the eligibility profile per NIP (see :func:`activity_catalogue`)."""
    return _profiles(frames)
