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
* ``targets`` — the target competencies of the type's program;
* ``attendance_rate`` — attended ÷ nominated over the same activities
  (attended = present at the first session, as the evaluation counts it):
  the plan discounts a seat by it, since a nominee who does not come closes
  no need.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.domain.jp import converted_jp
from mutu.evaluation.pipeline.activities import activity_table, enrollment_table
from mutu.indices import with_position_kind
from mutu.rulebooks import Rulebook, load

__all__ = [
    "FIXED_COST_TYPES",
    "SEAT_COST_TYPES",
    "YOUNG_ONLY_FORMS",
    "ActivityType",
    "activity_catalogue",
    "line_of",
    "young_asn",
]

#: Forms of development open only to young ASN (the program's internship for new appointees).
YOUNG_ONLY_FORMS = ("magang",)

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
    attendance_rate: float | None = None
    n_nominated: int = 0

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
    attended = _attended(frames)

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
        came = attended[attended.index.isin(set(recent["code"]))]
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
                attendance_rate=float(came.mean()) if len(came) else None,
                n_nominated=len(came),
            )
        )
    return out


def _attended(frames: Mapping[str, pd.DataFrame]) -> pd.Series:
    """Attended (present at the first session) per nomination, indexed by activity code."""
    if "enrollments" not in frames or frames["enrollments"].empty:
        return pd.Series(dtype=bool)
    table = enrollment_table(frames, activity_table(frames), attendance_rule="first_session")
    return pd.Series(
        table["attended"].to_numpy(dtype=bool), index=table["activity"].to_numpy(dtype=object)
    )


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


def young_asn(
    frames: Mapping[str, pd.DataFrame],
    *,
    on: date,
    max_age: float = 35.0,
    window_years: float = 1.0,
) -> pd.Series:
    """Young ASN on a date: PNS appointed at ``max_age`` or younger within ``window_years``.

    The program's internship (magang) is for *young, newly appointed* ASN
    (``docs/synthetic-world.md``; the evaluation's ``young_max_age``).  No
    regulation fixing the age or the window is confirmed in asn-rules.md and
    there is no rulebook for it: both are arguments, named in the plan's
    output.  PPPK are excluded because their 24 JP ceiling is below an
    internship's JP (the JP room also excludes them).  Returns a boolean
    Series by NIP.
    """
    emp = frames["employees"]
    birth = pd.to_datetime(emp["birth_date"])
    tmt = pd.to_datetime(emp["tmt_cpns"])
    age_at_tmt = (tmt - birth).dt.days / 365.25
    since = (pd.Timestamp(on) - tmt).dt.days / 365.25
    young = (
        (emp["status"].astype(str) == "PNS").to_numpy()
        & (age_at_tmt <= max_age).to_numpy()
        & (since >= 0).to_numpy()
        & (since <= window_years).to_numpy()
    )
    return pd.Series(young, index=pd.Index(emp["nip"].astype(str).to_numpy(), name="nip"))
