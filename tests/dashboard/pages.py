"""Reading figures back from a rendered page: by the JSON Pointer the page prints beside them."""

from __future__ import annotations

import html
import re

from django.test import Client


def page(client: Client, url: str, *, lang: str = "id") -> str:
    """The page's HTML (asserting a 200) in a language."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def kpi(text: str, source: str) -> str:
    """The value of the tile whose figure comes from ``source``."""
    match = re.search(
        r'data-source="' + re.escape(source) + r'">\s*<div class="label">[^<]*</div>\s*'
        r'<div class="value[^"]*">([^<]*)</div>',
        text,
    )
    assert match is not None, f"no tile for {source}"
    return html.unescape(match.group(1)).strip()


def cell(text: str, source: str) -> str:
    """The text of the table cell whose figure comes from ``source``."""
    match = re.search(
        r'<td class="[^"]*" data-source="' + re.escape(source) + r'">(?:<a [^>]*>)?([^<]*)',
        text,
    )
    assert match is not None, f"no cell for {source}"
    return html.unescape(match.group(1)).strip()
