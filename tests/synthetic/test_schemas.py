"""Every frame matches its schema exactly; docs/frames.md agrees; references resolve."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mutu.synthetic import FRAME_SCHEMAS, World, frames_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_frames_are_exactly_the_schemas(world: World) -> None:
    assert list(world.frames) == list(FRAME_SCHEMAS)
    for name, schema in FRAME_SCHEMAS.items():
        df = world.frames[name]
        assert list(df.columns) == schema.column_names, name
        for col in schema.columns:
            assert str(df[col.name].dtype) == col.dtype, (name, col.name, df[col.name].dtype)
            if not col.nullable:
                assert not df[col.name].isna().any(), (name, col.name)
        assert isinstance(df.index, pd.RangeIndex)


def test_docs_frames_md_is_generated_from_the_schemas() -> None:
    assert (ROOT / "docs" / "frames.md").read_text(encoding="utf-8") == frames_markdown()


def test_every_column_is_described() -> None:
    for schema in FRAME_SCHEMAS.values():
        assert schema.description
        for col in schema.columns:
            assert col.description, (schema.name, col.name)


def test_the_world_stays_within_one_and_a_half_million_rows(world: World) -> None:
    total = sum(len(df) for df in world.frames.values())
    assert 300_000 < total < 1_500_000


def _within(child: pd.Series, parent: pd.Series) -> bool:
    return bool(child.dropna().isin(set(parent)).all())


def test_natural_keys_are_unique(world: World) -> None:
    f = world.frames
    keys = {
        "kecamatan": ["code"],
        "units": ["code"],
        "positions": ["code"],
        "employees": ["nip"],
        "activities": ["code"],
        "activity_sessions": ["activity", "session_no"],
        "enrollments": ["activity", "nip"],
        "attendance": ["activity", "session_no", "nip"],
        "responses": ["token"],
        "answers": ["token", "item"],
        "response_identities": ["token"],
        "budget_lines": ["code"],
        "certificates": ["number"],
        "jp_ledger": ["ref"],
        "performance_records": ["nip", "year"],
        "items": ["instrument", "version", "code"],
        "skm_results": ["unit", "period_start", "element"],
    }
    for name, cols in keys.items():
        assert not f[name].duplicated(cols).any(), name
    positions = f["positions"]
    assert not positions.duplicated(["unit", "name"]).any()


def test_references_resolve(world: World) -> None:
    f = world.frames
    units, emp, acts = f["units"]["code"], f["employees"]["nip"], f["activities"]["code"]
    assert _within(f["units"]["parent"], units)
    assert _within(f["units"]["kecamatan"], f["kecamatan"]["code"])
    assert _within(f["employees"]["unit"], units)
    assert _within(f["employees"]["position"], f["positions"]["code"])
    assert _within(f["employees"]["supervisor"], emp)
    assert _within(f["competency_standards"]["competency"], f["competencies"]["code"])
    for name in ("performance_records", "discipline_records", "competency_assessments",
                 "enrollments", "jp_ledger", "incentive_offers", "internships"):  # fmt: skip
        assert _within(f[name]["nip"], emp), name
    for name in ("enrollments", "activity_sessions", "budget_lines", "incentive_offers"):
        assert _within(f[name]["activity"], acts), name
    assert _within(f["activities"]["partner"], f["partners"]["name"])
    assert _within(f["activities"]["program"], f["programs"]["code"])
    assert _within(f["expenditures"]["budget_line"], f["budget_lines"]["code"])
    assert _within(f["answers"]["token"], f["responses"]["token"])
    assert _within(f["response_identities"]["token"], f["responses"]["token"])
    assert _within(f["responses"]["unit"], units)
    assert _within(f["skm_results"]["unit"], units)
    enrolled = f["enrollments"].set_index(["activity", "nip"]).index
    assert f["attendance"].set_index(["activity", "nip"]).index.isin(enrolled).all()
    assert f["certificates"].set_index(["activity", "nip"]).index.isin(enrolled).all()


def test_answers_belong_to_their_responses_version(world: World) -> None:
    f = world.frames
    a = f["answers"].merge(f["responses"][["token", "instrument", "version"]], on="token")
    items = f["items"].set_index(["instrument", "version", "code"]).index
    assert a.set_index(["instrument", "version", "item"]).index.isin(items).all()


def test_anonymous_instruments_have_no_identities(world: World) -> None:
    f = world.frames
    anonymous = set(f["instruments"].loc[f["instruments"]["is_anonymous"], "code"])
    who = f["response_identities"].merge(f["responses"], on="token")
    assert not who["instrument"].isin(anonymous).any()
    named = f["responses"][~f["responses"]["instrument"].isin(anonymous)]
    assert set(named["token"]) == set(f["response_identities"]["token"])
