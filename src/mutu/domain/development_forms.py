"""The forms of competency development of Peraturan LAN 10/2018.

Every activity Mutu records is one of these forms.  A form has a stable
``code`` (stored in the database and used as the key of the ``jp`` rulebook's
conversion table), its category (pendidikan, pelatihan klasikal, pelatihan
nonklasikal), labels in Indonesian and English, and the SIASN training-type
code used when a course is reported to BKN's SIASN.

The list of forms is a vocabulary (codes other modules rely on), so it lives
here; the numbers attached to forms (JP conversion factors) live in the ``jp``
rulebook.

SIASN training-type codes (secondary source): 1 struktural, 2 fungsional,
3 teknis, 4 workshop, 5 manajerial, 6 sosial kultural, 7 sosialisasi,
8 bimtek, 9 seminar, 10 magang.  Forms with no clear SIASN type have ``None``:
they are reported under the type of their content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from mutu.domain.errors import MutuValueError

Category = Literal["pendidikan", "pelatihan_klasikal", "pelatihan_nonklasikal"]

#: SIASN training-type codes and their names (secondary source).
SIASN_TRAINING_TYPES: Mapping[int, str] = MappingProxyType(
    {
        1: "Struktural",
        2: "Fungsional",
        3: "Teknis",
        4: "Workshop",
        5: "Manajerial",
        6: "Sosial Kultural",
        7: "Sosialisasi",
        8: "Bimbingan Teknis",
        9: "Seminar",
        10: "Magang",
    }
)


class UnknownDevelopmentForm(MutuValueError):
    """A form-of-development code that is not in :func:`all_forms`; lists the valid codes."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_id, message_en, field="form")


@dataclass(frozen=True, slots=True)
class DevelopmentForm:
    """One form of competency development (Peraturan LAN 10/2018).

    Attributes
    ----------
    code
        Stable snake_case identifier, e.g. ``"pelatihan_teknis"``.
    category
        ``"pendidikan"``, ``"pelatihan_klasikal"`` or ``"pelatihan_nonklasikal"``.
    label_id, label_en
        Names in Indonesian and English.
    siasn_type
        SIASN training-type code 1–10, or ``None`` when no type fits clearly.
    """

    code: str
    category: Category
    label_id: str
    label_en: str
    siasn_type: int | None

    def __str__(self) -> str:
        return self.code


def _f(
    code: str, category: Category, label_id: str, label_en: str, siasn_type: int | None
) -> DevelopmentForm:
    return DevelopmentForm(code, category, label_id, label_en, siasn_type)


_P: Category = "pendidikan"
_K: Category = "pelatihan_klasikal"
_N: Category = "pelatihan_nonklasikal"

_FORMS: tuple[DevelopmentForm, ...] = (
    # -- pendidikan: degree study, recorded as education history, not as a course.
    _f("tugas_belajar", _P, "Tugas belajar", "Study assignment (full-time, employer-funded)", None),
    _f("izin_belajar", _P, "Izin belajar", "Study permit (part-time, self-funded)", None),
    # -- pelatihan klasikal
    _f("pkn", _K, "Pelatihan Kepemimpinan Nasional (PKN)", "National leadership training", 1),
    _f("pka", _K, "Pelatihan Kepemimpinan Administrator (PKA)", "Administrator leadership", 1),
    _f("pkp", _K, "Pelatihan Kepemimpinan Pengawas (PKP)", "Supervisor leadership training", 1),
    _f("pelatihan_manajerial", _K, "Pelatihan manajerial", "Managerial training", 5),
    _f("pelatihan_teknis", _K, "Pelatihan teknis", "Technical training", 3),
    _f("pelatihan_fungsional", _K, "Pelatihan fungsional", "Functional training", 2),
    _f("pelatihan_sosial_kultural", _K, "Pelatihan sosial kultural", "Socio-cultural training", 6),
    _f("seminar", _K, "Seminar/konferensi/sarasehan", "Seminar/conference/forum", 9),
    _f("workshop", _K, "Workshop/lokakarya", "Workshop", 4),
    # Kursus and penataran are short skill courses; SIASN has no own type, teknis is closest.
    _f("kursus", _K, "Kursus", "Course", 3),
    _f("penataran", _K, "Penataran", "Upgrading course", 3),
    _f("bimtek", _K, "Bimbingan teknis", "Technical guidance", 8),
    _f("sosialisasi", _K, "Sosialisasi", "Socialisation (briefing on a policy)", 7),
    # Latsar (basic training of CPNS) has no own SIASN type; struktural is the closest.
    _f("latsar", _K, "Pelatihan dasar CPNS (Latsar)", "Basic training of CPNS", 1),
    # -- pelatihan nonklasikal: reported under the type of their content.
    _f("coaching", _N, "Coaching", "Coaching", None),
    _f("mentoring", _N, "Mentoring", "Mentoring", None),
    _f("e_learning", _N, "E-learning", "E-learning", None),
    _f("pelatihan_jarak_jauh", _N, "Pelatihan jarak jauh", "Distance training", None),
    _f("detasering", _N, "Detasering (secondment)", "Secondment", None),
    _f("outbound", _N, "Pembelajaran alam terbuka (outbound)", "Outdoor learning (outbound)", None),
    _f("benchmarking", _N, "Patok banding (benchmarking)", "Benchmarking visit", None),
    _f("pertukaran_pegawai", _N, "Pertukaran pegawai", "Staff exchange", None),
    _f("belajar_mandiri", _N, "Belajar mandiri (self development)", "Self-directed learning", None),
    _f("komunitas_belajar", _N, "Komunitas belajar", "Learning community", None),
    _f("bimbingan_di_tempat_kerja", _N, "Bimbingan di tempat kerja", "On-the-job guidance", None),
    _f("magang", _N, "Magang/praktik kerja", "Internship/work placement", 10),
)

_BY_CODE: dict[str, DevelopmentForm] = {f.code: f for f in _FORMS}


def all_forms() -> tuple[DevelopmentForm, ...]:
    """Every form of development, grouped by category in the order of Peraturan LAN 10/2018."""
    return _FORMS


def get_form(code: str | DevelopmentForm) -> DevelopmentForm:
    """The form with a given code (Peraturan LAN 10/2018).

    Parameters
    ----------
    code
        The form's code; surrounding spaces, upper case and ``-`` for ``_`` are
        forgiven (``"E-Learning"`` is ``"e_learning"``).  A
        :class:`DevelopmentForm` is returned as is.

    Raises
    ------
    UnknownDevelopmentForm
        When no form has that code; the message lists the valid codes.
    """
    if isinstance(code, DevelopmentForm):
        return code
    key = str(code).strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return _BY_CODE[key]
    except KeyError:
        valid = ", ".join(_BY_CODE)
        raise UnknownDevelopmentForm(
            f"Bentuk pengembangan kompetensi {str(code)!r} tidak dikenal. "
            f"Kode yang valid: {valid}.",
            f"Unknown form of competency development {str(code)!r}. Valid codes: {valid}.",
        ) from None


def forms_by_category(category: Category) -> tuple[DevelopmentForm, ...]:
    """The forms of one category (pendidikan, pelatihan klasikal or nonklasikal)."""
    if category not in (_P, _K, _N):
        raise MutuValueError(
            f"Kategori {category!r} tidak dikenal; pilih {_P}, {_K} atau {_N}.",
            f"Unknown category {category!r}; use {_P}, {_K} or {_N}.",
            field="category",
        )
    return tuple(f for f in _FORMS if f.category == category)


def forms_by_siasn_type(siasn_type: int) -> tuple[DevelopmentForm, ...]:
    """The forms reported to SIASN under a training-type code (1–10).

    Raises
    ------
    MutuValueError
        When ``siasn_type`` is not one of the codes 1–10.
    """
    if isinstance(siasn_type, bool) or siasn_type not in SIASN_TRAINING_TYPES:
        raise MutuValueError(
            f"Kode jenis diklat SIASN {siasn_type!r} tidak dikenal; yang valid 1–10.",
            f"Unknown SIASN training-type code {siasn_type!r}; valid codes are 1–10.",
            field="siasn_type",
        )
    return tuple(f for f in _FORMS if f.siasn_type == siasn_type)
