"""Progress reports through the API: cycles, a cycle's reports, fill in, submit, review.

The same scoped queries and services as the pages. A report or cycle outside the caller's
scope is a 404; a caller who may read but not fill in or review gets a 403. A save names
the ``version`` it read: a stale one is a 409 and nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from cornerstone.api.auth import actor
from cornerstone.api.projects import page_slice
from cornerstone.api.schemas import ERRORS, VERSIONED_WRITE_ERRORS, Paging
from cornerstone.core.choices import AuditSource
from cornerstone.geo.queries import regions_visible
from cornerstone.progress import queries
from cornerstone.progress import report_services as rs
from cornerstone.progress.choices import ReportStatus
from cornerstone.progress.filters import CycleReportFilter
from cornerstone.progress.models import ProgressReport, ReportingCycle
from cornerstone.progress.report_amounts import FUND_FIELDS, FUND_PARTS
from cornerstone.projects.queries import project_get

router = Router(tags=["进度填报"])
CENTS = Decimal("0.01")


# ---------------------------------------------------------------- shapes


class CountsOut(Schema):
    expected: int = Field(description="应报")
    submitted: int = Field(description="已提交待审")
    accepted: int = Field(description="已通过")
    returned: int = Field(description="已退回")
    draft: int = Field(description="未提交")
    missing: int = Field(description="逾期未报")
    late: int = Field(description="逾期提交")


class CycleOut(Schema):
    id: int
    schedule_id: int
    schedule_name: str
    region: str = Field(description="调度安排所属区划代码")
    label: str = Field(description="期次，如 2026年11月")
    period_start: dt.date
    period_end: dt.date
    deadline: dt.date = Field(description="填报截止日")
    status: str
    status_label: str
    counts: CountsOut = Field(description="调用者可见范围内的报告统计")


class CyclePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CycleOut]


class ReportRow(Schema):
    id: int
    cycle_id: int
    cycle_label: str
    deadline: dt.date
    project_id: int
    project_code: str
    project_name: str
    region: str
    status: str
    status_label: str
    investment_this_period: Decimal | None = Field(description="本期完成投资（万元），负数为调减")
    correction: bool = Field(description="是否为调减")
    investment_year_to_date: Decimal | None
    investment_since_start: Decimal | None
    funds_in_place: Decimal | None = Field(description="本期到位资金（万元），未填报为 null")
    first_submitted_at: dt.datetime | None
    late: bool = Field(description="首次提交晚于截止日")
    missing: bool = Field(description="已过截止日仍未提交")
    version: int


class ProblemOut(Schema):
    category: str
    description: str
    department: int | None
    deadline: dt.date | None
    problem_id: int | None = Field(description="提交后生成的问题编号")


class TransitionOut(Schema):
    from_status: str
    to_status: str
    comment: str
    actor: str
    at: dt.datetime


class ReportOut(ReportRow):
    correction_reason: str
    funds_central: Decimal | None = Field(description="到位资金其中：中央预算内资金（万元）")
    funds_special_bonds: Decimal | None = Field(description="到位资金其中：专项债券（万元）")
    funds_local: Decimal | None = Field(description="到位资金其中：地方财政资金（万元）")
    funds_market: Decimal | None = Field(description="到位资金其中：市场化及自有资金（万元）")
    site_status: str
    physical_progress: str
    percent_complete: Decimal | None
    workforce_expected: int | None
    workforce_on_site: int | None
    next_period_plan: str
    coordination_needed: str
    review_opinion: str
    problems: list[ProblemOut]
    transitions: list[TransitionOut]


class ReportPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ReportRow]


class ProblemIn(Schema):
    category: str = Field(description="用地 land、资金 funds、能耗 energy、环评 environment、…")
    description: str
    department: int | None = None
    deadline: dt.date | None = None


class ReportIn(Schema):
    version: int = Field(description="读取时的版本号；已被他人修改则返回 409")
    investment_this_period: str | None = Field(
        None, description="本期完成投资（万元），可带“万”“亿”；负数为调减，须填调减原因"
    )
    correction_reason: str | None = None
    funds_in_place: str | None = Field(
        None,
        description="本期到位资金（万元），可带“万”“亿”，不能为负数；"
        "不填而给出来源时取来源之和，两者都给时必须相等",
    )
    funds_central: str | None = Field(None, description="其中：中央预算内资金（万元）")
    funds_special_bonds: str | None = Field(None, description="其中：专项债券（万元）")
    funds_local: str | None = Field(None, description="其中：地方财政资金（万元）")
    funds_market: str | None = Field(None, description="其中：市场化及自有资金（万元）")
    site_status: str | None = None
    physical_progress: str | None = None
    percent_complete: Decimal | None = Field(None, description="0–100")
    workforce_expected: int | None = None
    workforce_on_site: int | None = None
    next_period_plan: str | None = None
    coordination_needed: str | None = None
    problems: list[ProblemIn] | None = Field(None, description="给出时替换报告中尚未提交的问题")


class VersionIn(Schema):
    version: int | None = Field(None, description="读取时的版本号（可选）")


class ReviewIn(Schema):
    version: int | None = None
    comment: str = Field("", description="审核意见；退回时必填")


class CycleReportParams(Paging):
    status: str | None = Field(
        None, description="draft / submitted / returned / accepted / missing / late"
    )
    region: str | None = Field(None, description="区划代码（含下级）")


# ---------------------------------------------------------------- helpers


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENTS)


def _counts(counts: queries.CycleCounts) -> dict[str, int]:
    return {
        name: getattr(counts, name)
        for name in ("expected", "submitted", "accepted", "returned", "draft", "missing", "late")
    }


def _cycle_out(cycle: ReportingCycle, counts: queries.CycleCounts) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "schedule_id": cycle.schedule_id,
        "schedule_name": cycle.schedule.name,
        "region": cycle.schedule.region_id,
        "label": cycle.label,
        "period_start": cycle.period_start,
        "period_end": cycle.period_end,
        "deadline": cycle.deadline,
        "status": cycle.status,
        "status_label": cycle.get_status_display(),
        "counts": _counts(counts),
    }


def _row(report: ProgressReport, today: dt.date) -> dict[str, Any]:
    deadline = report.cycle.deadline
    first = report.first_submitted_at
    amount = report.investment_this_period
    return {
        "id": report.pk,
        "cycle_id": report.cycle_id,
        "cycle_label": report.cycle.label,
        "deadline": deadline,
        "project_id": report.project_id,
        "project_code": report.project.code,
        "project_name": report.project.name,
        "region": report.project.region_id,
        "status": report.status,
        "status_label": str(ReportStatus(report.status).label),
        "investment_this_period": _money(amount),
        "correction": amount is not None and amount < 0,
        "investment_year_to_date": _money(report.investment_year_to_date),
        "investment_since_start": _money(report.investment_since_start),
        "funds_in_place": _money(report.funds_in_place),
        "first_submitted_at": first,
        "late": first is not None and timezone.localdate(first) > deadline,
        "missing": report.status == ReportStatus.DRAFT and deadline < today,
        "version": report.version,
    }


def _report_out(user: Any, pk: int) -> dict[str, Any]:
    report = queries.report_get(actor=user, pk=pk)
    out = _row(report, timezone.localdate())
    out.update({name: _money(getattr(report, name)) for name in FUND_PARTS})
    out.update(
        {
            name: getattr(report, name)
            for name in (
                "correction_reason",
                "site_status",
                "physical_progress",
                "percent_complete",
                "workforce_expected",
                "workforce_on_site",
                "next_period_plan",
                "coordination_needed",
                "review_opinion",
            )
        }
    )
    out["problems"] = [
        {
            "category": p.category,
            "description": p.description,
            "department": p.department_id,
            "deadline": p.deadline,
            "problem_id": p.problem_id,
        }
        for p in report.listed_problems.all()
    ]
    out["transitions"] = [
        {
            "from_status": t.from_status,
            "to_status": t.to_status,
            "comment": t.comment,
            "actor": (t.actor.get_full_name() or t.actor.username) if t.actor else "",
            "at": t.at,
        }
        for t in queries.report_history(report=report)
    ]
    return out


# ---------------------------------------------------------------- cycles


@router.get(
    "/progress/cycles",
    response={200: CyclePage, **ERRORS},
    url_name="progress-cycles",
    summary="填报期次（最新在前，含报告统计）",
)
def cycle_list(request: HttpRequest, params: Query[Paging]) -> dict[str, Any]:  # type: ignore[valid-type]
    """Cycles of the schedules covering the caller's region, with counts in their scope."""
    user = actor(request)
    cycles = queries.cycles_visible(actor=user)
    window = page_slice(params.page, params.page_size)  # type: ignore[attr-defined]
    rows = list(cycles[window])
    counts = queries.cycle_counts(
        actor=user, cycle_ids=[c.pk for c in rows], today=timezone.localdate()
    )
    return {
        "count": cycles.count(),
        "page": params.page,  # type: ignore[attr-defined]
        "page_size": params.page_size,  # type: ignore[attr-defined]
        "results": [_cycle_out(c, counts[c.pk]) for c in rows],
    }


@router.get(
    "/progress/cycles/{cycle_id}/reports",
    response={200: ReportPage, **ERRORS},
    url_name="progress-cycle-reports",
    summary="某期次的应报报告（按状态、区划筛选，分页）",
)
def cycle_report_list(
    request: HttpRequest,
    cycle_id: int,
    params: Query[CycleReportParams],  # type: ignore[valid-type]
) -> dict[str, Any]:
    """Every expected report of a cycle the caller sees; ``missing`` and ``late`` as statuses."""
    user = actor(request)
    cycle = queries.cycle_get(actor=user, pk=cycle_id)
    filterset = CycleReportFilter(
        {"status": params.status or "", "region": params.region or ""}  # type: ignore[attr-defined]
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    status, region = filterset.clean_values()
    if region and not regions_visible(actor=user).filter(code=region).exists():
        raise ValidationError({"region": [_("区划“%s”不存在或不在您的管辖范围内。") % region]})
    today = timezone.localdate()
    reports = queries.cycle_reports(
        actor=user, cycle=cycle, status=status, region=region, today=today
    )
    window = page_slice(params.page, params.page_size)  # type: ignore[attr-defined]
    return {
        "count": reports.count(),
        "page": params.page,  # type: ignore[attr-defined]
        "page_size": params.page_size,  # type: ignore[attr-defined]
        "results": [_row(r, today) for r in reports[window]],
    }


# ---------------------------------------------------------------- reports


@router.get(
    "/progress/reports/{report_id}",
    response={200: ReportOut, **ERRORS},
    url_name="progress-report",
    summary="进度报告详情（含问题与审核记录）",
)
def report_detail(request: HttpRequest, report_id: int) -> dict[str, Any]:
    """One report with its problems and review history."""
    return _report_out(actor(request), report_id)


@router.put(
    "/progress/reports/{report_id}",
    response={200: ReportOut, **VERSIONED_WRITE_ERRORS},
    url_name="progress-report-save",
    summary="填报或修改进度报告（草稿或已退回；带版本号）",
)
def report_save(request: HttpRequest, report_id: int, payload: ReportIn) -> Any:
    """Save the fields sent; ``problems`` given replaces the problems not yet submitted."""
    user = actor(request)
    report = queries.report_get(actor=user, pk=report_id)
    data = payload.model_dump(exclude_unset=True, exclude={"version", "problems"})
    data = {k: ("" if v is None and k not in _NULLABLE else v) for k, v in data.items()}
    problems = (
        None
        if payload.problems is None
        else [
            rs.ProblemInput(p.category, p.description, p.department, p.deadline)
            for p in payload.problems
        ]
    )
    rs.report_save(
        report=report,
        data=data,
        version=payload.version,
        actor=user,
        problems=problems,
        source=AuditSource.API,
    )
    return _report_out(user, report_id)


_NULLABLE = {
    "investment_this_period",
    *FUND_FIELDS,
    "percent_complete",
    "workforce_expected",
    "workforce_on_site",
}


@router.post(
    "/progress/reports/{report_id}/submit",
    response={200: ReportOut, **VERSIONED_WRITE_ERRORS},
    url_name="progress-report-submit",
    summary="提交进度报告",
)
def report_submit(request: HttpRequest, report_id: int, payload: VersionIn) -> Any:
    """Submit for review; the problems listed become problems of the project."""
    user = actor(request)
    report = queries.report_get(actor=user, pk=report_id)
    rs.report_submit(report=report, actor=user, version=payload.version, source=AuditSource.API)
    return _report_out(user, report_id)


@router.post(
    "/progress/reports/{report_id}/return",
    response={200: ReportOut, **VERSIONED_WRITE_ERRORS},
    url_name="progress-report-return",
    summary="退回进度报告（须填写意见）",
)
def report_return(request: HttpRequest, report_id: int, payload: ReviewIn) -> Any:
    """Send a submitted report back to its owner with a comment."""
    user = actor(request)
    report = queries.report_get(actor=user, pk=report_id)
    rs.report_return(
        report=report,
        comment=payload.comment,
        actor=user,
        version=payload.version,
        source=AuditSource.API,
    )
    return _report_out(user, report_id)


@router.post(
    "/progress/reports/{report_id}/accept",
    response={200: ReportOut, **VERSIONED_WRITE_ERRORS},
    url_name="progress-report-accept",
    summary="审核通过进度报告",
)
def report_accept(request: HttpRequest, report_id: int, payload: ReviewIn) -> Any:
    """Accept a submitted report: its amount is counted in the month's completed investment."""
    user = actor(request)
    report = queries.report_get(actor=user, pk=report_id)
    rs.report_accept(
        report=report,
        comment=payload.comment,
        actor=user,
        version=payload.version,
        source=AuditSource.API,
    )
    return _report_out(user, report_id)


@router.get(
    "/projects/{project_id}/reports",
    response={200: ReportPage, **ERRORS},
    url_name="project-reports",
    summary="某项目的进度报告（最新期次在前）",
)
def project_report_list(
    request: HttpRequest,
    project_id: int,
    params: Query[Paging],  # type: ignore[valid-type]
) -> dict[str, Any]:
    """Every report of a project the caller sees."""
    project = project_get(actor=actor(request), pk=project_id)
    reports = queries.project_reports(project=project)
    window = page_slice(params.page, params.page_size)  # type: ignore[attr-defined]
    today = timezone.localdate()
    return {
        "count": reports.count(),
        "page": params.page,  # type: ignore[attr-defined]
        "page_size": params.page_size,  # type: ignore[attr-defined]
        "results": [_row(r, today) for r in reports[window]],
    }
