"""Jam Pelajaran (JP): the unit in which competency development is counted.

All numbers come from the ``jp`` rulebook:

- 1 JP = 45 minutes (Peraturan LAN 5/2018);
- a PNS must reach at least 20 JP a year (PP 11/2017 as amended by PP 17/2020,
  Pasal 203(4)) — a floor;
- a PPPK gets at most 24 JP per contract year (PP 49/2018 Pasal 40) — a ceiling;
- some forms of development credit more or fewer JP than the program's own
  (appendix of Peraturan LAN 10/2018; only two rows are confirmed).

Arithmetic is exact :class:`~decimal.Decimal`; results in JP are rounded to
two decimals, half up (the way a certificate prints 1.33 JP), so the ledger
never carries binary-float noise.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from mutu.domain.development_forms import DevelopmentForm, get_form
from mutu.domain.errors import MutuValueError
from mutu.rulebooks import Rulebook, RulebookValue, resolve

#: A number as accepted from a form, a CSV cell or code.
Number = int | Decimal | str | float

#: JP are kept to two decimals.
JP_QUANTUM = Decimal("0.01")


class InvalidJp(MutuValueError):
    """A JP or minutes amount that is not a finite, non-negative number."""

    def __init__(self, message_id: str, message_en: str, *, field: str = "jp") -> None:
        super().__init__(message_id, message_en, field=field)


def _number(value: Number, what_id: str, what_en: str, field: str) -> Decimal:
    """``value`` as a finite, non-negative Decimal, or :class:`InvalidJp`."""
    if isinstance(value, bool):
        raise InvalidJp(
            f"{what_id} harus berupa angka, bukan {value!r}.",
            f"{what_en} must be a number, not {value!r}.",
            field=field,
        )
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            # The shortest text, so 1.1 is 1.1 and not 1.100000000000000088…
            number = Decimal(repr(value))
        elif isinstance(value, str):
            number = Decimal(value.strip())
        else:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise InvalidJp(
            f"{what_id} harus berupa angka; {value!r} bukan angka.",
            f"{what_en} must be a number; {value!r} is not.",
            field=field,
        ) from None
    if not number.is_finite():
        raise InvalidJp(
            f"{what_id} harus angka terhingga, bukan {value!r}.",
            f"{what_en} must be a finite number, not {value!r}.",
            field=field,
        )
    if number < 0:
        raise InvalidJp(
            f"{what_id} tidak boleh negatif ({value!r}).",
            f"{what_en} cannot be negative ({value!r}).",
            field=field,
        )
    # "-0" passes the check above; keep it from printing as -0.00.
    return Decimal(0) if number.is_zero() else number


def _quantize_jp(value: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 28
        return value.quantize(JP_QUANTUM, rounding=ROUND_HALF_UP)


def check_jp(jp: Number, *, field: str = "jp") -> Decimal:
    """A JP amount as a Decimal, refused when it is not a finite number of at least zero.

    Raises
    ------
    InvalidJp
        For a negative, non-numeric, infinite or NaN amount (message in
        Indonesian and English).
    """
    return _number(jp, "JP", "JP", field)


def minutes_per_jp(rulebook: Rulebook | None = None) -> int:
    """Minutes in one JP: 45 (Peraturan LAN 5/2018).

    Parameters
    ----------
    rulebook
        A ``jp`` rulebook (key ``minutes_per_jp``); the version in force today
        when ``None``.
    """
    return resolve("jp", rulebook).integer("minutes_per_jp")


def jp_from_minutes(minutes: Number, *, rulebook: Rulebook | None = None) -> Decimal:
    """JP for a duration in minutes.

    .. math:: \\mathrm{JP} = \\mathrm{round}_{0.01}(\\text{minutes} / 45)

    The division is exact and the result is quantized to 0.01 with
    ``ROUND_HALF_UP``: 90 minutes is ``Decimal("2.00")``, 60 minutes
    ``Decimal("1.33")``.  Minutes per JP come from the ``jp`` rulebook
    (Peraturan LAN 5/2018).

    Parameters
    ----------
    minutes
        The duration: an int, Decimal, numeric string or float; not negative,
        not NaN or infinite, not a bool.
    rulebook
        A ``jp`` rulebook; the version in force today when ``None``.

    Raises
    ------
    InvalidJp
        When ``minutes`` is negative or not a finite number.

    Examples
    --------
    >>> jp_from_minutes(90), jp_from_minutes(60)
    (Decimal('2.00'), Decimal('1.33'))
    """
    amount = _number(minutes, "Menit", "Minutes", "minutes")
    per_jp = minutes_per_jp(rulebook)
    with localcontext() as ctx:
        ctx.prec = 28
        return _quantize_jp(amount / Decimal(per_jp))


def minutes_from_jp(jp: Number, *, rulebook: Rulebook | None = None) -> int:
    """Minutes in an amount of JP, rounded to the nearest minute (half up).

    ``minutes_from_jp(2) == 90``; ``minutes_from_jp("1.33") == 60`` (59.85
    rounds up).  Minutes per JP come from the ``jp`` rulebook (Peraturan LAN
    5/2018).

    Raises
    ------
    InvalidJp
        When ``jp`` is negative or not a finite number.
    """
    amount = _number(jp, "JP", "JP", "jp")
    per_jp = minutes_per_jp(rulebook)
    with localcontext() as ctx:
        ctx.prec = 28
        return int((amount * per_jp).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def conversion_factor(
    form_code: str | DevelopmentForm, *, rulebook: Rulebook | None = None
) -> RulebookValue:
    """The JP conversion factor of a form of development, with its confidence.

    Looks up ``conversion.<form code>`` in the ``jp`` rulebook and falls back
    to ``conversion.default`` (1.0, unconfirmed).  Known rows of the appendix
    of Peraturan LAN 10/2018: komunitas belajar counts the program's JP (1.0);
    outbound adds 20% (1.2).

    Raises
    ------
    UnknownDevelopmentForm
        When ``form_code`` is not a known form code (so a typo is never silently
        credited at the default factor).
    """
    book = resolve("jp", rulebook)
    return book.entry(_factor_key(form_code, book))


def _factor_key(form: str | DevelopmentForm, book: Rulebook) -> str:
    key = f"conversion.{get_form(form).code}"
    return key if key in book else "conversion.default"


def converted_jp(
    program_jp: Number, form_code: str | DevelopmentForm, *, rulebook: Rulebook | None = None
) -> Decimal:
    """JP credited for a program of a given form: program JP × the form's factor.

    The product is rounded to 0.01 JP, half up.  See :func:`conversion_factor`
    for the factor and whether it is confirmed (Peraturan LAN 10/2018).

    Parameters
    ----------
    program_jp
        The program's JP (not negative).
    form_code
        The form-of-development code (see :mod:`mutu.domain.development_forms`)
        or the form itself.
    rulebook
        A ``jp`` rulebook; the version in force today when ``None``.

    Raises
    ------
    InvalidJp
        When ``program_jp`` is negative or not a finite number.
    UnknownDevelopmentForm
        When ``form_code`` is not a known code.

    Examples
    --------
    >>> converted_jp(10, "outbound")
    Decimal('12.00')
    """
    amount = _number(program_jp, "JP", "JP", "jp")
    book = resolve("jp", rulebook)
    factor = book.decimal(_factor_key(form_code, book))
    with localcontext() as ctx:
        ctx.prec = 28
        return _quantize_jp(amount * factor)


def pns_min_jp(rulebook: Rulebook | None = None) -> int:
    """The yearly JP floor of a PNS: 20 (PP 11/2017 as amended by PP 17/2020, Pasal 203(4)).

    Parameters
    ----------
    rulebook
        A ``jp`` rulebook (key ``pns_min_jp_per_year``); the version in force
        today when ``None``.
    """
    return resolve("jp", rulebook).integer("pns_min_jp_per_year")


def pppk_max_jp(rulebook: Rulebook | None = None) -> int:
    """The JP ceiling of a PPPK per contract year: 24 (PP 49/2018 Pasal 40).

    A ceiling, not a floor: a PPPK's development beyond it is not granted.

    Parameters
    ----------
    rulebook
        A ``jp`` rulebook (key ``pppk_max_jp_per_contract_year``); the version
        in force today when ``None``.
    """
    return resolve("jp", rulebook).integer("pppk_max_jp_per_contract_year")
