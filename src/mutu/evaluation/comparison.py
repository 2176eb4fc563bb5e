"""Kirkpatrick level 2 with a comparison group: ANCOVA of the post-test on the pre-test.

The model is ``post = b0 + tau_g * [group = g] + b * pre + e`` fitted by ordinary
least squares with classical (homoskedastic) standard errors, exactly R's
``lm(post ~ group + pre)`` with the reference level first. ``tau_g`` is the
difference in post-test means between group ``g`` and the reference group among
people with the same pre-test score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from mutu.domain.errors import MutuValueError
from mutu.evaluation.result import Result, check_lang, format_number, format_p

__all__ = ["AncovaResult", "ancova"]

TOO_FEW_PER_GROUP = 5
VARIANT = "ANCOVA: post ~ group + pre (OLS, classical SE)"


@dataclass(frozen=True, eq=False)
class AncovaResult(Result):
    """Adjusted group differences from an ANCOVA.

    ``effects`` is indexed by group level (the reference excluded) with
    ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``t``, ``df`` and ``p_value``;
    ``group_sizes`` counts the people per level (reference included).
    """

    reference: str
    slope: float
    slope_se: float
    n: int
    n_dropped: int
    df_resid: int
    r_squared: float
    confidence: float
    variant: str
    effects: pd.DataFrame = field(repr=False)
    group_sizes: pd.Series = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The effects table with the model-level numbers repeated on each row."""
        out = self.effects.copy()
        for key, value in self.scalars().items():
            out[key] = value
        return out

    def summary(self, lang: str = "id") -> str:
        """One sentence per group: adjusted difference, interval, p (uncorrected if several)."""
        lang = check_lang(lang)
        pct = format_number(100 * self.confidence, 0, lang)
        several = len(self.effects) > 1
        small = [str(g) for g, m in self.group_sizes.items() if m < TOO_FEW_PER_GROUP]
        parts: list[str] = []
        for level, row in self.effects.iterrows():
            if str(level) in small or self.reference in small:
                parts.append(
                    f"Kelompok {level}: terlalu sedikit peserta untuk dibandingkan."
                    if lang == "id"
                    else f"Group {level}: too few people to compare."
                )
                continue
            est = row["estimate"]
            amount = format_number(abs(est), 2, lang)
            lo, hi = format_number(row["ci_low"], 2, lang), format_number(row["ci_high"], 2, lang)
            p = format_p(row["p_value"], lang)
            if lang == "id":
                word = "lebih tinggi" if est > 0 else "lebih rendah"
                parts.append(
                    f"Kelompok {level} rata-rata {amount} poin {word} daripada {self.reference} "
                    f"(IK {pct}% {lo}–{hi}; {p})."
                )
            else:
                word = "higher" if est > 0 else "lower"
                parts.append(
                    f"Group {level} scored on average {amount} points {word} than "
                    f"{self.reference} ({pct}% CI {lo}–{hi}; {p})."
                )
        if lang == "id":
            head = (
                f"Perbandingan nilai post setelah memperhitungkan nilai pre (ANCOVA, OLS, "
                f"n = {self.n}): "
            )
            tail = " Nilai p belum dikoreksi untuk perbandingan berganda." if several else ""
            note = (
                " Catatan: ANCOVA menjawab pertanyaan yang berbeda dari analisis skor selisih "
                "(paradoks Lord)."
            )
            return head + " ".join(parts) + tail + note
        head = f"Post-test comparison adjusted for the pre-test (ANCOVA, OLS, n = {self.n}): "
        tail = " The p-values are not corrected for multiple comparisons." if several else ""
        note = (
            " Note: ANCOVA answers a different question from a change-score analysis "
            "(Lord's paradox)."
        )
        return head + " ".join(parts) + tail + note


def ancova(
    data: pd.DataFrame,
    *,
    pre: str,
    post: str,
    group: str,
    reference: Any,
    confidence: float = 0.95,
) -> AncovaResult:
    r"""Adjusted difference of each group from a reference group, by ANCOVA.

    Parameters
    ----------
    data
        One row per person.
    pre, post
        Columns with the pre-test (covariate) and post-test (outcome) scores.
    group
        Column with the group (e.g. trained vs comparison, or several programmes).
    reference
        The level every other group is compared with.
    confidence
        Level of the intervals (default 0.95).

    Returns
    -------
    AncovaResult

    Notes
    -----
    OLS fit of :math:`post_i = \beta_0 + \sum_g \tau_g D_{ig} + \beta\, pre_i + e_i`
    with classical standard errors :math:`\hat\sigma^2 (X^\top X)^{-1}`, ``df = n - p``
    and t-based intervals. Rows with a missing value are dropped.

    Lord's paradox: ANCOVA (conditioning on the pre-test) and the change-score
    comparison (``post - pre`` between groups) answer different questions and can
    disagree when groups differ at baseline. ANCOVA estimates the difference
    between people with equal pre-test scores; it is the usual choice for
    randomised groups. With self-selected groups neither is causal without
    further assumptions.

    References
    ----------
    Lord, F. M. (1967). A paradox in the interpretation of group comparisons.
    *Psychological Bulletin* 68, 304–305. Venables, W. N. & Ripley, B. D. (2002).
    *Modern Applied Statistics with S*, 4th ed., the ``anorexia`` example.
    """
    if not 0.0 < confidence < 1.0:
        raise MutuValueError(
            "Tingkat kepercayaan harus di antara 0 dan 1.",
            "The confidence level must lie between 0 and 1.",
        )
    missing_cols = [c for c in (pre, post, group) if c not in data.columns]
    if missing_cols:
        raise MutuValueError(
            f"Kolom tidak ditemukan: {missing_cols}.", f"Columns not found: {missing_cols}."
        )
    frame = pd.DataFrame(
        {
            "g": data[group].to_numpy(),
            "pre": pd.to_numeric(data[pre], errors="coerce").to_numpy(dtype=float),
            "post": pd.to_numeric(data[post], errors="coerce").to_numpy(dtype=float),
        }
    )
    complete = frame.notna().all(axis=1)
    n_dropped = int((~complete).sum())
    frame = frame[complete]
    levels = list(pd.unique(frame["g"]))
    if reference not in levels:
        raise MutuValueError(
            f"Kelompok pembanding {reference!r} tidak ada di data (ada: {levels}).",
            f"Reference group {reference!r} is not in the data (found: {levels}).",
        )
    others = sorted((lv for lv in levels if lv != reference), key=str)
    if not others:
        raise MutuValueError(
            "ANCOVA butuh paling sedikit dua kelompok.", "ANCOVA needs at least two groups."
        )
    n = len(frame)
    p = 2 + len(others)
    if n - p < 1:
        raise MutuValueError(
            f"Terlalu sedikit peserta (n = {n}) untuk {p} parameter model.",
            f"Too few people (n = {n}) for the {p} model parameters.",
        )
    if not frame["pre"].std() > 0:
        raise MutuValueError(
            "Nilai pre konstan; tidak bisa dipakai sebagai kovariat.",
            "The pre-test is constant and cannot be used as a covariate.",
        )
    g = frame["g"].to_numpy()
    x = np.column_stack(
        [np.ones(n)] + [(g == lv).astype(float) for lv in others] + [frame["pre"].to_numpy()]
    )
    y = frame["post"].to_numpy()
    xtx_inv = np.linalg.pinv(x.T @ x)
    if np.linalg.matrix_rank(x) < p:
        raise MutuValueError(
            "Model tidak dapat diestimasi (kolom desain saling bergantung).",
            "The model cannot be estimated (the design columns are collinear).",
        )
    beta = xtx_inv @ x.T @ y
    resid = y - x @ beta
    df_resid = n - p
    sigma2 = float(resid @ resid) / df_resid
    se = np.sqrt(np.diag(xtx_inv) * sigma2)
    t_stat = beta / se
    p_val = 2.0 * stats.t.sf(np.abs(t_stat), df_resid)
    crit = float(stats.t.ppf(0.5 + confidence / 2.0, df_resid))
    idx = slice(1, 1 + len(others))
    effects = pd.DataFrame(
        {
            "estimate": beta[idx],
            "se": se[idx],
            "ci_low": beta[idx] - crit * se[idx],
            "ci_high": beta[idx] + crit * se[idx],
            "t": t_stat[idx],
            "df": df_resid,
            "p_value": p_val[idx],
        },
        index=pd.Index(others, name=group),
    )
    tss = float(((y - y.mean()) ** 2).sum())
    return AncovaResult(
        reference=str(reference),
        slope=float(beta[-1]),
        slope_se=float(se[-1]),
        n=n,
        n_dropped=n_dropped,
        df_resid=df_resid,
        r_squared=1.0 - float(resid @ resid) / tss if tss > 0 else math.nan,
        confidence=confidence,
        variant=VARIANT,
        effects=effects,
        group_sizes=frame.groupby("g").size().rename("n"),
    )
