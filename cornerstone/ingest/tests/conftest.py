"""Fixtures of the ingest tests: a frozen day and an open reporting cycle of 太原市."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cornerstone.progress import services as progress_services

TODAY = dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def schedule_open(actor, region, name="月调度"):
    """A monthly schedule of the region, due on the 25th, and its cycle of today's month."""
    schedule = progress_services.schedule_create(
        data={
            "name": name,
            "region": region.code,
            "frequency": "monthly",
            "deadline_day": 25,
            "remind_days_before": 2,
            "active": True,
        },
        actor=actor,
    )
    return progress_services.cycle_open_next(schedule=schedule, actor=actor, today=TODAY)


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to(NOW, tick=False)
    return TODAY


@pytest.fixture
def cycle(geo, cast, ledger, frozen_today):
    """太原市's November 2026 cycle: the 小店区 and 迎泽区 projects are expected to report."""
    return schedule_open(cast.taiyuan_admin, geo.taiyuan, "太原市重点项目月调度")
