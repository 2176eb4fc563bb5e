"""No data lost: submit with many clients while the server is killed (scripts/fault_submit.py).

Twenty client threads submit their own personal-link forms to ``mutu serve`` (Django's
threaded server: one connection per request thread) while the server is killed with
SIGKILL twice and started again; the database must then hold every acknowledged submission
exactly once, complete. It runs on SQLite in the normal run and on PostgreSQL in the
``-m database`` run (a database of its own on the suite's throw-away server).
``make soak`` runs the long version against ``mutu serve --production`` (gunicorn, several
worker processes), which starts too slowly for the regular suite.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from scripts.fault_submit import Figures, run, table

from tests.postgres_support import new_postgres_database

pytestmark = pytest.mark.database

CLIENTS, LINKS, KILLS = 20, 4, 2


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the suite's kind: a SQLite file, or a new PostgreSQL database."""
    params = settings.DATABASES["default"]
    if params["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'fault.sqlite3'}"
        return
    with new_postgres_database("mutu_fault") as url:
        yield url


def test_every_acknowledged_submission_is_stored_once_although_the_server_is_killed(
    database_url: str, tmp_path: Path
) -> None:
    figures: Figures = run(
        clients=CLIENTS,
        links=LINKS,
        kills=KILLS,
        server_kind="development",
        database=database_url,
        give_up=120,
        folder=tmp_path / "run",
    )
    report = table(figures)
    print(report)
    expected = "postgresql" if "postgresql" in database_url else "sqlite"
    assert figures.database == expected
    assert figures.faults_injected == KILLS, report
    assert figures.attempted == CLIENTS * LINKS, report
    assert figures.acknowledged > 0, report
    assert figures.lost == 0, report
    assert figures.duplicated == 0, report
    assert figures.half_written == 0, report
    assert figures.mismatched == 0, report
    # Every link was acknowledged in the end (the clients outlast the restarts), and each
    # acknowledged link is one stored response.
    assert figures.acknowledged == figures.stored == CLIENTS * LINKS, report
    assert figures.retries > 0, report  # the kills really cut requests off
