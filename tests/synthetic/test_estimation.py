"""A proper method recovers what was planted; the naive comparison does not.

Everything here uses the frames only — what an analyst would have — and
statsmodels.  Seed 11, kabupaten scale, baseline scenario.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from mutu.synthetic import World

from .helpers import employee_covariates, enrollments_with_attendance, score_table, workplan_panel


def test_paired_pre_post_recovers_the_learning_gain(world: World) -> None:
    scores = score_table(world)
    acts = world.frames["activities"].set_index("code")
    scores = scores[acts.loc[scores["activity"], "year"].to_numpy() == world.years[1]]
    wide = scores.pivot_table(index=["activity", "nip"], columns="occasion", values="score")
    both = wide.dropna()
    d = both["post"] - both["pre"]
    half = 1.96 * d.std(ddof=1) / np.sqrt(len(d))
    truth = world.truth["estimands"]["learning_gain"]
    assert truth["n"] == len(d)
    assert abs(d.mean() - truth["value"]) < half
    naive = scores.groupby("occasion")["score"].mean()
    assert np.isclose(naive["post"] - naive["pre"], truth["naive"])


def test_adjusted_regression_recovers_the_workplan_effect(world: World) -> None:
    """OLS of the after-rating on training and the observed selection covariates.

    Sample: person-years trained that year or not trained before; covariates
    are those the nomination used (prior SKP, golongan rank, distance, SKPK)
    plus age and year; standard errors clustered by person.
    """
    panel = workplan_panel(world)
    cov = employee_covariates(world)
    s = panel[~(panel["trained_year"] < panel["year"])].dropna(subset=["after"]).copy()
    for c in ("skp_prior", "rank", "distance_km", "skpk"):
        s[c] = cov.loc[s["subject_nip"], c].to_numpy()
    s["age"] = s["year"] - cov.loc[s["subject_nip"], "birth_date"].dt.year.to_numpy()
    groups = pd.factorize(s["subject_nip"])[0]
    fit = smf.ols(
        "after ~ trained + skp_prior + age + rank + distance_km + C(skpk) + C(year)", data=s
    ).fit(cov_type="cluster", cov_kwds={"groups": groups})
    lo, hi = fit.conf_int().loc["trained"]
    truth = world.truth["estimands"]["workplan_quality_att"]
    assert lo <= truth["value"] <= hi
    naive = s.loc[s["trained"] == 1, "after"].mean() - s.loc[s["trained"] == 0, "after"].mean()
    assert np.isclose(naive, truth["naive"])
    # The naive comparison overstates the effect by more than a quarter, outside the CI.
    assert naive > 1.25 * truth["value"]
    assert naive > hi


def _ame(fit: object, data: pd.DataFrame, params: pd.Series) -> float:
    model = fit.model  # type: ignore[attr-defined]
    exog = model.data.orig_exog.loc[data.index]
    p1 = model.predict(params, exog=exog.assign(offered=1))
    p0 = model.predict(params, exog=exog.assign(offered=0))
    return float(100 * np.mean(p1 - p0))


def test_adjusted_logit_recovers_the_incentive_effect(world: World) -> None:
    """Logit of attending on the offer and the covariates the offers were targeted on.

    The effect is the average marginal effect over the offered; its interval
    comes from the offer coefficient's 95% interval, other coefficients fixed.
    """
    e = enrollments_with_attendance(world)
    cov = employee_covariates(world)
    s = e[e["line"].isin(e.loc[e["offered"] == 1, "line"].unique())]
    s = s[s["year"] >= world.years[0] + 1].copy()
    for c in ("distance_km", "workload", "part_time"):
        s[c] = cov.loc[s["nip"], c].to_numpy()
    born = cov.loc[s["nip"], "birth_date"].to_numpy()
    s["age10"] = (s["start_date"].to_numpy() - born).astype("timedelta64[D]").astype(int) / 3652.5
    s["attended"] = s["attended"].astype(int)
    fit = smf.logit(
        "attended ~ offered + distance_km + workload + age10 + part_time + C(line)", data=s
    ).fit(disp=0)
    offered = s[s["offered"] == 1]
    est = _ame(fit, offered, fit.params)
    lo_p, hi_p = fit.params.copy(), fit.params.copy()
    lo_p["offered"], hi_p["offered"] = fit.conf_int().loc["offered"]
    lo, hi = _ame(fit, offered, lo_p), _ame(fit, offered, hi_p)
    truth = world.truth["estimands"]["incentive_attendance_effect"]
    assert lo <= est <= hi
    assert lo <= truth["value"] <= hi
    assert lo > 0  # the incentive raises attendance
    naive = 100 * (offered["attended"].mean() - s.loc[s["offered"] == 0, "attended"].mean())
    assert np.isclose(naive, truth["naive"])
    assert naive < lo  # offers went to those least likely to come


def _group_time_att(wide: pd.DataFrame, g: pd.Series, last: int) -> float:
    """Callaway-Sant'Anna ATT(g, t), never-treated controls, base g - 1, simple aggregation."""
    atts, weights = [], []
    never = g.index[g == 0]
    for cohort in sorted(g[g > 0].unique()):
        treated = g.index[g == cohort]
        for t in range(int(cohort), last + 1):
            d_t = (wide.loc[treated, t] - wide.loc[treated, cohort - 1]).mean()
            d_c = (wide.loc[never, t] - wide.loc[never, cohort - 1]).mean()
            atts.append(d_t - d_c)
            weights.append(len(treated))
    return float(np.average(atts, weights=weights))


def test_staggered_did_recovers_the_ikm_effect(world: World) -> None:
    """IKM per unit-year from skm_results; group-time DiD with a unit bootstrap.

    Tolerance: 2.5 bootstrap standard deviations (200 resamples of units).
    """
    skm = world.frames["skm_results"]
    ikm = skm.assign(year=skm["period_start"].dt.year).groupby(["unit", "year"])["nrr"].mean() * 25
    wide = ikm.unstack("year")
    g = world.frames["program_units"].set_index("unit")["adoption_year"].fillna(0).astype(int)
    g = g.reindex(wide.index)
    est = _group_time_att(wide, g, world.years[1])
    rng = np.random.default_rng(20240601)
    boot = []
    for _ in range(200):
        pick = rng.choice(len(wide), len(wide))
        w = wide.iloc[pick].reset_index(drop=True)
        gb = g.iloc[pick].reset_index(drop=True)
        if (gb == 0).sum() and (gb > 0).sum():
            boot.append(_group_time_att(w, gb, world.years[1]))
    sd = float(np.std(boot))
    truth = world.truth["estimands"]["ikm_att"]
    assert abs(est - truth["value"]) < 2.5 * sd
    adopted = pd.Series([0 < g[u] <= y for u, y in ikm.index], index=ikm.index, dtype=bool)
    naive = ikm[adopted].mean() - ikm[~adopted].mean()
    assert np.isclose(naive, truth["naive"], atol=0.01)  # skm_results rounds NRR to 4 places
    assert abs(naive - truth["value"]) > 3 * sd  # the naive comparison is badly biased


def test_magang_naive_and_truth_are_reported_from_the_proficiency_frame(world: World) -> None:
    prof = world.frames["proficiency"]
    seen = prof[~prof["censored"]]
    naive = (
        seen.loc[seen["magang"], "months_to_standard"].median()
        - seen.loc[~seen["magang"], "months_to_standard"].median()
    )
    truth = world.truth["estimands"]["magang_months_to_proficiency_diff"]
    assert naive == truth["naive"]
    assert truth["n"] == int(prof["magang"].sum())
    assert prof["censored"].any()
    assert (~prof["censored"]).any()
