"""Internal consistency of a multi-item scale: Cronbach's alpha with item analysis.

The computation follows R's ``psych::alpha`` so that anyone can check a number
against R: with ``missing="pairwise"`` (the ``psych`` default) every statistic
comes from the pairwise-complete covariance matrix ``C`` (R ``cov(x,
use="pairwise")``) and the standardised alpha from ``cov2cor(C)``; with
``missing="listwise"`` respondents with any missing item are dropped first
(``use="complete.obs"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from mutu.domain.errors import MutuValueError
from mutu.evaluation.result import Result, check_lang, format_number

__all__ = ["ReliabilityResult", "reliability", "reverse_key"]

#: Corrected item-total correlations below this are flagged (common rule of thumb).
LOW_ITEM_TOTAL_R = 0.3
#: Fewer respondents than this: numbers are shown, no reliability claim is made.
TOO_FEW = 5


@dataclass(frozen=True, eq=False)
class ReliabilityResult(Result):
    """Cronbach's alpha of a scale with its Feldt interval and the item analysis.

    ``items`` is indexed by item and holds ``n`` (answers), ``mean``, ``sd``,
    ``item_total_r`` (corrected item-total correlation, R ``r.drop``),
    ``alpha_if_deleted`` (raw alpha without the item), ``alpha_std_if_deleted``
    and ``flag`` (``"negative"`` when r.drop < 0 — probably needs reverse
    keying —, ``"low"`` when r.drop < 0.3, else ``""``).
    """

    alpha: float
    alpha_standardized: float
    mean_inter_item_r: float
    ci_low: float
    ci_high: float
    confidence: float
    n: int
    k: int
    missing: str
    reversed_items: tuple[str, ...]
    variant: str
    items: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row with alpha, its interval and the counts (the item table is ``items``)."""
        row = self.scalars()
        row["reversed_items"] = ", ".join(self.reversed_items)
        return pd.DataFrame([row])

    def summary(self, lang: str = "id") -> str:
        """A paragraph: alpha with its interval, the variant and the items to look at."""
        lang = check_lang(lang)
        pct = format_number(100 * self.confidence, 0, lang)
        a = format_number(self.alpha, 2, lang)
        lo = format_number(self.ci_low, 2, lang)
        hi = format_number(self.ci_high, 2, lang)
        flagged = self.items.index[self.items["flag"] != ""].astype(str).tolist()
        if lang == "id":
            how = (
                "kovarians berpasangan seperti R psych::alpha"
                if self.missing == "pairwise"
                else "hanya responden yang menjawab semua butir"
            )
            if self.n < TOO_FEW:
                return (
                    f"Terlalu sedikit responden (n = {self.n}) untuk menilai reliabilitas "
                    f"{self.k} butir; alfa Cronbach {a} hanya dicatat, bukan disimpulkan."
                )
            text = (
                f"Konsistensi internal skala {self.k} butir: alfa Cronbach = {a} "
                f"(IK {pct}% Feldt {lo}–{hi}; n = {self.n} responden; {how}). "
                f"Alfa terstandar = {format_number(self.alpha_standardized, 2, lang)}, "
                f"rata-rata korelasi antarbutir = "
                f"{format_number(self.mean_inter_item_r, 2, lang)}."
            )
            if flagged:
                text += (
                    " Butir yang perlu diperiksa (korelasi butir-total terkoreksi < 0,3 "
                    f"atau negatif): {', '.join(flagged)}."
                )
            return text
        how = (
            "pairwise covariances as R psych::alpha"
            if self.missing == "pairwise"
            else "only respondents who answered every item"
        )
        if self.n < TOO_FEW:
            return (
                f"Too few respondents (n = {self.n}) to judge the reliability of "
                f"{self.k} items; Cronbach's alpha {a} is recorded, not concluded."
            )
        text = (
            f"Internal consistency of the {self.k}-item scale: Cronbach's alpha = {a} "
            f"({pct}% Feldt CI {lo}–{hi}; n = {self.n} respondents; {how}). "
            f"Standardised alpha = {format_number(self.alpha_standardized, 2, lang)}, "
            f"mean inter-item correlation = {format_number(self.mean_inter_item_r, 2, lang)}."
        )
        if flagged:
            text += (
                " Items to look at (corrected item-total correlation < 0.3 or negative): "
                f"{', '.join(flagged)}."
            )
        return text


def _as_item_frame(items: pd.DataFrame | np.ndarray | Sequence[Sequence[float]]) -> pd.DataFrame:
    frame = items.copy() if isinstance(items, pd.DataFrame) else pd.DataFrame(np.asarray(items))
    if frame.ndim != 2 or frame.shape[1] < 2:
        raise MutuValueError(
            "Reliabilitas butuh paling sedikit dua butir (kolom).",
            "Reliability needs at least two items (columns).",
        )
    frame.columns = [str(c) for c in frame.columns]
    try:
        return pd.DataFrame(frame.apply(pd.to_numeric, errors="raise").astype(float))
    except (TypeError, ValueError) as exc:
        raise MutuValueError(
            "Semua butir harus berisi angka.", "Every item must hold numbers."
        ) from exc


def reverse_key(
    items: pd.DataFrame,
    reverse: Sequence[str] | None,
    scale_range: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Reverse-key the listed items as ``(min + max) - x``.

    Parameters
    ----------
    items
        Respondents × items.
    reverse
        Names of the items to reverse (``None`` or empty: nothing to do).
    scale_range
        ``(min, max)`` of the response scale; by default the smallest and largest
        answer observed over all items, as R ``psych::alpha`` does.

    Returns
    -------
    pandas.DataFrame
        A copy with the listed items reversed.

    References
    ----------
    Revelle, W. ``psych::alpha`` documentation ("Reversed items are subtracted from
    the maximum + minimum item response for all the items").
    """
    out = items.copy()
    if not reverse:
        return out
    unknown = [name for name in reverse if str(name) not in out.columns]
    if unknown:
        raise MutuValueError(
            f"Butir yang dibalik tidak ada di data: {unknown}.",
            f"Reverse-keyed items not found in the data: {unknown}.",
        )
    if scale_range is None:
        low, high = float(np.nanmin(out.to_numpy())), float(np.nanmax(out.to_numpy()))
    else:
        low, high = float(scale_range[0]), float(scale_range[1])
        if not low < high:
            raise MutuValueError(
                "Rentang skala harus (min, maks) dengan min < maks.",
                "The scale range must be (min, max) with min < max.",
            )
    for name in reverse:
        out[str(name)] = (low + high) - out[str(name)]
    return out


def reliability(
    items: pd.DataFrame | np.ndarray | Sequence[Sequence[float]],
    *,
    missing: str = "pairwise",
    confidence: float = 0.95,
    reverse: Sequence[str] | None = None,
    scale_range: tuple[float, float] | None = None,
) -> ReliabilityResult:
    r"""Cronbach's alpha, standardised alpha, Feldt interval and item analysis.

    Parameters
    ----------
    items
        Respondents in rows, items in columns (numbers; missing answers as NaN).
    missing
        ``"pairwise"`` (default, as R ``psych::alpha``): covariances from all
        pairs of answers; ``"listwise"``: drop respondents with any missing item.
    confidence
        Level of the Feldt interval (default 0.95).
    reverse
        Items to reverse-key as ``(min + max) - x`` before anything is computed.
    scale_range
        ``(min, max)`` of the response scale for reverse keying; default the
        observed minimum and maximum over all items (the ``psych`` rule).

    Returns
    -------
    ReliabilityResult

    Notes
    -----
    With ``C`` the item covariance matrix (pairwise or listwise) and ``k`` items:

    .. math::

        \alpha = \frac{k}{k-1}\Bigl(1 - \frac{\operatorname{tr} C}{\sum_{ij} C_{ij}}\Bigr),
        \qquad
        \alpha_{std} = \frac{k \bar r}{1 + (k-1)\bar r},\ R = \operatorname{cov2cor}(C),

    the corrected item-total correlation (R ``r.drop``)
    :math:`r_{i} = (\sum_j C_{ij} - C_{ii}) / \sqrt{C_{ii}\,\mathbf 1^\top C_{-i} \mathbf 1}`,
    alpha if deleted is alpha of :math:`C_{-i}`, and the Feldt interval is
    :math:`[1-(1-\alpha)F_{1-\gamma/2},\ 1-(1-\alpha)F_{\gamma/2}]` with
    :math:`F(n-1, (n-1)(k-1))`, ``n`` the respondents with at least one answer
    (pairwise) or complete answers (listwise).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16, 297–334. Feldt, L. S., Woodruff, D. J., & Salih, F. A.
    (1987). Statistical inference for coefficient alpha. *Applied Psychological
    Measurement* 11, 93–103. Revelle, W. R package ``psych``, function ``alpha``.
    """
    if missing not in ("pairwise", "listwise"):
        raise MutuValueError(
            f"Cara menangani data hilang tidak dikenal: {missing!r} "
            "(pilih 'pairwise' atau 'listwise').",
            f"Unknown missing-data rule: {missing!r} (choose 'pairwise' or 'listwise').",
        )
    if not 0.0 < confidence < 1.0:
        raise MutuValueError(
            "Tingkat kepercayaan harus di antara 0 dan 1.",
            "The confidence level must lie between 0 and 1.",
        )
    frame = reverse_key(_as_item_frame(items), reverse, scale_range)
    frame = frame.dropna(how="any") if missing == "listwise" else frame.dropna(how="all")
    n, k = int(frame.shape[0]), int(frame.shape[1])
    if n < 2:
        raise MutuValueError(
            f"Terlalu sedikit responden untuk menghitung reliabilitas (n = {n}).",
            f"Too few respondents to compute reliability (n = {n}).",
        )
    cov = frame.cov().to_numpy()
    variances = np.diag(cov)
    constant = [c for c, v in zip(frame.columns, variances, strict=True) if not v > 0]
    if constant:
        raise MutuValueError(
            f"Butir tanpa variasi jawaban (konstan) tidak bisa dipakai: {constant}.",
            f"Items without variation (constant) cannot be used: {constant}.",
        )
    if np.isnan(cov).any():
        raise MutuValueError(
            "Ada pasangan butir tanpa responden yang menjawab keduanya.",
            "Some pair of items has no respondent who answered both.",
        )
    sd = np.sqrt(variances)
    corr = cov / np.outer(sd, sd)  # R cov2cor(C)

    total, trace = cov.sum(), float(np.trace(cov))
    alpha = k / (k - 1) * (1.0 - trace / total)
    corr_sum = corr.sum()
    alpha_std = k / (k - 1) * (1.0 - k / corr_sum)
    mean_r = (corr_sum - k) / (k * (k - 1))

    col_sum = cov.sum(axis=0)
    rest_total = total - 2.0 * col_sum + variances  # sum of C without row/col i
    r_drop = (col_sum - variances) / np.sqrt(variances * rest_total)
    if k > 2:
        alpha_drop = (k - 1) / (k - 2) * (1.0 - (trace - variances) / rest_total)
        corr_rest = corr_sum - 2.0 * corr.sum(axis=0) + 1.0
        alpha_std_drop = (k - 1) / (k - 2) * (1.0 - (k - 1) / corr_rest)
    else:  # one item left: alpha is undefined
        alpha_drop = np.full(k, np.nan)
        alpha_std_drop = np.full(k, np.nan)
    flag = np.where(r_drop < 0, "negative", np.where(r_drop < LOW_ITEM_TOTAL_R, "low", ""))
    table = pd.DataFrame(
        {
            "n": frame.notna().sum().to_numpy(),
            "mean": frame.mean().to_numpy(),
            "sd": sd,
            "item_total_r": r_drop,
            "alpha_if_deleted": alpha_drop,
            "alpha_std_if_deleted": alpha_std_drop,
            "flag": flag,
        },
        index=pd.Index(frame.columns, name="item"),
    )

    gamma = 1.0 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    ci_low = 1.0 - (1.0 - alpha) * float(stats.f.ppf(1.0 - gamma / 2.0, df1, df2))
    ci_high = 1.0 - (1.0 - alpha) * float(stats.f.ppf(gamma / 2.0, df1, df2))
    how = (
        "pairwise covariances (R psych::alpha default; standardised alpha from cov2cor)"
        if missing == "pairwise"
        else "listwise deletion (R psych::alpha use='complete.obs')"
    )
    return ReliabilityResult(
        alpha=float(alpha),
        alpha_standardized=float(alpha_std),
        mean_inter_item_r=float(mean_r),
        ci_low=ci_low,
        ci_high=ci_high,
        confidence=confidence,
        n=n,
        k=k,
        missing=missing,
        reversed_items=tuple(str(r) for r in (reverse or ())),
        variant=f"Cronbach's alpha, {how}; Feldt {100 * confidence:g}% CI",
        items=table,
    )
