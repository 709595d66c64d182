"""A small data set for the statistics pages and API: known figures in every county.

Frozen on Tuesday 24 November 2026; the pages are read for January–October 2026.

    小店区  plan 100/month (1,200), completed 10/month Jan–Oct (100), last year 5/month;
            planned start 2026-04, started 2026-03 (early); a red light in October
    迎泽区  plan 50/month (600), completed 60/month Jan–Oct (600);
            planned start 2026-02, started 2026-02 (on time), completed 2026-09
    平城区  plan 20/month (240), nothing completed; planned start 2026-05, not started
    长安区  (河北) plan 1,000/month, completed 999/month: never in 山西's figures
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from cornerstone.alerts.choices import Light
from cornerstone.alerts.models import ProjectLight
from cornerstone.alerts.tests.conftest import actuals, plan
from cornerstone.stats.rollups import lights_rollup_rebuild, rollups_rebuild

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PERIOD = {"year": "2026", "month": "10"}
PROVINCE_COMPLETED = Decimal(700)
PROVINCE_PLAN = Decimal(2040)


def figures_build(ledger):  # type: ignore[no-untyped-def]
    """Plans, completed investment, dates and a light for the ``ledger`` fixture's projects."""
    xiaodian, yingze, pingcheng, changan = (
        ledger.xiaodian,
        ledger.yingze,
        ledger.pingcheng,
        ledger.changan,
    )
    plan(xiaodian, 2026, 100)
    actuals(xiaodian, 2026, [10] * 10)
    actuals(xiaodian, 2025, [5] * 12)
    xiaodian.planned_start_date = dt.date(2026, 4, 1)
    xiaodian.actual_start_date = dt.date(2026, 3, 15)
    xiaodian.save()
    plan(yingze, 2026, 50)
    actuals(yingze, 2026, [60] * 10)
    yingze.planned_start_date = dt.date(2026, 2, 1)
    yingze.actual_start_date = dt.date(2026, 2, 10)
    yingze.planned_completion_date = dt.date(2026, 10, 31)
    yingze.actual_completion_date = dt.date(2026, 9, 30)
    yingze.save()
    plan(pingcheng, 2026, 20)
    pingcheng.planned_start_date = dt.date(2026, 5, 1)
    pingcheng.save()
    plan(changan, 2026, 1000)
    actuals(changan, 2026, [999] * 10)
    changan.planned_start_date = dt.date(2026, 1, 1)
    changan.actual_start_date = dt.date(2026, 1, 5)
    changan.save()
    ProjectLight.objects.create(
        project=xiaodian,
        year=2026,
        month=10,
        colour=Light.RED,
        reasons=[{"rule": "progress", "colour": "red", "text": "完成投资低于序时进度"}],
        computed_at=timezone.now(),
    )
    rollups_rebuild()
    lights_rollup_rebuild(year=2026, month=10)
    return ledger
