"""Fixtures of the progress tests: a frozen day, a monthly schedule of 太原市 and its cycle."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cornerstone.api.tests.conftest import api_as  # noqa: F401 - the API client fixture
from cornerstone.progress import services
from cornerstone.progress.models import ProgressReport

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to(
        dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )
    return TODAY


@pytest.fixture
def schedule(geo, cast, ledger, frozen_today):
    """太原市 monthly, due on the 25th, reminded two days before."""
    return services.schedule_create(
        data={
            "name": "太原市重点项目月调度",
            "region": geo.taiyuan.code,
            "frequency": "monthly",
            "deadline_day": 25,
            "remind_days_before": 2,
            "active": True,
        },
        actor=cast.taiyuan_admin,
    )


@pytest.fixture
def cycle(schedule, cast, frozen_today):
    """The November 2026 cycle (due 25 November)."""
    return services.cycle_open_next(schedule=schedule, actor=cast.taiyuan_admin, today=frozen_today)


@pytest.fixture
def report(cycle, ledger):
    """The xiaodian project's report of the cycle (its owner is ``cast.owner``)."""
    return ProgressReport.objects.get(cycle=cycle, project=ledger.xiaodian)
