"""The demo's open forms: something for the demo participant to fill in the web application.

The synthetic world's forms were all answered (or closed) long before the
demo is built, so a participant who signs in would find nothing to do.
:func:`demo_forms_open` attaches the reaction survey and, when the activity
has one, the post-test of the participant's latest activity again, open from
today for the coming weeks, and creates the personal links.  It writes
attachments and links only, never a response, so the evaluation of the demo
world does not change.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from mutu.domain.errors import MutuValueError
from mutu.instruments.field_services import activity_instrument_attach, links_ensure
from mutu.instruments.models import ActivityInstrument, InstrumentKind, InstrumentVersion, Occasion
from mutu.programs.models import ActivityStatus, Enrollment
from mutu.programs.models.activities import ACTIVE_ENROLLMENT

__all__ = ["DEMO_FORMS", "DEMO_FORM_DAYS", "demo_forms_open"]

#: How long the demo's forms stay open, counted from the day the demo is built.
DEMO_FORM_DAYS = 28
#: The forms given again, (kind, occasion), in this order.
DEMO_FORMS = ((InstrumentKind.REACTION, Occasion.END), (InstrumentKind.POST_TEST, Occasion.POST))


def _version_given(activity_id: int, kind: str, occasion: str) -> InstrumentVersion | None:
    """The version of ``kind`` the activity gave on ``occasion`` (as its responses show).

    Without such responses: the latest published reaction survey for a
    reaction, nothing for a test (an activity without a test gets none).
    """
    given = (
        InstrumentVersion.objects.filter(
            instrument__kind=kind,
            responses__activity_id=activity_id,
            responses__occasion=occasion,
        )
        .select_related("instrument")
        .order_by("-version", "-pk")
        .first()
    )
    if given is not None or kind != InstrumentKind.REACTION:
        return given
    return (
        InstrumentVersion.objects.filter(instrument__kind=kind, published_at__isnull=False)
        .select_related("instrument")
        .order_by("-published_at", "-pk")
        .first()
    )


@transaction.atomic
def demo_forms_open(
    *, employee_id: int, today: dt.date, days: int = DEMO_FORM_DAYS
) -> list[ActivityInstrument]:
    """Open the reaction survey and post-test of the employee's latest activity for ``days``.

    The latest activity is the one with the latest start among the employee's
    active enrollments (cancelled activities left out).  Each form is the
    version the activity gave (see :func:`_version_given`), attached on its
    occasion from ``today`` to ``today + days`` with a personal link for every
    participant.  Idempotent: a form already attached keeps its attachment and
    links; only when its window no longer covers today is it moved to cover
    today and the coming ``days``.

    Returns
    -------
    list of ActivityInstrument
        The attachments now open, in the order of :data:`DEMO_FORMS`.

    Raises
    ------
    MutuValueError
        The employee takes part in no activity, or there is no form to give.
    """
    if days < 1:
        raise MutuValueError(
            "Formulir demo harus dibuka minimal satu hari.",
            "The demo forms must be open for at least one day.",
            field="days",
        )
    enrollment = (
        Enrollment.objects.filter(employee_id=employee_id, status__in=ACTIVE_ENROLLMENT)
        .exclude(activity__status=ActivityStatus.CANCELLED)
        .select_related("activity")
        .order_by("-activity__start_date", "-activity_id")
        .first()
    )
    if enrollment is None:
        raise MutuValueError(
            "Peserta demo tidak terdaftar di kegiatan mana pun.",
            "The demo participant takes part in no activity.",
            field="employee",
        )
    activity = enrollment.activity
    closes_on = today + dt.timedelta(days=days)
    opened: list[ActivityInstrument] = []
    for kind, occasion in DEMO_FORMS:
        version = _version_given(activity.pk, kind, occasion)
        if version is None:
            continue
        attachment = ActivityInstrument.objects.filter(
            activity=activity, version__instrument_id=version.instrument_id, occasion=occasion
        ).first()
        if attachment is None:
            attachment = activity_instrument_attach(
                activity=activity,
                version=version,
                occasion=occasion,
                opens_on=today,
                closes_on=closes_on,
            )
        elif not attachment.opens_on <= today <= attachment.closes_on:
            attachment.opens_on = min(attachment.opens_on, today)
            attachment.closes_on = closes_on
            attachment.save(update_fields=["opens_on", "closes_on"])
        opened.append(attachment)
    if not opened:
        raise MutuValueError(
            "Tidak ada survei reaksi untuk dibuka.",
            "There is no reaction survey to open.",
            field="version",
        )
    links_ensure(activity=activity)
    return opened
