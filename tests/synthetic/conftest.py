"""Worlds shared by the synthetic tests: generated once per session (about 2-3 s each)."""

from __future__ import annotations

import pytest

from mutu.synthetic import World, generate_world

SEED = 11


@pytest.fixture(scope="session")
def world() -> World:
    """The kabupaten baseline world of seed 11 (the one the demo uses)."""
    return generate_world(seed=SEED, scale="kabupaten", scenario="baseline")


@pytest.fixture(scope="session")
def null_world() -> World:
    return generate_world(seed=SEED, scale="kabupaten", scenario="null")


@pytest.fixture(scope="session")
def strong_world() -> World:
    return generate_world(seed=SEED, scale="kabupaten", scenario="strong")
