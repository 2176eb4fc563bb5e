"""The ``mutu`` sub-commands of the console app: demo, load_reference, rulebooks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from mutu.instruments.models import Response
from mutu.people.models import Employee
from mutu.reference.models import DevelopmentForm, Golongan, Kecamatan, RulebookVersion
from mutu.rulebooks import BUILTIN_DIR, clear_cache


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_demo_loads_reference_data_and_a_world_and_is_repeatable(
    tmp_path: Path, settings: Settings
) -> None:
    settings.MUTU_HOME = tmp_path
    first = run("demo", "--scale", "kecil")
    assert "16 baru/created" in first
    assert "Demo siap / demo ready." in first
    assert "BUKAN DATA NYATA" in first
    assert Kecamatan.objects.count() == 16
    assert Golongan.objects.filter(kind="PNS").count() == 17
    assert DevelopmentForm.objects.filter(code="magang").exists()
    assert RulebookVersion.objects.filter(name="ip_asn").exists()
    employees = Employee.objects.count()
    assert employees > 1000
    assert f"total ASN: {employees:,}".replace(",", ".") in first
    assert "Rp " in first
    assert "pelatihan_manajerial" in first
    # The demo participant gets open forms (links, never answers) and their links are printed.
    assert "open forms for demo-peserta" in first
    links = re.findall(r"http://127\.0\.0\.1:8000/isian/[\w-]{32}/", first)
    assert links
    evaluated = (tmp_path / "output" / "evaluasi.json").read_text(encoding="utf-8")
    responses = Response.objects.count()
    second = run("demo", "--scale", "kecil")
    assert "0 baru/created, 0 diperbarui/updated, 16 tetap/unchanged" in second
    assert "sudah dimuat / already loaded" in second
    assert Employee.objects.count() == employees
    assert re.findall(r"http://127\.0\.0\.1:8000/isian/[\w-]{32}/", second) == links
    assert Response.objects.count() == responses
    assert (tmp_path / "output" / "evaluasi.json").read_text(encoding="utf-8") == evaluated


def test_rulebooks_list_marks_the_version_in_force() -> None:
    out = run("rulebooks")
    assert "ip_asn" in out
    assert "2019.1*" in out
    assert "PermenPANRB 38/2018" in out


def test_rulebooks_show_prints_values_with_confidence() -> None:
    out = run("rulebooks", "show", "jp", "--on", "2024-01-01")
    assert "minutes_per_jp = 45  [confirmed]" in out
    assert "pns_min_jp_per_year = 20  [confirmed]" in out


def test_rulebooks_show_refuses_a_bad_date_and_an_unknown_name() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("rulebooks", "show", "jp", "--on", "31-12-2024")
    with pytest.raises(CommandError, match="tidak_ada"):
        run("rulebooks", "show", "tidak_ada")


def test_rulebooks_add_installs_a_new_version_that_takes_effect(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("MUTU_HOME", str(home))
    settings.MUTU_HOME = home
    text = (BUILTIN_DIR / "jp" / "2020.1.toml").read_text(encoding="utf-8")
    text = text.replace('version = "2020.1"', 'version = "2027.1"')
    text = text.replace("effective_from = 2020-01-01", "effective_from = 2027-01-01")
    text = text.replace(
        "[values.pns_min_jp_per_year]\nvalue = 20", "[values.pns_min_jp_per_year]\nvalue = 24"
    )
    new = tmp_path / "jp-2027.toml"
    new.write_text(text, encoding="utf-8")
    clear_cache()
    try:
        out = run("rulebooks", "add", str(new))
        assert "jp 2027.1" in out
        assert (home / "rulebooks" / "jp" / "2027.1.toml").exists()
        assert "pns_min_jp_per_year = 24" in run("rulebooks", "show", "jp", "--on", "2027-06-01")
        assert "pns_min_jp_per_year = 20" in run("rulebooks", "show", "jp", "--on", "2026-06-01")
        with pytest.raises(CommandError):
            run("rulebooks", "add", str(new))  # the same version twice is refused
    finally:
        clear_cache()


def test_rulebooks_add_refuses_a_malformed_file_and_writes_nothing(
    tmp_path: Path, settings: Settings
) -> None:
    home = tmp_path / "home"
    settings.MUTU_HOME = home
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "jp"\nversion = "9"\n', encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run("rulebooks", "add", str(bad))
    assert "/" in str(info.value)  # Indonesian / English
    assert not (home / "rulebooks").exists() or not any((home / "rulebooks").rglob("*.toml"))


def test_python_dash_m_mutu_runs_the_same_command(tmp_path: Path) -> None:
    env = dict(os.environ, MUTU_HOME=str(tmp_path))
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "mutu", "rulebooks"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "skm" in done.stdout
