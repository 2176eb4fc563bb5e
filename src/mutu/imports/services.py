"""Imports and exports as services: what the command (and later the upload page) call."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from mutu.domain.errors import MutuValueError
from mutu.imports.annotate import default_errors_path, write_errors_workbook
from mutu.imports.engine import ImportReport, Issue, Options, run_import
from mutu.imports.kinds import get_kind
from mutu.imports.models import ExportChannel, ExportLog
from mutu.imports.writer import output_format, write_rows


def import_file(
    *,
    kind: str,
    path: Path,
    dry_run: bool = False,
    errors_path: Path | None = None,
    write_errors: bool = True,
    sheet: str | None = None,
    activity: str | None = None,
    user: AbstractBaseUser | None = None,
    lang: str = "both",
    instrument: str | None = None,
) -> ImportReport:
    """Import ``path`` as ``kind``: every row checked first, then all of it written or nothing.

    When any row has an error nothing is written, and (unless ``write_errors``
    is False) a copy of the file with the faults marked is written to
    ``errors_path`` (default ``<name>.errors.xlsx`` beside the file).

    Raises
    ------
    MutuValueError
        An unknown kind, or a file that cannot be opened at all.
    """
    extra = {"instrument": instrument} if instrument else {}
    handler = get_kind(kind, Options(activity=activity, user=user, extra=extra))
    target = errors_path or default_errors_path(path)
    if write_errors and target.resolve() == path.resolve():
        raise MutuValueError(
            "Salinan kesalahan tidak boleh menimpa berkas yang diimpor; pilih nama lain.",
            "The copy with the errors cannot overwrite the imported file; choose another name.",
        )
    report = run_import(handler, path, dry_run=dry_run, sheet=sheet)
    if report.errors and write_errors and report.table is not None:
        try:
            report.errors_path = write_errors_workbook(
                report, report.table, target, header_row=report.header_row, lang=lang
            )
        except OSError as err:
            report.issues.append(
                Issue(
                    "errors_file",
                    f"Salinan dengan kolom kesalahan tidak bisa ditulis ke {target} ({err}).",
                    f"The copy with the error column could not be written to {target} ({err}).",
                    "notice",
                )
            )
    return report


def resolve_user(username: str | None) -> AbstractBaseUser | None:
    """The Mutu account named ``username`` (``--user``), or None when not given."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise MutuValueError(f"Pengguna {username!r} tidak ada.", f"There is no user {username!r}.")
    return user


def export_kind(
    *,
    kind: str,
    out: Path,
    shape: str = "mutu",
    user: AbstractBaseUser | None = None,
    channel: str = ExportChannel.CLI,
    **filters: Any,
) -> ExportLog:
    """Write ``kind`` to ``out`` (``.xlsx`` or ``.csv``) in the columns its import reads.

    ``shape`` ``siasn`` writes course history as SIASN's riwayat kursus.  Every
    export is logged (:class:`~mutu.imports.models.ExportLog`): who, when,
    which kind, how many rows, with which filters.

    Raises
    ------
    MutuValueError
        An unknown kind or shape, an output name not ending in .xlsx or .csv.
    """
    handler = get_kind(kind)
    output_format(out)
    if shape not in handler.shapes:
        shapes = ", ".join(handler.shapes)
        raise MutuValueError(
            f"Bentuk {shape!r} tidak ada untuk {kind}; pilih {shapes}.",
            f"There is no shape {shape!r} for {kind}; choose {shapes}.",
        )
    used = {k: v for k, v in filters.items() if v is not None}
    unknown = sorted(set(used) - set(handler.filters))
    if unknown:
        known = ", ".join(f"--{f}" for f in handler.filters) or "-"
        given = ", ".join(f"--{f}" for f in unknown)
        raise MutuValueError(
            f"Ekspor {kind} tidak bisa disaring dengan {given} (bisa: {known}).",
            f"The {kind} export cannot be filtered by {given} (it takes: {known}).",
        )
    header, body = handler.export_table(shape, **used)
    rows = write_rows(out, header, body)
    actor = user.get_username() if user is not None else _os_user()
    return ExportLog.objects.create(
        kind=kind,
        shape=shape,
        file_name=str(out.resolve()),
        rows=rows,
        personal=handler.holds_personal(list(header)),
        filters={k: str(v) for k, v in used.items()},
        channel=channel,
        user=user,  # type: ignore[misc]
        actor=actor,
    )


def _os_user() -> str:
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in some containers
        return "os:unknown"
