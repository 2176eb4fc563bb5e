"""Activities, their sessions, enrollment, attendance and certificates."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutu.domain.jp import check_jp as domain_check_jp
from mutu.domain.jp import jp_from_minutes
from mutu.reference.constraints import non_negative_constraint, period_constraint
from mutu.reference.validation import call_domain


def check_jp(value: Decimal | None, field: str = "jp") -> None:
    """Refuse a JP amount the pure core refuses (negative, not finite)."""
    if value is not None:
        call_domain(lambda: domain_check_jp(value, field=field), field)


def check_minutes(value: int | None, field: str = "minutes") -> Decimal | None:
    """JP for ``value`` minutes; a negative duration is refused by the pure core."""
    if value is None:
        return None
    return call_domain(lambda: jp_from_minutes(value), field)


def new_token() -> str:
    """A random, URL-safe token (certificate verification, response links)."""
    return secrets.token_urlsafe(24)


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", _("open for registration")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Activity(models.Model):
    """One activity of a program in one form of development (a bimtek, a workshop, …)."""

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=250)
    form = models.ForeignKey(
        "reference.DevelopmentForm",
        verbose_name=_("form of development"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    jp = models.DecimalField(
        _("JP"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Lesson hours (jam pelajaran) the activity credits; 1 JP = 45 minutes."),
    )
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    kecamatan = models.ForeignKey(
        "reference.Kecamatan",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    partner = models.ForeignKey(
        "programs.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    min_attendance_share = models.DecimalField(
        _("minimum attendance share"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.800"),
        help_text=_(
            "Share of the sessions (0 to 1) a participant must attend to complete the activity."
        ),
    )
    post_test_pass_mark = models.DecimalField(
        _("post-test pass mark"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Lowest post-test score (0 to 100) that completes the activity; empty when the "
            "activity has no pass mark."
        ),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start_date", "code"]
        constraints = [
            non_negative_constraint("jp", "programs_activity_jp_non_negative"),
            period_constraint("programs_activity_period", "start_date", "end_date"),
            models.CheckConstraint(
                condition=Q(min_attendance_share__gte=0) & Q(min_attendance_share__lte=1),
                name="programs_activity_attendance_share_0_1",
                violation_error_message=_("The minimum attendance share is between 0 and 1."),
            ),
            models.CheckConstraint(
                condition=Q(post_test_pass_mark__isnull=True)
                | (Q(post_test_pass_mark__gte=0) & Q(post_test_pass_mark__lte=100)),
                name="programs_activity_pass_mark_0_100",
                violation_error_message=_("The post-test pass mark is between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def clean(self) -> None:
        check_jp(self.jp)


class ActivitySession(models.Model):
    """A session of an activity; its length in minutes gives JP."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    topic = models.CharField(_("topic"), max_length=250, blank=True)
    trainer_name = models.CharField(_("trainer"), max_length=200, blank=True)
    checkin_secret = models.CharField(
        _("check-in secret"),
        max_length=64,
        default=new_token,
        editable=False,
        help_text=_("Random part of the session's self check-in link (its QR code)."),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["activity", "starts_at"]
        constraints = [
            period_constraint(
                "programs_activitysession_ends_after_start", "starts_at", "ends_at", strict=True
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at) if self.starts_at else None
        return f"{self.activity.code} {when:%Y-%m-%d %H:%M}" if when else self.activity.code

    @property
    def minutes(self) -> int:
        """Length of the session in whole minutes."""
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def jp(self) -> Decimal:
        """JP of the session, by the ``jp`` rulebook (1 JP = 45 minutes)."""
        return jp_from_minutes(self.minutes)

    def clean(self) -> None:
        if self.starts_at is None or self.ends_at is None:
            return
        if self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})
        activity = self.activity if self.activity_id is not None else None
        if activity is None or activity.start_date is None or activity.end_date is None:
            return
        first, last = timezone.localdate(self.starts_at), timezone.localdate(self.ends_at)
        if first < activity.start_date or last > activity.end_date:
            raise ValidationError(
                {
                    "starts_at": ValidationError(
                        _("The session falls outside the activity's dates (%(start)s to %(end)s)."),
                        params={"start": activity.start_date, "end": activity.end_date},
                    )
                }
            )


class EnrollmentStatus(models.TextChoices):
    NOMINATED = "nominated", _("nominated")
    REGISTERED = "registered", _("registered")
    CONFIRMED = "confirmed", _("confirmed")
    WITHDRAWN = "withdrawn", _("withdrawn")
    COMPLETED = "completed", _("completed")
    FAILED = "failed", _("failed")


#: Statuses that hold a place in an activity.
ACTIVE_ENROLLMENT = (
    EnrollmentStatus.NOMINATED,
    EnrollmentStatus.REGISTERED,
    EnrollmentStatus.CONFIRMED,
    EnrollmentStatus.COMPLETED,
)


class Enrollment(models.Model):
    """An employee's place in an activity, from nomination to completion."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="enrollments"
    )
    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.NOMINATED,
    )
    nominated_by = models.ForeignKey(
        "people.Employee",
        verbose_name=_("nominated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations_made",
    )
    nominated_on = models.DateField(_("nominated on"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["activity", "employee__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "employee"], name="programs_enrollment_unique_employee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} @ {self.activity.code}"


class AttendanceMethod(models.TextChoices):
    OPERATOR = "operator", _("recorded by an operator")
    QR = "qr", _("QR code scan")


class Attendance(models.Model):
    """Whether an enrolled employee attended one session."""

    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("enrollment"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    session = models.ForeignKey(
        ActivitySession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    present = models.BooleanField(_("present"), default=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    method = models.CharField(
        _("method"),
        max_length=10,
        choices=AttendanceMethod.choices,
        default=AttendanceMethod.OPERATOR,
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "enrollment"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "session"], name="programs_attendance_unique_session"
            ),
        ]

    def __str__(self) -> str:
        mark = "✓" if self.present else "✗"
        return f"{self.enrollment} · {self.session}: {mark}"

    def clean(self) -> None:
        if (
            self.enrollment_id is not None
            and self.session_id is not None
            and self.enrollment.activity_id != self.session.activity_id
        ):
            raise ValidationError(
                {"session": _("The session belongs to another activity than the enrollment.")}
            )


class Certificate(models.Model):
    """The certificate of a completed enrollment, verifiable by its token."""

    enrollment = models.OneToOneField(
        Enrollment,
        verbose_name=_("enrollment"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    number = models.CharField(_("number"), max_length=100, unique=True)
    issued_on = models.DateField(_("issued on"))
    verification_token = models.CharField(
        _("verification token"), max_length=64, unique=True, default=new_token, editable=False
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        if self.enrollment_id is not None and self.enrollment.status != EnrollmentStatus.COMPLETED:
            raise ValidationError(
                {"enrollment": _("A certificate is issued only for a completed enrollment.")}
            )
