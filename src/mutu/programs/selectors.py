"""Reads of programs, activities, the JP ledger and the budget, as DataFrames."""

from __future__ import annotations

import pandas as pd
from django.db.models import Count, Sum

from mutu.programs.models import Activity, BudgetLine, Expenditure, JpLedgerEntry


def activity_counts_frame() -> pd.DataFrame:
    """Activities by year of their start and form of development.

    Columns: ``year``, ``form`` (code), ``form_label`` (Indonesian), ``n``,
    ``planned_jp`` (sum of the activities' JP).
    """
    rows = Activity.objects.values("start_date__year", "form__code", "form__label_id").annotate(
        n=Count("id"), planned_jp=Sum("jp")
    )
    frame = pd.DataFrame.from_records(
        list(rows),
        columns=["start_date__year", "form__code", "form__label_id", "n", "planned_jp"],
    )
    frame.columns = pd.Index(["year", "form", "form_label", "n", "planned_jp"])
    frame["planned_jp"] = frame["planned_jp"].astype(float)
    return frame.sort_values(["year", "form"], ignore_index=True)


def jp_delivered_frame() -> pd.DataFrame:
    """Approved JP credited to ASN, by year and source (activity or external).

    Columns: ``year``, ``source``, ``entries``, ``jp``, ``employees`` (distinct).
    """
    rows = (
        JpLedgerEntry.objects.filter(approval_status="approved")
        .values("year", "source")
        .annotate(entries=Count("id"), jp=Sum("jp"), employees=Count("employee", distinct=True))
    )
    frame = pd.DataFrame.from_records(
        list(rows), columns=["year", "source", "entries", "jp", "employees"]
    )
    frame["jp"] = frame["jp"].astype(float)
    return frame.sort_values(["year", "source"], ignore_index=True)


def budget_frame() -> pd.DataFrame:
    """Planned and spent Rupiah by fiscal year.

    Columns: ``year``, ``planned``, ``spent``, ``absorption`` (spent / planned).
    Spending is counted in the fiscal year of its budget line.
    """
    planned = BudgetLine.objects.values("fiscal_year").annotate(total=Sum("planned_amount"))
    spent = Expenditure.objects.values("budget_line__fiscal_year").annotate(total=Sum("amount"))
    frame = pd.DataFrame({"planned": {r["fiscal_year"]: float(r["total"]) for r in planned}}).join(
        pd.Series(
            {r["budget_line__fiscal_year"]: float(r["total"]) for r in spent},
            name="spent",
            dtype=float,
        ),
        how="outer",
    )
    frame = frame.fillna(0.0).rename_axis("year").reset_index()
    frame["absorption"] = frame["spent"] / frame["planned"].where(frame["planned"] > 0)
    return frame
