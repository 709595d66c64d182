"""A milestone's status comes from its target, its completion and today."""

import datetime as dt

import pytest

from cornerstone.plans.choices import MilestoneStatus
from cornerstone.plans.milestones import milestone_status

TARGET = dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("achieved", "today", "expected"),
    [
        (None, dt.date(2026, 6, 30), MilestoneStatus.PENDING),  # due today: not yet late
        (None, dt.date(2026, 7, 1), MilestoneStatus.OVERDUE_OPEN),
        (dt.date(2026, 6, 30), dt.date(2026, 7, 5), MilestoneStatus.DONE_ON_TIME),
        (dt.date(2026, 5, 1), dt.date(2026, 5, 2), MilestoneStatus.DONE_ON_TIME),
        (dt.date(2026, 7, 1), dt.date(2026, 7, 5), MilestoneStatus.DONE_LATE),
    ],
)
def test_status(achieved, today, expected):
    assert milestone_status(target=TARGET, achieved=achieved, today=today) == expected


def test_each_status_has_its_badge_colour():
    assert MilestoneStatus.colour(MilestoneStatus.OVERDUE_OPEN) == "danger"
    assert MilestoneStatus.colour(MilestoneStatus.DONE_ON_TIME) == "success"
