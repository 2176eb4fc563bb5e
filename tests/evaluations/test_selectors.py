"""The database gives back exactly the stored view of the world that was loaded into it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from mutu.console.world_load import world_load
from mutu.evaluations.selectors import evaluation_frames, frames_fingerprint
from mutu.synthetic import generate_world, stored_view, write_world
from mutu.synthetic.schemas import FRAME_SCHEMAS

#: Sort keys per frame (the database returns rows in id order, which for most
#: frames is the world's order; sorting makes the comparison independent of it).
KEYS: dict[str, list[str]] = {
    "activity_sessions": ["activity", "session_no"],
    "attendance": ["activity", "nip", "session_no"],
    "answers": ["token", "item"],
}


def normalised(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    keys = KEYS.get(name, list(frame.columns))
    out = frame.sort_values(keys, kind="stable", ignore_index=True)
    if name == "scales":  # JSON: the same object, whatever order the database keeps keys in
        out["labels"] = out["labels"].map(lambda t: json.dumps(json.loads(t), sort_keys=True))
    return out


@pytest.mark.django_db(transaction=True)
def test_database_frames_equal_the_stored_view_of_the_world(tmp_path: Path) -> None:
    world = generate_world(seed=3, scale="kecil")
    folder = tmp_path / "w"
    write_world(world, folder)
    world_load(directory=folder)
    expected = stored_view(world.frames)
    got = evaluation_frames()
    assert set(got) == set(expected)
    for name, frame in expected.items():
        if name == "budget_lines":
            # the database names lines by id; the world by activity and cost type
            frame = frame.drop(columns="code")
            got[name] = got[name].drop(columns="code")
        if name == "expenditures":
            frame = frame.drop(columns="budget_line")
            got[name] = got[name].drop(columns="budget_line")
        left, right = normalised(name, got[name]), normalised(name, frame)
        assert list(left.columns) == list(right.columns), name
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9, obj=name)
    assert frames_fingerprint(evaluation_frames()) == frames_fingerprint(evaluation_frames())
    assert frames_fingerprint(evaluation_frames()) != frames_fingerprint(expected)
    assert len(FRAME_SCHEMAS) == len(expected) + 2  # the two derived frames are not stored


@pytest.mark.django_db
def test_an_activity_without_capacity_reads_as_missing() -> None:
    """The model allows an unknown capacity; the frames (and the evaluation) must too."""
    from mutu.evaluation.pipeline.activities import activity_table
    from tests.factories import make_activity

    activity = make_activity(capacity=None)
    frames = evaluation_frames()
    row = frames["activities"].set_index("code").loc[activity.code]
    assert pd.isna(row["capacity"])
    assert pd.isna(activity_table(frames).loc[activity.code, "capacity"])
