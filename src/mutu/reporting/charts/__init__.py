"""One chart spec, two renderings: a static PNG (PDF, DOCX) and an inline SVG (HTML).

Both come from the same matplotlib drawing (:mod:`.draw`), on the Agg and
SVG backends without pyplot. The output is deterministic: fixed DPI, DejaVu
Sans (shipped with matplotlib), a fixed SVG hash salt, and no date or software
stamp in the file metadata — the same spec gives the same bytes.

The SVG keeps its text as text (searchable, small), scales to the width of
its container (mobile), and carries a ``<title>`` on every data mark, which
browsers show as a tooltip on hover or long press: interactive without any
script or external file, so the HTML report works offline.
"""

from __future__ import annotations

import functools
import io
import re
from html import escape
from typing import Any

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.typing import RcKeyType

from mutu.reporting.charts.draw import draw
from mutu.reporting.formatting import active_lang
from mutu.reporting.model import ChartSpec

__all__ = ["PNG_DPI", "render_png", "render_svg"]

PNG_DPI = 200

_RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9,
    "svg.fonttype": "none",
    "svg.hashsalt": "mutu-report",
    "axes.unicode_minus": True,
    "figure.dpi": 100,
}


def render_png(spec: ChartSpec, lang: str | None = None, *, dpi: int = PNG_DPI) -> bytes:
    """The chart as PNG bytes (no timestamp or software name in the metadata).

    Cached per spec, language and resolution: the PDF and the DOCX of one report
    draw the same charts.
    """
    return _png(spec, active_lang(lang), dpi)


@functools.lru_cache(maxsize=64)
def _png(spec: ChartSpec, code: str, dpi: int) -> bytes:
    with mpl.rc_context(_RC):
        fig, _tips = draw(spec, code)
        FigureCanvasAgg(fig)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    return out.getvalue()


_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'(xlink:href|href)="#([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")


def render_svg(spec: ChartSpec, lang: str | None = None, *, prefix: str = "chart") -> str:
    """The chart as an inline ``<svg>`` element with a ``<title>`` tooltip on every mark.

    ``prefix`` makes the element ids unique when several charts share one
    HTML page (matplotlib numbers its ids from 1 in every file).
    """
    code = active_lang(lang)
    with mpl.rc_context(_RC):
        fig, tips = draw(spec, code)
        FigureCanvasSVG(fig)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _HREF.sub(lambda m: f'{m.group(1)}="#{prefix}-{m.group(2)}"', svg)
    svg = _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    for i, text in enumerate(tips.texts):
        svg = svg.replace(
            f'<g id="{prefix}-mark{i}">',
            f'<g id="{prefix}-mark{i}" class="mark"><title>{escape(text)}</title>',
            1,
        )
    # Scale with the container: keep the viewBox, drop the fixed size in points.
    svg = re.sub(
        r'<svg([^>]*?) width="[^"]+" height="[^"]+"',
        r'<svg\1 width="100%" preserveAspectRatio="xMidYMid meet"',
        svg,
        count=1,
    )
    return svg.strip()
