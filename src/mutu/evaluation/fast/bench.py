"""``mutu bench``'s engine: time every stage of the evaluation and check it against a naive loop.

Stages (each timed with :func:`time.perf_counter`; peak memory is the
process's maximum resident set size from :func:`resource.getrusage`, which
only grows, so a stage's figure is the peak *so far*):

* ``generate`` — the regency world in memory (:func:`mutu.synthetic.generate_world`,
  1,500–20,000 ASN) or the national world streamed to Parquet
  (:func:`mutu.synthetic.national.generate_national`); ``read world`` when a
  folder is given instead;
* ``load`` — reading the partitions' columns (pyarrow dataset, only the
  columns used; text as categoricals); national partitions are read one ahead
  in a background thread (:func:`prefetch`), so this is the wait for them;
* ``L1 reliability`` — Cronbach's alpha of the reaction survey per activity
  (keeping each activity's pairwise covariance matrix);
* ``item analysis`` — r.drop, alpha and standardised alpha if deleted, item
  n / mean / SD per activity, from those covariance matrices
  (:mod:`mutu.evaluation.fast.items`);
* ``L2 pre/post`` — test scores, pre/post pairs and the paired change per activity;
* ``L2 Wilcoxon`` — the signed-rank test per activity, R rules
  (:mod:`mutu.evaluation.fast.ranks`);
* ``L3 behaviour`` — supervisors' before/after ratings, paired t-test and
  Wilcoxon per activity; ``L5 costs`` — cash planned/spent, completers,
  participant-JP and cost ratios per activity (:mod:`mutu.evaluation.fast.levels`);
  each is skipped (and listed) when the world lacks its frames;
* ``indices (JP per ASN)`` — the yearly JP rule for every ASN;
* ``IP ASN per ASN`` and ``talent box per ASN`` — the IP ASN (four dimensions,
  total, band) on 31 December and the 9-box (levels, box, track record,
  pools) for every ASN (:mod:`mutu.evaluation.fast.people`); skipped when the
  world lacks their frames;
* ``DiD per instansi`` — Callaway–Sant'Anna staggered DiD of the IKM on
  program adoption, one model per instansi
  (:func:`mutu.evaluation.did.staggered_did`);
* ``naive baseline (sample)`` — what an analyst writes: a Python loop over a
  sample of activities, filtering the long tables for each one and calling
  Mutu's per-activity functions (:func:`~mutu.evaluation.reliability.reliability`,
  :func:`~mutu.evaluation.learning.paired_change`, both checked against R),
  and per sampled ASN :func:`~mutu.indices.ip_asn.ip_asn` on their own rows and
  :func:`~mutu.indices.talent.talent_box` on their rows and their cohort's
  potential scores (bands and boxes compared as codes, so any disagreement is ≥ 1).

With ``postgres_url`` (``mutu bench --database postgres``; national worlds
only) three more stages load the world into PostgreSQL and compute L1, L2 and
the JP rule there twice (:mod:`mutu.evaluation.fast.pushdown`):

* ``postgres: load (COPY)`` — partitioned tables by instansi, ``COPY`` in;
* ``postgres: push-down (SQL GROUP BY)`` — sufficient statistics per activity
  in SQL, finished in Python;
* ``postgres: rows (COPY out + fast path)`` — the rows moved out, then the
  fast path;

their figures are compared with each other and with the Parquet fast path
(``results.postgres.max_abs_diff``). They count in neither ``total_seconds``
nor ``evaluation_seconds``.

``baseline_max_abs_diff`` is the largest absolute difference between the fast
and the naive figures over the sample (alpha, standardised alpha, Feldt
bounds and every item's n, mean, SD, r.drop, alpha and standardised alpha if
deleted; mean change, SD, t, p, CI bounds, Wilcoxon V and p; the same for L3
with both means; L5 planned, spent, enrolled, completers, participant-JP and
the three cost ratios), ``baseline.max_abs_diff_by_part`` the same per level;
``baseline_ratio`` is, summed over L1, L2, L3 and L5, the naive time per
activity × the number of activities, ÷ the fast time of the stages in
:data:`BASELINED_STAGES`. ``total_seconds`` is every stage except the naive
baseline, ``postgres: …`` and ``report: …``; ``evaluation_seconds`` also
leaves out ``generate`` / ``read world``.
"""

from __future__ import annotations

import math
import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mutu.domain.errors import MutuValueError
from mutu.evaluation.did import staggered_did
from mutu.evaluation.fast.evaluate import (
    codes_in,
    jp_per_asn,
    learning_change,
    learning_wilcoxon,
    pre_post_pairs,
    reaction_items,
    reaction_reliability,
)
from mutu.evaluation.fast.levels import COST_COLUMNS, RATING, activity_costs, behaviour_change
from mutu.evaluation.fast.people import ip_asn_per_asn, talent_per_asn
from mutu.evaluation.fast.pushdown import JpRule
from mutu.evaluation.learning import WILCOXON_EXACT, paired_change
from mutu.evaluation.pipeline.l2_learning import test_scores
from mutu.evaluation.reliability import ReliabilityResult, reliability

__all__ = [
    "BenchResult",
    "Stage",
    "naive_behaviour",
    "naive_costs",
    "naive_learning",
    "naive_reaction_alpha",
    "naive_reliability",
    "run_bench",
]

#: Frames (and columns) the bench reads; ``None`` = every column.
NEEDED: dict[str, list[str] | None] = {
    "instruments": ["code", "kind"],
    "items": ["instrument", "version", "code", "item_type", "scale", "is_reverse",
              "answer_key", "points", "dimension"],
    "scales": ["name", "min_value", "max_value"],
    "responses": ["token", "instrument", "version", "activity", "submitted_at", "occasion",
                  "subject_nip"],
    "answers": ["token", "item", "value", "option"],
    "response_identities": ["token", "nip"],
    "employees": ["nip", "status", "unit", "position", "education_level"],
    "jp_ledger": ["nip", "year", "jp", "minutes", "approval_status"],
}  # fmt: skip
#: Frames read when the world has them (L5 costs); a stage without its frames is skipped.
OPTIONAL: dict[str, list[str] | None] = {
    "activities": ["code", "program", "jp", "year", "form", "end_date"],
    "enrollments": ["activity", "status", "nip"],
    "budget_lines": ["code", "activity", "planned_amount"],
    "expenditures": ["budget_line", "amount"],
}
#: Frames read when the world has them (IP ASN and talent box per ASN).
PEOPLE: dict[str, list[str] | None] = {
    "performance_records": ["nip", "year", "predikat", "score"],
    "discipline_records": ["nip", "level", "decided_on"],
    "potential": ["nip", "score", "cohort"],
    "positions": ["code", "kind"],
}
GLOBAL = ("instruments", "items", "scales")
REGENCY_MAX = 20_000
L1_FIGURES = ("alpha", "alpha_standardized", "ci_low", "ci_high")
L2_FIGURES = (
    "mean_diff",
    "sd_diff",
    "t",
    "p_value",
    "ci_low",
    "ci_high",
    "wilcoxon_v",
    "wilcoxon_p",
)
ITEM_FIGURES = ("n", "mean", "sd", "item_total_r", "alpha_if_deleted", "alpha_std_if_deleted")
#: Per-ASN figures checked against ``ip_asn`` / ``talent_box`` (categories as codes).
IP_FIGURES = ("kualifikasi", "kompetensi", "kinerja", "disiplin", "total", "band", "complete")
TALENT_FIGURES = ("kinerja_level", "potensial_level", "box", "succession_pool", "national_pool")
L3_FIGURES = ("mean_pre", "mean_post", *L2_FIGURES)
L5_FIGURES = COST_COLUMNS


#: Fast stages the naive baseline's estimate is compared with (``baseline_ratio``).
BASELINED_STAGES = (
    "L1 reliability",
    "item analysis",
    "L2 pre/post",
    "L2 Wilcoxon",
    "L3 behaviour",
    "L5 costs",
    "IP ASN per ASN",
    "talent box per ASN",
)

NDArrayInt = NDArray[np.int64]

#: Stages outside ``total_seconds`` (and ``evaluation_seconds``).
_NOT_IN_TOTAL = ("naive", "postgres", "report")


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


@dataclass
class Stage:
    """One timed stage."""

    name: str
    seconds: float = 0.0
    peak_rss_mib: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "name": self.name,
            "seconds": round(self.seconds, 4),
            "peak_rss_mib": round(self.peak_rss_mib, 1),
        }


@dataclass
class BenchResult:
    """Everything ``mutu bench`` prints and writes."""

    scale: str
    seed: int
    source: str
    stages: list[Stage]
    skipped: list[dict[str, str]]
    counts: dict[str, int]
    baseline: dict[str, Any]
    results: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        """Sum of the stages except the naive baseline, the PostgreSQL stages and the report."""
        return sum(s.seconds for s in self.stages if not s.name.startswith(_NOT_IN_TOTAL))

    def as_dict(self) -> dict[str, Any]:
        """The JSON written by ``mutu bench --json``."""
        evaluation = sum(
            s.seconds
            for s in self.stages
            if not s.name.startswith((*_NOT_IN_TOTAL, "generate", "read world"))
        )
        return {
            "scale": self.scale,
            "seed": self.seed,
            "source": self.source,
            "counts": self.counts,
            "stages": [s.as_dict() for s in self.stages],
            "total_seconds": round(self.total_seconds, 4),
            "evaluation_seconds": round(evaluation, 4),
            "peak_rss_mib": round(max(s.peak_rss_mib for s in self.stages), 1),
            "baseline_ratio": self.baseline["ratio"],
            "baseline_max_abs_diff": self.baseline["max_abs_diff"],
            "baseline": self.baseline,
            "skipped": self.skipped,
            "results": self.results,
            "notes": self.notes,
        }


class _Clock:
    def __init__(self) -> None:
        self.stages: dict[str, Stage] = {}

    def run(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        stage = self.stages.setdefault(name, Stage(name))
        t = time.perf_counter()
        out = fn(*args, **kwargs)
        stage.seconds += time.perf_counter() - t
        stage.peak_rss_mib = max(stage.peak_rss_mib, peak_rss_mib())
        return out


# --------------------------------------------------------------------------- sources


def _is_national(scale: str | int) -> bool:
    if isinstance(scale, int):
        return scale > REGENCY_MAX
    return scale == "nasional" or (scale.isdigit() and int(scale) > REGENCY_MAX)


def _present(path: Path, cols: list[str] | None) -> list[str] | None:
    """The wanted columns the file has (``None``: all)."""
    if cols is None:
        return None
    import pyarrow.parquet as pq

    names = set(pq.read_schema(path).names)
    return [c for c in cols if c in names]


def _regency_frames(folder: Path) -> dict[str, pd.DataFrame]:
    frames: dict[str, pd.DataFrame] = {}
    for name, cols in [*NEEDED.items(), *OPTIONAL.items(), *PEOPLE.items(),
                       ("skm_results", None), ("program_units", None)]:  # fmt: skip
        path = folder / f"{name}.parquet"
        if path.exists():
            frames[name] = pd.read_parquet(path, columns=_present(path, cols))
    missing = [n for n in NEEDED if n not in frames]
    if missing:
        raise MutuValueError(
            f"Folder {folder} tidak berisi dunia Mutu (tidak ada: {', '.join(missing)}).",
            f"Folder {folder} holds no Mutu world (missing: {', '.join(missing)}).",
            field="world",
        )
    return frames


def _national_parts(folder: Path) -> Iterator[dict[str, pd.DataFrame]]:
    """The national world's partitions, one at a time, columns only as needed.

    The folder is checked at once; the partitions are read as they are asked for.
    """
    missing = [n for n in NEEDED if not (folder / n).is_dir()]
    if missing:
        raise MutuValueError(
            f"Folder {folder} tidak berisi dunia nasional (tidak ada: {', '.join(missing)}).",
            f"Folder {folder} holds no national world (missing: {', '.join(missing)}).",
            field="world",
        )
    return _iter_national(folder)


def _iter_national(folder: Path) -> Iterator[dict[str, pd.DataFrame]]:
    import pyarrow.dataset as ds

    glob = {
        n: ds.dataset(folder / n, format="parquet").to_table(columns=NEEDED[n]).to_pandas()
        for n in GLOBAL
    }
    glob.update(
        {
            n: ds.dataset(folder / n, format="parquet").to_table(columns=PEOPLE[n]).to_pandas()
            for n in ("positions",)
            if (folder / n).is_dir()
        }
    )
    people = [n for n in PEOPLE if n != "positions"]
    optional = [n for n in ["ikm_panel", *OPTIONAL, *people] if (folder / n).is_dir()]
    per_chunk = [n for n in [*NEEDED, *optional] if n not in GLOBAL]
    datasets = {n: ds.dataset(folder / n, format="parquet") for n in per_chunk}
    fragments = {n: {Path(f.path).name: f for f in d.get_fragments()} for n, d in datasets.items()}
    for part in sorted(fragments["employees"]):
        frames = dict(glob)
        for n in per_chunk:
            frag = fragments[n][part]
            cols = NEEDED.get(n, OPTIONAL.get(n, PEOPLE.get(n)))
            frames[n] = frag.to_table(columns=_present(Path(frag.path), cols)).to_pandas()
        yield frames


def prefetch(parts: Iterator[dict[str, pd.DataFrame]]) -> Iterator[dict[str, pd.DataFrame]]:
    """The same partitions, the next one read in a background thread while this one is used.

    Arrow decodes Parquet without holding the GIL, so reading partition
    ``i + 1`` overlaps the statistics of partition ``i`` on a second core; at
    most two partitions are held at once. The ``load`` stage then times only
    the wait for the next partition. An error while reading is raised where
    that partition is asked for.
    """
    from concurrent.futures import ThreadPoolExecutor

    def pull() -> dict[str, pd.DataFrame] | None:
        return next(parts, None)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mutu-load") as pool:
        ahead = pool.submit(pull)
        while True:
            frames = ahead.result()
            if frames is None:
                return
            ahead = pool.submit(pull)
            yield frames
            del frames


def _regency_panel(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame | None:
    """IKM per unit and year with the adoption year, as the L4 pipeline builds it."""
    if "skm_results" not in frames or "program_units" not in frames:
        return None
    from mutu.evaluation.pipeline.l4_results import ikm_panel
    from mutu.evaluation.pipeline.plan import EvaluationPlan

    plan = EvaluationPlan()
    got = ikm_panel(frames, plan)
    if got is None:
        return None
    ikm = got[0]
    pu = frames["program_units"]
    pu = pu[pu["program"] == plan.did_program]
    first = pd.Series(pu["adoption_year"].to_numpy(dtype=float), index=pu["unit"].to_numpy())
    first = first[~first.index.duplicated()].fillna(0.0)
    panel = ikm[ikm["unit"].isin(first.index)].dropna(subset=["ikm"])
    n_years = panel["year"].nunique()
    complete = panel.groupby("unit")["year"].nunique() == n_years
    panel = panel[panel["unit"].map(complete).to_numpy(dtype=bool)].copy()
    panel["first_treated"] = panel["unit"].map(first).to_numpy()
    panel["instansi"] = "kabupaten"
    return panel[["instansi", "unit", "year", "ikm", "first_treated"]]


# --------------------------------------------------------------------------- naive


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def naive_reliability(
    frames: Mapping[str, pd.DataFrame], activity: str, instrument: str
) -> ReliabilityResult:
    """One activity the analyst's way: filter, pivot wide, :func:`reliability` (pairwise)."""
    items = frames["items"]
    lik = items[(items["instrument"] == instrument) & (items["item_type"] == "likert")]
    codes = list(dict.fromkeys(lik["code"]))
    reverse = list(dict.fromkeys(lik.loc[lik["is_reverse"].astype(bool), "code"]))
    scales = frames["scales"].set_index("name")
    lo = float(scales.loc[lik["scale"], "min_value"].min())
    hi = float(scales.loc[lik["scale"], "max_value"].max())
    resp = frames["responses"]
    resp = resp[(resp["activity"] == activity) & (resp["instrument"] == instrument)]
    ans = frames["answers"]
    ans = ans[ans["token"].isin(set(resp["token"])) & ans["item"].isin(codes)]
    wide = ans.pivot_table(index="token", columns="item", values="value", aggfunc="first")
    wide = wide.reindex(index=resp["token"].unique(), columns=codes)
    return reliability(wide, reverse=reverse, scale_range=(lo, hi))


def naive_reaction_alpha(
    frames: Mapping[str, pd.DataFrame], activity: str, instrument: str
) -> dict[str, float]:
    """Alpha, standardised alpha and the Feldt bounds of :func:`naive_reliability`."""
    rel = naive_reliability(frames, activity, instrument)
    return {f: float(getattr(rel, f)) for f in L1_FIGURES}


def naive_behaviour(frames: Mapping[str, pd.DataFrame], activity: str) -> dict[str, float]:
    """L3 for one activity the analyst's way: rating scores, before/after per person, t and V.

    The ratings of the activity (instrument, dimension and occasions of
    :data:`mutu.evaluation.fast.levels.RATING`), a rating's score the mean of its
    items, pivoted per rated person (mean per occasion), then
    :func:`~mutu.evaluation.learning.paired_change` (before → after).
    """
    instrument, dimension, before, after = RATING
    items = frames["items"]
    codes = set(items.loc[(items["instrument"] == instrument) & (items["dimension"] == dimension),
                          "code"])  # fmt: skip
    resp = frames["responses"]
    resp = resp[
        (resp["activity"] == activity)
        & (resp["instrument"] == instrument)
        & resp["occasion"].isin([before, after])
        & resp["subject_nip"].notna()
    ]
    ans = frames["answers"]
    ans = ans[ans["token"].isin(set(resp["token"])) & ans["item"].isin(codes)]
    score = ans.groupby("token")["value"].mean()
    r = pd.DataFrame(
        {
            "nip": resp["subject_nip"].to_numpy(dtype=object),
            "occasion": resp["occasion"].to_numpy(dtype=object),
            "score": resp["token"].map(score).to_numpy(dtype=float),
        }
    )
    wide = r.pivot_table(index="nip", columns="occasion", values="score", aggfunc="mean")
    wide = wide.reindex(columns=[before, after])
    res = paired_change(wide[before], wide[after])
    return {f: float(getattr(res, f)) for f in L3_FIGURES}


def naive_costs(frames: Mapping[str, pd.DataFrame], activity: str) -> dict[str, float]:
    """L5 cash costs of one activity through the pipeline's own per-activity cost table.

    Filters the activity's budget lines, expenditures and enrollments and calls
    :func:`mutu.evaluation.pipeline.l5_costs._activity_costs` (no attendance
    frames given: participants' time is zero, as in the fast path), then divides.
    """
    from mutu.evaluation.pipeline.l5_costs import _activity_costs, costing_rulebook

    acts = frames["activities"]
    acts = acts[acts["code"] == activity].set_index("code")
    lines = frames["budget_lines"]
    lines = lines[lines["activity"] == activity]
    ex = frames["expenditures"]
    ex = ex[ex["budget_line"].isin(set(lines["code"]))]
    enr = frames["enrollments"]
    enr = enr[enr["activity"] == activity].assign(completed=lambda e: e["status"] == "completed")
    year = int(acts["year"].iloc[0])
    book = costing_rulebook(year)[0]
    table = _activity_costs(
        {"budget_lines": lines, "expenditures": ex}, acts, enr, frames["employees"], book
    )
    row = {c: float(table[c].to_numpy(dtype=np.float64)[0]) for c in
           ("planned", "spent", "completers", "participant_jp")}  # fmt: skip
    spent, done, pjp = row["spent"], row["completers"], row["participant_jp"]
    n_enr = float(len(enr))
    return {
        "planned": row["planned"],
        "spent": spent,
        "enrolled": n_enr,
        "completers": done,
        "participant_jp": pjp,
        "cost_per_participant": spent / n_enr if n_enr > 0 else math.nan,
        "cost_per_jp": spent / pjp if pjp > 0 else math.nan,
        "cost_per_completer": spent / done if done > 0 else math.nan,
    }


def _band_code(band: Any, names: list[str]) -> float:
    """A band (or any category) as its position in ``names``; NaN when empty."""
    return math.nan if band is None or pd.isna(band) else float(names.index(str(band)))


def ip_bands(on: date) -> list[str]:
    """The band codes of the ``ip_asn`` rulebook in force on ``on``, lowest first.

    The order of the fast path's band categories.
    """
    from mutu.rulebooks import load as load_rulebook

    records = load_rulebook("ip_asn", on).records("bands")
    return [str(r["code"]) for r in sorted(records, key=lambda r: float(str(r["min"])))]


def naive_ip_asn(frames: Mapping[str, pd.DataFrame], nip: str, on: date) -> dict[str, float]:
    """One ASN the analyst's way: filter their rows, :func:`mutu.indices.ip_asn.ip_asn`.

    The employee's row (with ``position_kind`` from ``positions``), their
    completed enrollments as :func:`~mutu.indices.frames.training_history`,
    their SKP and sanctions. The band is returned as its position among the
    rulebook's bands (:func:`ip_bands`), ``complete`` as 0/1.
    """
    from mutu.indices.frames import training_history
    from mutu.indices.ip_asn import ip_asn
    from mutu.indices.overview import with_position_kind

    emp = frames["employees"]
    emp = emp[emp["nip"] == nip]
    if "position_kind" not in emp.columns:
        emp = with_position_kind(emp, frames["positions"])
    enr = frames["enrollments"]
    enr = enr[enr["nip"] == nip]
    perf = frames["performance_records"]
    disc = frames["discipline_records"]
    res = ip_asn(
        emp,
        on=on,
        trainings=training_history(enr, frames["activities"]),
        performance=perf[perf["nip"] == nip],
        discipline=disc[disc["nip"] == nip],
    )
    row = res.persons.loc[nip]
    persons = res.persons.loc[[nip]]
    out = {
        f: float(persons[f].to_numpy(dtype=np.float64, na_value=np.nan)[0]) for f in IP_FIGURES[:5]
    }
    out["band"] = _band_code(row["band"], ip_bands(on))
    out["complete"] = float(bool(row["complete"]))
    return out


def naive_talent(frames: Mapping[str, pd.DataFrame], nip: str, year: int) -> dict[str, float]:
    """One ASN's 9-box the analyst's way: their SKP and sanctions, their cohort's potential.

    :func:`mutu.indices.talent.talent_box` on the person's performance and
    discipline rows and the potential scores of everyone assessed with them
    (the tertiles are the cohort's); a person with neither an SKP nor an
    assessment gets no row there, and no levels and no box (0) here.
    """
    from mutu.indices.talent import talent_box

    perf = frames["performance_records"]
    disc = frames["discipline_records"]
    pot = frames["potential"]
    mine = pot[pot["nip"] == nip]
    cohort = pot[pot["cohort"] == mine["cohort"].iloc[0]] if len(mine) else mine
    res = talent_box(
        perf[perf["nip"] == nip], cohort, year=year, discipline=disc[disc["nip"] == nip]
    ).persons
    if nip not in res.index:
        return {"kinerja_level": math.nan, "potensial_level": math.nan, "box": 0.0,
                "succession_pool": 0.0, "national_pool": 0.0}  # fmt: skip
    row = res.loc[nip]
    return {
        "kinerja_level": math.nan if pd.isna(row["kinerja_level"]) else float(row["kinerja_level"]),
        "potensial_level": (
            math.nan if pd.isna(row["potensial_level"]) else float(row["potensial_level"])
        ),
        "box": 0.0 if pd.isna(row["box"]) else float(row["box"]),
        "succession_pool": float(bool(row["succession_pool"])),
        "national_pool": float(bool(row["national_pool"])),
    }


def naive_learning(frames: Mapping[str, pd.DataFrame], activity: str) -> dict[str, float]:
    """One activity the analyst's way: test scores, pre/post per person, :func:`paired_change`."""
    resp = frames["responses"]
    resp = resp[resp["activity"] == activity]
    ans = frames["answers"]
    ans = ans[ans["token"].isin(set(resp["token"]))]
    items = frames["items"]
    # only items with a non-empty key: Mutu's test_scores counts key "" as keyed
    items = items[items["answer_key"].fillna("").astype(str) != ""]
    scores = test_scores(
        {
            "items": items,
            "responses": resp,
            "answers": ans,
            "response_identities": frames["response_identities"],
        }
    )
    scores = scores[scores["nip"].notna() & scores["occasion"].isin(["pre", "post"])]
    scores = scores.sort_values("submitted_at", kind="stable")
    wide = scores.pivot_table(index="nip", columns="occasion", values="score", aggfunc="last")
    wide = wide.reindex(columns=["pre", "post"])
    res = paired_change(wide["pre"], wide["post"])
    return {f: float(getattr(res, f)) for f in L2_FIGURES}


def _diff(fast: Mapping[str, float], naive: Mapping[str, float]) -> float:
    worst = 0.0
    for key, value in naive.items():
        got = float(fast[key])
        if math.isnan(value) and math.isnan(got):
            continue
        worst = max(worst, abs(got - value) if not math.isnan(got - value) else math.inf)
    return worst


def _items_diff(fast_items: pd.DataFrame, rel: ReliabilityResult) -> float:
    """Largest |fast − naive| over one activity's item table (NaN on both sides agrees)."""
    ref = rel.items
    worst = 0.0
    pos = {str(name): i for i, name in enumerate(ref.index)}
    cols = {f: ref[f].to_numpy(dtype=np.float64) for f in ITEM_FIGURES}
    for row in fast_items.itertuples():
        naive = {f: float(cols[f][pos[str(row.item)]]) for f in ITEM_FIGURES}
        worst = max(worst, _diff({f: float(getattr(row, f)) for f in ITEM_FIGURES}, naive))
    return worst


#: Baseline parts: (key, fast table name, naive seconds key).
PARTS = ("l1", "l2", "l3", "l5", "ip", "talent")


def _baseline(
    frames: Mapping[str, pd.DataFrame],
    fast: Mapping[str, pd.DataFrame | None],
    sample: int,
    seed: int,
    year: int = 2025,
) -> dict[str, Any]:
    """Naive per-activity loop over a sample of each table; max |fast − naive| per part.

    ``fast``: ``alpha``, ``items`` (the same partition's item tables), ``change``
    (L2 with the Wilcoxon columns), ``behaviour`` (L3) and ``costs`` (L5); a
    missing table is not sampled. L1's naive call gives alpha and the item
    table at once (one :func:`reliability`), so item analysis is checked there.
    """
    plain = {n: _plain(f) for n, f in frames.items() if n in NEEDED or n in OPTIONAL or n in PEOPLE}
    bands = ip_bands(date(year, 12, 31))
    rng = np.random.default_rng(seed)
    out: dict[str, Any] = {}
    by_part: dict[str, float] = {}
    refused_agree = 0
    items = fast.get("items")
    by_act = (
        {k: g for k, g in items.groupby(["activity", "instrument"], sort=False)}
        if items is not None and len(items)
        else {}
    )

    def naive_l1(row: Any) -> tuple[dict[str, float], float]:
        rel = naive_reliability(plain, str(row["activity"]), str(row["instrument"]))
        mine = by_act.get((row["activity"], row["instrument"]))
        extra = _items_diff(mine, rel) if mine is not None else math.inf
        return {f: float(getattr(rel, f)) for f in L1_FIGURES}, extra

    def naive_l2(row: Any) -> tuple[dict[str, float], float]:
        return naive_learning(plain, str(row["activity"])), 0.0

    def naive_l3(row: Any) -> tuple[dict[str, float], float]:
        return naive_behaviour(plain, str(row["activity"])), 0.0

    def naive_l5(row: Any) -> tuple[dict[str, float], float]:
        return naive_costs(plain, str(row["activity"])), 0.0

    def naive_ip(row: Any) -> tuple[dict[str, float], float]:
        return naive_ip_asn(plain, str(row["nip"]), date(year, 12, 31)), 0.0

    def naive_tb(row: Any) -> tuple[dict[str, float], float]:
        return naive_talent(plain, str(row["nip"]), year), 0.0

    ip_fast = fast.get("ip")
    if ip_fast is not None:
        codes = pd.Categorical(ip_fast["band"], categories=bands).codes
        ip_fast = ip_fast.assign(
            band=np.where(codes >= 0, codes, np.nan),
            complete=ip_fast["complete"].astype(np.float64),
        )
    tb_fast = fast.get("talent")
    if tb_fast is not None:
        tb_fast = tb_fast.astype({"succession_pool": np.float64, "national_pool": np.float64})
    jobs: list[tuple[str, pd.DataFrame | None, Callable[[Any], tuple[dict[str, float], float]]]] = [
        ("l1", fast.get("alpha"), naive_l1),
        ("l2", fast.get("change"), naive_l2),
        ("l3", fast.get("behaviour"), naive_l3),
        ("l5", fast.get("costs"), naive_l5),
        ("ip", ip_fast, naive_ip),
        ("talent", tb_fast, naive_tb),
    ]
    for part, table, naive_fn in jobs:
        out[f"{part}_sample"] = 0
        out[f"{part}_seconds"] = 0.0
        if table is None or not len(table):
            continue
        worst = 0.0
        pick = rng.choice(len(table), size=min(sample, len(table)), replace=False)
        for i in sorted(pick.tolist()):
            row = table.iloc[i]
            ok = bool(row["ok"]) if "ok" in row.index else True
            t = time.perf_counter()
            try:
                naive, extra = naive_fn(row)
            except MutuValueError:
                naive, extra = None, 0.0
            out[f"{part}_seconds"] += time.perf_counter() - t
            out[f"{part}_sample"] += 1
            if naive is None:
                refused_agree += int(not ok)
                worst = worst if not ok else math.inf
            else:
                worst = max(worst, _diff(row, naive), extra)
        by_part[part] = worst
    out["max_abs_diff"] = max(by_part.values(), default=0.0)
    out["max_abs_diff_by_part"] = {k: (v if math.isfinite(v) else None) for k, v in by_part.items()}
    out["refused_by_both"] = refused_agree
    return out


# --------------------------------------------------------------------------- run


def _l2(frames: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    pairs = pre_post_pairs(frames)
    return pairs, learning_change(pairs)


def _with_wilcoxon(change: pd.DataFrame, wilcoxon: pd.DataFrame) -> pd.DataFrame:
    """L2 table with the Wilcoxon columns (both are in the order of the pairs' activities)."""
    same = len(change) == len(wilcoxon) and bool(
        (change["activity"].to_numpy() == wilcoxon["activity"].to_numpy()).all()
    )
    if not same:
        wilcoxon = wilcoxon.set_index("activity").reindex(change["activity"]).reset_index()
    cols = ["n_nonzero", "wilcoxon_v", "wilcoxon_p", "wilcoxon_method"]
    return change.assign(**{c: wilcoxon[c].to_numpy() for c in cols})


def _has_ratings(frames: Mapping[str, pd.DataFrame]) -> bool:
    resp = frames["responses"]
    return "subject_nip" in resp.columns and bool(
        (codes_in(resp["instrument"], [RATING[0]]) == 0).any()
    )


def _has_ip(frames: Mapping[str, pd.DataFrame]) -> bool:
    emp = frames["employees"]
    kind = "position_kind" in emp.columns or ("position" in emp.columns and "positions" in frames)
    acts = frames.get("activities")
    return (
        kind
        and "education_level" in emp.columns
        and all(n in frames for n in ("performance_records", "discipline_records", "enrollments"))
        and acts is not None
        and {"form", "end_date"} <= set(acts.columns)
    )


def _has_talent(frames: Mapping[str, pd.DataFrame]) -> bool:
    return "performance_records" in frames and "potential" in frames


def _has_costs(frames: Mapping[str, pd.DataFrame]) -> bool:
    return all(n in frames for n in OPTIONAL)


def _item_counts(items: pd.DataFrame) -> dict[str, int]:
    ok = items["ok"].to_numpy(dtype=bool)
    flag = items["flag"].to_numpy(dtype=object)
    return {
        "items": int(ok.sum()),
        "low": int((ok & (flag == "low")).sum()),
        "negative": int((ok & (flag == "negative")).sum()),
    }


def _did(panel: pd.DataFrame) -> dict[str, Any]:
    estimated, failed = 0, 0
    atts: list[float] = []
    for _, part in panel.groupby("instansi", sort=True):  # one model per instansi
        never = bool((part.groupby("unit")["first_treated"].first() == 0).any())
        try:
            res = staggered_did(
                part,
                outcome="ikm",
                unit="unit",
                time="year",
                first_treated="first_treated",
                control="never" if never else "notyet",
            )
        except MutuValueError:
            failed += 1
            continue
        estimated += 1
        atts.append(float(res.simple.estimate))
    return {
        "instansi_estimated": estimated,
        "instansi_failed": failed,
        "mean_att": float(np.mean(atts)) if atts else None,
    }


def run_bench(
    *,
    scale: str | int = "kabupaten",
    seed: int = 11,
    world: Path | None = None,
    sample: int = 20,
    year: int | None = None,
    workdir: Path | None = None,
    postgres_url: str | None = None,
    report: bool = True,
) -> BenchResult:
    """Run every stage once and return the timings, the baseline check and headline figures.

    ``world``: read this folder (a regency world written by ``mutu world`` or a
    national one) instead of generating. For a national scale without
    ``world``, the world is written to ``workdir`` (default: a new temporary
    folder, left in place and named in the notes).
    """
    from mutu.rulebooks import load as load_rulebook

    clock = _Clock()
    notes: list[str] = []
    load_start = os.getloadavg()
    scale_name = str(scale)
    national = _is_national(scale)
    parts: Iterator[dict[str, pd.DataFrame]]
    national_folder: Path | None = None
    regency_full: Callable[[], Mapping[str, pd.DataFrame]] | None = None
    if world is None:
        _check_postgres(postgres_url, national)
    if world is not None:
        folder = Path(world)
        manifest = folder / "manifest.json"
        if not manifest.exists():
            raise MutuValueError(
                f"Folder {folder} tidak berisi manifest.json.",
                f"Folder {folder} holds no manifest.json.",
                field="world",
            )
        import json

        info = json.loads(manifest.read_text(encoding="utf-8"))
        national = info.get("kind") == "national"
        scale_name = str(info.get("scale", scale_name))
        _check_postgres(postgres_url, national)
        source = f"read {folder}"
        if national:
            parts = prefetch(_national_parts(folder))
            national_folder = folder
        else:
            frames0 = clock.run("read world", lambda: _regency_frames(folder))
            parts = iter([frames0])
            regency_full = lambda: _all_regency_frames(folder)  # noqa: E731
    elif national:
        from mutu.synthetic.national import generate_national

        out = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="mutu-national-"))
        clock.run("generate", lambda: generate_national(seed=seed, scale=scale, out=out))
        notes.append(f"national world written to {out}")
        source = "generated (national, Parquet)"
        parts = prefetch(_national_parts(out))
        national_folder = out
    else:
        from mutu.synthetic import generate_world

        w = clock.run("generate", lambda: generate_world(seed=seed, scale=scale))
        source = "generated (regency, in memory)"
        parts = iter([w.frames])
        regency_full = lambda: w.frames  # noqa: E731

    alphas: list[pd.DataFrame] = []
    changes: list[pd.DataFrame] = []
    behaviours: list[pd.DataFrame] = []
    costs: list[pd.DataFrame] = []
    item_counts = {"items": 0, "low": 0, "negative": 0}
    persons: list[pd.DataFrame] = []
    panels: list[pd.DataFrame] = []
    people = _PeopleTotals()
    counts = {"asn": 0, "answers": 0, "responses": 0, "partitions": 0}
    baseline: dict[str, Any] | None = None
    clock.stages.setdefault("load", Stage("load"))
    while True:
        frames = clock.run("load", lambda: next(parts, None))
        if frames is None:
            break
        counts["partitions"] += 1
        counts["asn"] += len(frames["employees"])
        counts["answers"] += len(frames["answers"])
        counts["responses"] += len(frames["responses"])
        a, scale_groups = clock.run("L1 reliability", reaction_reliability, frames)
        items = clock.run("item analysis", reaction_items, scale_groups)
        for key, value in _item_counts(items).items():
            item_counts[key] += value
        pairs, c = clock.run("L2 pre/post", _l2, frames)
        wil = clock.run("L2 Wilcoxon", learning_wilcoxon, pairs)
        c = _with_wilcoxon(c, wil)
        b = clock.run("L3 behaviour", behaviour_change, frames) if _has_ratings(frames) else None
        k = clock.run("L5 costs", activity_costs, frames) if _has_costs(frames) else None
        yr = year
        if yr is None:
            yr = int(pd.to_datetime(frames["responses"]["submitted_at"]).dt.year.max())
        book = load_rulebook("jp", date(yr, 12, 31))
        rule = JpRule(
            yr,
            float(book.decimal("pns_min_jp_per_year")),
            float(book.decimal("pppk_max_jp_per_contract_year")),
            float(book.decimal("minutes_per_jp")),
        )
        p = clock.run(
            "indices (JP per ASN)",
            jp_per_asn,
            frames["employees"],
            frames["jp_ledger"],
            year=rule.year,
            floor_jp=rule.floor_jp,
            ceiling_jp=rule.ceiling_jp,
            minutes_per_jp=rule.minutes_per_jp,
        )
        ip = (
            clock.run("IP ASN per ASN", ip_asn_per_asn, frames, on=date(rule.year, 12, 31))
            if _has_ip(frames)
            else None
        )
        tb = (
            clock.run("talent box per ASN", talent_per_asn, frames, year=rule.year)
            if _has_talent(frames)
            else None
        )
        people.add(ip, tb)
        panel = frames.get("ikm_panel")
        if panel is None:
            panel = _regency_panel(frames)
        if panel is not None:
            panels.append(panel)
        if baseline is None:
            fast = {"alpha": a, "items": items, "change": c, "behaviour": b, "costs": k,
                    "ip": ip, "talent": tb}  # fmt: skip
            baseline = clock.run(
                "naive baseline (sample)", _baseline, frames, fast, sample, seed, rule.year
            )
        del items, scale_groups, pairs, ip, tb
        alphas.append(a)
        changes.append(c)
        if b is not None:
            behaviours.append(b)
        if k is not None:
            costs.append(k)
        persons.append(p[["nip", "status", "jp", "compliant"]] if postgres_url else
                       p[["status", "jp", "compliant"]])  # fmt: skip
    skipped: list[dict[str, str]] = []
    did: dict[str, Any] | None = None
    if panels:
        full = pd.concat(panels, ignore_index=True)
        did = clock.run("DiD per instansi", lambda: _did(full))
    else:
        skipped.append(
            {
                "name": "DiD per instansi",
                "reason": "the world has no IKM panel (skm_results with program_units, "
                "or ikm_panel in a national world)",
            }
        )
    report_info: dict[str, Any] | None = None
    if national:
        skipped.append({"name": "report", "reason": REPORT_NATIONAL_REASON})
    elif not report:
        skipped.append({"name": "report", "reason": "switched off (--no-report)"})
    elif regency_full is not None:
        get_frames = regency_full
        results_json = clock.run(
            "report: full evaluation (pipeline)", lambda: _pipeline(get_frames())
        )
        report_info = clock.run(
            "report: render (html, pdf, docx, xlsx)", _render_report, results_json, workdir
        )
    alpha = pd.concat(alphas, ignore_index=True)
    change = pd.concat(changes, ignore_index=True)
    person = pd.concat(persons, ignore_index=True)
    assert baseline is not None
    behaviour = pd.concat(behaviours, ignore_index=True) if behaviours else None
    cost = pd.concat(costs, ignore_index=True) if costs else None
    for name, table, why in (
        ("L3 behaviour", behaviour, "the world has no supervisor ratings (PENILAIAN-ATASAN "
         "responses with subject_nip)"),
        ("L5 costs", cost, "the world has no activities, enrollments, budget_lines and "
         "expenditures"),
        ("IP ASN per ASN", people.ip_n or None, "the world has no education level, position "
         "kind, SKP (performance_records), discipline_records or trainings"),
        ("talent box per ASN", people.tb_n or None, "the world has no SKP "
         "(performance_records) or potential scores"),
    ):  # fmt: skip
        if table is None:
            skipped.append({"name": name, "reason": why})
    sizes = {
        "l1": len(alpha),
        "l2": len(change),
        "l3": len(behaviour) if behaviour is not None else 0,
        "l5": len(cost) if cost is not None else 0,
        "ip": people.ip_n,
        "talent": people.tb_n,
    }
    fast_seconds = sum(clock.stages[n].seconds for n in BASELINED_STAGES if n in clock.stages)
    naive_total = sum(
        baseline[f"{p}_seconds"] / baseline[f"{p}_sample"] * sizes[p]
        for p in PARTS
        if baseline[f"{p}_sample"]
    )
    baseline["ratio"] = round(naive_total / fast_seconds, 1) if fast_seconds > 0 else None
    baseline["naive_seconds_estimated_all_activities"] = round(naive_total, 2)
    baseline["fast_seconds"] = round(fast_seconds, 4)
    baseline["fast_stages"] = [n for n in BASELINED_STAGES if n in clock.stages]
    for p in PARTS:
        baseline[f"{p}_seconds"] = round(baseline[f"{p}_seconds"], 4)
    if not math.isfinite(baseline["max_abs_diff"]):
        baseline["max_abs_diff"] = None
        notes.append("fast and naive disagreed on whether a sampled activity can be computed")
    machine = {
        "cpus": os.cpu_count(),
        "load_average_start": [round(v, 2) for v in load_start],
        "load_average_end": [round(v, 2) for v in os.getloadavg()],
    }
    if postgres_url is not None and national_folder is not None:
        results_pg = _postgres(
            clock, postgres_url, national_folder, rule, {"alpha": alpha, "change": change,
                                                          "jp": person}
        )  # fmt: skip
    else:
        results_pg = None
    counts["activities_l1"] = len(alpha)
    counts["activities_l2"] = len(change)
    counts["activities_l3"] = sizes["l3"]
    counts["activities_l5"] = sizes["l5"]
    pns = person["status"] == "PNS"
    results = {
        "l1_alpha_median": _f(alpha["alpha"].median()),
        "l1_activities_ok": int(alpha["ok"].sum()),
        "l2_mean_change_mean": _f(change["mean_diff"].mean()),
        "l2_activities_ok": int(change["ok"].sum()),
        "l2_wilcoxon_exact": int((change["wilcoxon_method"] == WILCOXON_EXACT).sum()),
        "l2_wilcoxon_p_below_005": int((change["wilcoxon_p"] < 0.05).sum()),
        "item_analysis": item_counts,
        "l3": None
        if behaviour is None
        else {
            "activities_ok": int(behaviour["ok"].sum()),
            "mean_change_mean": _f(behaviour["mean_diff"].mean()),
            "wilcoxon_p_below_005": int((behaviour["wilcoxon_p"] < 0.05).sum()),
        },
        "l5": None if cost is None else _cost_totals(cost),
        "ip_asn": people.ip_summary(),
        "talent_box": people.tb_summary(),
        "share_pns_meeting_jp_floor": _f(person.loc[pns, "compliant"].mean()),
        "share_pppk_within_jp_ceiling": _f(person.loc[~pns, "compliant"].mean()),
        "did": did,
        "postgres": results_pg,
        "report": report_info,
        "machine": machine,
    }
    return BenchResult(
        scale=scale_name,
        seed=seed,
        source=source,
        stages=list(clock.stages.values()),
        skipped=skipped,
        counts=counts,
        baseline=baseline,
        results=results,
        notes=notes,
    )


@dataclass
class _PeopleTotals:
    """Running totals of the per-ASN indices over the partitions (no per-ASN rows kept)."""

    ip_n: int = 0
    ip_scored: int = 0
    ip_sum: float = 0.0
    bands: dict[str, int] = field(default_factory=dict)
    tb_n: int = 0
    boxes: NDArrayInt = field(default_factory=lambda: np.zeros(10, dtype=np.int64))
    succession: int = 0
    national: int = 0

    def add(self, ip: pd.DataFrame | None, tb: pd.DataFrame | None) -> None:
        if ip is not None:
            total = ip["total"].to_numpy(dtype=np.float64)
            self.ip_n += len(ip)
            self.ip_scored += int((~np.isnan(total)).sum())
            self.ip_sum += float(np.nansum(total))
            for band, count in ip["band"].value_counts(sort=False).items():
                self.bands[str(band)] = self.bands.get(str(band), 0) + int(count)
        if tb is not None:
            self.tb_n += len(tb)
            self.boxes += np.bincount(tb["box"].to_numpy(dtype=np.int64), minlength=10)
            self.succession += int(tb["succession_pool"].sum())
            self.national += int(tb["national_pool"].sum())

    def ip_summary(self) -> dict[str, Any] | None:
        if not self.ip_n:
            return None
        return {
            "n": self.ip_n,
            "n_scored": self.ip_scored,
            "mean_total": _f(self.ip_sum / self.ip_scored) if self.ip_scored else None,
            "bands": self.bands,
        }

    def tb_summary(self) -> dict[str, Any] | None:
        if not self.tb_n:
            return None
        return {
            "n": self.tb_n,
            "n_boxed": int(self.boxes[1:].sum()),
            "boxes": {str(b): int(self.boxes[b]) for b in range(1, 10)},
            "succession_pool": self.succession,
            "national_pool": self.national,
        }


def _cost_totals(cost: pd.DataFrame) -> dict[str, float | None]:
    """Totals over all activities: planned, spent, participant-JP and spent per JP."""
    planned, spent = float(cost["planned"].sum()), float(cost["spent"].sum())
    pjp = float(cost["participant_jp"].sum())
    done = float(cost["completers"].sum())
    return {
        "planned": round(planned, 2),
        "spent": round(spent, 2),
        "participant_jp": round(pjp, 2),
        "spent_per_jp": _f(spent / pjp) if pjp else None,
        "spent_per_completer": _f(spent / done) if done else None,
    }


#: Why the national bench renders no report.
REPORT_NATIONAL_REASON = (
    "the evaluation report is composed from the full pipeline's results (L1–L5, units, "
    "indices, planning) of one regency; the national bench computes per-activity L1 (alpha, "
    "item analysis), L2 (t-test, Wilcoxon), L3 ratings, L5 cash costs, per ASN the JP rule, "
    "the IP ASN and the talent box, and the DiD, and Mutu has no national summary report yet"
)


def _all_regency_frames(folder: Path) -> dict[str, pd.DataFrame]:
    """Every frame of a regency world folder written by ``mutu world`` (Parquet)."""
    return {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}


def _pipeline(frames: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    """The full evaluation (L1–L5, indices) from the stored frames, as ``mutu evaluate`` runs it."""
    from mutu.evaluation.pipeline import evaluate
    from mutu.synthetic import stored_view

    results: dict[str, Any] = evaluate(stored_view(dict(frames))).to_json()
    return results


def _render_report(results: Mapping[str, Any], workdir: Path | None) -> dict[str, Any]:
    """Compose the report (Indonesian) and render every format, as ``mutu report`` does."""
    from mutu.reporting import compose_report, report_filename
    from mutu.reporting.renderers import FORMATS, render

    report = compose_report(results, lang="id", synthetic=True)
    sizes: dict[str, int] = {}
    seconds: dict[str, float] = {}
    for fmt in FORMATS:
        t = time.perf_counter()
        data = render(report, fmt)
        seconds[fmt] = round(time.perf_counter() - t, 4)
        sizes[fmt] = len(data)
        if workdir is not None:
            Path(workdir).mkdir(parents=True, exist_ok=True)
            (Path(workdir) / report_filename(report.year, "id", fmt)).write_bytes(data)
    return {"lang": "id", "year": report.year, "bytes": sizes, "seconds": seconds,
            "written_to": str(workdir) if workdir is not None else None}  # fmt: skip


def _check_postgres(postgres_url: str | None, national: bool) -> None:
    if postgres_url is not None and not national:
        raise MutuValueError(
            "Perbandingan PostgreSQL (--database postgres) hanya untuk dunia nasional "
            "(--scale nasional atau lebih dari 20.000 ASN, atau --world nasional).",
            "The PostgreSQL comparison (--database postgres) is for national worlds only "
            "(--scale nasional or above 20,000 ASN, or a national --world).",
            field="database",
        )


def _postgres(
    clock: _Clock,
    url: str,
    folder: Path,
    rule: JpRule,
    fast: Mapping[str, pd.DataFrame],
) -> dict[str, Any]:
    """Load into PostgreSQL, run SQL push-down and moving rows, compare all three."""
    import psycopg

    from mutu.evaluation.fast import pushdown as pd_

    def _clean(d: Mapping[str, float]) -> dict[str, float | None]:
        return {k: (v if math.isfinite(v) else None) for k, v in d.items()}

    with psycopg.connect(url) as conn:
        try:
            loaded = clock.run("postgres: load (COPY)", pd_.load_national, conn, folder)
            conn.autocommit = True
            sql = clock.run("postgres: push-down (SQL GROUP BY)", pd_.pushdown, conn, rule)
            rows = clock.run(
                "postgres: rows (COPY out + fast path)", pd_.move_rows, conn, loaded.chunks, rule
            )
            plan = pd_.explain_l1(conn)
            version = str(conn.info.server_version)
        finally:
            conn.autocommit = True
            pd_.drop_schema(conn)
    return {
        "server_version": version,
        "schema": pd_.SCHEMA,
        "partitions_per_table": len(loaded.instansi) + 1,
        "rows_loaded": loaded.rows,
        "pushdown_seconds": {k: round(v, 4) for k, v in sql.seconds.items()},
        "pushdown_rows_out": sql.rows_out,
        "rows_seconds": {k: round(v, 4) for k, v in rows.seconds.items()},
        "rows_rows_out": rows.rows_out,
        "max_abs_diff": {
            "sql_vs_rows": _clean(pd_.max_abs_diff(sql, rows)),
            "sql_vs_fast": _clean(pd_.max_abs_diff(sql, fast)),
            "rows_vs_fast": _clean(pd_.max_abs_diff(rows, fast)),
        },
        "partitionwise_aggregate_in_plan": plan,
    }


def _f(value: Any) -> float | None:
    v = float(value)
    return None if math.isnan(v) else round(v, 6)
