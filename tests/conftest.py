"""Suite-wide test configuration.

Every test that touches the database is tagged ``database``: ``make test`` runs
the whole suite on SQLite, then ``pytest -m database`` again on a PostgreSQL
server it starts itself (``scripts/with_postgres.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

_DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        uses_db = item.get_closest_marker("django_db") is not None or bool(
            _DB_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        if uses_db or "admin_client" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.database)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language (Indonesian).

    Django's LocaleMiddleware activates the request's language on the thread and
    leaves it there, so a test-client request in English would otherwise leak
    English into the tests that run after it.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


def pytest_report_header() -> list[str]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = db.get("HOST") or db.get("NAME")
    expected = os.environ.get("MUTU_TEST_DB_VENDOR", "sqlite")
    return [f"mutu database: {db['ENGINE'].rsplit('.', 1)[-1]} ({where}); expected: {expected}"]
