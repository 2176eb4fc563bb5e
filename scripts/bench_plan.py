"""Time the yearly plan of the kabupaten world (target: under 30 s on the 2-core machine).

Usage: ``.venv/bin/python scripts/bench_plan.py [--budget RUPIAH] [--seed 11]``.
Generates the world (seed 11, baseline), evaluates it (for the effectiveness
weights; not timed), then times the needs analysis, the catalogue and the
programme's construction, the plan at the given budget alone (``auto``: LP
rounding, then HiGHS branch and cut) and the plan with its coverage curve
(what ``mutu plan`` computes, without reading the database), and the
participation analysis.
"""

from __future__ import annotations

import argparse
import time

from mutu.evaluation.pipeline import evaluate
from mutu.planning.budget import build_problem, plan_with_curve, solve_plan
from mutu.planning.catalogue import activity_catalogue
from mutu.planning.needs import needs_analysis
from mutu.planning.participation import participation_analysis
from mutu.planning.weights import effectiveness_weights
from mutu.synthetic import generate_world, stored_view


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--budget", type=float, default=2_390_090_000.0)
    parser.add_argument("--fairness-floor", type=float, default=0.02)
    parser.add_argument("--time-limit", type=float, default=12.0)
    args = parser.parse_args()
    world = generate_world(seed=args.seed, scale="kabupaten", scenario="baseline")
    frames = stored_view(world.frames)
    evaluation = evaluate(frames).to_json()
    year = max(evaluation["data"]["years"]) + 1
    t0 = time.perf_counter()
    needs = needs_analysis(frames, year=year)
    types = activity_catalogue(frames, year=needs.year)
    weights, warnings = effectiveness_weights(evaluation, types)
    problem = build_problem(needs, types, weights, frames)
    t1 = time.perf_counter()
    plan = solve_plan(
        problem,
        args.budget,
        fairness_floor=args.fairness_floor,
        time_limit=args.time_limit,
        mip_rel_gap=2e-3,
        method="auto",
    )
    t2 = time.perf_counter()
    full = plan_with_curve(
        problem,
        args.budget,
        fairness_floor=args.fairness_floor,
        time_limit=args.time_limit,
        warnings=warnings,
    )
    t3 = time.perf_counter()
    part = participation_analysis(frames, evaluation, year=year)
    t4 = time.perf_counter()
    print(f"pairs {len(problem.pairs)}, persons {len(problem.persons)}, types {len(types)}")
    print(f"needs + catalogue + programme: {t1 - t0:.1f} s")
    print(
        f"plan at the budget: {t2 - t1:.1f} s ({plan.status}, objective {plan.objective:.1f}, "
        f"bound {plan.bound:.1f}, gap {100 * (plan.mip_gap or 0):.2f}%)"
    )
    print(
        f"plan with the coverage curve: {t3 - t2:.1f} s; total with needs {t3 - t2 + t1 - t0:.1f} s"
    )
    for point in full.coverage_curve:
        gap = point["mip_gap"]
        print(
            f"  {point['share']:>4}: objective {point['objective']:.1f}, "
            f"bound {point['bound']:.1f}, "
            f"gap {100 * (gap or 0):.2f}% ({point['method']}, {point['status']}, "
            f"{point['solve_seconds']:.1f} s)"
        )
    print(f"participation (funnel, model, validation, 2000 draws): {t4 - t3:.1f} s")
    print(part.summary("en"))


if __name__ == "__main__":
    main()
