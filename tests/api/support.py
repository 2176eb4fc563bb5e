"""Builders shared by the API tests: a two-unit world, token clients, a stored run (no tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

from mutu.accounts.services import role_assign
from mutu.evaluations.models import EvaluationRun
from mutu.people.models import Employee, Unit
from tests.factories import make_employee, make_unit, next_id
from tests.programs.test_web_support import World, make_world


def token_user(role: str | None = None, **covers: Any) -> tuple[Any, str]:
    """A new user with one role (or none) and their API token."""
    user = get_user_model().objects.create_user(username=f"api{next_id()}")
    if role is not None:
        role_assign(user_id=user.pk, role=role, **covers)
    return user, Token.objects.create(user=user).key


def api(role: str | None = None, lang: str = "id", **covers: Any) -> Client:
    """A test client that sends a new user's token on every request."""
    _user, key = token_user(role, **covers)
    return Client(headers={"authorization": f"Token {key}", "accept-language": lang})


@dataclass
class ApiWorld:
    """The programs tests' world (units A and B, an activity of A) and a sub-unit of A."""

    base: World
    sub: Unit
    dita: Employee  # in the sub-unit of A

    @property
    def unit_a(self) -> Unit:
        return self.base.unit_a

    @property
    def unit_b(self) -> Unit:
        return self.base.unit_b


def make_api_world() -> ApiWorld:
    base = make_world()
    sub = make_unit(parent=base.unit_a, kind="sekolah")
    dita = make_employee(unit=sub, name="Dita Selian")
    return ApiWorld(base=base, sub=sub, dita=dita)


def results(client: Client, url: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of a paginated list, page by page."""
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = client.get(url, {**params, "page": page, "page_size": 200})
        assert answer.status_code == 200, answer.content
        body = answer.json()
        rows.extend(body["results"])
        if not body["next"]:
            return rows
        page += 1


def store_run(world: ApiWorld) -> EvaluationRun:
    """A stored run: unit A's own 3 PNS, its sub-unit's 2, unit B's 12; two estimands."""

    def jp(n: int, compliant: int, mean: float) -> dict[str, Any]:
        return {"jp": {"n_pns": n, "pns_compliant": compliant, "mean_jp_pns": mean}}

    results_json = {
        "plan": {"privacy_minimum": 5},
        "data": {"year": 2026},
        "summary": {"id": "Ringkasan", "en": "Summary"},
        "indices": {
            "years": [2025, 2026],
            "units": {
                world.unit_a.code: {"2026": jp(3, 1, 10.0)},
                world.sub.code: {"2026": jp(2, 2, 25.0)},
                world.unit_b.code: {"2026": jp(12, 6, 21.0)},
            },
        },
        "estimands": {
            "small": {"estimate": 1.5, "ci_low": 0.1, "ci_high": 2.9, "n": 3},
            "large": {"estimate": 2.5, "ci_low": 1.1, "ci_high": 3.9, "n": 40},
        },
        "sections": {
            "l1_reaction": {"status": "ok", "n_respondents": 4, "scale_mean": 3.9, "tables": {}},
            "l2_learning": {"status": "ok", "n_pairs": 30, "mean_diff": 12.5, "tables": {"x": 1}},
        },
    }
    return EvaluationRun.objects.create(
        year=2026, data_hash="0" * 64, results=results_json, mutu_version="test"
    )
