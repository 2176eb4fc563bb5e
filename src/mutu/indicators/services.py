"""Writes for service indicators: SKM results and unit KPIs (create or correct)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from mutu.indicators.models import SkmResult, UnitIndicator
from mutu.people.models import Unit


@transaction.atomic
def skm_result_record(
    *,
    unit: Unit,
    period_start: date,
    period_end: date,
    element: str,
    nrr: Decimal,
    respondent_count: int,
) -> SkmResult:
    """Record (or correct) the mean score of one SKM element for a unit and period."""
    result = SkmResult.objects.filter(
        unit=unit, period_start=period_start, period_end=period_end, element=element
    ).first() or SkmResult(
        unit=unit, period_start=period_start, period_end=period_end, element=element
    )
    result.nrr = nrr
    result.respondent_count = respondent_count
    result.full_clean()
    result.save()
    return result


@transaction.atomic
def unit_indicator_record(
    *,
    unit: Unit,
    code: str,
    name: str,
    period_start: date,
    period_end: date,
    value: Decimal,
    unit_of_measure: str = "",
    source: str = "",
) -> UnitIndicator:
    """Record (or correct) a unit's indicator for a period."""
    indicator = UnitIndicator.objects.filter(
        unit=unit, code=code, period_start=period_start, period_end=period_end
    ).first() or UnitIndicator(
        unit=unit, code=code, period_start=period_start, period_end=period_end
    )
    indicator.name = name
    indicator.value = value
    indicator.unit_of_measure = unit_of_measure
    indicator.source = source
    indicator.full_clean()
    indicator.save()
    return indicator
