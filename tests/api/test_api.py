"""The REST API: authentication, scope per role, pagination, filters, privacy, writes, errors."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from mutu.accounts.models import Role
from mutu.accounts.scope import scope_for
from mutu.instruments.field_services import links_ensure
from mutu.instruments.models import Response, ResponseIdentity
from mutu.people.models import Employee, Unit
from mutu.people.selectors import unit_people
from mutu.programs.models import Attendance
from tests.api.support import ApiWorld, api, make_api_world, results, store_run, token_user
from tests.factories import make_employee, make_instrument_version
from tests.instruments.test_web_support import attach, enrol, link_of, open_activity
from tests.programs.test_web_support import client_for, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> ApiWorld:
    return make_api_world()


def _ids(rows: list[dict[str, Any]]) -> list[int]:
    return [r["id"] for r in rows]


# --- authentication and the error shape ----------------------------------------------------------


def test_anonymous_is_answered_401_in_both_languages() -> None:
    answer = Client().get("/api/employees/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Token"
    body = answer.json()
    assert body["code"] == "not_authenticated"
    assert body["detail"] == body["detail_id"]  # Indonesian by default
    assert "Perlu masuk" in body["detail_id"]
    assert "Authentication required" in body["detail_en"]


def test_a_wrong_token_is_refused_and_english_follows_accept_language() -> None:
    client = Client(headers={"authorization": "Token nope", "accept-language": "en"})
    body = client.get("/api/units/").json()
    assert body["code"] == "authentication_failed"
    assert (
        body["detail"] == body["detail_en"] == "The token is not valid or the account is inactive."
    )
    assert body["detail_id"].startswith("Token tidak berlaku")


def test_the_browser_session_works_too(world: ApiWorld) -> None:
    user = user_with(Role.UNIT_HEAD, unit=world.unit_a)
    answer = client_for(user).get("/api/me/")
    assert answer.status_code == 200
    assert answer.json()["roles"] == ["unit_head"]
    assert answer.json()["units"] == [world.unit_a.code]


def test_a_bad_filter_value_is_a_bilingual_400_naming_the_field(world: ApiWorld) -> None:
    admin = api(Role.ADMIN, lang="en")
    body = admin.get("/api/activities/", {"year": "20x6"}).json()
    assert body["code"] == "invalid"
    assert body["detail"] == body["detail_en"]
    assert "year" in body["fields"]
    assert "Tahun harus bilangan bulat" in body["detail_id"]
    status = admin.get("/api/employees/", {"status": "honorer"})
    assert status.status_code == 400
    assert "PNS, PPPK" in status.json()["detail_en"]


# --- scope per role -----------------------------------------------------------------------------


def test_an_operator_of_unit_b_cannot_see_unit_as_employee(world: ApiWorld) -> None:
    operator_b = api(Role.UNIT_OPERATOR, unit=world.unit_b)
    alice = world.base.alice
    answer = operator_b.get(f"/api/employees/{alice.pk}/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"
    # the same answer as for an id that does not exist
    missing = operator_b.get("/api/employees/999999/")
    assert missing.status_code == 404
    assert missing.json() == answer.json()
    assert operator_b.get(f"/api/employees/{world.base.citra.pk}/").status_code == 200
    assert operator_b.get(f"/api/units/{world.unit_a.code}/").status_code == 404
    assert operator_b.get("/api/employees/", {"unit": world.unit_a.code}).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.ANALYST, Role.UNIT_OPERATOR, Role.UNIT_HEAD, Role.PARTICIPANT]
)
def test_list_counts_equal_the_scope_the_web_uses(world: ApiWorld, role: str) -> None:
    make_employee(unit=world.unit_b)  # someone nobody of unit A reaches
    covers: dict[str, Any] = {}
    if role in (Role.UNIT_OPERATOR, Role.UNIT_HEAD):
        covers = {"unit": world.unit_a}
    elif role == Role.PARTICIPANT:
        covers = {"employee": world.base.alice}
    user, key = token_user(role, **covers)
    client = Client(headers={"authorization": f"Token {key}"})
    scope = scope_for(user)
    employees = results(client, "/api/employees/")
    assert sorted(_ids(employees)) == sorted(scope.employees().values_list("pk", flat=True))
    units = results(client, "/api/units/")
    assert sorted(_ids(units)) == sorted(scope.units().values_list("pk", flat=True))
    if role == Role.UNIT_OPERATOR:
        # alice, budi in A and dita in A's sub-unit; nobody of B
        assert {e["name"] for e in employees} == {"Alice Ginting", "Budi Sembiring", "Dita Selian"}


def test_unit_filter_takes_the_sub_units_and_matches_the_unit_pages(world: ApiWorld) -> None:
    head = api(Role.UNIT_HEAD, unit=world.unit_a)
    rows = results(head, "/api/employees/", unit=world.unit_a.code, active="true")
    web = [p["pk"] for u in (world.unit_a, world.sub) for p in unit_people(u.pk, 2026)]
    assert sorted(_ids(rows)) == sorted(web)
    only_sub = results(head, "/api/employees/", unit=world.sub.code)
    assert _ids(only_sub) == [world.dita.pk]


def test_personal_fields_only_for_admin_the_units_operator_and_the_person(world: ApiWorld) -> None:
    alice = world.base.alice
    url = f"/api/employees/{alice.pk}/"
    shown = {
        "admin": api(Role.ADMIN),
        "operator": api(Role.UNIT_OPERATOR, unit=world.unit_a),
        "self": api(Role.PARTICIPANT, employee=alice),
    }
    hidden = {
        "analyst": api(Role.ANALYST),
        "head": api(Role.UNIT_HEAD, unit=world.unit_a),
    }
    for who, client in shown.items():
        personal = client.get(url).json()["personal"]
        assert personal is not None, who
        assert personal["birth_date"] == alice.birth_date.isoformat()
    for who, client in hidden.items():
        answer = client.get(url)
        assert answer.status_code == 200, who
        assert answer.json()["personal"] is None, who
        assert answer.json()["nip"] == alice.nip
    # a participant reaches nobody else
    other = api(Role.PARTICIPANT, employee=alice)
    assert other.get(f"/api/employees/{world.base.budi.pk}/").status_code == 404


def test_enrollments_and_ledger_stay_in_scope(world: ApiWorld) -> None:
    operator_b = api(Role.UNIT_OPERATOR, unit=world.unit_b)
    assert results(operator_b, "/api/enrollments/") == []
    head_a = api(Role.UNIT_HEAD, unit=world.unit_a)
    rows = results(head_a, "/api/enrollments/")
    assert {r["name"] for r in rows} == {"Alice Ginting", "Budi Sembiring"}
    alice_only = api(Role.PARTICIPANT, employee=world.base.alice)
    assert [r["name"] for r in results(alice_only, "/api/enrollments/")] == ["Alice Ginting"]
    assert results(alice_only, "/api/jp-ledger/") == []


# --- pagination, ordering, filters ----------------------------------------------------------------


def test_pagination_pages_are_stable_and_cover_everything_once(world: ApiWorld) -> None:
    for _ in range(7):
        make_employee(unit=world.unit_b, name="Sama Nama")  # equal names: the NIP and id decide
    admin = api(Role.ADMIN)
    total = Employee.objects.count()
    first = admin.get("/api/employees/", {"page_size": 3}).json()
    assert first["count"] == total
    assert len(first["results"]) == 3
    assert "page=2" in first["next"]
    assert first["previous"] is None
    pages = [
        admin.get("/api/employees/", {"page_size": 3, "page": p}).json()["results"]
        for p in range(1, (total + 2) // 3 + 1)
    ]
    seen = [r["id"] for page in pages for r in page]
    assert len(seen) == len(set(seen)) == total
    again = [r["id"] for r in admin.get("/api/employees/", {"page_size": total}).json()["results"]]
    assert again == seen
    past = admin.get("/api/employees/", {"page_size": 3, "page": 99})
    assert past.status_code == 404
    assert "halaman terakhir" in past.json()["detail_id"]
    assert admin.get("/api/employees/", {"page": "-1"}).status_code == 400


def test_page_size_is_capped_at_200() -> None:
    Unit.objects.bulk_create(
        Unit(code=f"X{i:04d}", name=f"Unit {i}", kind="other") for i in range(205)
    )
    body = api(Role.ADMIN).get("/api/units/", {"page_size": 1000}).json()
    assert body["count"] == 205
    assert len(body["results"]) == 200
    assert body["results"][0]["code"] == "X0000"


def test_year_filter_on_activities_and_enrollments(world: ApiWorld) -> None:
    admin = api(Role.ADMIN)
    code = world.base.activity.code
    assert [a["code"] for a in results(admin, "/api/activities/", year=2026)] == [code]
    assert results(admin, "/api/activities/", year=2025) == []
    assert len(results(admin, "/api/enrollments/", year=2026)) == 2
    assert results(admin, "/api/enrollments/", year=2025) == []
    assert len(results(admin, "/api/enrollments/", activity=code, unit=world.unit_a.code)) == 2


# --- indices and the evaluation: the privacy minimum --------------------------------------------


def test_unit_indices_withhold_groups_under_five(world: ApiWorld) -> None:
    store_run(world)
    admin = api(Role.ADMIN)
    rows = {r["unit"]: r for r in results(admin, "/api/indices/units/", year=2026)}
    pooled_a = rows[world.unit_a.code]  # 3 + 2 people with the sub-unit: shown
    assert pooled_a["n_pns"] == 5
    assert pooled_a["jp_share"] == pytest.approx(3 / 5)
    assert pooled_a["mean_jp"] == pytest.approx((3 * 10.0 + 2 * 25.0) / 5)
    sub = rows[world.sub.code]  # 2 people: withheld, never the value
    assert sub["n_pns"] == 2
    assert sub["jp_share"] is None and sub["mean_jp"] is None and sub["pns_compliant"] is None
    assert sub["suppressed"] == ["pns_compliant", "jp_share", "mean_jp"]
    assert rows[world.unit_b.code]["jp_share"] == pytest.approx(0.5)
    head_b = api(Role.UNIT_HEAD, unit=world.unit_b)
    assert [r["unit"] for r in results(head_b, "/api/indices/units/")] == [world.unit_b.code]
    missing = admin.get("/api/indices/units/", {"year": 2019})
    assert missing.status_code == 404
    assert "2025, 2026" in missing.json()["detail_en"]


def test_evaluation_summary_withholds_small_estimands_and_is_for_admin_and_analyst(
    world: ApiWorld,
) -> None:
    assert api(Role.ADMIN).get("/api/evaluation/").json()["code"] == "no_evaluation"
    store_run(world)
    body = api(Role.ANALYST).get("/api/evaluation/", {"year": 2026}).json()
    assert body["estimands"]["small"]["estimate"] is None
    assert body["estimands"]["small"]["suppressed"] is True
    assert body["estimands"]["large"]["estimate"] == 2.5
    assert body["sections"]["l1_reaction"]["scale_mean"] is None
    assert body["sections"]["l2_learning"]["mean_diff"] == 12.5
    assert "tables" not in body["sections"]["l2_learning"]
    assert body["summary"] == {"id": "Ringkasan", "en": "Summary"}
    refused = api(Role.UNIT_HEAD, unit=world.unit_a).get("/api/evaluation/")
    assert refused.status_code == 403
    assert "administrator dan analis" in refused.json()["detail_id"]


def test_employee_indices_show_the_jp_floor(world: ApiWorld) -> None:
    head = api(Role.UNIT_HEAD, unit=world.unit_a)
    rows = results(head, "/api/indices/employees/", year=2026)
    assert {r["name"] for r in rows} == {"Alice Ginting", "Budi Sembiring", "Dita Selian"}
    assert all(r["jp"] == 0.0 and r["meets_floor"] is False and r["jp_floor"] == 20.0 for r in rows)


# --- writes: attendance --------------------------------------------------------------------------


def test_attendance_is_idempotent_and_follows_the_checklist_rules(world: ApiWorld) -> None:
    session = world.base.activity.sessions.order_by("starts_at").first()
    assert session is not None
    url = f"/api/sessions/{session.pk}/attendance/"
    operator = api(Role.UNIT_OPERATOR, unit=world.unit_a)
    mark = {"enrollment": world.base.enrollment_alice.pk, "present": True}
    first = operator.post(url, mark, content_type="application/json")
    assert first.status_code == 200, first.content
    assert first.json()["changed"] is True
    again = operator.post(url, mark, content_type="application/json")
    assert again.json()["changed"] is False
    assert Attendance.objects.filter(session=session).count() == 1
    roster = operator.get(url).json()["roster"]
    assert {r["name"]: r["present"] for r in roster} == {
        "Alice Ginting": True,
        "Budi Sembiring": None,
    }
    absent = operator.post(url, {**mark, "present": False}, content_type="application/json")
    assert absent.json()["changed"] is True
    assert Attendance.objects.get(session=session).present is False
    # outside the scope: 404; a role that may not mark: 403; bad input: 400
    assert (
        api(Role.UNIT_OPERATOR, unit=world.unit_b)
        .post(url, mark, content_type="application/json")
        .status_code
        == 404
    )
    head = api(Role.UNIT_HEAD, unit=world.unit_a).post(url, mark, content_type="application/json")
    assert head.status_code == 403
    stranger = operator.post(
        url, {"enrollment": 999999, "present": True}, content_type="application/json"
    )
    assert stranger.status_code == 404
    bad = operator.post(url, {"enrollment": "x"}, content_type="application/json")
    assert bad.status_code == 400
    assert {"enrollment", "present"} <= set(bad.json()["fields"])
    assert Attendance.objects.filter(session=session).count() == 1


# --- writes: forms -------------------------------------------------------------------------------


def _form(anonymous: bool) -> tuple[Any, Any, str, Client]:
    """An open form of an activity with one participant; their token client and the link token."""
    from mutu.instruments.tokens import token_for

    activity = open_activity()
    version = make_instrument_version(anonymous=anonymous, kind="reaction")
    enrollment = enrol(activity)
    attachment = attach(activity, version)  # makes the enrolled people's links
    person = enrollment.employee
    link = link_of(attachment, person)
    return attachment, person, token_for(link.nonce), api(Role.PARTICIPANT, employee=person)


ANSWERS = {"answers": {"Q1": 4, "Q2": "b", "Q3": "Bagus"}}


@pytest.mark.parametrize("anonymous", [True, False])
def test_a_form_is_stored_once_and_anonymity_holds(anonymous: bool) -> None:
    _attachment, person, token, client = _form(anonymous)
    listed = client.get("/api/forms/").json()["results"]
    assert [f["token"] for f in listed] == [token]
    form = client.get(f"/api/forms/{token}/").json()
    assert [i["code"] for i in form["items"]] == ["Q1", "Q2", "Q3"]
    assert form["may_submit"] is True
    first = client.post(f"/api/forms/{token}/", ANSWERS, content_type="application/json")
    assert first.status_code == 201, first.content
    second = client.post(f"/api/forms/{token}/", ANSWERS, content_type="application/json")
    assert second.status_code == 200
    assert second.json()["created"] is False
    assert "sudah dikirim" in second.json()["detail_id"]
    assert Response.objects.count() == 1
    if anonymous:
        assert first.json()["response"] is None and second.json()["response"] is None
        assert ResponseIdentity.objects.count() == 0
    else:
        stored = Response.objects.get()
        assert first.json()["response"] == second.json()["response"] == stored.pk
        assert ResponseIdentity.objects.get().employee_id == person.pk


def test_refused_answers_store_nothing_and_say_why_in_both_languages() -> None:
    _attachment, _person, token, client = _form(anonymous=False)
    url = f"/api/forms/{token}/"
    missing = client.post(url, {"answers": {"Q1": 4}}, content_type="application/json")
    assert missing.status_code == 400
    assert "Belum dijawab" in missing.json()["detail_id"]
    assert "Not answered yet" in missing.json()["detail_en"]
    off_scale = client.post(url, {"answers": {"Q1": 9, "Q2": "b"}}, content_type="application/json")
    assert "Question 1" in off_scale.json()["detail_en"]
    unknown = client.post(url, {"answers": {"Z9": "1"}}, content_type="application/json")
    assert unknown.status_code == 400
    assert "Z9" in unknown.json()["detail_en"]
    broken = client.post(url, "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["code"] == "parse_error"
    assert Response.objects.count() == 0
    assert client.post(url, ANSWERS, content_type="application/json").status_code == 201


def test_a_form_is_only_for_its_respondent_and_the_staff_who_see_it() -> None:
    attachment, _person, token, _client = _form(anonymous=True)
    url = f"/api/forms/{token}/"
    other = enrol(attachment.activity).employee
    links_ensure(activity=attachment.activity)
    assert api(Role.PARTICIPANT, employee=other).get(url).status_code == 404
    admin = api(Role.ADMIN)
    assert admin.get(url).json()["may_submit"] is False
    refused = admin.post(url, ANSWERS, content_type="application/json")
    assert refused.status_code == 403
    assert api(Role.ANALYST).get(url).status_code == 404  # links are personal
    assert api(Role.ADMIN).get("/api/forms/not-a-token/").status_code == 404
    assert Response.objects.count() == 0


# --- the token command ---------------------------------------------------------------------------


def test_token_command_creates_shows_and_rotates(world: ApiWorld) -> None:
    user = user_with(Role.UNIT_HEAD, unit=world.unit_a)

    def run(*args: str) -> str:
        out = StringIO()
        call_command("token", user.username, *args, stdout=out)
        return out.getvalue().strip()

    key = run()
    assert Token.objects.get(user=user).key == key
    assert run() == key
    rotated = run("--rotate")
    assert rotated != key
    old = Client(headers={"authorization": f"Token {key}"}).get("/api/me/")
    assert old.status_code == 401
    new = Client(headers={"authorization": f"Token {rotated}"}).get("/api/me/")
    assert new.json()["username"] == user.username
    run("--delete")
    assert not Token.objects.filter(user=user).exists()
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        call_command("token", "nobody", stdout=StringIO())


# --- the schema ----------------------------------------------------------------------------------


def test_the_openapi_schema_is_public_and_valid() -> None:
    import schemathesis
    from django.core.wsgi import get_wsgi_application

    answer = Client().get("/api/openapi.json")
    assert answer.status_code == 200
    spec = answer.json()
    assert spec["openapi"].startswith("3.")
    assert "/api/openapi.json" not in spec["paths"]
    assert {"/api/employees/", "/api/sessions/{session_pk}/attendance/"} <= set(spec["paths"])
    assert set(spec["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    schema.validate()  # raises on a schema that breaks the OpenAPI 3 meta-schema
    assert len(list(schema.get_all_operations())) == len(
        [m for p in spec["paths"].values() for m in p if m in ("get", "post")]
    )
