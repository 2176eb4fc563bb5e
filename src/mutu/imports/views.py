"""The upload page (``/impor/``: upload → preview → apply) and web downloads (``/ekspor/``).

Thin views over :mod:`mutu.imports.uploads` (the services) and
:mod:`mutu.imports.scoping` (who may import and export what).  Uploading
runs a dry run only; the preview shows its counts, the changed columns of
the first rows and every fault in the page's language, and offers the marked
copy of the file when there are faults.  "Apply" imports the same file (its
SHA-256 is checked), all or nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutu.accounts.scope import Scope
from mutu.domain.errors import MutuValueError
from mutu.imports.forms import UploadForm
from mutu.imports.kinds import KINDS
from mutu.imports.scoping import OPERATOR_IMPORT_KINDS, export_refusal, importable_kinds
from mutu.imports.uploads import (
    PendingUpload,
    export_for_web,
    max_upload_bytes,
    upload_apply,
    upload_discard,
    upload_load,
    upload_store,
)
from mutu.reporting.formatting import format_value

#: Query parameters read as export filters (the kind's name, and the Indonesian one).
EXPORT_FILTERS = {
    "activity": ("activity", "kegiatan"),
    "year": ("year", "tahun"),
    "unit": ("unit",),
}


def scope_of(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined, no-any-return]


def lang() -> str:
    """``"id"`` or ``"en"``: the language of the page being answered."""
    return "en" if (translation.get_language() or "id").startswith("en") else "id"


def kind_title(name: str) -> str:
    """The kind's name in the page's language (``pegawai`` / ``employees``)."""
    cls = KINDS[name]
    title = cls.title_en if lang() == "en" else cls.title_id
    return title[:1].upper() + title[1:]


def count(n: int) -> str:
    return format_value(n, "count", lang=lang())


def _kinds_or_403(request: HttpRequest) -> list[str]:
    kinds = importable_kinds(scope_of(request))
    if not kinds:
        raise PermissionDenied
    return kinds


def _preview_url(token: str) -> str:
    return f"{reverse('imports:preview')}?berkas={token}"


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Choose a kind and a file; a valid upload is dry-run and shown as a preview."""
    kinds = _kinds_or_403(request)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        kinds=[(k, kind_title(k)) for k in kinds],
    )
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            pending = upload_store(
                user=request.user,  # type: ignore[arg-type]
                scope=scope_of(request),
                kind=form.cleaned_data["kind"],
                name=file.name or "",
                chunks=file.chunks(),
                instrument=form.cleaned_data["instrument"],
                activity=form.cleaned_data["activity"],
                sheet=form.cleaned_data["sheet"],
            )
        except MutuValueError as err:
            form.add_error("file", err.message(lang()))
        else:
            return redirect(_preview_url(pending.token))
    operator_only = not scope_of(request).is_admin
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "max_mib": f"{max_upload_bytes() / (1024 * 1024):g}",
            "operator_only": operator_only,
            "operator_kinds": [kind_title(k) for k in OPERATOR_IMPORT_KINDS if k in KINDS],
        },
    )


def _shown_issue(issue: dict[str, Any]) -> dict[str, Any]:
    en = lang() == "en"
    return {
        "row": issue["row"],
        "where": issue["where_en"] if en else issue["where_id"],
        "message": issue["message_en"] if en else issue["message_id"],
    }


def _pending_or_back(request: HttpRequest, token: str) -> PendingUpload | None:
    try:
        return upload_load(user=request.user, token=token)  # type: ignore[arg-type]
    except MutuValueError as err:
        messages.error(request, err.message(lang()))
        return None


@login_required
def preview(request: HttpRequest) -> HttpResponse:
    """What importing the uploaded file would do; nothing has been written."""
    _kinds_or_403(request)
    pending = _pending_or_back(request, request.GET.get("berkas", ""))
    if pending is None:
        return redirect("imports:upload")
    data = pending.preview
    changes = [
        {
            "row": c["row"],
            "label": c["label"],
            "created": c["action"] == "create",
            "columns": c["columns"],
        }
        for c in data["changes"]
    ]
    return render(
        request,
        "imports/preview.html",
        {
            "pending": pending,
            "kind": kind_title(pending.kind),
            "data": data,
            "counts": {
                "rows": count(data["rows"]),
                "created": count(data["created"]),
                "updated": count(data["updated"]),
                "unchanged": count(data["unchanged"]),
                "errors": count(len(data["errors"])),
            },
            "changes": changes,
            "more_changes": data["changes_total"] - len(changes),
            "errors": [_shown_issue(i) for i in data["errors"]],
            "notices": [_shown_issue(i) for i in data["notices"]],
            "more_notices": data["notices_total"] - len(data["notices"]),
            "applied_failed": not data["dry_run"],
        },
    )


@login_required
@require_POST
def apply(request: HttpRequest) -> HttpResponse:
    """Import the previewed file for real (the same bytes, checked by hash): all or nothing."""
    _kinds_or_403(request)
    token = request.POST.get("berkas", "")
    try:
        report = upload_apply(
            user=request.user,  # type: ignore[arg-type]
            scope=scope_of(request),
            token=token,
            sha256=request.POST.get("sha256", ""),
        )
    except MutuValueError as err:
        messages.error(request, err.message(lang()))
        return redirect("imports:upload")
    if not report.written:
        messages.error(
            request,
            _("%(n)s errors were found when applying; nothing was saved.")
            % {"n": count(len(report.errors))},
        )
        return redirect(_preview_url(token))
    messages.success(
        request,
        _("Imported %(kind)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "kind": kind_title(report.kind),
            "created": count(report.created),
            "updated": count(report.updated),
            "unchanged": count(report.unchanged),
        },
    )
    return redirect("imports:upload")


@login_required
@require_POST
def discard(request: HttpRequest) -> HttpResponse:
    """Throw the uploaded file away without importing it."""
    _kinds_or_403(request)
    upload_discard(user=request.user, token=request.POST.get("berkas", ""))  # type: ignore[arg-type]
    messages.info(request, _("The upload was cancelled; nothing was saved."))
    return redirect("imports:upload")


@login_required
def errors_file(request: HttpRequest) -> HttpResponseBase:
    """The uploaded file with its faults marked (``<name>.errors.xlsx``), to fix in Excel."""
    _kinds_or_403(request)
    token = request.GET.get("berkas", "")
    pending = _pending_or_back(request, token)
    if pending is None:
        return redirect("imports:upload")
    if not pending.errors_path.is_file():
        raise Http404
    return FileResponse(
        pending.errors_path.open("rb"),
        as_attachment=True,
        filename=pending.errors_name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    """``/ekspor/<kind>/?format=xlsx|csv&activity=…&year=…&unit=…``: the user's rows only."""
    if kind not in KINDS:
        raise Http404
    scope = scope_of(request)
    refusal = export_refusal(scope, kind)
    if refusal is not None:
        return render(
            request, "imports/refused.html", {"message": refusal.message(lang())}, status=403
        )
    filters: dict[str, str] = {}
    for name in KINDS[kind].filters:
        for key in EXPORT_FILTERS.get(name, (name,)):
            value = request.GET.get(key, "").strip()
            if value:
                filters[name] = value
                break
    try:
        out = export_for_web(
            user=request.user,  # type: ignore[arg-type]
            scope=scope,
            kind=kind,
            fmt=request.GET.get("format", "xlsx").lower(),
            shape=request.GET.get("shape", "mutu"),
            **filters,
        )
    except MutuValueError as err:
        return render(request, "imports/refused.html", {"message": err.message(lang())}, status=400)
    response = HttpResponse(out.content, content_type=out.content_type)
    response["Content-Disposition"] = f'attachment; filename="{out.file_name}"'
    return response
