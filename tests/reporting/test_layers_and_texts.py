"""Reporting reads results, never the database; every text it prints is translated."""

from __future__ import annotations

import ast
from pathlib import Path

import polib
import pytest

import mutu

SRC = Path(mutu.__file__).parent
REPORTING = SRC / "reporting"
PO = SRC / "locale" / "id" / "LC_MESSAGES" / "django.po"
#: Django apps (models) and layers above reporting that it must not import.
FORBIDDEN = ("reference", "people", "programs", "instruments", "indicators", "evaluations",
             "console", "config")  # fmt: skip


def _modules() -> list[Path]:
    return sorted(REPORTING.rglob("*.py"))


def test_reporting_never_imports_the_orm_or_the_apps() -> None:
    offending = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                parts = name.split(".")
                if parts[:2] in (["django", "db"], ["django", "apps"]) or (
                    parts[0] == "mutu" and len(parts) > 1 and parts[1] in FORBIDDEN
                ):
                    offending.append(f"{path.relative_to(SRC)}: {name}")
    assert offending == []


def _messages() -> set[tuple[str | None, str]]:
    """(context, msgid) of every gettext/pgettext call with literal strings in reporting."""
    found: set[tuple[str | None, str]] = set()
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id in ("_", "gettext") and len(args) == 1:
                found.add((None, str(args[0])))
            elif node.func.id == "pgettext" and len(args) == 2:
                found.add((str(args[0]), str(args[1])))
    return found


def test_every_report_text_has_an_indonesian_translation() -> None:
    messages = _messages()
    assert len(messages) > 200
    catalogue = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = sorted(m[1] for m in messages if m not in catalogue)
    untranslated = sorted(
        m[1] for m in messages if m in catalogue and (not catalogue[m].msgstr or catalogue[m].fuzzy)
    )
    assert missing == []
    assert untranslated == []


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [
        ("Introduction", "Pendahuluan"),
        ("Program Objectives", "Tujuan Program"),
        ("Implementation Strategy", "Strategi Pelaksanaan"),
        ("Evaluation of Results", "Evaluasi Hasil"),
        ("Challenges Encountered", "Tantangan yang Dihadapi"),
        ("Conclusions and Recommendations", "Kesimpulan dan Rekomendasi"),
        ("Page %(page)s of %(pages)s", "Halaman %(page)s dari %(pages)s"),
    ],
)
def test_the_six_headings_and_the_page_numbers_in_indonesian(english: str, indonesian: str) -> None:
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("id"):
        assert gettext(english) == indonesian
