"""Security headers on every page, and no inline script anywhere the policy would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client

from mutu.web.security import CONTENT_SECURITY_POLICY, SecurityHeadersMiddleware

SRC = Path(__file__).resolve().parents[2] / "src" / "mutu"
#: A <script> element without src= (its code would be inline), and an on…= handler attribute.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def directives(policy: str) -> dict[str, list[str]]:
    parts = (d.split() for d in policy.split(";") if d.strip())
    return {name: values for name, *values in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/masuk/", "/admin/login/", "/health/"])
def test_every_answer_carries_the_headers(client: Client, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 200
    policy = directives(answer.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "same-origin"
    permissions = answer.headers["Permissions-Policy"]
    assert "camera=()" in permissions and "geolocation=()" in permissions


def test_a_view_may_set_its_own_policy() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("x")
        response.headers["Content-Security-Policy"] = "default-src 'none'"
        return response

    assert (
        SecurityHeadersMiddleware(view)(HttpRequest()).headers["Content-Security-Policy"]
        == "default-src 'none'"
    )
    plain = SecurityHeadersMiddleware(lambda r: HttpResponse("x"))(HttpRequest())
    assert plain.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_no_template_has_inline_script_or_handlers() -> None:
    offending = []
    for path in sorted(SRC.rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER):
            offending += [
                f"{path.relative_to(SRC)}: {m.group(0)[:60]}" for m in pattern.finditer(text)
            ]
    assert offending == []


def test_the_patterns_catch_what_they_should() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert HANDLER.search('<input readonly onfocus="this.select()">')
    assert not HANDLER.search('<input readonly data-select-on-focus value="one=1">')


@pytest.mark.django_db
def test_the_behaviour_script_is_served_and_loaded_by_every_page(client: Client) -> None:
    page = client.get("/masuk/").content.decode()
    assert re.search(r'<script src="/static/web/behaviour\.js" defer>', page)
    script = b"".join(client.get("/static/web/behaviour.js").streaming_content)  # type: ignore[attr-defined]
    assert b"data-select-on-focus" in script and b"data-print" in script
