"""One chart spec, two renderings: deterministic PNG and an offline SVG with tooltips."""

from __future__ import annotations

import re

import pytest

from mutu.reporting.charts import _png, render_png, render_svg
from mutu.reporting.model import ChartKind, ChartSpec, Number, ReferenceLine, Series


def n(value: float, kind: str = "decimal", digits: int = 1) -> Number:
    return Number(value, kind, digits, "/x")  # type: ignore[arg-type]


SPECS: dict[ChartKind, ChartSpec] = {
    "histogram": ChartSpec(
        "histogram",
        ("0–10 JP", "10–20 JP", "20–30 JP"),
        (Series("PNS", (n(500, "count", 0), n(400, "count", 0), n(120, "count", 0))),),
        reference=ReferenceLine(20, "20 JP"),
        edges=(0, 10, 20, 30),
        value_kind="count",
    ),
    "point_range": ChartSpec(
        "point_range",
        ("PMPP", "TKPB"),
        (Series("gain", (n(12.1), n(-0.4)), (n(10.0), n(-2.0)), (n(14.2), n(1.2))),),
        reference=ReferenceLine(0),
    ),
    "line": ChartSpec(
        "line",
        ("2023", "2024", "2025"),
        (
            Series("RSUD", (n(75.0), None, n(77.5))),
            Series("Kabupaten", (n(76.0), n(77.0), n(78.0)), emphasis=True),
        ),
    ),
    "funnel": ChartSpec(
        "funnel",
        ("Diusulkan", "Hadir", "Selesai"),
        (Series("n", (n(1069, "count", 0), n(667, "count", 0), n(599, "count", 0))),),
        value_kind="count",
    ),
    "bar": ChartSpec(
        "bar",
        ("2025", "2026"),
        (
            Series("Anggaran", (n(2.39e9, "rupiah", 0), n(2.39e9, "rupiah", 0))),
            Series("Realisasi", (n(2.0e9, "rupiah", 0), n(2.1e9, "rupiah", 0))),
        ),
        value_kind="rupiah",
    ),
    "ranked_bar": ChartSpec(
        "ranked_bar",
        ("Babussalam", "Leuser"),
        (Series("rate", (n(0.74, "percent", 0), n(0.34, "percent", 0))),),
        reference=ReferenceLine(0.6, "Kabupaten"),
        value_kind="percent",
    ),
}


@pytest.mark.parametrize("kind", list(SPECS))
def test_png_is_deterministic_and_carries_no_stamp(kind: ChartKind) -> None:
    spec = SPECS[kind]
    first = _png.__wrapped__(spec, "id", 100)  # bypass the cache: draw twice
    second = _png.__wrapped__(spec, "id", 100)
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert first == second
    assert b"matplotlib" not in first.lower() and b"Software" not in first
    assert render_png(spec, "id") == render_png(spec, "id")


@pytest.mark.parametrize("kind", list(SPECS))
def test_svg_has_a_tooltip_per_mark_and_nothing_external(kind: ChartKind) -> None:
    spec = SPECS[kind]
    svg = render_svg(spec, "id", prefix=f"fig-{kind}")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert svg == render_svg(spec, "id", prefix=f"fig-{kind}")
    marks = re.findall(r'<g id="fig-[a-z_]+-mark\d+" class="mark"><title>([^<]*)</title>', svg)
    values = sum(1 for s in spec.series for v in s.values if v is not None)
    assert len(marks) >= values
    assert "<script" not in svg and "<image" not in svg
    assert not re.search(r'(href|src)="(?!#)', svg)  # only in-document references
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith(f"fig-{kind}-") for i in ids)
    assert 'width="100%"' in svg and "viewBox" in svg


def test_numbers_in_tooltips_and_axes_follow_the_language() -> None:
    from django.utils import translation

    spec = SPECS["bar"]
    with translation.override("id"):
        svg_id = render_svg(spec, "id")
    with translation.override("en"):
        svg_en = render_svg(spec, "en")
    assert "Rp 2,39 miliar" in svg_id and "Rp 2.39 billion" in svg_en
    assert "Rp miliar" in svg_id
    assert "2,0" in svg_id and "2.0" in svg_en  # axis ticks
