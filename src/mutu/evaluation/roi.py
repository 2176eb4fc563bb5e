"""Phillips level 5: return on investment of a learning programme.

Conservative by construction (Phillips' guiding principles): only the part of
the observed benefit that is credited to the programme counts — benefit ×
attribution share × confidence in that estimate —, costs are fully loaded
(participants' time included when given), and the benefit period is the first
year unless stated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.evaluation.result import Result, check_lang, format_number

__all__ = ["RoiResult", "roi"]

VARIANT = (
    "Phillips ROI: credited benefits = benefits × attribution × confidence; "
    "BCR = credited benefits / fully loaded costs; ROI % = (credited − costs) / costs × 100; "
    "payback months = costs / (annual credited benefits / 12)"
)


@dataclass(frozen=True, eq=False)
class RoiResult(Result):
    """Benefit–cost ratio, ROI % and payback, with the cost breakdown if given."""

    benefits: float
    attribution: float
    confidence: float
    credited_benefits: float
    costs: float
    net_benefit: float
    bcr: float
    roi_pct: float
    benefit_period_months: float
    annual_credited_benefits: float
    payback_months: float
    variant: str
    cost_breakdown: pd.Series = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row of the scalars."""
        return pd.DataFrame([self.scalars()])

    def summary(self, lang: str = "id") -> str:
        """ROI %, BCR, payback, and how the benefit was credited."""
        lang = check_lang(lang)
        roi_pct = format_number(self.roi_pct, 0, lang)
        bcr = format_number(self.bcr, 2, lang)
        credited = format_number(self.credited_benefits, 0, lang)
        costs = format_number(self.costs, 0, lang)
        att = format_number(100 * self.attribution, 0, lang)
        conf = format_number(100 * self.confidence, 0, lang)
        payback = format_number(self.payback_months, 1, lang)
        months = format_number(self.benefit_period_months, 0, lang)
        if lang == "id":
            pay = (
                f"biaya kembali dalam {payback} bulan"
                if math.isfinite(self.payback_months)
                else "biaya tidak kembali karena tidak ada manfaat yang diakui"
            )
            return (
                f"ROI program {roi_pct}% (rasio manfaat-biaya {bcr}): manfaat yang diakui "
                f"{credited} dibandingkan biaya penuh {costs}; {pay}. Manfaat diakui secara "
                f"konservatif: hanya {att}% yang diatribusikan ke program, dengan keyakinan "
                f"{conf}%, untuk periode {months} bulan (metode Phillips)."
            )
        pay = (
            f"costs are paid back in {payback} months"
            if math.isfinite(self.payback_months)
            else "costs are not paid back because no benefit is credited"
        )
        return (
            f"Programme ROI {roi_pct}% (benefit–cost ratio {bcr}): credited benefits "
            f"{credited} against fully loaded costs {costs}; {pay}. Benefits are credited "
            f"conservatively: only {att}% attributed to the programme, at {conf}% confidence, "
            f"over {months} months (Phillips method)."
        )


def _share(value: float, name_id: str, name_en: str) -> float:
    if not (isinstance(value, int | float) and 0.0 <= float(value) <= 1.0):
        raise MutuValueError(
            f"{name_id} harus di antara 0 dan 1.", f"{name_en} must lie between 0 and 1."
        )
    return float(value)


def roi(
    *,
    benefits: float,
    costs: float | Mapping[str, float],
    attribution: float = 1.0,
    confidence: float = 1.0,
    benefit_period_months: float = 12,
) -> RoiResult:
    r"""Return on investment after Phillips, with conservative crediting.

    Parameters
    ----------
    benefits
        Monetary value of the observed improvement over ``benefit_period_months``
        (e.g. in rupiah). Zero when there are no data (Phillips: no data, no
        improvement).
    costs
        Fully loaded programme costs: one number or a mapping of cost items
        (design, delivery, materials, travel, participants' time at loaded salary,
        evaluation, …). Every item must be non-negative and the total positive.
    attribution
        Share of the improvement attributed to the programme after isolating its
        effect (comparison group, trend line, estimates), 0–1.
    confidence
        Confidence in the attribution estimate, 0–1 (estimates are discounted by
        it).
    benefit_period_months
        Months the benefit covers (default 12, first-year benefits only).

    Returns
    -------
    RoiResult

    Notes
    -----
    :math:`B = benefits \times attribution \times confidence`,
    :math:`BCR = B / C`, :math:`ROI\% = (B - C)/C \times 100`, and payback months
    :math:`C / (B_{annual} / 12)` with :math:`B_{annual} = B \cdot 12 /`
    ``benefit_period_months``.

    References
    ----------
    Phillips, J. J. & Phillips, P. P. (2016). *Handbook of Training Evaluation and
    Measurement Methods*, 4th ed., Routledge (ROI, BCR, fully loaded costs,
    conservative guiding principles).
    """
    if not (isinstance(benefits, int | float) and math.isfinite(benefits) and benefits >= 0):
        raise MutuValueError(
            "Manfaat harus angka tidak negatif (0 bila tidak ada data).",
            "Benefits must be a non-negative number (0 when there are no data).",
        )
    att = _share(attribution, "Atribusi", "Attribution")
    conf = _share(confidence, "Tingkat keyakinan", "Confidence")
    if not (math.isfinite(benefit_period_months) and benefit_period_months > 0):
        raise MutuValueError(
            "Periode manfaat harus lebih dari 0 bulan.",
            "The benefit period must be more than 0 months.",
        )
    if isinstance(costs, Mapping):
        breakdown = pd.Series({str(k): float(v) for k, v in costs.items()}, dtype=float)
    else:
        breakdown = pd.Series({"total": float(costs)}, dtype=float)
    if breakdown.empty or not breakdown.map(math.isfinite).all():
        raise MutuValueError("Biaya harus berupa angka.", "Costs must be numbers.")
    if (breakdown < 0).any():
        negative = breakdown.index[breakdown < 0].tolist()
        raise MutuValueError(
            f"Biaya tidak boleh negatif: {negative}.", f"Costs cannot be negative: {negative}."
        )
    total = float(breakdown.sum())
    if not total > 0:
        raise MutuValueError(
            "Biaya total harus lebih dari nol (biaya penuh, termasuk waktu peserta).",
            "Total costs must be above zero (fully loaded, participants' time included).",
        )
    credited = float(benefits) * att * conf
    annual = credited * 12.0 / float(benefit_period_months)
    return RoiResult(
        benefits=float(benefits),
        attribution=att,
        confidence=conf,
        credited_benefits=credited,
        costs=total,
        net_benefit=credited - total,
        bcr=credited / total,
        roi_pct=(credited - total) / total * 100.0,
        benefit_period_months=float(benefit_period_months),
        annual_credited_benefits=annual,
        payback_months=total / (annual / 12.0) if annual > 0 else math.inf,
        variant=VARIANT,
        cost_breakdown=breakdown,
    )
