"""The suite really runs on the database it claims to.

``scripts/with_postgres.py`` sets ``MUTU_TEST_DB_VENDOR=postgresql``; if the
settings silently fell back to SQLite, this test fails the PostgreSQL run.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_database_vendor_is_the_expected_one() -> None:
    expected = os.environ.get("MUTU_TEST_DB_VENDOR", "sqlite")
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        if expected == "postgresql":
            cursor.execute("SHOW server_version_num")
            (version,) = cursor.fetchone()
            assert int(version) >= 150000
        else:
            cursor.execute("select sqlite_version()")
            assert cursor.fetchone()[0]


@pytest.mark.django_db
def test_all_migrations_applied() -> None:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert plan == []
