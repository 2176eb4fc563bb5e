"""Choosing the version in force, the search path, duplicates, and install."""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from mutu.rulebooks import (
    BUILTIN_DIR,
    RulebookError,
    available,
    default_search_path,
    install,
    load,
    resolve,
    versions,
)


def write_book(
    root: Path,
    name: str,
    version: str,
    effective_from: str,
    *,
    effective_until: str | None = None,
    limit: int = 20,
    folder: str | None = None,
    filename: str | None = None,
) -> Path:
    """Write a small valid rulebook at root/<name>/<version>.toml."""
    until = f"effective_until = {effective_until}\n" if effective_until else ""
    text = (
        f'name = "{name}"\n'
        f'version = "{version}"\n'
        f"effective_from = {effective_from}\n"
        f"{until}"
        'title_id = "Uji"\n'
        'title_en = "Test"\n'
        "[[sources]]\n"
        'citation = "Peraturan Uji 1/2020"\n'
        "[values]\n"
        f'limit = {{ value = {limit}, confidence = "confirmed" }}\n'
    )
    path = root / (folder or name) / (filename or f"{version}.toml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def ip_asn_variant(root: Path, version: str, effective_from: str, kualifikasi: int) -> Path:
    """An administrator's new ip_asn version: the shipped file with other weights."""
    text = (BUILTIN_DIR / "ip_asn" / "2019.1.toml").read_text(encoding="utf-8")
    text = text.replace('version = "2019.1"', f'version = "{version}"')
    text = text.replace("effective_from = 2019-05-15", f"effective_from = {effective_from}")
    text = text.replace(
        'kualifikasi = { value = 25, confidence = "confirmed" }',
        f'kualifikasi = {{ value = {kualifikasi}, confidence = "unconfirmed" }}',
    )
    path = root / "ip_asn" / f"{version}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_two_versions_picked_by_date(tmp_path: Path) -> None:
    old = write_book(tmp_path, "demo", "2020.1", "2020-01-01", limit=20)
    new = write_book(tmp_path, "demo", "2024.1", "2024-07-01", limit=30)
    with pytest.raises(RulebookError):
        load("demo", date(2019, 12, 31), search_path=[tmp_path])
    assert load("demo", date(2020, 1, 1), search_path=[tmp_path]).origin == old
    assert load("demo", date(2024, 6, 30), search_path=[tmp_path]).integer("limit") == 20
    assert load("demo", date(2024, 7, 1), search_path=[tmp_path]).origin == new
    assert load("demo", date(2030, 1, 1), search_path=[tmp_path]).integer("limit") == 30
    assert [b.version for b in versions("demo", [tmp_path])] == ["2020.1", "2024.1"]


def test_administrator_version_takes_over_from_its_date(tmp_path: Path) -> None:
    ip_asn_variant(tmp_path, "2026.1", "2026-01-01", kualifikasi=20)
    path = [BUILTIN_DIR, tmp_path]
    before = load("ip_asn", date(2025, 12, 31), search_path=path)
    after = load("ip_asn", date(2026, 1, 1), search_path=path)
    assert before.label == "ip_asn 2019.1"
    assert before.integer("weights.kualifikasi") == 25
    assert after.label == "ip_asn 2026.1"
    assert after.integer("weights.kualifikasi") == 20
    assert "weights.kualifikasi" in after.unconfirmed_keys()


def test_administrator_version_found_through_mutu_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    ip_asn_variant(home / "rulebooks", "2026.1", "2026-01-01", kualifikasi=20)
    monkeypatch.setenv("MUTU_HOME", str(home))
    monkeypatch.delenv("MUTU_RULEBOOKS_PATH", raising=False)
    assert load("ip_asn", date(2026, 3, 1)).version == "2026.1"
    assert load("ip_asn", date(2020, 3, 1)).version == "2019.1"


def test_mutu_rulebooks_path_is_searched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_book(b, "demo", "1", "2020-01-01", limit=7)
    monkeypatch.setenv("MUTU_HOME", str(tmp_path / "empty-home"))
    monkeypatch.setenv("MUTU_RULEBOOKS_PATH", f"{a}:{b}")
    assert default_search_path() == [BUILTIN_DIR, tmp_path / "empty-home" / "rulebooks", a, b]
    assert load("demo", date(2021, 1, 1)).integer("limit") == 7


def test_default_search_path_defaults_mutu_home() -> None:
    assert default_search_path({}) == [BUILTIN_DIR, Path(".mutu") / "rulebooks"]


def test_effective_until_is_respected(tmp_path: Path) -> None:
    write_book(tmp_path, "demo", "2018.1", "2018-01-01", effective_until="2019-12-31", limit=1)
    write_book(tmp_path, "demo", "2021.1", "2021-01-01", limit=2)
    assert load("demo", date(2019, 12, 31), search_path=[tmp_path]).integer("limit") == 1
    with pytest.raises(RulebookError) as err:
        load("demo", date(2020, 6, 1), search_path=[tmp_path])
    assert "2018-01-01" in err.value.message("en")  # the earliest date available
    assert "No version of rulebook 'demo' is in force on 2020-06-01" in err.value.message("en")
    assert "Tidak ada versi rulebook 'demo' yang berlaku pada 2020-06-01" in err.value.message("id")
    assert load("demo", date(2021, 1, 1), search_path=[tmp_path]).integer("limit") == 2


def test_expired_version_is_not_chosen_over_an_older_open_one(tmp_path: Path) -> None:
    write_book(tmp_path, "demo", "base", "2018-01-01", limit=1)
    write_book(tmp_path, "demo", "temp", "2020-01-01", effective_until="2020-12-31", limit=2)
    assert load("demo", date(2020, 5, 1), search_path=[tmp_path]).version == "temp"
    assert load("demo", date(2021, 5, 1), search_path=[tmp_path]).version == "base"


def test_before_the_first_version_names_the_earliest_date(tmp_path: Path) -> None:
    write_book(tmp_path, "demo", "2020.1", "2020-03-01")
    with pytest.raises(RulebookError) as err:
        load("demo", date(2019, 1, 1), search_path=[tmp_path])
    assert "2020-03-01" in err.value.message("id")
    assert "2020-03-01" in err.value.message("en")


def test_datetime_is_taken_as_its_date(tmp_path: Path) -> None:
    write_book(tmp_path, "demo", "2020.1", "2020-03-01")
    assert load("demo", datetime(2020, 3, 1, 23, 59), search_path=[tmp_path]).version == "2020.1"


def test_duplicate_version_names_both_files(tmp_path: Path) -> None:
    first = write_book(tmp_path / "a", "demo", "2020.1", "2020-01-01")
    second = write_book(tmp_path / "b", "demo", "2020.1", "2021-01-01")
    with pytest.raises(RulebookError) as err:
        load("demo", date(2022, 1, 1), search_path=[tmp_path / "a", tmp_path / "b"])
    for lang in ("id", "en"):
        assert str(first) in err.value.message(lang)
        assert str(second) in err.value.message(lang)
    with pytest.raises(RulebookError):
        available([tmp_path / "a", tmp_path / "b"])


def test_builtin_version_cannot_be_shadowed(tmp_path: Path) -> None:
    ip_asn_variant(tmp_path, "2019.1", "2019-05-15", kualifikasi=10)
    with pytest.raises(RulebookError, match="two files"):
        load("ip_asn", date(2024, 1, 1), search_path=[BUILTIN_DIR, tmp_path])


def test_same_folder_listed_twice_is_not_a_duplicate(tmp_path: Path) -> None:
    write_book(tmp_path, "demo", "2020.1", "2020-01-01")
    book = load("demo", date(2021, 1, 1), search_path=[tmp_path, tmp_path / ".." / tmp_path.name])
    assert book.version == "2020.1"


def test_two_versions_starting_the_same_day_are_refused(tmp_path: Path) -> None:
    write_book(tmp_path, "demo", "a", "2020-01-01")
    write_book(tmp_path, "demo", "b", "2020-01-01")
    with pytest.raises(RulebookError, match="same day"):
        load("demo", date(2021, 1, 1), search_path=[tmp_path])


def test_unknown_rulebook_lists_the_known_ones(tmp_path: Path) -> None:
    write_book(tmp_path, "demo", "1", "2020-01-01")
    with pytest.raises(RulebookError) as err:
        load("nothing", search_path=[tmp_path])
    assert "demo" in err.value.message("en")
    assert "tidak ditemukan" in err.value.message("id")


def test_invalid_name_is_refused() -> None:
    with pytest.raises(RulebookError):
        load("../etc")


def test_file_in_the_wrong_folder_is_refused(tmp_path: Path) -> None:
    write_book(tmp_path, "demo", "1", "2020-01-01", folder="other")
    with pytest.raises(RulebookError, match="folder"):
        available([tmp_path])


def test_file_named_unlike_its_version_is_refused(tmp_path: Path) -> None:
    write_book(tmp_path, "demo", "2020.1", "2020-01-01", filename="latest.toml")
    with pytest.raises(RulebookError, match=r"2020\.1\.toml"):
        load("demo", date(2021, 1, 1), search_path=[tmp_path])


def test_available_is_sorted(tmp_path: Path) -> None:
    write_book(tmp_path, "zeta", "1", "2020-01-01")
    write_book(tmp_path, "alpha", "2", "2021-01-01")
    write_book(tmp_path, "alpha", "1", "2019-01-01")
    assert [b.label for b in available([tmp_path])] == ["alpha 1", "alpha 2", "zeta 1"]


def test_changed_file_is_read_again(tmp_path: Path) -> None:
    path = write_book(tmp_path, "demo", "1", "2020-01-01", limit=20)
    assert load("demo", date(2021, 1, 1), search_path=[tmp_path]).integer("limit") == 20
    write_book(tmp_path, "demo", "1", "2020-01-01", limit=300)
    stamp = time.time() + 5  # make sure the modification time moves on coarse file systems
    os.utime(path, (stamp, stamp))
    assert load("demo", date(2021, 1, 1), search_path=[tmp_path]).integer("limit") == 300


def test_resolve_checks_the_table(tmp_path: Path) -> None:
    skm = load("skm", date(2024, 1, 1), search_path=[BUILTIN_DIR])
    assert resolve("skm", skm) is skm
    with pytest.raises(RulebookError, match="jp"):
        resolve("jp", skm)


class TestInstall:
    def test_install_copies_into_home(self, tmp_path: Path) -> None:
        src = ip_asn_variant(tmp_path / "incoming", "2026.1", "2026-01-01", kualifikasi=20)
        home = tmp_path / "home"
        target = install(src, home)
        assert target == (home / "rulebooks" / "ip_asn" / "2026.1.toml").resolve()
        assert target.read_bytes() == src.read_bytes()
        book = load("ip_asn", date(2026, 2, 1), search_path=[BUILTIN_DIR, home / "rulebooks"])
        assert book.origin == target

    def test_install_refuses_to_overwrite(self, tmp_path: Path) -> None:
        src = write_book(tmp_path / "incoming", "demo", "1", "2020-01-01", limit=1)
        home = tmp_path / "home"
        target = install(src, home)
        again = write_book(tmp_path / "incoming2", "demo", "1", "2020-01-01", limit=99)
        with pytest.raises(RulebookError) as err:
            install(again, home)
        assert "tidak ditimpa" in err.value.message("id")
        assert "not overwritten" in err.value.message("en")
        assert "limit = { value = 1," in target.read_text(encoding="utf-8")

    def test_install_refuses_a_builtin_version(self, tmp_path: Path) -> None:
        src = ip_asn_variant(tmp_path / "incoming", "2019.1", "2019-05-15", kualifikasi=20)
        with pytest.raises(RulebookError, match="already exists"):
            install(src, tmp_path / "home")
        assert not (tmp_path / "home" / "rulebooks" / "ip_asn").exists()

    def test_install_refuses_same_start_date(self, tmp_path: Path) -> None:
        src = ip_asn_variant(tmp_path / "incoming", "2019.2", "2019-05-15", kualifikasi=20)
        with pytest.raises(RulebookError, match="also starts"):
            install(src, tmp_path / "home")

    def test_install_validates_first(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.toml"
        bad.write_text('name = "demo"\n', encoding="utf-8")
        with pytest.raises(RulebookError, match="required field missing"):
            install(bad, tmp_path / "home")
        assert not (tmp_path / "home").exists()


def test_unknown_rulebook_answer_survives_a_broken_neighbour(tmp_path: Path) -> None:
    broken = tmp_path / "other" / "1.toml"
    broken.parent.mkdir()
    broken.write_text("not = = toml", encoding="utf-8")
    with pytest.raises(RulebookError, match="not found") as err:
        load("nothing", search_path=[tmp_path])
    assert "other" in err.value.message("en")
