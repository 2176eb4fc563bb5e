"""Sample sizes against R pwr / power.t.test outputs, Cochran and Krejcie & Morgan."""

from __future__ import annotations

import math

import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.power import (
    design_effect,
    krejcie_morgan,
    sample_size_paired,
    sample_size_survey,
    sample_size_two_groups,
)


def test_paired_matches_pwr() -> None:
    # R: pwr.t.test(d = 0.5, sig.level = 0.05, power = 0.8, type = "paired") prints
    # n = 33.36713 (evaluation-methods.md; also asserted in pingouin's power tests).
    r = sample_size_paired(0.5)
    assert r.n == pytest.approx(33.36713, abs=5e-6)
    assert r.n_required == 34
    assert r.design == "paired"
    # R (Dalgaard, Introductory Statistics with R, 2nd ed., sec. 8.3):
    # power.t.test(delta = 10, sd = 10 * sqrt(2), power = 0.85, type = "paired")
    # -> n = 19.96892, i.e. d_z = 1 / sqrt(2). power.t.test solves with uniroot's default
    # tolerance (about 1e-4), so only 4 decimals of its n are exact.
    assert sample_size_paired(1 / math.sqrt(2), power=0.85).n == pytest.approx(19.96892, abs=5e-5)


def test_two_groups_matches_pwr() -> None:
    # R: pwr.t.test(d = 0.5, sig.level = 0.05, power = 0.8) -> n = 63.76561 per group.
    r = sample_size_two_groups(0.5)
    assert r.n == pytest.approx(63.76561, abs=5e-6)
    assert r.n_required == 64
    assert r.n_total_required == 128
    # R: pwr.t.test(d = 0.75/2.25, power = 0.9) -> n = 190.0991 (UVA StatLab, "PASS in R");
    # pwr.t.test(d = 2/3, power = 0.9) -> n = 48.26427 (Cross Validated, "Power calculations").
    assert sample_size_two_groups(0.75 / 2.25, power=0.9).n == pytest.approx(190.0991, abs=5e-5)
    assert sample_size_two_groups(2 / 3, power=0.9).n == pytest.approx(48.26427, abs=5e-6)
    assert sample_size_two_groups(-0.5).n == pytest.approx(r.n)


def test_unequal_groups_cross_check_statsmodels() -> None:
    import statsmodels.stats.power as power_mod

    r = sample_size_two_groups(0.4, ratio=2.0)
    ref = power_mod.tt_ind_solve_power(effect_size=0.4, alpha=0.05, power=0.8, ratio=2.0)
    assert r.n == pytest.approx(ref, rel=1e-6)
    assert r.n_other == pytest.approx(2 * r.n)


def test_survey_cochran() -> None:
    # evaluation-methods.md: ±5% at 95%: n0 = 384.15; with a population of 500: 217.5.
    assert sample_size_survey(margin=0.05).n == pytest.approx(384.15, abs=5e-3)
    finite = sample_size_survey(margin=0.05, population=500)
    assert finite.n == pytest.approx(217.5, abs=0.05)
    assert finite.n_required == 218


@pytest.mark.parametrize(
    ("population", "table"),
    # Krejcie & Morgan (1970), Table 1: N -> S
    [(100, 80), (500, 217), (1000, 278), (10000, 370), (1000000, 384)],
)
def test_krejcie_morgan_table(population: int, table: int) -> None:
    assert krejcie_morgan(population) == table


def test_design_effect() -> None:
    # Kish (1965): deff = 1 + (m - 1) * ICC; m = 20, ICC = 0.05 -> 1.95.
    assert design_effect(20, 0.05) == pytest.approx(1.95)
    assert design_effect(1, 0.3) == 1.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: sample_size_paired(0),
        lambda: sample_size_paired(0.5, power=0.01),
        lambda: sample_size_two_groups(0.5, ratio=0),
        lambda: sample_size_survey(margin=0),
        lambda: sample_size_survey(margin=0.05, population=0),
        lambda: design_effect(0.5, 0.1),
        lambda: design_effect(10, 1.5),
        lambda: krejcie_morgan(0),
    ],
)
def test_bad_input_is_refused(call: object) -> None:
    with pytest.raises(MutuValueError):
        call()  # type: ignore[operator]


def test_summaries() -> None:
    assert "dibutuhkan 34 peserta" in sample_size_paired(0.5).summary()
    assert "64 people are needed in the first group and 64" in sample_size_two_groups(0.5).summary(
        "en"
    )
    assert "218 responden" in sample_size_survey(margin=0.05, population=500).summary()
