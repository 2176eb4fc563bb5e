"""Reading and strictly checking one rulebook TOML file.

The format is described in ``docs/rulebooks.md``.  In short::

    name = "jp"
    version = "2020.1"
    effective_from = 2020-01-01
    title_id = "..."
    title_en = "..."
    default_confidence = "unconfirmed"     # optional
    default_source = "Peraturan LAN 5/2018" # optional

    [[sources]]
    citation = "Peraturan LAN 5/2018"

    [values]
    minutes_per_jp = { value = 45, confidence = "confirmed" }

Under ``[values]`` a table that has a ``value`` key is a *leaf*: its other keys
may only be ``confidence``, ``source`` and ``note``.  Any other table is a
*group* of leaves.  A bare value (number, text, list) is a leaf too and takes
``default_confidence``; a file without one must mark every leaf.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mutu.rulebooks.model import Confidence, Rulebook, RulebookError, RulebookValue, Source, Value

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
VERSION_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")

_REQUIRED = ("name", "version", "effective_from", "title_id", "title_en", "sources", "values")
_OPTIONAL = ("effective_until", "default_confidence", "default_source", "note")
_LEAF_KEYS = frozenset({"value", "confidence", "source", "note"})
_SOURCE_KEYS = frozenset({"citation", "url", "note"})
_CONFIDENCES = ", ".join(c.value for c in Confidence)


def read_file(
    path: Path | str,
    *,
    expect_name: str | None = None,
    expect_version: str | None = None,
) -> Rulebook:
    """Read one rulebook file and check it strictly.

    Parameters
    ----------
    path
        The ``.toml`` file.
    expect_name, expect_version
        When the file sits in a rulebook folder (``<name>/<version>.toml``),
        the folder name and file stem it must declare; :func:`mutu.rulebooks.load`
        passes them.  ``None`` skips the check (a file to be installed).

    Returns
    -------
    Rulebook
        The parsed version.  Files are cached by path, modification time and
        size, so reading an unchanged file again is cheap.

    Raises
    ------
    RulebookError
        With the file path and, in Indonesian and English, what is wrong: not
        TOML, a missing or unknown field, a bad date, a leaf without a valid
        confidence mark, or a name/version that does not match its place.
    """
    p = Path(path).expanduser().resolve()
    try:
        st = p.stat()
    except OSError as exc:
        raise RulebookError(
            f"berkas rulebook tidak dapat dibaca ({exc.strerror}).",
            f"the rulebook file cannot be read ({exc.strerror}).",
            path=p,
        ) from None
    if not p.is_file():
        raise RulebookError("bukan berkas.", "not a file.", path=p)
    book = _read_cached(p, st.st_mtime_ns, st.st_size)
    if expect_name is not None and book.name != expect_name:
        raise RulebookError(
            f"name = '{book.name}' tetapi berkas berada di folder '{expect_name}'; "
            "nama harus sama dengan nama folder.",
            f"name = '{book.name}' but the file is in folder '{expect_name}'; "
            "the name must equal the folder name.",
            path=p,
        )
    if expect_version is not None and book.version != expect_version:
        raise RulebookError(
            f"version = '{book.version}' tetapi nama berkas '{p.name}'; ganti nama berkas "
            f"menjadi '{book.version}.toml'.",
            f"version = '{book.version}' but the file is named '{p.name}'; rename it to "
            f"'{book.version}.toml'.",
            path=p,
        )
    return book


def clear_cache() -> None:
    """Forget every parsed file (tests; files are re-read when they change anyway)."""
    _read_cached.cache_clear()


@lru_cache(maxsize=512)
def _read_cached(path: Path, mtime_ns: int, size: int) -> Rulebook:
    del mtime_ns, size  # part of the cache key only
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RulebookError(
            f"bukan TOML yang valid: {exc}.", f"not valid TOML: {exc}.", path=path
        ) from None
    except UnicodeDecodeError:
        raise RulebookError(
            "berkas harus berupa teks UTF-8.", "the file must be UTF-8 text.", path=path
        ) from None
    return _build(data, path)


def _build(data: dict[str, Any], path: Path) -> Rulebook:
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        names = ", ".join(missing)
        raise RulebookError(
            f"kolom wajib tidak ada: {names}.", f"required field missing: {names}.", path=path
        )
    unknown = sorted(set(data) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        names = ", ".join(unknown)
        allowed = ", ".join((*_REQUIRED, *_OPTIONAL))
        raise RulebookError(
            f"kolom tidak dikenal: {names} (yang boleh: {allowed}).",
            f"unknown field: {names} (allowed: {allowed}).",
            path=path,
        )

    name = _text(data, "name", path)
    if not NAME_PATTERN.match(name):
        raise RulebookError(
            f"name '{name}' harus huruf kecil, angka dan garis bawah, diawali huruf.",
            f"name '{name}' must be lower-case letters, digits and underscores, "
            "starting with a letter.",
            path=path,
        )
    version = data["version"]
    if not isinstance(version, str):
        raise RulebookError(
            f'version harus teks dalam tanda kutip, mis. version = "{version}".',
            f'version must be quoted text, e.g. version = "{version}".',
            path=path,
        )
    if not VERSION_PATTERN.match(version):
        raise RulebookError(
            f"version '{version}' hanya boleh berisi huruf, angka, titik, '-' dan '_'.",
            f"version '{version}' may contain only letters, digits, dots, '-' and '_'.",
            path=path,
        )
    effective_from = _date(data, "effective_from", path)
    effective_until = _date(data, "effective_until", path) if "effective_until" in data else None
    if effective_until is not None and effective_until < effective_from:
        raise RulebookError(
            f"effective_until ({effective_until}) sebelum effective_from ({effective_from}).",
            f"effective_until ({effective_until}) is before effective_from ({effective_from}).",
            path=path,
        )
    default_conf: Confidence | None = None
    if "default_confidence" in data:
        default_conf = _confidence(data["default_confidence"], "default_confidence", path)
    default_source = _text(data, "default_source", path) if "default_source" in data else None
    note = _text(data, "note", path) if "note" in data else None
    # Checked before the values: a top-level key written after [[sources]] lands
    # in the last source, and this is where that mistake shows.
    sources = _sources(data["sources"], path)

    values = data["values"]
    if not isinstance(values, dict) or not values:
        raise RulebookError(
            "[values] harus berupa tabel yang berisi nilai.",
            "[values] must be a table holding the values.",
            path=path,
        )
    entries: dict[str, RulebookValue] = {}
    _walk(values, "", entries, default_conf, default_source, path)

    return Rulebook(
        name=name,
        version=version,
        effective_from=effective_from,
        effective_until=effective_until,
        title_id=_text(data, "title_id", path),
        title_en=_text(data, "title_en", path),
        sources=sources,
        origin=path,
        note=note,
        entries=MappingProxyType(entries),
    )


def _walk(
    table: dict[str, Any],
    prefix: str,
    out: dict[str, RulebookValue],
    default_conf: Confidence | None,
    default_source: str | None,
    path: Path,
) -> None:
    for raw_key, item in table.items():
        if not KEY_PATTERN.match(raw_key):
            raise RulebookError(
                f"kunci '{prefix}{raw_key}' hanya boleh berisi huruf, angka, '_' dan '-'.",
                f"key '{prefix}{raw_key}' may contain only letters, digits, '_' and '-'.",
                path=path,
            )
        key = f"{prefix}{raw_key}"
        if isinstance(item, dict) and "value" in item:
            out[key] = _leaf(key, item, default_conf, default_source, path)
        elif isinstance(item, dict):
            if not item:
                raise RulebookError(
                    f"kelompok '{key}' kosong.", f"group '{key}' is empty.", path=path
                )
            _walk(item, key + ".", out, default_conf, default_source, path)
        else:
            if default_conf is None:
                raise RulebookError(
                    f"nilai '{key}' tidak punya tanda keyakinan: tulis "
                    f'{{ value = ..., confidence = "..." }} ({_CONFIDENCES}) atau isi '
                    "default_confidence.",
                    f"value '{key}' has no confidence mark: write "
                    f'{{ value = ..., confidence = "..." }} ({_CONFIDENCES}) or set '
                    "default_confidence.",
                    path=path,
                    key=key,
                )
            out[key] = RulebookValue(_freeze(item, key, path), default_conf, default_source, None)


def _leaf(
    key: str,
    item: dict[str, Any],
    default_conf: Confidence | None,
    default_source: str | None,
    path: Path,
) -> RulebookValue:
    extra = sorted(set(item) - _LEAF_KEYS)
    if extra:
        names = ", ".join(extra)
        raise RulebookError(
            f"nilai '{key}' punya kunci tidak dikenal: {names} (yang boleh: value, confidence, "
            "source, note).",
            f"value '{key}' has unknown keys: {names} (allowed: value, confidence, source, note).",
            path=path,
            key=key,
        )
    if "confidence" in item:
        conf = _confidence(item["confidence"], f"{key}.confidence", path)
    elif default_conf is not None:
        conf = default_conf
    else:
        raise RulebookError(
            f"nilai '{key}' tidak punya confidence ({_CONFIDENCES}) dan berkas tidak punya "
            "default_confidence.",
            f"value '{key}' has no confidence ({_CONFIDENCES}) and the file has no "
            "default_confidence.",
            path=path,
            key=key,
        )
    source = item.get("source", default_source)
    note = item.get("note")
    for field_name, field_value in (("source", source), ("note", note)):
        if field_value is not None and not (isinstance(field_value, str) and field_value.strip()):
            raise RulebookError(
                f"'{key}.{field_name}' harus teks yang tidak kosong.",
                f"'{key}.{field_name}' must be non-empty text.",
                path=path,
                key=key,
            )
    return RulebookValue(_freeze(item["value"], key, path), conf, source, note)


def _freeze(item: Any, key: str, path: Path) -> Value:
    if isinstance(item, datetime | time):
        raise RulebookError(
            f"'{key}': hanya tanggal (YYYY-MM-DD) yang didukung, bukan waktu.",
            f"'{key}': only dates (YYYY-MM-DD) are supported, not times.",
            path=path,
            key=key,
        )
    if isinstance(item, Decimal) and not item.is_finite():
        raise RulebookError(
            f"'{key}': angka harus terhingga (bukan inf/nan).",
            f"'{key}': numbers must be finite (not inf/nan).",
            path=path,
            key=key,
        )
    if isinstance(item, list):
        return tuple(_freeze(x, key, path) for x in item)
    if isinstance(item, dict):
        return MappingProxyType({k: _freeze(v, f"{key}.{k}", path) for k, v in item.items()})
    if isinstance(item, str | bool | int | Decimal | date):
        return item
    raise RulebookError(  # pragma: no cover - tomllib yields no other types
        f"'{key}': jenis nilai tidak didukung.", f"'{key}': unsupported value type.", path=path
    )


def _text(data: Mapping[str, Any], field_name: str, path: Path) -> str:
    value = data[field_name]
    if not isinstance(value, str) or not value.strip():
        raise RulebookError(
            f"{field_name} harus teks yang tidak kosong.",
            f"{field_name} must be non-empty text.",
            path=path,
        )
    return value


def _date(data: Mapping[str, Any], field_name: str, path: Path) -> date:
    value = data[field_name]
    if isinstance(value, datetime) or not isinstance(value, date):
        raise RulebookError(
            f"{field_name} harus tanggal TOML tanpa tanda kutip, mis. {field_name} = 2019-05-15; "
            f"isinya {value!r}.",
            f"{field_name} must be an unquoted TOML date, e.g. {field_name} = 2019-05-15; "
            f"it is {value!r}.",
            path=path,
        )
    return value


def _confidence(value: Any, where: str, path: Path) -> Confidence:
    try:
        return Confidence(value)
    except ValueError:
        raise RulebookError(
            f"{where} = {value!r} tidak valid; pilih salah satu: {_CONFIDENCES}.",
            f"{where} = {value!r} is invalid; use one of: {_CONFIDENCES}.",
            path=path,
            key=where,
        ) from None


def _sources(value: Any, path: Path) -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        raise RulebookError(
            "sources harus berisi sedikitnya satu [[sources]] dengan citation.",
            "sources must hold at least one [[sources]] entry with a citation.",
            path=path,
        )
    out: list[Source] = []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise RulebookError(
                f"sources ke-{i} harus tabel.", f"source #{i} must be a table.", path=path
            )
        extra = sorted(set(item) - _SOURCE_KEYS)
        if extra:
            names = ", ".join(extra)
            raise RulebookError(
                f"sources ke-{i}: kunci tidak dikenal {names} (yang boleh: citation, url, note). "
                "Kolom utama harus ditulis sebelum [[sources]] pertama.",
                f"source #{i}: unknown keys {names} (allowed: citation, url, note). Top-level "
                "fields must come before the first [[sources]].",
                path=path,
            )
        if "citation" not in item:
            raise RulebookError(
                f"sources ke-{i} tidak punya citation.",
                f"source #{i} has no citation.",
                path=path,
            )
        out.append(
            Source(
                citation=_text(item, "citation", path),
                url=_text(item, "url", path) if "url" in item else None,
                note=_text(item, "note", path) if "note" in item else None,
            )
        )
    return tuple(out)
