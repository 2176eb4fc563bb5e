"""The world's raw exports (``raw/``, with planted faults) imported into the world they came from.

Each fault the world's ``raw/README.md`` lists must come back as its message
at its row and column, nothing may be written, and once the faults are
fixed the files must match the database exactly: 0 created, 0 updated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from pytest_django import DjangoDbBlocker

from mutu.console.world_load import read_frames, read_manifest
from mutu.console.world_load.base import Ids, WorldLoadReport
from mutu.console.world_load.people import load_people
from mutu.console.world_load.programs import load_activities, load_programs
from mutu.imports.engine import ImportReport
from mutu.imports.services import import_file
from mutu.people.models import Employee
from mutu.reference.models import DevelopmentForm, Golongan, Kecamatan
from mutu.reference.services import reference_data_load
from tests.imports.helpers import database_state, mutu

#: What each fault of the README must become: (severity, code, column header or None).
EXPECTED = [
    (r"scientific notation", "error", "nip_precision", "NIP"),
    (r"is not a unit of the regency", "error", "unknown_reference", "UNOR"),
    (r"exact duplicate of row", "error", "duplicate_row", None),
    (r"ISO form", "notice", "date_iso", "TGL LAHIR"),
    (r"NAMA has two trailing spaces", "notice", "spaces", "NAMA"),
    (r"UNOR has a trailing space", "notice", "spaces", "UNOR"),
    (r"has 17 digits", "error", "nip_invalid", "NIP"),
    (r"NIP typed with spaces", "notice", "nip_separators", "NIP"),
    (r"mark `Hadir`", "notice", "mark_variant", "Sesi 1"),
]


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory,
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[Path]:
    """A small world generated from a seed, its registry and activities loaded (no responses)."""
    folder = tmp_path_factory.mktemp("world") / "kecil"
    call_command("world", "--seed", "5", "--scale", "kecil", "--out", str(folder), verbosity=0)
    frames = read_frames(folder, read_manifest(folder))
    with django_db_blocker.unblock(), transaction.atomic():
        reference_data_load()
        ids = Ids()
        ids.maps["kecamatan"] = dict(Kecamatan.objects.values_list("code", "id"))
        ids.maps["golongan"] = {
            (k, c): i for k, c, i in Golongan.objects.values_list("kind", "code", "id")
        }
        ids.maps["form"] = dict(DevelopmentForm.objects.values_list("code", "id"))
        report = WorldLoadReport(directory=folder, manifest={})
        load_people(frames, ids, report)
        load_programs(frames, ids, report)
        load_activities(frames, ids, report)
        if connection.vendor == "postgresql":  # explicit ids: move the sequences past them
            models = [
                m for a in ("people", "programs") for m in apps.get_app_config(a).get_models()
            ]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
        yield folder
        transaction.set_rollback(True)


def readme_faults(world: Path, file_name: str) -> list[tuple[list[int], str]]:
    """The fault table of one raw file: (data rows, description)."""
    text = (world / "raw" / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## `{file_name}`", 1)[1].split("\n## ", 1)[0]
    out = []
    for line in section.splitlines():
        m = re.match(r"^\| ([\d, ]+) \| (.+) \|$", line)
        if m:
            out.append(([int(x) for x in m.group(1).split(", ")], m.group(2)))
    return out


def found(report: ImportReport) -> set[tuple[int | None, str, str, str]]:
    return {(i.row, i.severity, i.code, i.column) for i in report.issues}


def expected_issues(world: Path, file_name: str) -> set[tuple[int | None, str, str, str]]:
    """Every README fault as the issue it must give: (line, severity, code, column)."""
    out = set()
    for rows, text in readme_faults(world, file_name):
        if "non-ASCII" in text:
            out.add((None, "notice", "encoding", ""))
            continue
        dup = re.search(r"duplicated on row (\d+)", text)
        if dup:  # the attendance README names the copy's row
            out.add((int(dup.group(1)) + 1, "error", "duplicate_row", ""))
            continue
        [(severity, code, column)] = [
            (s, c, col) for p, s, c, col in EXPECTED if re.search(p, text)
        ]
        out.update((row + 1, severity, code, column or "") for row in rows)
    return out


def fixed_copy(
    world: Path, name: str, target: Path, fixes: dict[int, tuple[str, str] | None]
) -> Path:
    """The raw file with data row r replaced (old → new text) or removed (None)."""
    raw = (world / "raw" / name).read_bytes()
    encoding = "cp1252" if name.startswith("siasn") else "utf-8-sig"
    lines = raw.decode(encoding).split("\r\n")
    out = []
    for i, line in enumerate(lines):
        fix = fixes.get(i, ("", ""))
        if fix is None:
            continue
        out.append(line.replace(*fix) if fix[0] else line)
    target.write_bytes("\r\n".join(out).encode(encoding))
    return target


@pytest.mark.django_db
def test_siasn_export_faults_each_give_their_message_and_nothing_is_written(
    world: Path, tmp_path: Path
) -> None:
    before = database_state()
    report = import_file(
        kind="employees", path=world / "raw" / "siasn_pegawai.csv", errors_path=tmp_path / "e.xlsx"
    )
    assert not report.written
    assert found(report) == expected_issues(world, "siasn_pegawai.csv")
    assert database_state() == before
    assert (tmp_path / "e.xlsx").is_file()


@pytest.mark.django_db
def test_the_siasn_export_once_fixed_matches_the_registry(world: Path, tmp_path: Path) -> None:
    fixes: dict[int, tuple[str, str] | None] = {}
    for rows, text in readme_faults(world, "siasn_pegawai.csv"):
        sci = re.search(r"`(\S+E\+17)` \(true NIP (\d{18})\)", text)
        if sci:
            fixes[rows[0]] = (sci.group(1), sci.group(2))
        unit = re.search(r"UNOR `(.+?)` is not a unit of the regency \(true unit (\S+)\)", text)
        if unit:
            real = Employee.objects.filter(unit__code=unit.group(2)).first()
            assert real is not None
            fixes[rows[0]] = (unit.group(1), real.unit.name)
        if "exact duplicate" in text:
            fixes[rows[0]] = None
    path = fixed_copy(world, "siasn_pegawai.csv", tmp_path / "siasn_fixed.csv", fixes)
    before = database_state()
    out, error = mutu("import", "employees", str(path))
    assert error is None, out
    assert (
        f"0 baru/created, 0 diperbarui/updated, {Employee.objects.count()} tetap/unchanged" in out
    )
    assert database_state() == before


@pytest.mark.django_db
def test_attendance_sheet_faults_each_give_their_message(world: Path) -> None:
    [sheet] = (world / "raw").glob("daftar_hadir_*.csv")
    before = database_state()
    report = import_file(kind="attendance", path=sheet, write_errors=False)
    expected = expected_issues(world, sheet.name) | {(None, "notice", "activity_from_name", "")}
    assert found(report) == expected
    assert database_state() == before


@pytest.mark.django_db
def test_the_attendance_sheet_once_fixed_matches_the_database(world: Path, tmp_path: Path) -> None:
    [sheet] = (world / "raw").glob("daftar_hadir_*.csv")
    fixes: dict[int, tuple[str, str] | None] = {}
    for rows, text in readme_faults(world, sheet.name):
        short = re.search(r"NIP `(\d{17})` has 17 digits", text)
        if short:
            full = Employee.objects.get(nip__startswith=short.group(1)).nip
            fixes[rows[0]] = (short.group(1), full)
        dup = re.search(r"duplicated on row (\d+)", text)
        if dup:
            fixes[int(dup.group(1))] = None
    path = fixed_copy(world, sheet.name, tmp_path / sheet.name, fixes)
    before = database_state()
    out, error = mutu("import", "attendance", str(path))
    assert error is None, out
    assert "0 baru/created, 0 diperbarui/updated" in out
    assert database_state() == before


@pytest.mark.django_db
def test_the_world_round_trips_through_its_exports(world: Path, tmp_path: Path) -> None:
    kinds = ("employees", "attendance", "course_history")
    for kind in kinds:
        _out, error = mutu("export", kind, "--out", str(tmp_path / f"{kind}.xlsx"))
        assert error is None
    state = database_state()
    for kind in kinds:
        out, error = mutu("import", kind, str(tmp_path / f"{kind}.xlsx"))
        assert error is None, (kind, out)
        assert "0 baru/created, 0 diperbarui/updated" in out, kind
    assert database_state() == state
