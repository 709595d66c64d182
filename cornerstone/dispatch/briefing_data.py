"""The figures of a briefing, computed by a handful of aggregate queries.

The scope is a region's subtree (a range of division codes, no join), optionally one
tier and one category. Sub-regions are grouped by the prefix of the project's region
code, so a province of 10,000 projects is summed in the database, not in Python.

开复工 (started or resumed) counts, for the year of the briefing:
- new starts: projects whose actual start date falls between 1 January and the end of
  the briefing's month;
- resumed: projects that started before 1 January, were not completed before it, and
  have completed investment recorded in the year up to the briefing's month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr

from cornerstone.alerts.choices import Light
from cornerstone.alerts.models import ProjectLight
from cornerstone.dispatch.figures import (
    BriefingFigures,
    DepartmentRow,
    FlaggedProject,
    OrderRow,
    RegionRow,
    StageRow,
)
from cornerstone.dispatch.layout import LIST_CAP
from cornerstone.geo.choices import RegionLevel
from cornerstone.geo.codes import subtree_bounds
from cornerstone.geo.models import Region
from cornerstone.plans.models import InvestmentPlan
from cornerstone.problems.choices import ProblemStatus, SupervisionStatus
from cornerstone.problems.models import Problem, SupervisionOrder
from cornerstone.progress.models import InvestmentActual
from cornerstone.projects.choices import Category, Tier
from cornerstone.projects.models import Project

ZERO = Decimal(0)
# Length of the code prefix naming the sub-region a project belongs to, by scope level.
CHILD_PREFIX = {RegionLevel.PROVINCE: 4, RegionLevel.CITY: 6}
UNRESOLVED = (ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS)


def period_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def scope_label(tier: str = "", category: str = "") -> str:
    """重点项目, 省重点项目, 重点产业项目, 省重点产业项目."""
    tier_part = str(Tier(tier).label) if tier else "重点"
    category_part = str(Category(category).label) if category else ""
    return f"{tier_part}{category_part}项目"


def _project_q(region: Region, tier: str, category: str, prefix: str = "") -> Q:
    """Projects of the scope, as a filter on Project (``prefix`` for related models)."""
    low, high = subtree_bounds(region.code)
    q = Q(**{f"{prefix}region_id__gte": low, f"{prefix}region_id__lt": high})
    if tier:
        q &= Q(**{f"{prefix}tier": tier})
    if category:
        q &= Q(**{f"{prefix}category": category})
    return q


def _sum(value: Decimal | None) -> Decimal:
    return value if value is not None else ZERO


def _area_name(region: Region, length: int) -> dict[str, str]:
    """Names of the sub-regions, keyed by the code prefix their projects share."""
    children = Region.objects.filter(parent_id=region.code).values_list("code", "name")
    return {code[:length]: name for code, name in children}


def _actuals(q: Q, year: int, month: int, length: int | None) -> QuerySet[Any, dict[str, Any]]:
    rows = InvestmentActual.objects.filter(q, year=year, month__lte=month)
    if length is None:
        return rows.values("project__category").annotate(total=Sum("amount"))
    return (
        rows.annotate(area=Substr("project__region_id", 1, length))
        .values("area", "project__category")
        .annotate(total=Sum("amount"))
    )


def _flagged(q: Q, year: int, month: int, colour: str) -> list[FlaggedProject]:
    rows = (
        ProjectLight.objects.filter(q, year=year, month=month, colour=colour)
        .order_by("-project__total_investment", "project__code")
        .values_list(
            "project_id", "project__code", "project__name", "project__region__name", "reasons"
        )[:LIST_CAP]
    )
    return [
        FlaggedProject(
            pk=pk,
            code=code,
            name=name,
            region=region_name,
            colour=colour,
            reasons=tuple(
                str(r.get("text", ""))
                for r in (reasons or [])
                if isinstance(r, dict) and not r.get("suppressed") and r.get("text")
            ),
        )
        for pk, code, name, region_name, reasons in rows
    ]


def _departments(q: Q, end: dt.date, today: dt.date) -> list[DepartmentRow]:
    unresolved = Q(status__in=UNRESOLVED)
    rows = (
        Problem.objects.filter(q, created_at__date__lte=end)
        .values("department__name")
        .annotate(
            total=Count("id"),
            unresolved=Count("id", filter=unresolved),
            overdue=Count("id", filter=unresolved & Q(deadline__lt=today)),
            escalated=Count("id", filter=unresolved & Q(escalation_level__gt=0)),
        )
        .order_by("-unresolved", "-total", "department__name")
    )
    return [
        DepartmentRow(
            name=row["department__name"] or "未指定责任单位",
            total=row["total"],
            unresolved=row["unresolved"],
            overdue=row["overdue"],
            escalated=row["escalated"],
        )
        for row in rows
    ]


def _orders(q: Q, end: dt.date) -> tuple[list[OrderRow], int, int]:
    issued = SupervisionOrder.objects.filter(q, issued_at__date__lte=end)
    counts = issued.aggregate(
        total=Count("id"), open=Count("id", filter=~Q(status=SupervisionStatus.CLOSED))
    )
    open_orders = (
        issued.exclude(status=SupervisionStatus.CLOSED)
        .order_by("response_deadline", "id")
        .values_list("number", "project__name", "subject", "status", "response_deadline")[:LIST_CAP]
    )
    rows = [
        OrderRow(
            number=number,
            project=project,
            subject=subject,
            status=str(SupervisionStatus(status).label),
            deadline=f"{deadline.year}年{deadline.month}月{deadline.day}日",
        )
        for number, project, subject, status, deadline in open_orders
    ]
    return rows, counts["open"], counts["total"]


def _started(q: Q, year: int, month: int) -> int:
    first, end = dt.date(year, 1, 1), period_end(year, month)
    resumed_work = InvestmentActual.objects.filter(
        project=OuterRef("pk"), year=year, month__lte=month, amount__gt=0
    )
    return (
        Project.objects.filter(q)
        .filter(
            Q(actual_start_date__gte=first, actual_start_date__lte=end)
            | (
                Q(actual_start_date__lt=first)
                & (Q(actual_completion_date__isnull=True) | Q(actual_completion_date__gte=first))
                & Exists(resumed_work)
            )
        )
        .count()
    )


def briefing_figures(
    *, region: Region, year: int, month: int, tier: str = "", category: str = "", today: dt.date
) -> BriefingFigures:
    """Every figure of a briefing for a scope and month (``today`` dates the overdue count)."""
    own = _project_q(region, tier, category)
    related = _project_q(region, tier, category, prefix="project__")
    length = CHILD_PREFIX.get(RegionLevel(region.level))
    end = period_end(year, month)

    stages = [
        StageRow(
            name=row["stage__name"] or "未设阶段", projects=row["n"], investment=_sum(row["s"])
        )
        for row in Project.objects.filter(own)
        .values("stage__name", "stage__order")
        .annotate(n=Count("id"), s=Sum("total_investment"))
        .order_by("stage__order")
    ]
    projects = sum(s.projects for s in stages)
    total_investment = sum((s.investment for s in stages), ZERO)

    plan: dict[str, Decimal] = defaultdict(Decimal)
    completed: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, tuple[int, Decimal]] = {}
    industry = ZERO
    if length is not None:
        for row in (
            InvestmentPlan.objects.filter(related, year=year)
            .annotate(area=Substr("project__region_id", 1, length))
            .values("area")
            .annotate(total=Sum("annual_amount"))
        ):
            plan[row["area"]] += _sum(row["total"])
        for row in (
            Project.objects.filter(own)
            .annotate(area=Substr("region_id", 1, length))
            .values("area")
            .annotate(n=Count("id"), s=Sum("total_investment"))
        ):
            counts[row["area"]] = (row["n"], _sum(row["s"]))
        for row in _actuals(related, year, month, length):
            completed[row["area"]] += _sum(row["total"])
            if row["project__category"] == Category.INDUSTRY:
                industry += _sum(row["total"])
        annual_plan = sum(plan.values(), ZERO)
        completed_total = sum(completed.values(), ZERO)
        names = _area_name(region, length)
        regions = [
            RegionRow(
                code=prefix.ljust(6, "0"),
                name=name,
                projects=counts.get(prefix, (0, ZERO))[0],
                plan=plan.get(prefix, ZERO),
                completed=completed.get(prefix, ZERO),
            )
            for prefix, name in names.items()
        ]
    else:
        annual_plan = _sum(
            InvestmentPlan.objects.filter(related, year=year).aggregate(t=Sum("annual_amount"))["t"]
        )
        completed_total = ZERO
        for row in _actuals(related, year, month, None):
            completed_total += _sum(row["total"])
            if row["project__category"] == Category.INDUSTRY:
                industry += _sum(row["total"])
        regions = []
    last_year = _sum(
        InvestmentActual.objects.filter(related, year=year - 1, month__lte=month).aggregate(
            t=Sum("amount")
        )["t"]
    )
    lights = ProjectLight.objects.filter(
        related, year=year, month=month, colour__in=[Light.RED, Light.YELLOW]
    ).aggregate(
        red=Count("id", filter=Q(colour=Light.RED)),
        yellow=Count("id", filter=Q(colour=Light.YELLOW)),
    )
    orders, orders_open, orders_total = _orders(related, end)
    return BriefingFigures(
        region_name=region.name,
        region_level=region.level,
        scope_label=scope_label(tier, category),
        year=year,
        month=month,
        projects=projects,
        total_investment=total_investment,
        annual_plan=annual_plan,
        completed=completed_total,
        completed_last_year=last_year,
        industry_completed=industry,
        started=_started(own, year, month),
        stages=stages,
        regions=regions,
        red=_flagged(related, year, month, Light.RED),
        yellow=_flagged(related, year, month, Light.YELLOW),
        red_count=lights["red"],
        yellow_count=lights["yellow"],
        departments=_departments(related, end, today),
        orders=orders,
        orders_open=orders_open,
        orders_total=orders_total,
    )
