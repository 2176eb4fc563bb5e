"""Writing a world: one file per frame, ``truth.json``, ``raw/`` and ``manifest.json``.

Byte-for-byte determinism: Parquet files are written by pyarrow with fixed
options (no index, zstd level 3, one row group, statistics on, dictionary
encoding on), CSV by pandas with fixed formatting; JSON with sorted keys and
no time stamps.  The manifest holds no path and no time, so two runs with the
same arguments into different folders give identical manifests.

``content_hash`` = SHA-256 over, for every file except the manifest in sorted
name order: the name (UTF-8), a NUL byte, the size as 8 bytes big-endian, the
bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from mutu.domain.errors import MutuValueError
from mutu.synthetic.config import GENERATOR_VERSION

if TYPE_CHECKING:
    from mutu.synthetic.world import World

Format = Literal["parquet", "csv"]
FORMATS: tuple[str, ...] = ("parquet", "csv")


def _clean(value: Any) -> Any:
    """JSON-safe copy: NaN and infinities become None (strict JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def json_bytes(value: Any) -> bytes:
    """Canonical JSON: sorted keys, two-space indent, UTF-8, final newline."""
    text = json.dumps(_clean(value), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def frame_bytes(df: pd.DataFrame, fmt: Format) -> bytes:
    """One frame serialised deterministically."""
    if fmt == "parquet":
        table = pa.Table.from_pandas(df, preserve_index=False)
        buf = io.BytesIO()
        pq.write_table(
            table,
            buf,
            compression="zstd",
            compression_level=3,
            row_group_size=max(1, len(df)),
            use_dictionary=True,
            write_statistics=True,
        )
        return buf.getvalue()
    if fmt == "csv":
        text = df.to_csv(
            index=False, lineterminator="\n", date_format="%Y-%m-%d %H:%M:%S", na_rep=""
        )
        return text.encode("utf-8")
    raise MutuValueError(
        f"Format {fmt!r} tidak dikenal; pilih parquet atau csv.",
        f"Unknown format {fmt!r}; use parquet or csv.",
        field="fmt",
    )


def world_files(world: World, fmt: Format) -> dict[str, bytes]:
    """Every file except the manifest, by relative path."""
    files = {f"{name}.{fmt}": frame_bytes(df, fmt) for name, df in world.frames.items()}
    files["truth.json"] = json_bytes(world.truth)
    files.update(world.raw)
    return files


def content_hash(files: dict[str, bytes]) -> str:
    """SHA-256 over the files in sorted name order (name, NUL, size, bytes)."""
    h = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        h.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def build_manifest(world: World, files: dict[str, bytes], fmt: Format) -> dict[str, Any]:
    """The manifest: what was generated, row counts, file hashes, the content hash."""
    return {
        "generator": "mutu.synthetic",
        "generator_version": GENERATOR_VERSION,
        "seed": world.seed,
        "scenario": world.scenario,
        "scale": world.scale,
        "years": list(world.years),
        "format": fmt,
        "synthetic": "Synthetic demo data. Never present it as data of Kabupaten Aceh Tenggara.",
        "frames": list(world.frames),
        "row_counts": {name: len(df) for name, df in world.frames.items()},
        "total_rows": sum(len(df) for df in world.frames.values()),
        "files": {
            name: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in sorted(files.items())
        },
        "content_hash": content_hash(files),
        "versions": {"pandas": pd.__version__, "pyarrow": pa.__version__},
    }


def write_world(world: World, out: Path | str, *, fmt: Format = "parquet") -> Path:
    """Write a world into a folder.

    Parameters
    ----------
    world
        From :func:`mutu.synthetic.generate_world`.
    out
        The folder; created if missing.  Files of an earlier world with the
        same names are overwritten; other files are left alone.
    fmt
        ``"parquet"`` (default) or ``"csv"`` for the frames.

    Returns
    -------
    pathlib.Path
        The path of the written ``manifest.json``.

    Raises
    ------
    MutuValueError
        For an unknown format.
    """
    if fmt not in FORMATS:
        frame_bytes(pd.DataFrame(), fmt)  # raises the bilingual error
    folder = Path(out)
    files = world.files(fmt)
    manifest = build_manifest(world, files, fmt)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    target = folder / "manifest.json"
    target.write_bytes(json_bytes(manifest))
    return target
