"""Fixtures of the plans tests: a frozen day (Tuesday 24 November 2026)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to(
        dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )
    return TODAY


@pytest.fixture
def steps():
    """The seeded step definitions by code."""
    from cornerstone.projects.models import StepDefinition

    return {d.code: d for d in StepDefinition.objects.all()}
