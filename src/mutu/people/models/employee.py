"""Employees (ASN) and their position history.

A NIP says who someone is: birth date, sex, kind (PNS or PPPK) and the year
(and, for PNS, month) of appointment.  Those facts are stored beside the NIP,
for queries, and must agree with it: ``clean()`` derives what is missing and
refuses what contradicts the number; the database refuses a NIP that is not 18
digits and a status or sex that contradicts it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Length, Replace, Substr
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from mutu.domain.golongan import UnknownGolongan, parse_golongan
from mutu.domain.nip import InvalidNip, Nip, eighteenth_birthday, normalize_nip, parse_nip
from mutu.people.models.organisation import MAX_TREE_DEPTH, Position, Unit
from mutu.reference.constraints import period_constraint
from mutu.reference.models import EmploymentKind, asn_kind
from mutu.reference.validation import domain_validation_error, merge_errors


class EmploymentType(models.TextChoices):
    """Working time of a PPPK (PNS are always full time)."""

    FULL_TIME = "full_time", _("full time")
    PART_TIME = "part_time", _("part time (paruh waktu)")


class Sex(models.TextChoices):
    MALE = "L", _("male (laki-laki)")
    FEMALE = "P", _("female (perempuan)")


class EducationLevel(models.TextChoices):
    SD = "SD", _("primary school (SD)")
    SMP = "SMP", _("junior secondary school (SMP)")
    SMA = "SMA", _("senior secondary school (SMA/SMK)")
    D1 = "D1", _("diploma 1 (D1)")
    D2 = "D2", _("diploma 2 (D2)")
    D3 = "D3", _("diploma 3 (D3)")
    D4 = "D4", _("applied bachelor (D4)")
    S1 = "S1", _("bachelor (S1)")
    S2 = "S2", _("master (S2)")
    S3 = "S3", _("doctorate (S3)")


def _digits_removed(expr: Combinable) -> Combinable:
    # "Only digits" without a regular expression, which SQLite lacks natively:
    # strip each digit with REPLACE (same on SQLite and PostgreSQL); nothing may remain.
    for digit in "0123456789":
        expr = Replace(expr, Value(digit), Value(""))
    return expr


_NIP_MONTH = Substr("nip", 13, 2)
_NIP_IS_PNS = Q(GreaterThanOrEqual(_NIP_MONTH, "01")) & Q(LessThanOrEqual(_NIP_MONTH, "12"))
_NIP_SEX = Substr("nip", 15, 1)


class Employee(models.Model):
    """An ASN (PNS or PPPK)."""

    nip = models.CharField(
        _("NIP"),
        max_length=18,
        unique=True,
        help_text=_("18 digits: NIP for a PNS, NI PPPK for a PPPK."),
    )
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=4,
        choices=EmploymentKind.choices,
        help_text=_("Must match the NIP: a PNS number has a month in digits 13–14."),
    )
    employment_type = models.CharField(
        _("employment type"),
        max_length=10,
        choices=EmploymentType.choices,
        blank=True,
        help_text=_("Required for a PPPK; empty for a PNS."),
    )
    birth_date = models.DateField(
        _("birth date"), blank=True, help_text=_("Taken from the NIP when left empty.")
    )
    sex = models.CharField(
        _("sex"),
        max_length=1,
        choices=Sex.choices,
        blank=True,
        help_text=_("Taken from the NIP when left empty."),
    )
    golongan = models.ForeignKey(
        "reference.Golongan",
        verbose_name=_("golongan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
        help_text=_("A PNS golongan for a PNS, a PPPK golongan for a PPPK."),
    )
    education_level = models.CharField(
        _("education level"), max_length=3, choices=EducationLevel.choices, blank=True
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="employees"
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("direct supervisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinates",
    )
    tmt_cpns = models.DateField(
        _("appointment date (TMT)"),
        null=True,
        blank=True,
        help_text=_(
            "TMT CPNS for a PNS, first appointment for a PPPK. Must agree with the NIP "
            "and fall on or after the 18th birthday."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name", "nip"]
        constraints = [
            models.CheckConstraint(
                condition=Q(Exact(Length("nip"), 18)) & Q(Exact(_digits_removed(F("nip")), "")),
                name="people_employee_nip_18_digits",
                violation_error_message=_("A NIP has exactly 18 digits."),
            ),
            models.CheckConstraint(
                condition=(Q(status=EmploymentKind.PNS) & _NIP_IS_PNS)
                | (Q(status=EmploymentKind.PPPK) & ~_NIP_IS_PNS),
                name="people_employee_status_matches_nip",
                violation_error_message=_("The status does not match the NIP."),
            ),
            models.CheckConstraint(
                condition=(Q(sex=Sex.MALE) & Q(Exact(_NIP_SEX, "1")))
                | (Q(sex=Sex.FEMALE) & Q(Exact(_NIP_SEX, "2"))),
                name="people_employee_sex_matches_nip",
                violation_error_message=_("The sex does not match the NIP."),
            ),
            models.CheckConstraint(
                condition=Q(status=EmploymentKind.PNS, employment_type="")
                | Q(status=EmploymentKind.PPPK) & ~Q(employment_type=""),
                name="people_employee_employment_type",
                violation_error_message=_("A PPPK needs an employment type; a PNS has none."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"

    @property
    def parsed_nip(self) -> Nip:
        """The NIP parsed by the pure core (raises :class:`InvalidNip` if malformed)."""
        return parse_nip(self.nip)

    def clean_fields(self, exclude: Any = None) -> None:
        # People type NIPs with spaces ("19860926 201505 1 001"): drop them first.
        if self.nip:
            self.nip = normalize_nip(self.nip)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if self.nip:
            try:
                nip = parse_nip(self.nip)
            except InvalidNip as err:
                merge_errors(errors, domain_validation_error(err, "nip"))
            else:
                self._check_against_nip(nip, errors)
        self._check_employment_type(errors)
        self._check_golongan(errors)
        self._check_supervisor(errors)
        if errors:
            raise ValidationError(errors)

    def _check_against_nip(self, nip: Nip, errors: dict[str, list[ValidationError]]) -> None:
        def refuse(field: str, message: Any, **params: Any) -> None:
            errors.setdefault(field, []).append(
                ValidationError(message, code="nip_mismatch", params=params)
            )

        if not self.status:
            self.status = nip.kind
        elif self.status != nip.kind:
            refuse(
                "status",
                _("The status is %(status)s but the NIP is a %(kind)s number."),
                status=self.status,
                kind=nip.kind,
            )
        if self.birth_date is None:
            self.birth_date = nip.birth_date
        elif self.birth_date != nip.birth_date:
            refuse(
                "birth_date",
                _("The birth date does not agree with the NIP, which gives %(date)s."),
                date=nip.birth_date.isoformat(),
            )
        if not self.sex:
            self.sex = nip.sex
        elif self.sex != nip.sex:
            refuse(
                "sex",
                _("The sex does not agree with the NIP, which gives %(sex)s."),
                sex=nip.sex,
            )
        if self.tmt_cpns is None:
            return
        adult = eighteenth_birthday(nip.birth_date)
        if self.tmt_cpns < adult:
            refuse(
                "tmt_cpns",
                _("The appointment date is before the 18th birthday (%(date)s)."),
                date=adult.isoformat(),
            )
        nip_month = (nip.appointment_year, nip.appointment_month or self.tmt_cpns.month)
        if (self.tmt_cpns.year, self.tmt_cpns.month) != nip_month:
            when = f"{nip.appointment_year}"
            if nip.appointment_month:
                when += f"-{nip.appointment_month:02d}"
            refuse(
                "tmt_cpns",
                _("The appointment date does not agree with the NIP, which gives %(when)s."),
                when=when,
            )

    def _check_employment_type(self, errors: dict[str, list[ValidationError]]) -> None:
        if self.status == EmploymentKind.PPPK and not self.employment_type:
            errors.setdefault("employment_type", []).append(
                ValidationError(_("A PPPK needs an employment type (full or part time)."))
            )
        elif self.status == EmploymentKind.PNS and self.employment_type:
            errors.setdefault("employment_type", []).append(
                ValidationError(_("A PNS has no employment type; leave it empty."))
            )

    def _check_golongan(self, errors: dict[str, list[ValidationError]]) -> None:
        kind = asn_kind(self.status)
        if self.golongan_id is None or kind is None:
            return
        golongan = self.golongan
        assert golongan is not None
        try:
            parse_golongan(golongan.code, kind=kind)
        except UnknownGolongan as err:
            merge_errors(errors, domain_validation_error(err, "golongan"))
            return
        if golongan.kind != self.status:
            errors.setdefault("golongan", []).append(
                ValidationError(
                    _("Golongan %(code)s is a %(kind)s golongan, not a %(status)s one."),
                    params={"code": golongan.code, "kind": golongan.kind, "status": self.status},
                )
            )

    def _check_supervisor(self, errors: dict[str, list[ValidationError]]) -> None:
        node = self.supervisor
        for _depth in range(MAX_TREE_DEPTH):
            if node is None:
                return
            if self.pk is not None and node.pk == self.pk:
                errors.setdefault("supervisor", []).append(
                    ValidationError(_("An employee cannot supervise themselves, even indirectly."))
                )
                return
            node = node.supervisor


class PositionHistory(models.Model):
    """A period an employee held a position in a unit."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="position_history",
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("position history")
        verbose_name_plural = _("position histories")
        ordering = ["employee", "-start"]
        constraints = [period_constraint("people_positionhistory_period")]

    def __str__(self) -> str:
        return f"{self.employee.name}: {self.position} ({self.start:%Y-%m-%d}–{self.end or ''})"
