"""Level 4: the public-satisfaction survey (SKM) at every service unit, every year.

Service units are the puskesmas, the hospital, the kantor camat and the
service dinas (Dukcapil, DPMPTSP, Dinas Sosial, Dinas Perhubungan).  Each has
a latent level ``α_u`` (with an offset by kind) and adopts the program (its
front-line staff join the quarterly public-service training) in one of the
years after the first, or never.  Adoption is staggered and targeted: units
with a lower level and nearer to Kutacane adopt earlier — a function of the
unit's fixed level, not of its year-to-year shocks, so parallel trends hold.

A citizen's answer to element ``e`` of unit ``u`` in year ``t`` is an ordered
probit::

    latent = 0.6 + α_u + 0.03 (t − first) + ε_ut + δ_e + ikm·ramp + r_i + z_ie
    answer = 1 + #{c ∈ (−1.7, −0.8, 1.4) : latent > c}

with ``r_i ~ N(0, 0.6²)`` (a respondent's general mood) and ``z ~ N(0, 1)``.
``ramp`` is 0 before adoption, ½ in the adoption year and 1 after.  The
expected IKM of a unit-year is ``25 · mean_e [1 + Σ_c Φ((μ_ut + δ_e − c)/√(1 + 0.36))]``
and the planted effect is its difference with and without the ramp term.
Respondents per unit-year: 150-200 at the hospital, 80-140 at a puskesmas,
50-90 at a kantor camat, 60-120 at a dinas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import ndtr

from mutu.synthetic.config import WorldConfig
from mutu.synthetic.responses import Batch, ordinal
from mutu.synthetic.util import day, days_to_datetime

BASE = 0.6
CUTS = (-1.7, -0.8, 1.4)
ELEMENT_SHIFT = np.array([0.1, 0.0, -0.25, 0.45, 0.05, 0.05, 0.15, -0.2, -0.35])
KIND_SHIFT = {"puskesmas": -0.05, "rumah_sakit": -0.1, "kecamatan": 0.05, "skpk": 0.0}
RESPONDENTS = {"rumah_sakit": (150, 200), "puskesmas": (80, 140), "kecamatan": (50, 90)}
DEFAULT_RESPONDENTS = (60, 120)


@dataclass(slots=True)
class Adoption:
    """Service units, their latent level and adoption year (0 = never)."""

    table: pd.DataFrame

    def years(self) -> dict[str, int]:
        """Unit code → adoption year (0 = never)."""
        return dict(zip(self.table["unit"], self.table["adoption_year"].astype(int), strict=True))


def plan_adoption(
    config: WorldConfig, units: pd.DataFrame, kecamatan: pd.DataFrame, rng: np.random.Generator
) -> Adoption:
    """Latent levels and staggered adoption years of the service units."""
    s = config.selection
    su = units[units["service_unit"]].reset_index(drop=True)
    dist = kecamatan.set_index("code").loc[su["kecamatan"], "distance_km"].to_numpy()
    kind = su["kind"].map(KIND_SHIFT).fillna(0.0).to_numpy()
    alpha = kind + s.skm_unit_sd * rng.standard_normal(len(su))
    score = s.adopt_level * alpha / s.skm_unit_sd + s.adopt_distance10 * dist / 10.0
    score = score + rng.logistic(size=len(su))
    post_years = list(range(config.first_year + 1, config.last_year + 1))
    order = np.lexsort((np.arange(len(su)), -score))
    share_never = 0.25
    n_adopt = round(len(su) * (1 - share_never))
    adoption = np.zeros(len(su), dtype=np.int64)
    for k, i in enumerate(order[:n_adopt]):
        adoption[i] = post_years[min(k * len(post_years) // n_adopt, len(post_years) - 1)]
    table = pd.DataFrame(
        {
            "unit": su["code"].to_numpy(),
            "kind": su["kind"].to_numpy(),
            "distance_km": dist,
            "alpha": alpha,
            "adoption_year": adoption,
        }
    )
    return Adoption(table)


def expected_ikm(
    mu: npt.NDArray[np.float64], sd_respondent: float, conversion: float
) -> npt.NDArray[np.float64]:
    """Expected IKM (25-100) of unit-years with latent location ``mu``.

    ``conversion`` is the skm rulebook's factor (25); the nine elements weigh 1/9 each.
    """
    scale = np.sqrt(1.0 + sd_respondent**2)
    m = mu[:, None] + ELEMENT_SHIFT[None, :]
    e = np.ones_like(m)
    for c in CUTS:
        e = e + ndtr((m - c) / scale)
    return np.asarray(conversion * e.mean(axis=1), dtype=np.float64)


@dataclass(slots=True)
class Skm:
    """The SKM response batch, the per-element results and the unit-year latent table."""

    batch: Batch
    results: pd.DataFrame
    #: Internal: one row per unit-year with expected and observed IKM.
    table: pd.DataFrame


def skm_survey(
    config: WorldConfig,
    adoption: Adoption,
    element_codes: list[str],
    conversion: float,
    rng: np.random.Generator,
) -> Skm:
    """Citizen responses at every service unit in every year, and the per-element results."""
    s = config.selection
    a = adoption.table
    years = np.array(config.year_list)
    uy = pd.DataFrame(
        {
            "unit": np.repeat(a["unit"].to_numpy(), len(years)),
            "kind": np.repeat(a["kind"].to_numpy(), len(years)),
            "year": np.tile(years, len(a)),
            "alpha": np.repeat(a["alpha"].to_numpy(), len(years)),
            "adoption_year": np.repeat(a["adoption_year"].to_numpy(), len(years)),
        }
    )
    n_uy = len(uy)
    shock = s.skm_shock_sd * rng.standard_normal(n_uy)
    mu = BASE + uy["alpha"].to_numpy() + s.skm_trend * (uy["year"].to_numpy() - config.first_year)
    mu = mu + shock
    g = uy["adoption_year"].to_numpy()
    yr = uy["year"].to_numpy()
    ramp = np.where((g > 0) & (yr > g), 1.0, np.where((g > 0) & (yr == g), 0.5, 0.0))
    tau = config.effects.ikm * ramp
    lo = np.array([RESPONDENTS.get(k, DEFAULT_RESPONDENTS)[0] for k in uy["kind"]])
    hi = np.array([RESPONDENTS.get(k, DEFAULT_RESPONDENTS)[1] for k in uy["kind"]])
    count = lo + np.floor(rng.random(n_uy) * (hi - lo + 1)).astype(np.int64)
    rep = np.repeat(np.arange(n_uy), count)
    n = len(rep)
    r = s.skm_respondent_sd * rng.standard_normal(n)
    z = rng.standard_normal((n, len(ELEMENT_SHIFT)))
    latent = (mu + tau)[rep, None] + ELEMENT_SHIFT[None, :] + r[:, None] + z
    values = ordinal(latent, CUTS)
    survey_day = rng.integers(0, 91, n)
    minute = rng.integers(8 * 60, 15 * 60 + 30, n)
    at = day(yr[rep], 9, 1) + survey_day
    submitted = at.astype("datetime64[m]") + minute.astype("timedelta64[m]")
    responses = pd.DataFrame(
        {
            "instrument": "SKM",
            "version": 1,
            "activity": None,
            "unit": uy["unit"].to_numpy()[rep],
            "submitted_at": submitted.astype("datetime64[ms]"),
            "respondent_role": "citizen",
            "occasion": None,
            "subject_nip": None,
            "respondent_nip": None,
        }
    )
    k = len(element_codes)
    answers = pd.DataFrame(
        {
            "row": np.repeat(np.arange(n), k),
            "item": np.tile(np.asarray(element_codes, dtype=object), n),
            "value": values.reshape(-1).astype(float),
            "option": None,
            "text": None,
        }
    )
    # Per-element mean score (NRR) per unit-year: the indicators.SkmResult rows.
    sums = np.zeros((n_uy, k))
    np.add.at(sums, rep, values)
    nrr = sums / count[:, None]
    results = pd.DataFrame(
        {
            "unit": np.repeat(uy["unit"].to_numpy(), k),
            "period_start": days_to_datetime(np.repeat(day(yr, 1, 1), k)),
            "period_end": days_to_datetime(np.repeat(day(yr, 12, 31), k)),
            "element": np.tile(np.asarray(element_codes, dtype=object), n_uy),
            "nrr": np.round(nrr.reshape(-1), 4),
            "respondent_count": np.repeat(count, k).astype(np.int64),
        }
    )
    table = uy.assign(
        respondents=count,
        ikm_observed=conversion * nrr.mean(axis=1),
        ikm_expected=expected_ikm(mu + tau, s.skm_respondent_sd, conversion),
        ikm_expected_untreated=expected_ikm(mu, s.skm_respondent_sd, conversion),
        adopted=(g > 0) & (yr >= g),
    )
    return Skm(Batch(responses, answers), results, table)
