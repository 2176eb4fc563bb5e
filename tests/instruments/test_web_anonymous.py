"""Anonymous instruments: no row joins answers to a person, yet staff see who has answered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from mutu.accounts.models import Role
from mutu.instruments.models import (
    Answer,
    InstrumentLink,
    Response,
    ResponseIdentity,
)
from mutu.instruments.tokens import token_for
from mutu.people.models import Employee
from tests.factories import make_instrument_version
from tests.instruments.test_web_support import (
    attach,
    enrol,
    link_of,
    open_activity,
    signed_in,
    url_of,
)

pytestmark = pytest.mark.django_db


def test_an_anonymous_answer_cannot_be_joined_back_to_the_person(client: Client) -> None:
    activity = open_activity()
    answering, silent = enrol(activity), enrol(activity)
    attachment = attach(activity, make_instrument_version(anonymous=True, kind="reaction"), "end")
    link = link_of(attachment, answering.employee)
    client.post(f"/isian/{token_for(link.nonce)}/simpan/", {"q_Q1": "2"}, HTTP_HX_REQUEST="true")

    done = client.post(url_of(link), {"q_Q1": "4", "q_Q2": "a", "q_Q3": "Ruangan dingin"})

    assert done.status_code == 302
    response = Response.objects.get()
    assert response.subject_id is None and response.activity_id == activity.pk
    assert ResponseIdentity.objects.count() == 0
    # The response keeps the day only, so its time cannot be matched to the link's use.
    local = timezone.localtime(response.submitted_at)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    link.refresh_from_db()
    assert link.is_submitted and link.submitted_at is None and link.draft == {}
    # No column of the link table points at, or repeats, anything of the response.
    related = {f.related_model for f in InstrumentLink._meta.get_fields() if f.is_relation}
    assert not related & {Response, Answer, ResponseIdentity}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {InstrumentLink._meta.db_table}")
        stored = {str(v) for row in cursor.fetchall() for v in row if v is not None}
    assert response.token not in stored
    assert not any("Ruangan" in v for v in stored)
    # Nothing on the answer side names an employee either.
    for model in (Response, Answer):
        people = [
            f.name
            for f in model._meta.get_fields()
            if f.is_relation and f.related_model is Employee
        ]
        for name in people:
            assert not model.objects.filter(**{f"{name}__isnull": False}).exists()

    # Staff still see who has not answered.
    trainer = signed_in(Role.TRAINER, activity=activity)
    page = trainer.get(f"/isian/kegiatan/{activity.code}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "1 of 2 answered" in html
    row_of = {
        e.name: html.split(e.name, 1)[1].split("</tr>", 1)[0]
        for e in (answering.employee, silent.employee)
    }
    assert "answered" in row_of[answering.employee.name]
    assert "not yet" in row_of[silent.employee.name]


def test_an_anonymous_form_does_not_show_the_persons_name(client: Client) -> None:
    activity = open_activity()
    enrollment = enrol(activity)
    attachment = attach(activity, make_instrument_version(anonymous=True, kind="reaction"), "end")
    page = client.get(url_of(link_of(attachment, enrollment.employee)), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert enrollment.employee.name not in html and enrollment.employee.nip not in html
    assert "Anonymous" in html


def test_a_named_form_keeps_identity_apart_and_the_day_and_time() -> None:
    activity = open_activity(start_date=timezone.localdate() - dt.timedelta(days=2))
    enrollment = enrol(activity)
    attachment = attach(activity, make_instrument_version(anonymous=False, kind="reaction"), "end")
    client = Client()
    client.post(url_of(link_of(attachment, enrollment.employee)), {"q_Q1": "1", "q_Q2": "b"})
    response = Response.objects.get()
    assert response.identity.employee == enrollment.employee
    link = InstrumentLink.objects.get()
    assert link.submitted_at is not None and link.is_submitted
