"""Word XML the python-docx API does not cover: fields, shading, borders, fonts, widths."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph


def add_field(
    paragraph: DocxParagraph, instruction: str, placeholder: str = "1", half_points: int = 16
) -> None:
    """Append a simple field (``PAGE``, ``NUMPAGES``) with a cached placeholder."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(half_points))
    props.append(size)
    run.append(props)
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def add_complex_field(paragraph: DocxParagraph, instruction: str, cached: Sequence[str]) -> None:
    """A complex field (the table of contents) whose cached result is ``cached`` lines."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    for i, line in enumerate(cached):
        run = paragraph.add_run(line)
        if i < len(cached) - 1:
            run.add_break()
    char("end")


def set_font(style: Any, name: str) -> None:
    """Set a style's font for every script (Word keeps separate Latin and East Asian fonts)."""
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        key = qn(attr)
        if key in fonts.attrib:
            del fonts.attrib[key]


#: Approximate width of one character of 1 pt Arial, and a cell's left and right padding (cm).
CHAR_CM_PER_PT, PAD_CM = 0.0215, 0.42


def column_widths(
    texts: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    total_cm: float = 16.0,
    points: float = 8.5,
) -> list[float]:
    """Column widths (cm): numbers never wrap; text columns give way, down to their longest word.

    ``texts`` is the header row followed by the body rows, as printed.
    """
    char_cm = CHAR_CM_PER_PT * points
    natural, minimum = [], []
    for j, column in enumerate(zip(*texts, strict=True)):
        header, body = column[0], column[1:]
        header_floor = min(max((len(w) for w in header.split()), default=1) * char_cm * 1.1, 1.8)
        if numeric[j]:
            body_floor = max((len(t) for t in body), default=1) * char_cm
        else:
            body_floor = max((len(w) for t in body for w in t.split()), default=1) * char_cm
        floor = max(header_floor, body_floor) + PAD_CM
        longest = max(len(text) for text in column)
        natural.append(floor if numeric[j] else min(longest * char_cm + PAD_CM, 7.0))
        minimum.append(floor)
    widths = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    excess = sum(widths) - total_cm
    if excess > 0:
        slack = [w - m for w, m in zip(widths, minimum, strict=True)]
        room = sum(slack)
        if room > 0:
            cut = min(1.0, excess / room)
            widths = [w - s * cut for w, s in zip(widths, slack, strict=True)]
    total = sum(widths)
    return [w * total_cm / total for w in widths]


def shade(element: Any, fill: str) -> None:
    """Background colour of a table cell (``w:tc``) or a paragraph (``w:p``)."""
    props = (
        element.get_or_add_tcPr()
        if hasattr(element, "get_or_add_tcPr")
        else element.get_or_add_pPr()
    )
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def left_border(paragraph: DocxParagraph, colour: str) -> None:
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (("w:val", "single"), ("w:sz", "24"), ("w:space", "8"), ("w:color", colour)):
        left.set(qn(key), value)
    borders.append(left)
    paragraph._p.get_or_add_pPr().append(borders)
