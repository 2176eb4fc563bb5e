"""Forms of development (Peraturan LAN 10/2018) and their SIASN training types."""

from __future__ import annotations

import re

import pytest

from mutu.domain.development_forms import (
    SIASN_TRAINING_TYPES,
    DevelopmentForm,
    UnknownDevelopmentForm,
    all_forms,
    forms_by_category,
    forms_by_siasn_type,
    get_form,
)
from mutu.domain.errors import MutuValueError


def test_codes_are_unique_snake_case_slugs() -> None:
    codes = [f.code for f in all_forms()]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in codes)
    assert all(f.label_id and f.label_en for f in all_forms())


def test_every_form_of_asn_rules_is_present() -> None:
    expected = {
        "tugas_belajar", "izin_belajar",
        "pkn", "pka", "pkp", "pelatihan_manajerial", "pelatihan_teknis", "pelatihan_fungsional",
        "pelatihan_sosial_kultural", "seminar", "workshop", "kursus", "penataran", "bimtek",
        "sosialisasi", "latsar",
        "coaching", "mentoring", "e_learning", "pelatihan_jarak_jauh", "detasering", "outbound",
        "benchmarking", "pertukaran_pegawai", "belajar_mandiri", "komunitas_belajar",
        "bimbingan_di_tempat_kerja", "magang",
    }  # fmt: skip
    assert {f.code for f in all_forms()} == expected


def test_categories() -> None:
    assert {f.code for f in forms_by_category("pendidikan")} == {"tugas_belajar", "izin_belajar"}
    klasikal = {f.code for f in forms_by_category("pelatihan_klasikal")}
    nonklasikal = {f.code for f in forms_by_category("pelatihan_nonklasikal")}
    assert {"seminar", "workshop", "bimtek", "latsar", "pkp"} <= klasikal
    assert {"coaching", "mentoring", "e_learning", "magang", "komunitas_belajar"} <= nonklasikal
    assert not klasikal & nonklasikal
    with pytest.raises(MutuValueError):
        forms_by_category("informal")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "siasn"),
    [
        ("pkn", 1),
        ("pka", 1),
        ("pkp", 1),
        ("pelatihan_fungsional", 2),
        ("pelatihan_teknis", 3),
        ("workshop", 4),
        ("pelatihan_manajerial", 5),
        ("pelatihan_sosial_kultural", 6),
        ("sosialisasi", 7),
        ("bimtek", 8),
        ("seminar", 9),
        ("magang", 10),
        ("coaching", None),
        ("tugas_belajar", None),
    ],
)
def test_siasn_types(code: str, siasn: int | None) -> None:
    assert get_form(code).siasn_type == siasn


def test_forms_by_siasn_type() -> None:
    assert {f.code for f in forms_by_siasn_type(1)} >= {"pkn", "pka", "pkp"}
    assert [f.code for f in forms_by_siasn_type(10)] == ["magang"]
    for n in SIASN_TRAINING_TYPES:
        assert forms_by_siasn_type(n), f"no form maps to SIASN type {n}"
    for bad in (0, 11, True):
        with pytest.raises(MutuValueError, match="1–10"):
            forms_by_siasn_type(bad)


def test_get_form_forgives_case_and_dashes() -> None:
    assert get_form(" E-Learning ").code == "e_learning"
    form = get_form("bimtek")
    assert isinstance(form, DevelopmentForm)
    assert get_form(form) is form
    assert str(form) == "bimtek"


def test_unknown_form_lists_valid_codes() -> None:
    with pytest.raises(UnknownDevelopmentForm) as err:
        get_form("webinar")
    assert isinstance(err.value, MutuValueError)
    assert "tidak dikenal" in err.value.message("id")
    assert "Unknown form of competency development 'webinar'" in err.value.message("en")
    assert "pelatihan_teknis" in err.value.message("en")
