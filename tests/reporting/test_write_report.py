"""write_report: the files the `mutu report` command writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mutu.reporting import report_filename, write_report
from tests.reporting.fixtures import baseline_results


def test_file_names() -> None:
    assert report_filename(2026, "id", "pdf") == "laporan-evaluasi-2026.pdf"
    assert report_filename(2026, "en", "docx") == "evaluation-report-2026.docx"


def test_writes_the_requested_formats(tmp_path: Path) -> None:
    paths = write_report(
        baseline_results(),
        out=tmp_path / "out",
        lang="en",
        formats=["html", "xlsx"],
        year=2026,
        date=dt.date(2026, 11, 28),
    )
    assert [p.name for p in paths] == ["evaluation-report-2026.html", "evaluation-report-2026.xlsx"]
    assert all(p.stat().st_size > 1000 for p in paths)


def test_unknown_format_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Unknown report format"):
        write_report(
            baseline_results(), out=tmp_path, lang="id", formats=["html", "rtf"], year=2026
        )
    assert list(tmp_path.iterdir()) == []
