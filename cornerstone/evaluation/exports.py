"""A round's results (赛马榜) as an xlsx workbook and as a .docx in official-document layout."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import BinaryIO

from django.http import FileResponse
from django.utils.translation import gettext as _

from cornerstone.core.downloads import xlsx_download
from cornerstone.core.xlsx import CELL, CENTRE, HEADER, NOTE, TITLE, XlsxSheet, xlsx_book
from cornerstone.documents.official_docx import (
    document_new,
    heading_add,
    line_add,
    table_add,
    title_add,
)
from cornerstone.evaluation.models import EvaluationRound
from cornerstone.evaluation.queries import BoardRow
from cornerstone.evaluation.scoring import shown

SCORE_FORMAT = {"num_format": "0.00"}


def movement_text(row: BoardRow) -> str:
    """Rank movement as written in a table: ↑2, ↓1, —, 新."""
    if row.movement is None:
        return _("新")
    if row.movement > 0:
        return f"↑{row.movement}"
    if row.movement < 0:
        return f"↓{-row.movement}"
    return "—"


def _criteria(rows: Sequence[BoardRow]) -> list[tuple[str, str]]:
    if not rows:
        return []
    return [(line["criterion"], line["name"]) for line in rows[0].result.breakdown]


def results_workbook_write(
    *, out: BinaryIO, round_: EvaluationRound, rows: Sequence[BoardRow]
) -> int:
    """Two sheets: the leaderboard with each criterion's score, and every explaining line."""
    book = xlsx_book(out)
    criteria = _criteria(rows)
    board = XlsxSheet(book, _("赛马榜"), {})
    header = [
        _("名次"),
        _("单位"),
        _("总分"),
        *[name for _code, name in criteria],
        _("自评分"),
        _("名次变化"),
        _("提示"),
    ]
    last = len(header) - 1
    board.widths([6, 20, 10, *[14] * len(criteria), 10, 10, 40])
    board.title(0, last, _("%(name)s结果") % {"name": round_.name}, TITLE)
    board.title(
        1,
        last,
        _("考核期：%(start)s至%(end)s") % {"start": round_.period_start, "end": round_.period_end},
        NOTE,
    )
    for col, name in enumerate(header):
        board.text(2, col, name, HEADER)
    for index, row in enumerate(rows, start=3):
        result = row.result
        scores = {line["criterion"]: line["score"] for line in result.breakdown}
        board.number(index, 0, result.rank, CELL, CENTRE)
        board.text(index, 1, result.unit.name, CELL)
        board.number(index, 2, float(result.total), CELL, SCORE_FORMAT)
        for col, (code, _name) in enumerate(criteria, start=3):
            board.number(index, col, float(Decimal(scores.get(code, "0"))), CELL, SCORE_FORMAT)
        col = 3 + len(criteria)
        if row.self_score is None:
            board.text(index, col, "", CELL)
        else:
            board.number(index, col, float(row.self_score), CELL, SCORE_FORMAT)
        board.text(index, col + 1, movement_text(row), CELL, CENTRE)
        board.text(index, col + 2, "；".join(result.notes), CELL)
    detail = XlsxSheet(book, _("得分明细"), {})
    detail.widths([20, 24, 10, 70])
    for col, name in enumerate([_("单位"), _("评分项"), _("得分"), _("计分说明")]):
        detail.text(0, col, name, HEADER)
    line_row = 0
    for row in rows:
        for line in row.result.breakdown:
            line_row += 1
            detail.text(line_row, 0, row.result.unit.name, CELL)
            detail.text(line_row, 1, line["name"], CELL)
            detail.number(line_row, 2, float(Decimal(line["score"])), CELL, SCORE_FORMAT)
            detail.text(line_row, 3, line["text"], CELL)
    book.close()
    return len(rows)


def results_docx(*, round_: EvaluationRound, rows: Sequence[BoardRow]) -> bytes:
    """The results as a Word document: the ranking table, then each unit's breakdown."""
    document = document_new()
    title_add(document, _("%(name)s结果通报") % {"name": round_.name})
    line_add(
        document,
        _("考核期%(start)s至%(end)s，共%(n)s个单位参评，按“%(scheme)s”计分，结果如下。")
        % {
            "start": round_.period_start,
            "end": round_.period_end,
            "n": len(rows),
            "scheme": round_.scheme.name,
        },
        indent=True,
    )
    heading_add(document, _("一、排名"))
    table_add(
        document,
        [_("名次"), _("单位"), _("总分"), _("自评分"), _("名次变化")],
        [
            [
                str(row.result.rank),
                row.result.unit.name,
                shown(row.result.total),
                "" if row.self_score is None else shown(row.self_score),
                movement_text(row),
            ]
            for row in rows
        ],
    )
    heading_add(document, _("二、得分明细"))
    for row in rows:
        line_add(
            document,
            _("%(rank)s. %(unit)s：%(total)s分")
            % {
                "rank": row.result.rank,
                "unit": row.result.unit.name,
                "total": shown(row.result.total),
            },
            bold=True,
        )
        for line in row.result.breakdown:
            line_add(document, line["text"], indent=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def results_download(*, round_: EvaluationRound, rows: Sequence[BoardRow]) -> FileResponse:
    """The results workbook as a download (the page's and the API's)."""
    return xlsx_download(
        lambda out: results_workbook_write(out=out, round_=round_, rows=rows),
        _("%(name)s结果.xlsx") % {"name": round_.name},
    )
