"""``mutu rulebooks``: list, show and add versions of the regulation tables."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu import rulebooks
from mutu.rulebooks import RulebookError


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Tanggal tidak valid: {text!r} (format YYYY-MM-DD). / "
            f"Invalid date: {text!r} (format YYYY-MM-DD)."
        ) from None


def _display(value: object) -> str:
    """Plain text for a rulebook value: numbers as written, tables as JSON-like text."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_display(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_display(v) for v in value) + "]"
    if isinstance(value, Decimal | date):
        return str(value)
    return repr(value) if isinstance(value, str) else str(value)


class Command(BaseCommand):
    help = (
        "Daftar, tampilkan, atau tambah versi rulebook (tabel regulasi). / "
        "List, show or add rulebook versions (regulation tables)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        sub.add_parser("list", help="List every version (default).")
        show = sub.add_parser("show", help="Show the values of the version in force.")
        show.add_argument("name")
        show.add_argument("--on", type=_parse_date, default=None, help="Date (YYYY-MM-DD).")
        add = sub.add_parser(
            "add", help="Validate a rulebook file and install it into MUTU_HOME/rulebooks."
        )
        add.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action") or "list"
        try:
            if action == "show":
                self._show(options["name"], options["on"])
            elif action == "add":
                self._add(options["file"])
            else:
                self._list()
        except RulebookError as exc:
            raise CommandError(str(exc)) from exc

    def _list(self) -> None:
        today = date.today()
        in_force: dict[str, str | None] = {}
        for book in rulebooks.available():
            try:
                in_force[book.name] = rulebooks.load(book.name, today).version
            except RulebookError:
                in_force.setdefault(book.name, None)
        self.stdout.write(
            f"{'name':<12} {'version':<10} {'from':<10} {'until':<10} "
            f"{'values':>6} {'unconf.':>7}  source"
        )
        for book in rulebooks.available():
            mark = "*" if in_force.get(book.name) == book.version else " "
            until = book.effective_until.isoformat() if book.effective_until else "-"
            citation = "; ".join(s.citation for s in book.sources)
            self.stdout.write(
                f"{book.name:<12} {book.version + mark:<10} {book.effective_from.isoformat():<10} "
                f"{until:<10} {len(book.keys()):>6} {len(book.unconfirmed_keys()):>7}  {citation}"
            )
        self.stdout.write(f"* = in force today ({today.isoformat()})")

    def _show(self, name: str, on: date | None) -> None:
        book = rulebooks.load(name, on)
        self.stdout.write(f"{book.label} — {book.title_id} / {book.title_en}")
        self.stdout.write(f"file: {book.origin}")
        for key in book:
            entry = book.entry(key)
            self.stdout.write(f"  {key} = {_display(entry.value)}  [{entry.confidence.value}]")

    def _add(self, file: Path) -> None:
        installed = rulebooks.install(file, settings.MUTU_HOME)
        book = rulebooks.read_file(installed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Ditambahkan / added: {book.label}, berlaku mulai / in force from "
                f"{book.effective_from.isoformat()} → {installed}"
            )
        )
