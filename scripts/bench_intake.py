#!/usr/bin/env python3
"""Survey intake throughput: how many personal-link submissions per second the server takes.

Usage::

    .venv/bin/python scripts/bench_intake.py [--clients 50] [--submissions 3000]
        [--workers 3] [--database URL] [--open-each] [--json FILE]

    # on PostgreSQL (a throw-away server, see scripts/with_postgres.py):
    .venv/bin/python scripts/with_postgres.py -- bash -c \\
        '.venv/bin/python scripts/bench_intake.py --database "$DATABASE_URL" --json out.json'

A benchmark, not a test (issue 11, "Web throughput"; target: at least 300 acknowledged
submissions per second at 50 concurrent clients on PostgreSQL, p99 under 250 ms, none
lost). It reuses the fault test's preparation, server and counting
(``scripts/fault_submit.py``), without killing anything:

1. **Prepare** a database (``--database``, default a new SQLite file; a PostgreSQL URL
   must name an empty database) with one open activity, ``--submissions`` participants
   and a non-anonymous three-question reaction survey: one personal link each.
2. **Serve** it with ``mutu serve --production --workers W`` (gunicorn, gthread workers,
   the access log on, exactly as production runs).
3. **Submit** through the page a respondent uses, the personal link form
   ``/isian/<token>/`` (not the REST API, which needs a participant's sign-in token: the
   links are how survey answers come in). ``--clients`` threads each keep one HTTP/1.1
   keep-alive connection (``http.client``), open one of their links once to get the CSRF
   cookie and form field (Django's CSRF token is per browser, not per page, so it is
   valid for every link), wait for all clients to be ready, then submit their links one
   after the other as fast as the server answers. ``--open-each`` also opens (``GET``)
   every link before submitting it, as a person does; the GET is not in the latency.
   A submission is acknowledged by the 302 back to its link (or a 2xx); a refused,
   broken or 5xx answer is retried on a new connection (counted as a retry).
4. **Latency** of a submission: ``time.perf_counter`` from sending its POST to reading
   the acknowledging answer, retries included. Percentiles are nearest-rank.
5. **Count** from the database (stored, lost = acknowledged without a response,
   duplicated, half-written, mismatched) with the fault test's counter.

``seconds`` runs from the moment every client is ready to the last acknowledgement;
``acknowledged_per_second`` = acknowledged / seconds. Also recorded: the CPU seconds
the server's processes (gunicorn master and workers, from ``/proc/<pid>/stat``), a
PostgreSQL server on this machine (its postmaster and backends) and this client process
used in that window, how busy the whole machine was (``/proc/stat``;
it includes the database server and anything else running), and ``/proc/loadavg``
before and after. Prints a table, writes the figures as JSON (``--json``). Exit code 0
when nothing acknowledged was lost, duplicated, half-written or mismatched.

``--in-process N`` measures the cost of one submission instead, without a server or
clients: after the same preparation, one process with Django set up submits N links
through Django's test client (the whole middleware stack and the view; CSRF checks off,
no HTTP parsing, no gunicorn), the first 5 as a warm-up. It reports the SQL statements
of a submission (``django.test.utils.CaptureQueriesContext`` over 20 submissions: the
fewest and the most), and the CPU (``time.process_time``) and wall milliseconds per
submission over the rest; the database server's own CPU (PostgreSQL runs in other
processes) is in the wall time only. ``--profile FILE`` writes a ``cProfile`` of those
submissions, timed in CPU seconds of this process (read it with ``python -m pstats FILE``),
and prints its top functions.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import http.client
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.fault_submit import (  # noqa: E402
    CSRF_FIELD,
    Server,
    _folder,
    _mutu,
    answer_text,
    server_environment,
)

#: The issue's target for PostgreSQL (issue 11, "Targets").
TARGET_PER_SECOND = 300.0
TARGET_P99_MS = 250.0


@dataclasses.dataclass
class BenchFigures:
    """What one benchmark run measured (see the module notes for each figure)."""

    database: str
    workers: int
    clients: int
    open_each: bool
    attempted: int = 0
    acknowledged: int = 0
    refused: int = 0
    retries: int = 0
    gave_up: int = 0
    stored: int = 0
    lost: int = 0
    duplicated: int = 0
    half_written: int = 0
    mismatched: int = 0
    seconds: float = 0.0
    acknowledged_per_second: float = 0.0
    latency_ms_p50: float = 0.0
    latency_ms_p95: float = 0.0
    latency_ms_p99: float = 0.0
    latency_ms_max: float = 0.0
    server_cpu_seconds: float = 0.0
    database_cpu_seconds: float | None = None
    client_cpu_seconds: float = 0.0
    machine_busy_percent: float = 0.0
    loadavg_before: str = ""
    loadavg_after: str = ""
    target_met: bool = False

    def sound(self) -> bool:
        """Nothing acknowledged lost, nothing doubled or half-written, something stored."""
        return (
            self.lost == self.duplicated == self.half_written == self.mismatched == 0
            and self.acknowledged > 0
        )


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0-100) of an ascending list; 0 when empty."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(share / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def _loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot, from the first line of /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _postmaster(url: str) -> int | None:
    """The process id of a PostgreSQL server on this machine (``postmaster.pid`` in its data
    folder, asked of the server itself); ``None`` for SQLite or a server elsewhere."""
    if not url.startswith("postgres"):
        return None
    try:
        import psycopg

        with psycopg.connect(url) as connection:
            row = connection.execute("SHOW data_directory").fetchone()
        pid_file = Path(str(row[0] if row else "")) / "postmaster.pid"
        return int(pid_file.read_text().splitlines()[0])
    except Exception:  # not measurable here: the figure is left out
        return None


def _tree_cpu_seconds(parent: int) -> float:
    """CPU seconds of a process, its children, and its children already ended and reaped
    (PostgreSQL's backends are the postmaster's children)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        pid = int(stat.parent.name)
        fields = text[text.rindex(")") + 2 :].split()
        if pid == parent:
            ticks += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        elif int(fields[1]) == parent:  # ppid
            ticks += sum(int(x) for x in fields[11:13])
    return ticks / os.sysconf("SC_CLK_TCK")


def _group_cpu_seconds(group: int) -> float:
    """CPU seconds (own and reaped children's) of every process in a process group."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[2]) == group:  # pgrp
            ticks += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


class Connection:
    """One keep-alive HTTP/1.1 connection, opened again after it breaks."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.http: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        if self.http is None:
            self.http = http.client.HTTPConnection(self.address, timeout=60)
        try:
            self.http.request(method, path, body=body or None, headers=headers or {})
            answer = self.http.getresponse()
            text = answer.read().decode()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        found = {k.lower(): v for k, v in answer.getheaders()}
        if found.get("connection", "").lower() == "close":
            self.close()
        return answer.status, found, text

    def close(self) -> None:
        if self.http is not None:
            self.http.close()
            self.http = None


class Results:
    """What the client threads found, behind one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acknowledged: list[str] = []
        self.latencies: list[float] = []
        self.attempted = self.refused = self.retries = self.gave_up = 0
        self.last_ack = 0.0

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)

    def acknowledge(self, token: str, seconds: float) -> None:
        with self.lock:
            self.acknowledged.append(token)
            self.latencies.append(seconds)
            self.last_ack = time.perf_counter()


def _csrf(connection: Connection, token: str) -> tuple[str, str] | None:
    """Open a link; its CSRF cookie and form field, or None when the page has no form."""
    status, headers, html = connection.request("GET", f"/isian/{token}/")
    field = CSRF_FIELD.search(html)
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
    if status != 200 or field is None or cookie is None:
        return None
    return cookie.group(1), field.group(1)


def _client(
    address: str,
    tokens: list[str],
    results: Results,
    ready: threading.Barrier,
    open_each: bool,
    give_up: float,
    seed: int,
) -> None:
    """Get a CSRF token once, wait for the others, then submit every link in turn."""
    rng = random.Random(seed)
    connection = Connection(address)
    csrf: tuple[str, str] | None = None
    try:
        csrf = _csrf(connection, tokens[0]) if tokens else None
    except (OSError, http.client.HTTPException):
        csrf = None
    ready.wait()
    if csrf is None:
        results.add(attempted=len(tokens), gave_up=len(tokens))
        return
    cookie, field = csrf
    for token in tokens:
        path = f"/isian/{token}/"
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": field,
                "q_Q1": str(rng.randint(1, 4)),
                "q_Q2": rng.choice("ab"),
                "q_Q3": answer_text(token),
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
        }
        results.add(attempted=1)
        if open_each:
            # A broken GET does not matter: the POST below says whether the link is there.
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection.request("GET", path, headers={"Cookie": f"csrftoken={cookie}"})
        started = time.perf_counter()
        deadline = started + give_up
        while True:
            try:
                status, answer, _ = connection.request("POST", path, body, headers)
            except (OSError, http.client.HTTPException):
                status, answer = 0, {}
            if 200 <= status < 300 or (status in (302, 303) and answer.get("location") == path):
                results.acknowledge(token, time.perf_counter() - started)
                break
            if 0 < status < 500:
                results.add(refused=1)  # a 4xx: not retried
                break
            if time.perf_counter() > deadline:
                results.add(gave_up=1)
                break
            results.add(retries=1)
            time.sleep(0.05)
    connection.close()


def run(
    *,
    clients: int = 50,
    submissions: int = 3000,
    workers: int = 3,
    database: str = "",
    open_each: bool = False,
    give_up: float = 60.0,
    seed: int = 11,
    folder: Path | None = None,
) -> BenchFigures:
    """Prepare, serve, submit as fast as possible, count: see the module notes."""
    with _folder(folder) as home:
        url = database or f"sqlite:///{home / 'mutu.sqlite3'}"
        env = server_environment(url, home)
        vendor = "postgresql" if url.startswith("postgres") else "sqlite"
        figures = BenchFigures(vendor, workers, clients, open_each)
        _mutu(env, "prepare", str(submissions), str(workers), str(home / "tokens.json"))
        prepared = json.loads((home / "tokens.json").read_text(encoding="utf-8"))
        tokens = [row["token"] for row in prepared["links"]]
        server = Server(env, home, "production", workers, prepared["gunicorn"])
        postmaster = _postmaster(url)
        results = Results()
        ready = threading.Barrier(clients + 1)
        try:
            server.start()
            assert server.process is not None
            threads = [
                threading.Thread(
                    target=_client,
                    args=(
                        server.url,
                        tokens[i::clients],
                        results,
                        ready,
                        open_each,
                        give_up,
                        seed + i,
                    ),
                    daemon=True,
                )
                for i in range(clients)
            ]
            for thread in threads:
                thread.start()
            figures.loadavg_before = _loadavg()
            ready.wait()
            began = time.perf_counter()
            server_cpu = _group_cpu_seconds(server.process.pid)
            database_cpu = _tree_cpu_seconds(postmaster) if postmaster else 0.0
            client_cpu = resource.getrusage(resource.RUSAGE_SELF)
            busy, total = _machine_ticks()
            for thread in threads:
                thread.join()
            ended = results.last_ack or time.perf_counter()
            figures.server_cpu_seconds = round(
                _group_cpu_seconds(server.process.pid) - server_cpu, 1
            )
            if postmaster:
                figures.database_cpu_seconds = round(
                    _tree_cpu_seconds(postmaster) - database_cpu, 1
                )
            usage = resource.getrusage(resource.RUSAGE_SELF)
            figures.client_cpu_seconds = round(
                usage.ru_utime + usage.ru_stime - client_cpu.ru_utime - client_cpu.ru_stime, 1
            )
            busy_after, total_after = _machine_ticks()
            figures.machine_busy_percent = round(
                100 * (busy_after - busy) / max(1, total_after - total), 1
            )
            figures.loadavg_after = _loadavg()
        finally:
            server.stop()
        for name in ("attempted", "refused", "retries", "gave_up"):
            setattr(figures, name, getattr(results, name))
        figures.acknowledged = len(set(results.acknowledged))
        figures.seconds = round(ended - began, 2)
        figures.acknowledged_per_second = round(figures.acknowledged / max(1e-9, ended - began), 1)
        latencies = sorted(results.latencies)
        for share in (50, 95, 99):
            value = round(1000 * percentile(latencies, share), 1)
            setattr(figures, f"latency_ms_p{share}", value)
        figures.latency_ms_max = round(1000 * (latencies[-1] if latencies else 0.0), 1)
        (home / "acknowledged.json").write_text(json.dumps(results.acknowledged), encoding="utf-8")
        _mutu(
            env,
            "count",
            str(home / "tokens.json"),
            str(home / "acknowledged.json"),
            str(home / "counts.json"),
        )
        counts = json.loads((home / "counts.json").read_text(encoding="utf-8"))
        for name in ("stored", "lost", "duplicated", "half_written", "mismatched"):
            setattr(figures, name, counts[name])
        figures.target_met = (
            figures.sound()
            and figures.acknowledged == figures.attempted
            and figures.acknowledged_per_second >= TARGET_PER_SECOND
            and figures.latency_ms_p99 < TARGET_P99_MS
        )
        return figures


# -- the cost of one submission, in one process -------------------------------------------------

#: Submissions of the in-process measurement not counted (imports, URL resolver, caches).
WARM_UP = 5
#: Submissions whose SQL statements are captured (the capture itself costs CPU, so apart).
QUERY_SAMPLE = 20


@dataclasses.dataclass
class CostFigures:
    """What ``--in-process`` measured (see the module notes)."""

    database: str
    submissions: int
    timed: int = 0
    queries_min: int = 0
    queries_max: int = 0
    cpu_ms_per_submission: float = 0.0
    wall_ms_per_submission: float = 0.0
    stored: int = 0
    lost: int = 0
    duplicated: int = 0
    half_written: int = 0
    mismatched: int = 0
    loadavg: str = ""
    top_functions: list[str] = dataclasses.field(default_factory=list)

    def sound(self) -> bool:
        return self.lost == self.duplicated == self.half_written == self.mismatched == 0


def _in_process_child(tokens_file: Path, profile: str, out: Path) -> None:
    """Submit every prepared link through Django's test client; cost figures to ``out``."""
    import cProfile
    import io
    import pstats

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    prepared = json.loads(tokens_file.read_text(encoding="utf-8"))
    tokens = [row["token"] for row in prepared["links"]]
    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(11)
    acknowledged: list[str] = []

    def submit(token: str) -> None:
        path = f"/isian/{token}/"
        data = {"q_Q1": str(rng.randint(1, 4)), "q_Q2": rng.choice("ab")}
        data["q_Q3"] = answer_text(token)
        answer = client.post(path, data)
        if answer.status_code != 302 or answer["Location"] != path:
            raise RuntimeError(f"submission refused: {answer.status_code}")
        acknowledged.append(token)

    warm, sample, rest = (
        tokens[:WARM_UP],
        tokens[WARM_UP : WARM_UP + QUERY_SAMPLE],
        tokens[WARM_UP + QUERY_SAMPLE :],
    )
    for token in warm:
        submit(token)
    counts = []
    for token in sample:
        with CaptureQueriesContext(connection) as captured:
            submit(token)
        counts.append(len(captured.captured_queries))
    # CPU time, not wall time: on PostgreSQL the wall time is mostly waiting for the server.
    profiler = cProfile.Profile(time.process_time) if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    for token in rest:
        submit(token)
    if profiler is not None:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    top: list[str] = []
    if profiler is not None:
        profiler.dump_stats(profile)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
        top = text.getvalue().splitlines()
    n = max(1, len(rest))
    figures = {
        "timed": len(rest),
        "queries_min": min(counts, default=0),
        "queries_max": max(counts, default=0),
        "cpu_ms_per_submission": round(1000 * cpu / n, 2),
        "wall_ms_per_submission": round(1000 * wall / n, 2),
        "top_functions": top,
    }
    out.write_text(json.dumps({"figures": figures, "acknowledged": acknowledged}), "utf-8")


def in_process(
    *, submissions: int = 1000, database: str = "", profile: str = "", folder: Path | None = None
) -> CostFigures:
    """Prepare, submit in one process, count: see ``--in-process`` in the module notes."""
    if submissions <= WARM_UP + QUERY_SAMPLE:
        raise ValueError(f"--in-process needs more than {WARM_UP + QUERY_SAMPLE} submissions")
    with _folder(folder) as home:
        url = database or f"sqlite:///{home / 'mutu.sqlite3'}"
        env = server_environment(url, home)
        vendor = "postgresql" if url.startswith("postgres") else "sqlite"
        figures = CostFigures(vendor, submissions, loadavg=_loadavg())
        _mutu(env, "prepare", str(submissions), "1", str(home / "tokens.json"))
        done = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "_in_process",
                str(home / "tokens.json"),
                profile,
                str(home / "cost.json"),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the in-process run failed:\n{done.stderr[-3000:]}")
        result = json.loads((home / "cost.json").read_text(encoding="utf-8"))
        for name, value in result["figures"].items():
            setattr(figures, name, value)
        (home / "acknowledged.json").write_text(json.dumps(result["acknowledged"]), "utf-8")
        _mutu(
            env,
            "count",
            str(home / "tokens.json"),
            str(home / "acknowledged.json"),
            str(home / "counts.json"),
        )
        counts = json.loads((home / "counts.json").read_text(encoding="utf-8"))
        for name in ("stored", "lost", "duplicated", "half_written", "mismatched"):
            setattr(figures, name, counts[name])
        return figures


def cost_table(figures: CostFigures) -> str:
    """The in-process figures as an aligned two-column table."""
    rows = [
        ("database", figures.database),
        ("submissions (timed)", f"{figures.submissions} ({figures.timed})"),
        (
            "SQL statements per submission (min / max)",
            f"{figures.queries_min} / {figures.queries_max}",
        ),
        ("CPU ms per submission (this process)", figures.cpu_ms_per_submission),
        ("wall ms per submission", figures.wall_ms_per_submission),
        ("stored / lost / duplicated", f"{figures.stored} / {figures.lost} / {figures.duplicated}"),
        ("half-written / mismatched", f"{figures.half_written} / {figures.mismatched}"),
        ("loadavg before", figures.loadavg),
    ]
    return "\n".join(f"{label:<44} {value}" for label, value in rows)


def table(figures: BenchFigures) -> str:
    """The figures as an aligned two-column table."""
    rows = [
        ("database", figures.database),
        ("gunicorn workers", figures.workers),
        ("concurrent clients", figures.clients),
        ("open each link before submitting", "yes" if figures.open_each else "no"),
        ("attempted", figures.attempted),
        ("acknowledged", figures.acknowledged),
        ("refused (4xx) / gave up", f"{figures.refused} / {figures.gave_up}"),
        ("retries", figures.retries),
        ("stored", figures.stored),
        ("lost (must be 0)", figures.lost),
        ("duplicated (must be 0)", figures.duplicated),
        ("half-written / mismatched", f"{figures.half_written} / {figures.mismatched}"),
        ("seconds", figures.seconds),
        ("acknowledged per second", figures.acknowledged_per_second),
        (
            "latency ms p50 / p95 / p99 / max",
            f"{figures.latency_ms_p50} / {figures.latency_ms_p95} / "
            f"{figures.latency_ms_p99} / {figures.latency_ms_max}",
        ),
        ("server CPU seconds", figures.server_cpu_seconds),
        ("PostgreSQL CPU seconds", figures.database_cpu_seconds),
        ("client CPU seconds", figures.client_cpu_seconds),
        ("machine busy %", figures.machine_busy_percent),
        ("loadavg before", figures.loadavg_before),
        ("loadavg after", figures.loadavg_after),
        (
            f"target (≥{TARGET_PER_SECOND:g}/s, p99 <{TARGET_P99_MS:g} ms, none lost)",
            "met" if figures.target_met else "not met",
        ),
    ]
    return "\n".join(f"{label:<44} {value}" for label, value in rows)


def main(argv: list[str]) -> int:
    if argv[:1] == ["_in_process"]:
        _in_process_child(Path(argv[1]), argv[2], Path(argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="client threads (default 50)")
    parser.add_argument(
        "--submissions", type=int, default=3000, help="personal links to submit (default 3000)"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument(
        "--database",
        default="",
        help="empty database URL (default: a new SQLite file); DATABASE_URL is not used",
    )
    parser.add_argument(
        "--open-each", action="store_true", help="also GET every link before submitting it"
    )
    parser.add_argument("--give-up", type=float, default=60.0, help="seconds per submission")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", type=Path, default=None, help="keep the run's folder here")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument(
        "--in-process",
        type=int,
        default=0,
        metavar="N",
        help="measure SQL statements and CPU per submission over N submissions in one process",
    )
    parser.add_argument(
        "--profile", default="", help="with --in-process: write a cProfile of it to this file"
    )
    args = parser.parse_args(argv)
    if args.in_process:
        cost = in_process(
            submissions=args.in_process,
            database=args.database,
            profile=str(Path(args.profile).resolve()) if args.profile else "",
            folder=args.keep,
        )
        print(cost_table(cost))
        if cost.top_functions:
            print("\n".join(cost.top_functions))
        if args.json is not None:
            args.json.write_text(json.dumps(dataclasses.asdict(cost), indent=2) + "\n")
        return 0 if cost.sound() else 1
    if args.clients < 1 or args.submissions < args.clients:
        parser.error("need at least one client and at least one submission per client")
    figures = run(
        clients=args.clients,
        submissions=args.submissions,
        workers=args.workers,
        database=args.database,
        open_each=args.open_each,
        give_up=args.give_up,
        seed=args.seed,
        folder=args.keep,
    )
    print(table(figures))
    if args.json is not None:
        args.json.write_text(json.dumps(dataclasses.asdict(figures), indent=2) + "\n")
    return 0 if figures.sound() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
