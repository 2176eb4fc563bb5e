"""The mid-point rubric's window and the final competency assessment at the end of a placement."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from mutu.accounts.models import Role
from mutu.domain import magang
from mutu.people.models import CompetencyAssessment
from mutu.programs.models import Internship, InternshipAssessment
from tests.internships.support import World, make_world
from tests.programs.test_web_support import client_for, user_with

pytestmark = pytest.mark.django_db

GOOD = {"penguasaan_tugas": "3", "inisiatif": "4", "kerja_sama": "3", "disiplin": "3"}


def _text(page: Any) -> str:
    return html.unescape(page.content.decode())


def _rubric(stage: str) -> dict[str, str]:
    return {"stage": stage, "comment": "Baik", **{f"score_{k}": v for k, v in GOOD.items()}}


# --------------------------------------------------------------------------- mid-point window


def test_the_mid_point_rubric_is_refused_outside_its_window_in_both_languages() -> None:
    world = make_world()
    internship = world.finished_internship  # ended a month ago: its midpoint is long past
    first, last = magang.midpoint_window(internship.start, internship.end)
    assert last < timezone.localdate()
    for lang, text in (
        ("id", f"hanya dapat diisi {first:%d-%m-%Y} s.d. {last:%d-%m-%Y}"),
        ("en", f"can only be filled from {first:%d-%m-%Y} to {last:%d-%m-%Y}"),
    ):
        page = client_for(world.mentor, lang=lang).post(
            f"/magang/{internship.pk}/rubrik/", _rubric("mid"), follow=True
        )
        assert text in _text(page)
    assert not InternshipAssessment.objects.exists()
    # The end rubric has no such window; the running placement's midpoint is near.
    mentor = client_for(world.mentor, lang="en")
    assert mentor.post(f"/magang/{internship.pk}/rubrik/", _rubric("end")).status_code == 302
    assert mentor.post(f"/magang/{world.internship.pk}/rubrik/", _rubric("mid")).status_code == 302
    assert set(InternshipAssessment.objects.values_list("internship_id", "stage")) == {
        (internship.pk, "end"),
        (world.internship.pk, "mid"),
    }
    page = _text(mentor.get(f"/magang/{world.internship.pk}/"))
    first, last = magang.midpoint_window(world.internship.start, world.internship.end)
    assert 'data-testid="mid-window"' in page


def test_the_window_is_checked_before_the_midpoint_too() -> None:
    world = make_world()
    today = timezone.localdate()
    Internship.objects.filter(pk=world.internship.pk).update(end=today + timedelta(days=200))
    page = client_for(world.mentor, lang="en").post(
        f"/magang/{world.internship.pk}/rubrik/", _rubric("mid"), follow=True
    )
    assert "can only be filled from" in _text(page)
    assert not InternshipAssessment.objects.exists()


# --------------------------------------------------------------------------- final competency


def _ending_soon(world: World) -> Internship:
    """The running placement, made to end in a week (inside the final assessment's window)."""
    today = timezone.localdate()
    Internship.objects.filter(pk=world.internship.pk).update(end=today + timedelta(days=7))
    return Internship.objects.get(pk=world.internship.pk)


def test_the_mentor_records_the_final_competency_assessment_and_it_shows() -> None:
    world = make_world()
    internship = _ending_soon(world)
    mentor = client_for(world.mentor, lang="en")
    form = mentor.get(f"/magang/{internship.pk}/").content.decode()
    assert f'name="level_{world.competency.pk}"' in form
    answer = mentor.post(
        f"/magang/{internship.pk}/kompetensi/",
        {f"level_{world.competency.pk}": "3", "method": "other", "assessor": "Dr. Pembimbing"},
    )
    assert answer.status_code == 302
    record = CompetencyAssessment.objects.get(employee=world.intern)
    assert (record.competency, record.level, record.method) == (world.competency, 3, "other")
    assert record.assessor == "Dr. Pembimbing" and record.assessed_on == timezone.localdate()
    assert list(internship.final_competency.all()) == [record]
    # Recorded again (a correction): replaced, not added.
    mentor.post(
        f"/magang/{internship.pk}/kompetensi/",
        {f"level_{world.competency.pk}": "1", "method": "other", "assessor": "Dr. Pembimbing"},
    )
    assert CompetencyAssessment.objects.filter(employee=world.intern).count() == 1
    assert internship.final_competency.get().level == 1
    # BKPSDM may record it too; the intern sees it, with the standard reached or not.
    admin = client_for(user_with(Role.ADMIN))
    assert (
        admin.post(
            f"/magang/{internship.pk}/kompetensi/",
            {f"level_{world.competency.pk}": "2", "method": "uji_kompetensi", "assessor": "BKPSDM"},
        ).status_code
        == 302
    )
    intern = client_for(user_with(Role.PARTICIPANT, employee=world.intern), lang="en")
    page = _text(intern.get(f"/magang/{internship.pk}/"))
    assert "Final competency assessment" in page and "standard reached" in page
    assert "competency test (uji kompetensi)".capitalize() in page and "BKPSDM" in page
    assert f'name="level_{world.competency.pk}"' not in page
    # Only the mentor and BKPSDM record it.
    refused = intern.post(
        f"/magang/{internship.pk}/kompetensi/",
        {f"level_{world.competency.pk}": "5", "method": "self"},
    )
    assert refused.status_code == 403
    assert (
        client_for(world.other_mentor).post(f"/magang/{internship.pk}/kompetensi/").status_code
        == 404
    )
    assert CompetencyAssessment.objects.get(employee=world.intern).level == 2


@pytest.mark.parametrize(
    ("change", "id_text", "en_text"),
    [
        ({"level": "6"}, "harus bilangan bulat 1–5", "must be a whole number from 1 to 5"),
        ({"level": ""}, "harus bilangan bulat 1–5", "must be a whole number from 1 to 5"),
        ({"method": "tebakan"}, "Pilih metode penilaian", "Choose the assessment method"),
        ({"early": "yes"}, "baru dapat diisi mulai", "can be recorded from"),
    ],
)
def test_bad_final_assessments_are_refused_in_both_languages_and_nothing_is_written(
    change: dict[str, str], id_text: str, en_text: str
) -> None:
    world = make_world()
    internship = world.internship if change.get("early") else _ending_soon(world)
    form = {
        f"level_{world.competency.pk}": change.get("level", "3"),
        "method": change.get("method", "other"),
        "assessor": "Dr. Pembimbing",
    }
    for lang, text in (("id", id_text), ("en", en_text)):
        page = client_for(world.mentor, lang=lang).post(
            f"/magang/{internship.pk}/kompetensi/", form, follow=True
        )
        assert text in _text(page)
    assert not CompetencyAssessment.objects.exists()
    assert not internship.final_competency.exists()


def test_a_position_without_a_standard_has_nothing_to_assess() -> None:
    world = make_world()
    internship = world.finished_internship  # the intern's position has no standard
    page = _text(client_for(world.mentor, lang="en").get(f"/magang/{internship.pk}/"))
    assert "no competency standard to assess" in page
    refused = client_for(world.mentor, lang="en").post(
        f"/magang/{internship.pk}/kompetensi/", {"method": "other"}, follow=True
    )
    assert "has no competency standard" in _text(refused)
    assert not CompetencyAssessment.objects.exists()
