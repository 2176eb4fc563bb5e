"""The report of the synthetic world (seed 11, ``kecil``), from the real evaluation results.

The results come from ``evaluate(stored_view(world.frames)).to_json()``, sent
through JSON as a stored evaluation run would be. Checks: every printed number
is the number at its source; the null world claims no significant change; the
baseline world reports its headline effects with their intervals; all four
files are written in both languages.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from mutu.evaluation.pipeline import evaluate
from mutu.reporting import compose_report, write_report
from mutu.reporting.compose.estimands import estimand_info
from mutu.reporting.compose.source import Results
from mutu.reporting.formatting import format_value
from mutu.reporting.model import iter_numbers
from mutu.synthetic import generate_world, stored_view
from tests.reporting.helpers import SIX_EN, SIX_ID, body_text, significance_claims, untraced_numbers

DAY = dt.date(2026, 11, 28)


def _results(scenario: str) -> dict[str, Any]:
    world = generate_world(seed=11, scale="kecil", scenario=scenario)
    results = evaluate(stored_view(world.frames)).to_json()
    return json.loads(json.dumps(results, allow_nan=False))  # as stored in an evaluation run


@pytest.fixture(scope="module")
def baseline() -> dict[str, Any]:
    return _results("baseline")


@pytest.fixture(scope="module")
def null() -> dict[str, Any]:
    return _results("null")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_number_is_the_number_in_the_results(
    baseline: dict[str, Any], null: dict[str, Any], lang: str
) -> None:
    for results in (baseline, null):
        report = compose_report(results, lang=lang, date=DAY, synthetic=True)
        assert len(list(iter_numbers(report))) > 300
        assert untraced_numbers(report, results) == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_null_world_claims_no_significant_improvement(null: dict[str, Any], lang: str) -> None:
    assert not any(e["significant"] for e in null["estimands"].values())
    report = compose_report(null, lang=lang, date=DAY, synthetic=True)
    assert significance_claims(report) == []
    text = " ".join(body_text(report))
    assert (
        "Tidak ada pengaruh yang terbukti" if lang == "id" else "No demonstrated effect"
    ) in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_baseline_reports_headline_effects_with_intervals(
    baseline: dict[str, Any], lang: str
) -> None:
    report = compose_report(baseline, lang=lang, date=DAY, synthetic=True)
    text = " ".join(body_text(report))
    res = Results(baseline)
    significant = [k for k, e in baseline["estimands"].items() if e["significant"]]
    assert {"learning_gain", "ikm_att", "incentive_attendance_effect"} <= set(significant)
    with translation.override(lang):
        for key in significant:
            info = estimand_info(key, res)
            e = baseline["estimands"][key]
            estimate = format_value(e["estimate"], info.kind, info.digits, lang, signed=True)
            low = format_value(e["ci_low"], info.kind, info.digits, lang, unit=False)
            high = format_value(e["ci_high"], info.kind, info.digits, lang, unit=False)
            to = "sampai" if lang == "id" else "to"
            ci = "IK 95%" if lang == "id" else "95% CI"
            assert f"{estimate}" in text
            assert f"({ci} {low} {to} {high})" in text, key
    assert len(significance_claims(report)) >= len(significant)


def test_the_demo_world_report_in_four_formats_and_two_languages(
    baseline: dict[str, Any], tmp_path: Path
) -> None:
    for lang, six, stem in (
        ("id", SIX_ID, "laporan-evaluasi"),
        ("en", SIX_EN, "evaluation-report"),
    ):
        paths = write_report(
            baseline,
            out=tmp_path,
            lang=lang,
            formats=["html", "pdf", "docx", "xlsx"],
            year=2026,
            date=DAY,
            synthetic=True,
        )
        assert [p.name for p in paths] == [
            f"{stem}-2026.{ext}" for ext in ("html", "pdf", "docx", "xlsx")
        ]
        html, pdf, docx, xlsx = (p.read_bytes() for p in paths)
        text = html.decode()
        positions = [text.index(f"</span> {heading}</h2>") for heading in six]
        assert positions == sorted(positions)
        assert pdf.startswith(b"%PDF-") and len(pdf) > 50_000
        doc = Document(io.BytesIO(docx))
        heading1 = [
            p.text.split(" ", 1)[1]
            for p in doc.paragraphs
            if p.style is not None and p.style.name == "Heading 1"
        ]
        assert heading1[:6] == six
        assert doc.tables and doc.inline_shapes
        assert "word/footer1.xml" in zipfile.ZipFile(io.BytesIO(docx)).namelist()
        wb = load_workbook(io.BytesIO(xlsx))
        assert len(wb.sheetnames) > 8
