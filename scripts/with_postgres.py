#!/usr/bin/env python3
"""Run a command against a throw-away PostgreSQL server, then stop and remove it.

Usage::

    python scripts/with_postgres.py [--keep] -- COMMAND [ARGS...]

The server is initialised in a temporary directory, listens on 127.0.0.1 on a
free port, and is stopped (and its directory removed) when the command ends,
whatever its outcome.  PostgreSQL refuses to run as root, so when this script
runs as root (as CI does) the server runs as the ``postgres`` system user.

The command sees ``DATABASE_URL`` pointing at an empty database ``mutu`` and
``MUTU_TEST_DB_VENDOR=postgresql`` (the test suite checks it really talks to
PostgreSQL, so a silent fallback to SQLite fails the run).  The exit code is
the command's.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def _bindir() -> Path:
    explicit = os.environ.get("PG_BINDIR")
    if explicit:
        return Path(explicit)
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    sys.exit(
        "with_postgres: PostgreSQL server binaries (initdb) not found; "
        "install the 'postgresql' package (make system-deps does)."
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main(argv: list[str]) -> int:
    keep = "--keep" in argv[: argv.index("--")] if "--" in argv else False
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        print(__doc__, file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1 :]

    bindir = _bindir()
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="mutu-pg-"))
    if as_root:
        user = pwd.getpwnam("postgres")
        os.chown(tmp, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, log = tmp / "data", tmp / "server.log"
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, stdout=subprocess.DEVNULL)

    started = False
    try:
        run(
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start")
        started = True
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "mutu")
        version = subprocess.run(
            [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        url = f"postgresql://postgres@127.0.0.1:{port}/mutu"
        print(f"with_postgres: {version} running at {url} (data in {data})", flush=True)
        env = dict(os.environ, DATABASE_URL=url, MUTU_TEST_DB_VENDOR="postgresql")
        child = subprocess.Popen(command, env=env)
        try:
            return child.wait()
        except KeyboardInterrupt:
            child.send_signal(signal.SIGINT)
            return child.wait()
    except subprocess.CalledProcessError as exc:
        print(f"with_postgres: {' '.join(exc.cmd)} failed (exit {exc.returncode})", file=sys.stderr)
        if log.exists():
            print(log.read_text(), file=sys.stderr)
        return 1
    finally:
        if started:
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                stdout=subprocess.DEVNULL,
                check=False,
            )
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
