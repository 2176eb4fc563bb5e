#!/usr/bin/env python3
"""Measure composing and rendering the evaluation report of the synthetic world.

Usage::

    .venv/bin/python scripts/bench_report.py [--scale kabupaten] [--seed 11] [--lang id]

Generates the world, evaluates it (not timed as part of the report), then times
composing the report and rendering each format, in a fresh process so the first
render pays the imports (matplotlib, WeasyPrint) as ``mutu report`` would. The
files go to a temporary directory. Target: all four formats under 15 s for the
kabupaten world.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="kabupaten")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--lang", default="id", choices=["id", "en"])
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.config.settings")
    import django

    django.setup()
    from mutu.evaluation.pipeline import evaluate
    from mutu.reporting import compose_report, report_filename
    from mutu.reporting.renderers import FORMATS
    from mutu.synthetic import generate_world, stored_view

    scale: str | int = int(args.scale) if args.scale.isdigit() else args.scale
    t = time.perf_counter()
    world = generate_world(seed=args.seed, scale=scale, scenario="baseline")
    results = evaluate(stored_view(world.frames)).to_json()
    print(f"world and evaluation (not counted): {time.perf_counter() - t:.1f} s")

    out = Path(tempfile.mkdtemp(prefix="mutu-report-"))
    stages: list[tuple[str, float, int]] = []
    start = t = time.perf_counter()
    report = compose_report(results, lang=args.lang, synthetic=True)
    stages.append(("compose", time.perf_counter() - t, 0))
    for fmt, render in FORMATS.items():
        t = time.perf_counter()
        data = render(report)
        (out / report_filename(report.year, args.lang, fmt)).write_bytes(data)
        stages.append((fmt, time.perf_counter() - t, len(data)))
    total = time.perf_counter() - start
    print(f"{'stage':<10} {'seconds':>8} {'KiB':>8}")
    for name, seconds, size in stages:
        print(f"{name:<10} {seconds:>8.2f} {size / 1024:>8.0f}")
    print(f"{'total':<10} {total:>8.2f}   (files in {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
