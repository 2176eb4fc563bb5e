"""``mutu demo`` ends by serving the demo, but only for a person at a terminal."""

from __future__ import annotations

import io
from typing import Any

import pytest

from mutu.console.management.commands import demo


class Terminal(io.StringIO):
    """Output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def quick_demo(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """`mutu demo` with its heavy steps stubbed; records the commands it calls."""
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(demo, "call_command", lambda *a, **k: calls.append((*a, k)))
    monkeypatch.setattr(demo, "reference_data_load", dict)
    for step in ("_rulebooks", "_world", "_summary", "_indices", "_report", "_accounts"):
        monkeypatch.setattr(demo.Command, step, lambda *a, **k: None)
    monkeypatch.setattr(demo.Command, "_evaluate", lambda self: {})
    return calls


def run_demo(
    stdin_tty: bool, stdout: io.StringIO, monkeypatch: pytest.MonkeyPatch, *args: str
) -> None:
    monkeypatch.setattr("sys.stdin", Terminal() if stdin_tty else io.StringIO())
    demo.Command(stdout=stdout).run_from_argv(["mutu", "demo", *args])


def test_on_a_terminal_the_demo_ends_serving_on_port_8000(
    quick_demo: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = Terminal()
    run_demo(True, out, monkeypatch)
    assert quick_demo[-1] == ("serve", {"host": "127.0.0.1", "port": "8000"})
    assert "http://127.0.0.1:8000" in out.getvalue()


@pytest.mark.parametrize(
    ("stdin_tty", "stdout_tty", "args"),
    [
        (True, True, ["--no-serve"]),  # asked not to
        (False, True, []),  # no keyboard to press Ctrl-C (CI, cron)
        (True, False, []),  # output piped to a file
    ],
)
def test_without_a_terminal_or_with_no_serve_the_demo_finishes(
    quick_demo: list[tuple[Any, ...]],
    monkeypatch: pytest.MonkeyPatch,
    stdin_tty: bool,
    stdout_tty: bool,
    args: list[str],
) -> None:
    out = Terminal() if stdout_tty else io.StringIO()
    run_demo(stdin_tty, out, monkeypatch, *args)
    assert not [c for c in quick_demo if c[0] == "serve"]
    assert "Demo siap / demo ready." in out.getvalue()
    assert "127.0.0.1:8000" not in out.getvalue()
