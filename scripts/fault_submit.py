#!/usr/bin/env python3
"""Submit survey forms with many clients while the server is killed: is anything lost?

Usage::

    .venv/bin/python scripts/fault_submit.py [--clients 50] [--links 10] [--kills 10]
        [--server production|development] [--database URL] [--json FILE]

What it does (docs/security.md, "No data lost: the fault test"):

1. **Prepare** a database (``--database``, default a new SQLite file in a temporary
   folder; a PostgreSQL URL must name an empty database): ``mutu migrate``, then one
   activity running today with ``clients × links`` participants and a non-anonymous
   three-question reaction survey attached, which makes one personal link (token) per
   participant (``mutu.instruments.field_services.activity_instrument_attach``).
2. **Serve** it on a free port: ``mutu serve --production --workers 2`` (gunicorn,
   several processes: the real concurrency on one database) or ``mutu serve`` (Django's
   threaded development server). Production is started through ``mutu serve
   --production`` the first time (its refusals and ``collectstatic`` run); a restart
   runs the gunicorn command line that ``mutu serve --production`` execs
   (``gunicorn_argv``), as nothing it checks has changed.
3. **Submit**: ``--clients`` threads, each with its own ``--links`` tokens, open each
   link (``GET /isian/<token>/``, which gives the CSRF cookie and field) and submit the
   answers (``POST``) until the server acknowledges them - a 2xx answer, or the 302
   back to the link that follows a stored submission - retrying on a refused or broken
   connection and on a 5xx, and giving up on a link after ``--give-up`` seconds.
   A retried submit of a link already stored is answered 200 "already submitted"
   (the link is claimed by a conditional update in the transaction that stores the
   response), which is an acknowledgement too.
4. **Kill**: ``--kills`` times, when a random share of the submissions (between 5 %
   and 60 %, spread over the run) has been acknowledged, wait 0-30 ms and kill the
   server's whole process group with SIGKILL (no clean shutdown: requests in flight
   die mid-transaction), then start it again.
5. **Count** straight from the database: responses stored, links with more than one
   response (duplicated), acknowledged links without a response (lost), responses
   with fewer answers than the three submitted, without their identity row, or links
   marked submitted without a response (half-written), and stored answers that differ
   from what the client sent for that link (mismatched).

Prints a table and writes the figures as JSON (``--json``). Exit code 0 when lost,
duplicated, half-written and mismatched are all 0, at least one submission was
acknowledged and every fault requested was injected; 1 otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Items of the survey and what a client answers (Q3 names its link, to check what is stored).
ITEMS = ("Q1", "Q2", "Q3")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclasses.dataclass
class Figures:
    """What one run did and found."""

    database: str
    server: str
    clients: int
    links_per_client: int
    kills_requested: int
    faults_injected: int = 0
    attempted: int = 0
    requests: int = 0
    retries: int = 0
    acknowledged: int = 0
    gave_up: int = 0
    refused: int = 0
    stored: int = 0
    duplicated: int = 0
    lost: int = 0
    half_written: int = 0
    mismatched: int = 0
    seconds: float = 0.0
    restart_seconds: list[float] = dataclasses.field(default_factory=list)

    def passed(self) -> bool:
        return (
            self.lost == self.duplicated == self.half_written == self.mismatched == 0
            and self.acknowledged > 0
            and self.faults_injected == self.kills_requested
        )


# -- the database: prepare and count (run in a child process with Django set up) --------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.config.settings")
    import django

    django.setup()


def _prepare(count: int, workers: int, out: Path) -> None:
    """Migrate, then make an open activity with ``count`` personal links.

    Writes the tokens and the gunicorn command line of ``mutu serve --production`` (port
    ``PORT``) to ``out``.
    """
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0, stdout=StringIO())
    from tests.factories import (
        make_activity,
        make_employee,
        make_enrollment,
        make_instrument_version,
        make_unit,
        pns_nip,
    )

    from mutu.instruments.field_services import activity_instrument_attach
    from mutu.instruments.models import InstrumentLink
    from mutu.instruments.tokens import token_for

    today = timezone.localdate()
    activity = make_activity(start_date=today - dt.timedelta(days=1), end_date=today)
    unit = make_unit()
    for i in range(count):
        nip = pns_nip(i % 999 + 1, birth=dt.date(1980, 1, 1) + dt.timedelta(days=i // 999))
        employee = make_employee(unit=unit, nip=nip, name=f"Responden {i + 1}")
        make_enrollment(activity=activity, employee=employee, status="registered")
    version = make_instrument_version(anonymous=False, kind="reaction")
    activity_instrument_attach(activity=activity, version=version, occasion="end")
    links = InstrumentLink.objects.filter(attachment__activity=activity).order_by("pk")
    rows = [
        {"token": token_for(link.nonce), "link": link.pk, "employee": link.respondent_id}
        for link in links
    ]
    assert len(rows) == count, (len(rows), count)
    from mutu.web.management.commands.serve import gunicorn_argv

    gunicorn = gunicorn_argv(host="127.0.0.1", port=1, workers=workers)
    gunicorn[gunicorn.index("127.0.0.1:1")] = "127.0.0.1:PORT"
    prepared = {"version": version.pk, "links": rows, "gunicorn": gunicorn}
    out.write_text(json.dumps(prepared), encoding="utf-8")


def _count(tokens_file: Path, acknowledged_file: Path, out: Path) -> None:
    """Compare the database with what the clients sent and were told; figures to ``out``."""
    from django.db.models import Count

    from mutu.instruments.models import Answer, InstrumentLink, Response, ResponseIdentity

    prepared = json.loads(tokens_file.read_text(encoding="utf-8"))
    acknowledged = set(json.loads(acknowledged_file.read_text(encoding="utf-8")))
    version = prepared["version"]
    by_employee: dict[int, list[int]] = {}
    for response_id, employee_id in ResponseIdentity.objects.filter(
        response__version_id=version
    ).values_list("response_id", "employee_id"):
        by_employee.setdefault(employee_id, []).append(response_id)
    responses = Response.objects.filter(version_id=version)
    answers = dict(
        responses.annotate(n=Count("answers")).values_list("pk", "n")  # type: ignore[arg-type]
    )
    texts = dict(
        Answer.objects.filter(response__version_id=version, item__code="Q3").values_list(
            "response_id", "text"
        )
    )
    submitted = set(
        InstrumentLink.objects.filter(
            pk__in=[r["link"] for r in prepared["links"]], is_submitted=True
        ).values_list("pk", flat=True)
    )
    figures = {"stored": len(answers), "duplicated": 0, "lost": 0, "half_written": 0}
    figures["half_written"] += sum(1 for n in answers.values() if n < len(ITEMS))
    figures["half_written"] += len(set(answers) - {r for rs in by_employee.values() for r in rs})
    mismatched = 0
    for row in prepared["links"]:
        stored = by_employee.get(row["employee"], [])
        if len(stored) > 1:
            figures["duplicated"] += 1
        if row["token"] in acknowledged and not stored:
            figures["lost"] += 1
        if row["link"] in submitted and not stored:
            figures["half_written"] += 1  # claimed, but its response is missing
        if stored and row["link"] not in submitted:
            figures["half_written"] += 1  # a response, but the link still open
        mismatched += sum(1 for r in stored if texts.get(r) != answer_text(row["token"]))
    figures["mismatched"] = mismatched
    out.write_text(json.dumps(figures), encoding="utf-8")


def answer_text(token: str) -> str:
    """What the client answers to Q3 for a link: names the link, so a mix-up shows."""
    return f"jawaban {token[:12]}"


# -- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _mutu(env: dict[str, str], *args: str, out: Path | None = None) -> None:
    """Run ``python scripts/fault_submit.py <args>`` (Django inside) and fail on an error."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed:\n{done.stderr[-3000:]}")


class Server:
    """``mutu serve`` in its own process group, killed with SIGKILL and started again."""

    def __init__(
        self, env: dict[str, str], folder: Path, kind: str, workers: int, gunicorn: list[str]
    ) -> None:
        self.env, self.folder, self.kind, self.workers = env, folder, kind, workers
        self.gunicorn = gunicorn
        self.port = free_port()
        self.url = f"127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def _argv(self) -> list[str]:
        port = str(self.port)
        if self.kind == "development":
            return [sys.executable, "-m", "mutu", "serve", "--port", port]
        if self.starts == 0:
            workers = str(self.workers)
            return [sys.executable, "-m", "mutu", "serve", "--production", "--workers", workers]
        # What `mutu serve --production` execs once its checks pass and the files are collected.
        return [a.replace("PORT", port) for a in self.gunicorn]

    def start(self, timeout: float = 180) -> float:
        started = time.monotonic()
        argv = self._argv()
        if self.kind == "production" and self.starts == 0:
            argv += ["--port", str(self.port)]
        env = dict(self.env)
        if self.kind == "production" and self.starts > 0:
            env["MUTU_PRODUCTION"] = "1"
        log = (self.folder / f"server-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(
            argv,
            cwd=self.folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.starts += 1
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped:\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection(self.url, timeout=2)
                connection.request("GET", "/health/")
                if connection.getresponse().status == 200:
                    return time.monotonic() - started
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        logs = sorted(self.folder.glob("server-*.log"))
        return logs[-1].read_text(errors="replace")[-3000:] if logs else ""

    def kill(self) -> None:
        """SIGKILL the whole process group (gunicorn's master and workers, or runserver)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


# -- the clients -------------------------------------------------------------------------------


class Tally:
    """Counters shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acknowledged: list[str] = []
        self.attempted = self.requests = self.retries = self.gave_up = self.refused = 0
        self.progress = threading.Condition(self.lock)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)

    def acknowledge(self, token: str) -> None:
        with self.progress:
            self.acknowledged.append(token)
            self.progress.notify_all()


def _request(
    url: str, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection(url, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read().decode()
    finally:
        connection.close()


def submit_link(
    server: Server, token: str, tally: Tally, give_up: float, rng: random.Random
) -> None:
    """Open one link and submit it until acknowledged (or ``give_up`` seconds of failures)."""
    path = f"/isian/{token}/"
    deadline = time.monotonic() + give_up
    form = {
        "q_Q1": str(rng.randint(1, 4)),
        "q_Q2": rng.choice("ab"),
        "q_Q3": answer_text(token),
    }
    csrf = ""
    tally.add(attempted=1)
    attempt = 0
    while time.monotonic() < deadline:
        if attempt:
            tally.add(retries=1)
            time.sleep(min(1.0, 0.05 * 2**attempt) * rng.uniform(0.5, 1.0))  # backing off
        attempt += 1
        try:
            if not csrf:
                tally.add(requests=1)
                status, headers, html = _request(server.url, "GET", path)
                if status >= 500:
                    continue
                found = CSRF_FIELD.search(html)
                cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
                if status == 200 and "status-submitted" in html:  # stored by an earlier try
                    tally.acknowledge(token)
                    return
                if status != 200:
                    tally.add(refused=1)
                    return
                if found is None or cookie is None:
                    continue  # the page was cut off when the server died: open it again
                csrf = cookie.group(1)
                form["csrfmiddlewaretoken"] = found.group(1)
            tally.add(requests=1)
            status, headers, _ = _request(
                server.url,
                "POST",
                path,
                urllib.parse.urlencode(form),
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={csrf}",
                },
            )
        except (OSError, http.client.HTTPException):
            continue  # refused, reset or cut off mid-answer: not acknowledged, try again
        if 200 <= status < 300 or (status in (302, 303) and headers.get("location") == path):
            tally.acknowledge(token)
            return
        if status >= 500:
            continue
        if 300 <= status < 400 and not headers.get("location"):
            # Cut off by the kill after the status line: http.client reads the missing
            # headers as none. The outcome is unknown, so reload the link and read it.
            csrf = ""
            continue
        if attempt > 1:
            # A 4xx answering a retry: an earlier try may have been stored with its answer
            # lost in the kill. Do what a person does, reload the link and read its state.
            print(f"fault_submit: {token[:8]} retry answered {status}; reloading", file=sys.stderr)
            csrf = ""
            continue
        tally.add(refused=1)  # a 4xx to a first try: the client's fault, not retried
        where = headers.get("location", "")
        print(f"fault_submit: {token[:8]} refused with {status} {where}", file=sys.stderr)
        return
    tally.add(gave_up=1)


def _client(server: Server, tokens: list[str], tally: Tally, give_up: float, seed: int) -> None:
    rng = random.Random(seed)
    for token in tokens:
        submit_link(server, token, tally, give_up, rng)


# -- one run -----------------------------------------------------------------------------------


def server_environment(url: str, home: Path) -> dict[str, str]:
    """The environment of the preparing, serving and counting processes for one run."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MUTU_HOME": str(home),
        "MUTU_SECRET_KEY": secrets.token_urlsafe(50),
        "MUTU_DEBUG": "0",
        "MUTU_SECURE_COOKIES": "0",  # plain http on 127.0.0.1
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "mutu.config.settings",
    }
    for name in ("MUTU_PRODUCTION", "MUTU_TEST_DB_VENDOR"):
        env.pop(name, None)
    return env


@contextmanager
def _folder(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="mutu-fault-") as name:
        yield Path(name)


def run(
    *,
    clients: int = 20,
    links: int = 5,
    kills: int = 2,
    server_kind: str = "production",
    workers: int = 2,
    database: str = "",
    give_up: float = 120.0,
    seed: int | None = None,
    folder: Path | None = None,
) -> Figures:
    """Prepare, serve, submit while killing, count: see the module notes."""
    seed = seed if seed is not None else secrets.randbelow(2**31)
    rng = random.Random(seed)
    with _folder(folder) as home:
        url = database or f"sqlite:///{home / 'mutu.sqlite3'}"
        env = server_environment(url, home)
        vendor = "postgresql" if url.startswith("postgres") else "sqlite"
        figures = Figures(vendor, server_kind, clients, links, kills)
        _mutu(env, "prepare", str(clients * links), str(workers), str(home / "tokens.json"))
        prepared = json.loads((home / "tokens.json").read_text(encoding="utf-8"))
        tokens = [row["token"] for row in prepared["links"]]
        total = len(tokens)
        server = Server(env, home, server_kind, workers, prepared["gunicorn"])
        tally = Tally()
        try:
            server.start()
            began = time.monotonic()
            threads = [
                threading.Thread(
                    target=_client,
                    args=(server, tokens[i::clients], tally, give_up, seed + i),
                    daemon=True,
                )
                for i in range(clients)
            ]
            for thread in threads:
                thread.start()
            # Kill points: random shares of the submissions, spread over the first 60 % of
            # the run, so that after the last restart enough submissions remain for the
            # kill to land mid-run (a share near the end could be overtaken by the burst
            # of clients that were waiting out the previous restart, and never be injected).
            shares = sorted(rng.uniform(0.05, 0.6) for _ in range(kills))
            for share in shares:
                with tally.progress:
                    tally.progress.wait_for(
                        lambda s=share: (
                            len(tally.acknowledged) >= s * total  # type: ignore[misc]
                            or not any(t.is_alive() for t in threads)
                        ),
                        timeout=give_up,
                    )
                if not any(t.is_alive() for t in threads):
                    break
                time.sleep(rng.uniform(0, 0.03))
                server.kill()
                figures.faults_injected += 1
                figures.restart_seconds.append(round(server.start(), 1))
            for thread in threads:
                thread.join()
            figures.seconds = round(time.monotonic() - began, 1)
        finally:
            server.stop()
        for name in ("attempted", "requests", "retries", "gave_up", "refused"):
            setattr(figures, name, getattr(tally, name))
        figures.acknowledged = len(set(tally.acknowledged))
        (home / "acknowledged.json").write_text(json.dumps(tally.acknowledged), encoding="utf-8")
        _mutu(
            env,
            "count",
            str(home / "tokens.json"),
            str(home / "acknowledged.json"),
            str(home / "counts.json"),
        )
        for name, value in json.loads((home / "counts.json").read_text()).items():
            setattr(figures, name, value)
        return figures


def table(figures: Figures) -> str:
    rows = [
        ("database", figures.database),
        ("server", figures.server),
        ("clients × links each", f"{figures.clients} × {figures.links_per_client}"),
        ("faults injected (kill -9)", f"{figures.faults_injected} of {figures.kills_requested}"),
        ("submissions attempted", figures.attempted),
        ("HTTP requests (incl. retries)", f"{figures.requests} ({figures.retries} retries)"),
        ("acknowledged", figures.acknowledged),
        ("gave up (never acknowledged)", figures.gave_up),
        ("refused (4xx)", figures.refused),
        ("stored", figures.stored),
        ("duplicated (must be 0)", figures.duplicated),
        ("lost (must be 0)", figures.lost),
        ("half-written (must be 0)", figures.half_written),
        ("mismatched answers (must be 0)", figures.mismatched),
        ("seconds submitting", figures.seconds),
        ("restart seconds", ", ".join(str(s) for s in figures.restart_seconds) or "-"),
    ]
    return "\n".join(f"{label:<32} {value}" for label, value in rows)


def main(argv: list[str]) -> int:
    if argv[:1] == ["prepare"]:
        _django()
        _prepare(int(argv[1]), int(argv[2]), Path(argv[3]))
        return 0
    if argv[:1] == ["count"]:
        _django()
        _count(Path(argv[1]), Path(argv[2]), Path(argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="client threads (default 50)")
    parser.add_argument("--links", type=int, default=10, help="links per client (default 10)")
    parser.add_argument("--kills", type=int, default=10, help="server kills (default 10)")
    parser.add_argument("--server", choices=["production", "development"], default="production")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--database",
        default="",
        help="empty database URL (default: a new SQLite file); DATABASE_URL is not used",
    )
    parser.add_argument("--give-up", type=float, default=120.0, help="seconds per link")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)
    figures = run(
        clients=args.clients,
        links=args.links,
        kills=args.kills,
        server_kind=args.server,
        workers=args.workers,
        database=args.database,
        give_up=args.give_up,
        seed=args.seed,
    )
    print(table(figures))
    if args.json is not None:
        args.json.write_text(json.dumps(dataclasses.asdict(figures), indent=2) + "\n")
    verdict = "PASS" if figures.passed() else "FAIL"
    print(
        f"{verdict}: nothing acknowledged was lost, doubled or half-written"
        if figures.passed()
        else f"{verdict}: see the figures above"
    )
    return 0 if figures.passed() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
