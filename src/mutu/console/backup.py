"""Backup and restore of a whole Mutu installation: every table and the uploaded files.

The backup is one portable zip file, the same on SQLite and PostgreSQL (a
backup of one restores into the other):

``manifest.json``
    ``format`` (``"mutu-backup"``), ``format_version`` (1), ``mutu_version``,
    ``django_version``, ``created_at`` (UTC, ISO 8601), ``vendor`` (the source
    database), ``migrations`` (per app, the sorted names of the applied
    migrations), ``tables`` (in dependency order: ``table``, ``model``,
    ``entry``, ``columns``, ``rows``, ``sha256``) and ``files`` (``root``,
    ``path``, ``entry``, ``size``, ``sha256``).
``tables/NNN-<table>.jsonl``
    One row per line, ordered by primary key: a JSON array of the values in the
    manifest's column order. Date-times are ISO 8601 in UTC, dates and times
    ISO 8601, decimals strings, durations ISO 8601 durations, binary base64,
    UUIDs strings; JSON columns hold their JSON value. ``sha256`` is the
    SHA-256 of the entry's bytes.
``files/media/…``, ``files/rulebooks/…``
    The uploaded files (``MEDIA_ROOT``: evidence of JP earned elsewhere …) and
    the rulebook versions an administrator added (``MUTU_HOME/rulebooks``).

Every model table is written, Django's own included (users, permissions,
content types, admin log, API tokens); not the sessions (everyone signs in
again after a restore) and not ``django_migrations`` (its state is in the
manifest). The file is written to a temporary name beside the target and
renamed into place, so a crash never leaves a half-written backup under the
target name.

A restore checks everything before it writes anything: the manifest, every
checksum and row count, the migration state (the backup's, the code's and the
target database's must be the same), the columns of every table, and that the
target is empty (or ``replace``). It then writes the whole database in one
transaction (wipe, insert, check the foreign keys, reset PostgreSQL's
primary-key sequences) and swaps the file folders in afterwards: all or nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.duration import duration_iso_string

import mutu
from mutu.domain.errors import MutuValueError

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "BackupSummary",
    "backup_restore",
    "backup_tables",
    "backup_write",
    "file_roots",
    "migration_state",
]

FORMAT = "mutu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: Tables the migrations fill by themselves; a freshly migrated database still counts as empty.
FILLED_BY_MIGRATE = frozenset({"django_content_type", "auth_permission"})
#: Tables left out of the backup (sign-ins are not data; migrations are in the manifest).
LEFT_OUT = frozenset({"django_session"})
_BATCH = 1000


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds (or a restore wrote)."""

    path: Path
    tables: int
    rows: int
    files: int
    mutu_version: str
    created_at: str


def file_roots() -> dict[str, Path]:
    """The folders a backup carries: uploads (``MEDIA_ROOT``) and added rulebooks."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "rulebooks": Path(settings.MUTU_HOME) / "rulebooks",
    }


def backup_tables() -> list[type[models.Model]]:
    """The models whose tables a backup holds, parents before children (stable order).

    Proxy and unmanaged models have no table of their own; many-to-many
    tables are included. Cycles (a table pointing at itself, or two tables at
    each other) are fine: foreign keys are checked at the end of the restore.
    """
    candidates = {
        m._meta.label: m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.db_table not in LEFT_OUT
    }
    needs: dict[str, set[str]] = {}
    for label, model in candidates.items():
        parents = {
            f.related_model._meta.label
            for f in model._meta.local_concrete_fields
            if f.is_relation
            and f.related_model is not None
            and not isinstance(f.related_model, str)
        }
        needs[label] = {p for p in parents if p in candidates and p != label}
    ordered: list[type[models.Model]] = []
    done: set[str] = set()
    while len(done) < len(candidates):
        ready = sorted(label for label in candidates if label not in done and needs[label] <= done)
        if not ready:  # a cycle between tables: take the rest in name order
            ready = sorted(label for label in candidates if label not in done)
        for label in ready:
            ordered.append(candidates[label])
            done.add(label)
    return ordered


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]


def migration_state(using: str = "default") -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(the code's migrations, the database's applied migrations), per app, names sorted.

    Only apps of the code that have migrations count; a row left in
    ``django_migrations`` by an app no longer installed is ignored.
    """
    connection = connections[using]
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    code: dict[str, list[str]] = {}
    for app, name in loader.graph.nodes:
        code.setdefault(app, []).append(name)
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app in code:
            applied.setdefault(app, []).append(name)
    return (
        {a: sorted(n) for a, n in sorted(code.items())},
        {a: sorted(n) for a, n in sorted(applied.items())},
    )


# -- values ------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    """A Python value read through the ORM, as JSON (the formats in the module docstring)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decode(field: models.Field[Any, Any], value: Any) -> Any:
    """The value to give the database driver for ``field`` (Django's own conversions)."""
    if value is not None and not isinstance(field, models.JSONField):
        value = field.to_python(value)
    return value


def _line(row: tuple[Any, ...]) -> bytes:
    encoded = [_encode(v) for v in row]
    return json.dumps(encoded, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


# -- backup ------------------------------------------------------------------------------------


def _files(roots: dict[str, Path]) -> Iterator[tuple[str, Path, str]]:
    """(root name, file, path inside the root in POSIX form) for every regular file."""
    for name, root in roots.items():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield name, path, path.relative_to(root).as_posix()


def _write_zip(target: Any, using: str, roots: dict[str, Path]) -> dict[str, Any]:
    connection = connections[using]
    code, applied = migration_state(using)
    if applied != code:
        raise MutuValueError(
            f"Basis data belum dimigrasi ({_differences(applied, code)}); jalankan "
            "`mutu migrate` dulu, lalu cadangkan.",
            f"The database is not migrated ({_differences(applied, code)}); run `mutu migrate` "
            "first, then back up.",
        )
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "mutu_version": mutu.__version__,
        "django_version": django.get_version(),
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "migrations": applied,
        "tables": [],
        "files": [],
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        outer = not connection.in_atomic_block
        with transaction.atomic(using=using):
            if outer and connection.vendor == "postgresql":
                # One snapshot for every table, even while the application writes.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for number, model in enumerate(backup_tables(), start=1):
                columns = _columns(model)
                entry = f"tables/{number:03d}-{model._meta.db_table}.jsonl"
                digest, rows = hashlib.sha256(), 0
                query = (
                    model._base_manager.using(using)
                    .order_by(model._meta.pk.attname)
                    .values_list(*(f.attname for f in columns))
                )
                with archive.open(entry, "w", force_zip64=True) as out:
                    for row in query.iterator(chunk_size=_BATCH):
                        line = _line(row)
                        out.write(line)
                        digest.update(line)
                        rows += 1
                manifest["tables"].append(
                    {
                        "table": model._meta.db_table,
                        "model": model._meta.label,
                        "entry": entry,
                        "columns": [f.column for f in columns],
                        "rows": rows,
                        "sha256": digest.hexdigest(),
                    }
                )
        for root, path, relative in _files(roots):
            entry = f"files/{root}/{relative}"
            data = path.read_bytes()
            archive.writestr(entry, data)
            manifest["files"].append(
                {
                    "root": root,
                    "path": relative,
                    "entry": entry,
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def backup_write(
    *,
    path: Path | str,
    overwrite: bool = False,
    using: str = "default",
    roots: dict[str, Path] | None = None,
) -> BackupSummary:
    """Write a backup of the database and the files to ``path`` (format: module docstring).

    Refuses an existing ``path`` unless ``overwrite``, and a folder that does
    not exist. The zip is built under a temporary name in the same folder,
    flushed to disk, then renamed over ``path`` in one step.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise MutuValueError(
            f"Berkas {target} sudah ada; pakai --force untuk menimpanya.",
            f"{target} already exists; use --force to overwrite it.",
        )
    if target.is_dir():
        raise MutuValueError(f"{target} adalah folder.", f"{target} is a folder.")
    if not target.parent.is_dir():
        raise MutuValueError(
            f"Folder {target.parent} tidak ada.", f"The folder {target.parent} does not exist."
        )
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "w+b") as out:
            manifest = _write_zip(out, using, file_roots() if roots is None else roots)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return BackupSummary(
        path=target,
        tables=len(manifest["tables"]),
        rows=sum(t["rows"] for t in manifest["tables"]),
        files=len(manifest["files"]),
        mutu_version=manifest["mutu_version"],
        created_at=manifest["created_at"],
    )


# -- restore -----------------------------------------------------------------------------------


def _refuse(message_id: str, message_en: str) -> MutuValueError:
    return MutuValueError(f"Pemulihan ditolak: {message_id}", f"Restore refused: {message_en}")


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise _refuse(
            "manifest.json tidak ada di cadangan.", "the backup has no manifest.json."
        ) from None
    except (ValueError, zipfile.BadZipFile, zlib.error) as err:
        raise _refuse(
            f"manifest.json rusak ({err}).", f"manifest.json is damaged ({err})."
        ) from err
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse("ini bukan berkas cadangan Mutu.", "this is not a Mutu backup file.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _refuse(
            f"versi format {manifest.get('format_version')!r} tidak dikenal (dikenal: "
            f"{FORMAT_VERSION}).",
            f"unknown format version {manifest.get('format_version')!r} (known: {FORMAT_VERSION}).",
        )
    for key, kind in (("tables", list), ("files", list), ("migrations", dict)):
        if not isinstance(manifest.get(key), kind):
            raise _refuse(f"manifest.json tanpa {key!r}.", f"manifest.json lacks {key!r}.")
    return manifest


def _safe_relative(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not PurePosixPath(path).is_absolute() and ".." not in parts


def _verify(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every table and file entry is there, unchanged (SHA-256) and with its row count."""
    for item in [*manifest["tables"], *manifest["files"]]:
        entry = str(item.get("entry", ""))
        digest, lines = hashlib.sha256(), 0
        try:
            with archive.open(entry) as data:
                while chunk := data.read(1 << 20):
                    digest.update(chunk)
                    lines += chunk.count(b"\n")
        except KeyError:
            raise _refuse(
                f"{entry} tidak ada di cadangan.", f"{entry} is missing from the backup."
            ) from None
        except (zipfile.BadZipFile, zlib.error, OSError) as err:
            raise _refuse(f"{entry} rusak ({err}).", f"{entry} is damaged ({err}).") from err
        if digest.hexdigest() != item.get("sha256"):
            raise _refuse(
                f"checksum {entry} tidak cocok: berkas rusak atau diubah.",
                f"the checksum of {entry} does not match: the file is damaged or was altered.",
            )
        if "rows" in item and lines != item["rows"]:
            raise _refuse(
                f"{entry} berisi {lines} baris, manifest menyebut {item['rows']}.",
                f"{entry} holds {lines} rows, the manifest says {item['rows']}.",
            )
        if "root" in item and (
            item["root"] not in file_roots() or not _safe_relative(item["path"])
        ):
            raise _refuse(
                f"jalur berkas tidak aman: {entry}.", f"unsafe file path in the backup: {entry}."
            )


def _differences(a: dict[str, list[str]], b: dict[str, list[str]]) -> str:
    apps_ = sorted(app for app in set(a) | set(b) if a.get(app) != b.get(app))
    return ", ".join(
        f"{app} ({(a.get(app) or ['-'])[-1]} ≠ {(b.get(app) or ['-'])[-1]})" for app in apps_[:5]
    )


def _check_schema(
    manifest: dict[str, Any], using: str
) -> list[tuple[type[models.Model], dict[str, Any]]]:
    """The backup's migrations and columns are the code's, and the database is migrated."""
    code, applied = migration_state(using)
    theirs = {str(k): sorted(map(str, v)) for k, v in manifest["migrations"].items()}
    if theirs != code:
        raise _refuse(
            "keadaan migrasi cadangan berbeda dengan kode Mutu ini (cadangan ≠ kode: "
            f"{_differences(theirs, code)}). Pulihkan dengan versi Mutu yang membuatnya "
            f"({manifest.get('mutu_version')}), lalu perbarui.",
            "the backup's migration state differs from this Mutu's code (backup ≠ code: "
            f"{_differences(theirs, code)}). Restore with the Mutu version that made it "
            f"({manifest.get('mutu_version')}), then upgrade.",
        )
    if applied != code:
        raise _refuse(
            f"basis data tujuan belum dimigrasi ({_differences(applied, code)}); "
            "jalankan `mutu migrate` dulu.",
            f"the target database is not migrated ({_differences(applied, code)}); "
            "run `mutu migrate` first.",
        )
    ours = {m._meta.db_table: m for m in backup_tables()}
    listed = {str(t.get("table")): t for t in manifest["tables"]}
    if set(listed) != set(ours):
        odd = sorted(set(listed) ^ set(ours))[:5]
        raise _refuse(
            f"tabel cadangan tidak sama dengan tabel kode: {', '.join(odd)}.",
            f"the backup's tables differ from the code's: {', '.join(odd)}.",
        )
    plan = []
    for item in manifest["tables"]:
        model = ours[item["table"]]
        if list(item.get("columns", [])) != [f.column for f in _columns(model)]:
            raise _refuse(
                f"kolom tabel {item['table']} tidak sama dengan kode.",
                f"the columns of table {item['table']} differ from the code's.",
            )
        plan.append((model, item))
    return plan


def _not_empty(using: str, roots: dict[str, Path]) -> str:
    """The first table with rows (or folder with files) that a plain restore would overwrite."""
    for model in backup_tables():
        if model._meta.db_table in FILLED_BY_MIGRATE:
            continue
        count = model._base_manager.using(using).count()
        if count:
            return f"{model._meta.db_table} ({count})"
    for _root, path, _relative in _files(roots):
        return str(path)
    return ""


def _stage_files(
    archive: zipfile.ZipFile, manifest: dict[str, Any], roots: dict[str, Path]
) -> dict[str, Path]:
    """Unpack the files into a new folder beside each root; they are swapped in after the DB."""
    staged: dict[str, Path] = {}
    try:
        for name, root in roots.items():
            root.parent.mkdir(parents=True, exist_ok=True)
            staged[name] = Path(tempfile.mkdtemp(prefix=f".{root.name}.restore-", dir=root.parent))
        for item in manifest["files"]:
            target = staged[item["root"]] / PurePosixPath(item["path"])
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(item["entry"]) as data, target.open("wb") as out:
                shutil.copyfileobj(data, out)
    except BaseException:
        for folder in staged.values():
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return staged


def _swap_in(staged: dict[str, Path], roots: dict[str, Path]) -> None:
    for name, folder in staged.items():
        root = roots[name]
        old = root.parent / f".{root.name}.old-{uuid.uuid4().hex[:8]}"
        if root.exists():
            root.rename(old)
        folder.rename(root)
        shutil.rmtree(old, ignore_errors=True)


def _rows(archive: zipfile.ZipFile, item: dict[str, Any], width: int) -> Iterator[list[Any]]:
    with archive.open(item["entry"]) as data:
        for number, line in enumerate(data, start=1):
            try:
                row = json.loads(line)
            except ValueError as err:
                raise _refuse(
                    f"baris {number} dari {item['entry']} bukan JSON ({err}).",
                    f"line {number} of {item['entry']} is not JSON ({err}).",
                ) from err
            if not isinstance(row, list) or len(row) != width:
                raise _refuse(
                    f"baris {number} dari {item['entry']} tidak berisi {width} nilai.",
                    f"line {number} of {item['entry']} does not hold {width} values.",
                )
            yield row


def _load(
    archive: zipfile.ZipFile,
    plan: list[tuple[type[models.Model], dict[str, Any]]],
    using: str,
) -> int:
    """Wipe and fill every table, check the foreign keys, reset sequences (inside a transaction)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    written = 0
    with connection.cursor() as cursor:
        for table in [*LEFT_OUT, *(m._meta.db_table for m, _ in reversed(plan))]:
            cursor.execute(f"DELETE FROM {quote(table)}")
        for model, item in plan:
            fields = _columns(model)
            sql = (
                f"INSERT INTO {quote(model._meta.db_table)} "
                f"({', '.join(quote(f.column) for f in fields)}) "
                f"VALUES ({', '.join(['%s'] * len(fields))})"
            )
            batch: list[list[Any]] = []
            for row in _rows(archive, item, len(fields)):
                try:
                    batch.append(
                        [
                            f.get_db_prep_save(_decode(f, v), connection)
                            for f, v in zip(fields, row, strict=True)
                        ]
                    )
                except (ValueError, TypeError, ValidationError) as err:
                    raise _refuse(
                        f"nilai tidak sah di {item['entry']} ({err}).",
                        f"an invalid value in {item['entry']} ({err}).",
                    ) from err
                if len(batch) >= _BATCH:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
        connection.check_constraints(table_names=[m._meta.db_table for m, _ in plan])
        for statement in connection.ops.sequence_reset_sql(no_style(), [m for m, _ in plan]):
            cursor.execute(statement)
    return written


def backup_restore(
    *,
    path: Path | str,
    replace: bool = False,
    using: str = "default",
    roots: dict[str, Path] | None = None,
) -> BackupSummary:
    """Restore the backup at ``path`` into this database and the file folders.

    Everything is checked first (see the module docstring); a refusal is a
    :class:`MutuValueError` in Indonesian and English and changes nothing.
    Without ``replace`` the database must be empty (freshly migrated) and the
    file folders empty; with it the current data is wiped and replaced in the
    same transaction. Sessions are removed: everyone signs in again.
    """
    source = Path(path)
    roots = file_roots() if roots is None else roots
    if not source.is_file():
        raise _refuse(f"berkas {source} tidak ada.", f"the file {source} does not exist.")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as err:
        raise _refuse(
            f"{source} bukan berkas zip yang utuh ({err}).",
            f"{source} is not an intact zip file ({err}).",
        ) from err
    with archive:
        manifest = _read_manifest(archive)
        _verify(archive, manifest)
        plan = _check_schema(manifest, using)
        if not replace:
            occupied = _not_empty(using, roots)
            if occupied:
                raise _refuse(
                    f"basis data atau folder berkas tidak kosong: {occupied}. Pulihkan ke basis "
                    "data baru yang sudah dimigrasi, atau pakai --replace untuk menggantinya.",
                    f"the database or file folders are not empty: {occupied}. Restore into a "
                    "new migrated database, or use --replace to replace what is there.",
                )
        staged = _stage_files(archive, manifest, roots)
        try:
            with transaction.atomic(using=using):
                rows = _load(archive, plan, using)
        except DatabaseError as err:
            for folder in staged.values():
                shutil.rmtree(folder, ignore_errors=True)
            raise _refuse(
                f"basis data menolak isi cadangan ({err}); tidak ada yang diubah.",
                f"the database refused the backup's content ({err}); nothing was changed.",
            ) from err
        except BaseException:
            for folder in staged.values():
                shutil.rmtree(folder, ignore_errors=True)
            raise
        _swap_in(staged, roots)
    return BackupSummary(
        path=source,
        tables=len(plan),
        rows=rows,
        files=len(manifest["files"]),
        mutu_version=str(manifest.get("mutu_version")),
        created_at=str(manifest.get("created_at")),
    )
