"""Worlds and evaluations shared by the pipeline tests, each made once per session.

A kabupaten world takes about 2 s to generate and 3 s to evaluate on the
2-core development machine; the cache keeps every (seed, scale, scenario)
to one generation and one evaluation however many tests read it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import pandas as pd
import pytest

from mutu.evaluation.pipeline import EvaluationReport, evaluate
from mutu.synthetic import World, generate_world, stored_view


@lru_cache(maxsize=16)
def _world(seed: int, scale: str, scenario: str) -> World:
    return generate_world(seed=seed, scale=scale, scenario=scenario)


@lru_cache(maxsize=16)
def _report(seed: int, scale: str, scenario: str) -> EvaluationReport:
    return evaluate(stored_view(_world(seed, scale, scenario).frames), include_indices=False)


@pytest.fixture(scope="session")
def world_of() -> Callable[[int, str, str], World]:
    """``world_of(seed, scale, scenario)``: the generated world (cached)."""
    return _world


@pytest.fixture(scope="session")
def report_of() -> Callable[[int, str, str], EvaluationReport]:
    """``report_of(seed, scale, scenario)``: its evaluation without the indices (cached)."""
    return _report


@pytest.fixture(scope="session")
def small_frames() -> dict[str, pd.DataFrame]:
    """The stored frames of the small baseline world of seed 3."""
    return stored_view(_world(3, "kecil", "baseline").frames)
