"""Reads of the ASN registry, as DataFrames with documented columns."""

from __future__ import annotations

import pandas as pd
from django.db.models import Count

from mutu.people.models import Employee


def employee_counts_frame() -> pd.DataFrame:
    """Active ASN counted by status, employment type and kind of unit.

    Columns: ``status`` (PNS/PPPK), ``employment_type`` ("" for PNS,
    full_time/part_time for PPPK), ``unit_kind`` (people.UnitKind value), ``n``.
    """
    rows = (
        Employee.objects.filter(is_active=True)
        .values("status", "employment_type", "unit__kind")
        .annotate(n=Count("id"))
        .order_by("status", "employment_type", "unit__kind")
    )
    frame = pd.DataFrame.from_records(
        list(rows), columns=["status", "employment_type", "unit__kind", "n"]
    )
    return frame.rename(columns={"unit__kind": "unit_kind"})
