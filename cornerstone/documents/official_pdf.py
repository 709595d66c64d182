"""PDF documents in the official-document layout, with the CJK font embedded (fpdf2).

fpdf2 embeds the CFF outlines of Noto CJK as a subset (FontFile3, CIDFontType0C) with a
ToUnicode map, so the text can be searched and copied back out of the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace as PdfFontFace

from cornerstone.documents.fonts import cjk_faces

FAMILY = "cjk"
SIZE_TITLE = 22  # 2号
SIZE_BODY = 16  # 3号
SIZE_TABLE = 10.5  # 5号
LINE = 10  # mm between lines of 3号 text (28 pt fixed spacing)


class OfficialPdf(FPDF):
    """A4 with GB/T 9704 margins (37/35/28/26 mm) and a centred page number."""

    def __init__(self, *, font_dir: Path | str | None = None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        regular, bold = cjk_faces(font_dir)
        self.add_font(FAMILY, fname=str(regular.path), collection_font_number=regular.index)
        self.add_font(FAMILY, style="B", fname=str(bold.path), collection_font_number=bold.index)
        self.set_margins(left=28, top=37, right=26)
        self.set_auto_page_break(auto=True, margin=35)
        self.set_font(FAMILY, size=SIZE_BODY)

    def footer(self) -> None:
        """— 1 — at the foot of each page, as official documents number their pages."""
        self.set_y(-25)
        self.set_font(FAMILY, size=14)
        self.cell(0, 8, f"— {self.page_no()} —", align=Align.C)

    def title_add(self, text: str) -> None:
        """The centred title in 2号."""
        self.set_font(FAMILY, size=SIZE_TITLE)
        self.multi_cell(0, 12, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(6)

    def line_add(self, text: str, *, align: Align = Align.J, indent: bool = False) -> None:
        """A paragraph of 3号 text; body paragraphs start two characters in."""
        self.set_font(FAMILY, size=SIZE_BODY)
        # Two full-width spaces indent like the Word version's first-line indent.
        body = ("\u3000\u3000" + text) if indent else text
        self.multi_cell(0, LINE, body, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading_add(self, text: str) -> None:
        """A first-level heading (一、…), set off by space above it."""
        self.ln(3)
        self.line_add(text, align=Align.L, indent=True)

    def table_add(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float] | None = None,
    ) -> None:
        """A bordered 5号 table whose header repeats on each page it runs onto."""
        self.set_font(FAMILY, size=SIZE_TABLE)
        with self.table(
            col_widths=tuple(widths) if widths else None,
            borders_layout=TableBordersLayout.ALL,
            headings_style=PdfFontFace(emphasis=None, fill_color=(225, 225, 225)),
            line_height=6,
            text_align="CENTER",
            repeat_headings=1,
        ) as table:
            table.row(list(header))
            for values in rows:
                table.row([str(v) for v in values])
        self.ln(4)
        self.set_font(FAMILY, size=SIZE_BODY)
