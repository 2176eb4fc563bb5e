"""Template filters of the program pages: Rupiah and goal values the Indonesian way.

Load with ``{% load program_pages %}``.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from mutu.reporting.formatting import active_lang, format_decimal, format_rupiah

register = template.Library()


@register.filter
def rupiah(value: Decimal | float | int | None) -> str:
    """``Rp 1.250.000`` (id) or ``Rp 1,250,000`` (en); "–" for nothing."""
    return "–" if value is None else format_rupiah(float(value), active_lang())


@register.filter
def plain(value: Decimal | float | int | None) -> str:
    """A number with the decimals it has (at most four): ``12,5`` / ``12.5``; "–" for nothing."""
    if value is None:
        return "–"
    number = Decimal(str(value)).normalize()
    digits = min(max(-int(number.as_tuple().exponent), 0), 4)
    return format_decimal(float(number), digits, active_lang())
