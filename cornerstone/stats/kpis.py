"""KPI definitions of the statistics pages: the raw figures of one scope in, rates out.

Pure: no Django model, no database, Decimal only. The queries fill ``Inputs`` from the
rollup tables; ``KPIS`` (or ``kpi_registry`` with the configured start-rate base) says
what each figure is called, its unit, its formula and how it is computed. Percentages
are rounded to two decimals, half up, as the published bulletins round them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeVar

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ZERO = Decimal(0)
HUNDRED = Decimal(100)
PERCENT_PLACES = 2

Unit = Literal["percent", "points", "count", "wan"]
Value = Decimal | int | None


def round_percent(value: Decimal, places: int = PERCENT_PLACES) -> Decimal:
    """Round a percentage half up (30.9004 → 30.90; 72.9469 → 73 with no decimals)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(
    part: Decimal | int, whole: Decimal | int, places: int = PERCENT_PLACES
) -> Decimal | None:
    """``part / whole × 100``, rounded half up; None when there is no whole."""
    if not whole:
        return None
    return round_percent(Decimal(part) * HUNDRED / Decimal(whole), places)


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Inputs:
    """The raw figures of one scope for January..``month`` of ``year`` (money in 万元)."""

    year: int
    month: int
    # Investment.
    completed_ytd: Decimal = ZERO
    completed_ytd_last_year: Decimal = ZERO
    annual_plan: Decimal = ZERO
    plan_to_date: Decimal = ZERO  # monthly plans Jan..month: the 序时计划
    completed_since_start: Decimal = ZERO
    total_investment: Decimal = ZERO
    industry_completed: Decimal = ZERO  # completed_ytd of 产业 class projects
    funds_planned: Decimal = ZERO
    funds_in_place: Decimal = ZERO
    # Starts: planned_starts have a planned start date in the year; the rest are among them.
    projects: int = 0  # every project in scope (start-rate base "all")
    projects_started: int = 0  # of them, started on or before the end of month
    planned_starts: int = 0
    planned_starts_due: int = 0  # planned start on or before the end of month
    started: int = 0  # planned starts started on or before the end of month
    started_early: int = 0
    started_on_time: int = 0
    started_late: int = 0
    not_started_due: int = 0
    # 开复工.
    new_starts: int = 0  # actual start in the year up to month, planned or not
    continuing: int = 0  # started before 1 January, not completed before it
    resumed: int = 0  # of the continuing, with work resumed this year up to month
    start_target: int | None = None  # target count of 开复工 (计划完成率)
    # Completion, production, capacity, reserve.
    planned_completions: int = 0
    completed: int = 0
    planned_productions: int = 0
    in_production: int = 0  # of the planned productions, in production by month end
    put_into_production: int = 0  # every project put into production Jan..month
    under_construction: int = 0
    capacity_due: int = 0
    capacity_reached: int = 0
    reserve_projects: int = 0
    reserve_started: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, not {self.month}")
        for item in fields(self):
            value = getattr(self, item.name)
            if value is not None and value < 0:
                raise ValueError(f"{item.name} must not be negative ({value})")


class StartRateBase(StrEnum):
    """What the start rate 开工率 divides by; places differ, so it is a setting."""

    PLANNED = "planned"  # every planned new start of the year
    DUE = "due"  # the planned starts due by the end of this month
    ALL = "all"  # every project in scope


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Kpi:
    """One figure of the dashboards: what it is called, its unit and formula, how computed."""

    code: str
    label: StrOrPromise
    unit: Unit
    formula: StrOrPromise
    compute: Callable[[Inputs], Value]


Compute = TypeVar("Compute", bound=Callable[[Inputs], Value])
_DEFINED: list[Kpi] = []  # in display order
START_RATE: dict[StartRateBase, Kpi] = {}


def _kpi(
    code: str, label: StrOrPromise, unit: Unit, formula: StrOrPromise
) -> Callable[[Compute], Compute]:
    def register(compute: Compute) -> Compute:
        _DEFINED.append(Kpi(code, label, unit, formula, compute))
        return compute

    return register


def _start_rate(base: StartRateBase, formula: StrOrPromise) -> Callable[[Compute], Compute]:
    def register(compute: Compute) -> Compute:
        START_RATE[base] = Kpi("start_rate", _("开工率"), "percent", formula, compute)
        return compute

    return register


# --------------------------------------------------------------------------- computations


@_kpi("completed_investment", _("完成投资"), "wan", _("1—N月完成投资之和"))
def completed_investment(i: Inputs) -> Decimal:
    """Completed investment: sum of completed investment Jan..N (万元)."""
    return i.completed_ytd


@_kpi("completion_rate", _("投资完成率"), "percent", _("1—N月完成投资 ÷ 年度计划投资 × 100%"))
def completion_rate(i: Inputs) -> Decimal | None:
    """投资完成率 = completed Jan..N / annual plan × 100%."""
    return percent(i.completed_ytd, i.annual_plan)


@_kpi("time_progress", _("时间进度"), "percent", _("N ÷ 12 × 100%"))
def time_progress(i: Inputs) -> Decimal:
    """时间进度 (序时进度) = N / 12 × 100%."""
    return round_percent(Decimal(i.month) * HUNDRED / 12)


@_kpi("time_progress_gap", _("超过时间进度"), "points", _("投资完成率 − 时间进度（负数为落后）"))
def time_progress_gap(i: Inputs) -> Decimal | None:
    """超过(落后)时间进度 = 投资完成率 − 时间进度, in percentage points."""
    rate = completion_rate(i)
    # From the rounded figures, so that the published numbers subtract exactly.
    return None if rate is None else rate - time_progress(i)


@_kpi(
    "plan_to_date_rate", _("序时进度完成率"), "percent", _("1—N月完成投资 ÷ 1—N月计划投资 × 100%")
)
def plan_to_date_rate(i: Inputs) -> Decimal | None:
    """序时进度完成率 = completed Jan..N / monthly plans Jan..N × 100%."""
    return percent(i.completed_ytd, i.plan_to_date)


@_kpi("cumulative_rate", _("累计投资完成率"), "percent", _("自开工累计完成投资 ÷ 总投资 × 100%"))
def cumulative_rate(i: Inputs) -> Decimal | None:
    """累计投资完成率 = completed since the start of works / total investment × 100%."""
    return percent(i.completed_since_start, i.total_investment)


@_kpi("yoy_growth", _("同比增长"), "percent", _("（1—N月完成投资 − 上年同期）÷ 上年同期 × 100%"))
def yoy_growth(i: Inputs) -> Decimal | None:
    """同比增长 = (completed Jan..N − same months last year) / same months last year × 100%."""
    return percent(i.completed_ytd - i.completed_ytd_last_year, i.completed_ytd_last_year)


@_kpi("industry_share", _("产业投资占比"), "percent", _("产业类项目完成投资 ÷ 全部完成投资 × 100%"))
def industry_share(i: Inputs) -> Decimal | None:
    """产业投资占比 = completed Jan..N of 产业 projects / all completed Jan..N × 100%."""
    return percent(i.industry_completed, i.completed_ytd)


@_kpi("funds_rate", _("资金到位率"), "percent", _("到位资金 ÷ 计划资金 × 100%"))
def funds_rate(i: Inputs) -> Decimal | None:
    """资金到位率 = funds in place / planned funds × 100% (may pass 100%)."""
    return percent(i.funds_in_place, i.funds_planned)


@_start_rate(StartRateBase.PLANNED, _("已开工的计划新开工项目数 ÷ 年度计划新开工项目数 × 100%"))
def start_rate_planned(i: Inputs) -> Decimal | None:
    """开工率 = planned starts started by month end / planned new starts of the year × 100%."""
    return percent(i.started, i.planned_starts)


@_start_rate(StartRateBase.DUE, _("已开工的计划新开工项目数 ÷ 截至本月应开工项目数 × 100%"))
def start_rate_due(i: Inputs) -> Decimal | None:
    """开工率 = planned starts started by month end / planned starts due by month end × 100%."""
    # Early starts count although not yet due, so the rate can pass 100%, as published.
    return percent(i.started, i.planned_starts_due)


@_start_rate(StartRateBase.ALL, _("已开工项目数 ÷ 全部项目数 × 100%"))
def start_rate_all(i: Inputs) -> Decimal | None:
    """开工率 = projects started by month end / every project in scope × 100%."""
    return percent(i.projects_started, i.projects)


_DEFINED.append(START_RATE[StartRateBase.PLANNED])  # the place of the start rate in the order


@_kpi("started_early", _("提前开工"), "count", _("实际开工月份早于计划开工月份的项目数"))
def started_early(i: Inputs) -> int:
    """提前开工: planned starts that started in a month before the planned one."""
    return i.started_early


@_kpi("started_on_time", _("按期开工"), "count", _("实际开工月份即计划开工月份的项目数"))
def started_on_time(i: Inputs) -> int:
    """按期开工: planned starts that started in the planned month."""
    return i.started_on_time


@_kpi("started_late", _("未按计划开工"), "count", _("实际开工月份晚于计划开工月份的项目数"))
def started_late(i: Inputs) -> int:
    """未按计划开工: planned starts that started in a month after the planned one."""
    return i.started_late


@_kpi("not_started_due", _("到期未开工"), "count", _("计划开工日期已到而尚未开工的项目数"))
def not_started_due(i: Inputs) -> int:
    """到期未开工: planned starts due by month end and not started."""
    return i.not_started_due


@_kpi("kaifugong", _("开复工"), "count", _("新开工项目数 + 续建项目复工数"))
def kaifugong(i: Inputs) -> int:
    """开复工 = new starts + continuing projects that resumed work this year."""
    return i.new_starts + i.resumed


@_kpi(
    "kaifugong_rate", _("开复工率"), "percent", _("（新开工 + 复工）÷（计划新开工 + 续建）× 100%")
)
def kaifugong_rate(i: Inputs) -> Decimal | None:
    """开复工率 = (new starts + resumed) / (planned new starts + continuing) × 100%."""
    return percent(kaifugong(i), i.planned_starts + i.continuing)


@_kpi(
    "kaifugong_target_rate", _("计划完成率"), "percent", _("（新开工 + 复工）÷ 开复工目标数 × 100%")
)
def kaifugong_target_rate(i: Inputs) -> Decimal | None:
    """计划完成率 = (new starts + resumed) / target count of 开复工 × 100%."""
    return percent(kaifugong(i), i.start_target or 0)


@_kpi("completion_rate_projects", _("竣工率"), "percent", _("已竣工项目数 ÷ 计划竣工项目数 × 100%"))
def completion_rate_projects(i: Inputs) -> Decimal | None:
    """竣工率 = planned completions completed by month end / planned completions × 100%."""
    return percent(i.completed, i.planned_completions)


@_kpi("production_rate", _("投产率"), "percent", _("已投产项目数 ÷ 计划投产项目数 × 100%"))
def production_rate(i: Inputs) -> Decimal | None:
    """投产率 = planned productions in production by month end / planned productions × 100%."""
    return percent(i.in_production, i.planned_productions)


@_kpi(
    "production_rate_statistical",
    _("投产率（统计口径）"),
    "percent",
    _("本期建成投产项目数 ÷ 本期施工项目数 × 100%"),
)
def production_rate_statistical(i: Inputs) -> Decimal | None:
    """投产率 (statistical) = projects put into production / projects under construction × 100%."""
    return percent(i.put_into_production, i.under_construction)


@_kpi("capacity_rate", _("达效率"), "percent", _("已达产达效项目数 ÷ 应达产达效项目数 × 100%"))
def capacity_rate(i: Inputs) -> Decimal | None:
    """达效率 = projects that reached designed capacity / projects due to reach it × 100%."""
    return percent(i.capacity_reached, i.capacity_due)


@_kpi("reserve_conversion", _("转化率"), "percent", _("储备项目提前开工数 ÷ 储备项目数 × 100%"))
def reserve_conversion(i: Inputs) -> Decimal | None:
    """转化率 = reserve projects started early / reserve projects × 100%."""
    return percent(i.reserve_started, i.reserve_projects)


def kpi_registry(start_rate_base: StartRateBase | str = StartRateBase.PLANNED) -> dict[str, Kpi]:
    """Every KPI in display order, the start rate on the configured base (ValueError if unknown)."""
    start = START_RATE[StartRateBase(start_rate_base)]
    return {kpi.code: start if kpi.code == "start_rate" else kpi for kpi in _DEFINED}


KPIS: dict[str, Kpi] = kpi_registry()


def evaluate(inputs: Inputs, registry: dict[str, Kpi] | None = None) -> dict[str, Value]:
    """Every KPI of the registry (``KPIS`` by default) computed on one scope's inputs."""
    return {code: kpi.compute(inputs) for code, kpi in (registry or KPIS).items()}


# --------------------------------------------------------------------------- per project

EARLY = "early"
ON_TIME = "on_time"
LATE = "late"


def start_timing(planned: dt.date | None, actual: dt.date | None) -> str | None:
    """提前 / 按期 / 未按计划: the actual start's calendar month against the planned one."""
    if planned is None or actual is None:
        return None
    planned_month, actual_month = (planned.year, planned.month), (actual.year, actual.month)
    if actual_month < planned_month:
        return EARLY
    return ON_TIME if actual_month == planned_month else LATE


@dataclass(frozen=True)
class Band:
    """A total-investment band; ``minimum`` (万元) is included, the next band's is not."""

    code: str
    label: StrOrPromise
    minimum: Decimal


BANDS: dict[str, Band] = {
    band.code: band
    for band in (
        Band("under_50m", _("5000万元以下"), ZERO),
        Band("50m_100m", _("5000万元—1亿元"), Decimal(5000)),
        Band("100m_1bn", _("1亿元—10亿元"), Decimal(10000)),
        Band("1bn_plus", _("10亿元以上"), Decimal(100000)),
    )
}

# Threshold filters ("≥1亿元"): code → (label, minimum in 万元).
THRESHOLDS: dict[str, tuple[StrOrPromise, Decimal]] = {
    "ge_50m": (_("5000万元及以上"), Decimal(5000)),
    "ge_100m": (_("1亿元及以上"), Decimal(10000)),
    "ge_1bn": (_("10亿元及以上"), Decimal(100000)),
}


def investment_band(total: Decimal) -> str:
    """The code of the band a total investment (万元) falls in: exactly 5000 is ``50m_100m``."""
    code = "under_50m"
    for band in BANDS.values():
        if total >= band.minimum:
            code = band.code
    return code


def threshold_bands(threshold: str) -> tuple[str, ...]:
    """The band codes a threshold filter keeps: ``ge_100m`` → 1亿—10亿 and 10亿以上."""
    if threshold not in THRESHOLDS:
        raise ValueError(f"unknown investment threshold: {threshold!r}")
    minimum = THRESHOLDS[threshold][1]
    return tuple(code for code, band in BANDS.items() if band.minimum >= minimum)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, on the month's last day where it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class CapacityRule:
    """When a project is due to reach designed capacity (达产达效); no published rule is common.

    ``after_production``: due ``months`` months after its actual production date;
    ``planned``: due on its planned capacity date. Either way a project that has
    reached capacity is due too, so the rate never counts a project above its base.
    """

    mode: Literal["after_production", "planned"] = "after_production"
    months: int = 12

    def __post_init__(self) -> None:
        if self.mode not in ("after_production", "planned"):
            raise ValueError(f"unknown capacity rule mode: {self.mode!r}")
        if self.months < 0:
            raise ValueError("capacity rule months must not be negative")


class CapacityStatus(NamedTuple):
    due: bool
    reached: bool


def capacity_due(
    rule: CapacityRule,
    *,
    period_end: dt.date,
    production_date: dt.date | None,
    planned_capacity_date: dt.date | None,
    capacity_date: dt.date | None,
) -> CapacityStatus:
    """Whether one project is due to reach capacity by ``period_end``, and whether it has."""
    reached = capacity_date is not None and capacity_date <= period_end
    if rule.mode == "after_production":
        due = production_date is not None and add_months(production_date, rule.months) <= period_end
    else:
        due = planned_capacity_date is not None and planned_capacity_date <= period_end
    return CapacityStatus(due=due or reached, reached=reached)
