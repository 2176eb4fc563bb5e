"""Item analysis, Wilcoxon, L3 behaviour and L5 costs per group equal Mutu's per-group functions."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.fast.bench import (
    _iter_national,
    _plain,
    naive_behaviour,
    naive_costs,
    naive_learning,
    naive_reliability,
)
from mutu.evaluation.fast.evaluate import (
    learning_wilcoxon,
    pre_post_pairs,
    reaction_items,
    reaction_reliability,
)
from mutu.evaluation.fast.items import item_analysis
from mutu.evaluation.fast.levels import activity_costs, behaviour_change
from mutu.evaluation.fast.ranks import METHOD_EXACT, METHOD_NONE, wilcoxon_by_group
from mutu.evaluation.fast.stats import alpha_by_group
from mutu.evaluation.learning import WILCOXON_EXACT, paired_change
from mutu.evaluation.reliability import reliability
from mutu.synthetic import generate_world
from mutu.synthetic.national import generate_national

TOL = 1e-9
ITEM_COLS = ("n", "mean", "sd", "item_total_r", "alpha_if_deleted", "alpha_std_if_deleted")


def _close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= TOL


def _likert(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    latent = rng.normal(size=n)
    return np.clip(np.rint(3 + latent[:, None] + rng.normal(size=(n, k))), 1, 5)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_item_analysis_equals_reliability_items(k: int) -> None:
    """Plain, 20 % missing (pairwise), a reverse-worded item, n = 1, a constant item, n = 3.

    (Not n = 2: there every correlation is ±1 and r.drop / alpha if deleted divide
    by a rounding residue, so both implementations give numbers like ±1e16 that
    agree in no digit — noise, not a statistic.)
    """
    rng = np.random.default_rng(20 + k)
    blocks, groups = [], []
    for g, n in enumerate([40, 60, 1, 25, 300, 3, 15]):
        x = _likert(rng, n, k)
        if g == 1:
            x[rng.random(x.shape) < 0.2] = np.nan
            x[0, :] = np.nan
        if g == 3:
            x[:, 1] = 4.0
        if g == 6:
            x[:, 0] = 6.0 - x[:, 0]  # negatively correlated item: r.drop < 0
        blocks.append(x)
        groups.append(np.full(n, g))
    codes, x = np.concatenate(groups), np.vstack(blocks)
    res = alpha_by_group(codes, x, 7)
    items = item_analysis(res)
    compared = 0
    for g in range(7):
        try:
            ref = reliability(pd.DataFrame(x[codes == g])).items
        except MutuValueError:
            assert not items.ok[g].any()
            assert np.isnan(items.item_total_r[g]).all()
            continue
        assert items.ok[g].all()
        for col in ITEM_COLS:
            want = ref[col].to_numpy(dtype=float)
            got = getattr(items, col)[g].astype(float)
            assert all(_close(a, b) for a, b in zip(got, want, strict=True)), (g, col)
        compared += 1
    assert compared == 5
    if k > 2:
        assert items.item_total_r[6, 0] < 0  # the reversed item is found
    else:
        assert np.isnan(items.alpha_if_deleted[0]).all()  # one item left: undefined


def test_item_analysis_needs_the_covariances() -> None:
    res = alpha_by_group(np.zeros(4, dtype=int), np.ones((4, 3)) + np.eye(4, 3), 1)
    from dataclasses import replace

    with pytest.raises(MutuValueError) as err:
        item_analysis(replace(res, cov=None))
    assert "kovarians" in err.value.message_id and "covariance" in err.value.message_en


def test_wilcoxon_by_group_equals_paired_change() -> None:
    """Exact (no ties, no zeros, n < 50), ties, zeros, n = 50, all zero, one pair, missing."""
    rng = np.random.default_rng(12)
    sizes = [12, 30, 49, 50, 200, 8, 1, 20, 5]
    groups = np.concatenate([np.full(n, g) for g, n in enumerate(sizes)])
    pre = rng.normal(50, 10, groups.size)
    post = pre + rng.normal(2, 6, groups.size)
    for g in (4, 7):  # ties everywhere (scores in steps of 5)
        sel = groups == g
        pre[sel] = rng.integers(0, 21, sel.sum()) * 5.0
        post[sel] = np.clip(pre[sel] + rng.integers(-2, 5, sel.sum()) * 5.0, 0, 100)
    post[groups == 5] = pre[groups == 5]  # every difference zero
    sel = np.flatnonzero(groups == 8)
    post[sel[0]] = pre[sel[0]]  # one zero, no ties otherwise
    pre[(groups == 1) & (rng.random(groups.size) < 0.2)] = np.nan
    fast = wilcoxon_by_group(groups, pre, post, len(sizes))
    methods = set()
    for g in range(len(sizes)):
        s = groups == g
        try:
            ref = paired_change(pre[s], post[s])
        except MutuValueError:
            assert g in (5, 6)
            continue
        assert fast.v[g] == ref.wilcoxon_v, g
        assert _close(fast.p_value[g], ref.wilcoxon_p), g
        methods.add(ref.wilcoxon_method)
        assert (fast.method[g] == METHOD_EXACT) == (ref.wilcoxon_method == WILCOXON_EXACT)
    assert fast.method[5] == METHOD_NONE and np.isnan(fast.p_value[5])
    assert fast.method[0] == METHOD_EXACT and fast.method[3] != METHOD_EXACT
    assert len(methods) == 2


def test_wilcoxon_refuses_bad_input() -> None:
    with pytest.raises(MutuValueError) as err:
        wilcoxon_by_group(np.array([0, 0]), np.ones(2), np.ones(3), 1)
    assert "berbeda" in err.value.message_id and "differ" in err.value.message_en
    with pytest.raises(MutuValueError):
        wilcoxon_by_group(np.array([0, 3]), np.ones(2), np.ones(2), 2)


def _check_l1_items(frames: dict[str, pd.DataFrame]) -> int:
    alpha, groups = reaction_reliability(frames)
    items = reaction_items(groups)
    plain = {n: _plain(f) for n, f in frames.items()}
    checked = 0
    for (act, inst), mine in items.groupby(["activity", "instrument"], sort=False):
        try:
            ref = naive_reliability(plain, str(act), str(inst)).items
        except MutuValueError:
            assert not mine["ok"].any()
            continue
        ref = ref.loc[mine["item"].astype(str)]
        for col in ITEM_COLS:
            got, want = mine[col].to_numpy(dtype=float), ref[col].to_numpy(dtype=float)
            assert all(_close(a, b) for a, b in zip(got, want, strict=True)), (act, col)
        # flags agree except where r.drop sits on a threshold (0 or 0.3) within rounding
        r = mine["item_total_r"].to_numpy(dtype=float)
        clear = (np.abs(r) > TOL) & (np.abs(r - 0.3) > TOL)
        assert (mine["flag"].to_numpy()[clear] == ref["flag"].to_numpy()[clear]).all()
        checked += 1
    assert len(items) == len(alpha) * 6
    return checked


def _check_l2_wilcoxon(frames: dict[str, pd.DataFrame]) -> int:
    w = learning_wilcoxon(pre_post_pairs(frames))
    plain = {n: _plain(f) for n, f in frames.items()}
    checked = 0
    for row in w.itertuples():
        try:
            ref = naive_learning(plain, str(row.activity))
        except MutuValueError:
            continue
        assert row.wilcoxon_v == ref["wilcoxon_v"]
        assert _close(row.wilcoxon_p, ref["wilcoxon_p"]), row.activity
        checked += 1
    return checked


def _check_l3_l5(frames: dict[str, pd.DataFrame]) -> tuple[int, int]:
    l3 = behaviour_change(frames)
    plain = {n: _plain(f) for n, f in frames.items()}
    checked3 = 0
    for row in l3.itertuples():
        try:
            ref = naive_behaviour(plain, str(row.activity))
        except MutuValueError:
            assert not row.ok
            continue
        for name, value in ref.items():
            assert _close(float(getattr(row, name)), value), (row.activity, name)
        checked3 += 1
    costs = activity_costs(frames)
    for row in costs.iloc[:: max(1, len(costs) // 40)].itertuples():
        ref5 = naive_costs(plain, str(row.activity))
        for name, value in ref5.items():
            assert _close(float(getattr(row, name)), value), (row.activity, name)
    assert costs["spent"].sum() > 0 and costs["participant_jp"].sum() > 0
    return checked3, len(costs)


def test_every_activity_of_a_regency_world() -> None:
    frames = generate_world(seed=3, scale="kecil").frames
    assert _check_l1_items(frames) >= 10
    assert _check_l2_wilcoxon(frames) >= 5
    checked3, n5 = _check_l3_l5(frames)
    assert checked3 >= 1 and n5 >= 10


@pytest.fixture(scope="module")
def national_part(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    folder: Path = tmp_path_factory.mktemp("nat")
    generate_national(seed=2, scale=3000, out=folder)
    return next(_iter_national(folder))  # as the bench reads it: text as categoricals


def test_every_activity_of_a_national_partition(national_part: dict[str, pd.DataFrame]) -> None:
    assert _check_l1_items(national_part) >= 100
    assert _check_l2_wilcoxon(national_part) >= 20
    checked3, n5 = _check_l3_l5(national_part)
    assert checked3 >= 20 and n5 >= 200
