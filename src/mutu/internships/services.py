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
from mutu.people.models import (
    AssessmentMethod,
    Competency,
    CompetencyAssessment,
    CompetencyStandard,
    Employee,
)
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
    PartnerAgreement,
    PartnerKind,
)
from mutu.programs.services import internship_create
from mutu.programs.services.completion import certificate_number_next
from mutu.rulebooks import load

__all__ = [
    "CompletionDone",
    "agreement_for_placement",
    "agreement_save",
    "internship_assess",
    "internship_complete",
    "internship_final_competency",
    "internship_log_review",
    "internship_log_write",
    "internship_mentor_link",
    "internship_place",
    "partner_save",
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
    agreement_id: int | None = None,
) -> Internship:
    """Place an eligible young ASN at a host partner, with a mentor and objectives.

    Refused when the employee is not eligible on the start date (``magang``
    rulebook, reasons given), the partner or activity is unknown, the activity
    is not a magang, the period is reversed, the mentor is not named, the
    competency is not in the position's standard, or the partner's agreement
    does not hold the placement (its dates, its quota: see
    :func:`agreement_for_placement`). The target level defaults to the
    position's required level.
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
    agreement = agreement_for_placement(
        partner=partner, start=start, end=end, agreement_id=agreement_id
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
    internship.agreement = agreement
    internship.save(update_fields=["competency", "target_level", "agreement"])
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
    placement starts, a mid-point rubric outside the window around the
    placement's midpoint (``rubric.midpoint_window_days``, see
    :func:`mutu.domain.magang.midpoint_window`), or once the internship is
    completed.
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
    if stage == AssessmentStage.MIDPOINT:
        first, last = magang.midpoint_window(internship.start, internship.end, rulebook=book)
        if not first <= on <= last:
            raise MutuValueError(
                f"Rubrik tengah magang hanya dapat diisi {first:%d-%m-%Y} s.d. {last:%d-%m-%Y} "
                "(sekitar pertengahan masa magang).",
                f"The mid-point rubric can only be filled from {first:%d-%m-%Y} to "
                f"{last:%d-%m-%Y} (around the internship's midpoint).",
                field="stage",
            )
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


# --------------------------------------------------------------------------- partners


def _line(value: str, field: str, limit: int, what_id: str, what_en: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise MutuValueError(f"Isi {what_id}.", f"Give the {what_en}.", field=field)
    if len(text) > limit:
        raise MutuValueError(
            f"{what_id.capitalize()} terlalu panjang (maksimal {limit} karakter).",
            f"The {what_en} is too long (at most {limit} characters).",
            field=field,
        )
    return text


@transaction.atomic
def partner_save(
    *,
    partner_id: int | None,
    name: str,
    kind: str,
    contact: str = "",
    is_active: bool = True,
) -> Partner:
    """Register a partner (``partner_id=None``) or change one: name, kind, contact, active.

    Refused for an empty or overlong name, a name another partner has, an
    unknown kind or an overlong contact.
    """
    clean_name = _line(name, "name", 200, "nama mitra", "partner's name")
    if kind not in PartnerKind.values:
        raise MutuValueError("Pilih jenis mitra.", "Choose the kind of partner.", field="kind")
    text = (contact or "").strip()
    if len(text) > MAX_TEXT:
        raise MutuValueError(
            f"Kontak terlalu panjang (maksimal {MAX_TEXT} karakter).",
            f"The contact is too long (at most {MAX_TEXT} characters).",
            field="contact",
        )
    if partner_id is None:
        partner = Partner()
    else:
        found = Partner.objects.select_for_update().filter(pk=partner_id).first()
        if found is None:
            raise MutuValueError("Mitra tidak ditemukan.", "The partner does not exist.")
        partner = found
    if Partner.objects.filter(name__iexact=clean_name).exclude(pk=partner.pk).exists():
        raise MutuValueError(
            f"Sudah ada mitra bernama {clean_name}.",
            f"There is already a partner named {clean_name}.",
            field="name",
        )
    partner.name, partner.kind, partner.contact = clean_name, kind, text
    partner.is_active = bool(is_active)
    partner.full_clean()
    partner.save()
    return partner


def _period(start: date, end: date | None) -> str:
    return f"{start:%d-%m-%Y} – {end:%d-%m-%Y}" if end else f"{start:%d-%m-%Y} –"


def _quota_used(agreement: PartnerAgreement, year: int | None, exclude: int | None = None) -> int:
    """Placements counted against ``agreement``'s quota in ``year`` (or in total for ``None``)."""
    qs = Internship.objects.filter(agreement=agreement)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if year is not None:
        qs = qs.filter(start__year=year)
    return qs.count()


@transaction.atomic
def agreement_save(
    *,
    agreement_id: int | None,
    partner_id: int,
    number: str,
    title: str,
    start: date | None,
    end: date | None,
    quota: int | None,
    contact_person: str = "",
) -> PartnerAgreement:
    """Record a partner's agreement (MoU, PKS) or change one.

    Refused for a missing number, title or start, an end before the start, a
    negative quota, a number the partner already uses, and, on a change, new
    dates that leave out a placement already made under the agreement or a
    quota below the placements already counted (per year or in total, as the
    ``magang`` rulebook's ``agreement.quota_period`` says).
    """
    partner = Partner.objects.filter(pk=partner_id).first()
    if partner is None:
        raise MutuValueError("Mitra tidak ditemukan.", "The partner does not exist.")
    clean_number = _line(number, "number", 100, "nomor perjanjian", "agreement's number")
    clean_title = _line(title, "title", 250, "judul perjanjian", "agreement's title")
    person = " ".join((contact_person or "").split())
    if len(person) > 200:
        raise MutuValueError(
            "Nama narahubung terlalu panjang (maksimal 200 karakter).",
            "The contact person's name is too long (at most 200 characters).",
            field="contact_person",
        )
    if start is None:
        raise MutuValueError(
            "Isi tanggal mulai perjanjian.", "Give the agreement's start date.", field="start"
        )
    if end is not None and end < start:
        raise MutuValueError(
            "Tanggal berakhir tidak boleh sebelum tanggal mulai.",
            "The end date cannot be before the start date.",
            field="end",
        )
    if quota is not None and quota < 0:
        raise MutuValueError(
            "Kuota tidak boleh negatif.", "The quota cannot be negative.", field="quota"
        )
    if agreement_id is None:
        agreement = PartnerAgreement(partner=partner)
    else:
        found = (
            PartnerAgreement.objects.select_for_update()
            .filter(pk=agreement_id, partner=partner)
            .first()
        )
        if found is None:
            raise MutuValueError("Perjanjian tidak ditemukan.", "The agreement does not exist.")
        agreement = found
    if (
        PartnerAgreement.objects.filter(partner=partner, number__iexact=clean_number)
        .exclude(pk=agreement.pk)
        .exists()
    ):
        raise MutuValueError(
            f"{partner.name} sudah punya perjanjian bernomor {clean_number}.",
            f"{partner.name} already has an agreement numbered {clean_number}.",
            field="number",
        )
    if agreement.pk is not None:
        placed = Internship.objects.filter(agreement=agreement)
        outside = placed.filter(start__lt=start)
        if end is not None:
            outside = outside | placed.filter(end__gt=end)
        first = outside.select_related("employee").order_by("start").first()
        if first is not None:
            raise MutuValueError(
                f"Magang {first.employee.name} ({_period(first.start, first.end)}) akan berada "
                "di luar masa perjanjian; ubah tanggalnya dulu.",
                f"The internship of {first.employee.name} ({_period(first.start, first.end)}) "
                "would fall outside the agreement; change its dates first.",
                field="start",
            )
        if quota is not None:
            per_year = magang.quota_period() == "year"
            counts = magang.quota_counts(
                placed.values_list("start", flat=True), period="year" if per_year else "agreement"
            )
            over = sorted((k, n) for k, n in counts.items() if n > quota)
            if over:
                key, n = over[0]
                when_id = f" pada {key}" if key is not None else ""
                when_en = f" in {key}" if key is not None else ""
                raise MutuValueError(
                    f"Sudah ada {n} magang{when_id} atas perjanjian ini; kuota tidak boleh "
                    f"kurang dari {n}.",
                    f"There are already {n} internships{when_en} under this agreement; the "
                    f"quota cannot be less than {n}.",
                    field="quota",
                )
    agreement.number, agreement.title = clean_number, clean_title
    agreement.start, agreement.end, agreement.quota = start, end, quota
    agreement.contact_person = person
    agreement.full_clean()
    agreement.save()
    return agreement


def _covers(agreement: PartnerAgreement, start: date, end: date) -> bool:
    return agreement.start <= start and (agreement.end is None or end <= agreement.end)


def agreement_for_placement(
    *, partner: Partner, start: date, end: date, agreement_id: int | None = None
) -> PartnerAgreement | None:
    """The agreement a placement at ``partner`` from ``start`` to ``end`` is made under.

    The one chosen (``agreement_id``), or else, when the partner has
    agreements, the one whose period holds the placement's (an agreement with
    a quota first, then the latest); ``None`` for a partner without any
    agreement. The agreement's row is locked, so two placements at once cannot
    both take its last place. Refused for an agreement of another partner, a
    placement outside the agreement's dates, or a full quota (counted per
    calendar year of the start, or over the whole agreement, as the ``magang``
    rulebook's ``agreement.quota_period`` says).
    """
    agreements = list(
        PartnerAgreement.objects.select_for_update().filter(partner=partner).order_by("-start")
    )
    if agreement_id is not None:
        chosen = next((a for a in agreements if a.pk == agreement_id), None)
        if chosen is None:
            raise MutuValueError(
                "Perjanjian itu bukan milik mitra penerima.",
                "That agreement is not the host partner's.",
                field="agreement",
            )
    elif not agreements:
        return None
    else:
        covering = [a for a in agreements if _covers(a, start, end)]
        if not covering:
            periods = "; ".join(f"{a.number} ({_period(a.start, a.end)})" for a in agreements)
            raise MutuValueError(
                f"Masa magang {_period(start, end)} di luar masa setiap perjanjian dengan "
                f"{partner.name}: {periods}.",
                f"The internship's period {_period(start, end)} lies outside every agreement "
                f"with {partner.name}: {periods}.",
                field="agreement",
            )
        covering.sort(key=lambda a: a.quota is None)
        chosen = covering[0]
    if not _covers(chosen, start, end):
        raise MutuValueError(
            f"Masa magang {_period(start, end)} di luar masa perjanjian {chosen.number} "
            f"({_period(chosen.start, chosen.end)}).",
            f"The internship's period {_period(start, end)} lies outside the agreement "
            f"{chosen.number} ({_period(chosen.start, chosen.end)}).",
            field="agreement",
        )
    if chosen.quota is not None:
        year = start.year if magang.quota_period() == "year" else None
        used = _quota_used(chosen, year)
        if used >= chosen.quota:
            when_id = f" untuk tahun {year}" if year is not None else ""
            when_en = f" for {year}" if year is not None else ""
            raise MutuValueError(
                f"Kuota perjanjian {chosen.number}{when_id} sudah penuh "
                f"({used} dari {chosen.quota} tempat terpakai).",
                f"The quota of the agreement {chosen.number}{when_en} is full "
                f"({used} of {chosen.quota} places used).",
                field="agreement",
            )
    return chosen


# --------------------------------------------------------------------------- final competency


@transaction.atomic
def internship_final_competency(
    *,
    internship_id: int,
    levels: dict[int, object],
    method: str,
    assessor_name: str,
    on: date,
) -> list[CompetencyAssessment]:
    """The final competency assessment: a measured level per competency of the position's standard.

    Each level becomes a :class:`~mutu.people.models.CompetencyAssessment` of
    the intern (what the evaluation of time to proficiency reads), dated ``on``
    and linked to the internship; a new assessment replaces the internship's
    previous one. Accepted from ``final_assessment.earliest_days_before_end``
    days before the placement's last day (``magang`` rulebook). Refused for a
    position without a competency standard, a competency outside it, a level
    missing or not a whole number 1–5, or an unknown method.
    """
    internship = _internship(internship_id)
    opens = magang.final_assessment_opens(internship.start, internship.end)
    if on < opens:
        raise MutuValueError(
            f"Penilaian kompetensi akhir baru dapat diisi mulai {opens:%d-%m-%Y}.",
            f"The final competency assessment can be recorded from {opens:%d-%m-%Y} on.",
            field="levels",
        )
    if method not in AssessmentMethod.values:
        raise MutuValueError(
            "Pilih metode penilaian.", "Choose the assessment method.", field="method"
        )
    assessor = " ".join((assessor_name or "").split())[:200]
    standards = {
        s.competency_id: s
        for s in CompetencyStandard.objects.filter(
            position_id=internship.employee.position_id or 0
        ).select_related("competency")
    }
    if not standards:
        raise MutuValueError(
            "Jabatan pegawai belum punya standar kompetensi.",
            "The employee's position has no competency standard.",
            field="levels",
        )
    unknown = set(levels) - set(standards)
    if unknown:
        raise MutuValueError(
            "Kompetensi itu tidak ada dalam standar kompetensi jabatan pegawai.",
            "That competency is not in the standard of the employee's position.",
            field="levels",
        )
    checked: dict[int, int] = {}
    for competency_id, standard in standards.items():
        raw = levels.get(competency_id)
        value: int | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            value = raw
        elif isinstance(raw, str) and raw.strip().isdigit():
            value = int(raw.strip())
        if value is None or not 1 <= value <= 5:
            raise MutuValueError(
                f"Level {standard.competency.name} harus bilangan bulat 1–5.",
                f"The level of {standard.competency.name} must be a whole number from 1 to 5.",
                field="levels",
            )
        checked[competency_id] = value
    previous = list(internship.final_competency.all())
    internship.final_competency.clear()
    CompetencyAssessment.objects.filter(pk__in=[a.pk for a in previous]).delete()
    made = []
    for competency_id, value in checked.items():
        record = CompetencyAssessment(
            employee_id=internship.employee_id,
            competency_id=competency_id,
            level=value,
            assessed_on=on,
            method=method,
            assessor=assessor,
        )
        record.full_clean()
        record.save()
        made.append(record)
    internship.final_competency.add(*made)
    return made
