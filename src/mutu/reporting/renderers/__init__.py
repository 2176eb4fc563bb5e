"""Renderers: one :class:`~mutu.reporting.model.Report`, four file formats.

Each renderer takes the report model and returns bytes (HTML as text); none
computes anything or reads the evaluation results.
"""

from __future__ import annotations

from collections.abc import Callable

from mutu.reporting.model import Report
from mutu.reporting.renderers.docx import render_docx
from mutu.reporting.renderers.html import render_html
from mutu.reporting.renderers.pdf import render_pdf
from mutu.reporting.renderers.xlsx import render_xlsx

__all__ = ["FORMATS", "render", "render_docx", "render_html", "render_pdf", "render_xlsx"]


def _html_bytes(report: Report) -> bytes:
    return render_html(report).encode("utf-8")


#: Renderer of each format, by file extension.
FORMATS: dict[str, Callable[[Report], bytes]] = {
    "html": _html_bytes,
    "pdf": render_pdf,
    "docx": render_docx,
    "xlsx": render_xlsx,
}


def render(report: Report, fmt: str) -> bytes:
    """The report in one format (``html``, ``pdf``, ``docx`` or ``xlsx``) as bytes."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise ValueError(
            f"Format laporan tidak dikenal: {fmt!r} (pilih {', '.join(FORMATS)}). / "
            f"Unknown report format: {fmt!r} (choose {', '.join(FORMATS)})."
        ) from None
    return renderer(report)
