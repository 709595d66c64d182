"""Fixtures of the alerts tests: a frozen day (Tuesday 24 November 2026) and plan helpers."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to(
        dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )
    return TODAY


def plan(project, year, monthly):
    """An annual plan with twelve equal months of ``monthly`` 万元, written directly."""
    from cornerstone.plans.models import InvestmentPlan, MonthlyPlan

    amount = Decimal(monthly)
    annual = InvestmentPlan.objects.create(project=project, year=year, annual_amount=amount * 12)
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(plan=annual, month=m, amount=amount) for m in range(1, 13)
    )
    return annual


def actuals(project, year, amounts):
    """Completed investment of the first months of a year."""
    from cornerstone.progress.models import InvestmentActual

    InvestmentActual.objects.bulk_create(
        InvestmentActual(project=project, year=year, month=m, amount=Decimal(a))
        for m, a in enumerate(amounts, start=1)
    )
