"""``mutu world --scale nasional|N`` (N above the regency range) writes the national world."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

N = "25000"  # above the regency generator's 20,000: the national generator


def _world(*args: str) -> str:
    out = StringIO()
    call_command("world", *args, stdout=out)
    return out.getvalue()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.parquet"))}


def test_a_national_headcount_streams_partitioned_parquet_deterministically(
    tmp_path: Path,
) -> None:
    text = _world("--scale", N, "--seed", "4", "--out", str(tmp_path / "a"))
    _world("--scale", N, "--seed", "4", "--out", str(tmp_path / "b"))
    _world("--scale", N, "--seed", "5", "--out", str(tmp_path / "c"))
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text("utf-8"))
    assert manifest["kind"] == "national" and manifest["n_asn"] == 25000
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert "answers/part-00000.parquet" in a and "employees/part-00000.parquet" in a
    assert a == b  # same seed: byte-identical files
    assert a.keys() == c.keys()
    assert a["answers/part-00000.parquet"] != c["answers/part-00000.parquet"]
    # what it wrote: counts, MiB, seconds
    assert "25.000 ASN" in text and "instansi" in text
    answers = f"{manifest['rows']['answers']:,}".replace(",", ".")
    assert f"answers {answers}" in text
    assert "MiB Parquet" in text and " s) →" in text


def test_the_bench_reads_the_world_the_command_wrote(tmp_path: Path) -> None:
    _world("--scale", N, "--seed", "6", "--out", str(tmp_path / "w"))
    target = tmp_path / "b.json"
    call_command(
        "bench", "--world", str(tmp_path / "w"), "--json", str(target), "--sample", "2",
        stdout=StringIO(),
    )  # fmt: skip
    data = json.loads(target.read_text("utf-8"))
    assert data["counts"]["asn"] == 25000
    assert data["source"].startswith("read ")
    assert data["baseline_max_abs_diff"] <= 1e-9


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--format", "csv"], "--format csv"),
        (["--scenario", "strong"], "--scenario strong"),
        (["--years", "2024-2025"], "--years 2024-2025"),
    ],
)
def test_options_that_do_not_apply_are_refused_in_both_languages(
    tmp_path: Path, extra: list[str], named: str
) -> None:
    out = tmp_path / "w"
    with pytest.raises(CommandError) as err:
        _world("--scale", "nasional", "--out", str(out), *extra)
    message = str(err.value)
    assert "tidak berlaku" in message and "does not apply" in message and named in message
    assert not out.exists()  # nothing written


def test_a_used_folder_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    _world("--scale", N, "--seed", "1", "--out", str(tmp_path))
    before = _files(tmp_path)
    with pytest.raises(CommandError) as err:
        _world("--scale", N, "--seed", "2", "--out", str(tmp_path))
    assert "sudah berisi" in str(err.value) and "already holds" in str(err.value)
    assert _files(tmp_path) == before


def test_a_regency_headcount_still_uses_the_regency_generator(tmp_path: Path) -> None:
    _world("--scale", "1500", "--seed", "2", "--out", str(tmp_path))
    assert (tmp_path / "answers.parquet").exists()
    assert not (tmp_path / "answers").is_dir()
