"""Painting a briefing's layout as .docx (python-docx) and as PDF (fpdf2)."""

from __future__ import annotations

import io
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from fpdf.enums import Align

from cornerstone.dispatch.layout import BriefingLayout
from cornerstone.documents import official_docx
from cornerstone.documents.official_pdf import OfficialPdf


def docx_render(layout: BriefingLayout) -> bytes:
    """The briefing as a Word document in the official-document layout."""
    document = official_docx.document_new()
    official_docx.title_add(document, layout.head.title)
    if layout.head.number:
        official_docx.line_add(document, layout.head.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    for section in layout.sections:
        official_docx.heading_add(document, section.heading)
        for text in section.paragraphs:
            official_docx.line_add(document, text, indent=True)
        if section.table is not None:
            official_docx.table_add(document, section.table.header, section.table.rows)
        for text in section.after:
            official_docx.line_add(document, text, indent=True)
    document.add_paragraph()
    official_docx.line_add(document, layout.head.issuing_body, align=WD_ALIGN_PARAGRAPH.RIGHT)
    official_docx.line_add(document, layout.date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_render(layout: BriefingLayout, *, font_dir: Path | str | None = None) -> bytes:
    """The briefing as a PDF with the CJK font embedded; FontsMissing if none is installed."""
    pdf = OfficialPdf(font_dir=font_dir)
    pdf.set_title(layout.head.title)
    pdf.set_author(layout.head.issuing_body)
    pdf.add_page()
    pdf.title_add(layout.head.title)
    if layout.head.number:
        pdf.line_add(layout.head.number, align=Align.C)
        pdf.ln(4)
    for section in layout.sections:
        pdf.heading_add(section.heading)
        for text in section.paragraphs:
            pdf.line_add(text, indent=True)
        if section.table is not None:
            pdf.table_add(section.table.header, section.table.rows, section.table.widths)
        for text in section.after:
            pdf.line_add(text, indent=True)
    pdf.ln(LINE_GAP)
    pdf.line_add(layout.head.issuing_body, align=Align.R)
    pdf.line_add(layout.date_text, align=Align.R)
    return bytes(pdf.output())


LINE_GAP = 10
