#!/usr/bin/env python3
"""Measure how fast the dashboard pages answer on the demo database.

Usage::

    .venv/bin/python scripts/bench_web.py [-n 50] [--user demo-admin] [--lang id]

Signs in as the demo administrator with Django's test client (the whole
request cycle: middleware, scope, selectors, templates; no network), then asks
for the regency dashboard, a unit page, an activity page and a person page
``-n`` times each and prints the median (p50) and the 95th percentile (p95) in
milliseconds. The first request of each page is reported on its own: it reads
the stored evaluation (once per process) and draws the charts (kept in memory
afterwards). The unit, activity and person are the demo unit head's unit, the
demo trainer's activity and the demo participant, unless given.

Uses the database of the settings (``.mutu/mutu.sqlite3``, or ``DATABASE_URL``),
which must hold the demo (``make demo``). Target: dashboard p95 under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), linear between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="requests per page (default 50)")
    parser.add_argument("--user", default="demo-admin")
    parser.add_argument("--password", default="demo-mutu-2026")
    parser.add_argument("--lang", default="id", choices=["id", "en"])
    parser.add_argument("--unit", default="", help="unit code (default: the demo head's unit)")
    parser.add_argument("--activity", default="", help="activity code (default: the trainer's)")
    parser.add_argument("--person", type=int, default=0, help="employee id (default: peserta)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.config.settings")
    import django

    django.setup()
    from django.test import Client

    from mutu.accounts.models import Role, RoleAssignment
    from mutu.people.models import Employee

    def demo(role: str) -> RoleAssignment | None:
        return (
            RoleAssignment.objects.filter(role=role, is_demo=True)
            .select_related("unit", "activity", "employee")
            .first()
        )

    head, trainer, participant = demo(Role.UNIT_HEAD), demo(Role.TRAINER), demo(Role.PARTICIPANT)
    unit = args.unit or (head.unit.code if head and head.unit else "")
    activity = args.activity or (trainer.activity.code if trainer and trainer.activity else "")
    person = args.person or (participant.employee_id if participant else 0)
    if not (unit and activity and person):
        print(
            "Belum ada demo di basis data ini / No demo in this database: run `make demo` "
            "first, or name --unit, --activity and --person.",
            file=sys.stderr,
        )
        return 2
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE=args.lang)
    if not client.login(username=args.user, password=args.password):
        print(f"Cannot sign in as {args.user}.", file=sys.stderr)
        return 2
    pages = [
        ("regency dashboard", "/dasbor/"),
        (f"unit {unit}", f"/dasbor/unit/{unit}/"),
        (f"activity {activity}", f"/dasbor/kegiatan/{activity}/"),
        (f"person {person}", f"/dasbor/pegawai/{person}/"),
    ]
    employees = Employee.objects.count()
    print(f"{employees:,} employees; {args.n} requests per page as {args.user} ({args.lang})")
    print(f"{'page':<28} {'first':>8} {'p50':>8} {'p95':>8} {'max':>8} {'KiB':>6}")
    worst_p95 = 0.0
    for label, url in pages:
        t = time.perf_counter()
        response = client.get(url)
        first = (time.perf_counter() - t) * 1000
        if response.status_code != 200:
            print(f"{label}: HTTP {response.status_code} for {url}", file=sys.stderr)
            return 1
        times = []
        for _ in range(args.n):
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, url
        p95 = percentile(times, 95)
        if url == "/dasbor/":
            worst_p95 = p95
        print(
            f"{label:<28} {first:>8.0f} {statistics.median(times):>8.1f} {p95:>8.1f} "
            f"{max(times):>8.1f} {len(response.content) / 1024:>6.0f}"
        )
    verdict = "meets" if worst_p95 < 300 else "MISSES"
    print(f"dashboard p95 {worst_p95:.0f} ms: {verdict} the 300 ms target (ms; first = cold)")
    return 0 if worst_p95 < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
