"""``mutu plan`` and ``mutu participation`` on a small loaded world: JSON keys, refusals."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from pytest_django import DjangoDbBlocker

from mutu.console.management.commands.plan import parse_rupiah
from mutu.evaluations.models import EvaluationRun
from tests.dashboard.world import dashboard_world


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The small world (seed 5, kecil), loaded and evaluated, rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        dashboard_world()
        yield
        transaction.set_rollback(True)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_rupiah_amounts_are_read_the_indonesian_and_the_plain_way() -> None:
    assert parse_rupiah("2390090000") == 2_390_090_000
    assert parse_rupiah("2.390.090.000") == 2_390_090_000
    assert parse_rupiah("Rp 1,250,000") == 1_250_000
    assert parse_rupiah("2.5e9") == 2.5e9
    for bad in ("-5", "banyak", "nan", "inf"):
        with pytest.raises(CommandError) as info:
            parse_rupiah(bad)
        assert "Anggaran harus" in str(info.value)
        assert "The budget must" in str(info.value)


@pytest.mark.django_db
def test_on_an_empty_database_the_commands_say_load_data_first(tmp_path: Path) -> None:
    # runs before the module's world is loaded (the fixture is made on first use)
    target = tmp_path / "never.json"
    with pytest.raises(CommandError, match="mutu demo"):
        run("plan", "--year", "2027", "--budget", "1e9", "--json", str(target))
    assert not target.exists()


@pytest.mark.django_db
def test_plan_writes_the_plan_with_the_keys_the_issue_names(loaded: None, tmp_path: Path) -> None:
    target = tmp_path / "out" / "rencana.json"
    text = run(
        "plan", "--year", "2027", "--budget", "400000000", "--fairness-floor", "0.02",
        "--json", str(target), "--time-limit", "3",
    )  # fmt: skip
    assert "Rencana 2027" in text
    data = json.loads(target.read_text(encoding="utf-8"))
    assert {
        "budget",
        "total_cost",
        "objective",
        "activities",
        "below_20jp",
        "coverage_curve",
    } <= set(data)
    assert data["budget"] == 400_000_000
    assert data["total_cost"] <= data["budget"]
    assert data["reference_year"] == 2026
    for act in data["activities"]:
        assert {"classes", "seats_per_unit", "cost"} <= set(act)
        assert sum(act["seats_per_unit"].values()) == act["seats"]
    curve = data["coverage_curve"]
    assert [c["budget"] for c in curve] == sorted(c["budget"] for c in curve)
    found = [c["objective"] for c in curve if c["objective"] is not None]
    assert all(
        c["status"] in ("no_solution", "infeasible") for c in curve if c["objective"] is None
    )
    assert len(found) >= 4
    assert all(b >= a for a, b in itertools.pairwise(found))
    assert data["mip_gap"] is not None


@pytest.mark.django_db
def test_participation_writes_funnel_model_and_policies(loaded: None, tmp_path: Path) -> None:
    target = tmp_path / "partisipasi.json"
    text = run(
        "participation", "--year", "2027", "--json", str(target), "--draws", "300",
        "--attendee-cost", "100.000", "--lang", "en",
    )  # fmt: skip
    assert "nominations up to 2026" in text
    data = json.loads(target.read_text(encoding="utf-8"))
    assert {"funnel", "model", "incentive_effect", "policies"} <= set(data)
    assert set(data["funnel"]) >= {"by_unit", "by_golongan", "by_age_band", "by_distance_band"}
    assert data["model"]["validation"]["auc"]["ci_low"] < data["model"]["validation"]["auc"]["auc"]
    assert [p["policy"] for p in data["policies"]] == [
        "none", "everyone", "far", "predicted_low", "as_offered",
    ]  # fmt: skip
    assert data["policies"][1]["cost"]["mean"] > 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("command", "args", "fragments"),
    [
        ("plan", ["--budget", "-1"], ["Anggaran harus", "The budget must"]),
        ("plan", ["--budget", "satu miliar"], ["tidak negatif", "non-negative"]),
        (
            "plan",
            ["--budget", "1e9", "--year", "2040"],
            ["Tahun 2040 tidak dikenal", "Unknown year"],
        ),
        ("participation", ["--year", "1990"], ["Tahun 1990 tidak dikenal", "Unknown year 1990"]),
        ("plan", ["--budget", "1e9", "--fairness-floor", "2"], ["antara 0 dan 1", "between 0"]),
    ],
)
def test_bad_input_is_refused_in_both_languages_and_writes_nothing(
    loaded: None, tmp_path: Path, command: str, args: list[str], fragments: list[str]
) -> None:
    target = tmp_path / "never.json"
    full = [command, *args, "--json", str(target)]
    if "--year" not in args:
        full += ["--year", "2027"]
    with pytest.raises(CommandError) as info:
        run(*full)
    for fragment in fragments:
        assert fragment in str(info.value)
    assert not target.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["plan", "participation"])
def test_without_a_stored_evaluation_the_commands_say_run_evaluate(
    loaded: None, tmp_path: Path, command: str
) -> None:
    target = tmp_path / "never.json"
    with transaction.atomic():
        EvaluationRun.objects.all().delete()
        with pytest.raises(CommandError) as info:
            run(command, "--year", "2027", "--budget", "1e9", "--json", str(target)) if (
                command == "plan"
            ) else run(command, "--year", "2027", "--json", str(target))
        transaction.set_rollback(True)
    assert "mutu evaluate" in str(info.value)
    assert "Belum ada evaluasi" in str(info.value)
    assert not target.exists()
