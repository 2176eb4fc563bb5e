"""Security headers on every response: a Content Security Policy and a Permissions Policy.

Django's own middleware already sends ``X-Frame-Options: DENY``
(``X_FRAME_OPTIONS``), ``X-Content-Type-Options: nosniff``,
``Referrer-Policy: same-origin`` and ``Cross-Origin-Opener-Policy:
same-origin``; HSTS in production when asked for (docs/settings.md).

The policy (CSP Level 3, https://www.w3.org/TR/CSP3/) lets pages load
scripts, styles, images, fonts and connections from Mutu itself only:

- ``script-src 'self'``: no inline script, no ``onclick=`` attribute, no
  ``eval``. Page behaviour lives in static files (``web/behaviour.js``; htmx
  from django-htmx). This is what stops injected markup from running.
- ``style-src 'self' 'unsafe-inline'``: inline styles are allowed, because the
  charts are matplotlib SVG drawn inline (its ``style=`` attributes and a
  ``<style>`` element) and htmx adds its indicator style. Styles cannot run
  code, and ``img-src``/``font-src``/``connect-src`` keep a style from
  sending anything elsewhere.
- ``img-src 'self' data:``: the reports' PNG charts are ``data:`` images.
- ``frame-ancestors 'none'`` (as ``X-Frame-Options: DENY``), ``form-action
  'self'``, ``base-uri 'self'``, ``object-src 'none'``.

A view that needs another policy sets its own ``Content-Security-Policy``
header; it is then left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

__all__ = ["CONTENT_SECURITY_POLICY", "PERMISSIONS_POLICY", "SecurityHeadersMiddleware"]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

#: Browser features no Mutu page uses; a QR code is read by the phone's own camera app.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    """Add ``Content-Security-Policy`` and ``Permissions-Policy`` unless the view set them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
