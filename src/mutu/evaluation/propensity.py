"""Propensity scores, inverse-probability weights and nearest-neighbour matching.

The design helpers shared by :mod:`mutu.evaluation.balance` and
:mod:`mutu.evaluation.effects`: complete-case selection, the 0/1 treatment
indicator, covariate matrices (text and categorical columns become dummies), the
logistic propensity score (as R ``glm(family = binomial)``), the ATE/ATT
weights and 1:1 nearest-neighbour matching with and without replacement (the
latter as R ``MatchIt``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from numpy.typing import NDArray
from statsmodels.tools.sm_exceptions import PerfectSeparationError

from mutu.domain.errors import MutuValueError

__all__ = [
    "covariate_matrix",
    "ipw_weights",
    "match_nearest",
    "propensity_score",
    "select_complete",
    "treatment_indicator",
]

FloatArray = NDArray[np.float64]
Estimand = Literal["ATE", "ATT"]
#: Within-group neighbours for the Abadie–Imbens conditional variance (Stata's default nn(2)).
VARIANCE_NEIGHBOURS = 2


def _is_categorical(series: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series))


def select_complete(
    data: pd.DataFrame, columns: Sequence[str], *, what: str = "data"
) -> tuple[pd.DataFrame, int]:
    """The named columns with incomplete rows dropped, and how many rows were dropped."""
    if not isinstance(data, pd.DataFrame):
        raise MutuValueError(
            f"{what} harus berupa DataFrame pandas.", f"{what} must be a pandas DataFrame."
        )
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise MutuValueError(
            f"Kolom tidak ditemukan: {', '.join(map(str, missing))}.",
            f"Columns not found: {', '.join(map(str, missing))}.",
        )
    frame = data.loc[:, list(dict.fromkeys(columns))]
    complete = frame.dropna()
    if len(complete) == 0:
        raise MutuValueError(
            "Tidak ada baris lengkap untuk dianalisis.", "There are no complete rows to analyse."
        )
    return complete, len(frame) - len(complete)


def treatment_indicator(series: pd.Series) -> NDArray[np.bool_]:
    """A 0/1 (or boolean) treatment column as a boolean array; anything else is refused."""
    values = pd.unique(series)
    if pd.api.types.is_bool_dtype(series):
        out = series.to_numpy(dtype=bool)
    elif pd.api.types.is_numeric_dtype(series) and set(np.asarray(values, float)) <= {0.0, 1.0}:
        out = series.to_numpy(dtype=float) == 1.0
    else:
        raise MutuValueError(
            f"Kolom perlakuan {series.name!r} harus bernilai 0/1 (atau benar/salah).",
            f"The treatment column {series.name!r} must hold 0/1 (or true/false).",
        )
    if out.all() or not out.any():
        raise MutuValueError(
            "Perlu peserta dan pembanding: kolom perlakuan hanya berisi satu nilai.",
            "Both treated and comparison units are needed: the treatment column has one value.",
        )
    return out


def covariate_matrix(
    frame: pd.DataFrame, covariates: Sequence[str], *, drop_first: bool
) -> tuple[FloatArray, list[str], NDArray[np.bool_]]:
    """Covariates as a float matrix; text/categorical columns become 0/1 dummies.

    Returns the matrix, the column names (``"race_black"`` for dummies) and which
    columns are binary. With ``drop_first`` the first level of each categorical
    covariate is left out (a full-rank design for regression); without it every
    level gets its own column (the balance table, as MatchIt shows it). A
    covariate with a single value is refused.
    """
    columns: list[FloatArray] = []
    names: list[str] = []
    for cov in covariates:
        series = frame[cov]
        if series.nunique(dropna=True) < 2:
            raise MutuValueError(
                f"Kovariat {cov!r} bernilai tetap; hapus dari daftar kovariat.",
                f"Covariate {cov!r} is constant; remove it from the covariates.",
            )
        if _is_categorical(series):
            if isinstance(series.dtype, pd.CategoricalDtype):
                levels = [lv for lv in series.cat.categories if (series == lv).any()]
            else:
                levels = sorted(pd.unique(series).tolist(), key=str)
            for level in levels[1:] if drop_first else levels:
                columns.append((series == level).to_numpy(dtype=float))
                names.append(f"{cov}_{level}")
        else:
            columns.append(series.to_numpy(dtype=float))
            names.append(str(cov))
    if not columns:
        return np.empty((len(frame), 0)), [], np.empty(0, dtype=bool)
    matrix = np.column_stack(columns)
    binary = np.all((matrix == 0.0) | (matrix == 1.0), axis=0)
    return matrix, names, binary


@dataclass(frozen=True)
class Design:
    y: FloatArray
    d: NDArray[np.bool_]
    x: FloatArray  # covariates without intercept, categorical expanded (drop first level)
    xi: FloatArray  # with intercept
    clusters: NDArray[np.intp] | None
    frame: pd.DataFrame
    n_dropped: int


def make_design(
    data: pd.DataFrame,
    *,
    outcome: str | None,
    treatment: str,
    covariates: Sequence[str],
    cluster: str | None = None,
) -> Design:
    """Complete rows, the treatment indicator, the full-rank covariate design and clusters."""
    if isinstance(covariates, str) or not covariates:
        raise MutuValueError(
            "Sebutkan kovariat sebagai daftar nama kolom (minimal satu).",
            "Give the covariates as a list of column names (at least one).",
        )
    cols = [c for c in (outcome, treatment, *covariates, cluster) if c is not None]
    frame, n_dropped = select_complete(data, cols)
    d = treatment_indicator(frame[treatment])
    x, _, _ = covariate_matrix(frame, covariates, drop_first=True)
    xi = np.column_stack([np.ones(len(frame)), x])
    if np.linalg.matrix_rank(xi) < xi.shape[1]:
        raise MutuValueError(
            "Kovariat saling berimpit (kolinear); hapus kovariat yang berlebih.",
            "The covariates are collinear; remove the redundant ones.",
        )
    y = np.empty(0)
    if outcome is not None:
        if not pd.api.types.is_numeric_dtype(frame[outcome]):
            raise MutuValueError(
                f"Kolom hasil {outcome!r} harus berupa angka.",
                f"The outcome column {outcome!r} must be numeric.",
            )
        y = frame[outcome].to_numpy(dtype=float)
    clusters = None
    if cluster is not None:
        clusters = pd.factorize(frame[cluster])[0].astype(np.intp)
    if min(d.sum(), (~d).sum()) < 2:
        raise MutuValueError(
            "Perlu minimal 2 peserta dan 2 pembanding.",
            "At least 2 treated and 2 comparison units are needed.",
        )
    return Design(y, d, x, xi, clusters, frame, n_dropped)


def fit_logit(design: Design) -> tuple[FloatArray, FloatArray]:
    """Propensity scores and the inverse mean information matrix of the logit fit."""
    model = sm.Logit(design.d.astype(float), design.xi)
    try:
        with warnings.catch_warnings():
            # Separation is detected below and refused with our own message.
            warnings.simplefilter("ignore")
            fit = model.fit(method="newton", disp=0, maxiter=200, warn_convergence=False)
    except (np.linalg.LinAlgError, PerfectSeparationError) as exc:
        raise MutuValueError(
            "Model skor kecenderungan tidak dapat diestimasi (pemisahan sempurna?): kelompok "
            "tidak tumpang-tindih pada kovariat ini.",
            "The propensity score model could not be estimated (perfect separation?): the "
            "groups do not overlap on these covariates.",
        ) from exc
    p = np.asarray(fit.predict(), dtype=float)
    if not fit.mle_retvals.get("converged", True) or p.min() < 1e-8 or p.max() > 1 - 1e-8:
        raise MutuValueError(
            "Skor kecenderungan mendekati 0 atau 1 (pemisahan sempurna): kelompok tidak "
            "tumpang-tindih pada kovariat ini.",
            "Propensity scores near 0 or 1 (perfect separation): the groups do not overlap "
            "on these covariates.",
        )
    info = (design.xi * (p * (1 - p))[:, None]).T @ design.xi / len(p)
    return p, np.linalg.inv(info)


def propensity_score(data: pd.DataFrame, *, treatment: str, covariates: Sequence[str]) -> pd.Series:
    """Logistic-regression propensity score :math:`P(T=1 \\mid X)`, indexed like the used rows.

    Fitted by maximum likelihood (statsmodels ``Logit``, Newton), the same model
    as R ``glm(T ~ X, family = binomial)``; categorical covariates enter as dummies.
    Rows with missing values are dropped; scores within 1e-8 of 0 or 1 (no overlap)
    are refused.

    .. math:: p(x) = \\frac{1}{1 + \\exp(-(\\beta_0 + x'\\beta))}

    References
    ----------
    Rosenbaum, P. R., & Rubin, D. B. (1983). The central role of the propensity
    score in observational studies for causal effects. *Biometrika*, 70(1), 41–55.
    """
    dz = make_design(data, outcome=None, treatment=treatment, covariates=covariates)
    p, _ = fit_logit(dz)
    return pd.Series(p, index=dz.frame.index, name="propensity_score")


def weights_from(p: FloatArray, d: NDArray[np.bool_], estimand: str) -> FloatArray:
    """ATE or ATT inverse-probability weights from propensity scores."""
    if estimand == "ATE":
        return np.where(d, 1 / p, 1 / (1 - p))
    return np.where(d, 1.0, p / (1 - p))


def ipw_weights(
    data: pd.DataFrame, *, treatment: str, covariates: Sequence[str], estimand: Estimand = "ATE"
) -> pd.Series:
    """Inverse-probability weights: ATE :math:`1/p` and :math:`1/(1-p)`; ATT 1 and :math:`p/(1-p)`.

    Unnormalised, as R ``WeightIt::weightit(method = "glm")`` and Stata
    ``[pweight = w]`` take them; the estimators normalise within group (Hájek).

    References
    ----------
    Hirano, K., Imbens, G. W., & Ridder, G. (2003). Efficient estimation of average
    treatment effects using the estimated propensity score. *Econometrica*, 71(4),
    1161–1189.
    """
    check_estimand(estimand)
    dz = make_design(data, outcome=None, treatment=treatment, covariates=covariates)
    p, _ = fit_logit(dz)
    return pd.Series(weights_from(p, dz.d, estimand), index=dz.frame.index, name="weight")


def check_estimand(estimand: str) -> None:
    """Refuse anything but ``"ATE"`` and ``"ATT"``."""
    if estimand not in ("ATE", "ATT"):
        raise MutuValueError(
            f"Estimand tidak dikenal: {estimand!r} (pilih 'ATE' atau 'ATT').",
            f"Unknown estimand: {estimand!r} (choose 'ATE' or 'ATT').",
        )


def within_variance(
    score: FloatArray, y: FloatArray, *, neighbours: int = VARIANCE_NEIGHBOURS
) -> FloatArray:
    """Abadie–Imbens conditional variance: J/(J+1)·(y − mean of J nearest same-group units)².

    ``score`` and ``y`` are one group's units; :math:`J` = ``neighbours`` (Abadie &
    Imbens 2006, eq. 14). Ties at the J-th distance are broken by score order.
    """
    j = neighbours
    order = np.argsort(score, kind="stable")
    s, v = score[order], y[order]
    n = len(s)
    if n <= j:
        raise MutuValueError(
            "Terlalu sedikit unit per kelompok untuk galat baku pencocokan.",
            "Too few units per group for the matching standard error.",
        )
    offsets = np.array([o for o in range(-j, j + 1) if o != 0])
    idx = np.arange(n)[:, None] + offsets[None, :]
    valid = (idx >= 0) & (idx < n)
    idx_c = np.clip(idx, 0, n - 1)
    dist = np.where(valid, np.abs(s[idx_c] - s[:, None]), np.inf)
    nearest = np.take_along_axis(idx_c, np.argsort(dist, axis=1, kind="stable")[:, :j], axis=1)
    sigma2 = j / (j + 1) * (v - v[nearest].mean(axis=1)) ** 2
    out = np.empty(n)
    out[order] = sigma2
    return out


class NearestBlocks:
    """Nearest sources of each target, all ties kept (matching with replacement).

    Sources are sorted once (``sorter``); the nearest ones of target ``k`` are
    the sorted positions ``[lo_left[k], hi_left[k])`` when ``use_left[k]`` and
    ``[lo_right[k], hi_right[k])`` when ``use_right[k]`` (contiguous blocks of
    equal scores, so ties cost nothing extra). ``size`` is the number of tied
    nearest sources per target.
    """

    def __init__(self, source: FloatArray, target: FloatArray) -> None:
        self.sorter = np.argsort(source, kind="stable")
        ss = source[self.sorter]
        self.n_source = len(ss)
        pos = np.searchsorted(ss, target)
        left = np.clip(pos - 1, 0, len(ss) - 1)
        right = np.clip(pos, 0, len(ss) - 1)
        d_left = np.where(pos > 0, np.abs(target - ss[left]), np.inf)
        d_right = np.where(pos < len(ss), np.abs(target - ss[right]), np.inf)
        best = np.minimum(d_left, d_right)
        tol = 1e-12 * np.maximum(1.0, np.abs(target))
        self.use_left = d_left <= best + tol
        self.use_right = (d_right <= best + tol) & ~(self.use_left & (ss[left] == ss[right]))
        self.lo_left = np.searchsorted(ss, ss[left], side="left")
        self.hi_left = np.searchsorted(ss, ss[left], side="right")
        self.lo_right = np.searchsorted(ss, ss[right], side="left")
        self.hi_right = np.searchsorted(ss, ss[right], side="right")
        self.size = self.use_left * (self.hi_left - self.lo_left) + self.use_right * (
            self.hi_right - self.lo_right
        )

    def members(self, k: int) -> NDArray[np.intp]:
        """Sorted positions of the nearest sources of target ``k``."""
        parts = []
        if self.use_left[k]:
            parts.append(np.arange(self.lo_left[k], self.hi_left[k]))
        if self.use_right[k]:
            parts.append(np.arange(self.lo_right[k], self.hi_right[k]))
        return np.concatenate(parts).astype(np.intp)

    def _spread(self, value: FloatArray) -> FloatArray:
        """Add ``value[k]`` to every source in target k's block; result in source order."""
        diff = np.zeros(self.n_source + 1)
        for use, lo, hi in (
            (self.use_left, self.lo_left, self.hi_left),
            (self.use_right, self.lo_right, self.hi_right),
        ):
            np.add.at(diff, lo[use], value[use])
            np.add.at(diff, hi[use], -value[use])
        out = np.empty(self.n_source)
        out[self.sorter] = np.cumsum(diff)[:-1]
        out[np.abs(out) < 1e-12] = 0.0  # cumulative-sum round-off where nothing was added
        return out

    def usage(self) -> FloatArray:
        """K: how many targets each source serves (1/size per tied match), source order."""
        return self._spread(1.0 / self.size)

    def usage_squared(self) -> FloatArray:
        """K': the sum of squared shares per source (Abadie & Imbens 2006, ties)."""
        return self._spread(1.0 / self.size**2)

    def mean_of(self, values: FloatArray) -> FloatArray:
        """Per target, the mean of ``values`` (source order) over its nearest sources."""
        cs = np.concatenate([[0.0], np.cumsum(values[self.sorter])])
        total = self.use_left * (cs[self.hi_left] - cs[self.lo_left]) + self.use_right * (
            cs[self.hi_right] - cs[self.lo_right]
        )
        return np.asarray(total / self.size, dtype=float)


def nearest_blocks(source: FloatArray, target: FloatArray) -> NearestBlocks:
    """The nearest ``source`` scores of each ``target`` score (see :class:`NearestBlocks`)."""
    return NearestBlocks(np.asarray(source, dtype=float), np.asarray(target, dtype=float))


def match_nearest(
    score: Sequence[float] | FloatArray,
    treated: Sequence[bool] | NDArray[np.bool_],
    *,
    replace: bool = True,
    order: Literal["largest", "smallest", "data"] = "largest",
) -> tuple[FloatArray, list[NDArray[np.intp]]]:
    """1:1 nearest-neighbour matching of treated units to comparison units on a score.

    Parameters
    ----------
    score
        The matching distance per unit, e.g. the propensity score or its logit.
    treated
        True for treated units (each gets one match), False for comparison units.
    replace
        ``True``: each treated unit takes its nearest comparison unit, which may
        serve several treated units; all comparison units tied at the nearest
        distance share the match (Abadie & Imbens 2006). ``False``: greedy
        matching without replacement as R ``MatchIt::matchit(method =
        "nearest")``: treated units are taken in ``order`` of their score
        (``"largest"`` first, MatchIt's default for a propensity score), each
        takes the closest still-unused comparison unit (the first one in data
        order when tied); treated units left without a partner stay unmatched.

    Returns
    -------
    weights, matches
        Matching weights per unit (1 for matched treated units; for comparison
        units the number of treated units they serve, fractional when tied;
        0 when unused) and, per treated unit in data order, the indices of its
        matched comparison units (empty when unmatched).

    Notes
    -----
    With replacement the search is vectorised (binary search in the sorted
    comparison scores); without replacement it is sequential by nature
    (O(n_treated × n_control)).

    References
    ----------
    Abadie, A., & Imbens, G. W. (2006). Large sample properties of matching
    estimators for average treatment effects. *Econometrica*, 74(1), 235–267.
    Ho, D., Imai, K., King, G., & Stuart, E. (2011). MatchIt: Nonparametric
    preprocessing for parametric causal inference. *JSS*, 42(8).
    """
    s = np.asarray(score, dtype=float)
    t = np.asarray(treated, dtype=bool)
    if s.shape != t.shape:
        raise MutuValueError(
            "Skor dan status perlakuan harus sama panjang.",
            "The score and the treatment status must have the same length.",
        )
    ti = np.flatnonzero(t)
    ci = np.flatnonzero(~t)
    weights = np.zeros(len(s))
    matches: list[NDArray[np.intp]] = []
    if replace:
        nearest = nearest_blocks(s[ci], s[ti])
        for k in range(len(ti)):
            block = ci[nearest.sorter[nearest.members(k)]]
            matches.append(np.sort(block))
        weights[ci] = nearest.usage()
        weights[ti] = 1.0
        return weights, matches
    if order == "largest":
        sequence = ti[np.argsort(-s[ti], kind="stable")]
    elif order == "smallest":
        sequence = ti[np.argsort(s[ti], kind="stable")]
    else:
        sequence = ti
    available = np.ones(len(ci), dtype=bool)
    chosen: dict[int, NDArray[np.intp]] = {}
    sc = s[ci]
    for i in sequence:
        if not available.any():
            chosen[int(i)] = np.empty(0, dtype=np.intp)
            continue
        d = np.where(available, np.abs(sc - s[i]), np.inf)
        j = int(np.argmin(d))
        available[j] = False
        chosen[int(i)] = np.array([ci[j]], dtype=np.intp)
        weights[ci[j]] = 1.0
        weights[i] = 1.0
    matches = [chosen[int(i)] for i in ti]
    return weights, matches
