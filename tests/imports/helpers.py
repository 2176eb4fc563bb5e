"""Helpers for the import tests: files to import, the command, and the database's state."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import CommandError, call_command
from openpyxl import Workbook

#: The apps whose tables an import may touch (and must leave alone when it fails).
DATA_APPS = ("reference", "people", "programs", "instruments", "indicators", "imports")


def database_state() -> dict[str, tuple[int, str]]:
    """Every table of the data apps: its row count and a SHA-256 of all its rows, by id."""
    state: dict[str, tuple[int, str]] = {}
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models():
            digest = hashlib.sha256()
            count = 0
            for row in model._default_manager.order_by("pk").values_list():
                digest.update(repr(row).encode())
                count += 1
            state[model._meta.label] = (count, digest.hexdigest())
    return state


def write_xlsx(
    path: Path, rows: Sequence[Sequence[Any]], *, text_columns: Sequence[int] = ()
) -> Path:
    """A workbook of ``rows`` (the first is the header); ``text_columns`` formatted as Text."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if c - 1 in text_columns:
                cell.number_format = "@"
    book.save(path)
    return path


def write_csv(
    path: Path, rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8-sig", sep: str = ";"
) -> Path:
    buffer = StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def mutu(*args: str) -> tuple[str, str | None]:
    """Run a ``mutu`` command: (what it printed, the error message when it failed)."""
    out = StringIO()
    try:
        call_command(*args, stdout=out)
    except CommandError as err:
        return out.getvalue(), str(err)
    return out.getvalue(), None
