"""Certificates as PDF: A4 landscape, with a QR code that opens the public verification page.

The page is HTML rendered by WeasyPrint from ``programs/certificate_pdf.html``;
the QR code is an inline SVG made by segno, so no image file is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from mutu.programs.models import Certificate, JpLedgerEntry
from mutu.programs.templatetags.programs_format import format_jp
from mutu.reporting.formatting import format_date

__all__ = [
    "CertificateView",
    "certificate_html",
    "certificate_pdf",
    "certificate_view",
    "credited_jp",
    "qr_svg",
    "regency_name",
]


def regency_name() -> str:
    """The regency that issues the certificates (setting ``MUTU_REGENCY``, else the report's)."""
    from mutu.reporting.compose import DEFAULT_REGENCY

    return str(getattr(settings, "MUTU_REGENCY", "") or DEFAULT_REGENCY)


def qr_svg(url: str, *, scale: int = 4) -> SafeString:
    """``url`` as a QR code, an inline ``<svg>`` element (error correction M)."""
    code = segno.make(url, error="m", micro=False)
    # segno's own output: markup with no user text in it but the encoded path.
    return mark_safe(code.svg_inline(scale=scale, border=2, title=url, omitsize=True))


def credited_jp(certificate: Certificate) -> Decimal:
    """JP the completion credited (the ledger entry), else the activity's JP."""
    entry = JpLedgerEntry.objects.filter(enrollment_id=certificate.enrollment_id).first()
    return entry.jp if entry is not None else certificate.enrollment.activity.jp


@dataclass(frozen=True)
class CertificateView:
    """What a certificate says, ready for the PDF and the verification page."""

    number: str
    holder: str
    nip: str
    activity: str
    form: str
    start: date
    end: date
    issued_on: date
    jp: Decimal
    valid: bool


def certificate_view(certificate: Certificate) -> CertificateView:
    enrollment = certificate.enrollment
    activity = enrollment.activity
    lang = (translation.get_language() or "id")[:2]
    form = activity.form.label_en if lang == "en" and activity.form.label_en else ""
    return CertificateView(
        number=certificate.number,
        holder=enrollment.employee.name,
        nip=enrollment.employee.nip,
        activity=activity.title,
        form=form or activity.form.label_id,
        start=activity.start_date,
        end=activity.end_date,
        issued_on=certificate.issued_on,
        jp=credited_jp(certificate),
        valid=enrollment.status == "completed",
    )


def certificate_html(certificate: Certificate, *, verify_url: str, lang: str = "id") -> str:
    """The certificate's page as HTML (what :func:`certificate_pdf` prints)."""
    with translation.override(lang):
        view = certificate_view(certificate)
        return render_to_string(
            "programs/certificate_pdf.html",
            {
                "c": view,
                "regency": regency_name(),
                "organiser": certificate.enrollment.activity.organiser,
                "venue": certificate.enrollment.activity.venue,
                "start": format_date(view.start, lang),
                "end": format_date(view.end, lang),
                "issued": format_date(view.issued_on, lang),
                "jp": format_jp(view.jp, lang),
                "verify_url": verify_url,
                "qr": qr_svg(verify_url, scale=3),
                "lang": lang,
            },
        )


def certificate_pdf(certificate: Certificate, *, verify_url: str, lang: str = "id") -> bytes:
    """The certificate as an A4 landscape PDF; its QR code encodes ``verify_url``."""
    from weasyprint import HTML

    html = certificate_html(certificate, verify_url=verify_url, lang=lang)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
