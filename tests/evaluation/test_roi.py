"""Phillips ROI arithmetic and its conservative rules."""

from __future__ import annotations

import math

import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.roi import roi


def test_published_phillips_examples() -> None:
    # P. P. Phillips (ROI Institute), "Show Me the Money: Moving From Impact to ROI"
    # (slides, "Try it!"): program benefits $750,000, program costs $425,000 ->
    # BCR = 750,000 / 425,000 = 1.76:1 and ROI = (750,000 - 425,000) / 425,000 x 100 = 76%.
    r = roi(benefits=750_000, costs=425_000)
    assert round(r.bcr, 2) == 1.76
    assert round(r.roi_pct) == 76
    assert r.net_benefit == pytest.approx(325_000)
    # P. P. Phillips & J. J. Phillips (2005), Return on Investment (ROI) Basics, ASTD
    # Press (as summarised in the coolwerx handout "Calculating Benefit-Cost Analysis
    # (BCR) & Return on Investment (ROI)"): improvement worth $60,000, program costs
    # $20,000 -> BCR 3:1, net benefits $40,000, ROI 200%.
    r = roi(benefits=60_000, costs=20_000)
    assert r.bcr == pytest.approx(3.0)
    assert r.net_benefit == pytest.approx(40_000)
    assert r.roi_pct == pytest.approx(200.0)


def test_phillips_formulas() -> None:
    # Not a published example: our own arithmetic for the crediting rules (Phillips:
    # benefits x isolation share x confidence in the estimate), BCR = benefits / fully
    # loaded costs, ROI % = (benefits - costs) / costs x 100, payback months = costs /
    # (annual benefits / 12): benefits 240,000 credited at 50% attribution x 80%
    # confidence = 96,000 against costs 80,000 -> BCR 1.2, ROI 20%, payback 10 months.
    r = roi(
        benefits=240_000,
        costs={"design": 20_000, "delivery": 30_000, "participants_time": 30_000},
        attribution=0.5,
        confidence=0.8,
    )
    assert r.credited_benefits == pytest.approx(96_000)
    assert r.costs == pytest.approx(80_000)
    assert r.net_benefit == pytest.approx(16_000)
    assert r.bcr == pytest.approx(1.2)
    assert r.roi_pct == pytest.approx(20.0)
    assert r.payback_months == pytest.approx(10.0)
    assert r.cost_breakdown["participants_time"] == 30_000
    assert "Phillips" in r.variant


def test_benefit_period_scales_payback() -> None:
    # 6-month benefits of 60,000 are 120,000 a year: costs 30,000 pay back in 3 months.
    r = roi(benefits=60_000, costs=30_000, benefit_period_months=6)
    assert r.annual_credited_benefits == pytest.approx(120_000)
    assert r.payback_months == pytest.approx(3.0)
    assert r.roi_pct == pytest.approx(100.0)


def test_no_benefit_never_pays_back() -> None:
    r = roi(benefits=0, costs=1_000)
    assert r.roi_pct == -100.0
    assert math.isinf(r.payback_months)
    assert "tidak kembali" in r.summary()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"benefits": 100, "costs": 0},
        {"benefits": 100, "costs": -5},
        {"benefits": 100, "costs": {"a": 10, "b": -1}},
        {"benefits": 100, "costs": {}},
        {"benefits": 100, "costs": 10, "attribution": 1.2},
        {"benefits": 100, "costs": 10, "confidence": -0.1},
        {"benefits": -1, "costs": 10},
        {"benefits": 100, "costs": 10, "benefit_period_months": 0},
    ],
)
def test_bad_input_is_refused(kwargs: dict) -> None:
    with pytest.raises(MutuValueError) as info:
        roi(**kwargs)
    assert info.value.message_id
    assert info.value.message_en


def test_summary() -> None:
    r = roi(benefits=240_000, costs=80_000, attribution=0.5, confidence=0.8)
    assert r.summary().startswith("ROI program 20% (rasio manfaat-biaya 1,20)")
    assert "50%" in r.summary()
    assert "80%" in r.summary()
    assert r.summary("en").startswith("Programme ROI 20% (benefit–cost ratio 1.20)")
    assert r.to_frame().loc[0, "roi_pct"] == pytest.approx(20.0)
