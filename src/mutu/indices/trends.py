"""Indices over time: the change from one period to the next, with its uncertainty.

The IP ASN, the JP shares and the JPM are computed for every employee: they
are censuses, so a change between years is what it is (no sampling error).
The IKM rests on a sample of service users, so a change in IKM gets a
Welch-type confidence interval from the two years' standard errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from mutu.evaluation.multiple_testing import adjust_pvalues
from mutu.evaluation.result import Result, check_lang
from mutu.indices._common import IndexInputError, require_columns
from mutu.indices.skm import SkmResult

__all__ = ["TrendResult", "index_trend", "skm_trend"]


@dataclass(frozen=True, eq=False)
class TrendResult(Result):
    """An index per period and its change from the previous observed period.

    Attributes
    ----------
    frame
        One row per series and period: the ``by`` columns, ``period``,
        ``value``, ``previous_period``, ``previous``, ``change``; for a sampled
        index also ``se``, ``se_change``, ``df``, ``ci_low``, ``ci_high``,
        ``p_value`` and ``p_adjusted`` (over all changes of the table).
    value_name
        The index followed (``"ikm"``, ``"mean_total"`` …).
    period
        The period column.
    by
        The columns that identify a series (e.g. ``("unit",)``).
    sampled
        Whether the changes carry sampling uncertainty.
    variant
        How the uncertainty was computed.
    """

    frame: pd.DataFrame = field(repr=False)
    value_name: str
    period: str
    by: tuple[str, ...]
    sampled: bool
    confidence: float
    variant: str

    def to_frame(self) -> pd.DataFrame:
        """The ``frame`` table."""
        return self.frame.copy()

    def summary(self, lang: str = "id") -> str:
        """How many changes rose or fell, and (for a sample) how many clear zero."""
        lang = check_lang(lang)
        changes = self.frame["change"].dropna()
        up, down = int((changes > 0).sum()), int((changes < 0).sum())
        if lang == "id":
            text = f"{self.value_name}: {up} kenaikan dan {down} penurunan antarperiode."
        else:
            text = f"{self.value_name}: {up} increases and {down} decreases between periods."
        if self.sampled:
            clear = int((self.frame["p_adjusted"] < 1 - self.confidence).sum())
            if lang == "id":
                text += f" {clear} perubahan signifikan setelah koreksi Holm."
            else:
                text += f" {clear} changes are significant after Holm correction."
        return text


def _changes(frame: pd.DataFrame, by: list[str], period: str, value: str) -> pd.DataFrame:
    out = frame.sort_values([*by, period], kind="stable").reset_index(drop=True)
    if by:
        g = out.groupby(by, sort=False, dropna=False)
        out["previous_period"] = g[period].shift(1)
        out["previous"] = g[value].shift(1)
    else:
        out["previous_period"] = out[period].shift(1)
        out["previous"] = out[value].shift(1)
    out["change"] = out[value] - out["previous"]
    return out


def index_trend(
    frame: pd.DataFrame,
    *,
    value: str,
    period: str = "year",
    by: str | Sequence[str] | None = None,
) -> TrendResult:
    """Change of a census index between consecutive observed periods.

    Parameters
    ----------
    frame
        One row per series and period, e.g. the unit table of
        :func:`~mutu.indices.ip_asn` for several years stacked with a
        ``year`` column.
    value
        The column followed (e.g. ``"mean_total"``, ``"share_pns_compliant"``).
    period
        The period column (default ``"year"``).
    by
        Column(s) identifying a series (e.g. ``"unit"``); ``None`` for one series.

    Returns
    -------
    TrendResult
        Without standard errors: the index covers every employee, so its
        change has no sampling error.

    Raises
    ------
    IndexInputError
        For a missing column or a period repeated within a series.
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    require_columns(frame, "frame", [*keys, period, value])
    data = frame[[*keys, period, value]].rename(columns={value: "value"})
    _no_repeats(data, keys, period)
    out = _changes(data, keys, period, "value")
    return TrendResult(
        frame=out,
        value_name=value,
        period=period,
        by=tuple(keys),
        sampled=False,
        confidence=float("nan"),
        variant="census: change = value − previous value, no sampling error",
    )


def skm_trend(
    result: SkmResult, *, period: str = "year", confidence: float | None = None
) -> TrendResult:
    r"""Change in IKM between consecutive survey periods, with a Welch interval.

    Parameters
    ----------
    result
        An :func:`~mutu.indices.skm` result grouped by ``period`` (and, for
        one series per unit, by ``unit``).
    period
        The period column among ``result.by`` (default ``"year"``).
    confidence
        Interval level (default: the result's).

    Returns
    -------
    TrendResult

    Notes
    -----
    For consecutive observed periods 1, 2 of a series:
    :math:`\Delta = \mathrm{IKM}_2 - \mathrm{IKM}_1`,
    :math:`\mathrm{SE}_\Delta = \sqrt{\mathrm{SE}_1^2 + \mathrm{SE}_2^2}`
    (independent samples), Welch–Satterthwaite
    :math:`\nu = \mathrm{SE}_\Delta^4 / (\mathrm{SE}_1^4/(n_1-1) +
    \mathrm{SE}_2^4/(n_2-1))` and :math:`\Delta \pm t_\nu \mathrm{SE}_\Delta`.
    With complete answers this is Welch's two-sample interval on the
    respondents' own indices.  ``p_adjusted`` applies Holm over every change
    in the table: say "significant" only of that.

    References
    ----------
    Welch, B. L. (1947), *Biometrika* 34, 28–35.  Satterthwaite, F. E. (1946),
    *Biometrics Bulletin* 2, 110–114.
    """
    if period not in result.by:
        raise IndexInputError(
            f"Hasil SKM tidak dikelompokkan menurut {period!r} (by = {result.by}).",
            f"The SKM result is not grouped by {period!r} (by = {result.by}).",
            field="period",
        )
    level = result.confidence if confidence is None else float(confidence)
    keys = [c for c in result.by if c != period]
    data = result.groups.reset_index()[[*keys, period, "ikm", "se", "n"]]
    data = data.rename(columns={"ikm": "value"})
    out = _changes(data, keys, period, "value")
    g = out.groupby(keys, sort=False) if keys else None
    prev_se = g["se"].shift(1) if g is not None else out["se"].shift(1)
    prev_n = g["n"].shift(1) if g is not None else out["n"].shift(1)
    v1, v2 = prev_se**2, out["se"] ** 2
    out["se_change"] = np.sqrt(v1 + v2)
    out["df"] = (v1 + v2) ** 2 / (v1**2 / (prev_n - 1) + v2**2 / (out["n"] - 1))
    tcrit = stats.t.ppf(0.5 + level / 2.0, out["df"])
    out["ci_low"] = out["change"] - tcrit * out["se_change"]
    out["ci_high"] = out["change"] + tcrit * out["se_change"]
    tstat = out["change"] / out["se_change"]
    out["p_value"] = 2.0 * stats.t.sf(np.abs(tstat), out["df"])
    out["p_adjusted"] = adjust_pvalues(out["p_value"], "holm")
    return TrendResult(
        frame=out.drop(columns=["n"]),
        value_name="ikm",
        period=period,
        by=tuple(keys),
        sampled=True,
        confidence=level,
        variant="Welch–Satterthwaite t interval on the difference of two independent IKM",
    )


def _no_repeats(data: pd.DataFrame, keys: list[str], period: str) -> None:
    dup = data.duplicated([*keys, period], keep=False)
    if dup.any():
        rows = ", ".join(str(i) for i in data.index[dup][:10])
        raise IndexInputError(
            f"frame: periode berulang dalam satu seri (baris {rows}).",
            f"frame: period repeated within a series (rows {rows}).",
            field="frame",
        )
