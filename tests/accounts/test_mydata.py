"""`/saya/data/`: a person downloads everything Mutu holds about them, never anything anonymous."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from mutu.accounts.models import Role, RoleAssignment
from mutu.imports.models import ExportLog
from mutu.instruments.field_services import activity_instrument_attach
from mutu.instruments.models import InstrumentLink
from mutu.instruments.services import response_submit
from mutu.people.services import discipline_record_create
from tests.factories import make_activity, make_employee, make_enrollment, make_instrument_version

PASSWORD = "a-long-password-9"


@pytest.fixture
def person() -> dict[str, Any]:
    employee = make_employee(name="Rahmat Hidayat")
    stranger = make_employee(name="Orang Lain Sekali")
    activity = make_activity(title="Bimtek Arsip Digital")
    make_enrollment(activity=activity, employee=employee)
    make_enrollment(activity=activity, employee=stranger)
    named = make_instrument_version(kind="reaction")
    secret = make_instrument_version(kind="reaction", anonymous=True)
    secret.instrument.title_id = "Survei Rahasia Anonim"
    secret.instrument.save()
    for version in (named, secret):
        activity_instrument_attach(activity=activity, version=version, occasion="end")
    response_submit(
        version=named,
        answers={"Q1": 4, "Q3": "Materinya jelas"},
        respondent_role="participant",
        activity=activity,
        employee=employee,
        occasion="end",
    )
    response_submit(
        version=secret,
        answers={"Q1": 1, "Q3": "Pelatihnya buruk sekali"},
        respondent_role="participant",
        activity=activity,
        occasion="end",
    )
    discipline_record_create(
        employee=employee,
        level="ringan",
        sanction="Teguran lisan karena terlambat apel",
        decided_on=dt.date(2025, 5, 2),
        start=dt.date(2025, 5, 2),
    )
    user = get_user_model().objects.create_user(username="rahmat", password=PASSWORD)
    RoleAssignment.objects.create(user=user, role=Role.PARTICIPANT, employee=employee)
    return {"employee": employee, "user": user, "secret": secret, "activity": activity}


@pytest.mark.django_db
def test_the_download_holds_the_persons_data_and_nothing_anonymous_or_secret(
    person: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(person["user"])
    page = client.get("/saya/data/")
    assert page.status_code == 200
    assert 'href="/saya/data/unduh/"' in page.content.decode()
    assert 'data-testid="my-data-employee"' in page.content.decode()
    answer = client.get("/saya/data/unduh/")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/json")
    assert "attachment" in answer["Content-Disposition"]
    text = answer.content.decode()
    data = json.loads(text)
    employee = person["employee"]
    assert data["employee"][0]["nip"] == employee.nip
    assert data["account"]["username"] == "rahmat"
    assert [e["activity"] for e in data["enrollments"]] == [str(person["activity"])]
    assert [r["role"] for r in data["role_assignments"]] == ["participant"]
    assert [d["sanction"] for d in data["discipline_records"]] == [
        "Teguran lisan karena terlambat apel"
    ]
    [given] = data["responses_given"]
    assert {a["item"]: a["text"] for a in given["answers"]}["Q3"] == "Materinya jelas"
    # the named form's link is there, the anonymous form's link is not
    links = InstrumentLink.objects.filter(respondent=employee)
    assert links.count() == 2
    assert len(data["survey_links"]) == 1
    # nothing of the anonymous instrument, nobody else, no secret
    assert "Pelatihnya buruk sekali" not in text
    assert "Survei Rahasia Anonim" not in text and person["secret"].instrument.code not in text
    assert "Orang Lain Sekali" not in text
    for secret in ("password", "token_hash", "nonce", "argon2"):
        assert f'"{secret}"' not in text and "argon2$" not in text
    # logged as a personal-data export of this user
    log = ExportLog.objects.get(kind="my_data")
    assert (log.user_id, log.personal, log.channel) == (person["user"].pk, True, "web")
    assert log.rows > 0


@pytest.mark.django_db
def test_an_account_without_employee_downloads_its_account_data_only() -> None:
    user = get_user_model().objects.create_user(username="analis", password=PASSWORD)
    RoleAssignment.objects.create(user=user, role=Role.ANALYST)
    client = Client()
    client.force_login(user)
    page = client.get("/saya/data/")
    assert page.status_code == 200 and 'data-testid="my-data-download"' in page.content.decode()
    assert 'data-testid="my-data-no-employee"' in page.content.decode()
    assert 'data-testid="my-data-employee"' not in page.content.decode()
    data = json.loads(client.get("/saya/data/unduh/").content)
    assert data["account"]["username"] == "analis"
    assert "employee" not in data and "enrollments" not in data


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    client = Client()
    for url in ("/saya/data/", "/saya/data/unduh/"):
        answer = client.get(url)
        assert answer.status_code == 302 and answer["Location"].startswith("/masuk/")
    assert not ExportLog.objects.exists()
