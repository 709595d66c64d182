"""Word documents in the layout of official documents (GB/T 9704-2012, approximately).

A4 with margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; the title in 2号
(22 pt) 小标宋, the body in 3号 (16 pt) 仿宋_GB2312. Chinese font names go into the
``w:eastAsia`` attribute so Word uses them for CJK text, with free fonts named as the
Latin fallback (a machine without the official fonts shows Noto rather than boxes).
"""

from __future__ import annotations

from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
LATIN_FALLBACK = "Noto Serif CJK SC"
SIZE_TITLE = Pt(22)  # 2号
SIZE_BODY = Pt(16)  # 3号
SIZE_TABLE = Pt(10.5)  # 5号
FIRST_LINE_INDENT = Pt(32)  # two characters of 3号


def font_set(run: Run, east_asia: str, size: Pt, *, bold: bool = False) -> None:
    """Give a run its CJK font (eastAsia) and a free Latin fallback, size and weight."""
    run.font.name = LATIN_FALLBACK
    run.font.size = size
    run.font.bold = bold
    props = run._element.get_or_add_rPr()
    fonts = props.find(qn("w:rFonts"))
    if fonts is None:
        fonts = props.makeelement(qn("w:rFonts"), {})
        props.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def document_new() -> DocumentObject:
    """An empty A4 document with official-document margins and a 仿宋 default style."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FALLBACK
    normal.font.size = SIZE_BODY
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    return document


def title_add(document: DocumentObject, text: str) -> Paragraph:
    """The centred title in 2号小标宋."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(16)
    font_set(paragraph.add_run(text), TITLE_FONT, SIZE_TITLE)
    return paragraph


def line_add(
    document: DocumentObject,
    text: str,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    font: str = BODY_FONT,
    bold: bool = False,
    indent: bool = False,
) -> Paragraph:
    """One paragraph of 3号 text (first line indented two characters for body text)."""
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.line_spacing = Pt(28)
    if indent:
        paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT
    font_set(paragraph.add_run(text), font, SIZE_BODY, bold=bold)
    return paragraph


def heading_add(document: DocumentObject, text: str) -> Paragraph:
    """A first-level heading (一、…) in 3号黑体, indented like body text."""
    return line_add(document, text, font=HEADING_FONT, indent=True)


def table_add(
    document: DocumentObject, header: Sequence[str], rows: Sequence[Sequence[str]]
) -> Table:
    """A bordered table in 5号仿宋, header bold; cells filled through the XML for speed."""
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_cells, values, bold in zip(
        table.rows, [header, *rows], [True] + [False] * len(rows), strict=True
    ):
        for cell, value in zip(row_cells.cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            font_set(paragraph.add_run(str(value)), BODY_FONT, SIZE_TABLE, bold=bold)
    return table
