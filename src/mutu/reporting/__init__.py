"""The evaluation report, written by Mutu: Bahasa Indonesia and English, HTML, PDF, Word, Excel.

The report is composed from the evaluation results dict — never from the
database — into a report model (:mod:`mutu.reporting.model`), which separate
renderers draw as a self-contained HTML file, an A4 PDF, an editable DOCX and
an XLSX data annex. See ``docs/reporting.md``.

>>> paths = write_report(results, out=Path("out"), lang="id", formats=["html"], year=2026)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mutu.reporting.compose import DEFAULT_REGENCY, compose_report
from mutu.reporting.formatting import DEFAULT_PRIVACY_MINIMUM
from mutu.reporting.model import Report
from mutu.reporting.renderers import FORMATS, render

__all__ = ["FORMATS", "Report", "compose_report", "report_filename", "write_report"]


def report_filename(year: int | None, lang: str, fmt: str) -> str:
    """``laporan-evaluasi-2026.pdf`` (Indonesian) or ``evaluation-report-2026.pdf`` (English)."""
    stem = "evaluation-report" if lang == "en" else "laporan-evaluasi"
    return f"{stem}-{year}.{fmt}" if year is not None else f"{stem}.{fmt}"


def write_report(
    results: Mapping[str, Any],
    *,
    out: Path,
    lang: str,
    formats: Sequence[str],
    year: int | None,
    regency: str = DEFAULT_REGENCY,
    privacy_minimum: int = DEFAULT_PRIVACY_MINIMUM,
    date: dt.date | None = None,
    synthetic: bool | None = None,
) -> list[Path]:
    """Compose the report from the results and write it in each format; the paths written.

    Files are ``DIR/laporan-evaluasi-<year>.<ext>`` (English:
    ``evaluation-report-<year>.<ext>``). Unknown formats are refused before
    anything is written.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(
            f"Format laporan tidak dikenal: {', '.join(unknown)} (pilih {', '.join(FORMATS)}). / "
            f"Unknown report format: {', '.join(unknown)} (choose {', '.join(FORMATS)})."
        )
    report = compose_report(
        results,
        lang=lang,
        regency=regency,
        privacy_minimum=privacy_minimum,
        date=date,
        synthetic=synthetic,
    )
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in dict.fromkeys(formats):
        path = out / report_filename(year, lang, fmt)
        path.write_bytes(render(report, fmt))
        written.append(path)
    return written
