"""Load a world written by ``mutu world`` into the configured database.

``world_load(directory=...)`` checks the folder against its manifest (every
file's sha256 and row count), refuses a database that already holds
employees or activities, then writes every frame in one transaction: all of
it or nothing.  Rows are inserted with ``bulk_create`` and primary keys
assigned here (one past the table's largest id), so references between frames
resolve without reading rows back; database constraints (checks, uniqueness,
foreign keys) still apply to every row, and the NIPs are checked with
:func:`mutu.domain.nip.parse_nip` before anything is written.

The frames and their columns are documented in ``docs/frames.md``
(:data:`mutu.synthetic.FRAME_SCHEMAS`).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from django.apps import apps
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction

from mutu.console.world_load.base import Frames, Ids, WorldLoadError, WorldLoadReport, as_decimal
from mutu.console.world_load.instruments import load_instruments
from mutu.console.world_load.people import load_people
from mutu.console.world_load.programs import load_activities, load_programs
from mutu.domain.nip import InvalidNip, parse_nip
from mutu.instruments.models import Response
from mutu.people.models import Employee, Unit
from mutu.programs.models import Activity
from mutu.reference.models import DevelopmentForm, Golongan, Kecamatan, LoadedWorld
from mutu.reference.services import reference_data_load
from mutu.reference.statistics import planner_statistics_refresh

__all__ = [
    "WorldLoadError",
    "WorldLoadReport",
    "describe",
    "loaded_world",
    "read_frames",
    "read_manifest",
    "world_load",
]


# --- reading and checking the folder -------------------------------------------------------


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of a world folder, with every file checked against it."""
    path = directory / "manifest.json"
    if not path.is_file():
        raise WorldLoadError(
            f"{directory} bukan folder dunia Mutu: manifest.json tidak ada.",
            f"{directory} is not a Mutu world folder: manifest.json is missing.",
        )
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for name, entry in sorted(manifest.get("files", {}).items()):
        expected = entry["sha256"]
        file = directory / name
        if not file.is_file():
            raise WorldLoadError(
                f"Berkas {name} yang tercantum di manifest tidak ada.",
                f"The file {name} listed in the manifest is missing.",
            )
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        if digest != expected:
            raise WorldLoadError(
                f"Berkas {name} berubah sejak dunia dibuat (sha256 tidak cocok); buat ulang "
                "dengan `mutu world`.",
                f"The file {name} changed since the world was made (sha256 mismatch); make it "
                "again with `mutu world`.",
            )
    return manifest


def read_frames(directory: Path, manifest: dict[str, Any]) -> Frames:
    """Every frame of the world, checked against the manifest's row counts."""
    fmt = manifest.get("format", "parquet")
    frames: Frames = {}
    for name, count in manifest["row_counts"].items():
        path = directory / f"{name}.{fmt}"
        frame = pd.read_parquet(path) if fmt == "parquet" else pd.read_csv(path, dtype=str)
        if len(frame) != count:
            raise WorldLoadError(
                f"{path.name}: {len(frame)} baris, manifest menyebut {count}.",
                f"{path.name}: {len(frame)} rows, the manifest says {count}.",
            )
        frames[name] = frame
    return frames


def _check_empty() -> None:
    for model in (Employee, Activity, Unit, Response):
        if model.objects.exists():
            raise WorldLoadError(
                f"Basis data sudah berisi data ({model._meta.verbose_name_plural}); muat dunia "
                "ke basis data yang kosong (mis. hapus .mutu/mutu.sqlite3 atau pakai "
                "DATABASE_URL lain).",
                f"The database already holds data ({model._meta.label}); load a world into an "
                "empty database (e.g. remove .mutu/mutu.sqlite3 or use another DATABASE_URL).",
            )


def loaded_world(directory: Path) -> LoadedWorld | None:
    """The record of this world if it is already loaded here (compared by content hash)."""
    manifest = read_manifest(directory)
    return LoadedWorld.objects.filter(content_hash=manifest["content_hash"]).first()


def _check_nips(employees: pd.DataFrame) -> None:
    problems = []
    for nip, status in zip(employees["nip"], employees["status"], strict=True):
        try:
            parsed = parse_nip(str(nip))
        except InvalidNip as err:
            problems.append(f"{nip}: {err}")
            continue
        if parsed.kind != status:
            problems.append(f"{nip}: NIP {parsed.kind} / status {status}")
    if problems:
        shown = "; ".join(problems[:5])
        raise WorldLoadError(
            f"{len(problems)} NIP pegawai tidak valid: {shown}",
            f"{len(problems)} employee NIPs are invalid: {shown}",
        )


def world_load(*, directory: Path) -> WorldLoadReport:
    """Load the world in ``directory`` into the database: all of it or nothing.

    Raises
    ------
    WorldLoadError
        The folder does not match its manifest, the database is not empty, a
        NIP is invalid, a reference is unknown, or the database refused a row
        (the message names the constraint).
    """
    started = time.perf_counter()
    manifest = read_manifest(directory)
    _check_empty()
    frames = read_frames(directory, manifest)
    _check_nips(frames["employees"])
    report = WorldLoadReport(directory=directory, manifest=manifest)
    try:
        with transaction.atomic():
            _check_empty()
            reference_data_load()
            _load(frames, report)
            planner_statistics_refresh()
            LoadedWorld.objects.create(
                content_hash=manifest["content_hash"],
                seed=manifest["seed"],
                scenario=manifest["scenario"],
                scale=str(manifest["scale"]),
                rows=report.total_rows,
            )
    except IntegrityError as err:
        raise WorldLoadError(
            f"Basis data menolak sebagian data; tidak ada yang disimpan. ({err})",
            f"The database refused part of the data; nothing was saved. ({err})",
        ) from err
    _reset_sequences()
    report.seconds = time.perf_counter() - started
    return report


def _reset_sequences() -> None:
    """After explicit primary keys, point PostgreSQL's sequences past them."""

    if connection.vendor != "postgresql":
        return
    mutu_models = [
        m
        for app in ("people", "programs", "instruments", "indicators")
        for m in apps.get_app_config(app).get_models()
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), mutu_models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _load(frames: Frames, report: WorldLoadReport) -> None:
    ids = Ids()
    kec = frames["kecamatan"]
    for code, km in zip(kec["code"], kec["distance_km"], strict=True):
        Kecamatan.objects.filter(code=code).update(distance_km=as_decimal(km))
    ids.maps["kecamatan"] = dict(Kecamatan.objects.values_list("code", "id"))
    ids.maps["golongan"] = {
        (k, c): i for k, c, i in Golongan.objects.values_list("kind", "code", "id")
    }
    ids.maps["form"] = dict(DevelopmentForm.objects.values_list("code", "id"))
    load_people(frames, ids, report)
    load_programs(frames, ids, report)
    load_activities(frames, ids, report)
    load_instruments(frames, ids, report)


def describe(report: WorldLoadReport) -> Iterable[str]:
    """Lines for the terminal: rows per model and the time."""
    for label, count in sorted(report.rows.items()):
        yield f"  {label:<40} {count:>9,}".replace(",", ".")
    yield (
        f"  {'total / jumlah':<40} {report.total_rows:>9,}".replace(",", ".")
        + f"  ({report.seconds:.1f} s)"
    )
