"""The demo participant's open forms: the latest activity's reaction survey and post-test."""

from __future__ import annotations

import datetime as dt

import pytest

from mutu.domain.errors import MutuValueError
from mutu.instruments import services as instrument_services
from mutu.instruments.demo_forms import DEMO_FORM_DAYS, demo_forms_open
from mutu.instruments.models import ActivityInstrument, InstrumentLink, Response
from mutu.instruments.selectors import LinkState, link_state
from mutu.programs.models import Activity, Enrollment
from mutu.programs.services import activity_set_status
from tests.factories import make_activity, make_employee, make_enrollment, make_instrument_version
from tests.instruments.test_web_support import make_test_version

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 29)


def _given(activity: Activity, kind: str, occasion: str) -> int:
    """A published version of ``kind`` that ``activity`` gave on ``occasion`` (one response)."""
    version = make_test_version(kind) if "test" in kind else make_instrument_version(kind=kind)
    instrument_services.version_publish(version=version)
    answers = {"K1": "b"} if "test" in kind else {"Q1": 3}
    instrument_services.response_submit(
        version=version,
        answers=answers,
        respondent_role="participant",
        activity=activity,
        occasion=occasion,
    )
    return version.pk


def _world() -> tuple[Enrollment, Activity, Activity]:
    """A participant in an older and a later (done) activity, with a classmate in the later one."""
    person = make_employee()
    older = make_activity(start_date=dt.date(2025, 3, 2), end_date=dt.date(2025, 3, 3))
    later = make_activity(start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 6, 2))
    make_enrollment(activity=older, employee=person, status="completed")
    mine = make_enrollment(activity=later, employee=person, status="completed")
    make_enrollment(activity=later, employee=make_employee(), status="completed")
    activity_set_status(activity=later, status="done")
    return mine, older, later


def test_the_latest_activitys_reaction_and_post_test_open_from_today_with_links() -> None:
    mine, older, later = _world()
    reaction = _given(later, "reaction", "end")
    post = _given(later, "post_test", "post")
    _given(older, "reaction", "end")
    responses = Response.objects.count()

    opened = demo_forms_open(employee_id=mine.employee_id, today=TODAY)

    assert [(a.version_id, a.occasion) for a in opened] == [(reaction, "end"), (post, "post")]
    assert {a.activity_id for a in opened} == {later.pk}
    for attachment in opened:
        assert attachment.opens_on == TODAY
        assert attachment.closes_on == TODAY + dt.timedelta(days=DEMO_FORM_DAYS)
    mine_links = InstrumentLink.objects.filter(enrollment=mine)
    assert mine_links.count() == 2
    assert {link_state(link, TODAY) for link in mine_links} == {LinkState.OPEN}
    assert InstrumentLink.objects.filter(attachment__activity=later).count() == 4  # both people
    assert not ActivityInstrument.objects.filter(activity=older).exists()
    assert Response.objects.count() == responses  # links only: the evaluation sees no change


def test_running_again_changes_nothing_and_a_later_run_reopens_the_forms() -> None:
    mine, _older, later = _world()
    _given(later, "reaction", "end")
    first = demo_forms_open(employee_id=mine.employee_id, today=TODAY)
    tokens = set(InstrumentLink.objects.values_list("token_hash", flat=True))

    again = demo_forms_open(employee_id=mine.employee_id, today=TODAY)
    assert [a.pk for a in again] == [a.pk for a in first]
    assert ActivityInstrument.objects.count() == 1
    assert set(InstrumentLink.objects.values_list("token_hash", flat=True)) == tokens
    assert again[0].closes_on == first[0].closes_on

    month_later = TODAY + dt.timedelta(days=60)
    (reopened,) = demo_forms_open(employee_id=mine.employee_id, today=month_later)
    reopened.refresh_from_db()
    assert reopened.pk == first[0].pk
    assert reopened.opens_on == TODAY
    assert reopened.closes_on == month_later + dt.timedelta(days=DEMO_FORM_DAYS)
    link = InstrumentLink.objects.get(enrollment=mine)
    assert link_state(link, month_later) == LinkState.OPEN
    assert set(InstrumentLink.objects.values_list("token_hash", flat=True)) == tokens


def test_an_activity_without_forms_gets_the_latest_reaction_survey_and_no_test() -> None:
    mine, _older, later = _world()
    survey = make_instrument_version(kind="reaction")
    instrument_services.version_publish(version=survey)
    make_instrument_version(kind="reaction")  # a draft is never given
    (opened,) = demo_forms_open(employee_id=mine.employee_id, today=TODAY)
    assert (opened.activity_id, opened.version_id, opened.occasion) == (later.pk, survey.pk, "end")


def test_a_cancelled_or_withdrawn_activity_is_passed_over() -> None:
    mine, older, later = _world()
    _given(older, "reaction", "end")
    _given(later, "reaction", "end")
    cancelled = make_activity(start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 9, 1))
    make_enrollment(activity=cancelled, employee=mine.employee)
    Activity.objects.filter(pk=cancelled.pk).update(status="cancelled")
    withdrawn = make_activity(start_date=dt.date(2026, 10, 1), end_date=dt.date(2026, 10, 1))
    make_enrollment(activity=withdrawn, employee=mine.employee, status="withdrawn")
    (opened,) = demo_forms_open(employee_id=mine.employee_id, today=TODAY)
    assert opened.activity_id == later.pk


def test_refusals_write_nothing() -> None:
    outsider = make_employee()
    with pytest.raises(MutuValueError, match="takes part in no activity"):
        demo_forms_open(employee_id=outsider.pk, today=TODAY)
    mine, _older, later = _world()
    with pytest.raises(MutuValueError, match="no reaction survey"):
        demo_forms_open(employee_id=mine.employee_id, today=TODAY)
    _given(later, "reaction", "end")
    with pytest.raises(MutuValueError, match="at least one day"):
        demo_forms_open(employee_id=mine.employee_id, today=TODAY, days=0)
    assert not ActivityInstrument.objects.exists() and not InstrumentLink.objects.exists()
