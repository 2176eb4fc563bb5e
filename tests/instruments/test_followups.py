"""``mutu followups``: L3 links 60–90 days after an activity, once; supervisors see theirs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from mutu.accounts.models import Role
from mutu.evaluation.pipeline.l3_behaviour import rating_panel
from mutu.evaluation.pipeline.plan import EvaluationPlan
from mutu.evaluations.selectors import evaluation_frames
from mutu.instruments.models import ActivityInstrument, InstrumentLink, Response
from mutu.programs.models import Activity, Enrollment
from tests.factories import make_activity, make_employee
from tests.instruments.test_web_support import enrol, make_rating_version, signed_in, url_of

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)


def _ended(days_ago: int, **kw: object) -> Activity:
    end = TODAY - dt.timedelta(days=days_ago)
    return make_activity(start_date=end - dt.timedelta(days=1), end_date=end, **kw)


def _followups(*args: str) -> str:
    out = StringIO()
    call_command("followups", *args, stdout=out)
    return out.getvalue()


def _completed_with_boss(activity: Activity) -> Enrollment:
    boss = make_employee(name="Bu Kepala")
    return enrol(activity, status="completed", supervisor=boss, name="Pak Peserta")


def test_followups_cover_activities_that_ended_60_to_90_days_ago() -> None:
    make_rating_version()
    inside = {d: _ended(d) for d in (60, 75, 90)}
    outside = {d: _ended(d) for d in (59, 91)}
    for activity in [*inside.values(), *outside.values()]:
        _completed_with_boss(activity)

    out = _followups("--today", TODAY.isoformat())

    touched = set(ActivityInstrument.objects.values_list("activity__code", flat=True).distinct())
    assert touched == {a.code for a in inside.values()}
    assert "6 new follow-up links in 3 activities" in out
    attachment = ActivityInstrument.objects.get(activity=inside[60])
    assert attachment.occasion == "after"
    assert attachment.opens_on == inside[60].end_date + dt.timedelta(days=60)
    assert attachment.version.instrument.code == EvaluationPlan().rating_instrument


def test_completed_participants_and_their_supervisors_get_a_link_once() -> None:
    make_rating_version()
    activity = _ended(70)
    done = _completed_with_boss(activity)
    alone = enrol(activity, status="completed")  # no supervisor recorded
    enrol(activity, status="failed")
    enrol(activity, status="withdrawn")

    out = _followups("--today", TODAY.isoformat(), "--base-url", "https://mutu.example.id")

    links = InstrumentLink.objects.all()
    pairs = {(link.respondent_id, link.respondent_role) for link in links}
    boss = done.employee.supervisor
    assert boss is not None
    assert pairs == {
        (done.employee.pk, "participant"),
        (boss.pk, "supervisor"),
        (alone.employee.pk, "participant"),
    }
    assert f"supervisor Bu Kepala ({boss.nip}) → {done.employee.nip}" in out
    assert "https://mutu.example.id/isian/" in out
    again = _followups("--today", TODAY.isoformat())
    assert "0 new follow-up links" in again
    assert InstrumentLink.objects.count() == 3


def test_a_supervisors_rating_feeds_level_3_and_a_self_rating_does_not() -> None:
    make_rating_version()
    activity = _ended(65)
    done = _completed_with_boss(activity)
    boss = done.employee.supervisor
    assert boss is not None
    _followups("--today", TODAY.isoformat())
    for_boss = InstrumentLink.objects.get(respondent_role="supervisor")
    for_self = InstrumentLink.objects.get(respondent_role="participant")
    today_at_window = {"q_P1": "4", "q_K1": "5", "q_K2": "4"}

    # The form is open from day 60; the test runs "today", so move the window around now.
    ActivityInstrument.objects.update(
        opens_on=timezone.localdate() - dt.timedelta(days=3),
        closes_on=timezone.localdate() + dt.timedelta(days=3),
    )
    client = Client()
    page = client.get(url_of(for_boss), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert done.employee.name in page  # the supervisor sees whom they rate
    assert client.post(url_of(for_boss), today_at_window).status_code == 302
    assert client.post(url_of(for_self), {"q_P1": "2", "q_K1": "1", "q_K2": "1"}).status_code == 302

    rated = Response.objects.get(respondent_role="supervisor")
    assert rated.subject == done.employee and rated.occasion == "after"
    assert rated.identity.employee == boss
    own = Response.objects.get(respondent_role="participant")
    assert own.subject is None and own.identity.employee == done.employee
    panel = rating_panel(evaluation_frames(["items", "responses", "answers"]), EvaluationPlan())
    assert list(panel["nip"]) == [done.employee.nip]
    assert panel["after"].iloc[0] == 4.5  # mean of K1, K2 from the supervisor only


def test_a_supervisor_sees_the_pending_follow_ups_of_their_staff() -> None:
    make_rating_version()
    activity = _ended(80)
    done = _completed_with_boss(activity)
    boss = done.employee.supervisor
    assert boss is not None
    _followups("--today", TODAY.isoformat())
    ActivityInstrument.objects.update(
        opens_on=timezone.localdate() - dt.timedelta(days=1),
        closes_on=timezone.localdate() + dt.timedelta(days=30),
    )

    mine = signed_in(Role.SUPERVISOR, employee=boss)
    page = mine.get("/isian/saya/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    link = InstrumentLink.objects.get(respondent_role="supervisor")
    assert 'data-testid="followups"' in page and done.employee.name in page
    assert url_of(link) in page
    stranger = signed_in(Role.SUPERVISOR, employee=make_employee())
    other = stranger.get("/isian/saya/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert url_of(link) not in other and done.employee.name not in other
    participant = signed_in(Role.PARTICIPANT, employee=done.employee)
    own = participant.get("/isian/saya/").content.decode()
    own_link = InstrumentLink.objects.get(respondent_role="participant")
    assert url_of(own_link) in own and url_of(link) not in own
    assert Client().get("/isian/saya/").status_code == 302

    Client().post(url_of(link), {"q_P1": "3", "q_K1": "3", "q_K2": "3"})
    after = mine.get("/isian/saya/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="followups"' not in after and "submitted" in after


def test_followups_refuse_a_bad_date_or_a_missing_rating_instrument() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _followups("--today", "28-11-2026")
    _completed_with_boss(_ended(70))
    with pytest.raises(CommandError, match=r"PENILAIAN-ATASAN.*not in the database"):
        _followups("--today", TODAY.isoformat())
    assert ActivityInstrument.objects.count() == InstrumentLink.objects.count() == 0
