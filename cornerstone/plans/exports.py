"""Excel (xlsx) exports: a project's schedule (倒排工期) and a region's monthly plans.

Each function writes a whole workbook into a binary file object and knows nothing of
HTTP, so a view can hand the bytes to a response and a management command can write a
file. The workbooks hold real values: dates are Excel dates with a ``yyyy-mm-dd``
format and money is a number with ``#,##0.00``, so they sort, filter and sum in Excel.
Text never becomes a formula: see ``cornerstone.core.xlsx``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from decimal import Decimal
from typing import Any, BinaryIO

from django.db.models import QuerySet

from cornerstone.core.xlsx import (
    BAD,
    CELL,
    CENTRE,
    CRITICAL,
    FLOAT,
    GOOD,
    HEADER,
    NOTE,
    TITLE,
    TOTAL,
    Props,
    XlsxSheet,
    xlsx_book,
)
from cornerstone.geo.models import Region
from cornerstone.plans.choices import MilestoneStatus
from cornerstone.plans.models import MONTHS, InvestmentPlan, Task, TaskDependency
from cornerstone.plans.queries import MilestoneRow, ProjectSchedule, TaskRow
from cornerstone.projects.models import Project

PLAN_CHUNK = 2000


# The schedule --------------------------------------------------------------------------

SCHEDULE_SHEET = "倒排工期"
MILESTONE_SHEET = "月节点"
SCHEDULE_COLUMNS = [
    ("序号", 6),
    ("任务名称", 30),
    ("责任单位", 22),
    ("责任人", 10),
    ("工期（工作日）", 10),
    ("前置任务", 30),
    ("最早开始", 12),
    ("最早完成", 12),
    ("最迟开始", 12),
    ("最迟完成", 12),
    ("总时差（工作日）", 10),
    ("关键任务", 8),
    ("实际开始", 12),
    ("实际完成", 12),
    ("状态", 20),
]
MILESTONE_COLUMNS = [
    ("节点名称", 30),
    ("目标日期", 12),
    ("关联环节", 18),
    ("完成日期", 12),
    ("状态", 12),
]
SCHEDULE_HEADER_ROW = 3


def _iso(day: dt.date) -> str:
    return day.isoformat()


def predecessors_describe(links: Iterable[TaskDependency]) -> str:
    """Predecessors by name, e.g. ``土方开挖（FS）、基础施工（SS+2）``, as in the audit log."""
    parts = []
    for link in sorted(links, key=lambda link: link.predecessor_id):
        lag = f"{link.lag:+d}" if link.lag else ""
        parts.append(f"{link.predecessor.name}（{link.kind}{lag}）")
    return "、".join(parts)


def task_status(row: TaskRow) -> str:
    """已完成 / 进行中 / 未开始, with 逾期 and 应开未开 where the schedule flags them."""
    task, scheduled = row.task, row.scheduled
    if task.actual_finish is not None:
        status = "已完成"
    elif task.actual_start is not None:
        status = "进行中"
    else:
        status = "未开始"
    flags = []
    if scheduled is not None and scheduled.overdue:
        flags.append("逾期")
    if scheduled is not None and scheduled.late_start_passed:
        flags.append("应开未开")
    return f"{status}（{'、'.join(flags)}）" if flags else status


def _deadline_line(schedule: ProjectSchedule, today: dt.date) -> str:
    target = schedule.target
    if target is None:
        head = "未设定完成时限"
    else:
        head = f"{target.label}时限：{_iso(target.deadline)}"
        if schedule.deadline_passed_unstarted:
            head += "（时限已过，项目尚未开工）"
    return f"{head}　　编制日期：{_iso(today)}"


def _feasibility_line(schedule: ProjectSchedule) -> tuple[str, bool]:
    """The verdict on the deadline, and whether it is good news."""
    if schedule.error:
        return f"无法排定工期：{schedule.error}", False
    result = schedule.result
    if result is None or result.early_finish is None:
        return "尚未编排任务", True
    finish = _iso(result.early_finish)
    if result.feasible:
        if result.deadline is None:
            return f"最早可于{finish}完成", True
        return f"可按期完成（最早可于{finish}完成）", True
    names: dict[Hashable, str] = {row.task.pk: row.task.name for row in schedule.rows}
    chain = " → ".join(names.get(key, str(key)) for key in result.binding_chain)
    line = f"按当前工期差{result.shortfall}个工作日（最早可于{finish}完成）"
    return (f"{line}，制约任务：{chain}" if chain else line), False


def _task_write(sheet: XlsxSheet, r: int, number: int, row: TaskRow) -> None:
    task: Task = row.task
    s = row.scheduled
    mark: tuple[Props, ...] = (CELL, CRITICAL) if s is not None and s.critical else (CELL,)
    sheet.number(r, 0, number, *mark, CENTRE)
    sheet.text(r, 1, task.name, *mark)
    sheet.text(r, 2, task.department.name if task.department else "", *mark)
    sheet.text(r, 3, task.person, *mark)
    sheet.number(r, 4, task.duration, *mark, CENTRE)
    sheet.text(r, 5, predecessors_describe(row.predecessors), *mark)
    if s is None:
        # Not scheduled (the network has an error): the computed columns stay empty.
        for col in (6, 7, 8, 9):
            sheet.date(r, col, None, *mark)
        sheet.text(r, 10, "", *mark)
        sheet.text(r, 11, "", *mark)
    else:
        sheet.date(r, 6, s.early_start, *mark)
        sheet.date(r, 7, s.early_finish, *mark)
        sheet.date(r, 8, s.late_start, *mark)
        sheet.date(r, 9, s.late_finish, *mark)
        sheet.number(r, 10, s.total_float, *mark, FLOAT)
        sheet.text(r, 11, "是" if s.critical else "否", *mark, CENTRE)
    sheet.date(r, 12, task.actual_start, *mark)
    sheet.date(r, 13, task.actual_finish, *mark)
    flagged = s is not None and (s.overdue or s.late_start_passed)
    sheet.text(r, 14, task_status(row), *mark, *((BAD,) if flagged else ()))


def _milestones_write(sheet: XlsxSheet, milestones: list[MilestoneRow]) -> None:
    last = len(MILESTONE_COLUMNS) - 1
    sheet.widths(width for _, width in MILESTONE_COLUMNS)
    sheet.sheet.set_row(0, 22)
    for col, (label, _) in enumerate(MILESTONE_COLUMNS):
        sheet.text(0, col, label, HEADER)
    for r, row in enumerate(milestones, start=1):
        milestone = row.milestone
        sheet.text(r, 0, milestone.name, CELL)
        sheet.date(r, 1, milestone.target_date, CELL)
        sheet.text(r, 2, milestone.step.name if milestone.step else "", CELL)
        sheet.date(r, 3, row.achieved, CELL)
        late = row.status in (MilestoneStatus.OVERDUE_OPEN, MilestoneStatus.DONE_LATE)
        sheet.text(r, 4, MilestoneStatus(row.status).label, CELL, CENTRE, *((BAD,) if late else ()))
    sheet.sheet.freeze_panes(1, 0)
    sheet.sheet.autofilter(0, 0, len(milestones), last)


def schedule_workbook_write(
    *,
    out: BinaryIO,
    project: Project,
    schedule: ProjectSchedule,
    milestones: list[MilestoneRow],
    today: dt.date,
) -> None:
    """Write the project's schedule (倒排工期) and its milestones (月节点) as an xlsx."""
    book = xlsx_book(out)
    cache: dict[tuple[Any, ...], Any] = {}
    sheet = XlsxSheet(book, SCHEDULE_SHEET, cache)
    last = len(SCHEDULE_COLUMNS) - 1
    sheet.widths(width for _, width in SCHEDULE_COLUMNS)

    sheet.sheet.set_row(0, 26)
    sheet.title(0, last, f"{project.name}（{project.code}）倒排工期表", TITLE)
    sheet.title(1, last, _deadline_line(schedule, today), NOTE)
    verdict, good = _feasibility_line(schedule)
    sheet.title(2, last, verdict, NOTE, GOOD if good else BAD)

    header = SCHEDULE_HEADER_ROW
    sheet.sheet.set_row(header, 32)
    for col, (label, _) in enumerate(SCHEDULE_COLUMNS):
        sheet.text(header, col, label, HEADER)
    for number, row in enumerate(schedule.rows, start=1):
        _task_write(sheet, header + number, number, row)
    sheet.sheet.freeze_panes(header + 1, 2)
    sheet.sheet.autofilter(header, 0, header + len(schedule.rows), last)
    sheet.sheet.set_landscape()
    sheet.sheet.repeat_rows(header)
    sheet.sheet.fit_to_pages(1, 0)

    _milestones_write(XlsxSheet(book, MILESTONE_SHEET, cache), milestones)
    book.close()


# The monthly plan table ----------------------------------------------------------------

MONTHLY_SHEET = "月度投资计划"
MONTHLY_COLUMNS = [
    ("序号", 7),
    ("项目代码", 27),
    ("项目名称", 42),
    ("所在区划", 18),
    ("年度计划", 14),
    *((f"{m}月", 12) for m in MONTHS),
]
MONTHLY_HEADER_ROW = 1


def _region_label(project_region: Region, region: Region) -> str:
    """The project's region below the exported one (``太原市小店区`` in 山西省's table)."""
    full = project_region.full_name
    if full.startswith(region.full_name) and full != region.full_name:
        return full[len(region.full_name) :]
    return project_region.name


def monthly_plan_workbook_write(
    *,
    out: BinaryIO,
    region: Region,
    year: int,
    plans: Iterable[InvestmentPlan],
    totals: list[Decimal],
) -> None:
    """Write the region's monthly plan table for the year, one row per plan, then 合计.

    ``plans`` come annotated with ``m1``…``m12`` (``queries.region_monthly_plans``);
    rows are written in order in constant-memory mode and a queryset is read in chunks,
    so a province's tens of thousands of projects take no more memory than a county's.
    """
    if len(totals) != 12:
        raise ValueError("totals must hold the twelve months")
    book = xlsx_book(out, constant_memory=True)
    sheet = XlsxSheet(book, MONTHLY_SHEET, {})
    last = len(MONTHLY_COLUMNS) - 1
    sheet.widths(width for _, width in MONTHLY_COLUMNS)

    sheet.sheet.set_row(0, 26)
    sheet.title(0, last, f"{region.name}{year}年度重点项目月度投资计划（万元）", TITLE)
    header = MONTHLY_HEADER_ROW
    sheet.sheet.set_row(header, 22)
    for col, (label, _) in enumerate(MONTHLY_COLUMNS):
        sheet.text(header, col, label, HEADER)

    rows = plans.iterator(chunk_size=PLAN_CHUNK) if isinstance(plans, QuerySet) else plans
    annual = Decimal(0)
    r = header
    for r, plan in enumerate(rows, start=header + 1):
        project = plan.project
        sheet.number(r, 0, r - header, CELL, CENTRE)
        sheet.text(r, 1, project.code, CELL)
        sheet.text(r, 2, project.name, CELL)
        sheet.text(r, 3, _region_label(project.region, region), CELL)
        sheet.money(r, 4, plan.annual_amount, CELL)
        for m in MONTHS:
            sheet.money(r, 4 + m, getattr(plan, f"m{m}"), CELL)
        annual += plan.annual_amount
    count = r - header

    total_row = r + 1
    sheet.sheet.merge_range(total_row, 0, total_row, 3, "", sheet.format(CELL, TOTAL, CENTRE))
    sheet.text(total_row, 0, "合计", CELL, TOTAL, CENTRE)
    sheet.money(total_row, 4, annual, CELL, TOTAL)
    for m, amount in zip(MONTHS, totals, strict=True):
        sheet.money(total_row, 4 + m, amount, CELL, TOTAL)

    sheet.sheet.freeze_panes(header + 1, 3)
    # The filter covers the projects only, so sorting never moves the 合计 row.
    sheet.sheet.autofilter(header, 0, header + count, last)
    sheet.sheet.set_landscape()
    sheet.sheet.repeat_rows(header)
    sheet.sheet.fit_to_pages(1, 0)
    book.close()
