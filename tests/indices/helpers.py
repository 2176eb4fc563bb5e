"""Shared test helpers: a new rulebook version written the way an administrator would."""

from __future__ import annotations

from pathlib import Path

from mutu.rulebooks import BUILTIN_DIR, clear_cache


def rulebook_variant(
    root: Path,
    name: str,
    old_version: str,
    new_version: str,
    effective_from: str,
    replacements: dict[str, str],
) -> list[Path]:
    """Copy a shipped rulebook to ``root/<name>/<new_version>.toml`` with text replaced.

    Returns the search path that holds both the shipped and the new version.
    Every replacement must hit, so a changed data file fails the test loudly.
    """
    text = (BUILTIN_DIR / name / f"{old_version}.toml").read_text(encoding="utf-8")
    text = text.replace(f'version = "{old_version}"', f'version = "{new_version}"')
    start = text.split("effective_from = ", 1)[1].split()[0]
    text = text.replace(f"effective_from = {start}", f"effective_from = {effective_from}", 1)
    for old, new in replacements.items():
        assert old in text, f"{old!r} not in the shipped {name} {old_version}"
        text = text.replace(old, new)
    path = root / name / f"{new_version}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    clear_cache()
    return [BUILTIN_DIR, root]
