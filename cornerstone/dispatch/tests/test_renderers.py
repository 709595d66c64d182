"""The Word and PDF renderers on hand-made figures (no database)."""

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from cornerstone.dispatch.figures import DepartmentRow, FlaggedProject
from cornerstone.dispatch.layout import LIST_CAP, briefing_layout
from cornerstone.dispatch.renderers import docx_render, pdf_render
from cornerstone.dispatch.tests.figures_sample import HEAD, sample_figures
from cornerstone.documents.fonts import FontsMissing, cjk_faces


def _layout(**changes):
    return briefing_layout(sample_figures(**changes), HEAD)


def test_docx_has_official_layout_and_fonts():
    document = Document(io.BytesIO(docx_render(_layout())))
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (37, 35)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (28, 26)
    assert abs(section.page_width - Mm(210)) < Mm(1)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == HEAD.title
    assert paragraphs[1] == HEAD.number
    assert "一、总体情况" in paragraphs
    assert paragraphs[-2:] == ["太原市发展和改革委员会", "2026年7月5日"]
    title_fonts = document.paragraphs[0].runs[0]._element.rPr.find(qn("w:rFonts"))
    assert title_fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert document.paragraphs[0].runs[0].font.size.pt == 22
    body = next(p for p in document.paragraphs if p.text.startswith("截至6月底"))
    body_fonts = body.runs[0]._element.rPr.find(qn("w:rFonts"))
    assert body_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.runs[0].font.size.pt == 16
    # Tables: headline figures, stages, ranking, red list, departments, orders.
    ranking = document.tables[2]
    assert [c.text for c in ranking.rows[0].cells][:2] == ["排名", "地区"]
    assert [c.text for c in ranking.rows[1].cells][:2] == ["1", "小店区"]
    assert ranking.rows[3].cells[1].text == "杏花岭区"  # no plan: ranked last
    assert ranking.rows[3].cells[5].text == "—"


def test_long_red_list_is_capped_with_a_count():
    many = [
        FlaggedProject(i, f"P{i}", f"项目{i}", "小店区", "red", ("滞后",)) for i in range(LIST_CAP)
    ]
    document = Document(io.BytesIO(docx_render(_layout(red=many, red_count=812))))
    texts = [p.text for p in document.paragraphs]
    assert "本月亮红灯项目812个，名单如下：" in texts
    assert f"…等812个项目（以上列出前{LIST_CAP}个）。" in texts
    red_table = document.tables[3]
    assert len(red_table.rows) == LIST_CAP + 1


def test_long_department_list_is_capped_with_a_count():
    departments = [DepartmentRow(f"第{i}局", 5, 5 - i % 5, 1, 0) for i in range(LIST_CAP + 7)]
    document = Document(io.BytesIO(docx_render(_layout(departments=departments))))
    texts = [p.text for p in document.paragraphs]
    assert f"…等{LIST_CAP + 7}个责任单位（以上列出未办结问题最多的前{LIST_CAP}个）。" in texts
    # The totals still count every department.
    assert f"共梳理问题{5 * (LIST_CAP + 7)}个" in "".join(texts)


def test_empty_sections_say_so():
    document = Document(
        io.BytesIO(
            docx_render(
                _layout(
                    red=[], red_count=0, departments=[], orders=[], orders_total=0, orders_open=0
                )
            )
        )
    )
    texts = [p.text for p in document.paragraphs]
    assert "本月无亮红灯项目。" in texts
    assert "暂无问题。" in texts
    assert "本期未下发督办单。" in texts


def test_pdf_embeds_the_cjk_font_and_text_extracts_back():
    reader = PdfReader(io.BytesIO(pdf_render(_layout())))
    # fpdf2 writes the encoding as an embedded Identity CMap stream; pypdf reads its
    # two-byte codes with a NUL before each character, so NULs go with the whitespace.
    text = re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages))
    assert HEAD.title in text
    assert "完成投资61.4亿元" in text
    assert "年产10万吨电子材料项目" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = []
    for font in fonts.values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        embedded.append((str(descriptor["/FontName"]), "/FontFile3" in descriptor))
    assert embedded and all(has_file for __, has_file in embedded)
    assert all("NotoSerifCJKSC" in name for name, __ in embedded)


def test_missing_fonts_raise_a_clear_message(tmp_path):
    with pytest.raises(FontsMissing, match="fonts-noto-cjk"):
        pdf_render(_layout(), font_dir=tmp_path)


def test_the_simplified_face_is_picked_from_the_collection():
    regular, bold = cjk_faces()
    assert regular.path.name == "NotoSerifCJK-Regular.ttc"
    assert regular.index == bold.index == 2
