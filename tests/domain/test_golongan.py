"""Golongan parsing, the PNS/PPPK tables and entry golongan (asn-rules.md, PP 99/2000)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mutu.domain.errors import MutuValueError
from mutu.domain.golongan import (
    Education,
    Golongan,
    UnknownEducation,
    UnknownGolongan,
    entry_golongan,
    golongan_table,
    parse_education,
    parse_golongan,
)
from mutu.rulebooks import BUILTIN_DIR, RulebookError, load

# asn-rules.md, "Golongan / pangkat (PNS) [C]", in order.
PNS_PANGKAT = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
]


def test_seventeen_pns_golongan_in_order_with_pangkat() -> None:
    table = golongan_table("PNS")
    assert len(table) == 17
    assert [(g.code, g.pangkat) for g in table] == PNS_PANGKAT
    assert [g.rank for g in table] == list(range(1, 18))
    assert all(g.kind == "PNS" for g in table)
    assert table[8].ruang == "a"
    assert table[8].roman == "III"
    assert sorted(reversed(table)) == list(table)


def test_pppk_golongan() -> None:
    table = golongan_table("PPPK")
    assert [g.code for g in table][:3] == ["I", "II", "III"]
    assert table[-1].code == "XVII"
    assert table[-1].rank == 17
    assert all(g.pangkat is None and g.ruang is None for g in table)


@pytest.mark.parametrize(
    "text", ["III/a", "III-a", "3a", "3/A", "IIIa", " iii/a ", "III a", "3-a", "iii.A"]
)
def test_parse_pns_variants(text: str) -> None:
    g = parse_golongan(text)
    assert g == Golongan(code="III/a", kind="PNS", rank=9, ruang="a", pangkat="Penata Muda")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I/a", "I/a"),
        ("1d", "I/d"),
        ("IV/e", "IV/e"),
        ("4E", "IV/e"),
        ("iib", "II/b"),
        ("IVa", "IV/a"),
    ],
)
def test_parse_pns_edges(text: str, code: str) -> None:
    assert parse_golongan(text).code == code


@pytest.mark.parametrize(
    ("text", "code"), [("IX", "IX"), ("ix", "IX"), ("9", "IX"), (" 17 ", "XVII"), ("iv", "IV")]
)
def test_parse_pppk(text: str, code: str) -> None:
    g = parse_golongan(text, kind="PPPK")
    assert g.code == code
    assert g.kind == "PPPK"


@pytest.mark.parametrize("text", ["III/e", "V/a", "5a", "IIII/a", "III", "", "III/ab", "abc", "0a"])
def test_unknown_pns_golongan(text: str) -> None:
    with pytest.raises(UnknownGolongan) as err:
        parse_golongan(text)
    assert isinstance(err.value, MutuValueError)
    assert err.value.field == "golongan"
    msg_id, msg_en = err.value.message("id"), err.value.message("en")
    assert "tidak dikenal" in msg_id
    assert "Nilai yang valid: I/a, I/b" in msg_id
    assert "Unknown PNS golongan" in msg_en
    assert "IV/e" in msg_en


@pytest.mark.parametrize("text", ["XVIII", "18", "IX/a", "0"])
def test_unknown_pppk_golongan(text: str) -> None:
    with pytest.raises(UnknownGolongan, match="XVII"):
        parse_golongan(text, kind="PPPK")


def test_unknown_kind() -> None:
    with pytest.raises(MutuValueError, match="PPPK"):
        golongan_table("TNI")  # type: ignore[arg-type]


def test_ordering_within_kind_only() -> None:
    assert parse_golongan("III/d") < parse_golongan("IV/a")
    assert parse_golongan("II/a") >= parse_golongan("I/d")
    with pytest.raises(TypeError):
        _ = parse_golongan("III/a") < parse_golongan("IX", kind="PPPK")


@pytest.mark.parametrize(
    ("education", "code"),
    [
        ("SD", "I/a"),
        ("SMP", "I/b"),
        ("SMA", "II/a"),
        ("D1", "II/b"),
        ("D2", "II/b"),
        ("D3", "II/c"),
        ("D4", "III/a"),
        ("S1", "III/a"),
        ("S2", "III/b"),
        ("S3", "III/c"),
        (Education.S2, "III/b"),
        ("SLTA", "II/a"),
        ("D-IV", "III/a"),
        ("s-1", "III/a"),
    ],
)
def test_entry_golongan(education: str | Education, code: str) -> None:
    assert entry_golongan(education).code == code


def test_entry_golongan_unknown_education() -> None:
    with pytest.raises(UnknownEducation) as err:
        entry_golongan("TK")
    assert "SD, SMP, SMA, D1, D2, D3, D4, S1, S2, S3" in err.value.message("en")
    assert "tidak dikenal" in err.value.message("id")


def test_education_order_and_aliases() -> None:
    assert [e.value for e in Education] == [
        "SD",
        "SMP",
        "SMA",
        "D1",
        "D2",
        "D3",
        "D4",
        "S1",
        "S2",
        "S3",
    ]
    assert Education.S3.rank == 10
    assert Education.SD.rank == 1
    assert parse_education("SLTP") is Education.SMP
    assert parse_education(" d3 ") is Education.D3


def test_tables_come_from_the_rulebook(tmp_path: Path) -> None:
    # An administrator's golongan version with a renamed pangkat is used as given.
    text = (BUILTIN_DIR / "golongan" / "2000.1.toml").read_text(encoding="utf-8")
    text = text.replace('version = "2000.1"', 'version = "2030.1"')
    text = text.replace("effective_from = 2000-01-01", "effective_from = 2030-01-01")
    text = text.replace('pangkat = "Penata Muda" }', 'pangkat = "Penata Pertama" }')
    text = text.replace('S1  = { value = "III/a"', 'S1  = { value = "III/b"')
    folder = tmp_path / "golongan"
    folder.mkdir()
    (folder / "2030.1.toml").write_text(text, encoding="utf-8")
    book = load("golongan", date(2030, 6, 1), search_path=[BUILTIN_DIR, tmp_path])
    assert parse_golongan("3a", rulebook=book).pangkat == "Penata Pertama"
    assert entry_golongan("S1", rulebook=book).code == "III/b"
    assert parse_golongan("3a").pangkat == "Penata Muda"  # today's version unchanged


def test_wrong_rulebook_is_refused() -> None:
    with pytest.raises(RulebookError, match="golongan"):
        golongan_table("PNS", rulebook=load("skm", date(2024, 1, 1), search_path=[BUILTIN_DIR]))
