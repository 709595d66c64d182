"""The checked workbook handed back with each row's errors beside it, to fix and re-upload."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from cornerstone.core.xlsx import HEADER, XlsxSheet, xlsx_book
from cornerstone.ingest.workbook import Sheet

ERROR: dict[str, Any] = {"font_color": "#C00000", "bg_color": "#FCE4D6", "text_wrap": True}


def error_workbook_write(*, out: BinaryIO, sheet: Sheet, errors: list[dict[str, Any]]) -> None:
    """Copy the sheet's rows as they were, adding a last column with each row's errors."""
    by_row: dict[int, list[str]] = defaultdict(list)
    for error in errors:
        by_row[int(error["row"])].append(f"{error['column']}：{error['message']}")
    book = xlsx_book(out, constant_memory=True)
    target = XlsxSheet(book, sheet.name[:31] or "Sheet1", {})
    rows = list(sheet.rows)  # bounded by the import's row limit
    width = max((len(cells) for cells in rows), default=0)
    target.sheet.set_column(width, width, 60)
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            if isinstance(value, int | float) and not isinstance(value, bool):
                target.number(r, c, value)
            elif isinstance(value, dt.date):
                target.date(r, c, value)
            else:
                target.text(r, c, "" if value is None else str(value))
        # Rows go out in order (constant memory), so the column's label sits on row 1.
        if r == 0:
            target.text(r, width, _("错误说明"), HEADER)
        elif found := by_row.get(r + 1):
            target.text(r, width, "；".join(found), ERROR)
    book.close()
