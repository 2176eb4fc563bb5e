"""Kirkpatrick level 2: pre-/post-test scores, per activity and pooled.

A test is an instrument whose items carry an answer key. A response's score is
100 × (points of the items answered with the key) / (points of all keyed items
of its version): an unanswered item earns nothing. Pairs are (activity, NIP)
with both a pre- and a post-test. ``learning_gain`` is the mean of post − pre
over the pairs of the report year, pooled over activities, with the paired
t-test (each participant's difference is one observation: the estimand is the
mean over these participants, and their tests are scored independently). The
CR1 standard error clustered by activity is shown beside it as a check for
class-level dependence. Per activity, :func:`~mutu.evaluation.learning.paired_change_by`
in one grouped pass, with Holm and Benjamini–Hochberg across the activities.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from mutu.evaluation.learning import paired_change, paired_change_by
from mutu.evaluation.pipeline.helpers import add_adjusted, cluster_se_of_mean, finite
from mutu.evaluation.pipeline.inputs import has
from mutu.evaluation.pipeline.plan import EvaluationPlan
from mutu.evaluation.pipeline.report import Estimand, NoData, Section
from mutu.evaluation.result import check_lang, format_number, format_p

__all__ = ["LearningSection", "learning", "test_scores"]

MAX_SCORE = 100.0


def test_scores(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per test response: token, instrument, version, activity, nip, occasion, score.

    A test item is one with an answer key; an empty key (``""``, as storage gives
    it before :func:`~mutu.evaluation.pipeline.inputs.normalise_frames`) is no key,
    so a questionnaire given before and after (e.g. self-efficacy) is never scored
    as a test even when this is called on frames that were not normalised.
    """
    items = frames["items"]
    key = items["answer_key"]
    blank = key.astype("string").str.strip().eq("").fillna(False).to_numpy(dtype=bool)
    keyed = items[key.notna().to_numpy() & ~blank]
    cols = ["token", "instrument", "version", "activity", "occasion", "submitted_at"]
    if keyed.empty:
        return pd.DataFrame(columns=[*cols, "nip", "score"])
    points = keyed["points"].fillna(1.0) if "points" in keyed.columns else 1.0
    keys = pd.DataFrame(
        {
            "instrument": keyed["instrument"].to_numpy(dtype=object),
            "version": keyed["version"].to_numpy(),
            "item": keyed["code"].to_numpy(dtype=object),
            "answer_key": keyed["answer_key"].to_numpy(dtype=object),
            "points": np.asarray(points, dtype=float),
        }
    )
    resp = frames["responses"]
    resp = resp[resp["instrument"].isin(set(keys["instrument"])).to_numpy()][cols]
    ans = frames["answers"]
    ans = ans[ans["token"].isin(set(resp["token"])).to_numpy()][["token", "item", "option"]]
    ans = ans.merge(resp[["token", "instrument", "version"]], on="token")
    ans = ans.merge(keys, on=["instrument", "version", "item"], how="inner")
    earned = ((ans["option"] == ans["answer_key"]) * ans["points"]).groupby(ans["token"]).sum()
    total = keys.groupby(["instrument", "version"])["points"].sum()
    out = resp.reset_index(drop=True)
    tot = total.reindex(pd.MultiIndex.from_arrays([out["instrument"], out["version"]])).to_numpy()
    out["score"] = MAX_SCORE * out["token"].map(earned).fillna(0.0).to_numpy(dtype=float) / tot
    if "response_identities" in frames:
        ident = frames["response_identities"].drop_duplicates("token").set_index("token")["nip"]
        out["nip"] = out["token"].map(ident).to_numpy(dtype=object)
    else:
        out["nip"] = None
    return out


@dataclass(frozen=True, eq=False, kw_only=True)
class LearningSection(Section):
    """Level 2 for the report year: pooled change, per activity, per program and per year."""

    key: ClassVar[str] = "l2_learning"
    year: int
    n_pairs: int
    n_activities: int
    mean_pre: float | None
    mean_post: float | None
    mean_diff: float | None
    se: float | None
    se_cluster_activity: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    d_z: float | None
    normalized_gain: float | None
    wilcoxon_p: float | None
    n_significant_holm: int
    n_significant_bh: int
    naive: float | None
    variant: str
    per_activity: pd.DataFrame = field(repr=False)
    per_program: pd.DataFrame = field(repr=False)
    per_year: pd.DataFrame = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame | None]:
        """Per activity (with Holm/BH), per program and per year."""
        return {
            "per_activity": self.per_activity,
            "per_program": self.per_program,
            "per_year": self.per_year,
        }

    def to_frame(self) -> pd.DataFrame:
        """The per-activity table."""
        return self.per_activity.copy()

    def summary(self, lang: str = "id") -> str:
        """Pooled change with its interval, normalised gain, activities significant after Holm."""
        lng = check_lang(lang)
        diff = format_number(self.mean_diff, 1, lng)
        lo, hi = format_number(self.ci_low, 1, lng), format_number(self.ci_high, 1, lng)
        g = format_number(self.normalized_gain, 2, lng)
        p = format_p(self.p_value, lng)
        if lng == "id":
            return (
                f"Tahun {self.year}: {self.n_pairs} pasangan nilai pre/post dari "
                f"{self.n_activities} kegiatan; rata-rata selisih {diff} poin (IK {lo} hingga "
                f"{hi}; uji t berpasangan, {p}); gain ternormalisasi Hake ⟨g⟩ = {g}. Setelah "
                f"koreksi Holm antar-kegiatan, {self.n_significant_holm} kegiatan menunjukkan "
                f"kenaikan yang nyata (BH: {self.n_significant_bh})."
            )
        return (
            f"{self.year}: {self.n_pairs} pre/post pairs from {self.n_activities} activities; "
            f"mean change {diff} points (CI {lo} to {hi}; paired t-test, {p}); Hake normalised "
            f"gain <g> = {g}. After Holm's correction across activities, "
            f"{self.n_significant_holm} activities show a significant change "
            f"(BH: {self.n_significant_bh})."
        )


def _pairs(scores: pd.DataFrame, plan: EvaluationPlan, years: pd.Series) -> pd.DataFrame:
    s = scores[scores["occasion"].isin([plan.test_pre_occasion, plan.test_post_occasion])]
    s = s[s["nip"].notna().to_numpy()].sort_values("submitted_at", kind="stable")
    wide = s.pivot_table(
        index=["activity", "nip"], columns="occasion", values="score", aggfunc="last"
    )
    wide = wide.rename(columns={plan.test_pre_occasion: "pre", plan.test_post_occasion: "post"})
    for col in ("pre", "post"):
        if col not in wide.columns:
            wide[col] = np.nan
    wide = wide.reset_index()
    wide["year"] = wide["activity"].map(years).astype(float)
    return wide


def learning(
    frames: Mapping[str, pd.DataFrame],
    plan: EvaluationPlan,
    activities: pd.DataFrame,
    *,
    year: int,
    confidence: float,
) -> tuple[Section, Estimand, pd.DataFrame]:
    """The L2 section, the ``learning_gain`` estimand and the pairs table (for costs)."""
    need = ("items", "responses", "answers", "response_identities")
    if not has(frames, *need):
        missing = tuple(n for n in need if not has(frames, n))
        return (
            NoData(section="l2_learning", missing=missing),
            Estimand.no_data("learning_gain", "no test responses"),
            pd.DataFrame(),
        )
    scores = test_scores(frames)
    scores = scores[scores["activity"].isin(activities.index).to_numpy()]
    pairs = _pairs(scores, plan, activities["year"])
    both = pairs.dropna(subset=["pre", "post"])
    this = both[both["year"] == year]
    if len(this) < 2:
        return (
            NoData(section="l2_learning", missing=(f"pre/post pairs in {year}",)),
            Estimand.no_data("learning_gain", f"fewer than two pre/post pairs in {year}"),
            pairs,
        )
    pooled = paired_change(this["pre"], this["post"], max_score=MAX_SCORE, confidence=confidence)
    se = pooled.sd_diff / math.sqrt(pooled.n)
    se_cl, n_cl = cluster_se_of_mean(
        (this["post"] - this["pre"]).to_numpy(), this["activity"].to_numpy()
    )
    by_act = paired_change_by(
        this, group="activity", pre="pre", post="post", max_score=MAX_SCORE, confidence=confidence
    )
    by_act.insert(0, "program", activities["program"].reindex(by_act.index).to_numpy())
    by_act = add_adjusted(by_act, level=plan.level)
    by_act["too_few"] = by_act["n"] < plan.min_n
    prog = this.assign(program=activities["program"].reindex(this["activity"]).to_numpy())
    by_prog = paired_change_by(
        prog, group="program", pre="pre", post="post", max_score=MAX_SCORE, confidence=confidence
    )
    by_year = paired_change_by(
        both.assign(year=both["year"].astype(int)),
        group="year",
        pre="pre",
        post="post",
        max_score=MAX_SCORE,
        confidence=confidence,
    )
    in_year = scores[scores["activity"].map(activities["year"]).astype(float) == year]
    by_occ = in_year.groupby("occasion")["score"].mean()
    naive_pre = finite(by_occ.get(plan.test_pre_occasion, np.nan))
    naive_post = finite(by_occ.get(plan.test_post_occasion, np.nan))
    naive_value = (
        naive_post - naive_pre if naive_pre is not None and naive_post is not None else None
    )
    variant = (
        f"score = 100 × keyed points earned / keyed points of the version; pairs (activity, NIP) "
        f"with both tests in {year}; {pooled.variant}; CR1 SE clustered by activity "
        f"({n_cl} clusters) shown for comparison"
    )
    section = LearningSection(
        year=year,
        n_pairs=pooled.n,
        n_activities=int(this["activity"].nunique()),
        mean_pre=pooled.mean_pre,
        mean_post=pooled.mean_post,
        mean_diff=pooled.mean_diff,
        se=se,
        se_cluster_activity=finite(se_cl),
        ci_low=pooled.ci_low,
        ci_high=pooled.ci_high,
        p_value=pooled.p_value,
        d_z=pooled.d_z,
        normalized_gain=pooled.normalized_gain,
        wilcoxon_p=pooled.wilcoxon_p,
        n_significant_holm=int(by_act["significant_holm"].sum()),
        n_significant_bh=int(by_act["significant_bh"].sum()),
        naive=naive_value,
        variant=variant,
        per_activity=by_act,
        per_program=by_prog,
        per_year=by_year,
    )
    estimand = Estimand(
        "learning_gain",
        estimate=pooled.mean_diff,
        se=se,
        ci_low=pooled.ci_low,
        ci_high=pooled.ci_high,
        method=(
            f"paired t-test of post − pre test scores (0–100), pooled over {section.n_activities} "
            f"activities of {year}"
        ),
        n=pooled.n,
        p_value=pooled.p_value,
        naive=naive_value,
        naive_definition="mean of all post-test scores minus mean of all pre-test scores, unpaired",
        method_id=(
            f"uji t berpasangan atas selisih nilai post − pre (0–100), gabungan "
            f"{section.n_activities} kegiatan tahun {year}"
        ),
        naive_definition_id=(
            "rata-rata semua nilai post-test dikurangi rata-rata semua nilai pre-test, tanpa "
            "pasangan"
        ),
        population=f"participants with both a pre- and a post-test in {year}",
        confidence=confidence,
        status="ok" if pooled.n >= plan.min_n else "too_few",
        details=(
            ("se_cluster_activity", finite(se_cl)),
            ("n_activities", section.n_activities),
            ("normalized_gain", pooled.normalized_gain),
            ("d_z", pooled.d_z),
        ),
    )
    return section, estimand, pairs
