"""Input conversions shared by the program services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mutu.domain.development_forms import UnknownDevelopmentForm, get_form
from mutu.reference.models import DevelopmentForm
from mutu.reference.validation import domain_validation_error

#: A number as a caller may hand it over.
NumberInput = Decimal | int | str | float


def as_decimal(value: NumberInput, field: str) -> Decimal:
    """``value`` as a :class:`Decimal` (``"1,5"`` is 1.5), or a ValidationError on ``field``."""
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: ValidationError(_("Enter a number."), code="invalid")}
        ) from None


def as_optional_decimal(value: NumberInput | None, field: str) -> Decimal | None:
    """Like :func:`as_decimal`, with ``None`` passed through."""
    return None if value is None else as_decimal(value, field)


def resolve_form(form: DevelopmentForm | str) -> DevelopmentForm:
    """A form of development given by its code → the reference row."""
    if isinstance(form, DevelopmentForm):
        return form
    try:
        code = get_form(form).code
    except UnknownDevelopmentForm as err:
        raise domain_validation_error(err, "form") from err
    row = DevelopmentForm.objects.filter(code=code).first()
    if row is None:
        raise ValidationError(
            {
                "form": ValidationError(
                    _("The form %(code)s is not in the reference table; load reference data."),
                    params={"code": code},
                )
            }
        )
    return row
