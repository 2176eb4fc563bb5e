"""The small world, loaded and evaluated once per test module and rolled back after it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from tests.dashboard.world import DashboardWorld, dashboard_world


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DashboardWorld]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = dashboard_world()
        yield built
        transaction.set_rollback(True)
