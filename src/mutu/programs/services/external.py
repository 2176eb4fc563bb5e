"""JP earned elsewhere: recorded with its evidence, then approved or rejected by BKPSDM."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from mutu.domain.errors import MutuValueError
from mutu.domain.jp import InvalidJp, check_jp
from mutu.people.models import Employee
from mutu.programs.models import ApprovalStatus, JpLedgerEntry, JpSource
from mutu.programs.services._errors import bilingual

__all__ = [
    "EVIDENCE_MAX_BYTES",
    "EVIDENCE_TYPES",
    "evidence_kind",
    "external_jp_decide",
    "external_jp_record",
]

#: Largest evidence file accepted: 5 MB.
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024

#: Accepted evidence: file extension → (canonical extension, the bytes the file starts with).
EVIDENCE_TYPES: dict[str, tuple[str, bytes]] = {
    ".pdf": ("pdf", b"%PDF-"),
    ".png": ("png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("jpg", b"\xff\xd8\xff"),
    ".jpeg": ("jpg", b"\xff\xd8\xff"),
}

#: More JP than this for one course elsewhere is taken to be a typing error.
JP_MAX_PER_ENTRY = 1000


def evidence_kind(upload: UploadedFile) -> str:
    """``pdf``, ``png`` or ``jpg`` for an acceptable evidence file, else a bilingual refusal.

    The name must end in .pdf, .png, .jpg or .jpeg, the content must start
    the way such a file starts (a renamed file is refused) and the size must
    be at most 5 MB.
    """
    name = (upload.name or "").lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in EVIDENCE_TYPES:
        raise MutuValueError(
            "Bukti harus berkas PDF, JPG atau PNG.",
            "The evidence must be a PDF, JPG or PNG file.",
            field="evidence",
        )
    size = upload.size or 0
    if size > EVIDENCE_MAX_BYTES:
        megabytes = f"{size / 1024 / 1024:.1f}"
        raise MutuValueError(
            f"Berkas bukti terlalu besar ({megabytes.replace('.', ',')} MB); paling besar 5 MB.",
            f"The evidence file is too large ({megabytes} MB); at most 5 MB.",
            field="evidence",
        )
    if size == 0:
        raise MutuValueError(
            "Berkas bukti kosong.", "The evidence file is empty.", field="evidence"
        )
    kind, magic = EVIDENCE_TYPES[extension]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise MutuValueError(
            f"Isi berkas bukti bukan {kind.upper()} seperti namanya.",
            f"The evidence file's content is not the {kind.upper()} its name says.",
            field="evidence",
        )
    return kind


def _problems(
    title: str, start_date: date | None, end_date: date | None, today: date
) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    if not title.strip():
        problems.append(("title", "Judul pelatihan wajib diisi.", "The course title is required."))
    if start_date is None or end_date is None:
        problems.append(
            (
                "end_date",
                "Tanggal mulai dan selesai wajib diisi.",
                "The start and end dates are required.",
            )
        )
    elif end_date < start_date:
        problems.append(
            (
                "end_date",
                "Tanggal selesai tidak boleh sebelum tanggal mulai.",
                "The end date cannot be before the start date.",
            )
        )
    elif end_date > today:
        problems.append(
            (
                "end_date",
                "JP hanya dicatat untuk pelatihan yang sudah selesai (tanggal selesai di masa "
                "depan).",
                "JP are recorded only for a course that has ended (the end date is in the future).",
            )
        )
    return problems


@transaction.atomic
def external_jp_record(
    *,
    employee_id: int,
    title: str,
    start_date: date | None,
    end_date: date | None,
    jp: Any,
    organiser: str = "",
    certificate_number: str = "",
    evidence: UploadedFile | None = None,
    recorded_by: AbstractBaseUser | None = None,
    today: date | None = None,
) -> JpLedgerEntry:
    """Record JP earned elsewhere (a course, a seminar …), pending BKPSDM's approval.

    Needs a title, start and end dates (not in the future, end not before
    start), JP above zero (``"1,5"`` is 1.5; at most 1000), and the evidence
    file (see :func:`evidence_kind`), stored under ``MEDIA_ROOT`` with a
    random name.  Every problem is reported at once, in Indonesian and
    English, and nothing is written.
    """
    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None:
        raise MutuValueError("Pegawai tidak ditemukan.", "No such employee.", field="employee")
    problems = _problems(title, start_date, end_date, today or timezone.localdate())
    amount = None
    try:
        text = str(jp).strip().replace(",", ".") if jp is not None else ""
        if not text:
            raise InvalidJp("JP wajib diisi.", "The JP are required.")
        amount = check_jp(text)
        if amount <= 0:
            raise InvalidJp("JP harus lebih dari nol.", "The JP must be more than zero.")
        if amount > JP_MAX_PER_ENTRY:
            raise InvalidJp(
                f"JP untuk satu pelatihan paling banyak {JP_MAX_PER_ENTRY}.",
                f"One course can credit at most {JP_MAX_PER_ENTRY} JP.",
            )
    except InvalidJp as err:
        problems.append(("jp", err.message_id, err.message_en))
    kind = None
    if evidence is None:
        problems.append(
            (
                "evidence",
                "Unggah bukti (sertifikat) berupa PDF, JPG atau PNG.",
                "Upload the evidence (certificate) as a PDF, JPG or PNG.",
            )
        )
    else:
        try:
            kind = evidence_kind(evidence)
        except MutuValueError as err:
            problems.append(("evidence", err.message_id, err.message_en))
    if problems:
        raise MutuValueError(
            " ".join(p[1] for p in problems),
            " ".join(p[2] for p in problems),
            field=problems[0][0] if len(problems) == 1 else None,
        )
    assert evidence is not None and kind is not None and end_date is not None
    entry = JpLedgerEntry(
        employee=employee,
        date=end_date,
        start_date=start_date,
        jp=amount,
        source=JpSource.EXTERNAL,
        title=title.strip(),
        organiser=organiser.strip(),
        certificate_number=certificate_number.strip(),
        approval_status=ApprovalStatus.PENDING,
        recorded_by=recorded_by,  # type: ignore[misc]
    )
    try:
        entry.full_clean(exclude=["evidence"])
    except ValidationError as err:
        raise bilingual(err) from err
    evidence.name = f"{secrets.token_hex(16)}.{kind}"
    entry.evidence = evidence
    entry.save()
    return entry


@transaction.atomic
def external_jp_decide(
    *, entry_id: int, approved: bool, decided_by: AbstractBaseUser, reason: str = ""
) -> JpLedgerEntry:
    """Approve (JP count from then on) or reject (with a reason) JP earned elsewhere.

    An entry is decided once: deciding it again is refused, so an approval
    credits the ledger once.
    """
    entry = JpLedgerEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None or entry.source != JpSource.EXTERNAL:
        raise MutuValueError("Catatan JP tidak ditemukan.", "No such JP record.")
    if entry.approval_status != ApprovalStatus.PENDING:
        raise MutuValueError(
            "Catatan JP ini sudah diputuskan sebelumnya.", "This JP record was already decided."
        )
    reason = reason.strip()
    if not approved and not reason:
        raise MutuValueError(
            "Tuliskan alasan penolakan.", "Give the reason for the rejection.", field="reason"
        )
    entry.approval_status = ApprovalStatus.APPROVED if approved else ApprovalStatus.REJECTED
    entry.approved_by = decided_by  # type: ignore[assignment]
    entry.decided_at = timezone.now()
    entry.decision_reason = reason
    try:
        entry.full_clean(exclude=["evidence"])
    except ValidationError as err:
        raise bilingual(err) from err
    entry.save()
    return entry
