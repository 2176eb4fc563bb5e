"""ANCOVA against R's lm() on MASS::anorexia."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.comparison import VARIANT, ancova

DATA = Path(__file__).parent / "reference_data"


@pytest.fixture(scope="module")
def anorexia() -> pd.DataFrame:
    """MASS::anorexia, 72 rows (provenance: reference_data/SOURCES_learning_reliability.md)."""
    return pd.read_csv(DATA / "mass_anorexia.csv")


def test_anorexia_matches_r(anorexia: pd.DataFrame) -> None:
    # evaluation-methods.md (R: lm(Postwt ~ Prewt + Treat) with Cont as reference;
    # Venables & Ripley, MASS 4th ed., the anorexia example):
    #   TreatCBT 4.0971 (SE 1.8935), TreatFT 8.6601 (SE 2.1931).
    r = ancova(anorexia, pre="Prewt", post="Postwt", group="Treat", reference="Cont")
    assert list(r.effects.index) == ["CBT", "FT"]
    assert r.effects.loc["CBT", "estimate"] == pytest.approx(4.0971, abs=5e-5)
    assert r.effects.loc["CBT", "se"] == pytest.approx(1.8935, abs=5e-5)
    assert r.effects.loc["FT", "estimate"] == pytest.approx(8.6601, abs=5e-5)
    assert r.effects.loc["FT", "se"] == pytest.approx(2.1931, abs=5e-5)
    # R lm(Postwt ~ 0 + Prewt + Treat, data = anorexia) prints Prewt 0.4345, TreatCBT
    # 49.7711, TreatCont 45.6740, TreatFT 54.3342 (R course notes on formulas, same data):
    # the pre-test slope and the CBT - Cont / FT - Cont differences agree.
    assert r.slope == pytest.approx(0.4345, abs=5e-5)
    assert r.effects.loc["CBT", "estimate"] == pytest.approx(49.7711 - 45.6740, abs=1e-4)
    assert r.effects.loc["FT", "estimate"] == pytest.approx(54.3342 - 45.6740, abs=1e-4)
    assert r.df_resid == 68
    assert r.n == 72
    assert r.variant == VARIANT
    assert (r.effects["df"] == 68).all()


def test_anorexia_cross_checks_statsmodels(anorexia: pd.DataFrame) -> None:
    import statsmodels.formula.api as smf

    fit = smf.ols('Postwt ~ C(Treat, Treatment("Cont")) + Prewt', anorexia).fit()
    r = ancova(anorexia, pre="Prewt", post="Postwt", group="Treat", reference="Cont")
    names = {"CBT": 'C(Treat, Treatment("Cont"))[T.CBT]', "FT": 'C(Treat, Treatment("Cont"))[T.FT]'}
    ci = fit.conf_int()
    for level, name in names.items():
        assert r.effects.loc[level, "estimate"] == pytest.approx(fit.params[name], rel=1e-10)
        assert r.effects.loc[level, "se"] == pytest.approx(fit.bse[name], rel=1e-10)
        assert r.effects.loc[level, "p_value"] == pytest.approx(fit.pvalues[name], rel=1e-8)
        assert r.effects.loc[level, "ci_low"] == pytest.approx(ci.loc[name, 0], rel=1e-10)
    assert r.r_squared == pytest.approx(fit.rsquared, rel=1e-10)


def test_missing_rows_are_dropped(anorexia: pd.DataFrame) -> None:
    extra = pd.DataFrame({"Treat": ["CBT", "FT"], "Prewt": [np.nan, 80.0], "Postwt": [90.0, None]})
    r = ancova(
        pd.concat([anorexia, extra]), pre="Prewt", post="Postwt", group="Treat", reference="Cont"
    )
    assert r.n == 72
    assert r.n_dropped == 2
    assert r.effects.loc["FT", "estimate"] == pytest.approx(8.6601, abs=5e-5)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reference": "Nope"},
        {"reference": "Cont", "group": "missing"},
        {"reference": "Cont", "confidence": 2.0},
    ],
)
def test_bad_input_is_refused(anorexia: pd.DataFrame, kwargs: dict) -> None:
    args = {"pre": "Prewt", "post": "Postwt", "group": "Treat", **kwargs}
    with pytest.raises(MutuValueError):
        ancova(anorexia, **args)


def test_one_group_or_constant_pre_is_refused() -> None:
    one = pd.DataFrame({"g": ["a"] * 5, "pre": [1, 2, 3, 4, 5], "post": [2, 3, 4, 5, 7]})
    with pytest.raises(MutuValueError):
        ancova(one, pre="pre", post="post", group="g", reference="a")
    flat = pd.DataFrame({"g": list("aabb"), "pre": [1, 1, 1, 1], "post": [2, 3, 4, 5]})
    with pytest.raises(MutuValueError):
        ancova(flat, pre="pre", post="post", group="g", reference="a")


def test_summary_names_the_model_and_uncorrected_p(anorexia: pd.DataFrame) -> None:
    r = ancova(anorexia, pre="Prewt", post="Postwt", group="Treat", reference="Cont")
    text = r.summary()
    assert "Kelompok CBT rata-rata 4,10 poin lebih tinggi daripada Cont (IK 95% 0,32–7,88" in text
    assert "belum dikoreksi" in text
    assert "Lord" in text
    en = r.summary("en")
    assert "Group FT scored on average 8.66 points higher than Cont" in en
    assert "not corrected" in en
    frame = r.to_frame()
    assert set(frame.index) == {"CBT", "FT"}
    assert "slope" in frame.columns
    small = pd.DataFrame(
        {"g": list("aaaaabb"), "pre": [1, 2, 3, 4, 5, 2, 3], "post": [2, 3, 5, 4, 6, 5, 6]}
    )
    assert (
        "terlalu sedikit"
        in ancova(small, pre="pre", post="post", group="g", reference="a").summary()
    )
