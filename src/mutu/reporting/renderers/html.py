"""The report as one self-contained HTML file: inline CSS, inline SVG charts, no script.

The file opens offline on a phone or a desktop: every style and chart is
inside it, charts scale to the screen and show a tooltip per mark, wide tables
scroll sideways, and a table of contents links the sections. Every printed
number carries its JSON source in a ``data-source`` attribute, so an analyst
can trace it in the evaluation results.

The PDF renderer reuses this writer with ``for_print=True``: PNG charts,
footnotes at the foot of the page and the print stylesheet.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape
from importlib import resources

from django.utils import translation
from django.utils.translation import gettext as _

from mutu.reporting.charts import render_png, render_svg
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
)
from mutu.reporting.renderers.common import Numbering, cell_text, is_numeric, table_source_note

__all__ = ["render_html", "stylesheet"]


def stylesheet(name: str) -> str:
    """A stylesheet shipped with the renderers (``report.css`` or ``print.css``)."""
    return resources.files("mutu.reporting.renderers").joinpath(name).read_text(encoding="utf-8")


def _section_id(section: Section) -> str:
    return section.id or "s-" + section.number.replace(".", "-")


class HtmlWriter:
    """Writes one report; ``extra_css`` is appended after the shipped styles."""

    def __init__(self, report: Report, *, for_print: bool = False, extra_css: str = "") -> None:
        self.report = report
        self.lang = report.lang
        self.for_print = for_print
        self.extra_css = extra_css
        self.numbering = Numbering(report)
        self.notes: list[str] = []
        self.note_start = 1

    # --- document -----------------------------------------------------------------

    def document(self) -> str:
        r = self.report
        css = stylesheet("report.css")
        if self.for_print:
            css += "\n" + stylesheet("print.css")
        css += self.extra_css
        body = [self.cover(), self.toc(), "<main>"]
        body += [self.section(s, 2) for s in r.sections]
        body.append("</main>")
        if r.annex:
            body.append('<section class="annex">')
            body += [self.section(s, 2, top=False) for s in r.annex]
            body.append("</section>")
        body.append(self.colophon())
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{escape(self.lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(r.title)} — {escape(r.regency)} {escape(r.period)}</title>\n"
            f"<style>\n{css}\n</style>\n</head>\n<body>\n"
            + "\n".join(body)
            + "\n</body>\n</html>\n"
        )

    def cover(self) -> str:
        r = self.report
        rows = [
            (_("Regency"), r.regency),
            (_("Period"), r.period),
            (_("Date"), format_date(r.date, self.lang)),
        ]
        dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
        warning = f'<p class="warning">{escape(r.warning)}</p>' if r.warning else ""
        agency = _("Prepared with Mutu from the evaluation results; every figure is traceable.")
        return (
            f'<header class="cover"><div class="kicker">{escape(r.regency)}</div>'
            f"<h1>{escape(r.title)}</h1>"
            f'<p class="subtitle">{escape(r.subtitle)}</p><dl>{dl}</dl>{warning}'
            f'<p class="agency">{escape(agency)}</p></header>'
        )

    def toc(self) -> str:
        def item(section: Section, deep: bool) -> str:
            link = (
                f'<a href="#{_section_id(section)}"><span class="secno">'
                f"{escape(section.number)}</span> {escape(section.heading)}</a>"
            )
            subs = ""
            if deep and section.subsections:
                subs = "<ol>" + "".join(item(s, False) for s in section.subsections) + "</ol>"
            return f"<li>{link}{subs}</li>"

        entries = [item(s, True) for s in self.report.sections]
        entries += [item(s, False) for s in self.report.annex]
        return f'<nav class="toc"><h2>{escape(_("Contents"))}</h2><ol>{"".join(entries)}</ol></nav>'

    def colophon(self) -> str:
        m = self.report.metadata
        parts = [_("Mutu %(version)s") % {"version": m.software_version}]
        if m.data_hash:
            parts.append(_("data %(hash)s") % {"hash": m.data_hash[:12]})
        return f'<footer class="colophon">{escape(" · ".join(parts))}</footer>'

    # --- sections and blocks ------------------------------------------------------------

    def section(self, section: Section, level: int, *, top: bool = True) -> str:
        tag = f"h{min(level, 6)}"
        out = [
            f'<section id="{_section_id(section)}">'
            f'<{tag}><span class="secno">{escape(section.number)}</span>'
            f" {escape(section.heading)}</{tag}>"
        ]
        out += [self.block(b) for b in section.blocks]
        out += [self.section(s, level + 1, top=False) for s in section.subsections]
        if level == 2 and self.notes and not self.for_print:
            items = "".join(
                f'<li id="fn-{self.note_start + i}">{text}</li>'
                for i, text in enumerate(self.notes)
            )
            out.append(f'<ol class="notes" start="{self.note_start}">{items}</ol>')
            self.note_start += len(self.notes)
            self.notes = []
        out.append("</section>")
        return "\n".join(out)

    def block(self, block: Block) -> str:
        if isinstance(block, Paragraph):
            return f"<p>{self.inline(block.parts)}</p>"
        if isinstance(block, Bullets):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{self.inline(item)}</li>" for item in block.items)
            return f'<{tag} class="bullets">{items}</{tag}>'
        if isinstance(block, Callout):
            return (
                f'<aside class="callout {block.kind}"><div class="title">{escape(block.title)}'
                f"</div><div>{self.inline(block.parts)}</div></aside>"
            )
        if isinstance(block, Table):
            return self.table(block)
        return self.figure(block)

    def inline(self, parts: Sequence[Inline]) -> str:
        out: list[str] = []
        for part in parts:
            if isinstance(part, str):
                out.append(escape(part))
            elif isinstance(part, Number):
                out.append(self.number(part))
            elif isinstance(part, Suppressed):
                out.append(
                    f'<span class="suppressed">{escape(suppressed_text(part.minimum))}</span>'
                )
            elif isinstance(part, Ref):
                label = escape(self.numbering.ref(part))
                out.append(f'<a class="xref" href="#{escape(part.target)}">{label}</a>')
            elif isinstance(part, Note):
                out.append(self.note(part))
        return "".join(out)

    def number(self, number: Number, *, unit: bool = True) -> str:
        text = escape(format_number(number, self.lang, unit=unit))
        return f'<span class="num" data-source="{escape(number.source)}">{text}</span>'

    def note(self, note: Note) -> str:
        text = self.inline(note.parts)
        if self.for_print:
            return f'<span class="footnote">{text}</span>'
        self.notes.append(text)
        n = self.note_start + len(self.notes) - 1
        return f'<sup class="fnref"><a href="#fn-{n}">{n}</a></sup>'

    def table(self, table: Table) -> str:
        head = "".join(
            f'<th scope="col"{" class=n" if is_numeric(c) else ""}>{escape(c.label)}</th>'
            for c in table.columns
        )
        rows = []
        for row in table.rows:
            cells = []
            for column, cell in zip(table.columns, row, strict=True):
                if isinstance(cell, Number):
                    body = self.number(cell, unit=False)
                elif isinstance(cell, Suppressed):
                    body = (
                        f'<span class="suppressed">{escape(suppressed_text(cell.minimum))}</span>'
                    )
                else:
                    body = escape(cell_text(cell, column, self.lang))
                cls = ' class="n"' if is_numeric(column) else ""
                cells.append(f"<td{cls}>{body}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        caption = (
            f'<p class="table-caption"><b>{escape(self.numbering.label(table))}.</b> '
            f"{escape(table.caption)}</p>"
        )
        after = (
            [f'<div class="source">{escape(table_source_note(table))}</div>']
            if table.source
            else []
        )
        if table.note:
            after.insert(0, f'<div class="source">{escape(table.note)}</div>')
        if table.definitions:
            items = "".join(
                f"<p><b>{escape(term)}</b>: {escape(text)}</p>" for term, text in table.definitions
            )
            summary = escape(_("Definitions"))
            if self.for_print:
                after.append(f'<div class="definitions">{items}</div>')
            else:
                after.append(
                    f'<details class="definitions"><summary>{summary}</summary>{items}</details>'
                )
        return (
            f'<div class="table-block" id="{escape(table.id)}">{caption}<div class="table-wrap">'
            f"<table><thead><tr>{head}"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{''.join(after)}</div>"
        )

    def figure(self, figure: Figure) -> str:
        alt = escape(figure.alt or figure.caption)
        if self.for_print:
            data = base64.b64encode(render_png(figure.chart, self.lang)).decode("ascii")
            chart = f'<img src="data:image/png;base64,{data}" alt="{alt}">'
        else:
            svg = render_svg(figure.chart, self.lang, prefix=figure.id)
            svg = svg.replace("<svg", f'<svg role="img" aria-label="{alt}"', 1)
            chart = f'<div class="chart">{svg}</div>'
        source = escape(_("Source: evaluation results, %(path)s") % {"path": figure.source or "/"})
        return (
            f'<figure id="{escape(figure.id)}">{chart}<figcaption><b>'
            f"{escape(self.numbering.label(figure))}.</b> {escape(figure.caption)}"
            f'<div class="source">{source}</div></figcaption></figure>'
        )


def render_html(report: Report, *, for_print: bool = False, extra_css: str = "") -> str:
    """The report as one HTML document (a string), in the report's language."""
    with translation.override(report.lang):
        return HtmlWriter(report, for_print=for_print, extra_css=extra_css).document()
