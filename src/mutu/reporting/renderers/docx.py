"""The report as an editable Word document (python-docx).

Staff edit the report in Word or LibreOffice before it is signed, so the
document uses Word's own structure: the six sections and the annex are
``Heading 1`` (each on a new page), subsections ``Heading 2``/``Heading 3``,
a table of contents field (Word fills in page numbers on F9 / "Update
field"), real tables with a repeated header row, PNG charts with ``Caption``
paragraphs, and ``PAGE`` / ``NUMPAGES`` fields in the footer ("Halaman 3 dari
24"). The page is A4 with 2.5 cm margins.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from mutu.reporting.charts import render_png
from mutu.reporting.formatting import format_date, format_number, suppressed_text
from mutu.reporting.model import (
    Block,
    Bullets,
    Callout,
    Figure,
    Inline,
    Note,
    Number,
    Paragraph,
    Ref,
    Report,
    Section,
    Suppressed,
    Table,
    iter_sections,
)
from mutu.reporting.renderers.common import (
    Numbering,
    cell_text,
    inline_text,
    is_numeric,
    page_template,
    table_source_note,
)
from mutu.reporting.renderers.docx_xml import (
    add_complex_field,
    add_field,
    column_widths,
    left_border,
    set_font,
    shade,
)

__all__ = ["render_docx"]

#: Arial: present in Word on every office PC; LibreOffice maps it to the metric-compatible
#: Liberation Sans.
FONT = "Arial"
ACCENT = RGBColor(0x0B, 0x4F, 0x7C)
MUTED = RGBColor(0x5A, 0x5A, 0x5A)
CALLOUT_COLOURS = {"finding": "00795A", "caution": "B35900", "no_data": "6E6E6E"}


#: Elements of w:settings that come after w:updateFields in the schema's sequence.
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


class DocxWriter:
    """Writes one report into a python-docx document."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.lang = report.lang
        self.numbering = Numbering(report)
        self.doc: DocumentObject = Document()
        self.notes: list[str] = []
        self.note_count = 0

    def build(self) -> DocumentObject:
        self.page_setup()
        self.cover()
        self.toc()
        for section in self.report.sections:
            self.section(section, 1)
        for section in self.report.annex:
            self.section(section, 1)
        props = self.doc.core_properties
        props.title = self.report.title
        props.subject = f"{self.report.regency} · {self.report.period}"
        props.author = "Mutu"
        props.language = self.lang
        stamp = dt.datetime.combine(self.report.date, dt.time(0, 0))
        props.created = props.modified = stamp
        return self.doc

    # --- page and cover -------------------------------------------------------------------

    def page_setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.5))
        section.different_first_page_header_footer = True
        styles = self.doc.styles
        for name in (
            "Normal",
            "Title",
            "Subtitle",
            "Caption",
            "Heading 1",
            "Heading 2",
            "Heading 3",
            "Heading 4",
            "TOC Heading",
        ):
            set_font(styles[name], FONT)
        styles["Normal"].font.size = Pt(11)
        heading1 = styles["Heading 1"]
        heading1.paragraph_format.page_break_before = True
        for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
            styles[name].font.color.rgb = ACCENT
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        before, middle, after = page_template()
        footer.add_run(before)
        add_field(footer, "PAGE")
        footer.add_run(middle)
        add_field(footer, "NUMPAGES")
        if after:
            footer.add_run(after)
        for run in footer.runs:
            run.font.size = Pt(8)
        header = section.header.paragraphs[0]
        kind = _("Evaluation report")
        text = f"{kind} · {self.report.regency} · {self.report.period}"
        if self.report.warning:
            text += " · " + _("SYNTHETIC DATA")
        run = header.add_run(text)
        run.font.size = Pt(8)
        run.font.color.rgb = MUTED

    def cover(self) -> None:
        r = self.report
        kicker = self.doc.add_paragraph()
        run = kicker.add_run(r.regency.upper())
        run.bold = True
        run.font.color.rgb = ACCENT
        kicker.paragraph_format.space_before = Pt(120)
        self.doc.add_paragraph(r.title, style="Title")
        self.doc.add_paragraph(r.subtitle, style="Subtitle")
        for label, value in (
            (_("Regency"), r.regency),
            (_("Period"), r.period),
            (_("Date"), format_date(r.date, self.lang)),
        ):
            p = self.doc.add_paragraph()
            p.add_run(f"{label}: ").font.color.rgb = MUTED
            p.add_run(value).bold = True
        if r.warning:
            p = self.doc.add_paragraph()
            p.paragraph_format.space_before = Pt(24)
            run = p.add_run(r.warning)
            run.bold = True
            run.font.color.rgb = RGBColor(0xB3, 0x59, 0x00)
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def toc(self) -> None:
        """The contents as a Word TOC field, with the headings cached as its current text.

        Page numbers exist only once Word lays the document out, so the
        settings ask Word to update fields when the file is opened
        (``w:updateFields``); until then the cached headings are shown.
        """
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings = self.doc.settings.element
        # CT_Settings is an ordered sequence: updateFields goes before these (ECMA-376 §17.15.1.78)
        later = {qn(f"w:{n}") for n in _AFTER_UPDATE_FIELDS} | {qn("m:mathPr")}
        follower = next((child for child in settings if child.tag in later), None)
        if follower is None:
            settings.append(update)
        else:
            follower.addprevious(update)
        title = self.doc.add_paragraph(_("Contents"), style="TOC Heading")
        title.paragraph_format.page_break_before = False
        lines = [
            f"{s.number}. {s.heading}" if "." not in s.number else f"    {s.number} {s.heading}"
            for s in iter_sections((*self.report.sections, *self.report.annex))
            if s.number.count(".") <= 1
        ]
        add_complex_field(self.doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', lines)

    # --- content ----------------------------------------------------------------------------

    def section(self, section: Section, level: int) -> None:
        separator = ". " if level == 1 else " "
        self.doc.add_heading(f"{section.number}{separator}{section.heading}", level=min(level, 3))
        for block in section.blocks:
            self.block(block)
        for sub in section.subsections:
            self.section(sub, level + 1)
        if level == 1 and self.notes:
            self.doc.add_paragraph(_("Notes"), style="Heading 4")
            first = self.note_count - len(self.notes) + 1
            for i, text in enumerate(self.notes):
                p = self.doc.add_paragraph(f"{first + i}. {text}")
                for run in p.runs:
                    run.font.size = Pt(8.5)
            self.notes = []

    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self.inline(self.doc.add_paragraph(), block.parts)
        elif isinstance(block, Bullets):
            style = "List Number" if block.ordered else "List Bullet"
            for item in block.items:
                self.inline(self.doc.add_paragraph(style=style), item)
        elif isinstance(block, Callout):
            self.callout(block)
        elif isinstance(block, Table):
            self.table(block)
        else:
            self.figure(block)

    def inline(self, paragraph: DocxParagraph, parts: Sequence[Inline]) -> None:
        for part in parts:
            if isinstance(part, str):
                paragraph.add_run(part)
            elif isinstance(part, Number):
                paragraph.add_run(format_number(part, self.lang))
            elif isinstance(part, Suppressed):
                paragraph.add_run(suppressed_text(part.minimum)).italic = True
            elif isinstance(part, Ref):
                paragraph.add_run(self.numbering.ref(part))
            elif isinstance(part, Note):
                self.note_count += 1
                self.notes.append(inline_text(part.parts, self.lang, self.numbering))
                run = paragraph.add_run(str(self.note_count))
                run.font.superscript = True

    def callout(self, callout: Callout) -> None:
        p = self.doc.add_paragraph()
        colour = CALLOUT_COLOURS[callout.kind]
        left_border(p, colour)
        shade(p._p, "F4F6F8")
        title = p.add_run(callout.title + " ")
        title.bold = True
        title.font.color.rgb = RGBColor.from_string(colour)
        title.add_break()
        self.inline(p, callout.parts)
        p.paragraph_format.left_indent = Cm(0.3)

    def _small(self, text: str) -> None:
        p = self.doc.add_paragraph()
        run = p.add_run(text)
        run.font.size = Pt(8)
        run.font.color.rgb = MUTED
        p.paragraph_format.space_after = Pt(2)

    def table(self, table: Table) -> None:
        self.doc.add_paragraph(f"{self.numbering.label(table)}. {table.caption}", style="Caption")
        grid = self.doc.add_table(rows=1, cols=len(table.columns))
        points = 8.5 if len(table.columns) < 8 else 7.5
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = grid.rows[0]
        tr_pr = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for cell, column in zip(header.cells, table.columns, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(column.label)
            run.bold = True
            run.font.size = Pt(points)
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            shade(cell._tc, "0B4F7C")
            if is_numeric(column):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for row in table.rows:
            added = grid.add_row()
            keep = OxmlElement("w:cantSplit")  # a row never breaks across pages
            added._tr.get_or_add_trPr().append(keep)
            cells = added.cells
            for cell, column, value in zip(cells, table.columns, row, strict=True):
                run = cell.paragraphs[0].add_run(cell_text(value, column, self.lang))
                run.font.size = Pt(points)
                if isinstance(value, Suppressed):
                    run.italic = True
                if is_numeric(column):
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        texts = [[c.label for c in table.columns]] + [
            [cell_text(v, c, self.lang) for v, c in zip(row, table.columns, strict=True)]
            for row in table.rows
        ]
        grid.autofit = False
        numeric = [is_numeric(c) for c in table.columns]
        for j, width in enumerate(column_widths(texts, numeric, points=points)):
            grid.columns[j].width = Cm(width)
            for cell in grid.columns[j].cells:
                cell.width = Cm(width)
        if table.note:
            self._small(table.note)
        if table.source:
            self._small(table_source_note(table))
        for term, text in table.definitions:
            self._small(f"{term}: {text}")

    def figure(self, figure: Figure) -> None:
        png = render_png(figure.chart, self.lang)
        self.doc.add_picture(io.BytesIO(png), width=Cm(16))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.doc.add_paragraph(f"{self.numbering.label(figure)}. {figure.caption}", style="Caption")
        source = _("Source: evaluation results, %(path)s") % {"path": figure.source or "/"}
        self._small(source)


def render_docx(report: Report) -> bytes:
    """The report as DOCX bytes, in the report's language."""
    with translation.override(report.lang):
        document = DocxWriter(report).build()
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
