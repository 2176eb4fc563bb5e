"""Phillips level 5: fully loaded costs, cost-effectiveness and (when monetised) ROI.

Cash: planned (``budget_lines``) and spent (``expenditures`` through their
budget line) per activity. Participants' time: every session attended is
valued at the hourly employment cost of the participant's group (``costing``
rulebook: PNS golongan I–IV, PPPK, part-time PPPK) for the session's minutes.
Fully loaded cost = cash spent + participants' time (Phillips).

Cost-effectiveness needs no money value of the outcomes: cost per
participant-JP delivered, per test point gained per participant, per PNS
reaching the JP floor, per point of work-plan quality. ROI needs a money value
per outcome point (``plan.benefit_per_*_rp``). Without it, no ROI is
computed: following Phillips' conservative rules, an outcome without a
credible money value is an intangible benefit, listed and not monetised. With
one, :func:`~mutu.evaluation.roi.roi` credits ``effect × persons × value ×
attribution × confidence``, and the report names how the effect was isolated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.evaluation.pipeline.activities import session_minutes
from mutu.evaluation.pipeline.helpers import finite
from mutu.evaluation.pipeline.inputs import has
from mutu.evaluation.pipeline.plan import EvaluationPlan
from mutu.evaluation.pipeline.report import Estimand, NoData, Section
from mutu.evaluation.result import check_lang, format_number
from mutu.evaluation.roi import roi
from mutu.rulebooks import Rulebook, RulebookError, load, versions

__all__ = ["CostSection", "costing_rulebook", "costs"]

ISOLATION = {
    "workplan": "comparison group: regression-adjusted ATT against writers not (yet) trained",
    "learning": (
        "none: a pre/post change of the same people (no comparison group; the credited "
        "benefit is therefore an upper bound)"
    ),
    "ikm": "comparison group: staggered difference-in-differences against non-adopting units",
}
INTANGIBLES = (
    "test score gains (L2)",
    "work-plan quality (L3)",
    "public satisfaction, IKM (L4)",
    "attendance and JP compliance",
)


def costing_rulebook(year: int) -> tuple[Rulebook, str]:
    """The ``costing`` version in force on 31 December of ``year`` (else the earliest); a note."""
    try:
        return load("costing", date(year, 12, 31)), ""
    except RulebookError:
        books = versions("costing")
        if not books:
            raise
        first = min(books, key=lambda b: b.effective_from)
        return first, (
            f"no costing version in force on {year}-12-31: valued with {first.label} "
            f"(from {first.effective_from})"
        )


@dataclass(frozen=True, eq=False, kw_only=True)
class CostSection(Section):
    """Costs per activity and year, cost-effectiveness and ROI (or why there is none)."""

    key: ClassVar[str] = "l5_roi"
    year: int
    planned: float
    spent: float
    participant_time: float
    fully_loaded: float
    participant_hours: float
    participant_jp: float
    cost_per_jp: float | None
    cash_cost_per_jp: float | None
    cost_per_learning_point: float | None
    cost_per_pns_reaching_floor: float | None
    cost_per_workplan_point: float | None
    roi_computed: bool
    roi_note: str
    rulebook: str
    variant: str
    per_activity: pd.DataFrame = field(repr=False)
    per_year: pd.DataFrame = field(repr=False)
    per_program: pd.DataFrame = field(repr=False)
    roi_table: pd.DataFrame = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame | None]:
        """Costs per activity, year and program; ROI rows when monetised."""
        return {
            "per_activity": self.per_activity,
            "per_year": self.per_year,
            "per_program": self.per_program,
            "roi": self.roi_table,
        }

    def summary(self, lang: str = "id") -> str:
        """Costs of the year, cost per JP, and ROI or why it is not computed."""
        lng = check_lang(lang)

        def rp(v: float | None) -> str:
            return "Rp " + format_number(v, 0, lng)

        if lng == "id":
            text = (
                f"Tahun {self.year}: anggaran {rp(self.planned)}, realisasi {rp(self.spent)}, "
                f"nilai waktu peserta {rp(self.participant_time)}; biaya penuh "
                f"{rp(self.fully_loaded)}, atau {rp(self.cost_per_jp)} per JP-peserta."
            )
            if self.cost_per_learning_point is not None:
                text += (
                    f" Biaya per poin nilai tes per peserta: {rp(self.cost_per_learning_point)}."
                )
            if not self.roi_computed:
                text += (
                    " ROI tidak dihitung karena manfaat belum dinilai dengan uang (aturan "
                    "konservatif Phillips: manfaat tak berwujud dicatat, tidak diuangkan)."
                )
            return text
        text = (
            f"{self.year}: budget {rp(self.planned)}, spent {rp(self.spent)}, participants' time "
            f"{rp(self.participant_time)}; fully loaded {rp(self.fully_loaded)}, or "
            f"{rp(self.cost_per_jp)} per participant-JP."
        )
        if self.cost_per_learning_point is not None:
            text += (
                f" Cost per test point gained per participant: {rp(self.cost_per_learning_point)}."
            )
        if not self.roi_computed:
            text += (
                " No ROI is computed because the benefits are not monetised (Phillips' "
                "conservative rules: intangibles are listed, not monetised)."
            )
        return text


def _activity_costs(
    frames: Mapping[str, pd.DataFrame],
    activities: pd.DataFrame,
    enrollments: pd.DataFrame,
    employees: pd.DataFrame,
    book: Rulebook,
) -> pd.DataFrame:
    out = activities[["program", "year", "jp"]].copy()
    bl = frames.get("budget_lines")
    if bl is not None and len(bl):
        out["planned"] = bl.groupby("activity")["planned_amount"].sum().reindex(out.index)
        ex = frames.get("expenditures")
        if ex is not None and len(ex):
            line_act = pd.Series(bl["activity"].to_numpy(dtype=object), index=bl["code"].to_numpy())
            spent = ex["amount"].groupby(ex["budget_line"].map(line_act)).sum()
            out["spent"] = spent.reindex(out.index)
    for col in ("planned", "spent"):
        if col not in out.columns:
            out[col] = np.nan
    out[["planned", "spent"]] = out[["planned", "spent"]].fillna(0.0)
    hours = pd.Series(0.0, index=out.index)
    value = pd.Series(0.0, index=out.index)
    if has(frames, "attendance", "activity_sessions"):
        att = frames["attendance"]
        att = att[att["present"].to_numpy(dtype=bool)]
        minutes = session_minutes(frames)
        key = pd.MultiIndex.from_arrays([att["activity"], att["session_no"]])
        h = minutes.reindex(key).to_numpy(dtype=float) / 60.0
        rates = {k: float(book.decimal(f"hourly_cost.{k}")) for k in book.section("hourly_cost")}
        group = employees["pay_group"].reindex(att["nip"].to_numpy()).to_numpy(dtype=object)
        rate = pd.Series(group).map(rates).fillna(rates.get("default", np.nan)).to_numpy()
        hours = pd.Series(h).groupby(att["activity"].to_numpy()).sum().reindex(out.index)
        value = pd.Series(h * rate).groupby(att["activity"].to_numpy()).sum().reindex(out.index)
    out["participant_hours"] = hours.fillna(0.0).to_numpy()
    out["participant_time"] = value.fillna(0.0).to_numpy()
    out["fully_loaded"] = out["spent"] + out["participant_time"]
    done = enrollments[enrollments["completed"]].groupby("activity").size()
    out["completers"] = done.reindex(out.index).fillna(0).astype(int)
    out["participant_jp"] = out["completers"] * out["jp"]
    return out


def _sum(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    cols = ["planned", "spent", "participant_time", "fully_loaded", "participant_hours"]
    agg = table.groupby(keys)[[*cols, "completers", "participant_jp"]].sum()
    agg["cost_per_jp"] = agg["fully_loaded"] / agg["participant_jp"].where(
        agg["participant_jp"] > 0
    )
    return agg


def _pns_reaching_floor(
    frames: Mapping[str, pd.DataFrame], employees: pd.DataFrame, year: int
) -> int | None:
    if not has(frames, "jp_ledger"):
        return None
    floor = load("jp", date(year, 12, 31)).integer("pns_min_jp_per_year")
    led = frames["jp_ledger"]
    led = led[(led["year"] == year).to_numpy() & (led["approval_status"] == "approved").to_numpy()]
    jp = led.groupby("nip")["jp"].sum()
    program = led.loc[led["source"] == "activity", "nip"].unique()
    pns = employees.index[employees["status"] == "PNS"]
    reached = (jp >= floor) & jp.index.isin(pns) & jp.index.isin(program)
    return int(reached.sum())


def _per_point(cost: float, est: Estimand, persons: float) -> float | None:
    if est.estimate is None or est.estimate <= 0 or persons <= 0:
        return None
    return cost / (est.estimate * persons)


def costs(
    frames: Mapping[str, pd.DataFrame],
    plan: EvaluationPlan,
    activities: pd.DataFrame,
    enrollments: pd.DataFrame,
    employees: pd.DataFrame,
    estimands: Mapping[str, Estimand],
    *,
    year: int,
    tested_activities: list[str],
) -> tuple[Section, set[str]]:
    """The L5 section and the rulebook labels it used."""
    if not has(frames, "activities") or not has(frames, "budget_lines"):
        return NoData(section="l5_roi", missing=("budget_lines",)), set()
    book, book_note = costing_rulebook(year)
    table = _activity_costs(frames, activities, enrollments, employees, book)
    table = table[table["year"].astype(float) <= year]
    this = table[table["year"].astype(float) == year]
    tot = this[["planned", "spent", "participant_time", "fully_loaded", "participant_hours"]].sum()
    jp_total = float(this["participant_jp"].sum())
    tested = this[this.index.isin(tested_activities)]
    learn = estimands["learning_gain"]
    wp = estimands["workplan_quality_att"]
    ikm = estimands["ikm_att"]
    l3_cost = float(table.loc[table["program"] == plan.l3_program, "fully_loaded"].sum())
    reached = _pns_reaching_floor(frames, employees, year)
    labels = {book.label}
    if reached is not None:
        labels.add(load("jp", date(year, 12, 31)).label)
    benefit_months = float(book.decimal("benefit_period_months"))
    rows: list[dict[str, Any]] = []
    specs = (
        ("workplan", plan.benefit_per_workplan_point_rp, wp, l3_cost, plan.l3_program),
        (
            "learning",
            plan.benefit_per_learning_point_rp,
            learn,
            float(tested["fully_loaded"].sum()),
            "tested trainings",
        ),
        (
            "ikm",
            plan.benefit_per_ikm_point_rp,
            ikm,
            float(table.loc[table["program"] == plan.did_program, "fully_loaded"].sum()),
            plan.did_program,
        ),
    )
    for kind, value, est, cost, scope in specs:
        if value is None or est.estimate is None or cost <= 0:
            continue
        persons = float(tested["completers"].sum()) if kind == "learning" else float(est.n)
        benefits = max(est.estimate, 0.0) * persons * float(value)
        try:
            r = roi(
                benefits=benefits,
                costs=cost,
                attribution=plan.roi_attribution,
                confidence=plan.roi_confidence,
                benefit_period_months=benefit_months,
            )
        except MutuValueError:
            continue
        rows.append(
            {
                "outcome": kind,
                "scope": scope,
                "value_per_point_rp": float(value),
                "effect": est.estimate,
                "persons": persons,
                "isolation": ISOLATION[kind],
                **r.scalars(),
            }
        )
    roi_table = pd.DataFrame(rows)
    roi_note = (
        "ROI computed for the outcomes given a money value"
        if rows
        else "ROI not computed: benefits are not monetised (Phillips' conservative rules: "
        "intangibles are listed, not monetised; no data means no improvement). Intangibles: "
        + "; ".join(INTANGIBLES)
    )
    section = CostSection(
        year=year,
        planned=float(tot["planned"]),
        spent=float(tot["spent"]),
        participant_time=float(tot["participant_time"]),
        fully_loaded=float(tot["fully_loaded"]),
        participant_hours=float(tot["participant_hours"]),
        participant_jp=jp_total,
        cost_per_jp=finite(tot["fully_loaded"] / jp_total) if jp_total else None,
        cash_cost_per_jp=finite(tot["spent"] / jp_total) if jp_total else None,
        cost_per_learning_point=_per_point(
            float(tested["fully_loaded"].sum()), learn, float(tested["completers"].sum())
        ),
        cost_per_pns_reaching_floor=(finite(tot["fully_loaded"] / reached) if reached else None),
        cost_per_workplan_point=_per_point(l3_cost, wp, float(wp.n)),
        roi_computed=bool(rows),
        roi_note=roi_note,
        rulebook="; ".join(sorted(labels)),
        variant=(
            "fully loaded = cash spent + attended session hours × hourly employment cost of the "
            f"participant's group ({book.label}); participant-JP = completers × activity JP"
        ),
        notes=tuple(n for n in (book_note,) if n),
        per_activity=table,
        per_year=_sum(table.assign(year=table["year"].astype(int)), ["year"]),
        per_program=_sum(table.assign(year=table["year"].astype(int)), ["year", "program"]),
        roi_table=roi_table,
    )
    return section, labels
