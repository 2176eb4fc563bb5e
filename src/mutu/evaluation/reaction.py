"""Kirkpatrick level 1: participants' reaction (satisfaction, relevance, engagement).

Single Likert items are ordinal: they are described by their distribution, median
and top-2-box share. A scale score (the mean of several items, after reverse
keying) may be treated as interval, so its mean gets a t interval. Every
function has a grouped twin (``*_by``) that handles all activities in one pass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from mutu.domain.errors import MutuValueError
from mutu.evaluation.result import Result, check_lang, format_number

__all__ = [
    "ReactionResult",
    "item_summary",
    "item_summary_by",
    "reaction_summary",
    "reaction_summary_by",
    "scale_scores",
]

TOO_FEW = 5


def _check_scale(scale_min: float, scale_max: float, top_box: int) -> list[int]:
    if not (float(scale_min).is_integer() and float(scale_max).is_integer()):
        raise MutuValueError(
            "Batas skala Likert harus bilangan bulat.", "Likert scale bounds must be integers."
        )
    if not scale_min < scale_max:
        raise MutuValueError(
            "Skala harus punya minimum < maksimum.", "The scale needs minimum < maximum."
        )
    points = list(range(int(scale_min), int(scale_max) + 1))
    if not 1 <= top_box < len(points):
        raise MutuValueError(
            "Jumlah kotak teratas harus antara 1 dan jumlah pilihan − 1.",
            "The number of top boxes must lie between 1 and the number of points − 1.",
        )
    return points


def _prepare(
    responses: pd.DataFrame,
    items: Sequence[str],
    scale_min: float,
    scale_max: float,
    reverse: Sequence[str] | None,
) -> pd.DataFrame:
    """Numeric items, range-checked, reverse-keyed as (min + max) − x."""
    if len(items) == 0:
        raise MutuValueError("Tidak ada butir.", "No items given.")
    missing = [c for c in items if c not in responses.columns]
    if missing:
        raise MutuValueError(f"Kolom tidak ditemukan: {missing}.", f"Columns not found: {missing}.")
    try:
        frame = pd.DataFrame(
            responses[list(items)].apply(pd.to_numeric, errors="raise").astype(float)
        )
    except (TypeError, ValueError) as exc:
        raise MutuValueError("Jawaban harus berupa angka.", "Answers must be numbers.") from exc
    values = frame.to_numpy()
    seen = values[~np.isnan(values)]
    if ((seen < scale_min) | (seen > scale_max) | (seen != np.round(seen))).any():
        raise MutuValueError(
            f"Ada jawaban di luar skala {scale_min:g}–{scale_max:g} atau bukan bilangan bulat.",
            f"Some answers lie outside the scale {scale_min:g}–{scale_max:g} or are not whole.",
        )
    unknown = [c for c in (reverse or ()) if c not in frame.columns]
    if unknown:
        raise MutuValueError(
            f"Butir yang dibalik tidak ada: {unknown}.",
            f"Reverse-keyed items not found: {unknown}.",
        )
    for name in reverse or ():
        frame[name] = (scale_min + scale_max) - frame[name]
    return frame


def _item_table(
    long: pd.DataFrame, keys: list[str], points: list[int], top_box: int
) -> pd.DataFrame:
    grouped = long.groupby(keys, sort=False)["value"]
    table = grouped.agg(n="size", mean="mean", median="median", sd="std")
    counts = long.groupby([*keys, "value"]).size().unstack("value", fill_value=0)
    counts = counts.reindex(columns=[float(p) for p in points], fill_value=0)
    shares = counts.div(counts.sum(axis=1), axis=0)
    shares.columns = [f"share_{p}" for p in points]
    table = table.join(shares)
    table[f"top{top_box}_box_pct"] = 100.0 * shares.iloc[:, -top_box:].sum(axis=1)
    return pd.DataFrame(table)


def item_summary(
    responses: pd.DataFrame,
    *,
    scale_min: int,
    scale_max: int,
    reverse: Sequence[str] | None = None,
    items: Sequence[str] | None = None,
    top_box: int = 2,
) -> pd.DataFrame:
    """Describe each Likert item as the ordinal variable it is.

    Parameters
    ----------
    responses
        One row per respondent, one column per item (missing answers as NaN).
    scale_min, scale_max
        The response scale, e.g. 1 and 5.
    reverse
        Items to reverse-key as ``(min + max) - x`` first, so that "high" means
        "favourable" for every item.
    items
        Columns to use (default: all columns).
    top_box
        How many top points count as "top box" (default 2).

    Returns
    -------
    pandas.DataFrame
        Indexed by item: ``n``, ``mean``, ``median``, ``sd``, ``share_<point>``
        for every scale point (share of the answers) and ``top2_box_pct``.

    References
    ----------
    Jamieson, S. (2004). Likert scales: how to (ab)use them. *Medical Education*
    38, 1217–1218 (single items are ordinal: report distribution and median).
    """
    points = _check_scale(scale_min, scale_max, top_box)
    cols = list(items) if items is not None else [str(c) for c in responses.columns]
    frame = _prepare(responses, cols, scale_min, scale_max, reverse)
    long = frame.melt(var_name="item", value_name="value").dropna()
    table = _item_table(long, ["item"], points, top_box)
    return table.reindex(pd.Index(cols, name="item"))


def item_summary_by(
    data: pd.DataFrame,
    *,
    activity: str,
    items: Sequence[str],
    scale_min: int,
    scale_max: int,
    reverse: Sequence[str] | None = None,
    top_box: int = 2,
) -> pd.DataFrame:
    """:func:`item_summary` for every activity in one grouped pass.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(activity, item)`` with the columns of :func:`item_summary`.
    """
    points = _check_scale(scale_min, scale_max, top_box)
    if activity not in data.columns:
        raise MutuValueError(
            f"Kolom tidak ditemukan: {activity}.", f"Column not found: {activity}."
        )
    frame = _prepare(data, list(items), scale_min, scale_max, reverse)
    frame.insert(0, "__activity", data[activity].to_numpy())
    long = frame.melt(id_vars="__activity", var_name="item", value_name="value").dropna()
    table = _item_table(long, ["__activity", "item"], points, top_box).sort_index()
    return table.rename_axis(index=[activity, "item"])


def _min_items(k: int, min_items: int | None) -> int:
    need = math.ceil(k / 2) if min_items is None else int(min_items)
    if not 1 <= need <= k:
        raise MutuValueError(
            f"Minimal butir terjawab harus antara 1 dan {k}.",
            f"The minimum number of answered items must lie between 1 and {k}.",
        )
    return need


def scale_scores(
    items: pd.DataFrame,
    *,
    reverse: Sequence[str] | None,
    scale_min: int,
    scale_max: int,
    min_items: int | None = None,
) -> pd.Series:
    r"""Each respondent's scale score: the mean of the answered items.

    Parameters
    ----------
    items
        One row per respondent, one column per item of the scale.
    reverse
        Items to reverse-key as ``(min + max) - x`` (``None`` or empty: none).
    scale_min, scale_max
        The response scale.
    min_items
        Fewest answered items for a score; fewer gives NaN. Default: half of the
        items, rounded up (the usual "half rule" of scale scoring).

    Returns
    -------
    pandas.Series
        One score per respondent, on the item scale (``scale_min``–``scale_max``).

    Notes
    -----
    :math:`s_i = \frac{1}{|A_i|}\sum_{j \in A_i} x'_{ij}` over the answered items
    :math:`A_i`, with :math:`x' = (min + max) - x` for reverse-keyed items; NaN
    when :math:`|A_i| <` ``min_items``.

    References
    ----------
    Revelle, W. R package ``psych``, ``scoreItems`` (mean of available items after
    reverse keying).
    """
    _check_scale(scale_min, scale_max, 1)
    cols = [str(c) for c in items.columns]
    frame = _prepare(items, cols, scale_min, scale_max, reverse)
    need = _min_items(len(cols), min_items)
    answered = frame.notna().sum(axis=1)
    return frame.mean(axis=1).where(answered >= need).rename("scale_score")


@dataclass(frozen=True, eq=False)
class ReactionResult(Result):
    """Level-1 reaction: the scale score's mean with its interval, and the items."""

    n_respondents: int
    n_scored: int
    k: int
    scale_min: int
    scale_max: int
    scale_mean: float
    scale_sd: float
    scale_median: float
    ci_low: float
    ci_high: float
    confidence: float
    top_box_pct: float
    top_box: int
    lowest_item: str
    variant: str
    items: pd.DataFrame = field(repr=False)

    def summary(self, lang: str = "id") -> str:
        """Mean satisfaction with its interval, the top-box share and the weakest item."""
        lang = check_lang(lang)
        pct = format_number(100 * self.confidence, 0, lang)
        mean = format_number(self.scale_mean, 2, lang)
        lo, hi = format_number(self.ci_low, 2, lang), format_number(self.ci_high, 2, lang)
        top = format_number(self.top_box_pct, 0, lang)
        low_mean = format_number(
            float(self.items["mean"].to_numpy()[self.items.index.get_loc(self.lowest_item)]),
            2,
            lang,
        )
        rng = f"{self.scale_min}–{self.scale_max}"
        if lang == "id":
            if self.n_scored < TOO_FEW:
                return (
                    f"Terlalu sedikit responden dengan skor lengkap (n = {self.n_scored}) untuk "
                    "menyimpulkan reaksi peserta."
                )
            return (
                f"Rata-rata skor reaksi peserta {mean} pada skala {rng} (IK {pct}% {lo}–{hi}; "
                f"n = {self.n_scored} dari {self.n_respondents} responden; rata-rata "
                f"{self.k} butir). {top}% jawaban berada di {self.top_box} pilihan teratas. "
                f"Butir dengan rata-rata terendah: {self.lowest_item} ({low_mean})."
            )
        if self.n_scored < TOO_FEW:
            return (
                f"Too few respondents with a complete score (n = {self.n_scored}) to conclude "
                "anything about participants' reaction."
            )
        return (
            f"Mean reaction score {mean} on a {rng} scale ({pct}% CI {lo}–{hi}; "
            f"n = {self.n_scored} of {self.n_respondents} respondents; mean of {self.k} items). "
            f"{top}% of answers are in the top {self.top_box} points. "
            f"Lowest-rated item: {self.lowest_item} ({low_mean})."
        )


def _t_interval(mean: float, sd: float, n: float, confidence: float) -> tuple[float, float]:
    if n < 2 or not sd >= 0:
        return math.nan, math.nan
    half = float(stats.t.ppf(0.5 + confidence / 2.0, n - 1)) * sd / math.sqrt(n)
    return mean - half, mean + half


def reaction_summary(
    responses: pd.DataFrame,
    *,
    scale_min: int,
    scale_max: int,
    reverse: Sequence[str] | None = None,
    min_items: int | None = None,
    confidence: float = 0.95,
    top_box: int = 2,
) -> ReactionResult:
    """Summarise a reaction questionnaire: scale mean with t interval, items, top box.

    Parameters
    ----------
    responses
        One row per respondent, one column per item of the reaction scale.
    scale_min, scale_max, reverse, min_items
        As in :func:`scale_scores`.
    confidence
        Level of the interval of the mean scale score (default 0.95).
    top_box
        Points counted as top box (default 2).

    Returns
    -------
    ReactionResult

    Notes
    -----
    The scale mean's interval is :math:`\\bar s \\pm t_{1-\\gamma/2, n-1} s/\\sqrt n`
    over respondents with a score; the top-box share pools all answers to all
    items (after reverse keying).

    References
    ----------
    Kirkpatrick, J. D. & Kirkpatrick, W. K. (2016). *Kirkpatrick's Four Levels of
    Training Evaluation*. ATD Press (level 1, reaction).
    """
    if not 0.0 < confidence < 1.0:
        raise MutuValueError(
            "Tingkat kepercayaan harus di antara 0 dan 1.",
            "The confidence level must lie between 0 and 1.",
        )
    table = item_summary(
        responses, scale_min=scale_min, scale_max=scale_max, reverse=reverse, top_box=top_box
    )
    scores = scale_scores(
        responses, reverse=reverse, scale_min=scale_min, scale_max=scale_max, min_items=min_items
    ).dropna()
    n = int(scores.size)
    if n == 0:
        raise MutuValueError(
            "Tidak ada responden dengan cukup butir terjawab.",
            "No respondent answered enough items.",
        )
    mean, sd = float(scores.mean()), float(scores.std()) if n > 1 else math.nan
    lo, hi = _t_interval(mean, sd, n, confidence)
    weights = table["n"].to_numpy(dtype=float)
    top_col = f"top{top_box}_box_pct"
    pooled_top = float(np.average(table[top_col].to_numpy(), weights=weights))
    return ReactionResult(
        n_respondents=len(responses),
        n_scored=n,
        k=table.shape[0],
        scale_min=int(scale_min),
        scale_max=int(scale_max),
        scale_mean=mean,
        scale_sd=sd,
        scale_median=float(scores.median()),
        ci_low=lo,
        ci_high=hi,
        confidence=confidence,
        top_box_pct=pooled_top,
        top_box=top_box,
        lowest_item=str(table["mean"].idxmin()),
        variant=(
            "scale score = mean of answered items after reverse keying "
            f"(min items {_min_items(table.shape[0], min_items)}); t interval of the mean; "
            f"items as ordinal (distribution, median, top-{top_box}-box)"
        ),
        items=table,
    )


def reaction_summary_by(
    data: pd.DataFrame,
    *,
    activity: str,
    items: Sequence[str],
    scale_min: int,
    scale_max: int,
    reverse: Sequence[str] | None = None,
    min_items: int | None = None,
    confidence: float = 0.95,
    top_box: int = 2,
) -> pd.DataFrame:
    """:func:`reaction_summary` for every activity in one grouped pass.

    Returns
    -------
    pandas.DataFrame
        Indexed by activity: ``n_respondents``, ``n_scored``, ``scale_mean``,
        ``scale_sd``, ``scale_median``, ``ci_low``, ``ci_high``, ``top_box_pct``
        and ``lowest_item``.
    """
    if activity not in data.columns:
        raise MutuValueError(
            f"Kolom tidak ditemukan: {activity}.", f"Column not found: {activity}."
        )
    cols = list(items)
    scores = scale_scores(
        data[cols], reverse=reverse, scale_min=scale_min, scale_max=scale_max, min_items=min_items
    )
    key = data[activity].to_numpy()
    grouped = scores.groupby(key, sort=True)
    out = grouped.agg(n_scored="count", scale_mean="mean", scale_sd="std", scale_median="median")
    out.insert(0, "n_respondents", pd.Series(key).value_counts().reindex(out.index).to_numpy())
    n = out["n_scored"].to_numpy(dtype=float)
    crit = stats.t.ppf(0.5 + confidence / 2.0, np.where(n >= 2, n - 1, np.nan))
    half = crit * out["scale_sd"].to_numpy() / np.sqrt(n)
    out["ci_low"] = out["scale_mean"] - half
    out["ci_high"] = out["scale_mean"] + half
    table = item_summary_by(
        data,
        activity=activity,
        items=cols,
        scale_min=scale_min,
        scale_max=scale_max,
        reverse=reverse,
        top_box=top_box,
    )
    top_col = f"top{top_box}_box_pct"
    tops = (table[top_col] * table["n"]).groupby(level=0).sum() / table["n"].groupby(level=0).sum()
    out["top_box_pct"] = tops.reindex(out.index)
    means = table["mean"].reset_index()
    lowest = means.loc[means.groupby(activity)["mean"].idxmin(), [activity, "item"]]
    out["lowest_item"] = lowest.set_index(activity)["item"].reindex(out.index)
    out.index.name = activity
    return pd.DataFrame(out)
