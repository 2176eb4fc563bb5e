#!/usr/bin/env python3
"""Measure generating, writing and loading the synthetic world; print the figures.

Usage::

    .venv/bin/python scripts/bench_world.py [--scale kabupaten] [--seed 11]

Loads into a fresh SQLite file in a temporary MUTU_HOME unless DATABASE_URL is
set (then the database must be empty), so it never touches your data.  Peak
memory is the process's maximum resident set size (``resource.getrusage``).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="kabupaten")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="mutu-bench-"))
    os.environ.setdefault("MUTU_HOME", str(home))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from mutu.console.world_load import world_load
    from mutu.synthetic import generate_world, write_world

    scale: str | int = int(args.scale) if args.scale.isdigit() else args.scale
    stages: list[tuple[str, float, float]] = []
    t = time.perf_counter()
    world = generate_world(seed=args.seed, scale=scale, scenario="baseline")
    stages.append(("generate", time.perf_counter() - t, peak_mib()))
    t = time.perf_counter()
    write_world(world, home / "world")
    stages.append(("write parquet", time.perf_counter() - t, peak_mib()))
    call_command("migrate", interactive=False, verbosity=0)
    t = time.perf_counter()
    report = world_load(directory=home / "world")
    stages.append((f"load ({connection.vendor})", time.perf_counter() - t, peak_mib()))
    rows = sum(len(f) for f in world.frames.values())
    print(
        f"scale {args.scale}, seed {args.seed}: {len(world.frames['employees'])} ASN, "
        f"{rows} rows generated, {report.total_rows} stored"
    )
    print(f"{'stage':<20} {'seconds':>8} {'peak MiB':>9}")
    for name, seconds, mib in stages:
        print(f"{name:<20} {seconds:>8.2f} {mib:>9.0f}")
    print(f"{'total':<20} {sum(s for _, s, _ in stages):>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
