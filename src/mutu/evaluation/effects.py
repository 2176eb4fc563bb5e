"""Adjusted comparisons when participants self-select: the average effect of a program.

:func:`treatment_effect` estimates the effect of a binary treatment (took part
in a training or not) on an outcome, adjusting for observed covariates, by one
of four methods, for the whole population (``"ATE"``) or for the participants
(``"ATT"``):

``regression``
    ATE: the OLS coefficient of the treatment in ``y ~ 1 + T + X`` with HC1
    standard errors (Stata ``regress, vce(robust)``; R ``sandwich::vcovHC(type =
    "HC1")``), CR1 cluster-robust when ``cluster`` is given (Stata
    ``vce(cluster)``). Under effect heterogeneity this coefficient is a
    variance-weighted average of effects, not exactly the ATE. ATT: regression
    adjustment with full treatment interactions — the comparison units' OLS fit
    predicts each participant's untreated outcome — with the influence-function
    standard error of Sant'Anna & Zhao's ``reg_did_panel`` (it includes the
    sampling error of the regression and of the participants' covariates).
``ipw``
    Logistic propensity score (statsmodels ``Logit``); ATE weights ``1/p`` and
    ``1/(1-p)``, ATT weights ``p/(1-p)`` for comparison units; normalised
    (Hájek) weighted means; M-estimation (sandwich) standard error that accounts
    for the estimated propensity score (Lunceford & Davidian 2004).
``aipw``
    Doubly robust. ATE: augmented IPW with linear outcome models fitted in each
    group, standard error from its influence function (nuisance models treated
    as known). ATT: the doubly robust ATT of Sant'Anna & Zhao (2020,
    ``DRDID::drdid_panel``, ``"trad"``), influence-function standard error
    including the estimation of both models.
``matching``
    1:1 nearest neighbour on the logit of the propensity score (or on the score
    itself); with replacement (default, ties share the match) and the
    Abadie–Imbens (2006) standard error treating the score as known
    (:func:`mutu.evaluation.matching.abadie_imbens`, checked against R
    ``Matching``), or without
    replacement (greedy, as R ``MatchIt``; ATT only) with a CR1 standard error
    clustered on matched pairs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from mutu.domain.errors import MutuValueError
from mutu.evaluation.balance import balance
from mutu.evaluation.matching import abadie_imbens
from mutu.evaluation.propensity import (
    Design,
    Estimand,
    check_estimand,
    fit_logit,
    ipw_weights,
    make_design,
    match_nearest,
    propensity_score,
    weights_from,
)
from mutu.evaluation.result import Result, check_lang, format_number, format_p

__all__ = ["EffectResult", "ipw_weights", "propensity_score", "treatment_effect"]

# ipw_weights and propensity_score live in mutu.evaluation.propensity; re-exported here.

FloatArray = NDArray[np.float64]
Method = Literal["regression", "ipw", "aipw", "matching"]
#: Fewer units than this in either group: the estimate is shown, no effect is claimed.
TOO_FEW = 5

ASSUMPTIONS = {
    "id": (
        "Perkiraan ini berasumsi tidak ada faktor pembeda yang tidak teramati: semua hal yang "
        "memengaruhi keikutsertaan sekaligus hasil sudah tercakup dalam kovariat, dan setiap "
        "jenis peserta punya padanan di kelompok pembanding."
    ),
    "en": (
        "This estimate assumes no unobserved confounding: everything that drives both "
        "participation and the outcome is among the covariates, and every kind of participant "
        "has counterparts in the comparison group (overlap)."
    ),
}
METHOD_LABELS = {
    "id": {
        "regression": "regresi",
        "ipw": "pembobotan IPW",
        "aipw": "AIPW",
        "matching": "pencocokan skor kecenderungan",
    },
    "en": {
        "regression": "regression",
        "ipw": "IPW weighting",
        "aipw": "AIPW",
        "matching": "propensity-score matching",
    },
}


def _range(lo: float, hi: float, digits: int, lang: str) -> str:
    """An interval for a sentence: ``0,21–0,47``; ``-0,06 hingga -0,01`` with a negative limit."""
    a = format_number(lo, digits, lang)  # type: ignore[arg-type]
    b = format_number(hi, digits, lang)  # type: ignore[arg-type]
    if lo < 0 or hi < 0:
        return f"{a} {'hingga' if lang == 'id' else 'to'} {b}"
    return f"{a}–{b}"


@dataclass(frozen=True, eq=False)
class EffectResult(Result):
    """An adjusted estimate of a treatment effect with its uncertainty.

    ``balance_before`` / ``balance_after`` are :func:`~mutu.evaluation.balance.balance`
    tables (after = with the method's weights; ``None`` for regression).
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n_treated: int
    n_control: int
    method: str
    estimand: str
    se_type: str
    variant: str
    confidence: float
    outcome: str
    treatment: str
    covariates: tuple[str, ...]
    n_dropped: int
    n_clusters: int | None
    assumptions: str
    labels: tuple[tuple[str, str], ...] = ()
    balance_before: pd.DataFrame | None = field(default=None, repr=False)
    balance_after: pd.DataFrame | None = field(default=None, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row with the estimate, its interval, the counts and the variant."""
        row = self.scalars()
        row["covariates"] = ", ".join(self.covariates)
        return pd.DataFrame([row])

    def _label(self, name: str) -> str:
        return dict(self.labels).get(name, name)

    def summary(self, lang: str = "id") -> str:
        """A paragraph: the adjusted effect with its interval, the comparison and the assumption."""
        lang = check_lang(lang)

        def fmt(v: float) -> str:
            return format_number(v, 2, lang)

        covs = [self._label(c) for c in self.covariates]
        conj = " dan " if lang == "id" else " and "
        cov_text = covs[0] if len(covs) == 1 else ", ".join(covs[:-1]) + conj + covs[-1]
        treat, outcome = self._label(self.treatment), self._label(self.outcome)
        label = METHOD_LABELS[lang][self.method]
        pct = format_number(100 * self.confidence, 0, lang)
        if min(self.n_treated, self.n_control) < TOO_FEW or not np.isfinite(self.se):
            if lang == "id":
                return (
                    f"Terlalu sedikit data untuk menilai pengaruh {treat} terhadap {outcome} "
                    f"(n = {self.n_treated} peserta dan {self.n_control} pembanding); "
                    f"perkiraan {fmt(self.estimate)} ({label}, {self.estimand}) hanya dicatat, "
                    "bukan disimpulkan."
                )
            return (
                f"Too few data to judge the effect of {treat} on {outcome} "
                f"(n = {self.n_treated} participants and {self.n_control} comparisons); the "
                f"estimate {fmt(self.estimate)} ({label}, {self.estimand}) is recorded, "
                "not concluded."
            )
        includes_zero = self.ci_low <= 0 <= self.ci_high
        mag = fmt(abs(self.estimate))
        ci = _range(self.ci_low, self.ci_high, 2, lang)
        n_t = format_number(self.n_treated, 0, lang)
        n_c = format_number(self.n_control, 0, lang)
        if lang == "id":
            verb = "meningkatkan" if self.estimate > 0 else "menurunkan"
            text = (
                f"Setelah memperhitungkan perbedaan {cov_text}, {treat} {verb} {outcome} "
                f"sebesar {mag} (IK {pct}% {ci}; n = {n_t} peserta dan {n_c} pembanding; "
                f"{label}, {self.estimand})."
            )
            if includes_zero:
                text += " Interval ini mencakup nol, jadi arah pengaruhnya belum dapat dipastikan."
            text += (
                f" {format_p(self.p_value, lang)} (satu uji, belum dikoreksi untuk uji berganda)."
            )
            if self.n_dropped:
                text += f" {self.n_dropped} baris dengan data kosong tidak diikutkan."
        else:
            verb = "raised" if self.estimate > 0 else "lowered"
            text = (
                f"After accounting for differences in {cov_text}, {treat} {verb} {outcome} "
                f"by {mag} ({pct}% CI {ci}; n = {n_t} participants and {n_c} comparisons; "
                f"{label}, {self.estimand})."
            )
            if includes_zero:
                text += (
                    " The interval includes zero, so the direction of the effect is not settled."
                )
            text += (
                f" {format_p(self.p_value, lang)} (a single test, not corrected for multiplicity)."
            )
            if self.n_dropped:
                text += f" {self.n_dropped} rows with missing values were left out."
        return f"{text} {ASSUMPTIONS[lang]}"


def _if_se(inf: FloatArray, clusters: NDArray[np.intp] | None) -> tuple[float, int | None]:
    """Standard error from an influence function: sqrt(mean(IF²)/n), or summed by cluster."""
    n = len(inf)
    if clusters is None:
        return float(np.sqrt(np.sum(inf**2)) / n), None
    sums = np.bincount(clusters, weights=inf)
    g = len(sums)
    return float(np.sqrt(g / (g - 1) * np.sum(sums**2)) / n), g


def _sandwich(
    xm: FloatArray, resid: FloatArray, se_type: str, clusters: NDArray[np.intp] | None
) -> tuple[FloatArray, int | None]:
    """Heteroskedasticity- (HC0–HC3) or cluster-robust (CR1) covariance of OLS coefficients."""
    n, k = xm.shape
    bread = np.linalg.inv(xm.T @ xm)
    if clusters is not None:
        scores = np.zeros((clusters.max() + 1, k))
        np.add.at(scores, clusters, xm * resid[:, None])
        g = scores.shape[0]
        meat = scores.T @ scores * (g / (g - 1)) * ((n - 1) / (n - k))
        return bread @ meat @ bread, g
    h = np.einsum("ij,jk,ik->i", xm, bread, xm)
    factor = {
        "HC0": np.ones(n),
        "HC1": np.full(n, n / (n - k)),
        "HC2": 1 / (1 - h),
        "HC3": 1 / (1 - h) ** 2,
    }[se_type]
    meat = (xm * (resid**2 * factor)[:, None]).T @ xm
    return bread @ meat @ bread, None


def _regression(
    dz: Design, estimand: str, se_type: str
) -> tuple[float, float, int | None, str, str, int | None]:
    y, d, x = dz.y, dz.d, dz.xi
    if estimand == "ATE":
        xm = np.column_stack([x[:, :1], d.astype(float), x[:, 1:]])
        beta, *_ = np.linalg.lstsq(xm, y, rcond=None)
        cov, g = _sandwich(xm, y - xm @ beta, se_type, dz.clusters)
        df = (g - 1) if g is not None else len(y) - xm.shape[1]
        kind = "CR1 cluster-robust" if g is not None else se_type
        return (
            float(beta[1]),
            float(np.sqrt(cov[1, 1])),
            df,
            kind,
            (
                "OLS coefficient of the treatment in y ~ 1 + T + X (a variance-weighted effect "
                "when effects differ)"
            ),
            g,
        )
    # ATT: regression adjustment on comparison units (= fully interacted OLS), IF of reg_did_panel.
    n = len(y)
    c = ~d
    beta, *_ = np.linalg.lstsq(x[c], y[c], rcond=None)
    fitted = x @ beta
    w_t = d.astype(float)
    att = y[d].mean() - fitted[d].mean()
    xpx_inv = np.linalg.inv((x[c].T @ x[c]) / n)
    lin_ols = (x * (c * (y - fitted))[:, None]) @ xpx_inv
    inf_treat = w_t * (y - y[d].mean()) / w_t.mean()
    inf_cont = (w_t * (fitted - fitted[d].mean()) + lin_ols @ (w_t @ x / n)) / w_t.mean()
    se, g = _if_se(inf_treat - inf_cont, dz.clusters)
    return (
        float(att),
        se,
        None,
        "influence function",
        (
            "regression adjustment: comparison-group OLS predicts the participants' untreated "
            "outcomes (equal to the fully interacted regression)"
        ),
        g,
    )


def _ipw(dz: Design, estimand: str) -> tuple[float, float, int | None, FloatArray]:
    y, d, x = dz.y, dz.d, dz.xi
    n = len(y)
    p, info_inv = fit_logit(dz)
    lin_ps = (x * (d - p)[:, None]) @ info_inv  # influence function of the logit coefficients
    w = weights_from(p, d, estimand)
    t, c = d.astype(float), (~d).astype(float)
    mu1 = np.sum(t * w * y) / np.sum(t * w)
    mu0 = np.sum(c * w * y) / np.sum(c * w)
    # d w / d beta: ATE treated -(1-p)/p x, ATE control p/(1-p) x; ATT control w x.
    if estimand == "ATE":
        m1 = (t * (y - mu1) * (-(1 - p) / p)) @ x / n
        inf1 = (t * w * (y - mu1) + lin_ps @ m1) / np.mean(t * w)
        m0 = (c * (y - mu0) * (p / (1 - p))) @ x / n
    else:
        inf1 = t * (y - mu1) / t.mean()
        m0 = (c * w * (y - mu0)) @ x / n
    inf0 = (c * w * (y - mu0) + lin_ps @ m0) / np.mean(c * w)
    se, g = _if_se(inf1 - inf0, dz.clusters)
    return float(mu1 - mu0), se, g, w


def _aipw(dz: Design, estimand: str) -> tuple[float, float, int | None, FloatArray]:
    y, d, x = dz.y, dz.d, dz.xi
    n = len(y)
    p, info_inv = fit_logit(dz)
    c = ~d
    for group in (d, c):
        if group.sum() <= x.shape[1]:
            raise MutuValueError(
                "Terlalu sedikit unit per kelompok untuk model hasil dengan kovariat ini.",
                "Too few units per group for an outcome model with these covariates.",
            )
    b0, *_ = np.linalg.lstsq(x[c], y[c], rcond=None)
    m0 = x @ b0
    w = weights_from(p, d, estimand)
    if estimand == "ATE":
        b1, *_ = np.linalg.lstsq(x[d], y[d], rcond=None)
        m1 = x @ b1
        phi = m1 - m0 + d * (y - m1) / p - c * (y - m0) / (1 - p)
        tau = float(phi.mean())
        se, g = _if_se(phi - tau, dz.clusters)
        return tau, se, g, w
    # Sant'Anna & Zhao (2020) traditional DR ATT (DRDID::drdid_panel), with its influence function.
    w_t, w_c = d.astype(float), c * p / (1 - p)
    resid = y - m0
    eta_t = np.mean(w_t * resid) / w_t.mean()
    eta_c = np.mean(w_c * resid) / w_c.mean()
    lin_ols = (x * (c * resid)[:, None]) @ np.linalg.inv((x[c].T @ x[c]) / n)
    lin_ps = (x * (d - p)[:, None]) @ info_inv
    inf_t = (w_t * resid - w_t * eta_t - lin_ols @ (w_t @ x / n)) / w_t.mean()
    inf_c = (
        w_c * resid
        - w_c * eta_c
        + lin_ps @ ((w_c * (resid - eta_c)) @ x / n)
        - lin_ols @ (w_c @ x / n)
    ) / w_c.mean()
    se, g = _if_se(inf_t - inf_c, dz.clusters)
    return float(eta_t - eta_c), se, g, w


def _matching(
    dz: Design, estimand: Estimand, replace: bool, match_on: str
) -> tuple[float, float, int | None, FloatArray, str, str]:
    y, d = dz.y, dz.d
    p, _ = fit_logit(dz)
    score = np.log(p / (1 - p)) if match_on == "logit" else p
    t = np.flatnonzero(d)
    if not replace:
        if estimand != "ATT":
            raise MutuValueError(
                "Pencocokan tanpa pengembalian hanya untuk ATT.",
                "Matching without replacement estimates the ATT only.",
            )
        weights, matches = match_nearest(score, d, replace=False, order="largest")
        pairs = [(i, int(m[0])) for i, m in zip(t, matches, strict=True) if len(m)]
        diffs = np.array([y[i] - y[j] for i, j in pairs])
        rows = np.array([k for pair in pairs for k in pair])
        pair_id = np.repeat(np.arange(len(pairs)), 2)
        xm = np.column_stack([np.ones(len(rows)), d[rows].astype(float)])
        resid = y[rows] - xm @ np.linalg.lstsq(xm, y[rows], rcond=None)[0]
        cov, g = _sandwich(xm, resid, "HC1", pair_id)
        return (
            float(diffs.mean()),
            float(np.sqrt(cov[1, 1])),
            g,
            weights,
            ("CR1 clustered on matched pairs"),
            "1:1 greedy nearest neighbour without replacement (MatchIt order 'largest')",
        )
    if dz.clusters is not None:
        raise MutuValueError(
            "Galat baku Abadie–Imbens tidak mendukung klaster; gunakan metode lain.",
            "The Abadie–Imbens standard error does not support clusters; use another method.",
        )
    fit = abadie_imbens(score, y, d, estimand=estimand)
    return (
        fit.estimate,
        fit.se,
        None,
        fit.weights,
        "Abadie-Imbens (2006), score treated as known",
        (
            f"1:1 nearest neighbour with replacement on the {match_on} of the propensity score, "
            "ties averaged"
        ),
    )


def treatment_effect(
    data: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str],
    method: Method = "regression",
    estimand: Estimand = "ATE",
    cluster: str | None = None,
    confidence: float = 0.95,
    se_type: Literal["HC0", "HC1", "HC2", "HC3"] = "HC1",
    replace: bool = True,
    match_on: Literal["logit", "ps"] = "logit",
    labels: Mapping[str, str] | None = None,
) -> EffectResult:
    """Effect of a binary treatment on an outcome, adjusted for observed covariates.

    Parameters
    ----------
    data
        One row per unit (e.g. per ASN), complete rows are used.
    outcome, treatment, covariates
        Column names; ``treatment`` is 0/1. Categorical covariates become dummies.
    method
        ``"regression"``, ``"ipw"``, ``"aipw"`` or ``"matching"`` (see the module notes).
    estimand
        ``"ATE"`` (everyone) or ``"ATT"`` (the participants).
    cluster
        Column of clusters (e.g. the unit/OPD) for cluster-robust standard errors:
        CR1 for the ATE regression, influence functions summed within clusters
        (× G/(G−1)) otherwise; not available for matching with replacement.
    confidence
        Level of the interval.
    se_type
        Robust covariance of the ATE regression without clusters (HC1 = Stata ``robust``).
    replace, match_on
        Matching options: with or without replacement, on the ``"logit"`` of the
        propensity score or on the score (``"ps"``, as MatchIt).
    labels
        Readable names for the columns, used in :meth:`EffectResult.summary`.

    Returns
    -------
    EffectResult

    Notes
    -----
    Let :math:`p(x)` be the logistic propensity score, :math:`\\mu_t(x)` OLS fits.

    * IPW (Hájek): :math:`\\hat\\tau = \\sum T w y/\\sum T w - \\sum (1-T) w y / \\sum (1-T) w`.
    * AIPW, ATE: :math:`\\hat\\tau = n^{-1}\\sum [\\mu_1 - \\mu_0 + T(y-\\mu_1)/p
      - (1-T)(y-\\mu_0)/(1-p)]`.
    * DR-ATT: :math:`\\hat\\tau = \\overline{(y-\\mu_0)}_{T=1} - \\sum w_0 (y-\\mu_0)/\\sum w_0`,
      :math:`w_0 = (1-T)p/(1-p)`.
    * Matching, ATT: :math:`\\hat\\tau = N_1^{-1}\\sum_{T=1}(y_i - \\hat y_i(0))`, variance
      :math:`N_1^{-2}[\\sum_{T=1}(y_i-\\hat y_i(0)-\\hat\\tau)^2 + \\sum_{T=0}(K_i^2-K'_i)
      \\hat\\sigma^2_i]` (Abadie & Imbens 2006).

    Intervals use the t distribution (n − k or G − 1 degrees of freedom) for the
    ATE regression and the normal distribution otherwise.

    References
    ----------
    Lunceford, J. K., & Davidian, M. (2004). Stratification and weighting via the
    propensity score. *Statistics in Medicine*, 23, 2937–2960. Sant'Anna, P. H. C.,
    & Zhao, J. (2020). Doubly robust difference-in-differences estimators. *Journal
    of Econometrics*, 219(1), 101–122. Abadie, A., & Imbens, G. W. (2006).
    *Econometrica*, 74(1), 235–267. Cameron, A. C., & Miller, D. L. (2015). A
    practitioner's guide to cluster-robust inference. *JHR*, 50(2), 317–372.
    """
    if method not in ("regression", "ipw", "aipw", "matching"):
        raise MutuValueError(
            f"Metode tidak dikenal: {method!r} (regression, ipw, aipw, matching).",
            f"Unknown method: {method!r} (regression, ipw, aipw, matching).",
        )
    check_estimand(estimand)
    if se_type not in ("HC0", "HC1", "HC2", "HC3"):
        raise MutuValueError(
            f"Jenis galat baku tidak dikenal: {se_type!r}.", f"Unknown se_type: {se_type!r}."
        )
    if not 0 < confidence < 1:
        raise MutuValueError(
            "Tingkat kepercayaan harus antara 0 dan 1.", "The confidence must lie between 0 and 1."
        )
    dz = make_design(
        data, outcome=outcome, treatment=treatment, covariates=covariates, cluster=cluster
    )
    before = balance(dz.frame, treatment=treatment, covariates=covariates)
    after_w: FloatArray | None = None
    df: int | None = None
    if method == "regression":
        est, se, df, se_kind, variant, g = _regression(dz, estimand, se_type)
    elif method == "ipw":
        est, se, g, after_w = _ipw(dz, estimand)
        se_kind = "M-estimation sandwich (propensity score estimated)"
        variant = f"Hajek-normalised inverse-probability weighting, logistic propensity, {estimand}"
    elif method == "aipw":
        est, se, g, after_w = _aipw(dz, estimand)
        se_kind = "influence function"
        variant = (
            "augmented IPW, linear outcome models per group, logistic propensity"
            if estimand == "ATE"
            else "doubly robust ATT of Sant'Anna & Zhao (2020), logistic propensity, OLS on "
            "comparison units"
        )
    else:
        est, se, g, after_w, se_kind, variant = _matching(dz, estimand, replace, match_on)
    if g is not None:
        se_kind = se_kind if "cluster" in se_kind.lower() else f"{se_kind}, clustered"
    z = est / se if se > 0 else np.nan
    if df is not None:
        crit = float(stats.t.ppf(0.5 + confidence / 2, df))
        p_value = float(2 * stats.t.sf(abs(z), df))
    else:
        crit = float(stats.norm.ppf(0.5 + confidence / 2))
        p_value = float(2 * stats.norm.sf(abs(z)))
    after = (
        None
        if after_w is None
        else balance(dz.frame, treatment=treatment, covariates=covariates, weights=after_w)
    )
    return EffectResult(
        estimate=est,
        se=se,
        ci_low=est - crit * se,
        ci_high=est + crit * se,
        p_value=p_value,
        n_treated=int(dz.d.sum()),
        n_control=int((~dz.d).sum()),
        method=method,
        estimand=estimand,
        se_type=se_kind,
        variant=variant,
        confidence=confidence,
        outcome=outcome,
        treatment=treatment,
        covariates=tuple(covariates),
        n_dropped=dz.n_dropped,
        n_clusters=g,
        assumptions=ASSUMPTIONS["en"],
        labels=tuple((labels or {}).items()),
        balance_before=before,
        balance_after=after,
    )
