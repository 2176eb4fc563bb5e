"""``mutu evaluate`` and ``mutu report`` refuse bad input with a bilingual message."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mutu.evaluations.management.commands.evaluate import load_plan
from mutu.evaluations.management.commands.report import parse_formats
from mutu.evaluations.models import EvaluationRun


def test_formats_are_parsed_and_unknown_ones_refused() -> None:
    assert parse_formats("html, PDF") == ["html", "pdf"]
    with pytest.raises(CommandError) as info:
        parse_formats("html,odt")
    assert "Format tidak dikenal: 'odt'" in str(info.value)
    assert "Unknown format: 'odt'" in str(info.value)
    with pytest.raises(CommandError):
        parse_formats(" , ")


def test_a_plan_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot be read"):
        load_plan(bad)
    with pytest.raises(CommandError, match="cannot be read"):
        load_plan(tmp_path / "missing.json")


@pytest.mark.django_db
def test_evaluate_on_an_empty_database_says_what_to_do_and_stores_nothing() -> None:
    with pytest.raises(CommandError) as info:
        call_command("evaluate", stdout=StringIO())
    assert "mutu demo" in str(info.value)
    assert "belum berisi pegawai" in str(info.value)
    assert EvaluationRun.objects.count() == 0


@pytest.mark.django_db
def test_report_with_a_bad_format_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Unknown format"):
        call_command("report", format="docx,rtf", out=tmp_path / "out", stdout=StringIO())
    assert not (tmp_path / "out").exists()
