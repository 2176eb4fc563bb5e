"""Database checks shared by the apps: periods, non-negative numbers, 1–5 levels.

They hold on SQLite and PostgreSQL alike, so a row that skips ``full_clean()``
(``QuerySet.update``, ``bulk_create``, raw SQL) is still refused.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def period_constraint(
    name: str, start: str = "start", end: str = "end", *, strict: bool = False
) -> models.CheckConstraint:
    """``end`` is empty or not before ``start`` (after it, when ``strict``)."""
    lookup = "gt" if strict else "gte"
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__{lookup}": F(start)}),
        name=name,
        violation_error_message=(
            _("The end must be after the start.")
            if strict
            else _("The end date cannot be before the start date.")
        ),
    )


def non_negative_constraint(field: str, name: str) -> models.CheckConstraint:
    """``field`` is empty or zero or more."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
        name=name,
        violation_error_message=_("The value cannot be negative."),
    )


def level_constraint(field: str, name: str) -> models.CheckConstraint:
    """``field`` is a competency level, 1 to 5."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
        name=name,
        violation_error_message=_("A competency level is between 1 and 5."),
    )
