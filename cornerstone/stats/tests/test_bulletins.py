"""Published bulletin figures, rebuilt as small ledgers and read back through the dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.plans.models import InvestmentPlan, MonthlyPlan
from cornerstone.progress.models import InvestmentActual
from cornerstone.projects.choices import Kind
from cornerstone.stats.filters import StatsFilter
from cornerstone.stats.queries import cube_inputs, dashboard, projects_in, stats_scope
from cornerstone.stats.raw_path import cube_from_projects
from cornerstone.stats.rollups import rollups_rebuild

pytestmark = pytest.mark.django_db


def _figures(actor: Any, year: int, month: int) -> dict[str, Any]:
    """KPI values from the rollups, after checking the raw rows give the same inputs."""
    rollups_rebuild()
    filters = StatsFilter(year=year, month=month)
    board = dashboard(actor=actor, filters=filters)
    assert board.path == "rollups"
    scope = stats_scope(actor=actor, filters=filters)
    raw = cube_from_projects(
        projects_in(actor=actor, scope=scope, filters=filters),
        year=year,
        month=month,
        child=lambda facts, zone: facts.region[:4],
    )
    assert cube_inputs(raw) == board.inputs
    return {figure.kpi.code: (figure.value, figure.text) for figure in board.kpis}


def test_jiangmen_q1_2021_completion_rate_and_time_progress(geo: Any, cast: Any) -> None:
    # 江门 2021年一季度: 完成投资313.64亿元, 年度计划1015亿元, 完成率30.90%, 超序时5.90个百分点.
    project = ProjectFactory(region=geo.xiaodian, total_investment=Decimal(5_000_000))
    plan = InvestmentPlan.objects.create(project=project, year=2021, annual_amount=Decimal(1015))
    monthly = [Decimal("84.58")] * 11 + [Decimal("84.62")]
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(plan=plan, month=m, amount=a) for m, a in enumerate(monthly, 1)
    )
    for month, amount in ((1, "100.00"), (2, "90.64"), (3, "123.00")):
        InvestmentActual.objects.create(
            project=project, year=2021, month=month, amount=Decimal(amount)
        )
    figures = _figures(cast.province_admin, 2021, 3)
    assert figures["completion_rate"] == (Decimal("30.90"), "30.90%")
    assert figures["time_progress"][0] == Decimal("25.00")
    assert figures["time_progress_gap"] == (Decimal("5.90"), "5.90个百分点")


def test_chizhou_jan_aug_2024_start_rate(geo: Any, cast: Any) -> None:
    # 池州 2024年1—8月: 计划新开工207个, 已开工151个, 开工率73%.
    for n in range(207):
        planned = dt.date(2024, n % 12 + 1, 10)
        started = dt.date(2024, min(planned.month, 8), 20) if n < 151 else None
        ProjectFactory(
            region=geo.yingze if n % 2 else geo.pingcheng,
            kind=Kind.NEW_START,
            planned_start_date=planned,
            actual_start_date=started,
        )
    figures = _figures(cast.province_admin, 2024, 8)
    assert figures["start_rate"][0] == Decimal("72.95")  # 73% at whole percents


def test_shenyang_jan_may_2017_kaifugong(geo: Any, cast: Any) -> None:
    # 沈阳 2017年1—5月: 597个重点项目开复工456个, 开复工率76.4%.
    # 300 planned new starts (250 started) + 297 continuing (206 resumed work this year).
    for n in range(300):
        ProjectFactory(
            region=geo.xiaodian,
            planned_start_date=dt.date(2017, n % 12 + 1, 1),
            actual_start_date=dt.date(2017, n % 5 + 1, 15) if n < 250 else None,
        )
    for n in range(297):
        project = ProjectFactory(
            region=geo.pingcheng,
            kind=Kind.CONTINUING,
            planned_start_date=dt.date(2016, 6, 1),
            actual_start_date=dt.date(2016, 6, 1),
        )
        if n < 206:
            InvestmentActual.objects.create(
                project=project, year=2017, month=n % 5 + 1, amount=Decimal(10)
            )
    figures = _figures(cast.province_admin, 2017, 5)
    assert figures["kaifugong"][0] == 456
    assert figures["kaifugong_rate"][0] == Decimal("76.38")  # 76.4% at one decimal
