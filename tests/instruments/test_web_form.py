"""The form behind a personal link: phone-sized, saves progress, submits once, scores tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mutu.evaluation.pipeline.l2_learning import test_scores as pipeline_test_scores
from mutu.evaluations.selectors import evaluation_frames
from mutu.instruments.field_services import AlreadySubmitted, link_submit
from mutu.instruments.models import Answer, InstrumentLink, Response, ResponseIdentity
from mutu.instruments.selectors import link_by_token, response_score
from mutu.instruments.tokens import token_for
from tests.factories import make_instrument_version
from tests.instruments.test_web_support import (
    attach,
    enrol,
    link_of,
    make_test_version,
    open_activity,
    url_of,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true"}


def _reaction_link(anonymous: bool = False) -> InstrumentLink:
    activity = open_activity()
    enrollment = enrol(activity)
    version = make_instrument_version(anonymous=anonymous, kind="reaction")
    attachment = attach(activity, version, "end")
    return link_of(attachment, enrollment.employee)


def _nothing_stored() -> bool:
    return Response.objects.count() == Answer.objects.count() == 0


def test_the_form_is_plain_html_with_large_choices_for_every_question(client: Client) -> None:
    link = _reaction_link()
    page = client.get(url_of(link))
    html = page.content.decode()
    assert page.status_code == 200
    for point in range(1, 5):
        assert f'name="q_Q1" value="{point}"' in html
    assert 'name="q_Q2" value="b"' in html and "Kutacane" in html
    assert 'name="q_Q3"' in html and "<textarea" in html
    assert 'class="choice"' in html and "instruments.css" in html
    assert 'hx-trigger="change"' in html  # each change is saved by a small post
    assert '<meta name="viewport" content="width=device-width' in html
    assert len(page.content) < 20_000  # light for a slow connection (no framework, no images)


def test_each_change_is_saved_and_restored_when_the_link_is_opened_again(client: Client) -> None:
    link = _reaction_link()
    token = token_for(link.nonce)
    saved = client.post(f"/isian/{token}/simpan/", {"q_Q1": "3", "q_Q2": ""}, **HTMX)
    assert saved.status_code == 200 and 'class="good"' in saved.content.decode()
    link.refresh_from_db()
    assert link.draft == {"Q1": "3"}
    again = client.get(url_of(link)).content.decode()
    assert 'name="q_Q1" value="3" checked' in again
    assert 'name="q_Q1" value="2" checked' not in again
    assert _nothing_stored() and not link.is_submitted


def test_save_for_later_without_javascript_keeps_the_draft(client: Client) -> None:
    link = _reaction_link()
    page = client.post(url_of(link), {"action": "save", "q_Q2": "a", "q_Q3": "Bagus"})
    assert page.status_code == 302
    link.refresh_from_db()
    assert link.draft == {"Q2": "a", "Q3": "Bagus"}
    assert _nothing_stored()


def test_an_invalid_answer_is_refused_in_both_languages_and_nothing_is_written(
    client: Client,
) -> None:
    link = _reaction_link()
    client.post(f"/isian/{token_for(link.nonce)}/simpan/", {"q_Q1": "2"}, **HTMX)

    on_change = client.post(f"/isian/{token_for(link.nonce)}/simpan/", {"q_Q1": "7"}, **HTMX)
    assert "Pertanyaan 1: pilih salah satu nilai 1 sampai 4." in on_change.content.decode()
    refused = client.post(url_of(link), {"q_Q1": "7", "q_Q2": "zz", "q_Q3": ""})
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "Pertanyaan 1: pilih salah satu nilai 1 sampai 4." in html
    assert "Pertanyaan 2: pilihan jawaban tidak dikenal." in html
    assert 'class="q q-error" id="box-q_Q1"' in html
    english = client.post(url_of(link), {"q_Q1": "1.5", "q_Q2": "b"}, **EN)
    assert english.status_code == 400
    assert "Question 1: choose one of the values 1 to 4." in english.content.decode()

    link.refresh_from_db()
    assert link.draft == {"Q1": "2"}  # the refused values did not replace the saved one
    assert not link.is_submitted and _nothing_stored()


def test_unanswered_questions_are_named_and_nothing_is_stored(client: Client) -> None:
    link = _reaction_link()
    page = client.post(url_of(link), {"q_Q1": "4"})
    assert page.status_code == 400
    assert "Belum dijawab: pertanyaan 2." in page.content.decode()
    english = client.post(url_of(link), {"q_Q3": "x"}, **EN)
    assert "Not answered yet: questions 1 and 2." in english.content.decode()
    assert _nothing_stored()
    assert not InstrumentLink.objects.get(pk=link.pk).is_submitted


def test_a_submission_is_stored_once_and_a_second_visit_says_already_submitted(
    client: Client,
) -> None:
    link = _reaction_link(anonymous=False)
    answers = {"q_Q1": "4", "q_Q2": "b", "q_Q3": "Sangat bermanfaat"}

    first = client.post(url_of(link), answers)
    retried = client.post(url_of(link), answers, **EN)  # a double click, or a retried request

    assert first.status_code == 302
    assert retried.status_code == 200 and "Already submitted" in retried.content.decode()
    response = Response.objects.get()
    assert response.activity_id == link.attachment.activity_id
    assert response.occasion == "end" and response.respondent_role == "participant"
    assert ResponseIdentity.objects.get().employee_id == link.enrollment.employee_id
    assert {a.item.code for a in response.answers.all()} == {"Q1", "Q2", "Q3"}
    visit = client.get(url_of(link), **EN)
    assert visit.status_code == 200
    assert "Already submitted" in visit.content.decode()
    assert 'name="q_Q1"' not in visit.content.decode()


def test_two_concurrent_submissions_of_one_link_store_one_response() -> None:
    link = _reaction_link()
    stale = link_by_token(token_for(link.nonce))
    assert stale is not None
    data = {"q_Q1": "3", "q_Q2": "a"}
    link_submit(link=link, data=data)
    with pytest.raises(AlreadySubmitted) as second:
        link_submit(link=stale, data=data)  # read before the first one was saved
    assert "sudah dikirim" in second.value.message("id")
    assert "already submitted" in second.value.message("en")
    assert Response.objects.count() == 1


def test_unknown_closed_and_not_yet_open_links_say_so(client: Client) -> None:
    unknown = client.get("/isian/" + "A" * 32 + "/", **EN)
    assert unknown.status_code == 404 and "Link not found" in unknown.content.decode()
    assert client.get("/isian/not-a-token/", **EN).status_code == 404

    today = timezone.localdate()
    activity = open_activity()
    enrollment = enrol(activity)
    closed = attach(
        activity,
        make_instrument_version(kind="reaction"),
        "end",
        opens_on=today - dt.timedelta(days=9),
        closes_on=today - dt.timedelta(days=2),
    )
    later = attach(
        activity,
        make_test_version("post_test"),
        "post",
        opens_on=today + dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=9),
    )
    shut = client.get(url_of(link_of(closed, enrollment.employee)), **EN)
    assert shut.status_code == 410 and "This form is closed" in shut.content.decode()
    posted = client.post(url_of(link_of(closed, enrollment.employee)), {"q_Q1": "3", "q_Q2": "a"})
    assert posted.status_code == 410 and _nothing_stored()
    early = client.get(url_of(link_of(later, enrollment.employee)), **EN)
    assert early.status_code == 200 and "Not open yet" in early.content.decode()


def test_a_post_test_is_scored_as_the_evaluation_scores_it(client: Client) -> None:
    activity = open_activity()
    enrollment = enrol(activity)
    attachment = attach(activity, make_test_version("post_test"), "post")
    link = link_of(attachment, enrollment.employee)

    # K1 right (1 point), K2 wrong, K3 right (2 points): 3 of 4 points.
    client.post(url_of(link), {"q_K1": "b", "q_K2": "d", "q_K3": "c"})

    response = Response.objects.get()
    assert response_score(response) == 75.0
    frames = evaluation_frames(["items", "responses", "answers", "response_identities"])
    scored = pipeline_test_scores(frames)
    row = scored[scored["token"] == response.token].iloc[0]
    assert row["score"] == 75.0
    assert row["nip"] == enrollment.employee.nip
    assert row["occasion"] == "post" and row["activity"] == activity.code
    assert "75,0" in client.get(url_of(link)).content.decode()
    assert "75.0" in client.get(url_of(link), **EN).content.decode()
