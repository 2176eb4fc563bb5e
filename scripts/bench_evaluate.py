#!/usr/bin/env python3
"""Time ``mutu evaluate`` on a loaded database, stage by stage, with peak memory.

Usage::

    DATABASE_URL=sqlite:////tmp/copy.sqlite3 .venv/bin/python scripts/bench_evaluate.py \\
        [--year 2026] [--repeat 1] [--json bench-evaluate.json] [--results results.json]

Runs exactly what ``mutu evaluate`` runs
(:func:`mutu.evaluations.management.commands.evaluate.evaluate_database`: read
the database into frames, the pipeline's stages L1–L5, participation, magang,
the Holm-corrected estimands, the indices, the goals, the results JSON, the
data fingerprint, storing the run) and times each stage with
``time.perf_counter``; the peak resident memory after each stage comes from
``resource.getrusage`` (``ru_maxrss``). Django start-up (importing the code,
``django.setup()``) is timed as its own stage, ``startup``, and is not part of
``evaluate_seconds``. The process CPU seconds of each stage are printed
beside the wall seconds: on a busy machine they show what the stage itself
cost (NumPy's BLAS threads count twice when they run in parallel). It stores
one evaluation run per repetition in the database it is pointed at: point it
at a copy.

Prints a table and, with ``--json``, writes ``{"stages": [{name, seconds,
cpu_seconds, peak_rss_mib}], "pipeline_stages", "evaluate_seconds",
"evaluate_cpu_seconds", "total_seconds", "peak_rss_mib",
"load_average_1min", "database", "repeat"}`` (with ``--repeat N`` the fastest
of N runs is reported, each stage taken from that run). With ``--expect
FILE`` the results are compared, value by value and exactly, with an earlier
``mutu evaluate --json FILE`` (a speed-up must not change a number; the exit
code is 1 when any value differs). Target (issue 11):
the kabupaten world's full evaluation from the database under 5 seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

#: The pipeline's stages grouped under the names of the issue's table.
GROUPS = {
    "read": "read",
    "normalise": "prepare",
    "activities": "prepare",
    "tables": "prepare",
    "l1": "L1",
    "l2": "L2",
    "l3": "L3",
    "l4": "L4",
    "participation": "participation",
    "magang": "magang",
    "estimands": "estimands",
    "l5": "L5",
    "indices": "indices",
    "goals": "goals",
    "to_json": "store",
    "fingerprint": "store",
    "store": "store",
    "write_json": "store",
}


def differences(expected: Any, got: Any, path: str = "") -> list[str]:
    """Where two results JSON trees differ (exact: same keys, types and values)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(got)):
            if key not in expected or key not in got:
                out.append(f"{path}/{key}: only in one")
            else:
                out += differences(expected[key], got[key], f"{path}/{key}")
        return out
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return [f"{path}: {len(expected)} items, now {len(got)}"]
        out = []
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            out += differences(a, b, f"{path}[{i}]")
        return out
    if type(expected) is not type(got) or expected != got:
        return [f"{path}: {expected!r} → {got!r}"]
    return []


def leaves(tree: Any) -> int:
    """How many values (not dicts or lists) a JSON tree holds."""
    if isinstance(tree, dict):
        return sum(leaves(v) for v in tree.values())
    if isinstance(tree, list):
        return sum(leaves(v) for v in tree)
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="Write the timings here.")
    parser.add_argument("--results", type=Path, default=None, help="Write the results here.")
    parser.add_argument("--detail", action="store_true", help="Print every pipeline stage.")
    parser.add_argument(
        "--expect",
        type=Path,
        default=None,
        help="A results JSON of an earlier `mutu evaluate --json`: every value must be equal.",
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat harus ≥ 1 / --repeat must be at least 1")

    started, started_cpu = time.perf_counter(), time.process_time()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.config.settings")
    import django

    django.setup()
    from django.db import connection

    from mutu.evaluation.pipeline import EvaluationPlan
    from mutu.evaluation.pipeline.timing import Stopwatch, peak_rss_mib
    from mutu.evaluations.management.commands.evaluate import evaluate_database

    startup = time.perf_counter() - started
    startup_cpu = time.process_time() - started_cpu
    startup_rss = peak_rss_mib()

    runs: list[Stopwatch] = []
    results: dict[str, Any] = {}
    for _ in range(args.repeat):
        watch = Stopwatch()
        outcome = evaluate_database(
            year=args.year, plan=EvaluationPlan(), json_path=args.results, stopwatch=watch
        )
        results = json.loads(json.dumps(outcome.results, allow_nan=False))
        runs.append(watch)
    best = min(runs, key=lambda w: w.total_seconds())
    first = runs[0].total_seconds()

    detail = [(s.name, s.seconds, s.cpu_seconds, s.peak_rss_mib) for s in best.stages]
    grouped: dict[str, list[float]] = {}
    for name, seconds, cpu, rss in detail:
        group = GROUPS.get(name, name)
        entry = grouped.setdefault(group, [0.0, 0.0, 0.0])
        entry[0] += seconds
        entry[1] += cpu
        entry[2] = max(entry[2], rss)
    rows = [("startup", startup, startup_cpu, startup_rss)]
    rows += [(n, v[0], v[1], v[2]) for n, v in grouped.items()]
    evaluate_seconds = best.total_seconds()
    load1 = os.getloadavg()[0]

    print(f"database: {connection.vendor}  (load average, 1 min: {load1:.2f})")
    print(f"{'stage':<14} {'seconds':>8} {'CPU s':>7} {'peak MiB':>9}")
    for name, seconds, cpu, rss in rows:
        print(f"{name:<14} {seconds:>8.2f} {cpu:>7.2f} {rss:>9.0f}")
        if args.detail and name in {"prepare", "store"}:
            for sub, sec, sub_cpu, sub_rss in detail:
                if GROUPS.get(sub) == name:
                    print(f"  {sub:<12} {sec:>8.2f} {sub_cpu:>7.2f} {sub_rss:>9.0f}")
    print(
        f"{'evaluate':<14} {evaluate_seconds:>8.2f} {best.total_cpu_seconds():>7.2f} "
        f"{peak_rss_mib():>9.0f}   (target < 5 s)"
    )
    print(f"{'with startup':<14} {evaluate_seconds + startup:>8.2f}")
    if args.repeat > 1:
        every = ", ".join(f"{w.total_seconds():.2f}" for w in runs)
        print(f"first run {first:.2f} s; all runs: {every}")

    mismatches: list[str] | None = None
    if args.expect is not None:
        expected = json.loads(args.expect.read_text(encoding="utf-8"))
        mismatches = differences(expected, results)
        print(
            f"results against {args.expect}: {leaves(expected)} values, {len(mismatches)} different"
        )
        for line in mismatches[:20]:
            print(f"  {line}")

    if args.json is not None:
        payload: dict[str, Any] = {
            "stages": [
                {"name": n, "seconds": s, "cpu_seconds": c, "peak_rss_mib": r}
                for n, s, c, r in rows
            ],
            "pipeline_stages": best.as_dicts(),
            "evaluate_seconds": evaluate_seconds,
            "evaluate_cpu_seconds": best.total_cpu_seconds(),
            "first_run_seconds": first,
            "runs_seconds": [w.total_seconds() for w in runs],
            "total_seconds": evaluate_seconds + startup,
            "peak_rss_mib": peak_rss_mib(),
            "load_average_1min": load1,
            "database": connection.vendor,
            "repeat": args.repeat,
            "expect_differences": None if mismatches is None else len(mismatches),
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
