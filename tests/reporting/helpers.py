"""Checks shared by the fixture tests and the synthetic-world tests."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.utils import translation

from mutu.reporting.formatting import significant_claim_texts
from mutu.reporting.model import (
    Bullets,
    Callout,
    Paragraph,
    Report,
    Table,
    iter_blocks,
    iter_numbers,
    iter_sections,
    resolve,
)
from mutu.reporting.renderers.common import Numbering, inline_text

SIX_ID = [
    "Pendahuluan",
    "Tujuan Program",
    "Strategi Pelaksanaan",
    "Evaluasi Hasil",
    "Tantangan yang Dihadapi",
    "Kesimpulan dan Rekomendasi",
]
SIX_EN = [
    "Introduction",
    "Program Objectives",
    "Implementation Strategy",
    "Evaluation of Results",
    "Challenges Encountered",
    "Conclusions and Recommendations",
]


def untraced_numbers(report: Report, results: Mapping[str, Any]) -> list[str]:
    """Every printed number whose value differs from the value at its source path."""
    bad: list[str] = []
    for number in iter_numbers(report):
        try:
            expected = resolve(results, number.source)
        except KeyError:
            bad.append(f"{number.source}: no such path")
            continue
        if number.value is None:
            if expected is not None and not (
                isinstance(expected, float) and not math.isfinite(expected)
            ):
                bad.append(f"{number.source}: printed as missing but is {expected!r}")
            continue
        if isinstance(expected, bool) or not isinstance(expected, int | float):
            bad.append(f"{number.source}: {expected!r} is not a number")
            continue
        # Printed to number.digits decimals: equal within half a unit of the last digit.
        scale = 100 if number.kind == "percent" else 1
        tolerance = 0.5 * 10 ** (-number.digits) / scale if number.kind != "p_value" else 5e-4
        if abs(number.value - expected) > tolerance:
            bad.append(f"{number.source}: printed {number.value!r}, results {expected!r}")
    return bad


def body_text(report: Report) -> Iterator[str]:
    """The running text of the six sections (paragraphs, lists, callouts, table cells)."""
    numbering = Numbering(report)
    with translation.override(report.lang):
        for section in iter_sections(report.sections):
            yield section.heading
            for block in section.blocks:
                if isinstance(block, Callout):
                    yield block.title
                if isinstance(block, Paragraph | Callout):
                    yield inline_text(block.parts, report.lang, numbering)
                elif isinstance(block, Bullets):
                    for item in block.items:
                        yield inline_text(item, report.lang, numbering)
                elif isinstance(block, Table):
                    for row in block.rows:
                        yield " | ".join(c for c in row if isinstance(c, str))


def sentences(report: Report) -> list[str]:
    out: list[str] = []
    for text in body_text(report):
        out += [s.strip() for s in re.split(r"(?<=[.;:])\s+", text) if s.strip()]
    return out


def significance_claims(report: Report) -> list[str]:
    """Sentences and cells that claim a significant change."""
    with translation.override(report.lang):
        claims = [t.rstrip(".") for t in significant_claim_texts()]
    word = "signifikan" if report.lang == "id" else "significant"
    cell_words = (
        ("peningkatan signifikan", "penurunan signifikan")
        if report.lang == "id"
        else ("significant increase", "significant decrease")
    )
    found = []
    for text in body_text(report):
        if (
            any(c in text for c in claims)
            or any(w in text for w in cell_words)
            or (word in text.lower() and "hanya bila" not in text and "only when" not in text)
        ):
            found.append(text)
    return found


def all_blocks(report: Report) -> list[Any]:
    return list(iter_blocks(report))
