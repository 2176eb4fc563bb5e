"""Compose the evaluation report from the evaluation results dict.

:func:`compose_report` reads only the dict (``evaluate(frames).to_json()``,
or the ``results`` of a stored evaluation run) — never the database — and
returns a :class:`~mutu.reporting.model.Report` in one language, with the six
sections of the program's evaluation narrative and the annex:

1. Pendahuluan · 2. Tujuan Program · 3. Strategi Pelaksanaan ·
4. Evaluasi Hasil · 5. Tantangan yang Dihadapi · 6. Kesimpulan dan Rekomendasi ·
A. Metode · B. Tabel lengkap · C. Kualitas data · D. Reproduksibilitas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from mutu.reporting.compose.annex import (
    data_quality,
    full_tables,
    metadata,
    methods,
    reproducibility,
)
from mutu.reporting.compose.challenges import challenges
from mutu.reporting.compose.conclusion import conclusion
from mutu.reporting.compose.intro import goals, introduction
from mutu.reporting.compose.outcomes import outcome_sections
from mutu.reporting.compose.results import evaluation_overview
from mutu.reporting.compose.source import Results
from mutu.reporting.compose.strategy import strategy
from mutu.reporting.formatting import DEFAULT_PRIVACY_MINIMUM
from mutu.reporting.model import Report, Section

__all__ = ["DEFAULT_REGENCY", "compose_report", "is_synthetic", "report_year"]

DEFAULT_REGENCY = "Kabupaten Aceh Tenggara"


def report_year(results: Mapping[str, Any]) -> int | None:
    """The year the results evaluate (``data.year``, else the last of ``data.years``)."""
    return Results(results).year


def _period(res: Results) -> str:
    years = res.years
    if len(years) > 1:
        return f"{min(years)}–{max(years)}"
    return str(years[0]) if years else "–"


def is_synthetic(results: Mapping[str, Any]) -> bool:
    """Whether the results say they come from the synthetic world (``synthetic`` anywhere
    the pipeline or the command may put it)."""
    data = results.get("data")
    return bool(results.get("synthetic") or (isinstance(data, Mapping) and data.get("synthetic")))


def compose_report(
    results: Mapping[str, Any],
    *,
    lang: str = "id",
    regency: str = DEFAULT_REGENCY,
    privacy_minimum: int = DEFAULT_PRIVACY_MINIMUM,
    date: dt.date | None = None,
    synthetic: bool | None = None,
) -> Report:
    """The report model of the evaluation results, in Bahasa Indonesia (``"id"``) or English.

    Parameters
    ----------
    results
        The evaluation results dict (JSON-ready).
    lang
        ``"id"`` (default) or ``"en"``.
    regency
        The regency named on the cover and in the text.
    privacy_minimum
        Groups with fewer people than this are withheld (default 5).
    date
        The report date; default: today.
    synthetic
        Label every page as synthetic data; ``None``: as the results say
        (:func:`is_synthetic`). Reports of the demo world must say so.
    """
    if lang not in ("id", "en"):
        raise ValueError(
            f"Bahasa tidak dikenal: {lang!r} (pilih 'id' atau 'en'). / "
            f"Unknown language: {lang!r} (choose 'id' or 'en')."
        )
    res = Results(results, privacy_minimum=privacy_minimum)
    year = res.year
    period = _period(res)
    fake = is_synthetic(results) if synthetic is None else synthetic
    with translation.override(lang):
        intro = introduction(res, regency=regency, period=period, synthetic=fake)
        objectives = goals(res)
        implementation = strategy(res)
        lead, first = evaluation_overview(res)
        evaluation = Section(
            "4",
            _("Evaluation of Results"),
            tuple(lead),
            (*first, *outcome_sections(res)),
            id="s-4",
        )
        method_notes = methods(res)
        tables = full_tables(res)
        problems = challenges(res)
        summary = conclusion(res)
        meta = metadata(res)
        annex = (method_notes, tables, data_quality(res), reproducibility(res, meta))
        warning = ""
        if fake:
            warning = _(
                "Synthetic data: every person, unit and number in this report is invented "
                "(Mutu's demonstration world). It is not the regency's data."
            )
        return Report(
            title=_("Evaluation Report of the ASN Competency Development Program"),
            subtitle=_("Reaction, learning, behaviour, results and return — from the data"),
            regency=regency,
            period=period,
            date=date or dt.date.today(),
            lang=lang,
            sections=(intro, objectives, implementation, evaluation, problems, summary),
            annex=annex,
            metadata=meta,
            warning=warning,
            year=year,
        )
