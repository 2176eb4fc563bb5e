"""A small hand-made evaluation results dict, shaped like ``evaluate(frames).to_json()``.

It has every part the report reads (estimands; sections l1_reaction …
magang with their tables; indices; plan; rulebooks; data), a group below the
privacy minimum, a part the data cannot answer (benefits not monetised, so no
ROI; no JP distribution), and a ``null`` twin whose effects are all
indistinguishable from zero. The real shape is checked against the synthetic
world in ``test_world.py``.
"""

from __future__ import annotations

import copy
from typing import Any


def _estimand(
    estimate: float,
    se: float,
    p: float,
    p_adj: float,
    *,
    unit: str,
    n: int,
    naive: float,
    **details: Any,
) -> dict[str, Any]:
    return {
        "estimate": estimate,
        "se": se,
        "ci_low": round(estimate - 1.96 * se, 4),
        "ci_high": round(estimate + 1.96 * se, 4),
        "method": "hand-made",
        "n": n,
        "p_value": p,
        "p_adjusted": p_adj,
        "significant": p_adj <= 0.05,
        "naive": naive,
        "bias_removed": naive - estimate,
        "naive_definition": "unadjusted",
        "population": "",
        "unit": unit,
        "confidence": 0.95,
        "status": "ok",
        "details": details,
    }


def _activity_gain(code: str, n: int, pre: float, gain: float, se: float, p_holm: float) -> dict:
    return {
        "activity": code,
        "program": code.split("-")[0],
        "n": n,
        "mean_pre": pre,
        "mean_post": pre + gain,
        "mean_diff": gain,
        "ci_low": round(gain - 2 * se, 4),
        "ci_high": round(gain + 2 * se, 4),
        "d_z": round(gain / (se * n**0.5), 4),
        "p_holm": p_holm,
        "significant_holm": p_holm <= 0.05,
        "too_few": n < 10,
    }


def baseline_results() -> dict[str, Any]:
    """A baseline-like world: clear learning, IKM and incentive effects, an unclear magang."""
    years = [2023, 2024, 2025, 2026]
    units = ["PKM-BADAR", "DUKCAPIL", "RSUD", "KEC-LEUSER"]
    panel = [
        {
            "unit": unit,
            "year": year,
            "ikm": 74.0 + u + 1.1 * t,
            "respondents": 3.0 if unit == "KEC-LEUSER" and year == 2023 else 60.0 + 10 * u,
            "first_treated": 2024.0 if u < 2 else None,
            "adopted": u < 2 and year >= 2024,
        }
        for u, unit in enumerate(units)
        for t, year in enumerate(years)
    ]
    return {
        "estimands": {
            "learning_gain": _estimand(
                12.17,
                0.61,
                1e-30,
                5e-30,
                unit="points (0–100 scale)",
                n=402,
                naive=11.32,
                d_z=1.02,
                normalized_gain=0.27,
            ),
            "workplan_quality_att": _estimand(
                0.341,
                0.072,
                2e-6,
                6e-6,
                unit="points (1–5 scale)",
                n=118,
                naive=0.561,
                n_control=792,
            ),
            "ikm_att": _estimand(
                2.49,
                0.71,
                4e-4,
                8e-4,
                unit="IKM points",
                n=57,
                naive=-0.07,
                pretrend_p=0.62,
            ),
            "incentive_attendance_effect": _estimand(
                14.56,
                3.1,
                2.6e-6,
                1.0e-5,
                unit="percentage points",
                n=973,
                naive=3.96,
            ),
            "magang_months_to_proficiency_diff": _estimand(
                -2.1,
                1.9,
                0.27,
                0.27,
                unit="months",
                n=38,
                naive=-6.0,
            ),
        },
        "sections": {
            "l1_reaction": {
                "status": "ok",
                "year": 2026,
                "n_respondents": 299,
                "scale_mean": 3.95,
                "scale_ci_low": 3.89,
                "scale_ci_high": 4.0,
                "top_box_pct": 72.97,
                "alpha": 0.71,
                "notes": [],
                "tables": {
                    "per_activity": [
                        {
                            "activity": "PMPP-2026-01",
                            "n_respondents": 28,
                            "scale_mean": 4.02,
                            "ci_low": 3.81,
                            "ci_high": 4.23,
                            "top_box_pct": 76.0,
                            "too_few": False,
                        },
                        {
                            "activity": "TKPB-2026-01",
                            "n_respondents": 25,
                            "scale_mean": 3.88,
                            "ci_low": 3.64,
                            "ci_high": 4.12,
                            "top_box_pct": 70.5,
                            "too_few": False,
                        },
                        {
                            "activity": "NGOYAN-2026-01",
                            "n_respondents": 3,
                            "scale_mean": 4.6,
                            "ci_low": 3.9,
                            "ci_high": 5.0,
                            "top_box_pct": 93.0,
                            "too_few": True,
                        },
                    ]
                },
            },
            "l2_learning": {
                "status": "ok",
                "year": 2026,
                "notes": [],
                "tables": {
                    "per_activity": [
                        _activity_gain("PMPP-2026-01", 28, 61.2, 12.9, 2.3, 4e-5),
                        _activity_gain("PMPP-2026-02", 12, 60.1, 4.1, 3.9, 0.31),
                        _activity_gain("TKPB-2026-01", 25, 58.4, 10.2, 2.6, 8e-4),
                        _activity_gain("ELDIG-2026-01", 4, 55.0, 9.0, 5.0, 0.4),
                    ],
                    "per_year": [
                        {
                            "year": y,
                            "n": 100 + y - 2023,
                            "mean_pre": 58.0,
                            "mean_post": 70.4,
                            "mean_diff": 12.4,
                            "ci_low": 9.3,
                            "ci_high": 15.5,
                        }
                        for y in years
                    ],
                },
            },
            "l3_behaviour": {
                "status": "ok",
                "n_treated": 118,
                "n_control": 792,
                "n_dropped": 57,
                "notes": [],
                "tables": {
                    "balance_before": [
                        {"covariate": "before", "smd": 0.64},
                        {"covariate": "skp_prior", "smd": 0.85},
                    ],
                    "balance_after": [
                        {"covariate": "before", "smd": -0.006},
                        {"covariate": "skp_prior", "smd": -0.011},
                    ],
                    "per_year": [
                        {
                            "year": str(y),
                            "size_control": 200,
                            "size_treated": 30,
                            "mean_control": 2.95,
                            "mean_treated": 3.6,
                        }
                        for y in years
                    ],
                },
            },
            "l4_results": {
                "status": "ok",
                "pretrend_p": 0.62,
                "twfe": 1.71,
                "twfe_ci_low": 0.5,
                "twfe_ci_high": 2.92,
                "notes": [],
                "tables": {
                    "ikm_panel": panel,
                    "event_study": [
                        {
                            "event_time": e,
                            "att": att,
                            "se": 0.6,
                            "ci_low": att - 1.2,
                            "ci_high": att + 1.2,
                        }
                        for e, att in ((-2, 0.07), (-1, -0.3), (0, 1.9), (1, 3.1), (2, 3.6))
                    ],
                },
            },
            "l5_roi": {
                "status": "ok",
                "year": 2026,
                "planned": 1763040000.0,
                "spent": 1416205000.0,
                "participant_time": 420725000.0,
                "fully_loaded": 1836930000.0,
                "cost_per_jp": 162359.02,
                "cost_per_learning_point": 217062.53,
                "cost_per_pns_reaching_floor": 9823155.08,
                "cost_per_workplan_point": None,
                "roi_computed": False,
                "notes": [],
                "tables": {
                    "per_year": [
                        {
                            "year": y,
                            "planned": 1763040000.0,
                            "spent": 1.37e9 + 1e7 * t,
                            "participant_time": 4.2e8,
                            "fully_loaded": 1.79e9 + 1e7 * t,
                            "participant_jp": 10792 + 100 * t,
                            "cost_per_jp": 165000.0 - 1000 * t,
                        }
                        for t, y in enumerate(years)
                    ],
                    "roi": [],
                },
            },
            "participation": {
                "status": "ok",
                "n_nominated": 4275,
                "attendance_rate": 0.648,
                "completion_rate": 0.579,
                "attendance_nearest_band": 0.731,
                "attendance_farthest_band": 0.361,
                "notes": ["Two sign-in sheets were entered twice and deduplicated."],
                "tables": {
                    "funnel_by_year": [
                        {
                            "year": y,
                            "nominated": 1069,
                            "registered": 903,
                            "attended": 667 + t,
                            "completed": 599 + t,
                            "attended_rate": (667 + t) / 1069,
                            "completed_rate": (599 + t) / 1069,
                        }
                        for t, y in enumerate(years)
                    ],
                    "funnel_by_program": [
                        {
                            "year": 2026,
                            "program": "PMPP",
                            "nominated": 150,
                            "attended": 104,
                            "completed": 91,
                            "completed_rate": 91 / 150,
                        },
                        {
                            "year": 2026,
                            "program": "MAGANG",
                            "nominated": 11,
                            "attended": 10,
                            "completed": 9,
                            "completed_rate": 9 / 11,
                        },
                    ],
                    "attendance_by_distance": [
                        {"distance_band": "0-5 km", "nominated": 2533, "attendance_rate": 0.731},
                        {"distance_band": "5-10 km", "nominated": 700, "attendance_rate": 0.64},
                        {"distance_band": "10-20 km", "nominated": 600, "attendance_rate": 0.57},
                        {"distance_band": "20-40 km", "nominated": 438, "attendance_rate": 0.5},
                        {"distance_band": ">60 km", "nominated": 4, "attendance_rate": 0.25},
                    ],
                    "offers_by_scheme": [
                        {
                            "scheme": "INS-PIAGAM",
                            "offers": 314,
                            "accepted": 182,
                            "accepted_rate": 0.58,
                        },
                    ],
                },
            },
            "magang": {
                "status": "ok",
                "n_young": 70,
                "n_interns": 34,
                "median_interns": 15.1,
                "median_others_weighted": 17.2,
                "notes": [],
                "tables": {},
            },
        },
        "indices": {
            "years": years,
            "regency": {
                str(y): {
                    "jp": {
                        "n": 1625,
                        "n_pns": 1141,
                        "pns_compliant": 234,
                        "mean_jp_pns": 11.8,
                        "deficit_jp": 14246.0,
                        "n_pppk": 484,
                        "share_pns_compliant": 234 / 1141,
                    },
                    "skm": {"n": 3400, "ikm": 77.3 + 0.9 * t},
                }
                for t, y in enumerate(years)
            },
            "trends": {
                "regency": {
                    "jp_share_pns_compliant": [
                        {"year": y, "value": 0.25 - 0.01 * t} for t, y in enumerate(years)
                    ]
                }
            },
            "unconfirmed": ["ip_asn.disiplin.points.berat"],
            "fallbacks": [],
            "status": "ok",
        },
        "plan": {"level": 0.05, "min_n": 10, "seed": 20240601, "bootstrap_resamples": 1000},
        "rulebooks": ["costing 2024.1", "jp 2020.1", "skm 2017.1"],
        "variant_notes": {"learning_gain": "paired t-test (hand-made fixture)"},
        "multiple_testing": {"family": [], "method": "holm", "level": 0.05},
        "confidence": 0.95,
        "data": {
            "rows": {"employees": 1625, "units": 128, "activities": 68, "enrollments": 4275},
            "hash": "3f5a0c9d1e2b4a6f8c7d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
            "years": years,
            "year": 2026,
        },
        "data_hash": "3f5a0c9d1e2b4a6f8c7d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
    }


def null_results() -> dict[str, Any]:
    """The same world with every effect indistinguishable from zero."""
    data = copy.deepcopy(baseline_results())
    zero = {
        "learning_gain": (-0.15, 0.6, 0.80, 1.0),
        "workplan_quality_att": (0.01, 0.07, 0.89, 1.0),
        "ikm_att": (-0.3, 0.7, 0.67, 1.0),
        "incentive_attendance_effect": (0.8, 3.0, 0.79, 1.0),
        "magang_months_to_proficiency_diff": (0.0, 1.9, 1.0, 1.0),
    }
    for key, (est, se, p, p_adj) in zero.items():
        data["estimands"][key].update(
            estimate=est,
            se=se,
            p_value=p,
            p_adjusted=p_adj,
            significant=False,
            ci_low=round(est - 1.96 * se, 4),
            ci_high=round(est + 1.96 * se, 4),
        )
    data["estimands"]["learning_gain"]["details"]["d_z"] = -0.01
    for row in data["sections"]["l2_learning"]["tables"]["per_activity"]:
        row.update(
            mean_diff=0.1, ci_low=-1.1, ci_high=1.3, d_z=0.01, p_holm=1.0, significant_holm=False
        )
    return data
