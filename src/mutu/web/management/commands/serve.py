"""``mutu serve``: the web application for people to use.

Without options it runs Django's development server (one process, threads),
which is what a developer or a demo needs. ``--production`` runs gunicorn with
several worker processes on the WSGI application, after collecting the static
files into ``STATIC_ROOT`` for WhiteNoise to serve (hashed names, compressed,
cached as immutable). Production refuses to start while the set-up is unsafe:
no secret key or the development one, debug pages on, unapplied migrations,
or demo accounts in the database (unless ``--allow-demo``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from mutu.accounts.services import demo_accounts_exist

#: The key settings.py falls back to when MUTU_SECRET_KEY is unset; never good in production.
DEVELOPMENT_SECRET_KEY = "mutu-development-key-not-for-production"
#: Shortest secret key production accepts (Django's own deploy check wants 50).
MIN_SECRET_KEY_LENGTH = 32
#: Threads per gunicorn worker, so one slow phone connection does not hold a whole process.
THREADS_PER_WORKER = 4

#: A refusal: (Indonesian, English).
Problem = tuple[str, str]


def default_workers() -> int:
    """Gunicorn's rule of thumb: two per core, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


def _port(text: str) -> int:
    if text.isdigit() and 1 <= int(text) <= 65535:
        return int(text)
    raise CommandError(f"Port tidak valid: {text!r} (1–65535). / Invalid port: {text!r} (1–65535).")


def _workers(text: str) -> int:
    if text.isdigit() and 1 <= int(text) <= 64:
        return int(text)
    raise CommandError(
        f"Jumlah worker tidak valid: {text!r} (1–64). / Invalid number of workers: {text!r} (1–64)."
    )


def settings_problems(environ: Mapping[str, str]) -> list[Problem]:
    """What in the environment makes production unsafe (no database needed)."""
    problems: list[Problem] = []
    key = environ.get("MUTU_SECRET_KEY", "")
    if not key or key == DEVELOPMENT_SECRET_KEY:
        problems.append(
            (
                "MUTU_SECRET_KEY belum diisi (atau masih kunci pengembangan). Isi dengan nilai "
                'acak yang panjang, mis. keluaran `python -c "import secrets; '
                'print(secrets.token_urlsafe(50))"`.',
                "MUTU_SECRET_KEY is not set (or is the development key). Set it to a long random "
                'value, e.g. the output of `python -c "import secrets; '
                'print(secrets.token_urlsafe(50))"`.',
            )
        )
    elif len(key) < MIN_SECRET_KEY_LENGTH:
        problems.append(
            (
                f"MUTU_SECRET_KEY terlalu pendek ({len(key)} karakter; minimal "
                f"{MIN_SECRET_KEY_LENGTH}).",
                f"MUTU_SECRET_KEY is too short ({len(key)} characters; at least "
                f"{MIN_SECRET_KEY_LENGTH}).",
            )
        )
    if environ.get("MUTU_DEBUG", "") == "1":
        problems.append(
            (
                "MUTU_DEBUG=1 menampilkan halaman debug berisi rahasia; matikan (MUTU_DEBUG=0).",
                "MUTU_DEBUG=1 shows debug pages full of secrets; turn it off (MUTU_DEBUG=0).",
            )
        )
    hsts = environ.get("MUTU_HSTS_SECONDS", "") or "0"
    if not hsts.isdigit():
        problems.append(
            (
                f"MUTU_HSTS_SECONDS harus bilangan bulat detik, bukan {hsts!r}.",
                f"MUTU_HSTS_SECONDS must be a whole number of seconds, not {hsts!r}.",
            )
        )
    if environ.get("MUTU_SECURE_COOKIES", "1") not in ("", "0", "1"):
        problems.append(
            (
                "MUTU_SECURE_COOKIES harus 0 atau 1.",
                "MUTU_SECURE_COOKIES must be 0 or 1.",
            )
        )
    return problems


def database_problems(*, allow_demo: bool) -> list[Problem]:
    """What in the database makes production unsafe: missing migrations, demo accounts."""
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as err:
        return [
            (
                f"Basis data tidak dapat dibuka: {err}.",
                f"The database cannot be opened: {err}.",
            )
        ]
    if pending:
        return [
            (
                f"Basis data belum diperbarui ({len(pending)} migrasi tertunda); jalankan "
                "`mutu migrate` dulu.",
                f"The database is not up to date ({len(pending)} pending migrations); run "
                "`mutu migrate` first.",
            )
        ]
    if not allow_demo and demo_accounts_exist():
        return [
            (
                "Basis data berisi akun demo (kata sandi yang diketahui umum). Hapus akun demo, "
                "atau jalankan dengan --allow-demo bila ini memang server demo.",
                "The database holds demo accounts (publicly known passwords). Remove them, or "
                "pass --allow-demo if this really is a demo server.",
            )
        ]
    return []


def refusal(problems: list[Problem]) -> CommandError:
    """One error that lists every problem, Indonesian first."""
    lines = ["Mode produksi tidak dijalankan / production mode refused to start:"]
    for message_id, message_en in problems:
        lines.append(f"  - {message_id}\n    {message_en}")
    return CommandError("\n".join(lines))


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _gunicorn_has_control_socket() -> bool:
    from gunicorn.config import Config  # type: ignore[import-untyped]

    return "control_socket_disable" in Config().settings


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    """The gunicorn command line production runs.

    Gunicorn 27's control socket (one fixed path in the home folder) is turned off: Mutu
    does not use it, and two servers on one machine would fight over it.
    """
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "mutu.config.wsgi:application",
        "--bind",
        _address(host, port),
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS_PER_WORKER),
        "--timeout",
        "120",
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        "--access-logfile",
        "-",
        *(["--no-control-socket"] if _gunicorn_has_control_socket() else []),
    ]


def production_environ() -> dict[str, str]:
    """The environment of the production processes: this one, with the production settings."""
    env = dict(os.environ)
    env["MUTU_PRODUCTION"] = "1"
    env["DJANGO_SETTINGS_MODULE"] = "mutu.config.settings"
    return env


class Command(BaseCommand):
    help = (
        "Jalankan aplikasi web (server pengembangan, atau gunicorn dengan --production). / "
        "Serve the web application (development server, or gunicorn with --production)."
    )
    requires_system_checks: list[str] = []  # runserver and gunicorn run them themselves

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", default="8000", help="Port to listen on (default 8000).")
        parser.add_argument(
            "--production",
            action="store_true",
            help="Run gunicorn with several workers and production settings.",
        )
        parser.add_argument(
            "--workers",
            default=None,
            help=f"Worker processes in production (default 2 per core + 1 = {default_workers()}).",
        )
        parser.add_argument(
            "--allow-demo",
            action="store_true",
            help="Let production start although demo accounts exist (a public demo server).",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Development server: restart when the code changes.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port = _port(str(options["port"]))
        if options["production"]:
            workers = _workers(str(options["workers"] or default_workers()))
            self._production(host, port, workers, allow_demo=options["allow_demo"])
        else:
            if options["workers"] is not None or options["allow_demo"]:
                raise CommandError(
                    "--workers dan --allow-demo hanya untuk --production. / "
                    "--workers and --allow-demo only apply to --production."
                )
            self._development(host, port, reload=options["reload"])

    def _development(self, host: str, port: int, *, reload: bool) -> None:
        self.stdout.write(
            f"Mutu (server pengembangan / development server): http://{_address(host, port)}/\n"
            "Tekan Ctrl-C untuk berhenti / press Ctrl-C to stop."
        )
        call_command(
            "runserver",
            _address(host, port),
            use_ipv6=":" in host,
            use_reloader=reload,
            use_threading=True,
        )

    def _production(self, host: str, port: int, workers: int, *, allow_demo: bool) -> None:
        problems = settings_problems(os.environ)
        problems += database_problems(allow_demo=allow_demo)
        if problems:
            raise refusal(problems)
        connection.close()
        env = production_environ()
        collect = subprocess.run(
            [sys.executable, "-m", "mutu", "collectstatic", "--noinput", "-v", "0"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if collect.returncode != 0:
            raise CommandError(
                "Berkas statis gagal dikumpulkan / collecting the static files failed:\n"
                + collect.stderr[-2000:]
            )
        hosts = env.get("MUTU_ALLOWED_HOSTS") or "localhost,127.0.0.1"
        self.stdout.write(
            f"Mutu (produksi / production, {workers} worker): http://{_address(host, port)}/\n"
            f"  nama host yang dilayani / allowed hosts: {hosts}\n"
            "Tekan Ctrl-C untuk berhenti / press Ctrl-C to stop."
        )
        self.stdout.flush()
        sys.stderr.flush()
        argv = gunicorn_argv(host=host, port=port, workers=workers)
        os.execve(argv[0], argv, env)  # gunicorn takes over this process (and its Ctrl-C)
