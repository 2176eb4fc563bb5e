"""The kabupaten world (seed 11) and its evaluation, made once per test session."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from mutu.evaluation.pipeline import evaluate
from mutu.synthetic import World, generate_world, stored_view

Kabupaten = tuple[World, dict[str, pd.DataFrame], dict[str, Any]]


@pytest.fixture(scope="session")
def kabupaten() -> Kabupaten:
    """``(world, stored frames, evaluation JSON without the indices)``."""
    world = generate_world(seed=11, scale="kabupaten", scenario="baseline")
    frames = stored_view(world.frames)
    return world, frames, evaluate(frames, include_indices=False).to_json()
