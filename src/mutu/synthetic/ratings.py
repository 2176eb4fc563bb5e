"""Level 3: supervisors rate work behaviour and work-plan quality, before and after.

Every year, each work-plan writer (positions flagged ``workplan``, in service
before the window, with an SKP history) is rated by their supervisor twice on
the PENILAIAN-ATASAN instrument: in March ("before", ahead of the year's
good-governance classes) and later in the year ("after"): 60-90 days after
the end of their class for those who complete the good-governance training
(TKPB) that year, on a date drawn from the same range for everyone else.

Work-plan quality items K1-K4 (1-5) are a normal-noise ordinal cut (cuts 1.5,
2.5, 3.5, 4.5; item noise sd 0.55) of::

    m = 3.0 + 0.40·skp_z + 0.05·(age − 40)/10 + 0.06·(rank − 10)
        − 0.06·km/10 + v_skpk + u_person + leniency_supervisor
        + 0.05·(year − first year) + item offset + workplan·trained

``skp_z`` is the standardised mean SKP score before the window — an *observed*
covariate, the same one the nomination model uses — so selection into the
training is on observables and regression on them recovers the effect.  The
effect persists in later ratings.  The expected item score given ``m`` is
``1 + Σ_c Φ((m − c)/0.55)``; the planted effect of a trained person-year is the
difference of the expected K-score with and without the effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import ndtr

from mutu.synthetic.config import WorldConfig
from mutu.synthetic.instruments import BEHAVIOUR_ITEMS, WORKPLAN_ITEMS
from mutu.synthetic.responses import Batch, likert_answers, ordinal
from mutu.synthetic.util import dates, day

CUTS = (1.5, 2.5, 3.5, 4.5)


def expected_item(m: npt.NDArray[np.float64], sd: float) -> npt.NDArray[np.float64]:
    """Expected value of a 1-5 item whose latent is N(m, sd²) cut at 1.5 … 4.5."""
    out = np.ones_like(m, dtype=np.float64)
    for c in CUTS:
        out = out + ndtr((m - c) / sd)
    return np.asarray(out, dtype=np.float64)


@dataclass(slots=True)
class Ratings:
    """Supervisor-rating response batches and the per person-year latent table."""

    batches: list[Batch]
    #: Internal: one row per rated person-year with latent and observed scores.
    table: pd.DataFrame


def supervisor_ratings(
    config: WorldConfig,
    people: pd.DataFrame,
    skp_z: npt.NDArray[np.float64],
    enrol: pd.DataFrame,
    rng: np.random.Generator,
) -> Ratings:
    """Before/after ratings of every work-plan writer in every year."""
    s = config.selection
    n_people = len(people)
    y0 = config.first_year
    eligible = (
        people["workplan"].to_numpy(dtype=bool)
        & ~np.isnan(skp_z)
        & (dates(people["tmt"]) < day(y0, 1, 1))
        & people["supervisor"].notna().to_numpy()
    )
    idx = np.flatnonzero(eligible)
    skpk = people["skpk"].to_numpy()
    skpk_codes = np.asarray(sorted(set(skpk.tolist())), dtype=object)
    v_unit = pd.Series(s.wp_sd_unit * rng.standard_normal(len(skpk_codes)), index=skpk_codes)
    u_person = s.wp_sd_person * rng.standard_normal(n_people)
    behaviour_person = 0.3 * rng.standard_normal(n_people)
    sup = people["supervisor"].to_numpy()
    sups = np.asarray(sorted({x for x in sup.tolist() if isinstance(x, str)}), dtype=object)
    leniency = pd.Series(0.05 * rng.standard_normal(len(sups)), index=sups)

    gg = enrol[(enrol["line"] == "TKPB") & enrol["completed"]]
    trained_year = pd.Series(gg["year"].to_numpy(), index=gg["person"].to_numpy())
    trained_end = pd.Series(dates(gg["end"]), index=gg["person"].to_numpy())
    trained_act = pd.Series(gg["activity"].to_numpy(), index=gg["person"].to_numpy())
    ty = trained_year.reindex(np.arange(n_people)).to_numpy(dtype=float)

    rows = []
    for year in config.year_list:
        rows.append(pd.DataFrame({"person": idx, "year": year}))
    t = pd.concat(rows, ignore_index=True)
    n = len(t)
    pi = t["person"].to_numpy()
    yr = t["year"].to_numpy()
    birth = dates(people["birth"])[pi]
    age10 = (day(yr, 7, 1) - birth).astype(np.int64) / 3652.5 - 4.0
    rank = people["rank"].to_numpy(dtype=float)[pi]
    dist10 = people["distance_km"].to_numpy()[pi] / 10.0
    base = (
        s.wp_intercept
        + s.wp_skp * skp_z[pi]
        + s.wp_age10 * age10
        + s.wp_rank * (rank - 10)
        + s.wp_distance10 * dist10
        + v_unit.reindex(skpk[pi]).to_numpy()
        + u_person[pi]
        + leniency.reindex(sup[pi]).to_numpy()
        + 0.05 * (yr - y0)
    )
    this_year = ty[pi] == yr
    before_trained = ty[pi] < yr
    k_shift = np.array([x for *_, x in WORKPLAN_ITEMS])
    p_shift = np.array([x for *_, x in BEHAVIOUR_ITEMS])
    eff_wp = config.effects.workplan
    eff_b = config.effects.behaviour
    behaviour = (
        3.4
        + 0.25 * people["ability"].to_numpy()[pi]
        + behaviour_person[pi]
        + leniency.reindex(sup[pi]).to_numpy()
    )

    # Dates: before in March; after 60-90 days after the class, or a date in that range.
    before_at = day(yr, 3, 1) + rng.integers(0, 28, n)
    end = trained_end.reindex(pi).to_numpy().astype("datetime64[D]")
    after_other = day(yr, 7, 31) + rng.integers(0, 122, n)
    after_at = np.where(this_year, end + rng.integers(60, 91, n), after_other)
    minutes = rng.integers(8 * 60, 15 * 60, (n, 2)).astype("timedelta64[m]")
    submitted = rng.random((n, 2)) < 0.96
    noise_k = rng.standard_normal((n, 2, len(k_shift)))
    noise_p = rng.standard_normal((n, 2, len(p_shift)))
    activity = trained_act.reindex(pi).to_numpy(dtype=object)
    activity[~this_year] = None

    batches = []
    scores: dict[str, npt.NDArray[np.float64]] = {}
    for j, when in enumerate(("before", "after")):
        treated = before_trained | (this_year & (when == "after"))
        m = base[:, None] + k_shift[None, :] + eff_wp * treated[:, None]
        b = behaviour[:, None] + p_shift[None, :] + eff_b * treated[:, None]
        k_val = ordinal(m + s.wp_sd_item * noise_k[:, j, :], CUTS)
        p_val = ordinal(b + s.wp_sd_item * noise_p[:, j, :], CUTS)
        r = np.flatnonzero(submitted[:, j])
        at = (before_at if when == "before" else after_at)[r] + minutes[r, j]
        responses = pd.DataFrame(
            {
                "instrument": "PENILAIAN-ATASAN",
                "version": 1,
                "activity": activity[r],
                "unit": None,
                "submitted_at": at.astype("datetime64[ms]"),
                "respondent_role": "supervisor",
                "occasion": when,
                "subject_nip": people["nip"].to_numpy()[pi[r]],
                "respondent_nip": sup[pi[r]],
            }
        )
        codes = [c for c, *_ in BEHAVIOUR_ITEMS] + [c for c, *_ in WORKPLAN_ITEMS]
        values = np.concatenate([p_val[r], k_val[r]], axis=1)
        batches.append(Batch(responses, likert_answers(np.arange(len(r)), codes, values)))
        observed = np.full(n, np.nan)
        observed[r] = k_val[r].mean(axis=1)
        scores[when] = observed
        if when == "after":
            m0 = base[:, None] + k_shift[None, :] + eff_wp * before_trained[:, None]
            e1 = expected_item(m0 + eff_wp * this_year[:, None], s.wp_sd_item).mean(axis=1)
            e0 = expected_item(m0, s.wp_sd_item).mean(axis=1)
            scores["effect"] = e1 - e0
    table = pd.DataFrame(
        {
            "person": pi,
            "nip": people["nip"].to_numpy()[pi],
            "year": yr,
            "trained_this_year": this_year,
            "trained_before": before_trained,
            "before": scores["before"],
            "after": scores["after"],
            "effect": scores["effect"],
            "skp_z": skp_z[pi],
            "age10": age10,
            "rank": rank,
            "distance_km": people["distance_km"].to_numpy()[pi],
            "skpk": skpk[pi],
        }
    )
    return Ratings(batches, table)
