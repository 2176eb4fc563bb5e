"""Units, positions, competency standards and employee records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mutu.people.models import (
    CompetencyStandard,
    DisciplineRecord,
    PerformanceRecord,
    PositionHistory,
    Unit,
)
from mutu.people.services import (
    competency_assessment_record,
    competency_standard_set,
    discipline_record_create,
    performance_record_set,
    position_history_record,
)
from tests.factories import make_competency, make_employee, make_position, make_unit

pytestmark = pytest.mark.django_db


def test_a_unit_cannot_sit_under_its_own_sub_unit() -> None:
    top = make_unit(kind="instansi")
    middle = make_unit(parent=top)
    bottom = make_unit(parent=middle, kind="bidang")
    top.parent = bottom
    with pytest.raises(ValidationError) as refused:
        top.full_clean()
    assert "parent" in refused.value.message_dict


def test_database_refuses_a_unit_that_is_its_own_parent() -> None:
    unit = make_unit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(parent=unit.pk)


def test_a_functional_position_needs_a_level_of_its_own_kind() -> None:
    unit = make_unit()
    with pytest.raises(ValidationError):
        make_position(unit=unit, kind="fungsional_keahlian")
    with pytest.raises(ValidationError):
        make_position(unit=unit, kind="fungsional_keahlian", level="mahir")
    with pytest.raises(ValidationError):
        make_position(unit=unit, kind="administrator", level="ahli_muda")
    position = make_position(unit=unit, kind="fungsional_keahlian", level="ahli_muda")
    assert "Ahli Muda" in str(position)


def test_competency_standard_levels_run_from_1_to_5() -> None:
    position, competency = make_position(), make_competency()
    with pytest.raises(ValidationError):
        competency_standard_set(position=position, competency=competency, required_level=6)
    assert CompetencyStandard.objects.count() == 0

    standard = competency_standard_set(position=position, competency=competency, required_level=3)
    assert (
        competency_standard_set(position=position, competency=competency, required_level=4).pk
        == standard.pk
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetencyStandard.objects.filter(pk=standard.pk).update(required_level=0)


def test_competency_assessment_level_is_checked_by_model_and_database() -> None:
    employee, competency = make_employee(), make_competency()
    with pytest.raises(ValidationError):
        competency_assessment_record(
            employee=employee,
            competency=competency,
            level=0,
            assessed_on=date(2026, 1, 5),
            method="self",
        )
    assessment = competency_assessment_record(
        employee=employee,
        competency=competency,
        level=2,
        assessed_on=date(2026, 1, 5),
        method="assessment_center",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        type(assessment).objects.filter(pk=assessment.pk).update(level=9)


def test_one_performance_record_per_year_with_a_score_from_0_to_100() -> None:
    employee = make_employee()
    first = performance_record_set(employee=employee, year=2025, predikat="baik")
    again = performance_record_set(
        employee=employee, year=2025, predikat="sangat_baik", score=Decimal("92.5")
    )
    assert again.pk == first.pk
    assert PerformanceRecord.objects.count() == 1
    with pytest.raises(ValidationError):
        performance_record_set(employee=employee, year=2024, predikat="baik", score=Decimal(101))
    with pytest.raises(IntegrityError), transaction.atomic():
        PerformanceRecord.objects.update(score=Decimal("-1"))


def test_periods_cannot_end_before_they_start() -> None:
    employee = make_employee()
    position = make_position()
    with pytest.raises(ValidationError):
        position_history_record(
            employee=employee,
            position=position,
            unit=position.unit,
            start=date(2020, 1, 1),
            end=date(2019, 1, 1),
        )
    with pytest.raises(ValidationError):
        discipline_record_create(
            employee=employee,
            level="ringan",
            sanction="Teguran lisan",
            decided_on=date(2024, 1, 1),
            start=date(2024, 2, 1),
            end=date(2024, 1, 1),
        )
    assert PositionHistory.objects.count() == DisciplineRecord.objects.count() == 0
    record = discipline_record_create(
        employee=employee,
        level="sedang",
        sanction="Penundaan kenaikan pangkat",
        decided_on=date(2024, 1, 1),
        start=date(2024, 2, 1),
        end=date(2025, 2, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DisciplineRecord.objects.filter(pk=record.pk).update(end=date(2020, 1, 1))
