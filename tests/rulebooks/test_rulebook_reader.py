"""Strict checking of rulebook files: every mistake is named, in both languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from mutu.rulebooks import Confidence, RulebookError, read_file

HEADER = """\
name = "demo"
version = "1"
effective_from = 2020-01-01
title_id = "Uji"
title_en = "Test"

[[sources]]
citation = "Peraturan Uji 1/2020"
"""


def write(tmp_path: Path, text: str, name: str = "demo.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> RulebookError:
    with pytest.raises(RulebookError) as err:
        read_file(path)
    error = err.value
    # Every refusal names the file in both languages.
    assert str(path.resolve()) in error.message("id")
    assert str(path.resolve()) in error.message("en")
    assert error.message("id") != error.message("en")
    return error


def test_a_valid_file_with_all_leaf_forms(tmp_path: Path) -> None:
    header = HEADER.replace(
        'title_en = "Test"',
        'title_en = "Test"\ndefault_confidence = "unconfirmed"\n'
        'default_source = "Peraturan Uji 1/2020"',
    )
    path = write(
        tmp_path,
        header
        + """\
[values]
plain = 3
rate = 0.5
marked = { value = 2, confidence = "confirmed", source = "Pasal 2", note = "why" }
since = 2019-05-15

[values.group.bands]
confidence = "secondary"
value = [ { code = "a", min = 1.25 }, { code = "b", min = 0 } ]
""",
    )
    book = read_file(path)
    assert book.keys() == ("plain", "rate", "marked", "since", "group.bands")
    assert book.entry("plain").confidence is Confidence.UNCONFIRMED
    assert book.entry("plain").source == "Peraturan Uji 1/2020"  # the file's default source
    assert book.entry("marked").source == "Pasal 2"
    assert book.entry("marked").note == "why"
    assert book.value("rate") == Decimal("0.5")
    assert book.value("since") == date(2019, 5, 15)
    assert book.confidence("group.bands") is Confidence.SECONDARY
    assert book.records("group.bands")[0]["min"] == Decimal("1.25")
    assert book.origin == path.resolve()
    assert book.effective_until is None


@pytest.mark.parametrize(
    "field", ["name", "version", "effective_from", "title_id", "title_en", "sources"]
)
def test_missing_required_field(tmp_path: Path, field: str) -> None:
    lines = HEADER.splitlines()
    if field == "sources":
        text = "\n".join(line for line in lines if "sources" not in line and "citation" not in line)
    else:
        text = "\n".join(line for line in lines if not line.startswith(f"{field} ="))
    path = write(tmp_path, text + '\n[values]\nx = { value = 1, confidence = "confirmed" }\n')
    error = refused(path)
    assert f"kolom wajib tidak ada: {field}" in error.message("id")
    assert f"required field missing: {field}" in error.message("en")


def test_missing_values(tmp_path: Path) -> None:
    error = refused(write(tmp_path, HEADER))
    assert "values" in error.message("en")


def test_bad_confidence(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + '[values]\nx = { value = 1, confidence = "sure" }\n')
    error = refused(path)
    assert "'sure'" in error.message("en")
    assert "confirmed, secondary, unconfirmed" in error.message("en")
    assert "tidak valid" in error.message("id")


def test_leaf_without_confidence_and_no_default(tmp_path: Path) -> None:
    error = refused(write(tmp_path, HEADER + "[values]\nx = { value = 1 }\n"))
    assert "no confidence" in error.message("en")
    assert "tidak punya confidence" in error.message("id")


def test_bare_value_without_default_confidence(tmp_path: Path) -> None:
    error = refused(write(tmp_path, HEADER + "[values]\nx = 1\n"))
    assert "default_confidence" in error.message("en")


def test_bad_default_confidence(tmp_path: Path) -> None:
    text = HEADER.replace('title_en = "Test"', 'title_en = "Test"\ndefault_confidence = "C"')
    error = refused(write(tmp_path, text + "[values]\nx = 1\n"))
    assert "default_confidence" in error.message("en")


def test_top_level_field_after_sources_is_explained(tmp_path: Path) -> None:
    # TOML puts a key written after [[sources]] into that source.
    error = refused(write(tmp_path, HEADER + 'default_confidence = "confirmed"\n[values]\nx = 1\n'))
    assert "default_confidence" in error.message("en")
    assert "before the first [[sources]]" in error.message("en")
    assert "sebelum [[sources]] pertama" in error.message("id")


def test_misspelt_leaf_key(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + '[values]\nx = { value = 1, confidance = "confirmed" }\n')
    error = refused(path)
    assert "confidance" in error.message("en")
    assert "kunci tidak dikenal" in error.message("id")


def test_quoted_date_is_refused(tmp_path: Path) -> None:
    text = HEADER.replace("effective_from = 2020-01-01", 'effective_from = "2020-01-01"')
    error = refused(
        write(tmp_path, text + '[values]\nx = { value = 1, confidence = "confirmed" }\n')
    )
    assert "effective_from must be an unquoted TOML date" in error.message("en")
    assert "effective_from harus tanggal" in error.message("id")


def test_datetime_is_not_a_date(tmp_path: Path) -> None:
    text = HEADER.replace("effective_from = 2020-01-01", "effective_from = 2020-01-01T10:00:00")
    refused(write(tmp_path, text + '[values]\nx = { value = 1, confidence = "confirmed" }\n'))


def test_impossible_date_is_not_toml(tmp_path: Path) -> None:
    text = HEADER.replace("effective_from = 2020-01-01", "effective_from = 2020-02-30")
    error = refused(
        write(tmp_path, text + '[values]\nx = { value = 1, confidence = "confirmed" }\n')
    )
    assert "not valid TOML" in error.message("en")
    assert "bukan TOML yang valid" in error.message("id")


def test_until_before_from(tmp_path: Path) -> None:
    text = HEADER.replace(
        "effective_from = 2020-01-01", "effective_from = 2020-01-01\neffective_until = 2019-12-31"
    )
    error = refused(
        write(tmp_path, text + '[values]\nx = { value = 1, confidence = "confirmed" }\n')
    )
    assert "before effective_from" in error.message("en")


def test_unquoted_version(tmp_path: Path) -> None:
    text = HEADER.replace('version = "1"', "version = 2019.1")
    error = refused(
        write(tmp_path, text + '[values]\nx = { value = 1, confidence = "confirmed" }\n')
    )
    assert "quoted" in error.message("en")


def test_unknown_top_level_field(tmp_path: Path) -> None:
    text = HEADER.replace('title_en = "Test"', 'title_en = "Test"\nefective_until = 2021-01-01')
    error = refused(
        write(tmp_path, text + '[values]\nx = { value = 1, confidence = "confirmed" }\n')
    )
    assert "efective_until" in error.message("en")


def test_source_without_citation(tmp_path: Path) -> None:
    text = HEADER.replace('citation = "Peraturan Uji 1/2020"', 'url = "https://example.org"')
    error = refused(
        write(tmp_path, text + '[values]\nx = { value = 1, confidence = "confirmed" }\n')
    )
    assert "citation" in error.message("en")


def test_infinite_number_is_refused(tmp_path: Path) -> None:
    error = refused(
        write(tmp_path, HEADER + '[values]\nx = { value = inf, confidence = "confirmed" }\n')
    )
    assert "finite" in error.message("en")


def test_not_toml(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "this is = = not toml"))
    assert "TOML" in error.message("en")


def test_missing_file(tmp_path: Path) -> None:
    refused(tmp_path / "absent.toml")


def test_bad_name(tmp_path: Path) -> None:
    text = HEADER.replace('name = "demo"', 'name = "Demo Book"')
    error = refused(
        write(tmp_path, text + '[values]\nx = { value = 1, confidence = "confirmed" }\n')
    )
    assert "lower-case" in error.message("en")


def test_expect_name_and_version(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + '[values]\nx = { value = 1, confidence = "confirmed" }\n')
    assert read_file(path, expect_name="demo", expect_version="1").name == "demo"
    with pytest.raises(RulebookError, match="folder 'other'"):
        read_file(path, expect_name="other")
    with pytest.raises(RulebookError, match=r"rename it to '1\.toml'"):
        read_file(path, expect_version="2")
