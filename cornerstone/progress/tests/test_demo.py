"""The demo loader: cycles of this year, accepted reports matching the actuals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from cornerstone.plans.models import InvestmentPlan, MonthlyPlan
from cornerstone.progress.demo import demo_progress_load
from cornerstone.progress.models import InvestmentActual, ProgressReport, ReportingCycle

pytestmark = pytest.mark.django_db


def test_demo_is_consistent(ledger, cast, frozen_today):
    plan = InvestmentPlan.objects.create(project=ledger.xiaodian, year=2026, annual_amount=12000)
    MonthlyPlan.objects.bulk_create(
        [MonthlyPlan(plan=plan, month=m, amount=Decimal(1000)) for m in range(1, 13)]
    )
    written = demo_progress_load(today=frozen_today, seed=1)
    cycles = list(ReportingCycle.objects.order_by("period_start"))
    assert cycles[0].label == "2026年1月" and cycles[-1].label == "2026年11月"
    assert [c.status for c in cycles].count("open") == 1
    # 山西's three projects (河北's is out of the schedule), eleven months.
    assert written == 3 * 11
    accepted = ProgressReport.objects.filter(status="accepted", cycle__period_start__year=2026)
    actual_2026 = InvestmentActual.objects.filter(year=2026).aggregate(s=Sum("amount"))["s"]
    assert actual_2026 == accepted.aggregate(s=Sum("investment_this_period"))["s"]
    xiaodian = accepted.filter(project=ledger.xiaodian).order_by("-cycle__period_start").first()
    assert (
        xiaodian.investment_year_to_date
        == InvestmentActual.objects.filter(
            project=ledger.xiaodian, year=2026, month__lte=xiaodian.cycle.period_start.month
        ).aggregate(s=Sum("amount"))["s"]
    )
    assert xiaodian.transitions.order_by("at").first().at.date() <= dt.date(2026, 11, 30)
    assert demo_progress_load(today=frozen_today, seed=1) == 0  # loaded once
