"""The parts every frame loader shares: errors, the report, value conversion, ids."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.db import models

from mutu.domain.errors import MutuValueError

Frames = dict[str, pd.DataFrame]

WIB = ZoneInfo("Asia/Jakarta")
BATCH = 2000


class WorldLoadError(MutuValueError):
    """A world folder that cannot be loaded, explained in Indonesian and English."""


@dataclass
class WorldLoadReport:
    """What a load wrote: rows per model, and the seconds it took."""

    directory: Path
    manifest: dict[str, Any]
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# --- value conversion ---------------------------------------------------------------------


def value_of(x: Any) -> Any:
    """A pandas cell as a plain Python value; missing → None."""
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, float) and np.isnan(x):
        return None
    if isinstance(x, np.generic):
        return x.item()
    return x


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    cols = list(frame.columns)
    return [
        {c: value_of(v) for c, v in zip(cols, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def as_date(x: Any) -> date | None:
    value = value_of(x)
    return None if value is None else pd.Timestamp(value).date()


def as_moment(x: Any) -> datetime | None:
    """A naive WIB wall-clock time as an aware datetime."""
    value = value_of(x)
    return None if value is None else pd.Timestamp(value).to_pydatetime().replace(tzinfo=WIB)


def as_decimal(x: Any) -> Decimal | None:
    value = value_of(x)
    return None if value is None else Decimal(str(round(float(value), 2)))


def as_text(x: Any) -> str:
    value = value_of(x)
    return "" if value is None else str(value)


# --- writing ------------------------------------------------------------------------------


class Ids:
    """Primary keys handed out here, by model, and the natural key → id maps."""

    def __init__(self) -> None:
        self.next: dict[type[models.Model], int] = {}
        self.maps: dict[str, dict[Hashable, int]] = {}

    def take(self, model: type[models.Model]) -> int:
        if model not in self.next:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self.next[model] = int(top)
        self.next[model] += 1
        return self.next[model]

    def resolve(self, kind: str, key: Hashable, frame: str) -> int:
        try:
            return self.maps[kind][key]
        except KeyError:
            raise WorldLoadError(
                f"{frame}: rujukan {kind} {key!r} tidak dikenal.",
                f"{frame}: unknown {kind} reference {key!r}.",
            ) from None

    def optional(self, kind: str, key: Any, frame: str) -> int | None:
        key = value_of(key)
        if key is None or key == "":
            return None
        return self.resolve(kind, key, frame)


def write(
    model: type[models.Model],
    frame: pd.DataFrame,
    build: Callable[[dict[str, Any]], dict[str, Any]],
    ids: Ids,
    report: WorldLoadReport,
    *,
    key: Callable[[dict[str, Any]], Hashable] | None = None,
    kind: str | None = None,
) -> None:
    """Insert one frame; remember natural key → id under ``kind`` when ``key`` is given."""
    objects = []
    mapping: dict[Hashable, int] = {}
    for record in records(frame):
        pk = ids.take(model)
        objects.append(model(pk=pk, **build(record)))
        if key is not None:
            mapping[key(record)] = pk
    model._default_manager.bulk_create(objects, batch_size=BATCH)
    if kind is not None:
        ids.maps[kind] = mapping
    report.rows[model._meta.label] = report.rows.get(model._meta.label, 0) + len(objects)
