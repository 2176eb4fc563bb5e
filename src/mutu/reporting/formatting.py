"""Numbers, dates and Rupiah the way each language writes them; the words claims may use.

- Bahasa Indonesia: ``1.234.567,89``; ``Rp 1.250.000``; ``28 November 2026``.
- English: ``1,234,567.89``; ``Rp 1,250,000``; ``28 November 2026``.

Month names and every word come from Django's translation catalogues (the
month names from Django's own, the rest from Mutu's ``locale/id``); the
functions that return words use the active language, so callers wrap them in
``translation.override(lang)``. The functions that format numbers take the
language explicitly (``None``: the active one).

The claim rules live here, in one place, so no part of the report can say more
than the evidence: :func:`claim_words` says "significant" only when the
multiplicity-corrected p-value is below ``alpha`` *and* the interval excludes
zero; :func:`effect_size_words` names standardised effects by Cohen's fixed
conventions; :func:`is_suppressed` withholds groups below the privacy minimum.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

from django.utils import dateformat, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mutu.reporting.model import Number, NumberKind

MINUS = "\u2212"  # the typographic minus sign, not a hyphen

#: Cohen (1988), *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed., pp. 25–27:
#: |d| of 0.2, 0.5 and 0.8 are "small", "medium" and "large"; below 0.2 we say "negligible".
EFFECT_SIZE_THRESHOLDS: tuple[tuple[float, str], ...] = (
    (0.2, "negligible"),
    (0.5, "small"),
    (0.8, "medium"),
    (math.inf, "large"),
)
EFFECT_SIZE_SOURCE = (
    "Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences (2nd ed.), pp. 25-27"
)

DEFAULT_PRIVACY_MINIMUM = 5


def active_lang(lang: str | None = None) -> str:
    """``"id"`` or ``"en"``: ``lang`` if given, else the active translation language."""
    code = lang or translation.get_language() or "id"
    return "en" if code.startswith("en") else "id"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def format_decimal(
    value: float | None, digits: int = 2, lang: str | None = None, *, signed: bool = False
) -> str:
    """``1.234.567,89`` (id) or ``1,234,567.89`` (en); "–" for a missing value."""
    if value is None or _missing(float(value)):
        return "–"
    rounded = round(float(value), digits)
    text = f"{abs(rounded):,.{digits}f}"
    if active_lang(lang) == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if rounded < 0:
        return MINUS + text
    if signed and rounded > 0:
        return "+" + text
    return text


def format_rupiah(value: float | None, lang: str | None = None, *, compact: bool = False) -> str:
    """``Rp 1.250.000``; with ``compact`` large sums as ``Rp 2,39 miliar`` / ``Rp 2.39 billion``."""
    if value is None or _missing(float(value)):
        return "–"
    sign = MINUS if round(value) < 0 else ""
    amount = abs(float(value))
    if compact and amount >= 1e6:
        for size, word in ((1e12, _("trillion")), (1e9, _("billion")), (1e6, _("million"))):
            if amount >= size:
                mantissa = amount / size
                digits = 2 if mantissa < 10 else 1 if mantissa < 100 else 0
                return f"{sign}Rp {format_decimal(mantissa, digits, lang)} {word}"
    return f"{sign}Rp {format_decimal(amount, 0, lang)}"


def format_p(value: float | None, lang: str | None = None, *, prefix: bool = True) -> str:
    """``p = 0,034`` or ``p < 0,001`` (without ``prefix``: ``0,034`` / ``< 0,001``)."""
    if value is None or _missing(float(value)):
        return "p = –" if prefix else "–"
    if value < 0.001:
        text = "< " + format_decimal(0.001, 3, lang)
        return "p " + text if prefix else text
    text = format_decimal(value, 3, lang)
    return "p = " + text if prefix else text


def format_value(
    value: float | None,
    kind: NumberKind,
    digits: int = 2,
    lang: str | None = None,
    *,
    signed: bool = False,
    compact: bool = False,
    unit: bool = True,
) -> str:
    """A number of any kind as printed; ``unit=False`` leaves out "JP", "Rp" and "pp" (tables)."""
    if value is None or _missing(float(value)):
        return "–"
    if kind == "count":
        return format_decimal(value, 0, lang, signed=signed)
    if kind == "percent":
        return format_decimal(value * 100, digits, lang, signed=signed) + "%"
    if kind == "percent100":
        return format_decimal(value, digits, lang, signed=signed) + "%"
    if kind == "percent_points":
        text = format_decimal(value, digits, lang, signed=signed)
        return f"{text} {_('percentage points')}" if unit else text
    if kind == "rupiah":
        if not unit:
            return format_decimal(value, 0, lang, signed=signed)
        return format_rupiah(value, lang, compact=compact)
    if kind == "jp":
        text = format_decimal(value, digits, lang, signed=signed)
        return f"{text} JP" if unit else text
    if kind == "p_value":
        return format_p(value, lang, prefix=unit)
    return format_decimal(value, digits, lang, signed=signed)


def format_number(number: Number, lang: str | None = None, *, unit: bool = True) -> str:
    """A :class:`~mutu.reporting.model.Number` as printed in the report's language."""
    return format_value(
        number.value,
        number.kind,
        number.digits,
        lang,
        signed=number.signed,
        compact=number.compact,
        unit=unit and number.unit,
    )


def format_date(day: dt.date, lang: str | None = None) -> str:
    """``28 November 2026`` in either language (Indonesian month names from Django)."""
    with translation.override(active_lang(lang)):
        return dateformat.format(day, "j F Y")


def month_name(month: int, lang: str | None = None) -> str:
    """The month's full name: ``Agustus`` (id), ``August`` (en)."""
    with translation.override(active_lang(lang)):
        return dateformat.format(dt.date(2000, month, 1), "F")


# --- effect sizes ------------------------------------------------------------------


def effect_size_label(d: float) -> str:
    """Cohen's band of a standardised effect: negligible, small, medium or large."""
    size = abs(d)
    for limit, label in EFFECT_SIZE_THRESHOLDS:
        if size < limit:
            return label
    return "large"  # pragma: no cover - the last limit is infinite


def effect_size_words(d: float | None) -> str:
    """Words for a standardised effect (Cohen's d) in the active language."""
    if d is None or _missing(float(d)):
        return _("of unknown size")
    words = {
        "negligible": pgettext("effect size", "negligible"),
        "small": pgettext("effect size", "small"),
        "medium": pgettext("effect size", "medium"),
        "large": pgettext("effect size", "large"),
    }
    return words[effect_size_label(d)]


# --- claims ------------------------------------------------------------------------

ClaimKind = Literal["increase", "decrease", "no_evidence", "too_few", "no_data"]


@dataclass(frozen=True)
class Claim:
    """What may be said about an estimate, and the words that say it."""

    kind: ClaimKind
    significant: bool
    text: str


def significant_claim_texts() -> tuple[str, str]:
    """The two sentences that claim significance (active language), for checking text."""
    return (
        _("This is a statistically significant increase after correction for multiple testing."),
        _("This is a statistically significant decrease after correction for multiple testing."),
    )


def no_evidence_text() -> str:
    """ "No evidence of a change" (after correction for multiple testing)."""
    return _(
        "There is no evidence of a change: after correction for multiple testing the result "
        "could be chance."
    )


def too_few_text() -> str:
    """ "Too few data to conclude"."""
    return _("There are too few data to draw a conclusion; the estimate is shown for the record.")


def claim_words(
    estimate: float | None,
    ci_low: float | None,
    ci_high: float | None,
    p_adjusted: float | None,
    alpha: float = 0.05,
) -> Claim:
    """The claim an estimate supports, in the active language.

    Significant (an increase or a decrease) only when ``p_adjusted`` — the
    p-value after the multiple-testing correction — is below ``alpha`` and the
    interval, when given, does not include zero; otherwise "no evidence of a
    change" (never "no effect": absence of evidence is not evidence of
    absence). Without an estimate: "the data cannot answer this".
    """
    if estimate is None or _missing(float(estimate)):
        return Claim("no_data", False, _("The data cannot answer this question."))
    excludes_zero = True
    if not _missing(ci_low) and not _missing(ci_high):
        assert ci_low is not None and ci_high is not None
        excludes_zero = ci_low > 0 or ci_high < 0
    if p_adjusted is not None and not _missing(float(p_adjusted)):
        if p_adjusted < alpha and excludes_zero and estimate != 0:
            increase, decrease = significant_claim_texts()
            if estimate > 0:
                return Claim("increase", True, increase)
            return Claim("decrease", True, decrease)
        return Claim("no_evidence", False, no_evidence_text())
    return Claim(
        "no_evidence",
        False,
        _("There is no evidence of a change: no corrected test is available for this estimate."),
    )


# --- privacy -----------------------------------------------------------------------


def is_suppressed(n: float | None, minimum: int = DEFAULT_PRIVACY_MINIMUM) -> bool:
    """True when a group of ``n`` people is too small to report (n < minimum, or unknown)."""
    return n is None or _missing(float(n)) or n < minimum


def suppressed_text(minimum: int = DEFAULT_PRIVACY_MINIMUM) -> str:
    """``data disembunyikan (n < 5)`` / ``withheld (n < 5)`` in the active language."""
    return _("withheld (n < %(minimum)s)") % {"minimum": minimum}
