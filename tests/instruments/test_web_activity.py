"""An activity's forms page: who reaches it, attaching instruments, CSV and WhatsApp exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from mutu.accounts.models import Role
from mutu.instruments.models import ActivityInstrument, InstrumentLink, Response
from mutu.instruments.tokens import token_for
from mutu.people.models import Employee
from mutu.programs.models import Activity
from tests.factories import make_instrument_version, make_program, make_unit
from tests.instruments.test_web_support import (
    attach,
    enrol,
    link_of,
    make_test_version,
    open_activity,
    signed_in,
    url_of,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _world() -> tuple[Activity, Employee, Employee, object]:
    """An activity of a program owned by BKPSDM, with participants from two other units."""
    owner = make_unit(code="BKPSDM-T")
    activity = open_activity(program=make_program(owner_unit=owner))
    here, there = make_unit(), make_unit()
    mine = enrol(activity, unit=here).employee
    theirs = enrol(activity, unit=there).employee
    attachment = attach(activity, make_instrument_version(anonymous=True, kind="reaction"), "end")
    return activity, mine, theirs, attachment


def test_who_reaches_an_activitys_forms() -> None:
    activity, mine, _theirs, _a = _world()
    url = f"/isian/kegiatan/{activity.code}/"
    owner_unit = activity.program.owner_unit
    assert signed_in(Role.ADMIN).get(url).status_code == 200
    assert signed_in(Role.TRAINER, activity=activity).get(url).status_code == 200
    assert signed_in(Role.UNIT_OPERATOR, unit=owner_unit).get(url).status_code == 200
    assert signed_in(Role.UNIT_OPERATOR, unit=mine.unit).get(url).status_code == 200
    other_activity = open_activity()
    assert signed_in(Role.TRAINER, activity=other_activity).get(url).status_code == 404
    assert signed_in(Role.UNIT_OPERATOR, unit=make_unit()).get(url).status_code == 404
    assert signed_in(Role.UNIT_HEAD, unit=owner_unit).get(url).status_code == 404
    assert signed_in(Role.ANALYST).get(url).status_code == 404  # links are personal data
    assert signed_in(Role.PARTICIPANT, employee=mine).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the sign-in page
    for export in ("tautan.csv", "whatsapp/"):
        assert signed_in(Role.ANALYST).get(url + export).status_code == 404
        assert Client().get(url + export).status_code == 302
    assert signed_in(Role.ADMIN).get("/isian/kegiatan/NO-SUCH/").status_code == 404


def test_an_operator_of_a_participants_unit_sees_only_their_own_people() -> None:
    activity, mine, theirs, _a = _world()
    operator = signed_in(Role.UNIT_OPERATOR, unit=mine.unit)
    page = operator.get(f"/isian/kegiatan/{activity.code}/").content.decode()
    assert mine.nip in page and theirs.nip not in page
    assert 'name="occasion"' not in page  # no attaching
    refused = operator.post(
        f"/isian/kegiatan/{activity.code}/",
        {"version": str(make_test_version().pk), "occasion": "post"},
    )
    assert refused.status_code == 403
    assert ActivityInstrument.objects.count() == 1
    exported = operator.get(f"/isian/kegiatan/{activity.code}/tautan.csv").content.decode()
    assert mine.nip in exported and theirs.nip not in exported


def test_attaching_creates_a_link_per_participant_with_default_dates() -> None:
    activity, mine, theirs, _a = _world()
    admin = signed_in(Role.ADMIN)
    version = make_test_version("pre_test")
    done = admin.post(
        f"/isian/kegiatan/{activity.code}/", {"version": str(version.pk), "occasion": "pre"}
    )
    assert done.status_code == 302
    attached = ActivityInstrument.objects.get(version=version)
    assert attached.closes_on == activity.start_date
    assert attached.opens_on < activity.start_date
    assert {link.respondent for link in attached.links.all()} == {mine, theirs}
    assert len({link.token_hash for link in InstrumentLink.objects.all()}) == 4


@pytest.mark.parametrize(
    ("data", "message_id", "message_en"),
    [
        (
            {"occasion": "end"},
            "hanya dapat diberikan pada: pre-test (sebelum)",
            "can only be given on: pre-test (before)",
        ),
        (
            {"occasion": "pre", "opens_on": "2026-05-10", "closes_on": "2026-05-01"},
            "Tanggal tutup tidak boleh sebelum tanggal buka.",
            "The closing date cannot be before the opening date.",
        ),
        (
            {"occasion": "pre", "opens_on": "10 Mei"},
            "Masukkan tanggal yang valid",
            "Enter a valid date",
        ),
        ({"occasion": "sometime"}, "Pilih waktu pengisian dari daftar.", "Choose an occasion"),
    ],
)
def test_a_refused_attachment_says_why_in_both_languages_and_writes_nothing(
    data: dict[str, str], message_id: str, message_en: str
) -> None:
    activity, *_ = _world()
    admin = signed_in(Role.ADMIN)
    version = make_test_version("pre_test")
    url = f"/isian/kegiatan/{activity.code}/"
    posted = {"version": str(version.pk), **data}
    page = admin.post(url, posted)
    english = admin.post(url, posted, **EN)
    assert page.status_code == english.status_code == 400
    if message_id != "Pilih waktu pengisian dari daftar.":  # a new string, not yet in the catalogue
        assert message_id in page.content.decode()
    assert message_en in english.content.decode()
    assert ActivityInstrument.objects.filter(version=version).count() == 0
    assert InstrumentLink.objects.filter(attachment__version=version).count() == 0


def test_the_skm_is_not_attached_to_an_activity() -> None:
    from tests.instruments.test_web_support import skm_version

    activity, *_ = _world()
    page = signed_in(Role.ADMIN).post(
        f"/isian/kegiatan/{activity.code}/", {"version": str(skm_version().pk), "occasion": "end"}
    )
    assert page.status_code == 400
    assert ActivityInstrument.objects.count() == 1


def test_the_csv_lists_every_link_for_a_spreadsheet() -> None:
    activity, mine, theirs, attachment = _world()
    response = signed_in(Role.ADMIN).get(f"/isian/kegiatan/{activity.code}/tautan.csv", **EN)
    assert response["Content-Type"].startswith("text/csv")
    assert f"tautan-{activity.code}.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:2] == ["Name", "NIP"] and rows[0][-1] == "Link"
    by_nip = {r[1]: r for r in rows[1:]}
    assert set(by_nip) == {mine.nip, theirs.nip}
    link = link_of(attachment, mine)
    assert by_nip[mine.nip][-1] == f"http://testserver/isian/{token_for(link.nonce)}/"
    assert by_nip[mine.nip][-2] == "no"


def test_whatsapp_text_has_one_message_per_person_with_their_open_forms() -> None:
    activity, mine, theirs, attachment = _world()
    post = attach(activity, make_test_version("post_test"), "post")
    Client().post(url_of(link_of(attachment, theirs)), {"q_Q1": "3", "q_Q2": "a"})
    Client().post(url_of(link_of(post, theirs)), {"q_K1": "a", "q_K2": "a", "q_K3": "a"})
    admin = signed_in(Role.ADMIN)

    page = admin.get(f"/isian/kegiatan/{activity.code}/whatsapp/", **EN).content.decode()

    reaction_link = f"http://testserver/isian/{token_for(link_of(attachment, mine).nonce)}/"
    post_link = f"http://testserver/isian/{token_for(link_of(post, mine).nonce)}/"
    assert page.count('data-testid="wa-message"') == 1  # one message, both of her links
    assert mine.name in page and reaction_link in page and post_link in page
    assert "wa.me/?text=" in page
    assert "Left out because they answered everything: 1." in page
    everyone = admin.get(f"/isian/kegiatan/{activity.code}/whatsapp/?semua=1")
    assert everyone.content.decode().count('data-testid="wa-message"') == 2
    text = admin.get(f"/isian/kegiatan/{activity.code}/whatsapp/?format=txt", **EN)
    assert text["Content-Type"].startswith("text/plain")
    body = text.content.decode()
    assert body.startswith(f"Dear {mine.name},") and body.endswith("Thank you.")
    assert reaction_link in body and post_link in body
    assert theirs.name not in body


def test_an_instrument_is_removed_only_while_nobody_has_answered() -> None:
    activity, mine, _theirs, attachment = _world()
    admin = signed_in(Role.ADMIN)
    spare = attach(activity, make_test_version("post_test"), "post")
    assert admin.post(f"/isian/kegiatan/{activity.code}/lepas/{spare.pk}/").status_code == 302
    assert not ActivityInstrument.objects.filter(pk=spare.pk).exists()
    Client().post(url_of(link_of(attachment, mine)), {"q_Q1": "3", "q_Q2": "a"})
    page = admin.post(f"/isian/kegiatan/{activity.code}/lepas/{attachment.pk}/", follow=True)
    assert "sudah diisi peserta" in page.content.decode()
    assert ActivityInstrument.objects.filter(pk=attachment.pk).exists()
    assert Response.objects.count() == 1
    partial = signed_in(Role.UNIT_OPERATOR, unit=mine.unit)
    assert (
        partial.post(f"/isian/kegiatan/{activity.code}/lepas/{attachment.pk}/").status_code == 403
    )


def test_the_forms_index_lists_the_users_activities_and_sends_people_to_their_own() -> None:
    activity, mine, _theirs, _a = _world()
    other = open_activity()
    trainer = signed_in(Role.TRAINER, activity=activity)
    page = trainer.get("/isian/").content.decode()
    assert activity.code in page and other.code not in page
    assert (
        signed_in(Role.ADMIN)
        .get("/isian/?q=" + other.code)
        .content.decode()
        .count("/isian/kegiatan/")
        == 1
    )
    person = signed_in(Role.PARTICIPANT, employee=mine).get("/isian/")
    assert person.status_code == 302 and person["Location"].endswith("/isian/saya/")
    assert signed_in(Role.ANALYST).get("/isian/").status_code == 404
