"""Template filters of the programs pages: JP, shares and dates the Indonesian way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import translation

from mutu.reporting.formatting import format_date, format_decimal

register = template.Library()


def _lang() -> str:
    return "en" if (translation.get_language() or "id").startswith("en") else "id"


def format_jp(value: Decimal | float | int | None, lang: str | None = None) -> str:
    """``16``, ``1,33`` (id) or ``1.33`` (en): whole JP without decimals, else two."""
    if value is None:
        return "–"
    lang = lang or _lang()
    number = Decimal(str(value))
    digits = 0 if number == number.to_integral_value() else 2
    return format_decimal(float(number), digits, lang)


@register.filter
def jp(value: Decimal | float | int | None) -> str:
    """A JP amount with its unit: ``1,33 JP``."""
    return "–" if value is None else f"{format_jp(value)} JP"


@register.filter
def share(value: float | None) -> str:
    """A share 0–1 as a whole percentage: ``80%``."""
    if value is None:
        return "–"
    return format_decimal(float(value) * 100, 0, _lang()) + "%"


@register.filter
def number(value: Decimal | float | int | None, digits: int = 0) -> str:
    """A number in the active language: ``1.234,5``."""
    return "–" if value is None else format_decimal(float(value), int(digits), _lang())


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    """``28 November 2026`` (a date or the local date of a moment)."""
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date()
    return format_date(value, _lang())
