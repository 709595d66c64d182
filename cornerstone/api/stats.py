"""Statistics through the API: the overview, a breakdown, and the projects behind a count.

The same figures as the statistics pages (``stats.queries.dashboard``), with the same
filters and scope: a bad filter is a 400 naming the parameter, a region outside the
caller's scope a 403 with the reason; an owner reads the figures of their own projects.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from cornerstone.api.auth import actor
from cornerstone.api.schemas import ERRORS, Paging
from cornerstone.core.choices import AuditSource
from cornerstone.core.money import CENT
from cornerstone.stats import presenters
from cornerstone.stats.filters import StatsFilter, StatsFilterForm
from cornerstone.stats.queries import Dashboard, Row, dashboard, metric_projects
from cornerstone.stats.services import start_target_set

router = Router(tags=["统计"])


# ---------------------------------------------------------------- schemas


class StatsQuery(Schema):
    """The filters of every statistics endpoint; text, so that each bad value gets its message."""

    year: str | None = Field(None, description="年度（默认今年），2000 至明年")
    month: str | None = Field(
        None, description="截至月份 1–12：统计 1 月至该月（默认今年为本月，往年为 12）"
    )
    region: str | None = Field(None, description="区划代码（默认本人所辖区划；含下级）")
    zone: str | None = Field(None, description="园区 id")
    tier: str | None = Field(None, description="项目级别：provincial / city / county")
    category: str | None = Field(
        None,
        description="项目类别：industry / infrastructure / livelihood / social / ecology / other",
    )
    kind: str | None = Field(
        None, description="项目类型：new / continuing / reserve / preparatory / renovation"
    )
    threshold: str | None = Field(
        None, description="投资规模（总投资不低于，万元）：5000 / 10000 / 100000"
    )
    section: str | None = Field(None, description="行业门类（GB/T 4754 门类字母 A–T）")


class BreakdownQuery(StatsQuery):
    by: Literal["region", "industry", "tier", "category", "kind"] = Field(
        "region",
        description="分组：region 下级区划（县级为园区）、industry 行业门类、tier 级别、"
        "category 类别、kind 类型",
    )


class ProjectsQuery(StatsQuery, Paging):
    metric: str = Field(
        description="统计口径，即 breakdown 中 events 的键：" + "、".join(presenters.METRIC_LABELS)
    )


class KpiOut(Schema):
    code: str
    label: str
    unit: str = Field(description="percent 百分比、points 百分点、count 个数、wan 万元")
    formula: str = Field(description="计算口径")
    value: str | None = Field(description="精确小数（字符串）；分母为零时为 null")
    text: str = Field(description="供显示的文字，如 30.90%")


class RowOut(Schema):
    key: str = Field(description="分组键：区划代码前缀、园区 id、门类字母或级别等；空为未填")
    name: str
    projects: int
    total_investment: Decimal = Field(description="总投资（万元）")
    completed: Decimal = Field(description="1 月至截至月份完成投资（万元）")
    completed_last_year: Decimal = Field(description="上年同期完成投资（万元）")
    plan: Decimal = Field(description="年度计划投资（万元）")
    completion_rate: Decimal | None = Field(description="投资完成率（%）")
    growth: Decimal | None = Field(description="同比增长（%）")
    events: dict[str, int] = Field(description="各统计口径的项目数，键即 /stats/projects 的 metric")
    lights: dict[str, int] = Field(description="截至月份的亮灯项目数：red / yellow / green")


class FunnelOut(Schema):
    code: str
    label: str
    count: int


class SeriesOut(Schema):
    month: int
    completed: Decimal | None = Field(
        description="本年 1 月至该月累计完成（万元）；截至月份之后为 null"
    )
    planned: Decimal = Field(description="本年 1 月至该月累计计划（万元）")
    completed_last_year: Decimal
    planned_last_year: Decimal


class LaggingOut(Schema):
    project_id: int
    code: str
    name: str
    region: str
    region_name: str
    total_investment: Decimal
    reasons: list[str]


class ScopeOut(Schema):
    year: int
    month: int
    region: str | None = Field(description="统计范围的区划代码；业主为 null（本单位项目）")
    caption: str = Field(description="期间、范围与筛选条件的文字说明")
    has_data: bool = Field(description="该年度有无统计数据（计划、完成投资、开竣工或亮灯）")


class OverviewOut(ScopeOut):
    kpis: list[KpiOut]
    time_progress: str = Field(description="与时间进度比较，如“超过时间进度5.90个百分点”")
    rows: list[RowOut] = Field(description="下级区划（县级为园区）")
    total: RowOut
    stages: list[RowOut] = Field(description="各阶段（key 为阶段 id）")
    funnel: list[FunnelOut] = Field(description="储备 → 前期 → 开工 → 在建 → 竣工 → 投产 → 达产")
    series: list[SeriesOut] = Field(description="1–12 月累计完成与计划，本年与上年")
    lights: dict[str, int]
    lagging: list[LaggingOut] = Field(description="红灯项目，按总投资从高到低，最多 10 个")


class BreakdownOut(ScopeOut):
    by: str
    rows: list[RowOut]
    total: RowOut


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    region: str
    region_name: str
    zone: str | None
    total_investment: Decimal
    planned_start_date: Any
    actual_start_date: Any
    planned_completion_date: Any
    actual_completion_date: Any
    planned_production_date: Any
    actual_production_date: Any


class ProjectPage(Schema):
    metric: str
    label: str
    count: int
    page: int
    page_size: int
    results: list[ProjectOut]


# ---------------------------------------------------------------- helpers

FILTER_FIELDS = tuple(StatsFilterForm.base_fields)


def stats_filters(query: StatsQuery) -> StatsFilter:
    """The validated filters; every bad parameter is named with its message (a 400)."""
    params = {name: getattr(query, name) for name in FILTER_FIELDS if getattr(query, name)}
    form = StatsFilterForm(params)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.value()


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT)


def _kpi_value(unit: str, value: object) -> str | None:
    """A KPI as an exact decimal string; money to the cent (700.00), counts whole."""
    if value is None:
        return None
    if unit == "wan":
        return str(Decimal(str(value)).quantize(CENT))
    return str(value)


def _row(row: Row) -> dict[str, Any]:
    return {
        "key": row.key,
        "name": row.name,
        "projects": row.measures.projects,
        "total_investment": _money(row.total_investment),
        "completed": _money(row.completed),
        "completed_last_year": _money(row.completed_last_year),
        "plan": _money(row.plan),
        "completion_rate": row.completion_rate,
        "growth": row.growth,
        "events": {k: v for k, v in row.events.items() if v},
        "lights": {k: v for k, v in row.lights.items() if v},
    }


def _scope(board: Dashboard) -> dict[str, Any]:
    scope = board.scope
    return {
        "year": board.filters.year,
        "month": board.filters.month,
        "region": scope.region.code if scope.region and scope.owner is None else None,
        "caption": presenters.filters_caption(board),
        "has_data": presenters.year_has_data(board),
    }


# ---------------------------------------------------------------- endpoints


@router.get("/stats/overview", response={200: OverviewOut, **ERRORS}, summary="统计总览")
def overview(request: HttpRequest, filters: Query[StatsQuery]) -> dict[str, Any]:
    """KPIs with their formulas, sub-regions, stages, the funnel, monthly curves and lights."""
    board = dashboard(actor=actor(request), filters=stats_filters(filters), by="region")
    return {
        **_scope(board),
        "kpis": [
            {
                "code": f.kpi.code,
                "label": str(f.kpi.label),
                "unit": f.kpi.unit,
                "formula": str(f.kpi.formula),
                "value": _kpi_value(f.kpi.unit, f.value),
                "text": f.text,
            }
            for f in board.kpis
        ],
        "time_progress": presenters.gap_text(board),
        "rows": [_row(r) for r in board.rows],
        "total": _row(presenters.total_row(board).row),
        "stages": [_row(r) for r in board.stages],
        "funnel": [{"code": c, "label": label, "count": n} for c, label, n in board.funnel],
        "series": [
            {
                "month": month,
                "completed": _money(done),
                "planned": _money(planned),
                "completed_last_year": _money(done_last),
                "planned_last_year": _money(planned_last),
            }
            for month, done, planned, done_last, planned_last in presenters.series_rows(board)
        ],
        "lights": {colour: board.lights.get(colour, 0) for colour in ("red", "yellow", "green")},
        "lagging": [
            {
                "project_id": light.project_id,
                "code": light.project.code,
                "name": light.project.name,
                "region": light.project.region_id,
                "region_name": light.project.region.name,
                "total_investment": _money(light.project.total_investment),
                "reasons": [str(r.get("text", "")) for r in light.reasons],
            }
            for light in board.lagging
        ],
    }


@router.get("/stats/breakdown", response={200: BreakdownOut, **ERRORS}, summary="分组统计")
def breakdown(request: HttpRequest, filters: Query[BreakdownQuery]) -> dict[str, Any]:
    """The figures per sub-region (zones in a county), industry section, tier, class or kind."""
    board = dashboard(actor=actor(request), filters=stats_filters(filters), by=filters.by)
    return {
        **_scope(board),
        "by": "zone" if filters.by == "region" and board.scope.zones else filters.by,
        "rows": [_row(r) for r in board.rows],
        "total": _row(presenters.total_row(board).row),
    }


@router.get("/stats/projects", response={200: ProjectPage, **ERRORS}, summary="统计口径对应的项目")
def projects(request: HttpRequest, filters: Query[ProjectsQuery]) -> dict[str, Any]:
    """Exactly the projects one count counts, in the caller's scope, a page at a time."""
    parsed = stats_filters(filters)
    if filters.metric not in presenters.METRIC_LABELS:
        message = _("未知的统计口径：%(metric)s") % {"metric": filters.metric}
        raise ValidationError({"metric": [message]})
    found = (
        metric_projects(actor=actor(request), filters=parsed, metric=filters.metric)
        .select_related("region", "zone")
        .order_by("-total_investment", "pk")
    )
    start = (filters.page - 1) * filters.page_size
    return {
        "metric": filters.metric,
        "label": str(presenters.METRIC_LABELS[filters.metric]),
        "count": found.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [
            {
                "id": p.pk,
                "code": p.code,
                "name": p.name,
                "region": p.region_id,
                "region_name": p.region.name,
                "zone": p.zone.name if p.zone else None,
                "total_investment": p.total_investment,
                "planned_start_date": p.planned_start_date,
                "actual_start_date": p.actual_start_date,
                "planned_completion_date": p.planned_completion_date,
                "actual_completion_date": p.actual_completion_date,
                "planned_production_date": p.planned_production_date,
                "actual_production_date": p.actual_production_date,
            }
            for p in found[start : start + filters.page_size]
        ],
    }


class StartTargetIn(Schema):
    projects: int | None = Field(
        None, ge=1, description="开复工目标项目数；null 表示清除目标", examples=[125]
    )


class StartTargetOut(Schema):
    region: str = Field(description="区划代码")
    year: int
    projects: int | None = Field(description="开复工目标项目数；null 表示未设置")


@router.put(
    "/stats/start-targets/{region}/{year}",
    response={200: StartTargetOut, **ERRORS},
    url_name="stats-start-target",
    summary="设置或清除区划的年度开复工目标（计划完成率的分母）",
)
def stats_start_target_put(
    request: HttpRequest, region: str, year: int, payload: StartTargetIn
) -> dict[str, Any]:
    """Admins of the region or above set it; the overview's 计划完成率 then uses it."""
    target = start_target_set(
        actor=actor(request),
        region_code=region,
        year=year,
        projects=payload.projects,
        source=AuditSource.API,
    )
    return {"region": region, "year": year, "projects": target.projects if target else None}
