"""SKM results and unit indicators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mutu.indicators.models import SkmResult, UnitIndicator
from mutu.indicators.services import skm_result_record, unit_indicator_record
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 12, 31)


def test_nrr_is_between_1_and_4() -> None:
    unit = make_unit(kind="puskesmas")
    for bad in (Decimal("0.99"), Decimal("4.01")):
        with pytest.raises(ValidationError) as refused:
            skm_result_record(
                unit=unit,
                period_start=START,
                period_end=END,
                element="U1",
                nrr=bad,
                respondent_count=10,
            )
        assert "nrr" in refused.value.message_dict
    assert SkmResult.objects.count() == 0

    result = skm_result_record(
        unit=unit,
        period_start=START,
        period_end=END,
        element="U1",
        nrr=Decimal("3.25"),
        respondent_count=120,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SkmResult.objects.filter(pk=result.pk).update(nrr=Decimal("4.5"))
    with pytest.raises(IntegrityError), transaction.atomic():
        SkmResult.objects.filter(pk=result.pk).update(period_end=date(2024, 1, 1))


def test_recording_an_element_again_corrects_it() -> None:
    unit = make_unit()
    skm_result_record(
        unit=unit,
        period_start=START,
        period_end=END,
        element="U7",
        nrr=Decimal("3.1"),
        respondent_count=50,
    )
    skm_result_record(
        unit=unit,
        period_start=START,
        period_end=END,
        element="U7",
        nrr=Decimal("3.2"),
        respondent_count=55,
    )
    assert SkmResult.objects.get().nrr == Decimal("3.2")


def test_unit_indicator_is_one_per_unit_code_and_period() -> None:
    unit = make_unit()
    first = unit_indicator_record(
        unit=unit,
        code="WAKTU",
        name="Waktu layanan",
        period_start=START,
        period_end=END,
        value=Decimal(3),
    )
    second = unit_indicator_record(
        unit=unit,
        code="WAKTU",
        name="Waktu layanan",
        period_start=START,
        period_end=END,
        value=Decimal(2),
    )
    assert first.pk == second.pk
    assert UnitIndicator.objects.get().value == Decimal(2)
