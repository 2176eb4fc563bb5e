"""The reports page: write the evaluation report from the stored evaluation, and download it.

Administrators and analysts only (the report holds aggregates, no personal
data). Writing goes through :func:`mutu.reporting.write_report`, as ``mutu
report`` does; the files are kept under ``MEDIA_ROOT/reports/evaluasi-<run>/``
and listed for download.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutu.accounts.models import Role
from mutu.domain.errors import MutuValueError
from mutu.evaluations.selectors import (
    StoredEvaluation,
    StoredRun,
    evaluation_results,
    generated_report,
    generated_reports,
    report_folder,
    stored_runs,
)
from mutu.reference.models import LoadedWorld
from mutu.reporting import FORMATS, write_report
from mutu.scenarios.selectors import with_planning

LANGUAGES = (("id", "Bahasa Indonesia"), ("en", "English"))

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def reports_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "reports"


def _require_reader(request: HttpRequest) -> None:
    if not request.scope.has(Role.ADMIN, Role.ANALYST):  # type: ignore[attr-defined]
        raise PermissionDenied


def report_choices() -> dict[int, StoredRun]:
    """The years a report can be written for, each with its stored run (newest year first).

    The newest run gives its evaluated year; a run made for a year (``mutu
    evaluate --year``) gives that year, the newest such run winning.
    """
    runs = stored_runs()
    choices: dict[int, StoredRun] = {}
    for run in reversed(runs):  # oldest first, so newer runs overwrite
        if run.year is not None:
            choices[run.year] = run
    if runs:
        latest = StoredEvaluation(runs[0], evaluation_results(runs[0]))
        if latest.evaluated_year is not None:
            choices[latest.evaluated_year] = runs[0]
    return dict(sorted(choices.items(), reverse=True))


def parse_report_request(data: Any, choices: dict[int, StoredRun]) -> tuple[int, str, list[str]]:
    """Year, language and formats from the form; bad input refused in both languages."""
    raw_year = str(data.get("tahun", "")).strip()
    try:
        year = int(raw_year)
    except ValueError:
        year = -1
    if year not in choices:
        raise MutuValueError(
            f"Tidak ada evaluasi tersimpan untuk tahun {raw_year[:8]!r}; pilih salah satu dari "
            f"daftar, atau jalankan `mutu evaluate --year TAHUN`.",
            f"There is no stored evaluation for the year {raw_year[:8]!r}; choose one from the "
            f"list, or run `mutu evaluate --year YEAR`.",
            field="tahun",
        )
    lang = str(data.get("bahasa", ""))
    if lang not in dict(LANGUAGES):
        raise MutuValueError(
            "Pilih bahasa laporan: Bahasa Indonesia atau English.",
            "Choose the report's language: Bahasa Indonesia or English.",
            field="bahasa",
        )
    formats = [f for f in data.getlist("format") if f]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise MutuValueError(
            f"Pilih paling sedikit satu format dari {', '.join(FORMATS)}.",
            f"Choose at least one format of {', '.join(FORMATS)}.",
            field="format",
        )
    return year, lang, list(dict.fromkeys(formats))


def write_report_files(
    evaluation: StoredEvaluation, *, year: int, lang: str, formats: list[str]
) -> list[Path]:
    """Write the report as ``mutu report`` does, into the run's folder; all files or none.

    The files are written into a temporary folder beside the target first and
    moved in only when every format succeeded.
    """
    target = report_folder(reports_root(), evaluation.run.pk)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".writing-", dir=target.parent))
    try:
        written = write_report(
            with_planning(dict(evaluation.results), year),
            out=scratch,
            lang=lang,
            formats=formats,
            year=year,
            synthetic=LoadedWorld.objects.exists(),
        )
        target.mkdir(exist_ok=True)
        final = []
        for path in written:
            path.replace(target / path.name)
            final.append(target / path.name)
        return final
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    """The form to write a report, and the reports written so far."""
    _require_reader(request)
    choices = report_choices()
    error = ""
    status = 200
    selected: dict[str, Any] = {
        "tahun": next(iter(choices), None),
        "bahasa": (get_language() or "id")[:2],
        "formats": ["html", "pdf"],
    }
    if request.method == "POST":
        try:
            year, lang, formats = parse_report_request(request.POST, choices)
        except MutuValueError as err:
            error = err.message(get_language() or "id")
            status = 400
            selected = {
                "tahun": request.POST.get("tahun"),
                "bahasa": request.POST.get("bahasa"),
                "formats": request.POST.getlist("format"),
            }
        else:
            run = choices[year]
            evaluation = StoredEvaluation(run, evaluation_results(run))
            paths = write_report_files(evaluation, year=year, lang=lang, formats=formats)
            messages.success(
                request,
                _("Report written: %(files)s") % {"files": ", ".join(p.name for p in paths)},
            )
            return redirect("reports:home")
    context = {
        "choices": list(choices.items()),
        "languages": LANGUAGES,
        "formats": FORMATS,
        "selected": selected,
        "error": error,
        "files": generated_reports(reports_root()),
    }
    return render(request, "evaluations/reports.html", context, status=status)


@login_required
def download(request: HttpRequest, run: int, name: str) -> FileResponse:
    """One written report, as a download."""
    _require_reader(request)
    path = generated_report(reports_root(), run, name)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = CONTENT_TYPES.get(
        path.suffix.lstrip("."), "application/octet-stream"
    )
    return response
