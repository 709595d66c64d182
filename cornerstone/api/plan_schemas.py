"""Request and response shapes of the plan endpoints: money in 万元 as decimal strings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict


class _WriteBase(Schema):
    # A misspelt or read-only field is an error, not silently dropped; text is stripped
    # as the pages' forms strip it, so a name of spaces is as blank as an empty one.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# ---------------------------------------------------------------- investment plans


class PlanYearOut(Schema):
    year: int
    annual_amount: Decimal = Field(description="年度计划投资（万元）")
    split_method: str = Field(description="分月方式：manual / even / weighted")
    split_method_label: str
    override_reason: str = Field(description="超出总投资的理由")
    months: list[Decimal] = Field(description="1–12月的计划投资（万元），合计等于年度计划")


class PlansOut(Schema):
    this_year: int = Field(description="计算滚动计划所依据的当前年度")
    total_investment: Decimal = Field(description="总投资（万元）")
    completed_before_year: Decimal = Field(description="以前年度累计完成投资（万元）")
    planned_from_this_year: Decimal = Field(description="本年及以后年度计划合计（万元）")
    remaining: Decimal = Field(description="总投资中既未完成也未计划的部分（万元）")
    years: list[PlanYearOut] = Field(description="已填报的全部年度，按年份排序")


class PlanYearIn(_WriteBase):
    annual_amount: Decimal = Field(description="年度计划投资（万元），不能为负数")
    months: list[Decimal] | None = Field(
        None,
        description="12个月的计划投资（万元），合计须等于年度计划；"
        "不填时按 split_method（even 或 weighted）自动分月",
    )
    split_method: Literal["manual", "even", "weighted"] = Field(
        "manual",
        description="manual 逐月填报；even 平均分配；weighted 按施工月份加权。"
        "自动分月后又改动过的月份记为 manual",
    )
    override_reason: str = Field("", description="本年及以后年度计划加以前年度完成超出总投资时必填")


# ---------------------------------------------------------------- milestones


class MilestoneOut(Schema):
    id: int
    name: str
    target_date: dt.date
    step: int | None = Field(description="关联的生命周期环节（环节定义编号）")
    step_name: str | None
    achieved_date: dt.date | None = Field(
        description="完成日期；关联环节的节点取环节的实际完成日期"
    )
    status: str = Field(description="pending / done_on_time / done_late / overdue_open")
    status_label: str
    note: str


class MilestoneCreate(_WriteBase):
    name: str = Field(description="节点名称")
    target_date: dt.date = Field(description="目标日期")
    step: int | None = Field(None, description="关联环节（环节定义编号）；环节办结即节点完成")
    achieved_date: dt.date | None = Field(None, description="完成日期（仅未关联环节的节点）")
    note: str = ""


class MilestonePatch(_WriteBase):
    name: str | None = None
    target_date: dt.date | None = None
    step: int | None = None
    achieved_date: dt.date | None = None
    note: str | None = None


# ---------------------------------------------------------------- tasks


class PredecessorOut(Schema):
    predecessor: int = Field(description="前置任务编号")
    kind: str = Field(description="FS 完成-开始；SS 开始-开始")
    lag: int = Field(description="间隔（工作日），负数为提前")


class PredecessorIn(_WriteBase):
    predecessor: int = Field(description="前置任务编号（同一项目的任务）")
    kind: Literal["FS", "SS"] = Field("FS", description="FS 完成-开始；SS 开始-开始")
    lag: int = Field(0, description="间隔（工作日，-365–365），负数为提前")


class TaskOut(Schema):
    id: int
    name: str
    department: int | None = Field(description="责任单位编号")
    department_name: str | None
    person: str
    duration: int = Field(description="工期（工作日）")
    deadline: dt.date | None
    actual_start: dt.date | None
    actual_finish: dt.date | None
    note: str
    predecessors: list[PredecessorOut]


class TaskCreate(_WriteBase):
    name: str = Field(description="任务名称")
    department: int | None = Field(None, description="责任单位编号")
    person: str = Field("", description="责任人")
    # The model's bounds, stated here so that the schema documents them.
    duration: int = Field(ge=0, le=3650, description="工期（工作日），0 为节点任务")
    deadline: dt.date | None = Field(None, description="限定完成日期")
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    note: str = ""
    predecessors: list[PredecessorIn] = Field(default_factory=list)


class TaskPatch(_WriteBase):
    name: str | None = None
    department: int | None = None
    person: str | None = None
    duration: int | None = Field(None, ge=0, le=3650)
    deadline: dt.date | None = None
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    note: str | None = None
    predecessors: list[PredecessorIn] = Field(
        default_factory=list, description="提交时整体替换前置任务；不提交则不变"
    )


# ---------------------------------------------------------------- schedule


class ScheduleTargetIn(_WriteBase):
    deadline: dt.date = Field(description="完成时限")
    label: str = Field("", description="目标，如“投产”（默认）")


class ScheduleTargetOut(Schema):
    deadline: dt.date
    label: str


class TaskScheduleOut(Schema):
    id: int
    name: str
    early_start: dt.date
    early_finish: dt.date
    late_start: dt.date
    late_finish: dt.date
    total_float: int = Field(description="总时差（工作日），负数表示赶不上时限")
    critical: bool
    started: bool
    finished: bool
    late_start_passed: bool = Field(description="未开始且已过最迟开始日期")
    overdue: bool = Field(description="未完成且已过最迟完成日期")


class ScheduleOut(Schema):
    deadline: dt.date | None = Field(description="倒排工期的完成时限")
    label: str | None
    feasible: bool | None = Field(description="能否按期完成；无法排程时为 null")
    shortfall_days: int | None = Field(description="差多少个工作日；无法排程时为 null")
    early_finish: dt.date | None = Field(description="全部任务最早完成日期")
    binding_chain: list[int] = Field(description="赶不上时限时，造成延误的任务链（任务编号）")
    critical_path: list[int] = Field(description="关键路径（任务编号，从先到后）")
    deadline_passed_unstarted: bool = Field(description="时限已过而项目尚未开工")
    error: str | None = Field(description="无法排程的原因（如循环依赖）；可排程时为 null")
    tasks: list[TaskScheduleOut] = Field(description="排程结果；无法排程时为空")
