"""Builders shared by the instruments-in-the-field tests (this module holds no tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from mutu.accounts.services import role_assign
from mutu.instruments import services as instrument_services
from mutu.instruments.field_services import activity_instrument_attach, skm_instrument_ensure
from mutu.instruments.models import (
    ActivityInstrument,
    InstrumentLink,
    InstrumentVersion,
    ItemType,
)
from mutu.instruments.tokens import token_for
from mutu.people.models import Employee
from mutu.programs.models import Activity, Enrollment
from tests.factories import (
    make_activity,
    make_employee,
    make_enrollment,
    make_instrument_version,
    make_scale,
    next_id,
)


def signed_in(role: str, **covers: Any) -> Client:
    """A client signed in as a new user with one role (covering a unit, activity or person)."""
    user = get_user_model().objects.create_user(username=f"u{next_id()}")
    role_assign(user_id=user.pk, role=role, **covers)
    client = Client()
    client.force_login(user)
    return client


def make_test_version(kind: str = "post_test") -> InstrumentVersion:
    """A three-question knowledge test, keys b, a, c (points 1, 1, 2)."""
    n = next_id()
    instrument = instrument_services.instrument_create(
        code=f"T{n:04d}", title_id=f"Tes {n}", title_en=f"Test {n}", kind=kind
    )
    version = instrument_services.instrument_version_create(instrument=instrument)
    for code, key, points in (("K1", "b", 1), ("K2", "a", 1), ("K3", "c", 2)):
        instrument_services.item_add(
            version=version,
            code=code,
            text_id=f"Soal {code}",
            item_type=ItemType.MULTIPLE_CHOICE,
            answer_key=key,
            points=points,
            options=[
                instrument_services.OptionSpec(o, f"Pilihan {o}", is_correct=o == key)
                for o in ("a", "b", "c", "d")
            ],
        )
    return version


def make_rating_version() -> InstrumentVersion:
    """The plan's supervisor-rating instrument PENILAIAN-ATASAN: P1 (behaviour), K1-K2 (plan)."""
    instrument = instrument_services.instrument_create(
        code="PENILAIAN-ATASAN", title_id="Penilaian atasan", kind="supervisor_rating"
    )
    version = instrument_services.instrument_version_create(instrument=instrument)
    scale = make_scale(min_value=1, max_value=5, labels={})
    for code, dim in (
        ("P1", "perilaku_kerja"),
        ("K1", "kualitas_rencana_kerja"),
        ("K2", "kualitas_rencana_kerja"),
    ):
        instrument_services.item_add(
            version=version,
            code=code,
            text_id=f"Butir {code}",
            item_type=ItemType.LIKERT,
            scale=scale,
            dimension=dim,
        )
    return instrument_services.version_publish(version=version)


def open_activity(**overrides: Any) -> Activity:
    """An activity running around today, so forms with default dates are open."""
    today = timezone.localdate()
    fields: dict[str, Any] = {"start_date": today - dt.timedelta(days=1), "end_date": today}
    fields.update(overrides)
    return make_activity(**fields)


def attach(
    activity: Activity,
    version: InstrumentVersion | None = None,
    occasion: str = "end",
    **kwargs: Any,
) -> ActivityInstrument:
    version = version or make_instrument_version(anonymous=True, kind="reaction")
    return activity_instrument_attach(
        activity=activity, version=version, occasion=occasion, **kwargs
    )


def enrol(activity: Activity, status: str = "registered", **employee: Any) -> Enrollment:
    return make_enrollment(activity=activity, employee=make_employee(**employee), status=status)


def link_of(
    attachment: ActivityInstrument, person: Employee, role: str = "participant"
) -> InstrumentLink:
    return InstrumentLink.objects.get(
        attachment=attachment, enrollment__employee=person, respondent_role=role
    )


def url_of(link: InstrumentLink) -> str:
    return f"/isian/{token_for(link.nonce)}/"


def skm_version() -> InstrumentVersion:
    """The SKM instrument from the rulebook (U1-U9 on 1-4), as a fresh installation gets it."""
    return skm_instrument_ensure()
