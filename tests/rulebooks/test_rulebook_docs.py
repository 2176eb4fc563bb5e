"""docs/rulebooks.md documents every shipped rulebook and every one of its keys."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from mutu.rulebooks import BUILTIN_DIR, SHIPPED, load

DOC = Path(__file__).resolve().parents[2] / "docs" / "rulebooks.md"


def sections() -> dict[str, str]:
    """The text under each '### `name` version' heading."""
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### `([a-z_]+)` ", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@pytest.mark.parametrize("name", SHIPPED)
def test_every_key_and_mark_is_documented(name: str) -> None:
    book = load(name, date(2025, 7, 1), search_path=[BUILTIN_DIR])
    section = sections().get(name)
    assert section is not None, f"docs/rulebooks.md has no section for {name}"
    assert section.startswith(book.version), f"{name}: the doc names another version"
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    for key in book:
        row = next((r for r in rows if f"`{key}`" in r.split("|")[1]), None)
        assert row is not None, f"{name}: key {key} is not documented"
        assert row.rstrip(" |").endswith(book.confidence(key).mark), (
            f"{name}: {key} is documented with another mark than {book.confidence(key).mark}"
        )
