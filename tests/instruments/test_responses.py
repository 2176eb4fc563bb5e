"""Instruments: versions and items, responses all-or-nothing, anonymity kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mutu.instruments.models import Answer, Response, ResponseIdentity, Scale
from mutu.instruments.services import (
    item_add,
    response_identity_attach,
    response_submit,
    version_publish,
)
from tests.factories import make_employee, make_instrument_version, make_scale

pytestmark = pytest.mark.django_db


def test_a_response_is_stored_with_its_answers_and_identity() -> None:
    version = make_instrument_version(anonymous=False)
    employee = make_employee()

    response = response_submit(
        version=version,
        answers={"Q1": 4, "Q2": "b", "Q3": "Sangat bermanfaat"},
        respondent_role="participant",
        employee=employee,
    )

    answers = {a.item.code: a for a in response.answers.all()}
    assert answers["Q1"].value == Decimal(4)
    assert answers["Q2"].option is not None
    assert answers["Q2"].option.is_correct
    assert answers["Q3"].text == "Sangat bermanfaat"
    assert response.identity.employee == employee
    version.refresh_from_db()
    assert version.is_locked


def test_an_anonymous_instrument_refuses_an_identity_and_writes_nothing() -> None:
    version = make_instrument_version(anonymous=True)

    with pytest.raises(ValidationError) as refused:
        response_submit(
            version=version,
            answers={"Q1": 3},
            respondent_role="citizen",
            employee=make_employee(),
        )

    assert "employee" in refused.value.message_dict
    assert (
        Response.objects.count() == Answer.objects.count() == ResponseIdentity.objects.count() == 0
    )


def test_an_identity_cannot_be_attached_to_an_anonymous_response() -> None:
    version = make_instrument_version(anonymous=True)
    response = response_submit(version=version, answers={"Q1": 2}, respondent_role="citizen")
    employee = make_employee()

    with pytest.raises(ValidationError):
        ResponseIdentity(response=response, employee=employee).full_clean()
    with pytest.raises(ValidationError):
        response_identity_attach(response=response, employee=employee)
    assert ResponseIdentity.objects.count() == 0


def test_an_anonymous_instrument_refuses_a_rated_subject_and_writes_nothing() -> None:
    version = make_instrument_version(anonymous=True)

    with pytest.raises(ValidationError) as refused:
        response_submit(
            version=version,
            answers={"Q1": 3},
            respondent_role="citizen",
            subject=make_employee(),
        )

    assert "subject" in refused.value.message_dict
    assert Response.objects.count() == Answer.objects.count() == 0


def test_a_supervisor_rating_names_the_employee_rated() -> None:
    version = make_instrument_version()
    rated, supervisor = make_employee(), make_employee()
    response = response_submit(
        version=version,
        answers={"Q1": 4},
        respondent_role="supervisor",
        employee=supervisor,
        subject=rated,
        occasion="after",
    )
    assert response.subject == rated
    assert response.identity.employee == supervisor
    assert response.occasion == "after"


def test_one_bad_answer_means_no_response_at_all() -> None:
    version = make_instrument_version()

    with pytest.raises(ValidationError) as refused:
        response_submit(
            version=version,
            answers={"Q1": 7, "Q2": "z", "Q9": 1},
            respondent_role="participant",
        )

    problems = refused.value.message_dict["answers"]
    assert len(problems) == 3
    assert problems[0].startswith("Q1:")
    assert Response.objects.count() == Answer.objects.count() == 0


def test_a_locked_version_takes_no_new_items() -> None:
    version = version_publish(version=make_instrument_version())
    with pytest.raises(ValidationError):
        item_add(version=version, code="Q4", text_id="Baru", item_type="text")


def test_item_rules() -> None:
    version = make_instrument_version()
    with pytest.raises(ValidationError):
        item_add(version=version, code="L", text_id="Tanpa skala", item_type="likert")
    with pytest.raises(ValidationError):
        item_add(version=version, code="T", text_id="Teks", item_type="text", is_reverse=True)
    with pytest.raises(ValidationError):
        item_add(
            version=version, code="M", text_id="Pilih", item_type="multiple_choice", answer_key="x"
        )


def test_scale_range_and_labels() -> None:
    with pytest.raises(ValidationError):
        make_scale(labels={"9": {"id": "?"}})
    scale = make_scale()
    with pytest.raises(IntegrityError), transaction.atomic():
        Scale.objects.filter(pk=scale.pk).update(max_value=1)


@pytest.mark.parametrize("anonymous", [True, False])
def test_anonymity_cannot_be_switched_once_responses_exist(anonymous: bool) -> None:
    version = make_instrument_version(anonymous=anonymous)
    instrument = version.instrument
    # Before any response the setting may still change (and back).
    instrument.is_anonymous = not anonymous
    instrument.save()
    instrument.is_anonymous = anonymous
    instrument.save()
    response_submit(
        version=version,
        answers={"Q1": 4},
        respondent_role="participant",
        employee=None if anonymous else make_employee(),
    )
    instrument.is_anonymous = not anonymous
    with pytest.raises(ValidationError) as refused:
        instrument.full_clean()
    assert "is_anonymous" in refused.value.message_dict
    with pytest.raises(ValidationError):
        instrument.save()
    instrument.refresh_from_db()
    assert instrument.is_anonymous is anonymous
