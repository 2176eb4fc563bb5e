"""Every renderer produces a valid file with the report's structure."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from html.parser import HTMLParser

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from mutu.reporting import compose_report
from mutu.reporting.model import Report, Table, iter_blocks
from mutu.reporting.renderers import render, render_docx, render_html, render_pdf, render_xlsx
from tests.reporting.fixtures import baseline_results
from tests.reporting.helpers import SIX_EN, SIX_ID

DAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="module", params=["id", "en"])
def report(request: pytest.FixtureRequest) -> Report:
    return compose_report(baseline_results(), lang=request.param, date=DAY)


def six(report: Report) -> list[str]:
    return SIX_ID if report.lang == "id" else SIX_EN


class Outline(HTMLParser):
    """Collects h2 texts, tags, and every external reference."""

    def __init__(self) -> None:
        super().__init__()
        self.h2: list[str] = []
        self.tags: list[str] = []
        self.external: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith(("#", "data:")):
                self.external.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.h2[-1] += data


def test_html_is_one_self_contained_file_with_the_six_headings(report: Report) -> None:
    html = render_html(report)
    outline = Outline()
    outline.feed(html)
    outline.close()
    headings = [re.sub(r"^\S+", "", h, count=1).strip() for h in outline.h2]
    body = [h for h in headings if h in six(report)]
    assert body == six(report)
    assert outline.external == []  # offline: nothing loaded from outside
    assert "script" not in outline.tags and "link" not in outline.tags
    assert outline.tags.count("svg") == sum(1 for _ in _figures(report))
    assert html.count("<title>") > 20  # tooltips on chart marks
    assert f'<html lang="{report.lang}">' in html
    assert 'name="viewport"' in html and "@media (max-width" in html
    assert 'data-source="/estimands/learning_gain/estimate"' in html


def _figures(report: Report) -> list[object]:
    return [b for b in iter_blocks(report) if type(b).__name__ == "Figure"]


def test_pdf_has_cover_contents_and_page_numbers(report: Report) -> None:
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 8
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    cover = reader.pages[0].extract_text()
    assert "Kabupaten Aceh Tenggara" in cover and "2023–2026" in cover
    assert "28 November 2026" in cover
    assert "Halaman" not in cover and "Page " not in cover  # no number on the cover
    second = reader.pages[1].extract_text()
    word = "Halaman" if report.lang == "id" else "Page"
    joiner = "dari" if report.lang == "id" else "of"
    assert f"{word} 2 {joiner} {pages}" in second
    assert f"{word} {pages} {joiner} {pages}" in reader.pages[-1].extract_text()
    text = "".join(p.extract_text() for p in reader.pages)
    for heading in six(report):
        assert heading in text


def test_docx_has_real_headings_tables_images_and_page_fields(report: Report) -> None:
    data = render_docx(report)
    doc = Document(io.BytesIO(data))
    heading1 = [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert [re.sub(r"^\S+\s", "", h) for h in heading1[:6]] == six(report)
    assert len(heading1) == 10  # six sections and four annexes
    assert len(doc.tables) == sum(1 for b in iter_blocks(report) if isinstance(b, Table))
    assert len(doc.inline_shapes) == len(_figures(report))
    assert doc.sections[0].page_width is not None and round(doc.sections[0].page_width.mm) == 210
    footer = zipfile.ZipFile(io.BytesIO(data)).read("word/footer1.xml").decode()
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    # the contents field is refreshed (page numbers filled in) when Word opens the file
    settings = zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert 'TOC \\o "1-2"' in document
    first_table = doc.tables[0]
    assert first_table.rows[0]._tr.trPr is not None  # header row repeats on each page


def test_xlsx_has_a_sheet_per_table_with_numbers(report: Report) -> None:
    wb = load_workbook(io.BytesIO(render_xlsx(report)))
    tables = [b for b in iter_blocks(report) if isinstance(b, Table)]
    about, definitions = (
        ("Tentang", "Definisi") if report.lang == "id" else ("About", "Definitions")
    )
    assert wb.sheetnames[0] == about and wb.sheetnames[-1] == definitions
    assert len(wb.sheetnames) == len(tables) + 2
    numeric = 0
    for name, table in zip(wb.sheetnames[1:-1], tables, strict=True):
        ws = wb[name]
        assert table.caption in str(ws["A1"].value)
        header = [c.value for c in ws[4]]
        assert header == [c.label for c in table.columns]
        for row in ws.iter_rows(min_row=5):
            for cell in row:
                if isinstance(cell.value, int | float):
                    numeric += 1
                    assert cell.number_format != "General"
    assert numeric > 50
    learning = wb[wb.sheetnames[1 + next(i for i, t in enumerate(tables) if t.id == "tab-effects")]]
    assert learning.cell(row=5, column=3).value == pytest.approx(12.17)  # stored as a number
    about_text = " ".join(str(c.value) for row in wb[about].iter_rows() for c in row)
    assert "3f5a0c9d1e2b4a6f" in about_text and "Rulebook jp" in about_text
    assert wb[definitions].max_row > 5


def test_render_refuses_an_unknown_format(report: Report) -> None:
    with pytest.raises(ValueError, match="Unknown report format"):
        render(report, "odt")
