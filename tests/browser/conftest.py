"""A server with the small demo world, and a headless Chromium to drive it.

The server is ``mutu serve`` in its own process on a free port, over its own
SQLite database in a temporary folder: the pages are tested as a person meets
them, and the suite's test database is never touched. Both are built once for
the whole ``tests/browser`` package (about half a minute).

Chromium is Debian's ``chromium`` package (``make test`` installs it); Playwright
drives it through ``executable_path``, so no browser is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
#: The user guide's pictures; every browser test refreshes the ones it takes.
SCREENSHOTS = ROOT / "docs" / "img"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "demo-mutu-2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    """Poll ``url`` until it answers 200; fail with the server's log if it dies or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the server did not answer {url} within {seconds} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the server we started (its whole process group), politely first."""
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=10)


@dataclass(frozen=True)
class Site:
    """The running demo: its address, facts about its world, and its database file."""

    url: str
    facts: dict[str, Any]
    database: Path

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` read from the served database, opened read-only (the app owns it)."""
        connection = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=20)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'mutu.sqlite3'}",
        "MUTU_HOME": str(folder),
        "MUTU_DEBUG": "0",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("MUTU_PRODUCTION", None)
    build = subprocess.run(
        [sys.executable, "-m", "tests.browser.world", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
    port = free_port()
    log = folder / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mutu", "serve", "--port", str(port)],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/health/", server, log, seconds=60)
        yield Site(url, facts, folder / "mutu.sqlite3")
    finally:
        stop(server)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is missing: `make system-deps` installs it")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


def browser_context(
    browser: Browser, site: Site, viewport: dict[str, int], **extra: Any
) -> BrowserContext:
    # An Indonesian phone: the browser asks for Bahasa Indonesia, as most users' do.
    context = browser.new_context(
        base_url=site.url, viewport=viewport, locale="id-ID", timezone_id="Asia/Jakarta", **extra
    )
    context.set_default_timeout(15_000)
    # A Content-Security-Policy refusal breaks a page silently: collect it, fail the test on it.
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline')))"
    )
    context.on(
        "console",
        lambda m: (
            CSP_ERRORS.append(f"{m.location.get('url', '')}: {m.text}")
            if m.type == "error" and ("Content Security Policy" in m.text or "CSP" in m.text)
            else None
        ),
    )
    return context


#: Content-Security-Policy errors the browser reported during the current test.
CSP_ERRORS: list[str] = []


@pytest.fixture(autouse=True)
def _no_csp_errors() -> Iterator[None]:
    CSP_ERRORS.clear()
    yield
    if CSP_ERRORS:
        pytest.fail("Content-Security-Policy errors in the browser:\n" + "\n".join(CSP_ERRORS))


@pytest.fixture
def phone(browser: Browser, site: Site) -> Iterator[Page]:
    """A page on a 360 × 740 phone screen (touch, mobile viewport rules)."""
    context = browser_context(browser, site, PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser: Browser, site: Site) -> Iterator[Page]:
    """A page on a 1280 × 800 office screen."""
    context = browser_context(browser, site, DESKTOP)
    yield context.new_page()
    context.close()


def sign_in(page: Page, username: str) -> None:
    """Sign in through the form, as a person does."""
    page.goto("/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save the page as ``docs/img/<name>.png`` for the user guide."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def fits_the_screen(page: Page) -> bool:
    """No sideways scrolling: the page is no wider than the viewport."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))
