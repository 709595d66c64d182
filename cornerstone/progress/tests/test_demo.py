"""The demo loader: cycles of this year, accepted reports matching the actuals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
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


def test_demo_fills_funds_in_place_by_the_funding_mix(ledger, cast, frozen_today):
    ledger.xiaodian.completed_before_year = Decimal(20000)
    ledger.xiaodian.fund_special_bonds = Decimal(30000)
    ledger.xiaodian.fund_market = Decimal(90000)
    ledger.xiaodian.save()
    plan = InvestmentPlan.objects.create(project=ledger.xiaodian, year=2026, annual_amount=12000)
    MonthlyPlan.objects.bulk_create(
        [MonthlyPlan(plan=plan, month=m, amount=Decimal(1000)) for m in range(1, 13)]
    )
    demo_progress_load(today=frozen_today, seed=1)
    filled = ProgressReport.objects.exclude(status="draft")
    assert filled.exists() and not filled.filter(funds_in_place__isnull=True).exists()
    xiaodian = list(filled.filter(project=ledger.xiaodian, investment_this_period__gt=0))
    assert len(xiaodian) >= 9
    for report in xiaodian:
        amount, cent = report.investment_this_period, Decimal("0.01")
        assert amount * Decimal("0.80") - cent <= report.funds_in_place
        assert report.funds_in_place <= amount * Decimal("1.15") + cent
        parts = [report.funds_special_bonds, report.funds_market]
        assert sum(parts) == report.funds_in_place
        assert report.funds_special_bonds < report.funds_market  # a quarter against three
        assert report.funds_central is None and report.funds_local is None
    accepted = filled.filter(status="accepted")
    assert (
        InvestmentActual.objects.filter(year=2026).aggregate(s=Sum("funds_in_place"))["s"]
        == accepted.aggregate(s=Sum("funds_in_place"))["s"]
    )
    last_year = InvestmentActual.objects.filter(project=ledger.xiaodian, year=2025)
    assert last_year.exists() and not last_year.filter(funds_in_place__lte=0).exists()


def test_demo_funds_are_deterministic(ledger, cast, frozen_today):
    def load() -> tuple[list, list]:
        with transaction.atomic():
            demo_progress_load(today=frozen_today, seed=7)
            rows = list(
                ProgressReport.objects.order_by("cycle__period_start", "project_id").values_list(
                    "status", "investment_this_period", "funds_in_place"
                )
            )
            actuals = list(
                InvestmentActual.objects.order_by("project_id", "year", "month").values_list(
                    "amount", "funds_in_place"
                )
            )
            transaction.set_rollback(True)
        return rows, actuals

    assert load() == load()
