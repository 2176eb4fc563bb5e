"""``mutu bench`` runs end to end and writes the documented JSON."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

KEYS = {"stages", "total_seconds", "baseline_ratio", "baseline_max_abs_diff", "skipped", "counts"}


def _run(*args: str) -> str:
    out = StringIO()
    call_command("bench", *args, stdout=out)
    return out.getvalue()


def test_bench_on_a_small_regency_writes_the_json(tmp_path: Path) -> None:
    target = tmp_path / "bench.json"
    text = _run("--scale", "kecil", "--json", str(target), "--sample", "5",
                "--workdir", str(tmp_path / "work"))  # fmt: skip
    data = json.loads(target.read_text(encoding="utf-8"))
    assert set(data) >= KEYS
    names = [s["name"] for s in data["stages"]]
    for stage in ("generate", "L1 reliability", "item analysis", "L2 pre/post", "L2 Wilcoxon",
                  "L3 behaviour", "L5 costs", "indices (JP per ASN)", "DiD per instansi",
                  "naive baseline (sample)"):  # fmt: skip
        assert stage in names
    for part in ("l1", "l2", "l3", "l5"):  # every part sampled and equal to the naive loop
        assert data["baseline"][f"{part}_sample"] >= 1, part
        assert data["baseline"]["max_abs_diff_by_part"][part] <= 1e-9, part
    assert data["results"]["item_analysis"]["items"] == 6 * data["results"]["l1_activities_ok"]
    for stage in data["stages"]:
        assert set(stage) == {"name", "seconds", "peak_rss_mib"}
        assert stage["seconds"] >= 0 and stage["peak_rss_mib"] > 0
    assert data["baseline_max_abs_diff"] is not None
    assert data["baseline_max_abs_diff"] <= 1e-9
    assert data["baseline"]["l1_sample"] == 5 and data["baseline"]["l2_sample"] == 5
    assert data["counts"]["asn"] > 1000 and data["counts"]["activities_l1"] > 5
    # the report stage: the full pipeline, then every format rendered (not in the total)
    assert "report: full evaluation (pipeline)" in names
    assert "report: render (html, pdf, docx, xlsx)" in names
    report = data["results"]["report"]
    assert set(report["bytes"]) == {"html", "pdf", "docx", "xlsx"}
    assert all(size > 1000 for size in report["bytes"].values())
    assert (tmp_path / "work" / "laporan-evaluasi-{}.pdf".format(report["year"])).read_bytes()[
        :4
    ] == b"%PDF"
    counted = sum(s["seconds"] for s in data["stages"]
                  if not s["name"].startswith(("naive", "report")))  # fmt: skip
    assert abs(data["total_seconds"] - counted) < 1e-3
    assert not any(s["name"] == "report" for s in data["skipped"])
    assert "L1 reliability" in text and "JSON:" in text and "report (id" in text


def test_bench_beyond_the_regency_generates_a_national_world(tmp_path: Path) -> None:
    target = tmp_path / "n.json"
    _run("--scale", "25000", "--json", str(target), "--sample", "3",
         "--workdir", str(tmp_path / "world"))  # fmt: skip
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["counts"]["asn"] == 25000
    assert data["source"].startswith("generated (national")
    assert data["baseline_max_abs_diff"] <= 1e-9
    assert data["results"]["did"]["instansi_estimated"] >= 1
    # the rest of the evaluation: item analysis, Wilcoxon, L3, L5, each checked naively
    assert data["counts"]["activities_l3"] > 50 and data["counts"]["activities_l5"] > 500
    assert data["baseline"]["l3_sample"] == 3 and data["baseline"]["l5_sample"] == 3
    assert set(data["baseline"]["max_abs_diff_by_part"]) == {"l1", "l2", "l3", "l5", "ip", "talent"}
    assert data["baseline"]["ip_sample"] == 3 and data["baseline"]["talent_sample"] == 3
    assert data["results"]["ip_asn"]["n"] == 25000 and data["results"]["talent_box"]["n_boxed"] > 0
    assert data["results"]["l3"]["mean_change_mean"] > 0  # the planted rating gain
    assert data["results"]["l5"]["spent"] > 0
    assert data["results"]["l2_wilcoxon_p_below_005"] > 0
    # no national report: listed as skipped with the reason, not faked
    reasons = {s["name"]: s["reason"] for s in data["skipped"]}
    assert "no national summary report" in reasons["report"]
    assert data["results"]["report"] is None
    # the world can be read again instead of generated
    again = tmp_path / "again.json"
    _run("--world", str(tmp_path / "world"), "--json", str(again), "--sample", "2")
    data2 = json.loads(again.read_text(encoding="utf-8"))
    assert data2["results"]["l1_alpha_median"] == data["results"]["l1_alpha_median"]
    assert "generate" not in [s["name"] for s in data2["stages"]]


def test_bench_refuses_bad_input_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    with pytest.raises(CommandError, match="Unknown scale"):
        _run("--scale", "pulau", "--json", str(target))
    with pytest.raises(CommandError, match="does not exist"):
        _run("--json", str(tmp_path / "no" / "x.json"))
    with pytest.raises(CommandError, match="manifest"):
        _run("--world", str(tmp_path), "--json", str(target))
    assert not target.exists()


def test_bench_reads_a_regency_world_folder(tmp_path: Path) -> None:
    from mutu.synthetic import generate_world, write_world

    write_world(generate_world(seed=2, scale="kecil"), tmp_path / "w")
    target = tmp_path / "w.json"
    _run("--world", str(tmp_path / "w"), "--json", str(target), "--sample", "4", "--no-report")
    data = json.loads(target.read_text(encoding="utf-8"))
    names = [s["name"] for s in data["stages"]]
    assert "read world" in names and "generate" not in names
    assert {s["name"]: s["reason"] for s in data["skipped"]}["report"].endswith("(--no-report)")
    assert data["source"].startswith("read ")
    assert data["baseline_max_abs_diff"] <= 1e-9
    assert data["results"]["did"]["instansi_estimated"] == 1


def test_without_an_ikm_panel_the_did_is_skipped_not_faked(tmp_path: Path) -> None:
    import shutil

    from mutu.synthetic.national import generate_national

    generate_national(seed=3, scale=3000, out=tmp_path / "w")
    shutil.rmtree(tmp_path / "w" / "ikm_panel")
    target = tmp_path / "s.json"
    _run("--world", str(tmp_path / "w"), "--json", str(target), "--sample", "2")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["results"]["did"] is None
    assert "DiD per instansi" not in [s["name"] for s in data["stages"]]
    reasons = {s["name"]: s["reason"] for s in data["skipped"]}
    assert "IKM panel" in reasons["DiD per instansi"]
    shutil.rmtree(tmp_path / "w" / "answers")
    with pytest.raises(CommandError, match="missing: answers"):
        _run("--world", str(tmp_path / "w"), "--json", str(tmp_path / "t.json"))
    assert not (tmp_path / "t.json").exists()
