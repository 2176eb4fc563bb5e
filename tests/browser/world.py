"""The small demo world the page tests run on, loaded once.

:func:`small_world_load` fills the current database with the ``kecil`` world
(generated, loaded, evaluated) and the demo accounts, exactly as ``mutu demo``
does on the bigger one. Run as a script (``python -m tests.browser.world
FOLDER``), it builds a fresh SQLite database in FOLDER for a server process
and writes the facts the tests need (which unit the unit head may read, one
unit and one person outside it, ...) to ``FOLDER/facts.json``.
"""

from __future__ import annotations

import json
import os
import sys
from io import StringIO
from pathlib import Path
from typing import Any

SEED = 11


def small_world_load(folder: Path) -> None:
    """Generate the small world into ``folder``, load and evaluate it, add the demo accounts."""
    from django.core.management import call_command

    from mutu.accounts.services import demo_accounts_create
    from mutu.console.world_load import world_load
    from mutu.reference.services import reference_data_load
    from mutu.synthetic import generate_world, write_world

    reference_data_load()
    write_world(generate_world(seed=SEED, scale="kecil", scenario="baseline"), folder / "world")
    world_load(directory=folder / "world")
    call_command("evaluate", json=folder / "evaluasi.json", stdout=StringIO())
    demo_accounts_create()


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
    (folder / "facts.json").write_text(json.dumps(scope_facts(), indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
