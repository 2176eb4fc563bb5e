"""``mutu serve``: production refuses an unsafe set-up, and serves pages and static files.

Every server here is a child process on a free port of 127.0.0.1, stopped (its
whole process group) before the test ends; the refusals exit on their own.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from mutu.web.management.commands.serve import (
    DEVELOPMENT_SECRET_KEY,
    gunicorn_argv,
    settings_problems,
)

ROOT = Path(__file__).resolve().parents[2]
SERVE = [sys.executable, "-m", "mutu", "serve"]
GOOD_KEY = "k" * 20 + "-a-long-random-production-key-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def environment(home: Path, **extra: str) -> dict[str, str]:
    """This process's environment without Mutu's settings, pointed at ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUTU_")}
    env.pop("DATABASE_URL", None)
    env.update(
        MUTU_HOME=str(home), DATABASE_URL=f"sqlite:///{home / 'mutu.sqlite3'}", PYTHONPATH=str(ROOT)
    )
    env.update(extra)
    return env


def mutu(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mutu", *args],
        env=env,
        cwd=env["MUTU_HOME"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with one demo account in it."""
    folder = tmp_path_factory.mktemp("serve")
    env = environment(folder)
    assert mutu(env, "migrate", "-v", "0").returncode == 0
    make_demo = (
        "from django.contrib.auth import get_user_model\n"
        "from mutu.accounts.services import role_assign\n"
        "u = get_user_model().objects.create_user(username='demo-x', password='demo-mutu-2026')\n"
        "role_assign(user_id=u.pk, role='admin', is_demo=True)\n"
    )
    made = mutu(env, "shell", "-c", make_demo)
    assert made.returncode == 0, made.stderr
    return folder


@pytest.mark.parametrize(
    ("extra", "fragments"),
    [
        ({}, ["MUTU_SECRET_KEY belum diisi", "MUTU_SECRET_KEY is not set"]),
        ({"MUTU_SECRET_KEY": GOOD_KEY, "MUTU_DEBUG": "1"}, ["MUTU_DEBUG=1", "debug pages"]),
        ({"MUTU_SECRET_KEY": GOOD_KEY}, ["akun demo", "demo accounts", "--allow-demo"]),
    ],
)
def test_production_refuses_an_unsafe_setup(
    home: Path, extra: dict[str, str], fragments: list[str]
) -> None:
    port = free_port()
    run = mutu(environment(home, **extra), "serve", "--production", "--port", str(port))
    assert run.returncode != 0
    assert "production mode refused to start" in run.stderr
    for fragment in fragments:
        assert fragment in run.stderr
    assert not listening(port)
    assert not (home / "static").exists(), "nothing is collected before the checks pass"


def test_production_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    run = mutu(environment(tmp_path, MUTU_SECRET_KEY=GOOD_KEY), "serve", "--production")
    assert run.returncode != 0
    assert "mutu migrate" in run.stderr and "migrasi tertunda" in run.stderr


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=5) as answer:
        headers = {k.lower(): v for k, v in answer.headers.items()}
        cookies = answer.headers.get_all("Set-Cookie") or []
        headers["set-cookie"] = "\n".join(cookies)
        return answer.status, headers, answer.read()


@pytest.fixture
def production(home: Path) -> Iterator[tuple[str, Path]]:
    """``mutu serve --production --allow-demo`` with two workers; stopped after the test."""
    port = free_port()
    log = home / "production.log"
    env = environment(home, MUTU_SECRET_KEY=GOOD_KEY)
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*SERVE, "--production", "--allow-demo", "--workers", "2", "--port", str(port)],
            env=env,
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            try:
                get(f"{url}/health/")
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"production server did not answer within 90 s:\n{log.read_text()}")
        yield url, log
    finally:
        if server.poll() is None:
            os.killpg(server.pid, 15)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, 9)
                server.wait(timeout=10)
    assert not listening(port)


def test_production_serves_pages_and_static_files_with_security_headers(
    production: tuple[str, Path], home: Path
) -> None:
    url, log = production
    status, _, body = get(f"{url}/health/")
    assert status == 200 and b'"ok"' in body

    status, headers, body = get(f"{url}/masuk/")
    assert status == 200
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in headers  # off by default (plain http)
    assert "Secure" in headers["set-cookie"] and "csrftoken" in headers["set-cookie"]

    # The stylesheet is collected under a content-hashed name and cached as immutable.
    css = re.search(rb'href="(/static/web/mutu\.[0-9a-f]{12}\.css)"', body)
    assert css is not None, body[:500]
    status, headers, body = get(url + css.group(1).decode())
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert "immutable" in headers["cache-control"] and b"{" in body
    assert (home / "static" / "staticfiles.json").exists()

    text = log.read_text()
    assert "gunicorn" in text and text.count("Booting worker") == 2


def test_gunicorn_runs_several_threaded_workers_on_the_wsgi_app() -> None:
    argv = gunicorn_argv(host="0.0.0.0", port=8080, workers=3)
    assert argv[1:4] == ["-m", "gunicorn", "mutu.config.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:8080"
    assert argv[argv.index("--workers") + 1] == "3"
    assert gunicorn_argv(host="::1", port=8000, workers=1)[5] == "[::1]:8000"


@pytest.mark.parametrize(
    ("environ", "fragments"),
    [
        ({"MUTU_SECRET_KEY": DEVELOPMENT_SECRET_KEY}, ["kunci pengembangan", "development key"]),
        ({"MUTU_SECRET_KEY": "short"}, ["terlalu pendek", "too short"]),
        ({"MUTU_SECRET_KEY": GOOD_KEY, "MUTU_HSTS_SECONDS": "setahun"}, ["whole number"]),
        ({"MUTU_SECRET_KEY": GOOD_KEY, "MUTU_SECURE_COOKIES": "ya"}, ["0 atau 1", "0 or 1"]),
    ],
)
def test_settings_checks_name_each_unsafe_value(
    environ: dict[str, str], fragments: list[str]
) -> None:
    (problem,) = settings_problems(environ)
    for fragment in fragments:
        assert fragment in " / ".join(problem)


def test_settings_checks_accept_a_safe_environment() -> None:
    assert settings_problems({"MUTU_SECRET_KEY": GOOD_KEY}) == []
    assert settings_problems({"MUTU_SECRET_KEY": GOOD_KEY, "MUTU_HSTS_SECONDS": "31536000"}) == []
    assert len(settings_problems({"MUTU_DEBUG": "1"})) == 2
    if not os.environ.get("MUTU_SECRET_KEY"):
        assert settings.SECRET_KEY == DEVELOPMENT_SECRET_KEY  # the key the check refuses


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--port", "delapan"], "Invalid port"),
        (["--port", "70000"], "Invalid port"),
        (["--production", "--workers", "0"], "Invalid number of workers"),
        (["--workers", "2"], "only apply to --production"),
        (["--allow-demo"], "only apply to --production"),
    ],
)
def test_serve_refuses_bad_options_before_starting(args: list[str], fragment: str) -> None:
    with pytest.raises(CommandError, match=fragment):
        call_command("serve", *args)
