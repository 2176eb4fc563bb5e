"""Turn refusals of the pure core into Django validation errors.

The pure core (:mod:`mutu.domain`) explains every refusal in Indonesian and
English (:class:`~mutu.domain.errors.MutuValueError`); a form shows one of the
two, picked from the language Django has active for the request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import get_language

from mutu.domain.errors import MutuValueError

T = TypeVar("T")


def active_lang() -> str:
    """The language Django has active now (``"id"`` outside a request)."""
    return get_language() or settings.LANGUAGE_CODE


def domain_validation_error(err: MutuValueError, field: str | None = None) -> ValidationError:
    """A :class:`ValidationError` carrying ``err``'s message in the active language.

    The error is keyed to ``field``, else to the field the domain error names,
    else to the form as a whole.
    """
    key = field or err.field or NON_FIELD_ERRORS
    return ValidationError({key: ValidationError(err.message(active_lang()), code="domain")})


def call_domain(func: Callable[[], T], field: str) -> T:
    """Run a pure-core check; its :class:`MutuValueError` becomes a ``ValidationError``."""
    try:
        return func()
    except MutuValueError as err:
        raise domain_validation_error(err, field) from err


def merge_errors(errors: dict[str, list[ValidationError]], err: ValidationError) -> None:
    """Add ``err`` (keyed or not) to a field → errors mapping being collected."""
    for key, messages in err.update_error_dict({}).items():
        errors.setdefault(key, []).extend(messages)
