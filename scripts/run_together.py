#!/usr/bin/env python3
"""Run several commands at the same time and fail when any of them fails.

Usage::

    python scripts/run_together.py "NAME=COMMAND" ["NAME=COMMAND" ...]

``make test`` uses it to run the SQLite suite and the PostgreSQL database
tests side by side: each is a single-threaded pytest run, so on a two-core
machine the pair takes about as long as the longer one instead of the sum.

Each command's output goes to its own log file (in a temporary directory) so
the two never interleave; a line is printed when a command finishes, and
the whole log of every command is printed at the end, the failed ones last
so their failures are what a reader sees first at the bottom.  The exit code
is 0 only when every command exited 0.  pytest's "no tests ran" (exit code
5) is a failure like any other.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    if not argv or any("=" not in spec for spec in argv):
        print(__doc__, file=sys.stderr)
        return 2
    logs = Path(tempfile.mkdtemp(prefix="mutu-run-"))
    started = time.monotonic()
    running: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}
    for spec in argv:
        name, command = spec.split("=", 1)
        log = logs / f"{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(shlex.split(command), stdout=out, stderr=subprocess.STDOUT)
        running[name] = (proc, log)
        print(f"== {name}: started ({command}); log {log}", flush=True)
    codes: dict[str, int] = {}
    try:
        while len(codes) < len(running):
            for name, (proc, _log) in running.items():
                if name not in codes and proc.poll() is not None:
                    codes[name] = proc.returncode
                    took = time.monotonic() - started
                    verdict = "passed" if proc.returncode == 0 else f"FAILED ({proc.returncode})"
                    print(f"== {name}: {verdict} after {took:.0f} s", flush=True)
            time.sleep(1)
    finally:
        # Interrupted (Ctrl-C, a CI timeout): leave no command running behind us.
        for proc, _log in running.values():
            if proc.poll() is None:
                proc.terminate()
    for name in sorted(running, key=lambda n: codes[n] != 0):
        print(f"\n================ {name} (exit {codes[name]}) ================", flush=True)
        sys.stdout.write(running[name][1].read_text(errors="replace"))
    failed = [name for name, code in codes.items() if code != 0]
    if failed:
        print(f"\n== failed: {', '.join(failed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
