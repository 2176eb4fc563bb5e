"""The user guide shows only pictures the browser tests take, and every one of them exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, SCREENSHOTS

GUIDES = [ROOT / "docs" / "panduan.md", ROOT / "docs" / "guide.md"]


def pictures(guide: Path) -> set[str]:
    return set(re.findall(r"\]\(img/([\w-]+)\.png\)", guide.read_text(encoding="utf-8")))


def taken_by_tests() -> set[str]:
    """Picture names written by the browser tests (``screenshot(page, "name")`` or a table)."""
    names: set[str] = set()
    for path in Path(__file__).parent.glob("test_*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r'screenshot\(\w+, "([\w-]+)"', text))
        names |= set(re.findall(r'\("(beranda-[\w-]+)", "', text))
    return names


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_every_picture_of_the_guide_comes_from_a_browser_test(guide: Path) -> None:
    shown = pictures(guide)
    assert len(shown) >= 10
    assert shown - taken_by_tests() == set(), "pictures no browser test refreshes"
    assert {name for name in shown if not (SCREENSHOTS / f"{name}.png").exists()} == set()


def test_both_languages_show_the_same_pictures() -> None:
    assert pictures(GUIDES[0]) == pictures(GUIDES[1])
