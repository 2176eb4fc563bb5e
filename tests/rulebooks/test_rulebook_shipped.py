"""The rulebooks shipped with Mutu: they load, every leaf is marked, spot values hold.

Expected numbers are those of shared/reference/asn-rules.md.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from mutu.domain.errors import MutuValueError
from mutu.rulebooks import (
    BUILTIN_DIR,
    SHIPPED,
    Confidence,
    Rulebook,
    RulebookError,
    available,
    load,
    read_file,
)

TODAY_ISH = date(2025, 7, 1)


def test_every_shipped_rulebook_is_on_disk_once() -> None:
    books = available([BUILTIN_DIR])
    assert sorted({b.name for b in books}) == sorted(SHIPPED)
    assert len(books) == len(SHIPPED)  # one version each for now


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_rulebook_loads_and_every_leaf_has_a_confidence(name: str) -> None:
    book = load(name, TODAY_ISH, search_path=[BUILTIN_DIR])
    assert book.name == name
    assert book.origin == BUILTIN_DIR / name / f"{book.version}.toml"
    assert book.label == f"{name} {book.version}"
    assert book.sources
    assert all(s.citation for s in book.sources)
    assert book.title_id
    assert book.title_en
    assert book.keys(), "a rulebook without values"
    for key in book:
        entry = book.entry(key)
        assert isinstance(entry.confidence, Confidence), key
        assert entry.confidence.value in {"confirmed", "secondary", "unconfirmed"}
    unconfirmed = set(book.unconfirmed_keys())
    assert unconfirmed == {k for k in book if book.confidence(k) is Confidence.UNCONFIRMED}


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_file_passes_the_strict_reader_in_place(name: str) -> None:
    for file in (BUILTIN_DIR / name).glob("*.toml"):
        book = read_file(file, expect_name=name, expect_version=file.stem)
        assert book.version == file.stem


def test_unknown_key_is_a_bilingual_rulebook_error() -> None:
    book = load("skm", TODAY_ISH, search_path=[BUILTIN_DIR])
    with pytest.raises(RulebookError) as err:
        book.value("weights")
    assert isinstance(err.value, MutuValueError)
    assert "tidak ada" in err.value.message("id")
    assert "is not in rulebook skm" in err.value.message("en")
    assert "weight" in err.value.message("en")  # it points to the near key


def test_group_key_names_its_leaves() -> None:
    book = load("ip_asn", TODAY_ISH, search_path=[BUILTIN_DIR])
    with pytest.raises(RulebookError, match=r"weights\.kualifikasi"):
        book.value("weights")


@pytest.fixture(scope="module")
def ip_asn() -> Rulebook:
    return load("ip_asn", TODAY_ISH, search_path=[BUILTIN_DIR])


@pytest.fixture(scope="module")
def skm() -> Rulebook:
    return load("skm", TODAY_ISH, search_path=[BUILTIN_DIR])


class TestIpAsn:
    def test_weights_sum_to_100_with_their_marks(self, ip_asn: Rulebook) -> None:
        weights = ip_asn.section("weights")
        assert {k: v.value for k, v in weights.items()} == {
            "kualifikasi": 25,
            "kompetensi": 40,
            "kinerja": 30,
            "disiplin": 5,
        }
        assert sum(v.value for v in weights.values()) == 100
        assert ip_asn.confidence("weights.kualifikasi") is Confidence.CONFIRMED
        assert ip_asn.confidence("weights.kompetensi") is Confidence.CONFIRMED
        assert ip_asn.confidence("weights.kinerja") is Confidence.SECONDARY
        assert ip_asn.confidence("weights.disiplin") is Confidence.SECONDARY

    def test_bands(self, ip_asn: Rulebook) -> None:
        bands = [(b["label_id"], b["min"], b["max"]) for b in ip_asn.records("bands")]
        assert bands == [
            ("Sangat Tinggi", 91, 100),
            ("Tinggi", 81, 90),
            ("Sedang", 71, 80),
            ("Rendah", 61, 70),
            ("Sangat Rendah", 0, 60),
        ]
        assert ip_asn.confidence("bands") is Confidence.CONFIRMED

    def test_kualifikasi_and_kompetensi_marks(self, ip_asn: Rulebook) -> None:
        assert ip_asn.integer("kualifikasi.S3") == 25
        assert ip_asn.integer("kualifikasi.S2") == 20
        assert ip_asn.confidence("kualifikasi.S3") is Confidence.CONFIRMED
        assert ip_asn.confidence("kualifikasi.S1") is Confidence.UNCONFIRMED
        assert ip_asn.integer("kualifikasi.D4") == ip_asn.integer("kualifikasi.S1") == 15
        assert ip_asn.decimal("kompetensi.pelaksana.pelatihan_teknis") == Decimal("22.5")
        assert ip_asn.decimal("kompetensi.pelaksana.seminar_workshop") == Decimal("17.5")
        assert ip_asn.confidence("kompetensi.struktural_fungsional.seminar_workshop") is (
            Confidence.UNCONFIRMED
        )
        assert ip_asn.integer("lookback_years.pelatihan_teknis") == 1
        assert ip_asn.integer("lookback_years.magang") == 2

    def test_points_never_exceed_the_dimension_weight(self, ip_asn: Rulebook) -> None:
        for dim, group in [
            ("kualifikasi", "kualifikasi"),
            ("kinerja", "kinerja.points"),
            ("kinerja", "kinerja.predikat_points"),
            ("disiplin", "disiplin.points"),
        ]:
            weight = ip_asn.decimal(f"weights.{dim}")
            assert max(Decimal(v.value) for v in ip_asn.section(group).values()) == weight

    def test_unconfirmed_points_are_flagged(self, ip_asn: Rulebook) -> None:
        flagged = set(ip_asn.unconfirmed_keys())
        assert "kinerja.points.baik" in flagged
        assert "disiplin.points.ringan" in flagged
        assert "weights.kompetensi" not in flagged


class TestSkm:
    def test_weight_is_exactly_one_ninth(self, skm: Rulebook) -> None:
        assert skm.fraction("weight") == Fraction(1, 9)
        assert skm.fraction("weight") * 9 == 1  # 0.111 * 9 would not be

    def test_nine_elements_in_order(self, skm: Rulebook) -> None:
        elements = skm.records("elements")
        assert [e["code"] for e in elements] == [f"U{i}" for i in range(1, 10)]
        assert elements[0]["name_id"] == "Persyaratan"
        assert elements[8]["name_id"] == "Penanganan pengaduan, saran dan masukan"
        assert all(e["name_en"] for e in elements)

    def test_scale_and_factor_give_index_range_25_to_100(self, skm: Rulebook) -> None:
        w, k = skm.fraction("weight"), skm.integer("conversion_factor")
        lo, hi = skm.integer("scale.min"), skm.integer("scale.max")
        assert (9 * lo * w * k, 9 * hi * w * k) == (25, 100)

    def test_grade_bands_exact(self, skm: Rulebook) -> None:
        bands = {b["grade"]: (b["label_id"], b["min"], b["max"]) for b in skm.records("bands")}
        assert bands == {
            "A": ("Sangat Baik", Decimal("88.31"), Decimal("100.00")),
            "B": ("Baik", Decimal("76.61"), Decimal("88.30")),
            "C": ("Kurang Baik", Decimal("65.00"), Decimal("76.60")),
            "D": ("Tidak Baik", Decimal("25.00"), Decimal("64.99")),
        }
        assert bands["A"][1] == Decimal("88.31")  # exact decimal, not a float

    def test_everything_confirmed(self, skm: Rulebook) -> None:
        assert skm.unconfirmed_keys() == ()


def test_jp_rules() -> None:
    book = load("jp", TODAY_ISH, search_path=[BUILTIN_DIR])
    assert book.integer("minutes_per_jp") == 45
    assert book.integer("pns_min_jp_per_year") == 20
    assert book.integer("pppk_max_jp_per_contract_year") == 24
    assert book.decimal("conversion.outbound") == Decimal("1.2")
    assert book.decimal("conversion.komunitas_belajar") == 1
    assert book.confidence("conversion.default") is Confidence.UNCONFIRMED
    assert book.unconfirmed_keys() == ("conversion.default",)


def test_jpm_bands_and_levels() -> None:
    book = load("jpm", TODAY_ISH, search_path=[BUILTIN_DIR])
    assert [(b["code"], b["min"]) for b in book.records("bands")] == [
        ("optimal", 90),
        ("cukup_optimal", 78),
        ("kurang_optimal", 0),
    ]
    assert book.confidence("bands") is Confidence.SECONDARY
    assert book.confidence("formula") is Confidence.UNCONFIRMED
    levels = {k: v.value for k, v in book.section("standard_level").items()}
    assert levels["jpt_pratama"] == 4
    assert levels["administrator"] == 3
    assert levels["pengawas"] == 2
    assert levels["pelaksana"] == 1
    assert all(1 <= v <= 5 for v in levels.values())
    assert all(
        v.confidence is Confidence.UNCONFIRMED for v in book.section("standard_level").values()
    )


def test_nine_box_grid_and_pools() -> None:
    book = load("nine_box", TODAY_ISH, search_path=[BUILTIN_DIR])
    assert book.value("grid") == ((4, 7, 9), (2, 5, 8), (1, 3, 6))
    grid = book.value("grid")
    assert isinstance(grid, tuple)
    cells = sorted(n for row in grid if isinstance(row, tuple) for n in row)
    assert cells == list(range(1, 10))
    assert book.value("succession_pool_boxes") == (7, 8, 9)
    assert book.value("national_pool_boxes") == (9,)
    assert book.confidence("succession_pool_boxes") is Confidence.CONFIRMED
    assert book.confidence("grid") is Confidence.SECONDARY
    assert book.integer("lookback_years") == 2
    assert book.value("failing_sanction_levels") == ("sedang", "berat")
    assert set(book.unconfirmed_keys()) == {
        "thresholds.kinerja_from_predikat",
        "thresholds.potensial_method",
    }


def test_discipline_levels_and_sanctions() -> None:
    book = load("discipline", TODAY_ISH, search_path=[BUILTIN_DIR])
    assert [lv["code"] for lv in book.records("levels")] == ["ringan", "sedang", "berat"]
    ringan = [s["label_id"] for s in book.records("sanctions.ringan")]
    assert ringan == [
        "Teguran lisan",
        "Teguran tertulis",
        "Pernyataan tidak puas secara tertulis",
    ]
    assert [s["months"] for s in book.records("sanctions.sedang")] == [6, 9, 12]
    assert len(book.records("sanctions.berat")) == 3
    assert book.unconfirmed_keys() == ()


def test_values_are_immutable() -> None:
    book = load("skm", TODAY_ISH, search_path=[BUILTIN_DIR])
    bands = book.records("bands")
    with pytest.raises(TypeError):
        bands[0]["min"] = 0  # type: ignore[index]
    assert isinstance(book.value("elements"), tuple)
