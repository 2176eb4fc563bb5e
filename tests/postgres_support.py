"""A new, empty PostgreSQL database on the suite's server, for tests that need a second one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings


@contextmanager
def new_postgres_database(prefix: str) -> Iterator[str]:
    """Create ``<prefix>_<random>`` on the server the suite runs on; its URL; dropped after.

    Only for a PostgreSQL run (``scripts/with_postgres.py`` points the suite at a
    throw-away server); the database is dropped with ``FORCE`` whatever happens.
    """
    import psycopg

    params = settings.DATABASES["default"]
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    server = {
        "host": params["HOST"],
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    try:
        yield f"postgresql://{params['USER']}{password}@{params['HOST']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
