"""Raw exports carry the faults their README lists, row by row."""

from __future__ import annotations

import re

import pytest

from mutu.domain.nip import is_valid_nip
from mutu.synthetic import World


def _rows(world: World, name: str, encoding: str, sep: str) -> list[list[str]]:
    text = world.raw[name].decode(encoding)
    lines = text.removeprefix("\ufeff").split("\r\n")
    assert lines[-1] == ""
    return [line.split(sep) for line in lines[:-1]]


def _readme_rows(world: World, section: str) -> dict[int, str]:
    readme = world.raw["raw/README.md"].decode("utf-8")
    part = readme.split(f"## `{section}`", 1)[1].split("\n## ", 1)[0]
    out = {}
    for row, fault in re.findall(r"^\| (\d+) \| (.+) \|$", part, flags=re.M):
        out[int(row)] = fault
    return out


def test_raw_files_are_listed(world: World) -> None:
    names = set(world.raw)
    assert "raw/README.md" in names
    assert "raw/siasn_pegawai.csv" in names
    assert any(n.startswith("raw/daftar_hadir_") for n in names)
    assert any(n.startswith("raw/nilai_pre_post_") for n in names)


def test_siasn_export_is_windows_1252_with_its_faults(world: World) -> None:
    raw = world.raw["raw/siasn_pegawai.csv"]
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    rows = _rows(world, "raw/siasn_pegawai.csv", "cp1252", ";")
    header, data = rows[0], rows[1:]
    assert header[:3] == ["NO", "NIP", "NAMA"]
    faults = _readme_rows(world, "siasn_pegawai.csv")
    nip = header.index("NIP")
    unor = header.index("UNOR")
    born = header.index("TGL LAHIR")
    kinds = {k: [r for r, f in faults.items() if k in f] for k in
             ("scientific", "trailing", "ISO", "not a unit", "duplicate")}  # fmt: skip
    (sci,) = kinds["scientific"]
    assert re.fullmatch(r"\d\.\d{5}E\+17", data[sci - 1][nip])
    assert len(kinds["trailing"]) == 2
    assert all(data[r - 1][2].endswith(" ") or data[r - 1][unor].endswith(" ")
               for r in kinds["trailing"])  # fmt: skip
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", data[r - 1][born]) for r in kinds["ISO"])
    (unknown,) = kinds["not a unit"]
    assert data[unknown - 1][unor] not in set(world.frames["units"]["name"])
    assert len(kinds["duplicate"]) == 3
    for r in kinds["duplicate"]:
        assert data[r - 1] == data[r - 2]
    valid = [r for r in data if is_valid_nip(r[nip])]
    assert len(valid) == len(data) - 1  # only the scientific-notation NIP is malformed
    true_nip = re.search(r"true NIP (\d{18})", faults[sci]).group(1)  # type: ignore[union-attr]
    assert {r[nip] for r in valid} | {true_nip} == set(world.frames["employees"]["nip"])
    assert any(not r[2].isascii() for r in data)


def test_attendance_sheet_faults(world: World) -> None:
    name = next(n for n in world.raw if n.startswith("raw/daftar_hadir_"))
    rows = _rows(world, name, "utf-8", ",")
    data = rows[1:]
    faults = _readme_rows(world, name.removeprefix("raw/"))
    short = next(r for r, f in faults.items() if "17 digits" in f)
    assert len(data[short - 1][1]) == 17
    spaced = next(r for r, f in faults.items() if "spaces" in f)
    assert " " in data[spaced - 1][1]
    assert is_valid_nip(data[spaced - 1][1])
    assert any("Hadir" in r for r in data)
    dup = next(r for r, f in faults.items() if "duplicated" in f)
    target = int(re.search(r"row (\d+)", faults[dup]).group(1))  # type: ignore[union-attr]
    assert data[target - 1] == data[dup - 1]


def test_score_sheet_has_an_out_of_range_score(world: World) -> None:
    name = next(n for n in world.raw if n.startswith("raw/nilai_pre_post_"))
    rows = _rows(world, name, "utf-8", ";")
    faults = _readme_rows(world, name.removeprefix("raw/"))
    bad = next(r for r, f in faults.items() if "outside" in f)
    assert rows[bad][4] == "110"
    scores = [float(x.replace(",", ".")) for r in rows[1:] for x in r[3:5] if x]
    assert sum(s > 100 for s in scores) == 1
    assert any(r[4] == "" for r in rows[1:])  # missing post-tests stay empty
    assert any("," in x for r in rows[1:] for x in r[3:5])  # decimal comma
