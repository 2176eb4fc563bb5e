"""The vectorised group-wise statistics equal Mutu's per-group functions (checked against R)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.fast.bench import naive_learning, naive_reaction_alpha
from mutu.evaluation.fast.evaluate import (
    jp_per_asn,
    learning_change,
    learning_wilcoxon,
    reaction_alpha,
)
from mutu.evaluation.fast.evaluate import pre_post_pairs as pairs_of
from mutu.evaluation.fast.stats import alpha_by_group, paired_by_group
from mutu.evaluation.learning import paired_change
from mutu.evaluation.reliability import reliability
from mutu.indices.jp_compliance import jp_compliance
from mutu.rulebooks import load
from mutu.synthetic import generate_world

TOL = 1e-9


def _likert(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    latent = rng.normal(size=n)
    return np.clip(np.rint(3 + latent[:, None] + rng.normal(size=(n, k))), 1, 5)


@pytest.fixture(scope="module")
def scales() -> tuple[np.ndarray, np.ndarray]:
    """Six groups: plain, 15 % missing answers, n = 1, a constant item, large, n = 2."""
    rng = np.random.default_rng(5)
    blocks, groups = [], []
    for g, n in enumerate([40, 60, 1, 25, 500, 2]):
        x = _likert(rng, n, 5)
        if g == 1:
            x[rng.random(x.shape) < 0.15] = np.nan
            x[0, :] = np.nan  # a respondent with no answer at all
        if g == 3:
            x[:, 2] = 4.0
        blocks.append(x)
        groups.append(np.full(n, g))
    return np.concatenate(groups), np.vstack(blocks)


def test_alpha_by_group_equals_reliability(scales: tuple[np.ndarray, np.ndarray]) -> None:
    groups, x = scales
    fast = alpha_by_group(groups, x, 6)
    checked = 0
    for g in range(6):
        part = pd.DataFrame(x[groups == g])
        try:
            ref = reliability(part)
        except MutuValueError:
            assert not fast.ok[g]
            assert np.isnan(fast.alpha[g])
            continue
        assert fast.ok[g]
        assert fast.n[g] == ref.n
        assert abs(fast.alpha[g] - ref.alpha) <= TOL
        assert abs(fast.alpha_standardized[g] - ref.alpha_standardized) <= TOL
        assert abs(fast.ci_low[g] - ref.ci_low) <= TOL
        assert abs(fast.ci_high[g] - ref.ci_high) <= TOL
        checked += 1
    assert checked == 4  # n = 1 and the constant item are refused by both
    assert not fast.ok[2] and not fast.ok[3]
    assert fast.n[1] == 59  # the all-missing respondent is not counted, as psych does


def test_paired_by_group_equals_paired_change() -> None:
    rng = np.random.default_rng(8)
    sizes = [30, 1, 12, 200, 6]
    groups = np.concatenate([np.full(n, g) for g, n in enumerate(sizes)])
    pre = rng.integers(0, 21, groups.size) * 5.0  # ties everywhere
    post = np.clip(pre + rng.integers(-2, 5, groups.size) * 5.0, 0, 100)
    pre[rng.random(groups.size) < 0.1] = np.nan
    pre[groups == 1] = 50.0
    post[groups == 4] = pre[groups == 4] + 10.0  # all differences equal
    fast = paired_by_group(groups, pre, post, len(sizes))
    for g in range(len(sizes)):
        sel = groups == g
        try:
            ref = paired_change(pre[sel], post[sel])
        except MutuValueError:
            assert not fast.ok[g]
            assert np.isnan(fast.t[g])
            continue
        assert fast.ok[g]
        assert fast.n[g] == ref.n and fast.df[g] == ref.df
        for name in ("mean_pre", "mean_post", "mean_diff", "sd_diff", "t", "p_value",
                     "ci_low", "ci_high", "d_z"):  # fmt: skip
            assert abs(getattr(fast, name)[g] - getattr(ref, name)) <= TOL, name
    assert not fast.ok[1] and not fast.ok[4]


def test_bad_input_is_refused_in_both_languages() -> None:
    with pytest.raises(MutuValueError) as err:
        alpha_by_group(np.zeros(3, dtype=int), np.ones((3, 1)), 1)
    assert "butir" in err.value.message_id and "items" in err.value.message_en
    with pytest.raises(MutuValueError):
        alpha_by_group(np.array([0, 5]), np.ones((2, 3)), 2)
    with pytest.raises(MutuValueError):
        paired_by_group(np.array([0, 0]), np.ones(2), np.ones(3), 1)
    with pytest.raises(MutuValueError):
        paired_by_group(np.array([0]), np.ones(1), np.ones(1), 1, confidence=1.5)


@pytest.fixture(scope="module")
def small_world() -> dict[str, pd.DataFrame]:
    return generate_world(seed=3, scale="kecil").frames


def test_every_activity_of_a_world_equals_the_per_activity_functions(
    small_world: dict[str, pd.DataFrame],
) -> None:
    alpha = reaction_alpha(small_world)
    pairs = pairs_of(small_world)
    change = learning_change(pairs)
    wilcoxon = learning_wilcoxon(pairs)
    assert (change["activity"].to_numpy() == wilcoxon["activity"].to_numpy()).all()
    change = change.assign(wilcoxon_v=wilcoxon["wilcoxon_v"], wilcoxon_p=wilcoxon["wilcoxon_p"])
    assert len(alpha) >= 10 and len(change) >= 5
    for row in alpha.itertuples():
        try:
            ref = naive_reaction_alpha(small_world, str(row.activity), str(row.instrument))
        except MutuValueError:
            assert not row.ok
            continue
        for name, value in ref.items():
            assert abs(getattr(row, name) - value) <= TOL, (row.activity, name)
    for row in change.itertuples():
        try:
            ref2 = naive_learning(small_world, str(row.activity))
        except MutuValueError:
            assert not row.ok
            continue
        for name, value in ref2.items():
            assert abs(getattr(row, name) - value) <= TOL, (row.activity, name)


def test_jp_per_asn_equals_jp_compliance(small_world: dict[str, pd.DataFrame]) -> None:
    year = 2025
    book = load("jp", date(year, 12, 31))
    fast = jp_per_asn(
        small_world["employees"],
        small_world["jp_ledger"],
        year=year,
        floor_jp=float(book.decimal("pns_min_jp_per_year")),
        ceiling_jp=float(book.decimal("pppk_max_jp_per_contract_year")),
        minutes_per_jp=float(book.decimal("minutes_per_jp")),
    ).set_index("nip")
    ref = jp_compliance(small_world["jp_ledger"], small_world["employees"], year=year).persons
    fast = fast.reindex(ref.index)
    assert np.allclose(fast["jp"], ref["jp"], atol=TOL, rtol=0)
    assert (fast["compliant"].to_numpy() == ref["compliant"].to_numpy()).all()
    assert np.allclose(fast["deficit"], ref["deficit"], atol=TOL, rtol=0, equal_nan=True)
    assert np.allclose(fast["excess"], ref["excess"], atol=TOL, rtol=0, equal_nan=True)
    assert fast["jp"].sum() > 0
