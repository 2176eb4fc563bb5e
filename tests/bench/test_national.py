"""The national generator: deterministic per seed, bounded chunks, the contract's column names."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from mutu.domain.errors import MutuValueError
from mutu.synthetic.national import (
    CHUNK_ASN,
    NATIONAL_COLUMNS,
    generate_national,
    plan_national,
)
from mutu.synthetic.schemas import FRAME_SCHEMAS

DERIVED = {"instansi", "ikm_panel", "potential"}


def _tables(folder: Path) -> dict[str, list]:
    out = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        out[sub.name] = [pq.read_table(f) for f in sorted(sub.glob("*.parquet"))]
    return out


def test_the_national_plan_has_550_instansi_in_bounded_chunks() -> None:
    plan = plan_national("nasional", 11)
    assert plan.n_instansi == 550
    assert sum(plan.instansi_asn) == 5_200_000
    assert max(plan.instansi_asn) <= CHUNK_ASN
    for members in plan.chunks:
        assert sum(plan.instansi_asn[i] for i in members) <= CHUNK_ASN
    assert sorted(i for c in plan.chunks for i in c) == list(range(550))
    assert plan_national("nasional", 11) == plan
    assert plan_national("nasional", 12) != plan


def test_same_seed_same_world_other_seed_other_world(tmp_path: Path) -> None:
    a = generate_national(seed=4, scale=6000, out=tmp_path / "a")
    b = generate_national(seed=4, scale=6000, out=tmp_path / "b")
    generate_national(seed=5, scale=6000, out=tmp_path / "c")
    assert a == b
    ta, tb, tc = _tables(tmp_path / "a"), _tables(tmp_path / "b"), _tables(tmp_path / "c")
    assert ta.keys() == tb.keys()
    for name in ta:
        assert all(x.equals(y) for x, y in zip(ta[name], tb[name], strict=True)), name
    assert not ta["answers"][0].equals(tc["answers"][0])
    assert a["n_asn"] == 6000 and a["rows"]["employees"] == 6000
    # about 2.5 enrollments per ASN and ~28 answers per ASN, as the national design says
    assert 2.2 < a["rows"]["enrollments"] / 6000 < 2.8
    assert 20 < a["rows"]["answers"] / 6000 < 35


def test_frames_follow_the_contract_columns(tmp_path: Path) -> None:
    generate_national(seed=1, scale=3000, out=tmp_path)
    tables = _tables(tmp_path)
    for name, parts in tables.items():
        cols = parts[0].column_names
        if name in DERIVED:
            continue
        assert tuple(cols) == NATIONAL_COLUMNS[name], name
        assert set(cols) <= set(FRAME_SCHEMAS[name].column_names), name
    emp = tables["employees"][0].to_pandas()
    assert emp["nip"].str.len().eq(18).all() and emp["nip"].is_unique
    resp = tables["responses"][0].to_pandas()
    ans = tables["answers"][0].to_pandas()
    assert set(ans["token"]) <= set(resp["token"])
    assert (resp["token"].diff().dropna() == 1).all()  # consecutive within a chunk
    enr = tables["enrollments"][0].to_pandas()
    assert not enr.duplicated(["activity", "nip"]).any()
    assert set(enr["activity"]) <= set(tables["activities"][0].to_pandas()["code"])
    panel = tables["ikm_panel"][0].to_pandas()
    assert {"instansi", "unit", "year", "ikm", "first_treated"} <= set(panel.columns)


def test_bad_scales_and_a_used_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(MutuValueError) as err:
        plan_national("pulau", 1)
    assert "tidak dikenal" in err.value.message_id and "Unknown" in err.value.message_en
    with pytest.raises(MutuValueError):
        plan_national(10, 1)
    generate_national(seed=1, scale=2000, out=tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(MutuValueError):
        generate_national(seed=2, scale=2000, out=tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
