"""The internship pages: placements, the eligible list, the logbook, the mentor, completion."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from mutu.accounts.models import Role, RoleAssignment
from mutu.domain import magang
from mutu.internships.services import internship_assess
from mutu.programs.models import (
    Certificate,
    Enrollment,
    Internship,
    InternshipAssessment,
    InternshipLogEntry,
    JpLedgerEntry,
)
from tests.factories import make_employee
from tests.internships.support import make_world, plain_user, young_pns
from tests.programs.test_web_support import client_for, user_with

pytestmark = pytest.mark.django_db

GOOD = {"penguasaan_tugas": "3", "inisiatif": "4", "kerja_sama": "3", "disiplin": "3"}


def _rubric(stage: str, scores: dict[str, str] = GOOD) -> dict[str, str]:
    return {"stage": stage, "comment": "Baik", **{f"score_{k}": v for k, v in scores.items()}}


# --------------------------------------------------------------------------- placements


def test_bkpsdm_sees_placements_and_places_an_eligible_young_asn() -> None:
    world = make_world()
    admin = client_for(user_with(Role.ADMIN))
    page = admin.get("/magang/").content.decode()
    assert "Intan Magang" in page and "Oki Lain" in page and "Universitas Gunung Leuser" in page
    today = timezone.localdate()
    answer = admin.post(
        "/magang/baru/",
        {
            "nip": world.candidate.nip,
            "partner": world.partner.pk,
            "activity": world.activity.pk,
            "start": today.isoformat(),
            "end": (today + timedelta(days=60)).isoformat(),
            "mentor_name": "Dr. Rahmad",
            "objectives": "Menyusun modul ajar",
        },
    )
    assert answer.status_code == 302
    placed = Internship.objects.get(employee=world.candidate)
    assert answer["Location"] == f"/magang/{placed.pk}/"
    assert placed.host_partner == world.partner and placed.mentor_name == "Dr. Rahmad"
    assert Enrollment.objects.filter(activity=world.activity, employee=world.candidate).exists()
    detail = admin.get(f"/magang/{placed.pk}/").content.decode()
    assert "Dr. Rahmad" in detail and "Menyusun modul ajar" in detail


@pytest.mark.parametrize(
    ("change", "id_text", "en_text"),
    [
        ({"nip": "199901012020011001"}, "Tidak ada pegawai dengan NIP", "No employee with NIP"),
        ({"partner": ""}, "Pilih mitra penerima", "Choose the host partner"),
        ({"mentor_name": " "}, "Isi nama pembimbing", "Name the mentor"),
        ({"end": "2000-01-01"}, "tidak boleh sebelum", "cannot be before"),
        ({"start": ""}, "Isi tanggal mulai", "Give the start and end"),
        ({"who": "pppk"}, "tidak memenuhi syarat", "is not eligible"),
        ({"who": "intern"}, "Sudah pernah mengikuti magang", "Has already done an internship"),
    ],
)
def test_bad_placements_are_refused_in_both_languages_and_nothing_is_written(
    change: dict[str, str], id_text: str, en_text: str
) -> None:
    world = make_world()
    admin = user_with(Role.ADMIN)
    today = timezone.localdate()
    who = change.pop("who", "candidate")
    employee = {
        "candidate": world.candidate,
        "intern": world.intern,
        "pppk": make_employee(kind="PPPK", unit=world.unit_a),
    }[who]
    form = {
        "nip": employee.nip,
        "partner": str(world.partner.pk),
        "start": today.isoformat(),
        "end": (today + timedelta(days=60)).isoformat(),
        "mentor_name": "Dr. Rahmad",
        **change,
    }
    before = Internship.objects.count()
    for lang, text in (("id", id_text), ("en", en_text)):
        page = client_for(admin, lang=lang).post("/magang/baru/", form)
        assert page.status_code == 200
        assert text in page.content.decode()
    assert Internship.objects.count() == before
    assert not Enrollment.objects.filter(employee=world.candidate).exists()


def test_only_bkpsdm_places() -> None:
    world = make_world()
    operator = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_a))
    assert operator.get("/magang/baru/").status_code == 404
    assert operator.post("/magang/baru/", {"nip": world.candidate.nip}).status_code == 404


def test_the_eligible_list_per_unit_follows_the_rulebook_and_the_scope() -> None:
    world = make_world()
    young_b = young_pns(world.unit_b, timezone.localdate(), name="Bayu Muda")
    make_employee(kind="PPPK", unit=world.unit_a, name="Pipit Kontrak")
    admin = client_for(user_with(Role.ADMIN))
    page = admin.get("/magang/layak/").content.decode()
    assert "Calon Muda" in page and "Bayu Muda" in page
    assert "Pipit Kontrak" not in page  # PPPK: not covered
    assert "Intan Magang" not in page  # already placed
    assert "magang 2023.1" in page
    only_a = admin.get(f"/magang/layak/?unit={world.unit_a.code}").content.decode()
    assert "Calon Muda" in only_a and "Bayu Muda" not in only_a
    head_b = client_for(user_with(Role.UNIT_HEAD, unit=world.unit_b))
    page_b = head_b.get("/magang/layak/").content.decode()
    assert young_b.name in page_b and "Calon Muda" not in page_b
    assert head_b.get(f"/magang/layak/?unit={world.unit_a.code}").status_code == 404
    participant = client_for(user_with(Role.PARTICIPANT, employee=world.intern))
    assert participant.get("/magang/layak/").status_code == 404


# --------------------------------------------------------------------------- logbook


def test_the_intern_writes_one_entry_a_week_and_missing_weeks_are_flagged() -> None:
    world = make_world()
    internship = world.internship
    intern = client_for(user_with(Role.PARTICIPANT, employee=world.intern), lang="en")
    weeks = magang.week_starts(internship.start, internship.end)
    # Weeks 1 and 3 written (week 3 twice: the second rewrites it), week 2 left out.
    for week, text in ((weeks[0], "Orientasi"), (weeks[2], "Draf"), (weeks[2], "Modul ajar")):
        answer = intern.post(
            f"/magang/{internship.pk}/catatan/", {"week_start": week.isoformat(), "text": text}
        )
        assert answer.status_code == 302
    entries = list(InternshipLogEntry.objects.filter(internship=internship).order_by("week_start"))
    assert [(e.week_start, e.text) for e in entries] == [
        (weeks[0], "Orientasi"),
        (weeks[2], "Modul ajar"),
    ]
    page = intern.get(f"/magang/{internship.pk}/").content.decode()
    assert "Modul ajar" in page and "Draf" not in page
    assert 'data-testid="missing"' in page and "1 week is missing." in page
    listing = client_for(user_with(Role.ADMIN), lang="en").get("/magang/").content.decode()
    assert "1 week missing" in listing


@pytest.mark.parametrize(
    ("week", "text", "id_text", "en_text"),
    [
        ("current", "  ", "Isi catatan minggu ini", "Write the entry for the week"),
        ("current", "x" * 2001, "terlalu panjang", "too long"),
        ("future", "Nanti", "belum dimulai", "has not started yet"),
        ("before", "Dulu", "di luar masa magang", "outside the internship"),
        ("garbage", "Teks", "di luar masa magang", "outside the internship"),
    ],
)
def test_bad_logbook_entries_are_refused_in_both_languages(
    week: str, text: str, id_text: str, en_text: str
) -> None:
    world = make_world()
    internship = world.internship
    today = timezone.localdate()
    value = {
        "current": magang.week_of(internship.start, today).isoformat(),
        "future": (magang.week_of(internship.start, today) + timedelta(days=7)).isoformat(),
        "before": (internship.start - timedelta(days=7)).isoformat(),
        "garbage": "kemarin",
    }[week]
    user = user_with(Role.PARTICIPANT, employee=world.intern)
    for lang, expected in (("id", id_text), ("en", en_text)):
        page = client_for(user, lang=lang).post(
            f"/magang/{internship.pk}/catatan/", {"week_start": value, "text": text}, follow=True
        )
        assert expected in page.content.decode()
    assert not InternshipLogEntry.objects.exists()


# --------------------------------------------------------------------------- mentors


def test_a_mentor_sees_only_their_interns_and_reviews_them() -> None:
    world = make_world()
    entry = InternshipLogEntry.objects.create(
        internship=world.internship, week_start=world.internship.start, text="Orientasi"
    )
    other_entry = InternshipLogEntry.objects.create(
        internship=world.other_internship, week_start=world.other_internship.start, text="Lain"
    )
    mentor = client_for(world.mentor)
    listing = mentor.get("/magang/").content.decode()
    assert "Intan Magang" in listing and "Fajar Selesai" in listing
    assert "Oki Lain" not in listing
    assert mentor.get(f"/magang/{world.other_internship.pk}/").status_code == 404
    assert (
        mentor.post(f"/magang/catatan/{other_entry.pk}/tinjau/", {"comment": "x"}).status_code
        == 404
    )
    assert mentor.get("/magang/layak/").status_code == 404
    assert mentor.get("/magang/baru/").status_code == 404
    assert mentor.get(f"/kegiatan/{world.activity.pk}/").status_code == 404  # nothing else
    # Review one week, fill the mid-point rubric.
    assert (
        mentor.post(f"/magang/catatan/{entry.pk}/tinjau/", {"comment": "Bagus"}).status_code == 302
    )
    entry.refresh_from_db()
    assert entry.mentor_comment == "Bagus" and entry.reviewed_by == world.mentor
    assert mentor.post(f"/magang/{world.internship.pk}/rubrik/", _rubric("mid")).status_code == 302
    mid = InternshipAssessment.objects.get(internship=world.internship, stage="mid")
    assert mid.scores == {"penguasaan_tugas": 3, "inisiatif": 4, "kerja_sama": 3, "disiplin": 3}
    assert mid.rulebook == "magang 2023.1" and mid.assessed_by == world.mentor
    page = mentor.get(f"/magang/{world.internship.pk}/").content.decode()
    assert "Bagus" in page and "3,25" in page
    # The reviewed week is closed to the intern; the mentor cannot write the intern's log.
    intern = client_for(user_with(Role.PARTICIPANT, employee=world.intern), lang="en")
    refused = intern.post(
        f"/magang/{world.internship.pk}/catatan/",
        {"week_start": entry.week_start.isoformat(), "text": "ubah"},
        follow=True,
    )
    assert "has reviewed that week" in refused.content.decode()
    assert (
        mentor.post(
            f"/magang/{world.internship.pk}/catatan/",
            {"week_start": entry.week_start.isoformat(), "text": "x"},
        ).status_code
        == 403
    )  # sees the placement, but it is not their logbook
    # The intern neither reviews nor scores.
    assert intern.post(f"/magang/catatan/{entry.pk}/tinjau/", {"comment": "x"}).status_code == 403
    assert intern.post(f"/magang/{world.internship.pk}/rubrik/", _rubric("end")).status_code == 403
    assert InternshipAssessment.objects.filter(stage="end").count() == 0


def test_interns_and_units_reach_only_their_own() -> None:
    world = make_world()
    intern = client_for(user_with(Role.PARTICIPANT, employee=world.intern))
    assert intern.get(f"/magang/{world.internship.pk}/").status_code == 200
    assert intern.get(f"/magang/{world.other_internship.pk}/").status_code == 404
    assert "Oki Lain" not in intern.get("/magang/").content.decode()
    head_b = client_for(user_with(Role.UNIT_HEAD, unit=world.unit_b))
    assert head_b.get(f"/magang/{world.other_internship.pk}/").status_code == 200
    assert head_b.get(f"/magang/{world.internship.pk}/").status_code == 404
    stranger = client_for(plain_user())
    assert stranger.get(f"/magang/{world.internship.pk}/").status_code == 404
    assert "Intan Magang" not in stranger.get("/magang/").content.decode()


@pytest.mark.parametrize(
    ("form", "id_text", "en_text"),
    [
        (
            _rubric("mid", dict(GOOD, disiplin="5")),
            "bilangan bulat 1–4",
            "whole number from 1 to 4",
        ),
        (_rubric("mid", dict(GOOD, disiplin="")), "bilangan bulat 1–4", "whole number from 1 to 4"),
        (_rubric("awal"), "Tahap penilaian tidak dikenal", "Unknown assessment stage"),
    ],
)
def test_bad_rubrics_are_refused_in_both_languages_and_nothing_is_written(
    form: dict[str, str], id_text: str, en_text: str
) -> None:
    world = make_world()
    for lang, text in (("id", id_text), ("en", en_text)):
        page = client_for(world.mentor, lang=lang).post(
            f"/magang/{world.internship.pk}/rubrik/", form, follow=True
        )
        assert text in page.content.decode()
    assert not InternshipAssessment.objects.exists()


def test_bkpsdm_links_a_mentor_account_with_no_role() -> None:
    world = make_world()
    admin = client_for(user_with(Role.ADMIN), lang="en")
    refused = admin.post(
        f"/magang/{world.other_internship.pk}/pembimbing/", {"username": "dosen.ugl"}, follow=True
    )
    assert "needs an initial password" in refused.content.decode()
    assert not get_user_model().objects.filter(username="dosen.ugl").exists()
    answer = admin.post(
        f"/magang/{world.other_internship.pk}/pembimbing/",
        {"username": "dosen.ugl", "password": "kutacane-leuser-2026"},
    )
    assert answer.status_code == 302
    user = get_user_model().objects.get(username="dosen.ugl")
    assert not RoleAssignment.objects.filter(user=user).exists() and not user.is_staff
    mentor = client_for(user)
    assert mentor.get(f"/magang/{world.other_internship.pk}/").status_code == 200
    assert mentor.get(f"/magang/{world.internship.pk}/").status_code == 404


# --------------------------------------------------------------------------- completion


def test_certificate_and_jp_are_credited_once_at_the_end() -> None:
    world = make_world()
    internship = world.finished_internship
    admin = client_for(user_with(Role.ADMIN), lang="en")
    refused = admin.post(f"/magang/{internship.pk}/selesai/", follow=True).content.decode()
    assert "has not filled the final rubric" in refused
    low = dict(GOOD, penguasaan_tugas="2", disiplin="2")
    internship_assess(
        internship_id=internship.pk,
        stage="end",
        scores=dict(low),
        comment="",
        assessor=world.mentor,
        on=timezone.localdate(),
    )
    below = admin.post(f"/magang/{internship.pk}/selesai/", follow=True).content.decode()
    assert "below 3" in below
    assert not Certificate.objects.exists() and not JpLedgerEntry.objects.exists()
    client_for(world.mentor).post(f"/magang/{internship.pk}/rubrik/", _rubric("end"))
    for _ in range(2):
        assert admin.post(f"/magang/{internship.pk}/selesai/").status_code == 302
    certificate = Certificate.objects.get()
    enrollment = certificate.enrollment
    assert enrollment.employee == world.finished and enrollment.activity == world.activity
    assert enrollment.status == "completed" and enrollment.completed_on == internship.end
    entry = JpLedgerEntry.objects.get()
    assert entry.jp == Decimal("60.00") and entry.approval_status == "approved"
    assert entry.enrollment == enrollment and entry.date == internship.end
    assert certificate.number.startswith(f"SERT/{world.activity.code}/")
    page = client_for(user_with(Role.PARTICIPANT, employee=world.finished)).get(
        f"/magang/{internship.pk}/"
    )
    assert certificate.number in page.content.decode()
    assert f"/kegiatan/sertifikat/{certificate.pk}/pdf/" in page.content.decode()
    # Completed: the rubric is closed.
    closed = client_for(world.mentor, lang="en").post(
        f"/magang/{internship.pk}/rubrik/", _rubric("end", dict(GOOD, disiplin="4")), follow=True
    )
    assert "can no longer change" in closed.content.decode()


def test_a_running_internship_cannot_be_completed_before_its_end() -> None:
    world = make_world()
    internship_assess(
        internship_id=world.internship.pk,
        stage="end",
        scores=dict(GOOD),
        comment="",
        assessor=world.mentor,
        on=timezone.localdate(),
    )
    admin = client_for(user_with(Role.ADMIN))
    page = admin.post(f"/magang/{world.internship.pk}/selesai/", follow=True).content.decode()
    assert "selesaikan sesudahnya" in page
    assert not Certificate.objects.exists()
    assert (
        client_for(world.mentor).post(f"/magang/{world.internship.pk}/selesai/").status_code == 403
    )
    outsider = client_for(world.other_mentor)
    assert outsider.post(f"/magang/{world.internship.pk}/selesai/").status_code == 404
    assert date.today() >= world.internship.start
