"""Settings and commands are documented (datasette's habit: undocumented = failing)."""

from __future__ import annotations

from pathlib import Path

from django.core.management import get_commands

from mutu.config.settings import ENVIRONMENT

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "settings.md").read_text()
    missing = [name for name in ENVIRONMENT if f"`{name}`" not in text]
    assert missing == []


def test_every_mutu_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    ours = sorted(name for name, app in get_commands().items() if app.startswith("mutu."))
    assert ours, "no mutu commands found"
    missing = [name for name in ours if f"`mutu {name}" not in readme]
    assert missing == []


def test_readme_starts_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text().split("\n## ", 1)[0]
    assert "make demo" in head
    assert "make test" in head
