"""Writes of evaluation runs."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mutu import __version__
from mutu.evaluations.models import EvaluationRun


@transaction.atomic
def evaluation_run_store(
    *, results: dict[str, Any], data_hash: str, year: int | None, plan: dict[str, Any]
) -> EvaluationRun:
    """Store one evaluation's JSON results with the data hash and rulebook versions used."""
    run = EvaluationRun(
        year=year,
        data_hash=data_hash,
        rulebooks=list(results.get("rulebooks", [])),
        plan=plan,
        results=results,
        mutu_version=__version__,
    )
    run.full_clean()
    run.save()
    return run
