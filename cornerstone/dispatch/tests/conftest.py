"""Fixtures of the dispatch tests: a frozen day and a small scene of plans, actuals,
lights, problems and supervision orders over the cast's ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cornerstone.alerts.models import ProjectLight
from cornerstone.dispatch.models import DispatchMeeting
from cornerstone.geo.models import Department
from cornerstone.plans.models import InvestmentPlan, MonthlyPlan
from cornerstone.problems.models import Problem, SupervisionOrder
from cornerstone.progress.models import InvestmentActual
from cornerstone.projects.choices import Category

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to(
        dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )
    return TODAY


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def plan_set(project, year: int, months: list[Decimal]) -> InvestmentPlan:
    plan = InvestmentPlan.objects.create(project=project, year=year, annual_amount=sum(months))
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(plan=plan, month=m, amount=a) for m, a in enumerate(months, start=1)
    )
    return plan


def actuals_set(project, year: int, amounts: dict[int, str]) -> None:
    InvestmentActual.objects.bulk_create(
        InvestmentActual(project=project, year=year, month=m, amount=Decimal(a))
        for m, a in amounts.items()
    )


def light_set(project, year: int, month: int, colour: str, *texts: str) -> ProjectLight:
    return ProjectLight.objects.create(
        project=project,
        year=year,
        month=month,
        colour=colour,
        reasons=[{"rule": "progress", "colour": colour, "text": t} for t in texts],
        computed_at=timezone.now(),
    )


@dataclass
class Scene:
    xiaodian_problem: Problem
    yingze_problem: Problem
    land_bureau: Department
    order: SupervisionOrder


@pytest.fixture
def scene(geo, cast, ledger, frozen_today) -> Scene:
    """Plans for 2026, actuals for 2025 and 2026, October lights, problems and an order.

    小店 (industry, 150,000 万元): plan 12,000, done 1–10月 6,000 (2025: 4,000), red.
    迎泽 (livelihood, 8,000): plan 3,000, done 3,000 (2025: 1,000), yellow.
    平城 (industry, 12,000): plan 1,000, done 0, green.
    长安 (河北): plan and actuals that no 山西 figure may include.
    """
    ledger.yingze.category = Category.LIVELIHOOD
    ledger.yingze.actual_start_date = dt.date(2024, 5, 1)  # started before: resumed
    ledger.yingze.save()
    ledger.xiaodian.actual_start_date = dt.date(2026, 3, 15)  # new start this year
    ledger.xiaodian.save()
    ledger.pingcheng.actual_start_date = dt.date(2025, 4, 1)  # started, no work this year
    ledger.pingcheng.save()
    plan_set(ledger.xiaodian, 2026, [Decimal(1000)] * 12)
    plan_set(ledger.yingze, 2026, [Decimal(250)] * 12)
    plan_set(ledger.pingcheng, 2026, [Decimal(0)] * 11 + [Decimal(1000)])
    plan_set(ledger.changan, 2026, [Decimal(5000)] * 12)
    actuals_set(ledger.xiaodian, 2026, {3: "2000", 6: "2500", 10: "1500", 11: "9999"})
    actuals_set(ledger.xiaodian, 2025, {5: "4000", 12: "7000"})
    actuals_set(ledger.yingze, 2026, {2: "3000"})
    actuals_set(ledger.yingze, 2025, {1: "1000"})
    actuals_set(ledger.changan, 2026, {1: "50000"})
    light_set(ledger.xiaodian, 2026, 10, "red", "截至10月底完成投资6000万元，仅为序时进度的60%")
    light_set(ledger.yingze, 2026, 10, "yellow", "形象进度滞后")
    light_set(ledger.pingcheng, 2026, 10, "green")
    light_set(ledger.changan, 2026, 10, "red", "河北的红灯")
    light_set(ledger.yingze, 2026, 9, "red", "上月红灯")
    land_bureau = Department.objects.create(name="小店区自然资源局", region=geo.xiaodian)
    xiaodian_problem = Problem.objects.create(
        project=ledger.xiaodian,
        category="land",
        description="用地报批未完成",
        department=land_bureau,
        deadline=dt.date(2026, 10, 31),
        escalation_level=1,
    )
    yingze_problem = Problem.objects.create(
        project=ledger.yingze,
        category="funds",
        description="专项债资金未到位",
        deadline=dt.date(2026, 12, 31),
        escalation_level=2,
    )
    Problem.objects.create(
        project=ledger.yingze, category="labour", description="用工不足", status="verified"
    )
    Problem.objects.create(
        project=ledger.changan, category="land", description="河北的问题", escalation_level=2
    )
    order = SupervisionOrder.objects.create(
        number="晋发改督〔2026〕1号",
        project=ledger.xiaodian,
        problem=xiaodian_problem,
        recipient="department",
        department=land_bureau,
        subject="用地报批督办",
        content="请于11月底前完成用地报批。",
        response_deadline=dt.date(2026, 11, 30),
        issued_by=cast.province_admin,
        issuing_region=geo.shanxi,
        year=2026,
        serial=1,
    )
    # Raised and issued in October, within the month the briefings report on.
    october = dt.datetime(2026, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    Problem.objects.update(created_at=october)
    SupervisionOrder.objects.update(issued_at=october)
    return Scene(
        xiaodian_problem=xiaodian_problem,
        yingze_problem=yingze_problem,
        land_bureau=land_bureau,
        order=order,
    )


@pytest.fixture
def taiyuan_meeting(geo, cast, frozen_today) -> DispatchMeeting:
    return DispatchMeeting.objects.create(
        title="太原市重点项目11月调度会",
        region=geo.taiyuan,
        date=TODAY,
        created_by=cast.taiyuan_admin,
    )
