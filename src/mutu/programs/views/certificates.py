"""Certificates: the PDF for its holder and staff in scope, the public verification page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from mutu.programs import access
from mutu.programs.certificates import certificate_pdf, certificate_view
from mutu.programs.models import Certificate
from mutu.programs.selectors import certificate_by_code
from mutu.programs.views._common import lang, require, scope_of


def verification_url(request: HttpRequest, certificate: Certificate) -> str:
    """The absolute address of the certificate's public verification page (its QR code)."""
    return request.build_absolute_uri(
        reverse("programs:verify", args=[certificate.verification_token])
    )


@login_required
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate as a PDF: for its holder, the activity's trainer, staff in scope."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrollment__employee", "enrollment__activity__form"),
        pk=pk,
    )
    require(access.may_read_certificate(scope_of(request), certificate))
    pdf = certificate_pdf(
        certificate, verify_url=verification_url(request, certificate), lang=lang()
    )
    name = certificate.number.replace("/", "-")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{name}.pdf"'
    return response


@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: is the certificate with this code valid, whose is it, for what, how many JP."""
    certificate = certificate_by_code(code)
    if certificate is None:
        return render(request, "programs/verify.html", {"found": False}, status=404)
    return render(
        request, "programs/verify.html", {"found": True, "c": certificate_view(certificate)}
    )
