"""The API fuzzed against its own OpenAPI schema (schemathesis + hypothesis): never a server error.

The schema is loaded from ``/api/openapi.json`` through the Django WSGI
application (``schemathesis.openapi.from_wsgi``), and every operation is
called with cases generated from it — valid ones (positive mode) and ones
that break the schema (negative mode: wrong types, missing fields, bad
JSON) — as an administrator and as a unit operator, each with their token.
Every answer must not be a server error and must match the schema's
response for its status (``not_a_server_error``,
``response_schema_conformance``).  The detail endpoints are also called with
the ids of real objects, so their found paths are fuzzed too (query and body
generated).  Derandomised and small, so it runs on SQLite in the normal
suite in well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from mutu.accounts.models import Role
from mutu.instruments.tokens import token_for
from tests.api.support import make_api_world, store_run, token_user
from tests.factories import make_instrument_version
from tests.instruments.test_web_support import attach, enrol, link_of

pytestmark = pytest.mark.django_db

#: Examples per operation, mode and role (17 operations × 2 modes × 2 roles, plus real ids).
EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 4}
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Keep the database connection open across the WSGI requests, as Django's test client does.

    Django closes the connection after each request (``close_old_connections`` on
    ``request_finished``); inside the test's transaction that closes it for good
    on PostgreSQL (SQLite's in-memory test database ignores the close).  The test
    client disconnects the signal for its requests; schemathesis calls the WSGI
    application directly, so the test does it here.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _real_objects() -> dict[str, Any]:
    """A world with an activity, a session, a form link and a stored run: real path parameters."""
    world = make_api_world()
    store_run(world)
    activity = world.base.activity
    session = activity.sessions.order_by("starts_at").first()
    assert session is not None
    person = enrol(activity).employee
    attachment = attach(activity, make_instrument_version(anonymous=True, kind="reaction"))
    link = link_of(attachment, person)
    return {
        "world": world,
        "path": {
            "id": world.base.alice.pk,
            "code": world.unit_a.code,
            "session_pk": session.pk,
            "token": token_for(link.nonce),
        },
    }


def _fuzz(schema: Any, headers: dict[str, str], path: dict[str, Any]) -> int:
    """Run every operation in both modes (and with real path ids); the number of calls made."""
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        wanted = {p.name: path[p.name] for p in operation.path_parameters if p.name in path}
        negatable = any(
            len(list(inputs))
            for inputs in (operation.query, operation.path_parameters, operation.body)
        )
        modes = [m for m in EXAMPLES if negatable or m is GenerationMode.POSITIVE]
        runs: list[tuple[GenerationMode, dict[str, Any]]] = [(mode, {}) for mode in modes]
        if wanted:
            runs.append((GenerationMode.POSITIVE, wanted))
        for mode, fixed in runs:
            strategy = operation.as_strategy(
                generation_mode=mode, headers=headers, path_parameters=fixed or None
            )

            @settings(
                max_examples=EXAMPLES[mode],
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def call(case: Any) -> None:
                nonlocal calls
                calls += 1
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                call()
            except Unsatisfiable:
                # Nothing of this operation can break its schema (e.g. a free-text path
                # segment, where every string is valid): there is no negative case to send.
                assert mode is GenerationMode.NEGATIVE, operation.label
    return calls


@pytest.mark.parametrize("role", [Role.ADMIN, Role.UNIT_OPERATOR])
def test_no_server_error_anywhere_in_the_schema(role: str) -> None:
    real = _real_objects()
    covers = {"unit": real["world"].unit_a} if role == Role.UNIT_OPERATOR else {}
    _user, key = token_user(role, **covers)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Token {key}", "Accept-Language": "id"}
    calls = _fuzz(schema, headers, real["path"])
    operations = len(list(schema.get_all_operations()))
    assert operations >= 16
    assert calls >= operations * EXAMPLES[GenerationMode.POSITIVE]  # every operation called
