"""The evaluation's hot paths on columnar frames, vectorised over activities and people.

Each function takes frames with the contract's column names (``docs/frames.md``)
— pandas frames of the regency world, or one partition of the national world
(:mod:`mutu.synthetic.national`, integer tokens and categorical text) — turns
the keys into integer codes and calls the group-wise statistics of
:mod:`mutu.evaluation.fast.stats`. No loop runs per activity or per person.

* :func:`reaction_alpha` — L1: Cronbach's alpha of the reaction survey's
  Likert items (reverse-keyed on the scale's range) for every activity, as
  :func:`mutu.evaluation.reliability.reliability` per activity.
* :func:`pre_post_pairs` and :func:`learning_change` — L2: test scores
  (0–100, as :func:`mutu.evaluation.pipeline.l2_learning.test_scores`), the
  last pre and post score per activity and person, and the paired change per
  activity, as :func:`mutu.evaluation.learning.paired_change`.
* :func:`jp_per_asn` — the JP rule per ASN (approved JP of the year against
  the PNS floor / PPPK ceiling), as
  :func:`mutu.indices.jp_compliance.jp_compliance`'s ``persons``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mutu.evaluation.fast.items import item_analysis, item_table
from mutu.evaluation.fast.ranks import wilcoxon_by_group
from mutu.evaluation.fast.stats import (
    AlphaByGroup,
    PairedByGroup,
    alpha_by_group,
    paired_by_group,
)
from mutu.evaluation.learning import WILCOXON_EXACT, WILCOXON_NORMAL

__all__ = [
    "REACTION_KINDS",
    "ScaleGroups",
    "codes_in",
    "index_in",
    "jp_from_sums",
    "jp_per_asn",
    "learning_change",
    "learning_wilcoxon",
    "pre_post_pairs",
    "reaction_alpha",
    "reaction_items",
    "reaction_reliability",
    "response_rows",
]

#: ``instruments.kind`` values of reaction surveys.
REACTION_KINDS = ("reaction",)
MAX_SCORE = 100.0


def _text(series: pd.Series) -> NDArray[np.object_]:
    return series.astype(object).to_numpy(dtype=object)


def codes_in(series: pd.Series, categories: pd.Index | list[str]) -> NDArray[np.int64]:
    """Position of each value of ``series`` in ``categories`` (``-1`` when absent or missing).

    A categorical series is recoded through its (few) categories, not value by value.
    """
    index = pd.Index(categories)
    if isinstance(series.dtype, pd.CategoricalDtype):
        lookup = np.append(index.get_indexer(series.cat.categories), -1).astype(np.int64)
        return lookup[series.cat.codes.to_numpy()]  # int8/int16 codes; -1 picks the last
    return index_in(series, pd.Series(np.asarray(index, dtype=object)))


def index_in(values: pd.Series, keys: pd.Series) -> NDArray[np.int64]:
    """Position of each of ``values`` among ``keys`` (``-1`` if absent), Arrow's hash kernel."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(s: pd.Series) -> pa.Array:
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        return pa.array(s.to_numpy(dtype=object) if s.dtype == object else s)

    found = pc.index_in(arrow(values), value_set=arrow(keys))
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def response_rows(
    responses: pd.DataFrame, tokens: pd.Series | NDArray[np.generic]
) -> NDArray[np.int64]:
    """Row of ``responses`` holding each token (``-1`` when absent).

    Integer tokens that run consecutively (the national world) are found by
    subtraction; any other tokens through a hash index.
    """
    rt = responses["token"]
    tok = tokens.to_numpy() if isinstance(tokens, pd.Series) else np.asarray(tokens)
    if pd.api.types.is_integer_dtype(rt) and np.issubdtype(tok.dtype, np.integer) and len(rt):
        r = rt.to_numpy(dtype=np.int64)
        base = int(r[0])
        if r[-1] - base == r.size - 1 and bool((np.diff(r) == 1).all()):
            pos = tok.astype(np.int64, copy=False) - base
            pos[(pos < 0) | (pos >= r.size)] = -1
            return pos
    query = tokens if isinstance(tokens, pd.Series) else pd.Series(tok)
    return index_in(query, rt)


def _pick(values: NDArray[Any], where: NDArray[np.int64]) -> NDArray[Any]:
    """``values[where]`` for sorted unique positions; a view when they are one run."""
    if where.size and int(where[-1]) - int(where[0]) + 1 == where.size:
        return values[int(where[0]) : int(where[-1]) + 1]
    return values[where]


def _floats(series: pd.Series) -> NDArray[np.float64]:
    """A numeric column as float64 with NaN for missing (no copy when it already is)."""
    if series.dtype == np.float64:
        return np.asarray(series.to_numpy())
    return np.asarray(series.to_numpy(dtype=np.float64, na_value=np.nan))


@dataclass(frozen=True)
class ScaleGroups:
    """One reaction instrument's alpha per activity, with its covariance matrices kept."""

    instrument: str
    activities: NDArray[np.object_]
    items: list[str]
    result: AlphaByGroup


def alpha_columns(res: AlphaByGroup) -> dict[str, Any]:
    """The per-activity figures of :func:`alpha_by_group`'s result, as table columns."""
    return {
        "n": res.n,
        "k": res.k,
        "alpha": res.alpha,
        "alpha_standardized": res.alpha_standardized,
        "ci_low": res.ci_low,
        "ci_high": res.ci_high,
        "ok": res.ok,
    }


def reaction_alpha(frames: Mapping[str, pd.DataFrame], *, confidence: float = 0.95) -> pd.DataFrame:
    """Cronbach's alpha (pairwise, as ``psych::alpha``) of the reaction survey per activity.

    One row per activity and reaction instrument: ``activity``, ``instrument``,
    ``n``, ``k``, ``alpha``, ``alpha_standardized``, ``ci_low``, ``ci_high``,
    ``ok``. Items are the instrument's Likert items (all versions), reverse-keyed
    as ``(min + max) − x`` on the item's scale.
    """
    return reaction_reliability(frames, confidence=confidence)[0]


def reaction_items(groups: list[ScaleGroups]) -> pd.DataFrame:
    """Item analysis (as ``reliability(...).items``) per activity from :func:`reaction_reliability`.

    One row per activity, instrument and item: ``activity``, ``instrument``,
    ``item``, ``n``, ``mean``, ``sd``, ``item_total_r`` (r.drop),
    ``alpha_if_deleted``, ``alpha_std_if_deleted``, ``flag``, ``ok``; derived
    from the covariance matrices L1 already built (:mod:`mutu.evaluation.fast.items`).
    """
    out = [
        item_table(item_analysis(g.result), g.activities, g.items).assign(instrument=g.instrument)
        for g in groups  # a handful of instruments, not activities
    ]
    if not out:
        return pd.DataFrame(
            columns=["activity", "item", "n", "mean", "sd", "item_total_r", "alpha_if_deleted",
                     "alpha_std_if_deleted", "flag", "ok", "instrument"]
        )  # fmt: skip
    return pd.concat(out, ignore_index=True)


def reaction_reliability(
    frames: Mapping[str, pd.DataFrame], *, confidence: float = 0.95
) -> tuple[pd.DataFrame, list[ScaleGroups]]:
    """:func:`reaction_alpha`'s table and, per instrument, the group results with covariances."""
    instruments = frames["instruments"]
    kinds = instruments["kind"].astype(str).to_numpy()
    reaction = set(_text(instruments["code"])[np.isin(kinds, REACTION_KINDS)])
    items = frames["items"]
    scales = frames["scales"].set_index(frames["scales"]["name"].astype(str))
    out: list[pd.DataFrame] = []
    kept: list[ScaleGroups] = []
    responses = frames["responses"]
    answers = frames["answers"]
    inst_names = sorted(reaction)
    lik_all = items[
        items["instrument"].astype(str).isin(inst_names).to_numpy()
        & (items["item_type"].astype(str) == "likert").to_numpy()
    ]
    all_codes_lik = list(dict.fromkeys(_text(lik_all["code"])))
    # one pass over the long table: keep only answers to those item codes
    item_all = codes_in(answers["item"], all_codes_lik)
    cand = np.flatnonzero(item_all >= 0)
    item_cand = _pick(item_all, cand)
    values = _pick(_floats(answers["value"]), cand)
    rows = response_rows(responses, _pick(answers["token"].to_numpy(), cand))
    resp_inst = codes_in(responses["instrument"], inst_names)
    ans_ok = rows >= 0
    all_act, all_act_names = pd.factorize(responses["activity"])
    for which, inst in enumerate(inst_names):  # a handful of instruments, not activities
        lik = items[
            (_text(items["instrument"]) == inst) & (items["item_type"].astype(str) == "likert")
        ]
        codes = list(dict.fromkeys(_text(lik["code"])))
        if len(codes) < 2:
            continue
        rev = set(_text(lik["code"])[lik["is_reverse"].to_numpy(dtype=bool)])
        scale_names = lik["scale"].astype(str)
        lo = float(scales.loc[scale_names, "min_value"].min())
        hi = float(scales.loc[scale_names, "max_value"].max())
        mine = np.flatnonzero(resp_inst == which)
        if mine.size == 0:
            continue
        local = np.full(len(responses), -1, dtype=np.int64)
        local[mine] = np.arange(mine.size)
        col = np.asarray(pd.Index(codes).get_indexer(all_codes_lik), dtype=np.int64)[item_cand]
        a_rows = np.where(ans_ok, rows, 0)
        a_local = np.where(ans_ok, local[a_rows], -1)
        take = (a_local >= 0) & (col >= 0)
        x = np.full((mine.size, len(codes)), np.nan)
        x[a_local[take], col[take]] = values[take]
        flip = np.array([c in rev for c in codes])
        x[:, flip] = (lo + hi) - x[:, flip]
        sub = all_act[mine]
        act_codes = np.full(sub.size, -1, dtype=np.int64)
        found, uniq = pd.factorize(sub[sub >= 0])
        act_codes[sub >= 0] = found
        act_names = np.asarray(all_act_names, dtype=object)[uniq]
        has_act = act_codes >= 0
        res = alpha_by_group(act_codes[has_act], x[has_act], len(act_names), confidence=confidence)
        kept.append(ScaleGroups(inst, np.asarray(act_names, dtype=object), codes, res))
        out.append(
            pd.DataFrame(
                {
                    "activity": np.asarray(act_names, dtype=object),
                    "instrument": inst,
                    **alpha_columns(res),
                }
            )
        )
    if not out:
        return pd.DataFrame(
            columns=["activity", "instrument", "n", "k", "alpha", "alpha_standardized",
                     "ci_low", "ci_high", "ok"]
        ), kept  # fmt: skip
    return pd.concat(out, ignore_index=True), kept


def pre_post_pairs(
    frames: Mapping[str, pd.DataFrame], *, pre: str = "pre", post: str = "post"
) -> pd.DataFrame:
    """Pre and post test score (0–100) per activity and person.

    Columns ``activity``, ``nip`` (categoricals), ``pre``, ``post``.

    A response's score is 100 × the points of its correct options ÷ the points
    of its instrument version's keyed items; the last response (by
    ``submitted_at``) per activity, person and occasion counts, as the L2
    pipeline does.
    """
    items = frames["items"]
    key = items["answer_key"]
    keyed = items[key.notna().to_numpy() & (key.astype(str) != "").to_numpy()]
    empty = pd.DataFrame(columns=["activity", "nip", "pre", "post"])
    if keyed.empty:
        return empty
    kinst, kver = _text(keyed["instrument"]), keyed["version"].to_numpy(dtype=np.int64)
    inst_names = list(dict.fromkeys(kinst))
    k_iv = pd.Index(inst_names).get_indexer(kinst).astype(np.int64) * 1_000_000 + kver
    iv_codes, iv_names = pd.factorize(pd.Series(k_iv))
    points = keyed["points"].fillna(1.0).to_numpy(dtype=np.float64)
    total = np.bincount(iv_codes, weights=points, minlength=len(iv_names))
    item_codes, item_names = pd.factorize(pd.Series(_text(keyed["code"])))
    opt_codes, opt_names = pd.factorize(pd.Series(_text(keyed["answer_key"])))
    n_items = len(item_names)
    key_of = np.full(len(iv_names) * n_items, -1, dtype=np.int64)
    pts_of = np.zeros(len(iv_names) * n_items)
    key_of[iv_codes * n_items + item_codes] = opt_codes
    pts_of[iv_codes * n_items + item_codes] = points

    responses = frames["responses"]
    r_inst = codes_in(responses["instrument"], inst_names)
    r_key = np.where(
        r_inst >= 0, r_inst * 1_000_000 + responses["version"].to_numpy(dtype=np.int64), -1
    )
    r_iv = np.asarray(pd.Index(iv_names).get_indexer(r_key), dtype=np.int64)
    answers = frames["answers"]
    rows = response_rows(responses, answers["token"])
    ok = rows >= 0
    a_iv = np.where(ok, r_iv[np.where(ok, rows, 0)], -1)
    a_item = codes_in(answers["item"], list(item_names))
    a_opt = codes_in(answers["option"], list(opt_names))
    take = (a_iv >= 0) & (a_item >= 0)
    cell = a_iv[take] * n_items + a_item[take]
    correct = (a_opt[take] == key_of[cell]) & (key_of[cell] >= 0)
    earned = np.bincount(rows[take], weights=correct * pts_of[cell], minlength=len(responses))
    score = np.where(r_iv >= 0, MAX_SCORE * earned / total[np.maximum(r_iv, 0)], np.nan)

    ident = frames["response_identities"]
    id_rows = response_rows(responses, ident["token"])
    good = id_rows >= 0
    nip_codes, nip_names = pd.factorize(ident["nip"])
    person = np.full(len(responses), -1, dtype=np.int64)
    person[id_rows[good]] = nip_codes[good]
    occ = codes_in(responses["occasion"], [pre, post])  # 0 pre, 1 post
    act_codes, act_names = pd.factorize(responses["activity"])
    use = np.flatnonzero((r_iv >= 0) & (person >= 0) & (occ >= 0) & (act_codes >= 0))
    n_person = max(len(nip_names), 1)
    pair_key = act_codes[use].astype(np.int64) * n_person + person[use]
    at = responses["submitted_at"].to_numpy(dtype="datetime64[ms]").view(np.int64)[use]
    o = occ[use]
    # sort by (activity, person), occasion, time (stable): the last row of a run wins
    order = np.lexsort((at, o, pair_key))
    k_s, o_s = pair_key[order], o[order]
    last = np.ones(order.size, dtype=bool)
    last[:-1] = (k_s[1:] != k_s[:-1]) | (o_s[1:] != o_s[:-1])
    chosen = order[last]
    pairs, inv = np.unique(pair_key[chosen], return_inverse=True)
    pre_s = np.full(pairs.size, np.nan)
    post_s = np.full(pairs.size, np.nan)
    sc = score[use][chosen]
    is_post = o[chosen] == 1
    pre_s[inv[~is_post]] = sc[~is_post]
    post_s[inv[is_post]] = sc[is_post]
    return pd.DataFrame(
        {
            "activity": pd.Categorical.from_codes(pairs // n_person, categories=act_names),
            "nip": pd.Categorical.from_codes(pairs % n_person, categories=nip_names),
            "pre": pre_s,
            "post": post_s,
        }
    )


def paired_columns(names: pd.Index, res: PairedByGroup) -> dict[str, Any]:
    """The columns of a per-activity paired table, from :func:`paired_by_group`'s result."""
    return {
        "activity": np.asarray(names, dtype=object),
        "n": res.n,
        "mean_pre": res.mean_pre,
        "mean_post": res.mean_post,
        "mean_diff": res.mean_diff,
        "sd_diff": res.sd_diff,
        "t": res.t,
        "df": res.df,
        "p_value": res.p_value,
        "ci_low": res.ci_low,
        "ci_high": res.ci_high,
        "d_z": res.d_z,
    }


def wilcoxon_method(method: NDArray[Any]) -> pd.Categorical[str]:
    """The method codes of :func:`wilcoxon_by_group` as the texts ``paired_change`` gives."""
    methods = ["no non-zero differences", WILCOXON_EXACT, WILCOXON_NORMAL]
    return pd.Categorical.from_codes(method.astype(np.int64), categories=pd.Index(methods))


def learning_change(pairs: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Paired change (post − pre) per activity from :func:`pre_post_pairs`, one row per activity."""
    codes, names = pd.factorize(pairs["activity"])
    res = paired_by_group(
        codes,
        pairs["pre"].to_numpy(dtype=np.float64),
        pairs["post"].to_numpy(dtype=np.float64),
        len(names),
        confidence=confidence,
    )
    return pd.DataFrame({**paired_columns(names, res), "ok": res.ok})


def learning_wilcoxon(pairs: pd.DataFrame) -> pd.DataFrame:
    """Wilcoxon signed-rank (R rules) of post − pre per activity from :func:`pre_post_pairs`.

    One row per activity, in the order of :func:`learning_change`:
    ``activity``, ``n_nonzero``, ``wilcoxon_v``, ``wilcoxon_p``,
    ``wilcoxon_method`` (the text :func:`~mutu.evaluation.learning.paired_change`
    gives), computed by :func:`mutu.evaluation.fast.ranks.wilcoxon_by_group`.
    """
    return _wilcoxon_frame(pairs, "pre", "post")


def _wilcoxon_frame(pairs: pd.DataFrame, pre: str, post: str) -> pd.DataFrame:
    codes, names = pd.factorize(pairs["activity"])
    res = wilcoxon_by_group(
        codes,
        pairs[pre].to_numpy(dtype=np.float64),
        pairs[post].to_numpy(dtype=np.float64),
        len(names),
    )
    return pd.DataFrame(
        {
            "activity": np.asarray(names, dtype=object),
            "n_nonzero": res.n_nonzero,
            "wilcoxon_v": res.v,
            "wilcoxon_p": res.p_value,
            "wilcoxon_method": wilcoxon_method(res.method),
        }
    )


def jp_per_asn(
    employees: pd.DataFrame,
    ledger: pd.DataFrame,
    *,
    year: int,
    floor_jp: float,
    ceiling_jp: float,
    minutes_per_jp: float,
) -> pd.DataFrame:
    """Approved JP of ``year`` per ASN against the PNS floor or the PPPK ceiling.

    One row per employee: ``nip``, ``status``, ``jp``, ``compliant``,
    ``deficit`` (PNS; else NaN), ``excess`` (PPPK; else NaN) — the same
    figures as :func:`mutu.indices.jp_compliance.jp_compliance`'s ``persons``
    (an entry's JP is ``jp``, or ``minutes`` ÷ minutes-per-JP when ``jp`` is
    empty; minutes summed before dividing; totals rounded to 6 decimals).
    Ledger rows of people not among ``employees`` are not counted.
    """
    who = index_in(ledger["nip"], employees["nip"])
    approved = codes_in(ledger["approval_status"], ["approved"]) == 0
    yr = ledger["year"].to_numpy(dtype=np.int64)
    use = (who >= 0) & approved & (yr == year)
    jp = ledger["jp"].to_numpy(dtype=np.float64, na_value=np.nan)
    minutes = (
        ledger["minutes"].to_numpy(dtype=np.float64, na_value=np.nan)
        if "minutes" in ledger.columns
        else np.full(len(ledger), np.nan)
    )
    n = len(employees)
    jp_sum = np.bincount(who[use], weights=np.nan_to_num(jp[use]), minlength=n)
    min_sum = np.bincount(
        who[use], weights=np.where(np.isnan(jp[use]), np.nan_to_num(minutes[use]), 0.0), minlength=n
    )
    pns = codes_in(employees["status"], ["PNS"]) == 0
    out = jp_from_sums(
        pns,
        jp_sum,
        min_sum,
        floor_jp=floor_jp,
        ceiling_jp=ceiling_jp,
        minutes_per_jp=minutes_per_jp,
    )
    out.insert(0, "nip", employees["nip"].to_numpy())
    return out


def jp_from_sums(
    pns: NDArray[np.bool_],
    jp_sum: NDArray[Any],
    minutes_sum: NDArray[Any],
    *,
    floor_jp: float,
    ceiling_jp: float,
    minutes_per_jp: float,
) -> pd.DataFrame:
    """The JP rule per ASN from the person's sums of approved JP and of minutes (JP empty).

    The second half of :func:`jp_per_asn`, shared with the SQL push-down
    (:mod:`mutu.evaluation.fast.pushdown`): total = round(ΣJP + Σminutes ÷
    minutes-per-JP, 6); PNS comply at or above the floor, PPPK at or below the
    ceiling. Columns ``status``, ``jp``, ``compliant``, ``deficit``, ``excess``.
    """
    total = np.round(
        np.asarray(jp_sum, dtype=np.float64)
        + np.asarray(minutes_sum, dtype=np.float64) / minutes_per_jp,
        6,
    )
    pns = np.asarray(pns, dtype=bool)
    compliant = np.where(pns, total >= floor_jp, total <= ceiling_jp)
    return pd.DataFrame(
        {
            "status": np.where(pns, "PNS", "PPPK"),
            "jp": total,
            "compliant": compliant,
            "deficit": np.where(pns, np.maximum(0.0, floor_jp - total), np.nan),
            "excess": np.where(pns, np.nan, np.maximum(0.0, total - ceiling_jp)),
        }
    )
