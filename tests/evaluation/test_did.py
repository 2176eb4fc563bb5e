"""Callaway–Sant'Anna staggered DiD against R ``did`` on ``mpdta``.

Sources:

* did README (bcallaway11/did ``README.md``): ``summary(att_gt(yname = "lemp", gname =
  "first.treat", idname = "countyreal", tname = "year", xformla = ~1, data = mpdta,
  est_method = "reg"))`` prints ATT(g,t) to 4 decimals and "P-value for pre-test of
  parallel trends assumption: 0.16812"; ``aggte(out, type = "group")`` overall ATT
  -0.031, group effects -0.0797 / -0.0229 / -0.0261; ``aggte(out, type = "dynamic")``
  overall -0.0772 and event-time estimates. The README's standard errors come from the
  multiplier bootstrap (``bstrap = TRUE`` default), so they are not compared.
* Analytical standard errors: R reference files of the csdid Python port
  (d2cml-ai/csdid ``csdid/test_csdid/r_ref/ref_attgt.csv``, ``ref_aggte.csv``,
  ``ref_pretest.csv``), written by its ``generate_reference.R`` with
  ``att_gt(..., control_group = "nevertreated" / "notyettreated", est_method = "dr",
  bstrap = FALSE, cband = FALSE)`` and ``aggte(out, type, bstrap = FALSE)`` on the same
  mpdta. Without covariates "dr", "reg" and "ipw" coincide (the file's ipw rows equal
  its dr rows).
* Static TWFE: the fixest output printed in the README of B. Callaway's R package
  ``twfeweights`` (see ``test_twfe_matches_published_fixest_output``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from mutu.domain.errors import MutuValueError
from mutu.evaluation.did import DidResult, staggered_did

DATA = Path(__file__).parent / "reference_data"

# did README, summary(out): ATT(g,t) as printed.
README_ATT = {
    (2004, 2004): -0.0105, (2004, 2005): -0.0704, (2004, 2006): -0.1373, (2004, 2007): -0.1008,
    (2006, 2004): 0.0065, (2006, 2005): -0.0028, (2006, 2006): -0.0046, (2006, 2007): -0.0412,
    (2007, 2004): 0.0305, (2007, 2005): -0.0027, (2007, 2006): -0.0311, (2007, 2007): -0.0261,
}  # fmt: skip
# ref_attgt.csv (R did, bstrap = FALSE): (att, se) per (group, time).
R_NEVER = {
    (2004, 2004): (-0.0105032462209624, 0.0232510363681664),
    (2004, 2005): (-0.0704231581031467, 0.0309847667572767),
    (2004, 2006): (-0.137258738889403, 0.0364356642876865),
    (2004, 2007): (-0.100811363085404, 0.0343592258346732),
    (2006, 2004): (0.00652011242423301, 0.0233268051418047),
    (2006, 2005): (-0.00275081875051882, 0.0195585610358817),
    (2006, 2006): (-0.00459460695286304, 0.0177551966592763),
    (2006, 2007): (-0.0412244715462175, 0.0202291807041068),
    (2007, 2004): (0.0305066555832928, 0.01503356028013),
    (2007, 2005): (-0.00272589288611625, 0.0163958328955344),
    (2007, 2006): (-0.0310871193896889, 0.0178775113133435),
    (2007, 2007): (-0.0260544107191966, 0.0166554353492522),
}
R_NOTYET = {
    (2004, 2004): (-0.0193723636759221, 0.0223101128836806),
    (2004, 2005): (-0.0783190990620607, 0.0303902285433973),
    (2004, 2006): (-0.136274346328678, 0.03540338496891),
    (2004, 2007): (-0.100811363085404, 0.0343592258346732),
    (2006, 2004): (-0.00256255094261098, 0.0225302351453388),
    (2006, 2005): (-0.00193924609578875, 0.019042158605819),
    (2006, 2006): (0.00466087631997615, 0.0163355842468236),
    (2006, 2007): (-0.0412244715462175, 0.0202291807041068),
    (2007, 2004): (0.0297593647610311, 0.0145335416386514),
    (2007, 2005): (-0.0024106128000969, 0.0160312963755178),
    (2007, 2006): (-0.0310871193896889, 0.0178775113133435),
    (2007, 2007): (-0.0260544107191966, 0.0166554353492522),
}


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    return pd.read_csv(DATA / "mpdta.csv")


def _run(frame: pd.DataFrame, control: str = "never") -> DidResult:
    return staggered_did(
        frame,
        outcome="lemp",
        unit="countyreal",
        time="year",
        first_treated="first.treat",
        control=control,  # type: ignore[arg-type]
    )


def test_att_gt_matches_did_readme_and_analytical_se(mpdta: pd.DataFrame) -> None:
    r = _run(mpdta)
    table = r.att_gt.set_index(["group", "time"])
    assert len(table) == 12
    for key, printed in README_ATT.items():
        assert round(table.loc[key, "att"], 4) == pytest.approx(printed, abs=1e-12), key
    for key, (att, se) in R_NEVER.items():
        assert table.loc[key, "att"] == pytest.approx(att, abs=1e-12), key
        assert table.loc[key, "se"] == pytest.approx(se, rel=1e-9), key
    assert r.n_units == 500
    assert r.n_groups == 3
    assert r.n_never_treated == 309
    assert r.pretrend_df == 5
    assert r.pretrend_chi2 == pytest.approx(7.79123662720035, rel=1e-9)  # ref_pretest.csv W
    assert round(r.pretrend_p, 5) == pytest.approx(0.16812)  # README / ref_pretest Wpval


def test_aggregations_match_aggte(mpdta: pd.DataFrame) -> None:
    r = _run(mpdta)
    # README aggte(type = "group"): overall -0.031; ref_aggte.csv: -0.0310182822287484,
    # analytical SE 0.0124460593209979.
    assert round(r.overall.estimate, 3) == pytest.approx(-0.031)
    assert r.overall.estimate == pytest.approx(-0.0310182822287484, abs=1e-12)
    assert r.overall.se == pytest.approx(0.0124460593209979, rel=1e-9)
    assert r.overall.ci_low == pytest.approx(r.overall.estimate - 1.959963984540054 * r.overall.se)
    groups = r.group_effects.set_index("group")
    for g, printed, att, se in [
        (2004, -0.0797, -0.0797491265747291, 0.0263677994350273),
        (2006, -0.0229, -0.0229095392495403, 0.0167033302551619),
        (2007, -0.0261, -0.0260544107191966, 0.0166554353492522),
    ]:
        assert round(groups.loc[g, "att"], 4) == pytest.approx(printed)
        assert groups.loc[g, "att"] == pytest.approx(att, abs=1e-12)
        assert groups.loc[g, "se"] == pytest.approx(se, rel=1e-9)
    # aggte(type = "dynamic"): README overall -0.0772; ref_aggte.csv below.
    assert round(r.event_study_overall.estimate, 4) == pytest.approx(-0.0772)
    assert r.event_study_overall.estimate == pytest.approx(-0.0772398214573151, abs=1e-12)
    assert r.event_study_overall.se == pytest.approx(0.0199649890618494, rel=1e-9)
    es = r.event_study.set_index("event_time")
    expected_es = {
        -3: (0.0305066555832928, 0.01503356028013),
        -2: (-0.000563084626385429, 0.01329164473655),
        -1: (-0.0244587449711696, 0.0142364022105193),
        0: (-0.0199318167892593, 0.0118263640580582),
        1: (-0.0509573670651939, 0.016893476268678),
        2: (-0.137258738889403, 0.0364356642876865),
        3: (-0.100811363085404, 0.0343592258346733),
    }
    assert list(es.index) == sorted(expected_es)
    for e, (att, se) in expected_es.items():
        assert es.loc[e, "att"] == pytest.approx(att, abs=1e-12), e
        assert es.loc[e, "se"] == pytest.approx(se, rel=1e-9), e
    # aggte(type = "simple").
    assert r.simple.estimate == pytest.approx(-0.0399512751551763, abs=1e-12)
    assert r.simple.se == pytest.approx(0.0120340127701854, rel=1e-9)


def test_not_yet_treated_controls(mpdta: pd.DataFrame) -> None:
    r = _run(mpdta, control="notyet")
    table = r.att_gt.set_index(["group", "time"])
    for key, (att, se) in R_NOTYET.items():
        assert table.loc[key, "att"] == pytest.approx(att, abs=1e-12), key
        assert table.loc[key, "se"] == pytest.approx(se, rel=1e-9), key
    assert r.overall.estimate == pytest.approx(-0.030462228112565, abs=1e-12)
    assert r.overall.se == pytest.approx(0.0125751201316818, rel=1e-9)
    assert r.event_study_overall.estimate == pytest.approx(-0.0773993139705847, abs=1e-12)
    assert r.event_study_overall.se == pytest.approx(0.0195601769463944, rel=1e-9)
    assert r.simple.estimate == pytest.approx(-0.0397636256230437, abs=1e-12)
    assert r.pretrend_chi2 == pytest.approx(7.79092771882739, rel=1e-9)
    assert round(r.pretrend_p, 5) == pytest.approx(0.16814)


def test_twfe_matches_statsmodels_dummy_regression(mpdta: pd.DataFrame) -> None:
    r = _run(mpdta)
    frame = mpdta.assign(
        d=((mpdta["first.treat"] > 0) & (mpdta["year"] >= mpdta["first.treat"])).astype(float)
    )
    x = pd.get_dummies(frame[["countyreal", "year"]].astype(str), drop_first=True, dtype=float)
    x.insert(0, "d", frame["d"])
    fit = sm.OLS(frame["lemp"], sm.add_constant(x)).fit(
        cov_type="cluster", cov_kwds={"groups": frame["countyreal"]}
    )
    assert r.twfe.estimate == pytest.approx(fit.params["d"], rel=1e-9)
    # statsmodels counts the unit dummies in K; we follow fixest (fixef.K = "nested"), where
    # the unit effects, nested in the clusters, are not counted: K = 1 + T (see below).
    n_obs, k_sm, k_ours = len(frame), x.shape[1] + 1, 6
    rescale = np.sqrt((n_obs - k_sm) / (n_obs - k_ours))
    assert r.twfe.se == pytest.approx(fit.bse["d"] * rescale, rel=1e-9)
    assert r.twfe.n_clusters == 500


def test_twfe_matches_published_fixest_output(mpdta: pd.DataFrame) -> None:
    # B. Callaway, R package twfeweights, README (bcallaway11/twfeweights), on did::mpdta
    # with post = 1(year >= first.treat & treat == 1):
    #   fixest::feols(lemp ~ post | countyreal + year, cluster = "countyreal", data = mpdta)
    #   post  Estimate -0.036549  Std. Error 0.013265  t value -2.75526  Pr(>|t|) 0.006079
    # and the same coefficient as the TWFE-weighted ATT(g,t): sum(wTWFEgt * attgt) =
    # -0.03654894. The printed digits bound the tolerances (half a unit of the last digit).
    r = _run(mpdta)
    assert r.twfe.estimate == pytest.approx(-0.03654894, abs=5e-9)
    assert r.twfe.se == pytest.approx(0.013265, abs=5e-7)
    assert r.twfe.estimate / r.twfe.se == pytest.approx(-2.75526, abs=5e-6)
    assert r.twfe.p_value == pytest.approx(0.006079, abs=5e-7)  # t with G - 1 = 499 df
    assert r.twfe.n_clusters == 500


def test_universal_base_period_puts_zero_before_adoption(mpdta: pd.DataFrame) -> None:
    r = staggered_did(
        mpdta, outcome="lemp", unit="countyreal", time="year", first_treated="first.treat",
        base_period="universal",
    )  # fmt: skip
    table = r.att_gt.set_index(["group", "time"])
    assert table.loc[(2006, 2005), "att"] == 0
    assert np.isnan(table.loc[(2006, 2005), "se"])
    # Post-adoption cells use the same base (g - 1) under both choices.
    assert table.loc[(2006, 2007), "att"] == pytest.approx(R_NEVER[(2006, 2007)][0], abs=1e-12)
    # universal: the 2007 cohort's 2004 cell compares 2004 with 2006.
    never = mpdta[mpdta["first.treat"] == 0].pivot(
        index="countyreal", columns="year", values="lemp"
    )
    g07 = mpdta[mpdta["first.treat"] == 2007].pivot(
        index="countyreal", columns="year", values="lemp"
    )
    expected = (g07[2004] - g07[2006]).mean() - (never[2004] - never[2006]).mean()
    assert table.loc[(2007, 2004), "att"] == pytest.approx(expected, abs=1e-12)


def test_summary_and_frame(mpdta: pd.DataFrame) -> None:
    r = staggered_did(
        mpdta, outcome="lemp", unit="countyreal", time="year", first_treated="first.treat",
        outcome_label="log lapangan kerja remaja",
    )  # fmt: skip
    text = r.summary()
    assert text.startswith("Dengan metode Callaway–Sant'Anna (3 kohort, 500 unit")
    assert "menurunkan log lapangan kerja remaja rata-rata sebesar 0,031" in text
    assert "IK 95% -0,055 hingga -0,007" in text
    assert "p = 0,168 (satu uji, belum dikoreksi)" in text
    assert "TWFE" in text
    assert "tren paralel" in text
    assert "signifikan" not in text
    en = r.summary("en")
    assert "lowered log lapangan kerja remaja by 0.031" in en
    assert "parallel" in en
    row = r.to_frame().iloc[0]
    assert row["overall_estimate"] == pytest.approx(r.overall.estimate)
    assert row["twfe_se"] == pytest.approx(r.twfe.se)
    assert row["n_units"] == 500


def test_never_treated_coded_missing_and_late_adopters(mpdta: pd.DataFrame) -> None:
    coded = mpdta.assign(**{"first.treat": mpdta["first.treat"].replace(0, np.nan)})
    assert _run(coded).overall.estimate == pytest.approx(_run(mpdta).overall.estimate)
    # Adoption after the last period counts as never treated; adoption in the first period
    # carries no information and those units are dropped.
    late = mpdta.assign(**{"first.treat": mpdta["first.treat"].replace(0, 2010)})
    assert _run(late).overall.estimate == pytest.approx(_run(mpdta).overall.estimate)
    early = mpdta.copy()
    early.loc[early["countyreal"] == 13011, "first.treat"] = 2003
    r = _run(early)
    assert r.n_dropped_always_treated == 1
    assert r.n_units == 499


def test_refuses_unbalanced_and_bad_panels(mpdta: pd.DataFrame) -> None:
    with pytest.raises(MutuValueError, match="Unbalanced panel"):
        _run(mpdta.drop(index=3))
    with pytest.raises(MutuValueError, match="balanced panel"):
        _run(mpdta.assign(lemp=mpdta["lemp"].where(mpdta.index != 5)))
    with pytest.raises(MutuValueError, match="more than once"):
        _run(pd.concat([mpdta, mpdta.head(1)]))
    bad = mpdta.copy()
    bad.loc[0, "first.treat"] = 2006
    with pytest.raises(MutuValueError, match="constant within each unit"):
        _run(bad)
    with pytest.raises(MutuValueError, match="no never-treated"):
        _run(mpdta[mpdta["first.treat"] > 0])
    with pytest.raises(MutuValueError, match="Unknown control"):
        _run(mpdta, control="sometimes")
    with pytest.raises(MutuValueError, match="Columns not found"):
        staggered_did(mpdta, outcome="y", unit="countyreal", time="year", first_treated="g")
    with pytest.raises(MutuValueError, match="No unit adopts"):
        _run(mpdta.assign(**{"first.treat": 0}))
