"""The small loaded world both authorisation tests request, loaded once for the package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.world import small_world_load


@pytest.fixture(scope="package")
def walk_world(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Path]:
    """The small demo world in the test database, for this package only (flushed after).

    The walk (``test_walk.py``) and the id enumeration (``test_ids.py``) both
    read it; each of their tests runs in a transaction that is rolled back, so
    the world is the same for every test, and loading it once saves a load
    per module (about 20 s on SQLite).
    """
    folder = tmp_path_factory.mktemp("walk")
    with django_db_blocker.unblock():
        small_world_load(folder)
    yield folder
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
