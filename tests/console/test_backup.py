"""``mutu backup`` / ``mutu restore``: a round trip that compares every table, and refusals.

The small demo world (``tests.browser.world``) plus an uploaded evidence file
and an added rulebook version are backed up; the database is emptied (Django's
``flush``, which leaves it as a fresh ``migrate`` does) and the backup restored;
then every table is compared row by row with what was there before. A second
test restores through the commands into a brand-new migrated database in
another process (and, on the PostgreSQL run, also into SQLite: the format is
portable). Damaged, altered or mismatched backups are refused in Indonesian and
English and leave the database and the files as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from mutu.console.backup import (
    FILLED_BY_MIGRATE,
    LEFT_OUT,
    backup_restore,
    backup_tables,
    backup_write,
    file_roots,
)
from mutu.domain.errors import MutuValueError
from mutu.people.models import Employee, Unit
from mutu.programs.models import JpLedgerEntry
from mutu.programs.services.external import external_jp_record
from tests.browser.world import small_world_load
from tests.postgres_support import new_postgres_database

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n% bukti pelatihan\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
RULEBOOK = b'# an administrator\'s own version\nname = "contoh"\nversion = "2027.1"\n'

Snapshot = dict[str, list[tuple[Any, ...]]]


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The small demo world, for this module only (flushed after)."""
    folder = tmp_path_factory.mktemp("backup-world")
    with django_db_blocker.unblock():
        small_world_load(folder)
    yield folder
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def home(settings: Any, tmp_path: Path) -> Path:
    """A MUTU_HOME of this test's own (uploads and rulebooks), with one file in each."""
    settings.MUTU_HOME = tmp_path / "home"
    settings.MEDIA_ROOT = settings.MUTU_HOME / "media"
    employee = Employee.objects.order_by("pk").first()
    assert employee is not None
    external_jp_record(
        employee_id=employee.pk,
        title="Kursus daring manajemen arsip",
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 3, 4),
        jp="12",
        evidence=SimpleUploadedFile("sertifikat.pdf", PDF, content_type="application/pdf"),
        today=dt.date(2026, 6, 1),
    )
    book = settings.MUTU_HOME / "rulebooks" / "contoh" / "2027.1.toml"
    book.parent.mkdir(parents=True)
    book.write_bytes(RULEBOOK)
    return Path(settings.MUTU_HOME)


def snapshot() -> Snapshot:
    """Every backed-up table, every row, read with plain SQL in primary-key order."""
    quote = connection.ops.quote_name
    tables: Snapshot = {}
    with connection.cursor() as cursor:
        for model in backup_tables():
            columns = ", ".join(quote(f.column) for f in model._meta.local_concrete_fields)
            pk = quote(model._meta.pk.column)  # type: ignore[union-attr]
            cursor.execute(f"SELECT {columns} FROM {quote(model._meta.db_table)} ORDER BY {pk}")
            tables[model._meta.db_table] = cursor.fetchall()
    return tables


def files() -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for name, root in file_roots().items():
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    found[f"{name}/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    return found


def assert_identical(before: Snapshot, after: Snapshot) -> None:
    assert sorted(after) == sorted(before)
    for table, rows in before.items():
        assert len(after[table]) == len(rows), table
        for old, new in zip(rows, after[table], strict=True):
            assert new == old, f"{table}: {old} became {new}"


def rewrite(source: Path, target: Path, change: Any, *, fix_checksums: bool) -> None:
    """A copy of a backup with ``change(name, data) -> data`` applied to every entry."""
    with zipfile.ZipFile(source) as old:
        entries = {name: change(name, old.read(name)) for name in old.namelist()}
    manifest = json.loads(entries["manifest.json"])
    if fix_checksums:
        for item in [*manifest["tables"], *manifest["files"]]:
            item["sha256"] = hashlib.sha256(entries[item["entry"]]).hexdigest()
        entries["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as new:
        for name, data in entries.items():
            new.writestr(name, data)


@pytest.mark.django_db
def test_backup_then_restore_gives_every_table_back_identical(
    world: Path, home: Path, tmp_path: Path
) -> None:
    # Every table of the database is in the backup, except the two left out by design.
    existing = set(connection.introspection.table_names())
    ours = {m._meta.db_table for m in backup_tables()}
    assert existing - ours <= {"django_migrations", "sqlite_sequence", *LEFT_OUT}
    before, before_files = snapshot(), files()
    assert sum(map(len, before.values())) > 10_000  # the world really is in there
    assert JpLedgerEntry.objects.exclude(evidence="").count() == 1
    assert set(before_files) == {
        f"media/{JpLedgerEntry.objects.exclude(evidence='').get().evidence.name}",
        "rulebooks/contoh/2027.1.toml",
    }

    out = tmp_path / "cadangan.zip"
    call_command("backup", str(out), stdout=open(os.devnull, "w"))  # noqa: SIM115
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["vendor"] == connection.vendor
    assert {t["table"]: t["rows"] for t in manifest["tables"]} == {
        t: len(rows) for t, rows in before.items()
    }

    if connection.vendor == "postgresql":
        # TRUNCATE refuses while this test's own inserts wait for their deferred checks.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED")
    call_command("flush", interactive=False, verbosity=0)  # as a freshly migrated database
    for root in file_roots().values():
        for path in sorted(root.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    assert Unit.objects.count() == 0
    summary = backup_restore(path=out)
    assert summary.rows == sum(map(len, before.values()))

    assert_identical(before, snapshot())
    assert files() == before_files
    # PostgreSQL's primary-key sequences were moved past the restored rows.
    top = Unit.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert top is not None
    assert Unit.objects.create(code=f"X{uuid.uuid4().hex[:6]}", name="Baru").pk > top


def _mutu(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mutu", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _fresh_databases(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(vendor, URL) of brand-new empty databases to restore into; dropped afterwards."""
    yield "sqlite", f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    if connection.vendor != "postgresql":
        return
    with new_postgres_database("mutu_restore") as url:
        yield "postgresql", url


@pytest.mark.django_db
def test_the_commands_restore_into_a_new_database_even_of_another_kind(
    world: Path, home: Path, tmp_path: Path
) -> None:
    original = tmp_path / "asli.zip"
    backup_write(path=original)
    with zipfile.ZipFile(original) as archive:
        expected = {
            n: archive.read(n) for n in archive.namelist() if n.startswith(("tables/", "files/"))
        }
    for vendor, url in _fresh_databases(tmp_path):
        target_home = tmp_path / f"home-{vendor}"
        env = {**os.environ, "DATABASE_URL": url, "MUTU_HOME": str(target_home)}
        env.pop("MUTU_TEST_DB_VENDOR", None)
        migrate = _mutu(env, "migrate", "-v", "0")
        assert migrate.returncode == 0, migrate.stderr[-2000:]
        restore = _mutu(env, "restore", str(original))
        assert restore.returncode == 0, restore.stderr[-2000:]
        assert "restored" in restore.stdout
        again = _mutu(env, "restore", str(original))
        assert again.returncode != 0
        assert "tidak kosong" in again.stderr
        assert "not empty" in again.stderr
        copy = tmp_path / f"lagi-{vendor}.zip"
        written = _mutu(env, "backup", str(copy))
        assert written.returncode == 0, written.stderr[-2000:]
        with zipfile.ZipFile(copy) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            got = {n: archive.read(n) for n in expected if n in archive.namelist()}
        assert manifest["vendor"] == vendor
        differing = sorted(n for n in expected if got.get(n) != expected[n])
        assert differing == [], f"{vendor}: these differ after the round trip: {differing[:5]}"
        assert (target_home / "rulebooks" / "contoh" / "2027.1.toml").read_bytes() == RULEBOOK


@pytest.mark.django_db
def test_a_damaged_or_mismatched_backup_is_refused_and_changes_nothing(
    world: Path, home: Path, tmp_path: Path
) -> None:
    good = tmp_path / "baik.zip"
    backup_write(path=good)
    before, before_files = snapshot(), files()
    employee_entry = next(
        t["entry"]
        for t in json.loads(zipfile.ZipFile(good).read("manifest.json"))["tables"]
        if t["table"] == Employee._meta.db_table
    )

    def altered_row(name: str, data: bytes) -> bytes:
        if name != employee_entry:
            return data
        first, rest = data.split(b"\n", 1)
        row = json.loads(first)
        row[-1] = "diubah" if isinstance(row[-1], str) else 12345
        return json.dumps(row).encode() + b"\n" + rest

    def dangling_reference(name: str, data: bytes) -> bytes:
        if name != employee_entry:
            return data
        columns = [f.column for f in Employee._meta.local_concrete_fields]
        first, rest = data.split(b"\n", 1)
        row = json.loads(first)
        row[columns.index("unit_id")] = 987654321  # no such unit
        return json.dumps(row).encode() + b"\n" + rest

    def other_migrations(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["people"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    def escaping_path(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["files"][0]["path"] = "../../etc/cron.d/mutu"
        return json.dumps(manifest).encode()

    cases: list[tuple[str, Any, bool, tuple[str, str]]] = [
        ("altered", altered_row, False, ("checksum", "checksum")),
        ("dangling", dangling_reference, True, ("menolak", "refused the backup's content")),
        ("future", other_migrations, False, ("keadaan migrasi", "migration state")),
        ("escaping", escaping_path, False, ("tidak aman", "unsafe file path")),
    ]
    for name, change, fix, (indonesian, english) in cases:
        bad = tmp_path / f"{name}.zip"
        rewrite(good, bad, change, fix_checksums=fix)
        with pytest.raises(MutuValueError) as refused:
            backup_restore(path=bad, replace=True)
        assert indonesian in refused.value.message_id, name
        assert english in refused.value.message_en, name

    truncated = tmp_path / "terpotong.zip"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(MutuValueError, match="bukan berkas zip yang utuh"):
        backup_restore(path=truncated, replace=True)
    with pytest.raises(MutuValueError, match="does not exist"):
        backup_restore(path=tmp_path / "tidak-ada.zip")
    with pytest.raises(MutuValueError, match="not empty"):
        backup_restore(path=good)

    # Nothing above changed a row or a file, and no restore folder was left behind.
    assert_identical(before, snapshot())
    assert files() == before_files
    assert sorted(p.name for p in home.iterdir()) == ["media", "rulebooks"]

    # An existing backup is never overwritten by accident, and a refused one leaves no temp file.
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(good))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.django_db
def test_replace_swaps_the_whole_database_in_one_go(
    world: Path, home: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "simpan.zip"
    backup_write(path=saved)
    before = snapshot()
    unit = Unit.objects.order_by("pk").first()
    assert unit is not None
    Unit.objects.filter(pk=unit.pk).update(name="Diubah setelah pencadangan")
    extra = Path(settings.MEDIA_ROOT) / "tambahan.pdf"
    extra.write_bytes(PDF)

    backup_restore(path=saved, replace=True)
    assert_identical(before, snapshot())
    assert not extra.exists()
    assert table_rows_of(FILLED_BY_MIGRATE) > 0


def table_rows_of(tables: frozenset[str]) -> int:
    with connection.cursor() as cursor:
        total = 0
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            total += cursor.fetchone()[0]
        return total
