"""The small demo world the page tests run on, loaded once.

:func:`small_world_load` fills the current database with the ``kecil`` world
(generated, loaded, evaluated), the demo accounts and the demo participant's
open forms, exactly as ``mutu demo`` does on the bigger one.
:func:`field_work_prepare` adds what the day-to-day flows need, through the
project's services: a training running today (its last session to record,
its post-test and reaction survey open, the personal links made). Run as a
script (``python -m tests.browser.world FOLDER``), it builds a fresh SQLite
database in FOLDER for a server process and writes the facts the tests need
(which unit the unit head may read, one unit and one person outside it, the
participant's post-test link, ...) to ``FOLDER/facts.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from io import StringIO
from pathlib import Path
from typing import Any

from django.utils import timezone

SEED = 11


def small_world_load(folder: Path) -> None:
    """Generate the small world into ``folder``, load and evaluate it, add the demo accounts.

    The demo participant's forms are opened too, as ``mutu demo`` does.
    """
    from django.core.management import call_command

    from mutu.accounts.services import demo_accounts_create
    from mutu.console.world_load import world_load
    from mutu.instruments.demo_forms import demo_forms_open
    from mutu.reference.services import reference_data_load
    from mutu.synthetic import generate_world, write_world

    reference_data_load()
    write_world(generate_world(seed=SEED, scale="kecil", scenario="baseline"), folder / "world")
    world_load(directory=folder / "world")
    call_command("evaluate", json=folder / "evaluasi.json", stdout=StringIO())
    demo_accounts_create()
    demo_forms_open(employee_id=demo_participant_id(), today=timezone.localdate())


def demo_participant_id() -> int:
    from mutu.accounts.models import Role, RoleAssignment

    return RoleAssignment.objects.get(role=Role.PARTICIPANT, is_demo=True).employee_id


def field_work_prepare() -> dict[str, Any]:
    """A public-service training running today, with the demo participant and operator's staff.

    Three daily sessions ending today (the operator records the last one), the
    demo participant and seven people of the demo operator's unit registered,
    and the program's post-test and the reaction survey attached with their
    default dates (open from the last day for a week), links made.
    """
    from mutu.accounts.models import Role, RoleAssignment
    from mutu.instruments.field_services import activity_instrument_attach
    from mutu.instruments.models import InstrumentLink, InstrumentVersion
    from mutu.instruments.tokens import token_for
    from mutu.people.models import Employee
    from mutu.programs.models import Activity, Enrollment, Program
    from mutu.programs.services import (
        SessionSpec,
        activity_create,
        activity_set_status,
        enrollment_nominate,
        enrollment_register,
    )

    today = timezone.localdate()
    program = Program.objects.get(code="PMPP")
    model = Activity.objects.filter(program=program).latest("start_date", "code")
    number = 1 + Activity.objects.filter(code__startswith=f"PMPP-{today.year}-").count()
    days = [today - dt.timedelta(days=back) for back in (2, 1, 0)]
    topics = ["Standar pelayanan", "Maklumat dan pengaduan", "Survei kepuasan masyarakat"]
    activity = activity_create(
        program=program,
        code=f"PMPP-{today.year}-{number:02d}",
        title=f"Pelatihan Manajemen Pelayanan Publik {today.year} Kelas {number}",
        form=model.form,
        jp=model.jp,
        start_date=days[0],
        end_date=days[-1],
        venue="Aula BKPSDM, Kutacane",
        capacity=model.capacity,
        status="open",
        sessions=[
            SessionSpec(_at(day, 8), _at(day, 16), topic)
            for day, topic in zip(days, topics, strict=True)
        ],
    )
    operator_unit = RoleAssignment.objects.get(role=Role.UNIT_OPERATOR, is_demo=True).unit_id
    staff = Employee.objects.filter(unit_id=operator_unit, is_active=True).order_by("nip")
    participant = demo_participant_id()
    enrollment_nominate(
        activity_id=activity.pk,
        employee_ids=[participant, *staff.values_list("pk", flat=True)[:7]],
    )
    enrollment_register(enrollment_ids=list(activity.enrollments.values_list("pk", flat=True)))
    activity = activity_set_status(activity=activity, status="running")

    def latest(code: str) -> InstrumentVersion:
        return InstrumentVersion.objects.filter(instrument__code=code).latest("version")

    post = activity_instrument_attach(
        activity=activity, version=latest("TEST-PMPP-POST"), occasion="post"
    )
    activity_instrument_attach(activity=activity, version=latest("REAKSI"), occasion="end")
    link = InstrumentLink.objects.get(
        attachment=post, enrollment__employee_id=participant, respondent_role="participant"
    )
    enrollment = Enrollment.objects.get(activity=activity, employee_id=participant)
    last_session = activity.sessions.order_by("starts_at").last()
    assert last_session is not None
    return {
        "activity_pk": activity.pk,
        "activity_title": activity.title,
        "session_pk": last_session.pk,
        "operator_roster": 7,
        "post_test_token": token_for(link.nonce),
        "post_test_title": post.version.instrument.title_id,
        "post_test_version_pk": post.version_id,
        "post_test_questions": post.version.items.count(),
        "participant_enrollment_pk": enrollment.pk,
    }


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def public_facts() -> dict[str, Any]:
    """The counter whose citizens' survey is tested, and the participant's latest certificate."""
    from django.db.models import Count

    from mutu.people.models import Employee, Unit
    from mutu.programs.models import Certificate

    counter = (
        Unit.objects.filter(is_active=True)
        .annotate(n=Count("responses"))
        .order_by("-n", "code")
        .first()
    )
    participant = Employee.objects.get(pk=demo_participant_id())
    certificate = (
        Certificate.objects.filter(enrollment__employee=participant)
        .order_by("-issued_on", "-pk")
        .first()
    )
    assert counter is not None and certificate is not None
    return {
        "skm_unit_code": counter.code,
        "skm_unit_name": counter.name,
        "participant_name": participant.name,
        "certificate_number": certificate.number,
    }


def scope_facts() -> dict[str, Any]:
    """Ids the tests type into URLs: inside and outside the demo unit head's reach."""
    from django.contrib.auth import get_user_model

    from mutu.accounts.scope import scope_for
    from mutu.people.models import Employee, Unit

    users = get_user_model().objects
    head = scope_for(users.get(username="demo-kepala"))
    participant = scope_for(users.get(username="demo-peserta"))
    head_unit = Unit.objects.get(role_assignments__role="unit_head", role_assignments__is_demo=True)
    outside_unit = Unit.objects.exclude(pk__in=head.read_units).order_by("code").first()
    inside_person = Employee.objects.filter(unit_id__in=head.read_units).order_by("nip").first()
    outside_person = Employee.objects.exclude(unit_id__in=head.read_units).order_by("nip").first()
    assert outside_unit and inside_person and outside_person
    return {
        "head_unit_code": head_unit.code,
        "head_unit_name": head_unit.name,
        "outside_unit_code": outside_unit.code,
        "inside_person_pk": inside_person.pk,
        "outside_person_pk": outside_person.pk,
        "participant_pk": participant.employee_id,
    }


def main(folder: Path) -> None:
    """Build a fresh database in ``folder`` (the environment points Django at it)."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.config.settings")
    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    small_world_load(folder)
    facts = {**scope_facts(), **field_work_prepare(), **public_facts()}
    (folder / "facts.json").write_text(json.dumps(facts, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
