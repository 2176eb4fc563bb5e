"""The upload page's services: a file kept aside, previewed by a dry run, then applied.

An uploaded file is written to its own folder, ``<root>/<user id>/<token>/``
(root: the setting ``MUTU_IMPORT_UPLOAD_ROOT``, default ``MUTU_HOME/impor``,
outside the media files the web server may serve), beside a ``manifest.json``
holding who uploaded it, which kind, its SHA-256 and the dry run's result.
Applying it later:

- finds the folder only under the signed-in user's id (another user's token
  is unknown to them);
- refuses it after ``MUTU_IMPORT_UPLOAD_TTL`` seconds (default one hour), and
  deletes it;
- checks that the hash the preview page showed is the manifest's, and that
  the file on disk still has that hash: the file applied is exactly the file
  previewed;
- runs the real import, all or nothing (:func:`mutu.imports.engine.run_import`),
  and deletes the folder once written.

Every refusal is a :class:`~mutu.domain.errors.MutuValueError` in Indonesian
and English.  Web exports (:func:`export_for_web`) are written here too,
filtered to the user's scope and logged in :class:`ExportLog` (channel web).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from mutu.accounts.scope import Scope
from mutu.domain.errors import MutuValueError
from mutu.imports.annotate import write_errors_workbook
from mutu.imports.engine import ImportReport, Issue, Options, run_import
from mutu.imports.kinds import KINDS
from mutu.imports.models import ExportChannel, ExportLog
from mutu.imports.scoping import (
    export_privacy,
    export_refusal,
    export_row_filter,
    import_kind_for,
    scoped_rows,
)
from mutu.imports.writer import write_rows

#: File endings the upload page takes.
UPLOAD_SUFFIXES = (".xlsx", ".csv")
#: Changed rows listed on the preview (the counts cover every row).
PREVIEW_CHANGES = 50
#: Notes listed on the preview (the count covers every note).
PREVIEW_NOTICES = 100
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def max_upload_bytes() -> int:
    """The largest file the upload page takes (``MUTU_IMPORT_MAX_BYTES``, default 10 MiB)."""
    return int(getattr(settings, "MUTU_IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def upload_ttl() -> int:
    """Seconds an uploaded file waits to be applied (``MUTU_IMPORT_UPLOAD_TTL``, default 1 h)."""
    return int(getattr(settings, "MUTU_IMPORT_UPLOAD_TTL", 3600))


def upload_root() -> Path:
    root = getattr(settings, "MUTU_IMPORT_UPLOAD_ROOT", None)
    return Path(root) if root else Path(settings.MUTU_HOME) / "impor"


@dataclass
class PendingUpload:
    """An uploaded file waiting to be applied, and what its dry run found."""

    token: str
    folder: Path
    manifest: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def name(self) -> str:
        """The file's name as the person uploaded it."""
        return str(self.manifest["name"])

    @property
    def sha256(self) -> str:
        return str(self.manifest["sha256"])

    @property
    def path(self) -> Path:
        """The file as kept: its own (cleaned) name, which an attendance import may read."""
        return self.folder / str(self.manifest["stored"])

    @property
    def errors_path(self) -> Path:
        return self.folder / f"{self.path.stem}.errors.xlsx"

    @property
    def errors_name(self) -> str:
        """``pegawai.errors.xlsx`` for ``pegawai.csv``: the download's name."""
        return f"{Path(self.name).stem}.errors.xlsx"

    @property
    def expires_at(self) -> float:
        return float(self.manifest["created"]) + upload_ttl()

    @property
    def preview(self) -> dict[str, Any]:
        return dict(self.manifest["preview"])


def upload_check(*, name: str, size: int) -> str:
    """The file's ending (``.xlsx`` or ``.csv``); a bilingual refusal for any other file.

    Raises
    ------
    MutuValueError
        An old ``.xls`` workbook, another kind of file, an empty or too large file.
    """
    suffix = Path(name).suffix.lower()
    if suffix == ".xls":
        raise MutuValueError(
            f"{name} adalah buku kerja Excel lama (.xls); simpan ulang sebagai .xlsx "
            "(File → Save As → Excel Workbook) atau CSV, lalu unggah lagi.",
            f"{name} is an old Excel workbook (.xls); save it again as .xlsx "
            "(File → Save As → Excel Workbook) or CSV, then upload it again.",
        )
    if suffix not in UPLOAD_SUFFIXES:
        raise MutuValueError(
            f"{name} bukan buku kerja Excel (.xlsx) atau berkas CSV; pilih berkas .xlsx atau .csv.",
            f"{name} is not an Excel workbook (.xlsx) or a CSV file; choose an .xlsx or .csv file.",
        )
    if size == 0:
        raise MutuValueError(f"{name} kosong.", f"{name} is empty.")
    limit = max_upload_bytes()
    if size > limit:
        mib = limit / (1024 * 1024)
        raise MutuValueError(
            f"{name} lebih besar dari {mib:g} MiB; bagi berkas menjadi beberapa bagian.",
            f"{name} is larger than {mib:g} MiB; split it into several files.",
        )
    return suffix


def stored_name(name: str, suffix: str) -> str:
    """``name`` made safe to keep on disk (letters, digits, ``-``, ``_``, ``.``), same ending."""
    stem = re.sub(r"[^\w.\-]+", "_", Path(name).stem).strip("._")[:100] or "upload"
    return f"{stem}{suffix}"


def _content_check(path: Path, name: str, suffix: str) -> None:
    with path.open("rb") as handle:
        head = handle.read(4096)
    if suffix == ".xlsx" and not head.startswith(b"PK"):
        raise MutuValueError(
            f"{name} bukan buku kerja .xlsx yang sah (mungkin .xls atau berkas lain yang diganti "
            "namanya); simpan ulang dari Excel sebagai .xlsx.",
            f"{name} is not a valid .xlsx workbook (perhaps an .xls or another file renamed); "
            "save it again from Excel as .xlsx.",
        )
    if suffix == ".csv" and b"\x00" in head:
        raise MutuValueError(
            f"{name} bukan berkas teks CSV; simpan ulang dari Excel sebagai CSV.",
            f"{name} is not a CSV text file; save it again from Excel as CSV.",
        )


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            sha.update(block)
    return sha.hexdigest()


def _user_folder(user: AbstractBaseUser) -> Path:
    return upload_root() / str(int(user.pk))


def uploads_sweep(now: float | None = None) -> int:
    """Delete every pending upload older than its time to live; how many were deleted."""
    now = time.time() if now is None else now
    root = upload_root()
    if not root.is_dir():
        return 0
    deleted = 0
    for manifest in root.glob("*/*/manifest.json"):
        try:
            created = float(json.loads(manifest.read_text(encoding="utf-8"))["created"])
        except (OSError, ValueError, KeyError, TypeError):
            created = 0.0
        if created + upload_ttl() < now:
            shutil.rmtree(manifest.parent, ignore_errors=True)
            deleted += 1
    return deleted


def upload_store(
    *,
    user: AbstractBaseUser,
    scope: Scope,
    kind: str,
    name: str,
    chunks: Iterable[bytes],
    lang: str = "both",
    instrument: str = "",
    activity: str = "",
    sheet: str = "",
) -> PendingUpload:
    """Keep an uploaded file aside and preview it: the dry run, counts, changes and faults.

    Nothing is written to the data tables.  When the dry run finds errors, the
    marked copy of the file (:mod:`mutu.imports.annotate`) is kept beside it.

    Raises
    ------
    MutuValueError
        A kind the user may not import, a file of the wrong type or size, a
        file that cannot be read at all (nothing is kept then).
    """
    import_kind_for(scope, kind, Options(user=user))  # refuses a kind out of reach first
    name = Path(name).name or "upload"
    suffix = upload_check(name=name, size=1)
    uploads_sweep()
    token = secrets.token_hex(16)
    folder = _user_folder(user) / token
    folder.mkdir(parents=True, exist_ok=False)
    pending = PendingUpload(token, folder, {"stored": stored_name(name, suffix)})
    try:
        size = 0
        limit = max_upload_bytes()
        with pending.path.open("wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    upload_check(name=name, size=size)
                out.write(chunk)
        upload_check(name=name, size=size)
        _content_check(pending.path, name, suffix)
        pending.manifest = {
            "user": int(user.pk),
            "kind": kind,
            "name": name,
            "stored": pending.manifest["stored"],
            "size": size,
            "sha256": _digest(pending.path),
            "created": time.time(),
            "instrument": instrument.strip(),
            "activity": activity.strip(),
            "sheet": sheet.strip(),
        }
        report = _run(pending, user=user, scope=scope, dry_run=True, lang=lang)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _save(pending, report)
    return pending


def upload_load(*, user: AbstractBaseUser, token: str) -> PendingUpload:
    """The user's pending upload ``token``.

    Raises
    ------
    MutuValueError
        No such upload for this user (never uploaded, another user's, already
        applied) or one that expired (it is deleted).
    """
    folder = _user_folder(user) / token
    manifest_path = folder / "manifest.json"
    if not _TOKEN.match(token or "") or not manifest_path.is_file():
        raise MutuValueError(
            "Unggahan ini tidak ada (sudah diterapkan, dibatalkan, atau kedaluwarsa); "
            "unggah berkasnya lagi.",
            "This upload does not exist (already applied, cancelled, or expired); "
            "upload the file again.",
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    pending = PendingUpload(token, folder, manifest)
    if int(manifest.get("user", -1)) != int(user.pk):
        raise MutuValueError(
            "Unggahan ini tidak ada; unggah berkasnya lagi.",
            "This upload does not exist; upload the file again.",
        )
    if pending.expires_at < time.time():
        shutil.rmtree(folder, ignore_errors=True)
        raise MutuValueError(
            "Unggahan ini sudah kedaluwarsa; unggah berkasnya lagi dan periksa pratinjaunya.",
            "This upload has expired; upload the file again and check its preview.",
        )
    return pending


def upload_apply(
    *,
    user: AbstractBaseUser,
    scope: Scope,
    token: str,
    sha256: str,
    lang: str = "both",
) -> ImportReport:
    """Import the previewed file for real: all of it, or nothing.

    Returns the report: ``report.written`` when the data were saved (the
    upload is then deleted); otherwise the faults found now (the database may
    have changed since the preview), kept as the upload's new preview.

    Raises
    ------
    MutuValueError
        An unknown or expired upload, a hash that is not the previewed file's,
        a kind the user may no longer import.
    """
    pending = upload_load(user=user, token=token)
    if not secrets.compare_digest(sha256 or "", pending.sha256):
        raise MutuValueError(
            "Berkas yang diterapkan bukan berkas yang dipratinjau; unggah berkasnya lagi.",
            "The file being applied is not the file previewed; upload the file again.",
        )
    if not pending.path.is_file() or _digest(pending.path) != pending.sha256:
        shutil.rmtree(pending.folder, ignore_errors=True)
        raise MutuValueError(
            "Berkas unggahan berubah sejak pratinjau; tidak ada yang disimpan. Unggah lagi.",
            "The uploaded file changed since the preview; nothing was saved. Upload it again.",
        )
    report = _run(pending, user=user, scope=scope, dry_run=False, lang=lang)
    if report.written:
        shutil.rmtree(pending.folder, ignore_errors=True)
    else:
        _save(pending, report)
    return report


def upload_discard(*, user: AbstractBaseUser, token: str) -> None:
    """Delete a pending upload (nothing happens when there is none)."""
    if _TOKEN.match(token or ""):
        shutil.rmtree(_user_folder(user) / token, ignore_errors=True)


def _run(
    pending: PendingUpload, *, user: AbstractBaseUser, scope: Scope, dry_run: bool, lang: str
) -> ImportReport:
    manifest = pending.manifest
    instrument = str(manifest.get("instrument") or "")
    options = Options(
        user=user,
        activity=str(manifest.get("activity") or "") or None,
        extra={"instrument": instrument} if instrument else {},
    )
    handler = import_kind_for(scope, pending.kind, options)
    sheet = str(manifest.get("sheet") or "") or None
    if sheet is not None and pending.path.suffix.lower() == ".csv":
        raise MutuValueError(
            "Berkas CSV tidak punya lembar; kosongkan nama lembar.",
            "A CSV file has no sheets; leave the sheet name empty.",
        )
    report = run_import(handler, pending.path, dry_run=dry_run, sheet=sheet)
    pending.errors_path.unlink(missing_ok=True)
    if report.errors and report.table is not None:
        try:
            report.errors_path = write_errors_workbook(
                report,
                report.table,
                pending.errors_path,
                header_row=report.header_row,
                lang=lang,
            )
        except OSError:
            report.errors_path = None
    return report


def _issue(issue: Issue) -> dict[str, Any]:
    return {
        "row": issue.row,
        "where_id": issue.where("id"),
        "where_en": issue.where("en"),
        "message_id": issue.message_id,
        "message_en": issue.message_en,
        "code": issue.code,
    }


def report_preview(report: ImportReport) -> dict[str, Any]:
    """What the preview page shows of a report (kept in the manifest as JSON)."""
    changed = [c for c in report.changes if c.action != "unchanged"]
    notices = report.notices
    return {
        "source": report.source,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "dry_run": report.dry_run,
        "written": report.written,
        "changes": [
            {"row": c.row.number, "action": c.action, "label": c.label, "columns": list(c.shown)}
            for c in changed[:PREVIEW_CHANGES]
        ],
        "changes_total": len(changed),
        "errors": [_issue(i) for i in report.errors],
        "notices": [_issue(i) for i in notices[:PREVIEW_NOTICES]],
        "notices_total": len(notices),
        "errors_file": report.errors_path is not None,
    }


def _save(pending: PendingUpload, report: ImportReport) -> None:
    pending.manifest["preview"] = report_preview(report)
    target = pending.folder / "manifest.json"
    target.write_text(json.dumps(pending.manifest, ensure_ascii=False), encoding="utf-8")


# --------------------------------------------------------------------------- exports


@dataclass(frozen=True)
class WebExport:
    """A finished web export: the file's bytes, its name and content type, and its log entry."""

    content: bytes
    file_name: str
    content_type: str
    log: ExportLog


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def export_for_web(
    *,
    user: AbstractBaseUser,
    scope: Scope,
    kind: str,
    fmt: str,
    shape: str = "mutu",
    **filters: Any,
) -> WebExport:
    """Export ``kind`` as ``fmt`` (xlsx or csv): the user's scope only, logged (channel web).

    Raises
    ------
    MutuValueError
        An unknown kind, format or shape; a filter the kind does not take or a
        bad filter value; a role that may not export this kind.
    """
    if kind not in KINDS:
        raise MutuValueError(
            f"Jenis data {kind!r} tidak dikenal.", f"Unknown kind of data {kind!r}."
        )
    refusal = export_refusal(scope, kind)
    if refusal is not None:
        raise refusal
    if fmt not in CONTENT_TYPES:
        raise MutuValueError(
            "Format unduhan harus xlsx atau csv.", "The download format must be xlsx or csv."
        )
    handler = KINDS[kind]()
    if shape not in handler.shapes:
        raise MutuValueError(
            f"Bentuk {shape!r} tidak ada untuk {kind}.", f"There is no shape {shape!r} for {kind}."
        )
    used = {k: v for k, v in filters.items() if v not in (None, "")}
    unknown = sorted(set(used) - set(handler.filters))
    if unknown:
        raise MutuValueError(
            f"Unduhan {kind} tidak bisa disaring dengan {', '.join(unknown)}.",
            f"The {kind} download cannot be filtered by {', '.join(unknown)}.",
        )
    if "year" in used:
        used["year"] = _year(used["year"])
    header, body = handler.export_table(shape, **used)
    header = list(header)
    keep = export_row_filter(scope, kind, header)
    stamp = time.strftime("%Y%m%d")
    suffix = "" if shape == "mutu" else f"-{shape}"
    file_name = f"{kind}{suffix}-{stamp}.{fmt}"
    with tempfile.TemporaryDirectory(prefix="mutu-export-") as folder:
        path = Path(folder) / file_name
        rows = write_rows(
            path, header, scoped_rows(body, keep, export_privacy(scope, kind, header))
        )
        content = path.read_bytes()
    logged = {k: str(v) for k, v in used.items()}
    if keep is not None:
        logged["scope"] = "units of the user"
    log = ExportLog.objects.create(
        kind=kind,
        shape=shape,
        file_name=file_name,
        rows=rows,
        personal=handler.holds_personal(list(header)),
        filters=logged,
        channel=ExportChannel.WEB,
        user=user,  # type: ignore[misc]
        actor=user.get_username(),
    )
    return WebExport(content, file_name, CONTENT_TYPES[fmt], log)


def _year(value: Any) -> int:
    text = str(value).strip()
    if not text.isdigit() or not 1900 <= int(text) <= 2100:
        raise MutuValueError(
            f"Tahun {text!r} tidak sah; tulis tahun empat angka, mis. 2025.",
            f"The year {text!r} is not valid; write a four-digit year, e.g. 2025.",
        )
    return int(text)
