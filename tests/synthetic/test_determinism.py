"""Same seed, same bytes; another seed, other data; no path or time in the manifest."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mutu.synthetic import World, content_hash, generate_world, write_world
from mutu.synthetic.rng import COMPONENTS, Streams


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_identical_files_and_manifests(world: World, tmp_path: Path) -> None:
    again = generate_world(seed=11, scale="kabupaten", scenario="baseline")
    a = write_world(world, tmp_path / "A")
    b = write_world(again, tmp_path / "B")
    assert a.read_bytes() == b.read_bytes()
    assert _hashes(tmp_path / "A") == _hashes(tmp_path / "B")


def test_manifest_holds_no_path_or_time(world: World, tmp_path: Path) -> None:
    out = tmp_path / "somewhere-unique-xyz"
    manifest = write_world(world, out)
    text = manifest.read_text()
    assert "somewhere-unique-xyz" not in text
    data = json.loads(text)
    assert {"seed", "scenario", "scale", "row_counts", "content_hash"} <= set(data)
    assert not {"created", "created_at", "time", "timestamp", "path", "out"} & set(data)
    assert data["seed"] == 11
    assert data["scenario"] == "baseline"
    assert data["row_counts"] == {name: len(df) for name, df in world.frames.items()}


def test_content_hash_is_over_the_written_files(world: World, tmp_path: Path) -> None:
    manifest = json.loads(write_world(world, tmp_path).read_text())
    files = {
        str(p.relative_to(tmp_path)): p.read_bytes()
        for p in sorted(tmp_path.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }
    assert set(files) == set(manifest["files"])
    assert content_hash(files) == manifest["content_hash"]
    assert world.manifest() == manifest


def test_a_different_seed_gives_different_data() -> None:
    a = generate_world(seed=11, scale="kecil")
    b = generate_world(seed=12, scale="kecil")
    assert a.manifest()["content_hash"] != b.manifest()["content_hash"]
    assert not a.frames["employees"]["nip"].equals(b.frames["employees"]["nip"])


def test_csv_output_is_deterministic_too() -> None:
    a = generate_world(seed=5, scale="kecil").manifest("csv")
    b = generate_world(seed=5, scale="kecil").manifest("csv")
    assert a == b
    assert a["format"] == "csv"
    assert all(name.endswith((".csv", ".json", ".md")) for name in a["files"])


def test_parquet_reads_back_to_the_same_frames(world: World, tmp_path: Path) -> None:
    write_world(world, tmp_path)
    for name in ("employees", "program_units", "responses", "answers", "jp_ledger"):
        back = pd.read_parquet(tmp_path / f"{name}.parquet")
        pd.testing.assert_frame_equal(back, world.frames[name])


def test_unknown_format_is_refused(world: World, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="xlsx"):
        write_world(world, tmp_path, fmt="xlsx")  # type: ignore[arg-type]


def test_streams_do_not_depend_on_each_other() -> None:
    first = Streams(11)
    first["workforce"].random(10_000)  # one component draws a lot …
    second = Streams(11)
    # … and every other component's numbers are unchanged.
    for name in COMPONENTS:
        if name != "workforce":
            assert first[name].random() == second[name].random()


def test_bytes_do_not_depend_on_the_python_hash_seed() -> None:
    """Two interpreters with different PYTHONHASHSEED write the same world."""
    code = (
        "from mutu.synthetic import generate_world;"
        "print(generate_world(seed=7, scale='kecil').manifest()['content_hash'])"
    )
    out = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        out.append(done.stdout.strip())
    assert out[0] == out[1]
    assert len(out[0]) == 64
