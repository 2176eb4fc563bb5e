"""The columnar reader gives exactly the frames the ORM reader gave, and ``mutu evaluate`` is timed.

:func:`mutu.evaluations.selectors.evaluation_frames` reads one plain-cursor
query per frame and converts each distinct value once; the reference
(:func:`tests.evaluations.orm_frames.orm_evaluation_frames`) is the previous
reader, verbatim: Django's iterator and a per-value cast. They must agree
column by column, dtype included, value for value (no tolerance), and give the
same data fingerprint.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command
from django.utils import timezone

from mutu.console.world_load import world_load
from mutu.evaluation.pipeline import EvaluationPlan
from mutu.evaluation.pipeline.timing import Stopwatch
from mutu.evaluations.management.commands.evaluate import evaluate_database
from mutu.evaluations.models import EvaluationRun
from mutu.evaluations.selectors import evaluation_frames, frames_fingerprint
from mutu.programs.models import ActivitySession, Attendance
from mutu.synthetic import generate_world, write_world
from tests.evaluations.orm_frames import orm_evaluation_frames
from tests.factories import make_activity, make_enrollment, make_scale


def assert_same_frames(new: dict[str, pd.DataFrame], old: dict[str, pd.DataFrame]) -> None:
    """Same frame names, columns, dtypes and values (exactly), column by column."""
    assert list(new) == list(old)
    for name, reference in old.items():
        frame = new[name]
        assert list(frame.columns) == list(reference.columns), name
        assert len(frame) == len(reference), name
        for column in reference.columns:
            assert frame[column].dtype == reference[column].dtype, (name, column)
            pd.testing.assert_series_equal(
                frame[column], reference[column], check_exact=True, obj=f"{name}.{column}"
            )


@pytest.mark.django_db(transaction=True)
def test_columnar_frames_equal_the_orm_frames_on_a_small_world(tmp_path: Path) -> None:
    world = generate_world(seed=5, scale="kecil")
    folder = tmp_path / "w"
    write_world(world, folder)
    world_load(directory=folder)
    new, old = evaluation_frames(), orm_evaluation_frames()
    assert_same_frames(new, old)
    assert frames_fingerprint(new) == frames_fingerprint(old)
    # The big frames really hold rows (the comparison is not vacuous).
    for name in ("answers", "responses", "attendance", "enrollments", "employees", "jp_ledger"):
        assert len(new[name]) > 0, name
    # A subset reads the same columns as the whole.
    part = evaluation_frames(["attendance", "scales"])
    assert list(part) == ["attendance", "scales"]
    assert_same_frames(part, {n: old[n] for n in ("attendance", "scales")})

    # ``evaluate_database`` (what ``mutu evaluate`` runs) times every stage and stores one run.
    watch = Stopwatch()
    before = EvaluationRun.objects.count()
    outcome = evaluate_database(
        year=None, plan=EvaluationPlan(), json_path=tmp_path / "r.json", stopwatch=watch
    )
    names = [s.name for s in watch.stages]
    for stage in ("read", "l1", "l2", "l3", "l4", "l5", "indices", "store", "write_json"):
        assert stage in names, stage
    assert all(s.seconds >= 0 and s.peak_rss_mib > 0 for s in watch.stages)
    assert EvaluationRun.objects.count() == before + 1
    written = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert written["data_hash"] == outcome.data_hash == frames_fingerprint(old)
    assert written == json.loads(json.dumps(outcome.results, allow_nan=False))


@pytest.mark.django_db
def test_edge_values_read_the_same_way() -> None:
    """Missing and fractional values, aware times, JSON labels and session numbers."""
    make_scale(
        labels={
            "1": {"id": "Sangat tidak setuju", "en": "Strongly disagree"},
            "4": {"id": "Sangat setuju ✓", "en": "Strongly agree"},
        }
    )
    activity = make_activity(capacity=None)
    enrollment = make_enrollment(activity=activity)
    start = timezone.make_aware(dt.datetime(2026, 3, 2, 8, 0), dt.UTC)
    second = ActivitySession.objects.create(
        activity=activity,
        starts_at=start + dt.timedelta(days=1),
        ends_at=start + dt.timedelta(days=1, hours=2),
    )
    first = ActivitySession.objects.create(
        activity=activity, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    Attendance.objects.create(
        enrollment=enrollment, session=second, present=True, checked_in_at=start
    )
    Attendance.objects.create(enrollment=enrollment, session=first, present=False)
    new, old = evaluation_frames(), orm_evaluation_frames()
    assert_same_frames(new, old)
    sessions = new["activity_sessions"].set_index("starts_at")["session_no"].sort_index()
    assert sessions.tolist() == [1, 2]  # numbered by start, not by id
    attendance = new["attendance"].sort_values("session_no")
    assert attendance["present"].tolist() == [False, True]
    # 08:00 UTC is 15:00 WIB wall-clock.
    assert attendance["checked_in_at"].iloc[1] == pd.Timestamp("2026-03-02 15:00")
    assert pd.isna(attendance["checked_in_at"].iloc[0])
    assert pd.isna(new["activities"].set_index("code").loc[activity.code, "capacity"])
    labels = json.loads(new["scales"]["labels"].iloc[-1])
    assert labels["4"]["id"] == "Sangat setuju ✓"


@pytest.mark.django_db
def test_decimal_amounts_read_as_django_gives_them() -> None:
    """A decimal column goes through Django's own converter (quantised), once per value."""
    from mutu.programs.models import BudgetLine, Expenditure

    activity = make_activity()
    line = BudgetLine.objects.create(
        program=activity.program,
        activity=activity,
        fiscal_year=2026,
        planned_amount=Decimal("1234567.89"),
        description="Honorarium",
    )
    for amount in ("0.10", "0.20", "1234.57", "0.10"):
        Expenditure.objects.create(
            budget_line=line, amount=Decimal(amount), date=dt.date(2026, 3, 1)
        )
    new, old = evaluation_frames(), orm_evaluation_frames()
    assert_same_frames(new, old)
    amounts = new["expenditures"]["amount"].tolist()
    assert amounts == [0.1, 0.2, 1234.57, 0.1]
    assert new["budget_lines"]["planned_amount"].tolist() == [1234567.89]


@pytest.mark.django_db
def test_an_empty_database_reads_as_empty_frames_of_the_right_shape() -> None:
    new, old = evaluation_frames(), orm_evaluation_frames()
    assert_same_frames(new, old)
    assert all(len(frame) == 0 for frame in new.values())


@pytest.mark.django_db
def test_evaluate_command_still_refuses_an_empty_database_and_stores_nothing() -> None:
    with pytest.raises(Exception, match="belum berisi pegawai"):
        call_command("evaluate", stdout=StringIO())
    assert EvaluationRun.objects.count() == 0
