"""The citizens' SKM: public, anonymous, rate-limited, feeding the unit's IKM; its QR poster."""

from __future__ import annotations

import pytest
import segno
from django.test import Client

from mutu.evaluations.selectors import evaluation_frames
from mutu.indices.frames import skm_wide
from mutu.indices.skm import skm
from mutu.instruments.models import Answer, PublicFormRate, Response, ResponseIdentity
from mutu.instruments.skm_texts import SKM_QUESTIONS
from tests.factories import make_unit
from tests.instruments.test_web_support import skm_version

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _answers(*scores: int) -> dict[str, str]:
    return {f"q_U{i}": str(s) for i, s in enumerate(scores, start=1)}


def _nothing_stored() -> bool:
    return Response.objects.count() == Answer.objects.count() == 0


def test_the_form_asks_the_nine_elements_in_plain_indonesian_without_sign_in() -> None:
    unit = make_unit(name="Puskesmas Lawe Alas")
    page = Client().get(f"/isian/skm/{unit.code}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Puskesmas Lawe Alas" in html
    for code in (f"U{i}" for i in range(1, 10)):
        assert SKM_QUESTIONS[code].question_id in html
        for point in range(1, 5):
            assert f'name="q_{code}" value="{point}"' in html
    assert "Sangat sopan dan ramah" in html and "Dikelola dengan baik" in html
    english = Client().get(f"/isian/skm/{unit.code}/", **EN).content.decode()
    assert SKM_QUESTIONS["U3"].question_en in english


def test_a_submission_is_stored_anonymously_for_the_unit() -> None:
    unit = make_unit()
    client = Client()
    done = client.post(f"/isian/skm/{unit.code}/", _answers(4, 3, 3, 4, 3, 4, 4, 2, 3))
    assert done.status_code == 302 and done["Location"].endswith("/terima-kasih/")
    response = Response.objects.get()
    assert response.unit == unit and response.respondent_role == "citizen"
    assert response.subject is None and response.activity is None and response.occasion == ""
    assert ResponseIdentity.objects.count() == 0
    assert sorted(a.value for a in response.answers.all()) == sorted([4, 3, 3, 4, 3, 4, 4, 2, 3])
    thanks = client.get(done["Location"], **EN)
    assert thanks.status_code == 200 and "Thank you" in thanks.content.decode()


@pytest.mark.parametrize(
    ("data", "message_id", "message_en"),
    [
        (
            _answers(4, 3, 5, 4, 3, 4, 4, 2, 3),
            "Pertanyaan 3: pilih salah satu nilai 1 sampai 4.",
            "Question 3: choose one of the values 1 to 4.",
        ),
        (
            _answers(4, 3, 3, 4, 3, 4, 4, 2),
            "Belum dijawab: pertanyaan 9.",
            "Not answered yet: question 9.",
        ),
        (
            {**_answers(4, 3, 3, 4, 3, 4, 4, 2, 3), "q_U1": "sangat"},
            "Pertanyaan 1: pilih salah satu nilai 1 sampai 4.",
            "Question 1: choose one of the values 1 to 4.",
        ),
    ],
)
def test_a_bad_answer_is_refused_in_both_languages_and_nothing_is_stored(
    data: dict[str, str], message_id: str, message_en: str
) -> None:
    unit = make_unit()
    page = Client().post(f"/isian/skm/{unit.code}/", data)
    english = Client().post(f"/isian/skm/{unit.code}/", data, **EN)
    assert page.status_code == english.status_code == 400
    assert message_id in page.content.decode()
    assert message_en in english.content.decode()
    assert _nothing_stored()
    assert PublicFormRate.objects.count() == 0  # a refused answer does not use up the quota


def test_submissions_are_rate_limited_per_client_address(settings: object) -> None:
    settings.MUTU_SKM_RATE_LIMIT = 2  # type: ignore[attr-defined]
    unit = make_unit()
    url = f"/isian/skm/{unit.code}/"
    data = _answers(3, 3, 3, 3, 3, 3, 3, 3, 3)
    counter = Client(REMOTE_ADDR="10.1.2.3")
    assert counter.post(url, data).status_code == 302
    assert counter.post(url, data).status_code == 302

    third = counter.post(url, data)
    english = counter.post(url, data, **EN)

    assert third.status_code == english.status_code == 429
    assert "paling banyak 2 per jam" in third.content.decode()
    assert "at most 2 an hour" in english.content.decode()
    assert Response.objects.count() == 2
    assert Client(REMOTE_ADDR="10.9.9.9").post(url, data).status_code == 302
    assert Response.objects.count() == 3
    keys = list(PublicFormRate.objects.values_list("key", flat=True))
    assert keys and not any("10.1.2.3" in k or "10.9.9.9" in k for k in keys)


def test_the_responses_feed_the_units_ikm() -> None:
    unit, other = make_unit(), make_unit()
    rows = [
        (4, 4, 3, 4, 3, 4, 4, 3, 3),
        (3, 3, 3, 3, 3, 3, 3, 3, 3),
        (4, 3, 2, 4, 3, 4, 4, 2, 3),
        (2, 3, 3, 4, 3, 3, 4, 3, 2),
        (4, 4, 4, 4, 4, 4, 4, 4, 4),
    ]
    for i, row in enumerate(rows):
        Client(REMOTE_ADDR=f"10.0.0.{i}").post(f"/isian/skm/{unit.code}/", _answers(*row))
    Client().post(f"/isian/skm/{other.code}/", _answers(*([1] * 9)))

    frames = evaluation_frames(["responses", "answers"])
    wide = skm_wide(frames["responses"], frames["answers"])
    result = skm(wide, by="unit")

    nrr = [sum(r[i] for r in rows) / len(rows) for i in range(9)]
    expected = 25 * sum(nrr) / 9
    ikm = result.groups["ikm"]
    assert ikm[unit.code] == pytest.approx(expected)
    assert result.groups["n"][unit.code] == 5
    assert ikm[other.code] == pytest.approx(25.0)


def test_an_unknown_or_inactive_unit_has_no_form() -> None:
    gone = make_unit(is_active=False)
    for url in (
        "/isian/skm/NO-SUCH/",
        f"/isian/skm/{gone.code}/",
        f"/isian/skm/{gone.code}/poster/",
    ):
        page = Client().get(url, **EN)
        assert page.status_code == 404 and "Unit not found" in page.content.decode()
    assert Client().post(f"/isian/skm/{gone.code}/", _answers(*([3] * 9))).status_code == 404
    assert _nothing_stored()


def test_the_poster_carries_a_qr_code_of_the_absolute_form_address() -> None:
    unit = make_unit(name="Dinas Kependudukan")
    page = Client().get(f"/isian/skm/{unit.code}/poster/", **EN)
    html = page.content.decode()
    url = f"http://testserver/isian/skm/{unit.code}/"
    assert page.status_code == 200 and "Dinas Kependudukan" in html and url in html
    assert "<svg" in html and "<img" not in html
    # The drawn modules are those of the form's address.
    path = segno.make(url, error="m").svg_inline(scale=8, border=2).split(' d="', 1)[1]
    assert path.split('"', 1)[0] in html


def test_the_skm_instrument_is_created_from_the_rulebook_once() -> None:
    first, second = skm_version(), skm_version()
    assert first == second
    assert [i.code for i in first.items.order_by("order")] == [f"U{i}" for i in range(1, 10)]
    assert first.instrument.is_anonymous and first.is_locked


def test_behind_a_local_proxy_the_address_it_appends_is_the_client(settings: object) -> None:
    settings.MUTU_SKM_RATE_LIMIT = 1  # type: ignore[attr-defined]
    unit = make_unit()
    url = f"/isian/skm/{unit.code}/"
    data = _answers(*([3] * 9))
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    assert proxy.post(url, data, HTTP_X_FORWARDED_FOR="1.1.1.1, 10.0.0.7").status_code == 302
    # Changing the part the client controls does not get round the limit.
    assert proxy.post(url, data, HTTP_X_FORWARDED_FOR="9.9.9.9, 10.0.0.7").status_code == 429
    assert proxy.post(url, data, HTTP_X_FORWARDED_FOR="10.0.0.8").status_code == 302
    # From elsewhere the header is not believed at all.
    direct = Client(REMOTE_ADDR="10.5.5.5")
    assert direct.post(url, data, HTTP_X_FORWARDED_FOR="10.0.0.99").status_code == 302
    assert direct.post(url, data, HTTP_X_FORWARDED_FOR="10.0.0.98").status_code == 429
    assert Response.objects.count() == 3
