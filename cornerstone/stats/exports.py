"""The statistics pages' tables as xlsx: real numbers, money and percent formats, a frozen
header and a filter on every table, and text that never becomes a formula.

Each sheet is one table of a page, titled with the period and scope it covers; a
percentage is written as a fraction in a ``0.00%`` cell, so that it sums and sorts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cornerstone.alerts.choices import Light
from cornerstone.core.xlsx import CELL, HEADER, NOTE, TITLE, TOTAL, XlsxSheet, xlsx_book
from cornerstone.projects.models import Project
from cornerstone.stats import presenters
from cornerstone.stats.kpis import HUNDRED
from cornerstone.stats.queries import Dashboard, Row

HEADER_ROW = 2
PERCENT = {"num_format": "0.00%"}
POINTS = {"num_format": "0.00"}
COUNT = {"num_format": "#,##0"}
LIGHTS = ("red", "yellow", "green")


@dataclass(frozen=True)
class Column:
    """A column of a sheet: header, kind (text, count, money, percent, points, date), width."""

    header: str
    kind: str = "text"
    width: float = 14.0


def _cell(sheet: XlsxSheet, row: int, col: int, kind: str, value: Any, *layers: Any) -> None:
    if kind == "text":
        sheet.text(row, col, value, CELL, *layers)
    elif kind == "date":
        sheet.date(row, col, value, CELL, *layers)
    elif value is None:
        sheet.sheet.write_blank(row, col, None, sheet.format(CELL, *layers))
    elif kind == "money":
        sheet.money(row, col, Decimal(value), CELL, *layers)
    elif kind == "percent":
        sheet.number(row, col, float(Decimal(value) / HUNDRED), CELL, PERCENT, *layers)
    elif kind == "points":
        sheet.number(row, col, float(value), CELL, POINTS, *layers)
    else:
        sheet.number(row, col, int(value), CELL, COUNT, *layers)


def table_write(
    book: Any,
    cache: dict[tuple[Any, ...], Any],
    *,
    name: str,
    title: str,
    caption: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    total: Sequence[Any] | None = None,
) -> int:
    """One sheet: a title, the caption, a header frozen above the rows and a filter on them."""
    sheet = XlsxSheet(book, name, cache)
    last_col = len(columns) - 1
    sheet.widths(c.width for c in columns)
    sheet.title(0, last_col, title, TITLE)
    sheet.title(1, last_col, caption, NOTE)
    for col, column in enumerate(columns):
        sheet.text(HEADER_ROW, col, column.header, HEADER)
    row = HEADER_ROW
    for values in rows:
        row += 1
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            _cell(sheet, row, col, column.kind, value)
    sheet.sheet.freeze_panes(HEADER_ROW + 1, 1)
    sheet.sheet.autofilter(HEADER_ROW, 0, max(row, HEADER_ROW + 1), last_col)
    if total is not None:
        # Below the filtered range, so that filtering the rows leaves the total in place.
        row += 1
        for col, (column, value) in enumerate(zip(columns, total, strict=True)):
            _cell(sheet, row, col, column.kind, value, TOTAL)
    return row - HEADER_ROW


# ------------------------------------------------------------------ dashboard sheets


def _row_values(row: Row) -> list[Any]:
    return [
        row.name,
        row.measures.projects,
        row.total_investment,
        row.completed,
        row.completed_last_year,
        row.growth,
        row.plan,
        row.completion_rate,
        *(row.events.get(name, 0) for name in presenters.ROW_EVENTS),
        *(row.lights.get(colour, 0) for colour in LIGHTS),
    ]


def breakdown_columns(by_label: str) -> list[Column]:
    return [
        Column(by_label, width=24),
        Column(_("项目数"), "count", 10),
        Column(_("总投资（万元）"), "money", 16),
        Column(_("本年完成投资（万元）"), "money", 16),
        Column(_("上年同期（万元）"), "money", 16),
        Column(_("同比增长"), "percent", 10),
        Column(_("年度计划投资（万元）"), "money", 16),
        Column(_("投资完成率"), "percent", 10),
        *(Column(header, "count", 10) for header in presenters.event_headers()),
        *(Column(str(dict(Light.choices)[colour]), "count", 8) for colour in LIGHTS),
    ]


def dashboard_workbook_write(
    *, out: BinaryIO, board: Dashboard, title: str, caption: str, overview: bool
) -> None:
    """The tables of one statistics page: KPIs, the breakdown and, on the overview, the rest."""
    book = xlsx_book(out)
    cache: dict[tuple[Any, ...], Any] = {}
    _kpi_sheet(book, cache, board, title=title, caption=caption)
    by_label = str(
        presenters.BY_LABELS["zone" if board.by == "region" and board.scope.zones else board.by]
    )
    table_write(
        book,
        cache,
        name=by_label,
        title=f"{title} · {by_label}",
        caption=caption,
        columns=breakdown_columns(by_label),
        rows=[_row_values(row) for row in board.rows],
        total=_row_values(presenters.total_row(board).row),
    )
    if overview:
        _overview_sheets(book, cache, board, title=title, caption=caption)
    book.close()


def _kpi_sheet(
    book: Any, cache: dict[tuple[Any, ...], Any], board: Dashboard, *, title: str, caption: str
) -> None:
    """Each KPI with its value in its own format (percent, points, count, 万元) and formula."""
    sheet = XlsxSheet(book, _("指标"), cache)
    headers = [(_("指标"), 20), (_("数值"), 16), (_("单位"), 10), (_("计算口径"), 56)]
    sheet.widths(width for __h, width in headers)
    sheet.title(0, len(headers) - 1, title + " · " + _("指标"), TITLE)
    sheet.title(1, len(headers) - 1, caption, NOTE)
    for col, (header, __w) in enumerate(headers):
        sheet.text(HEADER_ROW, col, header, HEADER)
    units = {"percent": "%", "points": _("个百分点"), "count": _("个"), "wan": _("万元")}
    # A percentage KPI is a number of percent here (30.90), as its unit column says.
    kinds = {"percent": "points", "points": "points", "count": "count", "wan": "money"}
    row = HEADER_ROW
    for figure in board.kpis:
        row += 1
        sheet.text(row, 0, str(figure.kpi.label), CELL)
        _cell(sheet, row, 1, kinds[figure.kpi.unit], figure.value)
        sheet.text(row, 2, units[figure.kpi.unit], CELL)
        sheet.text(row, 3, str(figure.kpi.formula), CELL)
    sheet.sheet.freeze_panes(HEADER_ROW + 1, 1)
    sheet.sheet.autofilter(HEADER_ROW, 0, row, len(headers) - 1)


def _overview_sheets(
    book: Any, cache: dict[tuple[Any, ...], Any], board: Dashboard, *, title: str, caption: str
) -> None:
    """The monthly curves, stages, funnel and lagging projects of the overview."""
    year = board.filters.year
    table_write(
        book,
        cache,
        name=_("月度累计"),
        title=title + " · " + _("月度累计完成与计划"),
        caption=caption,
        columns=[
            Column(_("月份"), "count", 8),
            Column(_("%(year)s年累计完成（万元）") % {"year": year}, "money", 20),
            Column(_("%(year)s年累计计划（万元）") % {"year": year}, "money", 20),
            Column(_("%(year)s年累计完成（万元）") % {"year": year - 1}, "money", 20),
            Column(_("%(year)s年累计计划（万元）") % {"year": year - 1}, "money", 20),
        ],
        rows=presenters.series_rows(board),
    )
    table_write(
        book,
        cache,
        name=_("阶段"),
        title=title + " · " + _("分阶段"),
        caption=caption,
        columns=[
            Column(_("阶段"), width=16),
            Column(_("项目数"), "count", 10),
            Column(_("总投资（万元）"), "money", 16),
            Column(_("本年完成投资（万元）"), "money", 18),
            Column(_("年度计划投资（万元）"), "money", 18),
        ],
        rows=[
            [r.name, r.measures.projects, r.total_investment, r.completed, r.plan]
            for r in board.stages
        ],
    )
    table_write(
        book,
        cache,
        name=_("漏斗"),
        title=title + " · " + _("全生命周期漏斗"),
        caption=caption,
        columns=[Column(_("环节"), width=12), Column(_("项目数"), "count", 10)],
        rows=[[label, count] for __code, label, count in board.funnel],
    )
    lights = dict(Light.choices)
    table_write(
        book,
        cache,
        name=_("亮灯"),
        title=title + " · " + _("亮灯"),
        caption=caption,
        columns=[Column(_("灯色"), width=8), Column(_("项目数"), "count", 10)],
        rows=[[str(lights[c]), board.lights.get(c, 0)] for c in LIGHTS],
    )
    table_write(
        book,
        cache,
        name=_("滞后项目"),
        title=title + " · " + _("滞后项目（红灯）"),
        caption=caption,
        columns=[
            Column(_("项目代码"), width=26),
            Column(_("项目名称"), width=36),
            Column(_("所在区划"), width=12),
            Column(_("总投资（万元）"), "money", 16),
            Column(_("原因"), width=60),
        ],
        rows=[
            [
                light.project.code,
                light.project.name,
                light.project.region.name,
                light.project.total_investment,
                pgettext("list separator", "；").join(
                    str(r.get("text", "")) for r in light.reasons if not r.get("suppressed")
                ),
            ]
            for light in board.lagging
        ],
    )


# ------------------------------------------------------------------ drill-down


def projects_workbook_write(
    *, out: BinaryIO, projects: QuerySet[Project], title: str, caption: str
) -> int:
    """The projects behind a count, every one of them; returns how many rows were written."""
    book = xlsx_book(out, constant_memory=True)
    written = table_write(
        book,
        {},
        name=title[:31],
        title=title,
        caption=caption,
        columns=[
            Column(_("项目代码"), width=26),
            Column(_("项目名称"), width=36),
            Column(_("所在区划"), width=12),
            Column(_("园区"), width=20),
            Column(_("总投资（万元）"), "money", 16),
            Column(_("计划开工"), "date", 12),
            Column(_("实际开工"), "date", 12),
            Column(_("计划竣工"), "date", 12),
            Column(_("实际竣工"), "date", 12),
            Column(_("计划投产"), "date", 12),
            Column(_("实际投产"), "date", 12),
        ],
        rows=(
            [
                p.code,
                p.name,
                p.region.name,
                p.zone.name if p.zone else "",
                p.total_investment,
                p.planned_start_date,
                p.actual_start_date,
                p.planned_completion_date,
                p.actual_completion_date,
                p.planned_production_date,
                p.actual_production_date,
            ]
            for p in projects.iterator(chunk_size=2000)
        ),
    )
    book.close()
    return written
