"""Units (the organisation tree), positions (jabatan) and competency standards."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutu.reference.constraints import level_constraint

#: A tree deeper than this is taken to be a cycle.
MAX_TREE_DEPTH = 50


class UnitKind(models.TextChoices):
    INSTANSI = "instansi", _("agency (instansi)")
    SKPK = "skpk", _("regional work unit (SKPK / OPD)")
    BAGIAN = "bagian", _("section (bagian)")
    BIDANG = "bidang", _("division (bidang)")
    UPTD = "uptd", _("technical implementation unit (UPTD)")
    SEKOLAH = "sekolah", _("school")
    PUSKESMAS = "puskesmas", _("community health centre (puskesmas)")
    RUMAH_SAKIT = "rumah_sakit", _("hospital")
    KECAMATAN = "kecamatan", _("district office (kantor camat)")
    OTHER = "other", _("other")


class Unit(models.Model):
    """A unit of the organisation: the instansi, an SKPK/OPD, or one of their sub-units."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kecamatan = models.ForeignKey(
        "reference.Kecamatan",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="people_unit_not_own_parent",
                violation_error_message=_("A unit cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        node = self.parent
        for _depth in range(MAX_TREE_DEPTH):
            if node is None:
                return
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A unit cannot be placed under itself or one of its sub-units.")}
                )
            node = node.parent
        raise ValidationError({"parent": _("The unit tree is too deep.")})


class PositionKind(models.TextChoices):
    JPT_UTAMA = "jpt_utama", _("JPT utama (senior executive, first tier)")
    JPT_MADYA = "jpt_madya", _("JPT madya (senior executive, second tier)")
    JPT_PRATAMA = "jpt_pratama", _("JPT pratama (senior executive, third tier)")
    ADMINISTRATOR = "administrator", _("administrator")
    PENGAWAS = "pengawas", _("supervisor (pengawas)")
    FUNGSIONAL_KEAHLIAN = "fungsional_keahlian", _("functional, expertise (keahlian)")
    FUNGSIONAL_KETERAMPILAN = "fungsional_keterampilan", _("functional, skill (keterampilan)")
    PELAKSANA = "pelaksana", _("executor (pelaksana)")


class PositionLevel(models.TextChoices):
    AHLI_PERTAMA = "ahli_pertama", _("Ahli Pertama (first expert)")
    AHLI_MUDA = "ahli_muda", _("Ahli Muda (junior expert)")
    AHLI_MADYA = "ahli_madya", _("Ahli Madya (senior expert)")
    AHLI_UTAMA = "ahli_utama", _("Ahli Utama (principal expert)")
    PEMULA = "pemula", _("Pemula (beginner)")
    TERAMPIL = "terampil", _("Terampil (skilled)")
    MAHIR = "mahir", _("Mahir (proficient)")
    PENYELIA = "penyelia", _("Penyelia (supervising)")
    KLEREK = "klerek", _("clerk (klerek)")
    OPERATOR = "operator", _("operator")
    TEKNISI = "teknisi", _("technician (teknisi)")


#: Levels a position of each kind may have; kinds not listed have no level.
LEVELS_BY_KIND: dict[str, tuple[str, ...]] = {
    PositionKind.FUNGSIONAL_KEAHLIAN: (
        PositionLevel.AHLI_PERTAMA,
        PositionLevel.AHLI_MUDA,
        PositionLevel.AHLI_MADYA,
        PositionLevel.AHLI_UTAMA,
    ),
    PositionKind.FUNGSIONAL_KETERAMPILAN: (
        PositionLevel.PEMULA,
        PositionLevel.TERAMPIL,
        PositionLevel.MAHIR,
        PositionLevel.PENYELIA,
    ),
    PositionKind.PELAKSANA: (PositionLevel.KLEREK, PositionLevel.OPERATOR, PositionLevel.TEKNISI),
}
#: Kinds whose positions must name a level.
LEVEL_REQUIRED = (PositionKind.FUNGSIONAL_KEAHLIAN, PositionKind.FUNGSIONAL_KETERAMPILAN)


class Position(models.Model):
    """A position (jabatan) in a unit."""

    code = models.CharField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("A stable identifier, used by imports (e.g. the SIASN jabatan id)."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=PositionKind.choices)
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=PositionLevel.choices,
        blank=True,
        help_text=_("Required for functional positions; empty for managerial ones."),
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions"
    )
    competencies: models.ManyToManyField[Competency, CompetencyStandard] = models.ManyToManyField(
        "Competency",
        through="CompetencyStandard",
        verbose_name=_("competencies"),
        related_name="positions",
        blank=True,
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["unit__code", "name"]

    def __str__(self) -> str:
        if self.level:
            return f"{self.name} ({self.get_level_display()})"
        return self.name

    def clean(self) -> None:
        allowed = LEVELS_BY_KIND.get(self.kind, ())
        if self.level and self.level not in allowed:
            raise ValidationError(
                {"level": _("This level does not belong to a position of this kind.")}
            )
        if not self.level and self.kind in LEVEL_REQUIRED:
            raise ValidationError({"level": _("A functional position needs a level.")})


class CompetencyType(models.TextChoices):
    TEKNIS = "teknis", _("technical (teknis)")
    MANAJERIAL = "manajerial", _("managerial (manajerial)")
    SOSIAL_KULTURAL = "sosial_kultural", _("socio-cultural (sosial kultural)")


class Competency(models.Model):
    """A competency of the standard (PermenPANRB 38/2017), e.g. integritas."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=CompetencyType.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["type", "code"]

    def __str__(self) -> str:
        return self.name


LEVEL_HELP = _("Level 1 (lowest) to 5 (highest).")


class CompetencyStandard(models.Model):
    """The level of a competency a position requires."""

    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.CASCADE, related_name="standards"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    required_level = models.PositiveSmallIntegerField(_("required level"), help_text=LEVEL_HELP)

    class Meta:
        verbose_name = _("competency standard")
        verbose_name_plural = _("competency standards")
        ordering = ["position", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "competency"], name="people_competencystandard_unique"
            ),
            level_constraint("required_level", "people_competencystandard_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.position} · {self.competency}: {self.required_level}"
