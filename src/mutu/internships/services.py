"""Writes of the internship pages: place, write a week, review, score the rubric, complete.

Each service checks everything first and writes in one transaction; a refusal
is a bilingual :class:`~mutu.domain.errors.MutuValueError` and writes nothing.
Permissions are the views' business (they answer 404 outside the scope).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mutu.domain import magang
from mutu.domain.errors import MutuValueError
from mutu.people.models import Competency, CompetencyStandard, Employee
from mutu.programs.models import (
    Activity,
    ActivityStatus,
    ApprovalStatus,
    AssessmentStage,
    Certificate,
    Enrollment,
    EnrollmentStatus,
    Internship,
    InternshipAssessment,
    InternshipLogEntry,
    JpLedgerEntry,
    JpSource,
    Partner,
)
from mutu.programs.services import internship_create
from mutu.programs.services.completion import certificate_number_next
from mutu.rulebooks import load

__all__ = [
    "CompletionDone",
    "internship_assess",
    "internship_complete",
    "internship_log_review",
    "internship_log_write",
    "internship_mentor_link",
    "internship_place",
]

#: Longest logbook entry and comment: a few lines written on a phone.
MAX_TEXT = 2000


def _text(value: str, field: str, what_id: str, what_en: str) -> str:
    text = (value or "").strip()
    if not text:
        raise MutuValueError(f"Isi {what_id}.", f"Write the {what_en}.", field=field)
    if len(text) > MAX_TEXT:
        raise MutuValueError(
            f"{what_id.capitalize()} terlalu panjang (maksimal {MAX_TEXT} karakter).",
            f"The {what_en} is too long (at most {MAX_TEXT} characters).",
            field=field,
        )
    return text


def _internship(internship_id: int) -> Internship:
    found = (
        Internship.objects.select_for_update(of=("self",))
        .select_related("employee", "activity")
        .filter(pk=internship_id)
        .first()
    )
    if found is None:
        raise MutuValueError("Magang tidak ditemukan.", "The internship does not exist.")
    return found


def _completed(internship: Internship) -> bool:
    return (
        internship.activity_id is not None
        and Certificate.objects.filter(
            enrollment__activity_id=internship.activity_id,
            enrollment__employee_id=internship.employee_id,
        ).exists()
    )


@transaction.atomic
def internship_place(
    *,
    employee_id: int,
    host_partner_id: int | None,
    start: date | None,
    end: date | None,
    mentor_name: str,
    objectives: str = "",
    competency_id: int | None = None,
    target_level: int | None = None,
    activity_id: int | None = None,
) -> Internship:
    """Place an eligible young ASN at a host partner, with a mentor and objectives.

    Refused when the employee is not eligible on the start date (``magang``
    rulebook, reasons given), the partner or activity is unknown, the activity
    is not a magang, the period is reversed, the mentor is not named, or the
    competency is not in the position's standard. The target level defaults
    to the position's required level.
    """
    employee = Employee.objects.select_related("position").filter(pk=employee_id).first()
    if employee is None or not employee.is_active:
        raise MutuValueError(
            "Pegawai tidak ditemukan atau tidak aktif.",
            "The employee does not exist or is no longer active.",
            field="nip",
        )
    if start is None or end is None:
        raise MutuValueError(
            "Isi tanggal mulai dan selesai.", "Give the start and end dates.", field="start"
        )
    if end < start:
        raise MutuValueError(
            "Tanggal selesai tidak boleh sebelum tanggal mulai.",
            "The end date cannot be before the start date.",
            field="end",
        )
    partner = Partner.objects.filter(pk=host_partner_id).first() if host_partner_id else None
    if partner is None:
        raise MutuValueError("Pilih mitra penerima.", "Choose the host partner.", field="partner")
    mentor = (mentor_name or "").strip()
    if not mentor:
        raise MutuValueError("Isi nama pembimbing.", "Name the mentor.", field="mentor_name")
    had = Internship.objects.filter(employee=employee).exists()
    result = magang.eligible(
        status=employee.status,
        birth_date=employee.birth_date,
        tmt=employee.tmt_cpns,
        on=start,
        had_internship=had,
    )
    if not result.eligible:
        raise MutuValueError(
            f"{employee.name} tidak memenuhi syarat magang pada {start:%d-%m-%Y}: "
            + " ".join(result.reason_texts("id")),
            f"{employee.name} is not eligible for an internship on {start:%d-%m-%Y}: "
            + " ".join(result.reason_texts("en")),
            field="nip",
        )
    activity = None
    if activity_id is not None:
        activity = Activity.objects.select_related("form").filter(pk=activity_id).first()
        if activity is None or activity.form.code != load("magang", start).text("form_code"):
            raise MutuValueError(
                "Kegiatan magang tidak ditemukan.",
                "The internship activity does not exist.",
                field="activity",
            )
        if activity.status == ActivityStatus.CANCELLED:
            raise MutuValueError(
                "Kegiatan magang ini dibatalkan.",
                "The internship activity is cancelled.",
                field="activity",
            )
    competency = None
    if competency_id is not None:
        competency = Competency.objects.filter(pk=competency_id).first()
        standard = CompetencyStandard.objects.filter(
            position_id=employee.position_id or 0, competency_id=competency_id
        ).first()
        if competency is None or standard is None:
            raise MutuValueError(
                "Kompetensi itu tidak ada dalam standar kompetensi jabatan pegawai.",
                "That competency is not in the standard of the employee's position.",
                field="competency",
            )
        if target_level is None:
            target_level = standard.required_level
    if target_level is not None and not 1 <= target_level <= 5:
        raise MutuValueError(
            "Level target antara 1 dan 5.", "The target level is between 1 and 5.", field="level"
        )
    internship = internship_create(
        employee=employee,
        start=start,
        end=end,
        host_partner=partner,
        mentor_name=mentor,
        objectives=(objectives or "").strip(),
        activity=activity,
    )
    internship.competency = competency
    internship.target_level = target_level
    internship.save(update_fields=["competency", "target_level"])
    if activity is not None:
        Enrollment.objects.get_or_create(
            activity=activity,
            employee=employee,
            defaults={"status": EnrollmentStatus.CONFIRMED, "registered_on": start},
        )
    return internship


@transaction.atomic
def internship_mentor_link(
    *, internship_id: int, username: str, password: str = ""
) -> AbstractBaseUser:
    """Give the mentor an account: an existing one by user name, or a new one with a password.

    A new account has no role: its holder sees only the internships they mentor.
    """
    internship = _internship(internship_id)
    name = (username or "").strip()
    if not name or len(name) > 150:
        raise MutuValueError(
            "Isi nama pengguna pembimbing.", "Give the mentor's user name.", field="username"
        )
    users = get_user_model()
    user = users.objects.filter(username=name).first()
    if user is None:
        if not password:
            raise MutuValueError(
                "Akun baru memerlukan kata sandi awal.",
                "A new account needs an initial password.",
                field="password",
            )
        candidate = users(username=name)
        try:
            candidate.full_clean(exclude=["password"])
            validate_password(password, candidate)
        except ValidationError as err:
            raise MutuValueError(
                "Nama pengguna atau kata sandi tidak dapat dipakai: " + " ".join(err.messages),
                "The user name or password cannot be used: " + " ".join(err.messages),
                field="password",
            ) from None
        candidate.set_password(password)
        candidate.save()
        user = candidate
    internship.mentor_user = user
    internship.save(update_fields=["mentor_user"])
    return user


@transaction.atomic
def internship_log_write(
    *, internship_id: int, week_start: date | None, text: str, today: date
) -> InternshipLogEntry:
    """The intern's entry for one week (one per week; rewritten until the mentor reviews it).

    Refused for a week outside the placement or still to come, an empty or
    overlong text, or a week the mentor has already reviewed.
    """
    internship = _internship(internship_id)
    body = _text(text, "text", "catatan minggu ini", "entry for the week")
    if week_start is None or not internship.start <= week_start <= internship.end:
        raise MutuValueError(
            "Minggu itu di luar masa magang.",
            "That week is outside the internship's period.",
            field="week_start",
        )
    week = magang.week_of(internship.start, week_start)
    if week > today:
        raise MutuValueError(
            "Minggu itu belum dimulai.", "That week has not started yet.", field="week_start"
        )
    entry = InternshipLogEntry.objects.filter(internship=internship, week_start=week).first()
    if entry is not None and entry.reviewed_at is not None:
        raise MutuValueError(
            "Catatan minggu itu sudah ditinjau pembimbing dan tidak dapat diubah.",
            "The mentor has reviewed that week's entry; it can no longer be changed.",
            field="week_start",
        )
    if entry is None:
        entry = InternshipLogEntry(internship=internship, week_start=week, text=body)
    entry.text = body
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def internship_log_review(
    *, entry_id: int, comment: str, reviewer: AbstractBaseUser
) -> InternshipLogEntry:
    """The mentor's comment on one week's entry (it closes the entry to edits)."""
    entry = InternshipLogEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise MutuValueError("Catatan tidak ditemukan.", "The entry does not exist.")
    entry.mentor_comment = _text(comment, "comment", "komentar", "comment")
    entry.reviewed_at = timezone.now()
    entry.reviewed_by_id = reviewer.pk
    entry.save(update_fields=["mentor_comment", "reviewed_at", "reviewed_by"])
    return entry


@transaction.atomic
def internship_assess(
    *,
    internship_id: int,
    stage: str,
    scores: dict[str, object],
    comment: str,
    assessor: AbstractBaseUser,
    on: date,
) -> InternshipAssessment:
    """The mentor's rubric at the mid-point or the end (``magang`` rulebook), saved or replaced.

    Refused for an unknown stage, a missing or out-of-scale score, before the
    placement starts, or once the internship is completed.
    """
    internship = _internship(internship_id)
    if stage not in AssessmentStage.values:
        raise MutuValueError(
            "Tahap penilaian tidak dikenal.", "Unknown assessment stage.", field="stage"
        )
    if on < internship.start:
        raise MutuValueError(
            "Magang belum dimulai.", "The internship has not started yet.", field="stage"
        )
    if _completed(internship):
        raise MutuValueError(
            "Magang sudah selesai; penilaian tidak dapat diubah.",
            "The internship is completed; the rubric can no longer change.",
            field="stage",
        )
    book = load("magang", internship.start)
    checked = magang.rubric_check(scores, rulebook=book)
    assessment, _created = InternshipAssessment.objects.update_or_create(
        internship=internship,
        stage=stage,
        defaults={
            "scores": checked,
            "comment": (comment or "").strip()[:MAX_TEXT],
            "rulebook": book.label,
            "assessed_on": on,
            "assessed_by_id": assessor.pk,
        },
    )
    return assessment


@dataclass(frozen=True)
class CompletionDone:
    """What :func:`internship_complete` did."""

    certificate: Certificate
    jp: Decimal
    factor_unconfirmed: bool
    newly_issued: bool


@transaction.atomic
def internship_complete(*, internship_id: int, on: date) -> CompletionDone:
    """Complete an internship: certificate and JP credited once, as an activity's completion does.

    Needs the internship's magang activity, the placement ended by ``on`` and
    a final rubric whose mean reaches ``rubric.pass_mean``. The intern's
    enrollment in the activity is set completed on the placement's end date, a
    certificate numbered like the activity's others is issued and the
    activity's JP converted for the form magang (``jp`` rulebook; the factor is
    unconfirmed) are credited to the ledger, approved. Running it again issues
    nothing new.
    """
    internship = _internship(internship_id)
    activity = internship.activity
    if activity is None:
        raise MutuValueError(
            "Magang ini tidak terhubung ke kegiatan magang; sertifikat tidak dapat diterbitkan.",
            "This internship has no internship activity; no certificate can be issued.",
        )
    existing = Certificate.objects.filter(
        enrollment__activity=activity, enrollment__employee_id=internship.employee_id
    ).first()
    jp, factor = magang.magang_jp(activity.jp, jp_rulebook=load("jp", internship.end))
    unconfirmed = factor.confidence.mark == "U"
    if existing is not None:
        credited = JpLedgerEntry.objects.filter(enrollment_id=existing.enrollment_id).first()
        return CompletionDone(existing, credited.jp if credited else jp, unconfirmed, False)
    if on < internship.end:
        raise MutuValueError(
            f"Magang berakhir {internship.end:%d-%m-%Y}; selesaikan sesudahnya.",
            f"The internship ends on {internship.end:%d-%m-%Y}; complete it after that.",
        )
    final = InternshipAssessment.objects.filter(
        internship=internship, stage=AssessmentStage.END
    ).first()
    if final is None:
        raise MutuValueError(
            "Pembimbing belum mengisi rubrik akhir.", "The mentor has not filled the final rubric."
        )
    book = load("magang", internship.start)
    scores = {k: int(v) for k, v in final.scores.items()}
    if not magang.rubric_passes(scores, rulebook=book):
        mean = magang.rubric_mean(scores)
        need = book.decimal("rubric.pass_mean")
        raise MutuValueError(
            f"Rata-rata rubrik akhir {mean:.2f} di bawah batas {need}; magang belum tuntas.",
            f"The final rubric's mean {mean:.2f} is below {need}; the internship is not passed.",
        )
    enrollment, _created = Enrollment.objects.select_for_update().get_or_create(
        activity=activity,
        employee_id=internship.employee_id,
        defaults={"status": EnrollmentStatus.CONFIRMED, "registered_on": internship.start},
    )
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_on = internship.end
    enrollment.save(update_fields=["status", "completed_on", "updated_at"])
    if not JpLedgerEntry.objects.filter(enrollment=enrollment).exists():
        entry = JpLedgerEntry(
            employee_id=internship.employee_id,
            date=internship.end,
            jp=jp,
            source=JpSource.ACTIVITY,
            enrollment=enrollment,
            title=activity.title,
            organiser=activity.organiser,
            approval_status=ApprovalStatus.APPROVED,
            decided_at=timezone.now(),
        )
        entry.full_clean()
        entry.save()
    certificate = Certificate(
        enrollment=enrollment, number=certificate_number_next(activity), issued_on=internship.end
    )
    certificate.full_clean()
    certificate.save()
    return CompletionDone(certificate, jp, unconfirmed, True)
