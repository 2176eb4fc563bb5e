"""The report as an A4 PDF, drawn by WeasyPrint from the HTML with a print stylesheet.

Why WeasyPrint (not reportlab): the PDF is the HTML report laid out for
paper, so the two cannot drift apart; CSS paged media gives page numbers
("Halaman 3 dari 24"), a table of contents with page numbers
(``target-counter``), repeated table headers and footnotes at the foot of the
page without layout code of our own. It is pure Python on PyPI and needs
Pango (``libpango-1.0-0``, ``libpangoft2-1.0-0``) and a font
(``fonts-dejavu-core``) from Debian — see ``docs/reporting.md``.

Charts are the same specs as in the HTML, as 200-dpi PNG.
"""

from __future__ import annotations

import json

from django.utils import translation
from django.utils.translation import gettext as _

from mutu.reporting.model import Report
from mutu.reporting.renderers.common import page_template
from mutu.reporting.renderers.html import render_html

__all__ = ["page_css", "render_pdf"]


def _css_string(text: str) -> str:
    """A CSS string literal (JSON's escaping is valid CSS for these texts)."""
    return json.dumps(text, ensure_ascii=False)


def page_css(report: Report) -> str:
    """The @page margin boxes: page numbers, running title, synthetic-data warning."""
    with translation.override(report.lang):
        before, middle, after = page_template()
        kind = _("Evaluation report")
        running = f"{kind} · {report.regency} · {report.period}"
        warning = _("SYNTHETIC DATA") if report.warning else ""
    number = (
        f"{_css_string(before)} counter(page) {_css_string(middle)} counter(pages) "
        f"{_css_string(after)}"
    )
    box = "font-family: 'DejaVu Sans', sans-serif; font-size: 7.5pt; color: #5a5a5a;"
    rules = [
        f"@page {{ @bottom-center {{ content: {number}; {box} }}",
        f"  @top-left {{ content: {_css_string(running)}; width: 75%; {box} }}",
    ]
    if warning:
        rules.append(
            f"  @top-right {{ content: {_css_string(warning)}; width: 25%; text-align: right; "
            f"{box} color: #b35900; font-weight: bold; }}"
        )
    rules.append("}")
    return "\n".join(rules)


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes (A4, cover, contents with page numbers, page X of Y)."""
    import weasyprint  # imported here: loading Pango is slow and only the PDF needs it

    html = render_html(report, for_print=True, extra_css=page_css(report))
    document = weasyprint.HTML(string=html, base_url=".")
    pdf = document.write_pdf()
    assert pdf is not None
    return bytes(pdf)
