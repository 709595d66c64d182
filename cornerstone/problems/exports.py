"""The problem list (问题清单) as an xlsx workbook, with real dates and no formulas.

Written a chunk of rows at a time in constant-memory mode, so a province's list does not
sit in memory; text never becomes a formula (see ``cornerstone.core.xlsx``).
"""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils import timezone

from cornerstone.core.xlsx import BAD, CELL, CENTRE, HEADER, NOTE, TITLE, XlsxSheet, xlsx_book
from cornerstone.problems.escalation import overdue_days
from cornerstone.problems.models import Problem
from cornerstone.problems.queries import UNRESOLVED, problem_rows

CHUNK = 2000
SHEET = "问题清单"
COLUMNS = [
    ("序号", 6),
    ("项目代码", 26),
    ("项目名称", 34),
    ("所在区划", 12),
    ("问题类别", 10),
    ("问题描述", 50),
    ("责任单位", 24),
    ("责任人", 10),
    ("办结时限", 12),
    ("逾期天数", 10),
    ("督办级别", 12),
    ("状态", 10),
    ("提出日期", 12),
]
HEADER_ROW = 2


def problems_workbook_write(
    *, out: BinaryIO, problems: QuerySet[Problem], today: dt.date, scope: str
) -> int:
    """Write the listed problems into ``out``; return how many rows were written."""
    book = xlsx_book(out, constant_memory=True)
    sheet = XlsxSheet(book, SHEET, {})
    last = len(COLUMNS) - 1
    sheet.widths(width for _name, width in COLUMNS)
    sheet.title(0, last, f"{scope}问题清单", TITLE)
    sheet.title(1, last, f"导出日期：{today.isoformat()}", NOTE)
    for col, (name, _width) in enumerate(COLUMNS):
        sheet.text(HEADER_ROW, col, name, HEADER)
    row = HEADER_ROW
    ids = list(problems.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found = {p.pk: p for p in problem_rows(Problem.objects.filter(pk__in=chunk)).order_by()}
        for pk in chunk:
            problem = found[pk]
            row += 1
            late = overdue_days(problem.deadline, today) if problem.status in UNRESOLVED else 0
            sheet.number(row, 0, row - HEADER_ROW, CELL, CENTRE)
            sheet.text(row, 1, problem.project.code, CELL)
            sheet.text(row, 2, problem.project.name, CELL)
            sheet.text(row, 3, problem.project.region.name, CELL)
            sheet.text(row, 4, problem.get_category_display(), CELL)
            sheet.text(row, 5, problem.description, CELL)
            sheet.text(row, 6, problem.department.name if problem.department else "", CELL)
            sheet.text(row, 7, problem.person, CELL)
            sheet.date(row, 8, problem.deadline, CELL)
            if late:
                sheet.number(row, 9, late, CELL, CENTRE, BAD)
            else:
                sheet.text(row, 9, "", CELL)
            sheet.text(row, 10, problem.get_escalation_level_display(), CELL)
            sheet.text(row, 11, problem.get_status_display(), CELL)
            sheet.date(row, 12, timezone.localtime(problem.created_at).date(), CELL)
    book.close()
    return row - HEADER_ROW
