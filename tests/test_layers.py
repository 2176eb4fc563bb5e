"""The pure core never imports Django, nor any Mutu layer above it (DESIGN.md, "Architecture")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "mutu"
PURE = ["domain", "rulebooks", "evaluation", "indices", "planning", "synthetic"]
ABOVE = ["reference", "people", "programs", "instruments", "indicators", "console", "config"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", PURE)
def test_pure_core_imports_no_django_and_nothing_above(package: str) -> None:
    folder = SRC / package
    offending = []
    for path in sorted(folder.rglob("*.py")) if folder.exists() else []:
        for name in imported_modules(path):
            top = name.split(".")
            if top[0] == "django" or (top[0] == "mutu" and len(top) > 1 and top[1] in ABOVE):
                offending.append(f"{path.relative_to(SRC)}: {name}")
    assert offending == []


def test_the_check_sees_the_pure_packages() -> None:
    assert (SRC / "domain" / "nip.py").exists()
    assert imported_modules(SRC / "domain" / "nip.py") >= {"mutu.domain.errors"}
