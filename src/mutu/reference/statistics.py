"""Planner statistics after bulk writes.

PostgreSQL plans queries from table statistics that autovacuum refreshes only
after a transaction commits and some time passes. Right after a bulk load a
table still looks empty, the planner picks nested loops, and a join over the
attendance table that takes milliseconds can run for minutes. ``ANALYZE``
inside the writing transaction fixes the estimates at once (it sees the
transaction's own rows). SQLite's planner does not depend on such statistics,
so this is a no-op there.
"""

from __future__ import annotations

from django.db import connection

__all__ = ["planner_statistics_refresh"]


def planner_statistics_refresh() -> None:
    """Run ``ANALYZE`` on PostgreSQL (all tables: a second or two on a kabupaten world)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
