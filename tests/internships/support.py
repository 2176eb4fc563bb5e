"""A small internship world for the page tests: two units, interns, mentors, a magang activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from mutu.internships.services import internship_place
from mutu.people.models import Competency, Employee, Unit
from mutu.people.services import competency_standard_set
from mutu.programs.models import Activity, Internship, Partner
from tests.factories import (
    make_activity,
    make_competency,
    make_employee,
    make_form,
    make_partner,
    make_position,
    make_unit,
    next_id,
    pns_nip,
)
from tests.programs.test_web_support import PASSWORD


def months_before(day: date, months: int) -> tuple[int, int]:
    """(year, month) ``months`` before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def young_pns(unit: Unit, start: date, **overrides: Any) -> Employee:
    """A PNS of 28 appointed on the 1st of the month six months before ``start``."""
    year, month = months_before(start, 6)
    fields: dict[str, Any] = {
        "nip": pns_nip(birth=date(year - 28, 5, 10), appointed=(year, month)),
        "tmt_cpns": date(year, month, 1),
        "unit": unit,
    }
    fields.update(overrides)
    return make_employee(**fields)


def plain_user() -> Any:
    """An account with no role at all: a mentor from outside government."""
    return get_user_model().objects.create_user(username=f"mentor{next_id()}", password=PASSWORD)


@dataclass
class World:
    unit_a: Unit
    unit_b: Unit
    partner: Partner
    activity: Activity
    competency: Competency
    intern: Employee  # unit A, placed, running (started four weeks ago)
    other: Employee  # unit B, placed with another mentor, running
    finished: Employee  # unit A, placement ended last month
    candidate: Employee  # unit A, eligible, not placed
    internship: Internship
    other_internship: Internship
    finished_internship: Internship
    mentor: Any
    other_mentor: Any


def make_world() -> World:
    today = timezone.localdate()
    start = today - timedelta(days=28)
    unit_a, unit_b = make_unit(name="Dinas Alpha"), make_unit(name="Dinas Beta")
    position = make_position(unit=unit_a, kind="pelaksana")
    competency = make_competency(type="teknis")
    competency_standard_set(position=position, competency=competency, required_level=2)
    partner = make_partner(name="Universitas Gunung Leuser")
    ended_start = today - timedelta(days=120)
    activity = make_activity(
        form=make_form("magang"),
        jp=Decimal("60"),
        title="Magang ASN muda",
        start_date=ended_start,
        end_date=today + timedelta(days=90),
    )
    intern = young_pns(unit_a, start, position=position, name="Intan Magang")
    other = young_pns(unit_b, start, name="Oki Lain")
    finished = young_pns(unit_a, ended_start, name="Fajar Selesai")
    candidate = young_pns(unit_a, today, name="Calon Muda")
    mentor, other_mentor = plain_user(), plain_user()

    def place(employee: Employee, begin: date, end: date, user: Any, **kw: Any) -> Internship:
        internship = internship_place(
            employee_id=employee.pk,
            host_partner_id=partner.pk,
            start=begin,
            end=end,
            mentor_name="Dr. Pembimbing",
            objectives="Mencapai standar kompetensi teknis",
            activity_id=activity.pk,
            **kw,
        )
        internship.mentor_user = user
        internship.save(update_fields=["mentor_user"])
        return internship

    return World(
        unit_a=unit_a,
        unit_b=unit_b,
        partner=partner,
        activity=activity,
        competency=competency,
        intern=intern,
        other=other,
        finished=finished,
        candidate=candidate,
        internship=place(
            intern, start, start + timedelta(days=83), mentor, competency_id=competency.pk
        ),
        other_internship=place(other, start, start + timedelta(days=83), other_mentor),
        finished_internship=place(finished, ended_start, today - timedelta(days=30), mentor),
        mentor=mentor,
        other_mentor=other_mentor,
    )
