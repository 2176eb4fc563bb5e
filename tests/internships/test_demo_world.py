"""The demo world's magang cohort can be followed on the pages, from placement to certificate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from mutu.accounts.models import Role
from mutu.programs.models import Certificate, Internship, JpLedgerEntry
from mutu.programs.templatetags.programs_format import format_jp
from tests.browser.world import small_world_load
from tests.programs.test_web_support import client_for, user_with


@pytest.fixture(scope="module")
def demo_world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The small demo world, for this module only (flushed after)."""
    folder = tmp_path_factory.mktemp("magang-world")
    with django_db_blocker.unblock():
        small_world_load(folder)
    yield folder
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_the_cohort_from_placement_to_certificate(demo_world: Path) -> None:
    placements = Internship.objects.filter(
        activity__isnull=False, end__lt=timezone.localdate()
    ).select_related("employee", "activity")
    assert placements.count() >= 5
    completed = next(
        i
        for i in placements.order_by("-start", "employee__name")
        if Certificate.objects.filter(
            enrollment__activity=i.activity, enrollment__employee=i.employee
        ).exists()
    )
    certificate = Certificate.objects.get(
        enrollment__activity=completed.activity, enrollment__employee=completed.employee
    )
    jp = JpLedgerEntry.objects.get(enrollment=certificate.enrollment).jp
    admin = client_for(user_with(Role.ADMIN), lang="en")
    listing = admin.get("/magang/?status=ended").content.decode()
    assert f"/magang/{completed.pk}/" in listing
    assert "certificate issued" in listing
    page = admin.get(f"/magang/{completed.pk}/").content.decode()
    assert completed.employee.name in page and completed.mentor_name in page
    assert completed.host_partner is not None and completed.host_partner.name in page
    first_week = completed.log_entries.order_by("week_start").first()
    assert first_week is not None and first_week.text in page
    assert certificate.number in page and format_jp(jp, "en") in page
    # The intern follows their own placement and downloads the certificate.
    intern = client_for(user_with(Role.PARTICIPANT, employee=completed.employee), lang="en")
    own = intern.get("/magang/").content.decode()
    assert f"/magang/{completed.pk}/" in own
    mine = intern.get(f"/magang/{completed.pk}/").content.decode()
    assert certificate.number in mine and f"/kegiatan/sertifikat/{certificate.pk}/pdf/" in mine
    assert intern.get(f"/kegiatan/sertifikat/{certificate.pk}/pdf/").status_code == 200


@pytest.mark.django_db
def test_the_demo_mentor_sees_only_their_interns_and_the_rubrics_are_there(
    demo_world: Path,
) -> None:
    from django.contrib.auth import get_user_model

    from mutu.accounts.models import RoleAssignment
    from mutu.domain import magang
    from mutu.programs.models import InternshipAssessment, PartnerAgreement

    mentor = get_user_model().objects.get(username="demo-mentor")
    assert not RoleAssignment.objects.filter(user=mentor).exists() and not mentor.is_staff
    assert mentor.check_password("demo-mutu-2026")
    mine = Internship.objects.filter(mentor_user=mentor)
    assert mine.exists() and mine.values("mentor_name").distinct().count() == 1
    others = Internship.objects.exclude(mentor_user=mentor)
    client = client_for(mentor, lang="en")
    listing = client.get("/magang/").content.decode()
    assert all(f"/magang/{i.pk}/" in listing for i in mine[:50])
    stranger = others.order_by("pk").first()
    assert stranger is not None and client.get(f"/magang/{stranger.pk}/").status_code == 404
    assert client.get("/magang/mitra/").status_code == 404
    # Every certified intern has a passing end rubric and a mid-point one at the midpoint.
    for certificate in Certificate.objects.filter(enrollment__activity__form__code="magang"):
        internship = Internship.objects.get(
            activity=certificate.enrollment.activity, employee=certificate.enrollment.employee
        )
        stages = {a.stage: a for a in InternshipAssessment.objects.filter(internship=internship)}
        assert set(stages) == {"mid", "end"}
        assert stages["mid"].assessed_on == magang.midpoint(internship.start, internship.end)
        assert magang.rubric_passes({k: int(v) for k, v in stages["end"].scores.items()})
    # The placements are counted against the magang agreement; its quota use shows.
    agreement = PartnerAgreement.objects.filter(quota__isnull=False, internships__isnull=False)
    first = agreement.distinct().first()
    assert first is not None
    analyst = client_for(user_with(Role.ANALYST), lang="en")
    page = analyst.get(f"/magang/mitra/{first.partner_id}/").content.decode()
    assert f"of {first.quota} places used" in page and first.number in page
