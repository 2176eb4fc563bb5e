"""Reference tables: mirrors of the pure core's tables, loaded by :mod:`.services`.

Nothing here is typed in by hand in normal use: ``reference_data_load()`` fills
these tables from the domain modules, the rulebooks and the data files of this
app, and re-running it changes nothing.
"""

from __future__ import annotations

from typing import Literal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class EmploymentKind(models.TextChoices):
    """The two kinds of ASN (UU 20/2023)."""

    PNS = "PNS", _("PNS (civil servant)")
    PPPK = "PPPK", _("PPPK (government employee with a work agreement)")


def asn_kind(status: str) -> Literal["PNS", "PPPK"] | None:
    """``status`` as the pure core's ASN kind, or ``None`` when it is neither."""
    if status == EmploymentKind.PNS:
        return "PNS"
    if status == EmploymentKind.PPPK:
        return "PPPK"
    return None


class Kecamatan(models.Model):
    """A district (kecamatan) with its Kemendagri code, e.g. ``11.02.04``."""

    code = models.CharField(
        _("Kemendagri code"),
        max_length=13,
        unique=True,
        help_text=_("Region code of the Ministry of Home Affairs, e.g. 11.02.04."),
    )
    name = models.CharField(_("name"), max_length=100)
    kabupaten_code = models.CharField(
        _("regency code"),
        max_length=5,
        help_text=_("Kemendagri code of the regency or city, e.g. 11.02 for Aceh Tenggara."),
    )
    code_confirmed = models.BooleanField(
        _("code confirmed"),
        default=False,
        help_text=_(
            "Whether the code has been checked against the official Kemendagri list. "
            "Unconfirmed codes are placeholders."
        ),
    )
    distance_km = models.DecimalField(
        _("distance from the capital (km)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Road distance from the regency capital (for Aceh Tenggara, Kutacane)."),
    )

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kabupaten_code", "name"], name="reference_kecamatan_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Golongan(models.Model):
    """A golongan/ruang (PNS) or PPPK golongan, mirrored from :mod:`mutu.domain.golongan`."""

    code = models.CharField(_("code"), max_length=8, help_text=_("For example III/a or IX."))
    kind = models.CharField(_("kind"), max_length=4, choices=EmploymentKind.choices)
    rank = models.PositiveSmallIntegerField(
        _("rank"), help_text=_("Order within the kind; higher is more senior.")
    )
    ruang = models.CharField(_("ruang"), max_length=2, blank=True)
    pangkat = models.CharField(_("pangkat"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("golongan")
        verbose_name_plural = _("golongan")
        ordering = ["kind", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="reference_golongan_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.pangkat}" if self.pangkat else f"{self.kind} {self.code}"


class DevelopmentForm(models.Model):
    """A form of competency development (Peraturan LAN 10/2018), e.g. bimbingan teknis."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=40)
    label_id = models.CharField(_("label (Indonesian)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)
    siasn_type = models.PositiveSmallIntegerField(
        _("SIASN training type"),
        null=True,
        blank=True,
        help_text=_("Training-type code used by SIASN course history, if any."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("form of development")
        verbose_name_plural = _("forms of development")
        ordering = ["category", "code"]

    def __str__(self) -> str:
        return self.label_id


class RulebookVersion(models.Model):
    """A version of a rulebook (a versioned regulation table) that has been loaded."""

    name = models.CharField(_("name"), max_length=80)
    version = models.CharField(_("version"), max_length=40)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    title_id = models.CharField(_("title (Indonesian)"), max_length=250, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    source_path = models.CharField(
        _("source file"), max_length=500, help_text=_("The file the version was read from.")
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("rulebook version")
        verbose_name_plural = _("rulebook versions")
        ordering = ["name", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"], name="reference_rulebookversion_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=F("effective_from")),
                name="reference_rulebookversion_period",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class LoadedWorld(models.Model):
    """A synthetic world loaded into this database by ``mutu load`` (demo data, never real)."""

    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)
    seed = models.IntegerField(_("seed"))
    scenario = models.CharField(_("scenario"), max_length=20)
    scale = models.CharField(_("scale"), max_length=20)
    rows = models.PositiveIntegerField(_("rows"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("loaded synthetic world")
        verbose_name_plural = _("loaded synthetic worlds")

    def __str__(self) -> str:
        return f"{self.scenario} · seed {self.seed} · {self.content_hash[:12]}"
