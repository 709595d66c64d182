"""A milestone's status, derived from its dates alone (no database)."""

from __future__ import annotations

import datetime as dt

from cornerstone.plans.choices import MilestoneStatus


def milestone_status(
    *, target: dt.date, achieved: dt.date | None, today: dt.date
) -> MilestoneStatus:
    """未到期, 按期完成, 逾期完成 or 逾期未完成, from the target, the achieved date and today."""
    if achieved is not None:
        return MilestoneStatus.DONE_ON_TIME if achieved <= target else MilestoneStatus.DONE_LATE
    if today > target:
        return MilestoneStatus.OVERDUE_OPEN
    return MilestoneStatus.PENDING
