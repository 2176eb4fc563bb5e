"""Instruments in the field: an activity's forms and links, the form behind a link, the SKM.

Public pages (no sign-in): the form behind a personal link, the citizens' SKM
form, its thank-you page and its QR poster.  They show nothing beyond what the
form is for.  Staff pages need a sign-in and an activity in the user's reach
(:func:`mutu.instruments.selectors.activity_access`); anything else is a 404.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mutu.accounts.models import Role
from mutu.domain.errors import MutuValueError
from mutu.instruments.field_services import (
    AlreadySubmitted,
    AnswerErrors,
    RateLimited,
    activity_instrument_attach,
    activity_instrument_detach,
    link_draft_save,
    link_submit,
    links_ensure,
    skm_instrument_ensure,
    skm_submit,
)
from mutu.instruments.forms import AttachForm
from mutu.instruments.models import ActivityInstrument, InstrumentKind, InstrumentLink, LinkRole
from mutu.instruments.selectors import (
    TEST_KINDS,
    ActivityAccess,
    FormItem,
    LinkRow,
    LinkState,
    PersonLink,
    activity_access,
    activity_attachments,
    attachment_counts,
    form_items,
    link_by_token,
    link_response,
    link_rows,
    link_state,
    person_links,
    response_score,
    skm_unit,
    skm_version,
    staff_activities,
)
from mutu.instruments.tokens import token_for
from mutu.programs.models import Activity
from mutu.reporting.formatting import active_lang, format_date, format_decimal


@dataclass(frozen=True)
class Question:
    """An item with what the respondent has chosen or typed so far."""

    item: FormItem
    value: str
    has_error: bool


@dataclass(frozen=True)
class WhatsAppMessage:
    name: str
    text: str
    share: str


@dataclass(frozen=True)
class MyForm:
    link: PersonLink
    url: str
    closes: str


def _questions(
    items: list[FormItem], values: dict[str, str], bad: tuple[str, ...]
) -> list[Question]:
    return [Question(i, values.get(i.code, ""), i.field in bad) for i in items]


def _posted(items: list[FormItem], data: Any) -> dict[str, str]:
    return {i.code: str(data.get(i.field, "")).strip() for i in items}


def _title(instrument: Any, lang: str) -> str:
    return str(instrument.title_en if lang == "en" and instrument.title_en else instrument.title_id)


# -- the form behind a personal link (public) --------------------------------------------------

_STATUS = {
    LinkState.NOT_YET: 200,
    LinkState.CLOSED: 410,
    LinkState.WITHDRAWN: 410,
    LinkState.SUBMITTED: 200,
}


def _link_status_page(
    request: HttpRequest, link: InstrumentLink | None, state: str
) -> HttpResponse:
    lang = active_lang()
    context: dict[str, Any] = {"state": state}
    if link is not None:
        attachment = link.attachment
        instrument = attachment.version.instrument
        context.update(
            title=_title(instrument, lang),
            activity=attachment.activity.title,
            opens=format_date(attachment.opens_on, lang),
            closes=format_date(attachment.closes_on, lang),
        )
        if state == LinkState.SUBMITTED and instrument.kind in TEST_KINDS:
            response = link_response(link)
            score = response_score(response) if response is not None else None
            if score is not None:
                context["score"] = format_decimal(score, 1, lang)
    status = 404 if link is None else _STATUS.get(LinkState(state), 200)
    return render(request, "instruments/link_status.html", context, status=status)


def _form_context(
    link: InstrumentLink, values: dict[str, str], bad: tuple[str, ...], lang: str
) -> dict[str, Any]:
    attachment = link.attachment
    version = attachment.version
    instrument = version.instrument
    supervisor = link.respondent_role == LinkRole.SUPERVISOR
    return {
        "link": link,
        "title": _title(instrument, lang),
        "activity": attachment.activity.title,
        "anonymous": instrument.is_anonymous,
        "respondent": "" if instrument.is_anonymous else link.respondent.name,
        "subject": link.enrollment.employee.name if supervisor else "",
        "self_rating": instrument.kind == InstrumentKind.SUPERVISOR_RATING and not supervisor,
        "closes": format_date(attachment.closes_on, lang),
        "questions": _questions(form_items(version, lang), values, bad),
        "save_url": reverse("instruments:link_save", args=[token_for(link.nonce)]),
    }


@never_cache
def link_form(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire behind a personal link: fill, save for later, submit once."""
    # A submission needs the respondent's and participant's ids only; the page reads them.
    link = link_by_token(token, people=request.method != "POST")
    if link is None:
        return _link_status_page(request, None, "unknown")
    state = link_state(link)
    if state != LinkState.OPEN:
        return _link_status_page(request, link, state)
    lang = active_lang()
    if request.method != "POST":
        draft = {str(k): str(v) for k, v in (link.draft or {}).items()}
        return render(request, "instruments/link_form.html", _form_context(link, draft, (), lang))
    try:
        if request.POST.get("action") == "save":
            link_draft_save(link=link, data=request.POST)
            messages.success(request, _("Your answers are saved. You can continue later."))
        else:
            link_submit(link=link, data=request.POST)
    except AlreadySubmitted:
        pass  # a double click or a retried request: the first one was stored
    except MutuValueError as err:
        # The items are read here only: a stored submission needs nothing of them but the
        # checks in link_submit (docs/scale.md, "Survey intake throughput").
        values = _posted(form_items(link.attachment.version, lang), request.POST)
        context = _form_context(link, values, getattr(err, "fields", ()), lang)
        context["error"] = err.message(lang)
        return render(request, "instruments/link_form.html", context, status=400)
    return redirect("instruments:link", token=token)


@never_cache
@require_POST
def link_save(request: HttpRequest, token: str) -> HttpResponse:
    """Save the answers so far (htmx, on every change); answers a small status fragment."""
    link = link_by_token(token)
    if link is None:
        raise Http404
    lang = active_lang()
    context: dict[str, Any] = {}
    try:
        link_draft_save(link=link, data=request.POST)
        context["saved_at"] = timezone.localtime().strftime("%H.%M" if lang == "id" else "%H:%M")
    except MutuValueError as err:
        context["error"] = err.message(lang)
        if not isinstance(err, AnswerErrors):
            response = render(request, "instruments/_save_status.html", context)
            response["HX-Refresh"] = "true"  # closed or submitted meanwhile: show that page
            return response
    return render(request, "instruments/_save_status.html", context)


# -- staff: an activity's forms and links ------------------------------------------------------


def _staff_activity(request: HttpRequest, code: str) -> tuple[Activity, ActivityAccess]:
    activity = get_object_or_404(Activity.objects.select_related("program"), code=code)
    access = activity_access(request.scope, activity)  # type: ignore[attr-defined]
    if access is None:
        raise Http404
    return activity, access


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Activities whose forms the user runs; people without such a role go to their own forms."""
    scope = request.scope  # type: ignore[attr-defined]
    if not scope.has(Role.ADMIN, Role.UNIT_OPERATOR, Role.TRAINER):
        if scope.employee_id is not None:
            return redirect("instruments:my_forms")
        raise Http404
    query = request.GET.get("q", "").strip()[:60]
    activities = list(staff_activities(scope, query)[:100])
    lang = active_lang()
    rows = [
        {
            "activity": a,
            "start": format_date(a.start_date, lang),
            "end": format_date(a.end_date, lang),
        }
        for a in activities
    ]
    return render(request, "instruments/home.html", {"rows": rows, "q": query})


@login_required
def activity_forms(request: HttpRequest, code: str) -> HttpResponse:
    """An activity's instruments: attach (managers), links and who has answered."""
    activity, access = _staff_activity(request, code)
    lang = active_lang()
    form = AttachForm(request.POST or None)
    if request.method == "POST":
        if not access.manage:
            return HttpResponseForbidden()
        if form.is_valid():
            try:
                activity_instrument_attach(
                    activity=activity,
                    version=form.cleaned_data["version"],
                    occasion=form.cleaned_data["occasion"],
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                    created_by_id=request.user.pk,
                )
            except MutuValueError as err:
                form.add_error(err.field if err.field in form.fields else None, err.message(lang))
            else:
                messages.success(request, _("The instrument is attached and its links are ready."))
                return redirect("instruments:activity", code=activity.code)
    else:
        links_ensure(activity=activity)
    counts = attachment_counts(activity, access)
    rows = link_rows(activity, access)
    attachments = []
    for attachment in activity_attachments(activity):
        done, total = counts.get(attachment.pk, (0, 0))
        mine = [r for r in rows if r.attachment_id == attachment.pk]
        attachments.append(
            {
                "obj": attachment,
                "title": _title(attachment.version.instrument, lang),
                "anonymous": attachment.version.instrument.is_anonymous,
                "opens": format_date(attachment.opens_on, lang),
                "closes": format_date(attachment.closes_on, lang),
                "done": done,
                "total": total,
                "rows": [(r, _absolute(request, r.token)) for r in mine],
            }
        )
    context = {
        "activity": activity,
        "access": access,
        "form": form,
        "attachments": attachments,
        "start": format_date(activity.start_date, lang),
        "end": format_date(activity.end_date, lang),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "instruments/activity.html", context, status=status)


@login_required
@require_POST
def detach(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Remove an attached instrument nobody has answered yet (managers only)."""
    activity, access = _staff_activity(request, code)
    attachment = get_object_or_404(ActivityInstrument, pk=pk, activity=activity)
    if not access.manage:
        return HttpResponseForbidden()
    try:
        activity_instrument_detach(attachment=attachment)
    except MutuValueError as err:
        messages.error(request, err.message(active_lang()))
    else:
        messages.success(request, _("The instrument is removed from the activity."))
    return redirect("instruments:activity", code=activity.code)


def _absolute(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("instruments:link", args=[token]))


def _export_rows(
    request: HttpRequest, activity: Activity, access: ActivityAccess
) -> list[tuple[LinkRow, ActivityInstrument, str]]:
    links_ensure(activity=activity)
    attachments = {a.pk: a for a in activity_attachments(activity)}
    return [
        (row, attachments[row.attachment_id], _absolute(request, row.token))
        for row in link_rows(activity, access)
    ]


@login_required
def links_csv(request: HttpRequest, code: str) -> HttpResponse:
    """Every personal link of the activity the user may see, as CSV (UTF-8, for spreadsheets)."""
    activity, access = _staff_activity(request, code)
    lang = active_lang()
    buffer = io.StringIO()
    buffer.write("\ufeff")  # spreadsheet programs read UTF-8 only with the byte-order mark
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Name"),
            "NIP",
            _("Unit"),
            _("Instrument"),
            _("Occasion"),
            _("Role"),
            _("Rates (NIP)"),
            _("Answered"),
            _("Link"),
        ]
    )
    for row, attachment, url in _export_rows(request, activity, access):
        writer.writerow(
            [
                row.name,
                row.nip,
                row.unit,
                _title(attachment.version.instrument, lang),
                attachment.get_occasion_display(),
                LinkRole(row.role).label,
                row.subject_nip,
                _("yes") if row.submitted else _("no"),
                url,
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tautan-{activity.code}.csv"'
    return response


def whatsapp_text(
    name: str,
    forms: list[tuple[LinkRow, ActivityInstrument, str]],
    activity: Activity,
    lang: str,
) -> str:
    """One person's message with each of their links, ready to paste into WhatsApp."""
    parts = [
        _(
            'Dear %(name)s,\nplease fill in the following for the activity "%(activity)s" '
            "through your personal links (do not forward them):"
        )
        % {"name": name, "activity": activity.title}
    ]
    for row, attachment, url in forms:
        values = {
            "instrument": _title(attachment.version.instrument, lang),
            "subject": row.subject_name,
            "date": format_date(attachment.closes_on, lang),
            "url": url,
        }
        if row.role == LinkRole.SUPERVISOR:
            line = _("• rate the work of %(subject)s (%(instrument)s), by %(date)s:\n%(url)s")
        else:
            line = _("• %(instrument)s, by %(date)s:\n%(url)s")
        parts.append(line % values)
    parts.append(_("Thank you."))
    return "\n\n".join(parts)


@login_required
def links_whatsapp(request: HttpRequest, code: str) -> HttpResponse:
    """One WhatsApp-ready message per person with the forms they have not answered.

    ``?semua=1`` includes the forms already answered too; ``?format=txt``
    downloads the messages as one text file.
    """
    activity, access = _staff_activity(request, code)
    lang = active_lang()
    everyone = request.GET.get("semua") == "1"
    by_person: dict[str, list[tuple[LinkRow, ActivityInstrument, str]]] = {}
    names: dict[str, str] = {}
    for row, attachment, url in _export_rows(request, activity, access):
        by_person.setdefault(row.nip, [])
        names[row.nip] = row.name
        if everyone or not row.submitted:
            by_person[row.nip].append((row, attachment, url))
    messages_out = [
        WhatsAppMessage(names[nip], text, "https://wa.me/?text=" + quote(text))
        for nip, forms in by_person.items()
        if forms
        for text in [whatsapp_text(names[nip], forms, activity, lang)]
    ]
    skipped = sum(1 for forms in by_person.values() if not forms)
    if request.GET.get("format") == "txt":
        body = "\n\n---\n\n".join(m.text for m in messages_out)
        response = HttpResponse(body, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="whatsapp-{activity.code}.txt"'
        return response
    context = {
        "activity": activity,
        "messages_out": messages_out,
        "skipped": skipped,
        "everyone": everyone,
    }
    return render(request, "instruments/whatsapp.html", context)


# -- the signed-in person's own forms (participants, supervisors) ------------------------------


@login_required
def my_forms(request: HttpRequest) -> HttpResponse:
    """The person's forms: their own and, for a supervisor, the follow-ups of their staff."""
    scope = request.scope  # type: ignore[attr-defined]
    lang = active_lang()
    links = person_links(scope.employee_id) if scope.employee_id is not None else []
    rows = [
        MyForm(
            link, reverse("instruments:link", args=[link.token]), format_date(link.closes_on, lang)
        )
        for link in links
    ]
    waiting = [r for r in rows if r.link.state in (LinkState.OPEN, LinkState.NOT_YET)]
    context = {
        "linked": scope.employee_id is not None,
        "followups": [r for r in waiting if r.link.role == LinkRole.SUPERVISOR],
        "own": [r for r in waiting if r.link.role == LinkRole.PARTICIPANT],
        "past": [r for r in rows if r not in waiting],
    }
    return render(request, "instruments/my_forms.html", context)


# -- the citizens' SKM (public) ----------------------------------------------------------------


def _unknown_unit(request: HttpRequest) -> HttpResponse:
    return render(request, "instruments/skm_unknown.html", status=404)


def client_ip(request: HttpRequest) -> str:
    """The client's address, for rate limiting.

    ``REMOTE_ADDR``; but when the request comes from a proxy on the same machine
    (nginx or Caddy in front of ``mutu serve --production``), the last address of
    ``X-Forwarded-For``: the one that proxy appended.  Earlier entries are the
    client's to invent, so they are never used.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    if forwarded and (remote.startswith("127.") or remote == "::1"):
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return remote or "unknown"


def skm_form(request: HttpRequest, unit_code: str) -> HttpResponse:
    """The public, anonymous satisfaction survey of one service unit."""
    unit = skm_unit(unit_code)
    if unit is None:
        return _unknown_unit(request)
    version = skm_version() or skm_instrument_ensure()
    lang = active_lang()
    items = form_items(version, lang)
    context: dict[str, Any] = {"unit": unit}
    if request.method == "POST":
        try:
            skm_submit(unit=unit, version=version, data=request.POST, client_ip=client_ip(request))
        except RateLimited as err:
            context["error"] = err.message(lang)
            return render(request, "instruments/skm_limited.html", context, status=429)
        except MutuValueError as err:
            context["error"] = err.message(lang)
            context["questions"] = _questions(
                items, _posted(items, request.POST), getattr(err, "fields", ())
            )
            return render(request, "instruments/skm_form.html", context, status=400)
        return redirect("instruments:skm_thanks", unit_code=unit.code)
    context["questions"] = _questions(items, {}, ())
    return render(request, "instruments/skm_form.html", context)


def skm_thanks(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Thanks after an SKM submission."""
    unit = skm_unit(unit_code)
    if unit is None:
        return _unknown_unit(request)
    return render(request, "instruments/skm_thanks.html", {"unit": unit})


def skm_poster(request: HttpRequest, unit_code: str) -> HttpResponse:
    """A printable poster for the counter: the unit's SKM form as a QR code (inline SVG)."""
    unit = skm_unit(unit_code)
    if unit is None:
        return _unknown_unit(request)
    url = request.build_absolute_uri(reverse("instruments:skm", args=[unit.code]))
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=8, border=2, title=_("QR code of the survey form"))
    return render(
        request,
        "instruments/skm_poster.html",
        {"unit": unit, "url": url, "qr_svg": mark_safe(svg)},  # segno's own markup
    )
