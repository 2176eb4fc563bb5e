"""The administrators' audit page (issue 12): data changes, sign-ins and exports, read-only.

``/jejak-audit/?bagian=perubahan|masuk|ekspor`` shows one trail at a time,
newest first, 50 rows a page (``halaman``), filtered by user (``pengguna``,
part of the name), a date range (``dari``/``sampai``, both days included) and
a kind (``jenis``: the model, the sign-in outcome or the export kind). Only
administrators open it; every other signed-in user gets 404, so the page's
existence is not revealed. Nothing on it writes: it answers GET only.
The data-change trail shows which *fields* were written, never their values
(the trail does not hold them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from mutu.accounts.audit_selectors import (
    AuditFilters,
    audit_event_list,
    audit_models,
    export_kinds,
    export_log_list,
    login_event_list,
)
from mutu.accounts.models import AuditEvent, LoginOutcome
from mutu.domain.errors import MutuValueError
from mutu.reporting.formatting import format_date, format_decimal

__all__ = ["AuditFilterForm", "audit_page"]

#: Rows per page.
PAGE_SIZE = 50

#: The three sections: query value → (label, label of the kind filter).
SECTIONS: dict[str, tuple[Any, Any]] = {
    "perubahan": (_("Data changes"), _("Kind of data")),
    "masuk": (_("Sign-ins"), _("Outcome")),
    "ekspor": (_("Exports"), _("Kind of export")),
}


class AuditFilterForm(forms.Form):
    """The page's filters (all optional)."""

    pengguna = forms.CharField(label=_("User"), required=False, max_length=150)
    dari = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    jenis = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, data: Any, *, kinds: list[tuple[str, Any]], kind_label: Any) -> None:
        super().__init__(data)
        field = self.fields["jenis"]
        field.label = kind_label
        field.choices = [("", _("all")), *kinds]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("dari"), data.get("sampai")
        if since and until and until < since:
            error = MutuValueError(
                "Tanggal akhir sebelum tanggal awal.", "The end date is before the start date."
            )
            raise forms.ValidationError(error.message(get_language() or "id"), code="date_order")
        return data


def _model_label(label: str) -> str:
    """A model's name in the active language (``pegawai``), or the label as stored."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name)


def _field_labels(label: str, names: list[str]) -> list[str]:
    """The fields' names in the active language (never their values)."""
    try:
        model: type[models.Model] | None = apps.get_model(label)
    except (LookupError, ValueError):
        model = None
    out = []
    for name in names:
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        out.append(str(getattr(field, "verbose_name", name)))
    return out


def _when(moment: dt.datetime, lang: str) -> str:
    """``29 November 2026 14.03.05`` (id) / ``29 November 2026 14:03:05`` (en), local time."""
    local = timezone.localtime(moment)
    clock = local.strftime("%H:%M:%S") if lang == "en" else local.strftime("%H.%M.%S")
    return f"{format_date(local.date(), lang)} {clock}"


def _kinds(section: str) -> list[tuple[str, Any]]:
    if section == "perubahan":
        return [(label, f"{_model_label(label)} ({label})") for label in audit_models()]
    if section == "masuk":
        return list(LoginOutcome.choices)
    return [(kind, kind) for kind in export_kinds()]


def _rows(section: str, objects: list[Any], lang: str) -> list[dict[str, Any]]:
    """What each row of the page shows."""
    rows: list[dict[str, Any]] = []
    for obj in objects:
        if section == "perubahan":
            event: AuditEvent = obj
            rows.append(
                {
                    "when": _when(event.at, lang),
                    "who": event.actor,
                    "ip": event.client_ip or "",
                    "action": event.get_action_display(),
                    "action_code": event.action,
                    "model": _model_label(event.model),
                    "model_code": event.model,
                    "object": event.object_pk,
                    "fields": _field_labels(event.model, list(event.fields or [])),
                    "note": event.note,
                }
            )
        elif section == "masuk":
            rows.append(
                {
                    "when": _when(obj.at, lang),
                    "who": obj.user.get_username() if obj.user is not None else "",
                    "given": obj.username,
                    "outcome": obj.get_outcome_display(),
                    "outcome_code": obj.outcome,
                    "ip": obj.client_ip or "",
                    "agent": obj.user_agent,
                }
            )
        else:
            rows.append(
                {
                    "when": _when(obj.created_at, lang),
                    "who": obj.actor,
                    "kind": obj.kind,
                    "shape": obj.shape,
                    "file": obj.file_name,
                    "rows": format_decimal(obj.rows, 0, lang),
                    "personal": obj.personal,
                    "channel": obj.get_channel_display(),
                }
            )
    return rows


@login_required
@require_GET
def audit_page(request: HttpRequest) -> HttpResponse:
    """One of the three trails, filtered and paged; administrators only (others: 404)."""
    scope = request.scope  # type: ignore[attr-defined]
    if not scope.is_admin:
        raise Http404
    section = request.GET.get("bagian", "")
    if section not in SECTIONS:
        section = "perubahan"
    form = AuditFilterForm(
        request.GET or None, kinds=_kinds(section), kind_label=SECTIONS[section][1]
    )
    valid = not form.is_bound or form.is_valid()
    page = None
    rows: list[dict[str, Any]] = []
    if valid:
        data = form.cleaned_data if form.is_bound else {}
        filters = AuditFilters(
            user=data.get("pengguna") or "",
            since=data.get("dari"),
            until=data.get("sampai"),
            kind=data.get("jenis") or "",
        )
        qs: Any
        if section == "perubahan":
            qs = audit_event_list(filters)
        elif section == "masuk":
            qs = login_event_list(filters)
        else:
            qs = export_log_list(filters)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("halaman"))
        lang = "en" if (get_language() or "id").startswith("en") else "id"
        rows = _rows(section, list(page.object_list), lang)
    query = request.GET.copy()
    query.pop("halaman", None)
    query["bagian"] = section
    filters_only = request.GET.copy()
    for key in ("halaman", "bagian", "jenis"):
        filters_only.pop(key, None)
    tabs = [
        {"key": key, "label": label, "active": key == section}
        for key, (label, _kind) in SECTIONS.items()
    ]
    return render(
        request,
        "accounts/audit.html",
        {
            "section": section,
            "section_label": SECTIONS[section][0],
            "tabs": tabs,
            "tab_query": filters_only.urlencode(),
            "form": form,
            "valid": valid,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        },
    )
