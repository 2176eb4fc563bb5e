"""The planted truth: the five estimands, their naive comparisons, and the design.

Each estimand is the mean (or, for the internship, the difference of medians)
of individual or unit-year potential-outcome differences over its stated
population in the generated world, computed from the latent quantities the
generator drew.  Setting an effect to zero makes both potential outcomes the
same numbers, so every estimand of the ``null`` scenario is exactly 0.0.

The naive value of each is the plain observed comparison an analyst without
a method would make; the design section records what a proper method must
correct for.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from mutu.rulebooks import Rulebook
from mutu.synthetic.config import (
    GENERATOR_VERSION,
    PPPK_GOLONGAN_BY_EDUCATION,
    REGULAR_CAP_BY_EDUCATION,
    YEARS_PER_GOLONGAN_STEP,
    WorldConfig,
)
from mutu.synthetic.program import LINES

ESTIMANDS = (
    "learning_gain",
    "workplan_quality_att",
    "ikm_att",
    "incentive_attendance_effect",
    "magang_months_to_proficiency_diff",
)


def _mean(x: pd.Series | np.ndarray) -> float:
    arr = np.asarray(x, dtype=float)
    return float(arr.mean()) if arr.size else math.nan


def _median(x: pd.Series | np.ndarray) -> float:
    arr = np.asarray(x, dtype=float)
    return float(np.median(arr)) if arr.size else math.nan


def build_truth(
    config: WorldConfig,
    *,
    learn: pd.DataFrame,
    rate: pd.DataFrame,
    skm: pd.DataFrame,
    enrol: pd.DataFrame,
    magang: pd.DataFrame,
    adoption: pd.DataFrame,
    budget: list[dict[str, Any]],
    books: dict[str, Rulebook],
) -> dict[str, Any]:
    """The content of ``truth.json``."""
    last = config.last_year
    est: dict[str, dict[str, Any]] = {}

    ly = learn[learn["year"] == last]
    both = ly[ly["pre"].notna() & ly["post"].notna()]
    est["learning_gain"] = {
        "value": _mean(both["expected_post"] - both["expected_pre"]),
        "naive": _mean(ly["post"].dropna()) - _mean(ly["pre"].dropna()),
        "population": f"participants of the tested trainings (PMPP, TKPB) of {last} with "
        f"both a pre- and a post-test (n = {len(both)})",
        "definition": "mean over the population of the expected post-test score minus the "
        "expected pre-test score, from each participant's latent knowledge before and after",
        "naive_definition": "mean of all post-test scores minus mean of all pre-test scores "
        f"of {last} (unpaired, dropouts included in the pre-test mean)",
        "unit": "points on the 0-100 test scale",
        "n": len(both),
    }

    trained = rate[rate["trained_this_year"] & rate["after"].notna()]
    never = rate[~rate["trained_this_year"] & ~rate["trained_before"] & rate["after"].notna()]
    est["workplan_quality_att"] = {
        "value": _mean(trained["effect"]),
        "naive": _mean(trained["after"]) - _mean(never["after"]),
        "population": "work-plan writers who completed the good-governance training (TKPB), "
        f"in the year they completed it, with an after-rating (n = {len(trained)} person-years)",
        "definition": "mean over the population of the expected work-plan quality score "
        "(mean of K1-K4, 1-5) 60-90 days after training minus the same expectation without "
        "the training",
        "naive_definition": "mean after-rating of the trained minus mean after-rating of "
        "writers not (yet) trained, pooled over years",
        "unit": "points on the 1-5 work-plan quality scale",
        "n": len(trained),
    }

    adopted = skm[skm["adopted"]]
    est["ikm_att"] = {
        "value": _mean(adopted["ikm_expected"] - adopted["ikm_expected_untreated"]),
        "naive": _mean(skm.loc[skm["adopted"], "ikm_observed"])
        - _mean(skm.loc[~skm["adopted"], "ikm_observed"]),
        "population": "unit-years of service units from the year they adopted the program "
        f"(n = {len(adopted)} unit-years)",
        "definition": "mean over the population of the expected IKM with adoption minus the "
        "expected IKM without it, exact from the SKM response model",
        "naive_definition": "mean observed IKM of adopted unit-years minus mean observed IKM "
        "of all other unit-years",
        "unit": "IKM points (25-100)",
        "n": len(adopted),
    }

    offered = enrol[enrol["offered"]]
    eligible = enrol[enrol["offer_eligible"]]
    est["incentive_attendance_effect"] = {
        "value": 100.0 * _mean(offered["p1"] - offered["p0"]),
        "naive": 100.0
        * (
            _mean(eligible.loc[eligible["offered"], "show"])
            - _mean(eligible.loc[~eligible["offered"], "show"])
        ),
        "population": f"nominations that received an incentive offer (n = {len(offered)})",
        "definition": "mean over the population of P(attend | offer) − P(attend | no offer), "
        "attend = present at the first session, from the attendance model",
        "naive_definition": "attendance rate of offered minus not offered nominations in the "
        "lines and years where offers were made",
        "unit": "percentage points",
        "n": len(offered),
    }

    treated = magang[magang["magang"]]
    seen = magang[magang["observed"]]
    est["magang_months_to_proficiency_diff"] = {
        "value": _median(treated["t1"]) - _median(treated["t0"]),
        "naive": _median(seen.loc[seen["magang"], "months"])
        - _median(seen.loc[~seen["magang"], "months"]),
        "population": "young ASN who completed the internship with Universitas Gunung Leuser "
        f"(n = {len(treated)})",
        "definition": "median over the population of months from appointment to the "
        "position's technical competency standard with the internship, minus the median "
        "without it (continuous latent months, same draws)",
        "naive_definition": "median observed months of interns who reached the standard "
        "minus that of other young ASN who reached it, ignoring censoring and selection",
        "unit": "months (negative = faster)",
        "n": len(treated),
    }
    for name in ESTIMANDS:
        e = est[name]
        e["bias_of_naive"] = e["naive"] - e["value"]

    design = config.design()
    design.update(
        {
            "adoption_years": {
                str(u): (int(y) if y > 0 else None)
                for u, y in zip(adoption["unit"], adoption["adoption_year"], strict=True)
            },
            "unit_levels": {
                str(u): float(a) for u, a in zip(adoption["unit"], adoption["alpha"], strict=True)
            },
            "budget": budget,
            "lines": [
                {
                    "code": line.code,
                    "program": line.program,
                    "form": line.form,
                    "classes_per_year": line.classes,
                    "capacity": line.capacity,
                    "attendance_intercept": line.intercept,
                    "offers": line.offers,
                }
                for line in LINES
            ],
            "rules": {
                "golongan": "PNS: entry rank of the education (golongan rulebook) <= rank <= "
                f"entry rank + floor(years of service / {YEARS_PER_GOLONGAN_STEP}), years of "
                f"service from TMT CPNS to {config.as_of.isoformat()}",
                "regular_caps_pelaksana": REGULAR_CAP_BY_EDUCATION,
                "pppk_golongan": PPPK_GOLONGAN_BY_EDUCATION,
                "attend": "present at the first session of the activity",
                "completion": "present at >= 80% of the sessions",
                "as_of": config.as_of.isoformat(),
            },
            "rulebooks": {name: book.label for name, book in sorted(books.items())},
        }
    )
    return {
        "generator_version": GENERATOR_VERSION,
        "seed": config.seed,
        "scenario": config.scenario,
        "scale": asdict(config.scale),
        "years": list(config.years),
        "synthetic": "Synthetic demo data. Never present it as data of Kabupaten Aceh Tenggara.",
        "estimands": est,
        "design": design,
    }
