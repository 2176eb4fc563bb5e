"""Load the reference tables from the pure core, the rulebooks and this app's data files.

:func:`reference_data_load` is idempotent: it creates what is missing, updates
what differs and leaves the rest alone, all in one transaction, and says how
many rows of each table it created, updated or left unchanged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from mutu import rulebooks
from mutu.domain.development_forms import all_forms
from mutu.domain.golongan import golongan_table
from mutu.reference.models import DevelopmentForm, Golongan, Kecamatan, RulebookVersion

KECAMATAN_FILE = Path(__file__).with_name("kecamatan_aceh_tenggara.json")


@dataclass
class LoadCounts:
    """How many rows of one table a load created, updated and left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} baru/created, {self.updated} diperbarui/updated, "
            f"{self.unchanged} tetap/unchanged"
        )

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _sync(
    model: type[models.Model],
    key: str | tuple[str, ...],
    rows: Iterable[Mapping[str, Any]],
    *,
    on_change: Mapping[str, Any] | None = None,
) -> LoadCounts:
    """Make ``model`` hold ``rows`` (matched on ``key``); ``on_change`` is set only on writes."""
    keys = (key,) if isinstance(key, str) else key
    counts = LoadCounts()
    for row in rows:
        lookup = {k: row[k] for k in keys}
        values = {k: v for k, v in row.items() if k not in keys}
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values, **(on_change or {}))
            obj.full_clean()
            obj.save()
            counts.created += 1
            continue
        differing = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if not differing:
            counts.unchanged += 1
            continue
        for name, value in {**differing, **(on_change or {})}.items():
            setattr(obj, name, value)
        obj.full_clean()
        obj.save()
        counts.updated += 1
    return counts


def _kecamatan_rows() -> list[dict[str, Any]]:
    data = json.loads(KECAMATAN_FILE.read_text(encoding="utf-8"))
    return [
        {
            "code": row["code"],
            "name": row["name"],
            "kabupaten_code": data["kabupaten_code"],
            "code_confirmed": bool(row.get("code_confirmed", False)),
        }
        for row in data["kecamatan"]
    ]


def _golongan_rows() -> list[dict[str, Any]]:
    return [
        {
            "kind": g.kind,
            "code": g.code,
            "rank": g.rank,
            "ruang": g.ruang or "",
            "pangkat": g.pangkat or "",
        }
        for kind in ("PNS", "PPPK")
        for g in golongan_table(kind)
    ]


def _form_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": f.code,
            "category": str(f.category),
            "label_id": f.label_id,
            "label_en": f.label_en,
            "siasn_type": f.siasn_type,
            "is_active": True,
        }
        for f in all_forms()
    ]


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files (names and bytes, sorted by name)."""
    digest = hashlib.sha256()
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(str(child.relative_to(path)).encode())
            digest.update(child.read_bytes())
    else:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _rulebook_rows() -> list[dict[str, Any]]:
    rows = []
    for book in rulebooks.available():
        origin = Path(book.origin)
        rows.append(
            {
                "name": book.name,
                "version": str(book.version),
                "effective_from": book.effective_from,
                "effective_until": book.effective_until,
                "title_id": book.title_id or "",
                "title_en": book.title_en or "",
                "source_path": str(origin),
                "sha256": file_sha256(origin),
            }
        )
    return rows


@transaction.atomic
def reference_data_load() -> dict[str, LoadCounts]:
    """Load kecamatan, golongan, forms of development and the rulebook registry.

    Returns
    -------
    dict
        Table name (``kecamatan``, ``golongan``, ``development_form``,
        ``rulebook_version``) → :class:`LoadCounts`.  A second run reports
        everything unchanged.

    Forms of development no longer in the pure core are kept (activities point
    at them) but marked inactive.
    """
    counts = {
        "kecamatan": _sync(Kecamatan, "code", _kecamatan_rows()),
        "golongan": _sync(Golongan, ("kind", "code"), _golongan_rows()),
        "development_form": _sync(DevelopmentForm, "code", _form_rows()),
    }
    known = {row["code"] for row in _form_rows()}
    retired = DevelopmentForm.objects.filter(is_active=True).exclude(code__in=known)
    counts["development_form"].updated += retired.update(is_active=False)
    counts["rulebook_version"] = _sync(
        RulebookVersion,
        ("name", "version"),
        _rulebook_rows(),
        on_change={"loaded_at": timezone.now()},
    )
    return counts
