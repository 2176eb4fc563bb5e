"""``mutu world`` and ``mutu load``: deterministic output, and loading all or nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from mutu.console.world_load import WorldLoadError, loaded_world, read_manifest, world_load
from mutu.instruments.models import Answer, Response, ResponseIdentity
from mutu.people.models import Employee, Unit
from mutu.programs.models import Attendance, Enrollment, JpLedgerEntry, ProgramUnit
from mutu.reference.models import Kecamatan, LoadedWorld


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world") / "kecil"
    run("world", "--seed", "5", "--scale", "kecil", "--out", str(folder))
    return folder


def copy_with(world: Path, tmp: Path, frame: str, change: object) -> Path:
    """A copy of the world with one frame altered and its manifest hash updated."""
    target = tmp / "altered"
    shutil.copytree(world, target)
    path = target / f"{frame}.parquet"
    data = pd.read_parquet(path)
    change(data)  # type: ignore[operator]
    data.to_parquet(path, index=False)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["files"][f"{frame}.parquet"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


def test_world_command_is_deterministic_per_seed(tmp_path: Path) -> None:
    for name, seed in (("a", "11"), ("b", "11"), ("c", "12")):
        run("world", "--seed", seed, "--scale", "kecil", "--out", str(tmp_path / name))
    a, b, c = (read_manifest(tmp_path / n) for n in "abc")
    assert a == b
    assert a["content_hash"] != c["content_hash"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--years", "2026-2023"], "2023-2026"),
        (["--years", "dua"], "Invalid years"),
        (["--scale", "provinsi"], "Unknown scale"),
    ],
)
def test_world_command_refuses_bad_options(tmp_path: Path, args: list[str], fragment: str) -> None:
    with pytest.raises(CommandError, match=fragment):
        run("world", "--out", str(tmp_path / "x"), *args)
    assert not (tmp_path / "x").exists()


@pytest.mark.django_db(transaction=True)
def test_load_writes_every_stored_frame_and_records_the_world(small_world: Path) -> None:
    manifest = read_manifest(small_world)
    counts = manifest["row_counts"]
    report = world_load(directory=small_world)
    assert Employee.objects.count() == counts["employees"]
    assert Unit.objects.count() == counts["units"]
    assert Enrollment.objects.count() == counts["enrollments"]
    assert Attendance.objects.count() == counts["attendance"]
    assert JpLedgerEntry.objects.count() == counts["jp_ledger"]
    assert Response.objects.count() == counts["responses"]
    assert Answer.objects.count() == counts["answers"]
    assert ResponseIdentity.objects.count() == counts["response_identities"]
    assert ProgramUnit.objects.exclude(adoption_year=None).exists()
    assert Response.objects.exclude(subject=None).exists()
    assert Kecamatan.objects.exclude(distance_km=None).count() == 16
    assert report.total_rows == Answer.objects.count() + sum(
        n for label, n in report.rows.items() if label != "instruments.Answer"
    )
    assert loaded_world(small_world) is not None
    # supervisors and parents resolved to rows of this load
    assert Employee.objects.exclude(supervisor=None).count() == counts["employees"] - 1
    # a second load is refused and changes nothing
    with pytest.raises(WorldLoadError, match="already holds data"):
        world_load(directory=small_world)
    assert LoadedWorld.objects.count() == 1
    assert Employee.objects.count() == counts["employees"]
    # new rows after a load with explicit keys get fresh ids (sequences moved on PostgreSQL)
    unit = Unit.objects.create(code="NEW-UNIT", name="Unit baru", kind="skpk")
    assert unit.pk > max(Unit.objects.exclude(pk=unit.pk).values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_changed_file_is_refused_before_anything_is_written(
    small_world: Path, tmp_path: Path
) -> None:
    target = tmp_path / "tampered"
    shutil.copytree(small_world, target)
    with (target / "units.parquet").open("ab") as handle:
        handle.write(b"x")
    with pytest.raises(WorldLoadError, match="sha256"):
        world_load(directory=target)
    assert Unit.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_invalid_nip_is_refused_and_nothing_is_written(
    small_world: Path, tmp_path: Path
) -> None:
    def spoil(data: pd.DataFrame) -> None:
        data.loc[3, "nip"] = "198609262015131001"  # month 13

    target = copy_with(small_world, tmp_path, "employees", spoil)
    with pytest.raises(WorldLoadError) as info:
        world_load(directory=target)
    assert "198609262015131001" in str(info.value)
    assert "NIP" in info.value.message("id")
    assert Employee.objects.count() == Unit.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_row_the_database_refuses_late_rolls_back_the_whole_load(
    small_world: Path, tmp_path: Path
) -> None:
    def negative(data: pd.DataFrame) -> None:
        data.loc[0, "jp"] = -2.0

    target = copy_with(small_world, tmp_path, "jp_ledger", negative)
    with pytest.raises(WorldLoadError, match="nothing was saved"):
        world_load(directory=target)
    assert Employee.objects.count() == Enrollment.objects.count() == 0
    assert LoadedWorld.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_load_command_reports_rows(small_world: Path) -> None:
    out = run("load", str(small_world))
    assert "people.Employee" in out
    assert "total / jumlah" in out
    with pytest.raises(CommandError, match="already holds data"):
        run("load", str(small_world))
