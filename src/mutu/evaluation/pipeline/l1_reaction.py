"""Kirkpatrick level 1: the reaction survey, and the reliability of every Likert scale.

Reaction: the instrument(s) of ``plan.reaction_kind``, each Likert dimension
scored as the mean of its items after reverse keying (``items.is_reverse``,
on the item's scale), described item by item as ordinal variables
(:func:`~mutu.evaluation.reaction.reaction_summary`), per activity of the
report year in one grouped pass (:func:`~mutu.evaluation.reaction.reaction_summary_by`).
Reliability: Cronbach's alpha with the Feldt interval and item analysis
(:func:`~mutu.evaluation.reliability.reliability`, pairwise as R ``psych``)
for every instrument and Likert dimension answered up to the report year —
reaction, self-efficacy, supervisor ratings, SKM.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.evaluation.pipeline.helpers import finite
from mutu.evaluation.pipeline.inputs import has
from mutu.evaluation.pipeline.plan import EvaluationPlan
from mutu.evaluation.pipeline.report import NoData, Section
from mutu.evaluation.reaction import reaction_summary, reaction_summary_by
from mutu.evaluation.reliability import reliability
from mutu.evaluation.result import check_lang, format_number

__all__ = ["ReactionSection", "reaction"]


def _scales(frames: Mapping[str, pd.DataFrame], items: pd.DataFrame) -> pd.DataFrame:
    """Likert items with their scale bounds: instrument, dimension, code, reverse, lo, hi."""
    lik = items[(items["item_type"] == "likert").to_numpy()]
    scales = frames.get("scales")
    if scales is not None and len(scales):
        bounds = scales.set_index("name")[["min_value", "max_value"]]
        lik = lik.join(bounds, on="scale")
    else:
        lik = lik.assign(min_value=float("nan"), max_value=float("nan"))
    return lik


#: Per (instrument, year): its responses up to the year and their answers (see :func:`_wide`).
_Subsets = dict[tuple[str, int], tuple[pd.DataFrame, pd.DataFrame]]


def _wide(
    frames: Mapping[str, pd.DataFrame],
    instrument: str,
    codes: list[str],
    year: int,
    subsets: _Subsets | None = None,
) -> pd.DataFrame:
    """One row per response of ``instrument`` up to ``year``: the answers to ``codes``.

    ``subsets`` remembers an instrument's responses and answers between calls
    (one reaction section reads the same instrument once per dimension).
    """
    found = None if subsets is None else subsets.get((instrument, year))
    if found is None:
        resp = frames["responses"]
        resp = resp[
            (resp["instrument"] == instrument).to_numpy()
            & (resp["submitted_at"].dt.year <= year).to_numpy()
        ]
        ans = frames["answers"]
        ans = ans[ans["token"].isin(set(resp["token"])).to_numpy()]
        if subsets is not None:
            subsets[(instrument, year)] = (resp, ans)
    else:
        resp, ans = found
    ans = ans[ans["item"].isin(codes).to_numpy()]
    wide = ans.pivot_table(index="token", columns="item", values="value", aggfunc="first")
    wide = wide.reindex(columns=codes)
    meta = resp.drop_duplicates("token").set_index("token")[["activity", "submitted_at"]]
    return wide.join(meta, how="left")


@dataclass(frozen=True, eq=False, kw_only=True)
class ReactionSection(Section):
    """Level 1 of the report year and the reliability of every Likert scale."""

    key: ClassVar[str] = "l1_reaction"
    year: int
    instrument: str | None
    n_respondents: int
    scale_mean: float | None
    scale_ci_low: float | None
    scale_ci_high: float | None
    top_box_pct: float | None
    lowest_item: str | None
    alpha: float | None
    alpha_ci_low: float | None
    alpha_ci_high: float | None
    reversed_items: str
    variant: str
    items: pd.DataFrame = field(repr=False)
    per_activity: pd.DataFrame = field(repr=False)
    reliability: pd.DataFrame = field(repr=False)
    reliability_items: pd.DataFrame = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame | None]:
        """Items, per activity, reliability per instrument/dimension and its item analysis."""
        return {
            "items": self.items,
            "per_activity": self.per_activity,
            "reliability": self.reliability,
            "reliability_items": self.reliability_items,
        }

    def summary(self, lang: str = "id") -> str:
        """Mean reaction with its interval, top-box share, alpha with its interval."""
        lng = check_lang(lang)

        def f(v: float | None, d: int = 2) -> str:
            return format_number(v, d, lng)

        if lng == "id":
            return (
                f"Reaksi peserta {self.year}: rata-rata {f(self.scale_mean)} "
                f"(IK {f(self.scale_ci_low)}–{f(self.scale_ci_high)}; n = {self.n_respondents}); "
                f"{f(self.top_box_pct, 0)}% "
                f"jawaban di dua pilihan teratas; butir terendah {self.lowest_item}. Reliabilitas "
                f"(alfa Cronbach, butir terbalik {self.reversed_items or '-'} sudah dibalik) "
                f"{f(self.alpha)} (IK Feldt {f(self.alpha_ci_low)}–{f(self.alpha_ci_high)})."
            )
        return (
            f"Participants' reaction {self.year}: mean {f(self.scale_mean)} (CI "
            f"{f(self.scale_ci_low)}–{f(self.scale_ci_high)}; n = {self.n_respondents}); "
            f"{f(self.top_box_pct, 0)}% of answers in the top two points; lowest item "
            f"{self.lowest_item}. Reliability (Cronbach's alpha, reverse-keyed "
            f"{self.reversed_items or '-'} reversed) {f(self.alpha)} (Feldt CI "
            f"{f(self.alpha_ci_low)}–{f(self.alpha_ci_high)})."
        )


def _reliability_table(
    frames: Mapping[str, pd.DataFrame],
    lik: pd.DataFrame,
    year: int,
    subsets: _Subsets | None = None,
) -> pd.DataFrame:
    rows = []
    for (instrument, dimension), part in lik.groupby(["instrument", "dimension"], sort=True):
        codes = list(dict.fromkeys(part["code"]))
        if len(codes) < 2:
            continue
        reverse = list(dict.fromkeys(part.loc[part["is_reverse"], "code"]))
        lo, hi = part["min_value"].min(), part["max_value"].max()
        wide = _wide(frames, str(instrument), codes, year, subsets)[codes]
        row: dict[str, object] = {
            "instrument": instrument,
            "dimension": dimension,
            "k": len(codes),
            "reversed": ", ".join(reverse),
        }
        try:
            rel = reliability(
                wide,
                reverse=reverse,
                scale_range=(float(lo), float(hi)) if pd.notna(lo) and pd.notna(hi) else None,
            )
        except MutuValueError as exc:
            row.update(n=len(wide), note=str(exc))
        else:
            row.update(
                n=rel.n,
                alpha=rel.alpha,
                ci_low=rel.ci_low,
                ci_high=rel.ci_high,
                alpha_standardized=rel.alpha_standardized,
                mean_inter_item_r=rel.mean_inter_item_r,
                flagged_items=", ".join(rel.items.index[rel.items["flag"] != ""]),
                note="",
            )
        rows.append(row)
    return pd.DataFrame(rows)


def reaction(
    frames: Mapping[str, pd.DataFrame], plan: EvaluationPlan, *, year: int, confidence: float
) -> Section:
    """The L1 section."""
    need = ("instruments", "items", "responses", "answers")
    if not has(frames, *need):
        return NoData(section="l1_reaction", missing=tuple(n for n in need if not has(frames, n)))
    lik = _scales(frames, frames["items"])
    subsets: _Subsets = {}
    rel_table = _reliability_table(frames, lik, year, subsets)
    inst = frames["instruments"]
    codes = set(inst.loc[inst["kind"] == plan.reaction_kind, "code"])
    mine = lik[lik["instrument"].isin(codes).to_numpy()]
    if mine.empty:
        return NoData(section="l1_reaction", missing=(f"{plan.reaction_kind} instrument",))
    # The reaction dimension with the most items (one per instrument in practice).
    sizes = mine.groupby(["instrument", "dimension"]).size()
    key = (str(sizes.idxmax()[0]), str(sizes.idxmax()[1]))  # type: ignore[index]
    part = mine[
        (mine["instrument"] == key[0]).to_numpy() & (mine["dimension"] == key[1]).to_numpy()
    ]
    items = list(dict.fromkeys(part["code"]))
    reverse = list(dict.fromkeys(part.loc[part["is_reverse"], "code"]))
    wide = _wide(frames, str(key[0]), items, year, subsets)
    lo_v, hi_v = part["min_value"].min(), part["max_value"].max()
    if pd.isna(lo_v) or pd.isna(hi_v):  # no scale recorded: the observed range (psych's rule)
        lo_v, hi_v = wide[items].min().min(), wide[items].max().max()
    lo, hi = int(lo_v), int(hi_v)
    this = wide[(wide["submitted_at"].dt.year == year).to_numpy()]
    if this.empty:
        return NoData(section="l1_reaction", missing=(f"reaction responses in {year}",))
    overall = reaction_summary(
        this[items], scale_min=lo, scale_max=hi, reverse=reverse, confidence=confidence
    )
    per_act = reaction_summary_by(
        this[this["activity"].notna().to_numpy()],
        activity="activity",
        items=items,
        scale_min=lo,
        scale_max=hi,
        reverse=reverse,
        confidence=confidence,
    )
    per_act["too_few"] = per_act["n_scored"] < plan.min_n
    rel = reliability(this[items], reverse=reverse, scale_range=(lo, hi), confidence=confidence)
    return ReactionSection(
        year=year,
        instrument=str(key[0]),
        n_respondents=overall.n_scored,
        scale_mean=finite(overall.scale_mean),
        scale_ci_low=finite(overall.ci_low),
        scale_ci_high=finite(overall.ci_high),
        top_box_pct=finite(overall.top_box_pct),
        lowest_item=overall.lowest_item,
        alpha=finite(rel.alpha),
        alpha_ci_low=finite(rel.ci_low),
        alpha_ci_high=finite(rel.ci_high),
        reversed_items=", ".join(reverse),
        variant=f"{overall.variant}; {rel.variant}",
        items=overall.items,
        per_activity=per_act,
        reliability=rel_table,
        reliability_items=rel.items,
    )
