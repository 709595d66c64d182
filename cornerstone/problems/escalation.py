"""To which supervision level an overdue problem goes (no database).

A problem not resolved by its deadline goes to city supervision (市级督办) after the
policy's first day count and to province supervision (省级督办) after the second; a
level once reached is never lowered by the nightly run (only a person reassigns).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from cornerstone.geo.codes import ancestors_of

NORMAL, CITY, PROVINCE = 0, 1, 2
DEFAULT_CITY_DAYS = 7
DEFAULT_PROVINCE_DAYS = 30


@dataclass(frozen=True)
class Policy:
    """Overdue days after which a problem goes to city and to province supervision."""

    city_after_days: int = DEFAULT_CITY_DAYS
    province_after_days: int = DEFAULT_PROVINCE_DAYS


DEFAULT_POLICY = Policy()


def overdue_days(deadline: dt.date | None, today: dt.date) -> int:
    """Days past the deadline (0 on the day itself, or without a deadline)."""
    if deadline is None:
        return 0
    return max(0, (today - deadline).days)


def escalation_target(
    *, deadline: dt.date | None, today: dt.date, current: int, policy: Policy
) -> int:
    """The level the problem should be at today: never below the one it has."""
    days = overdue_days(deadline, today)
    if days <= 0:
        due = NORMAL
    elif days >= policy.province_after_days:
        due = PROVINCE
    elif days >= policy.city_after_days:
        due = CITY
    else:
        due = NORMAL
    return max(current, due)


def policy_for(region_code: str, policies: Mapping[str, Policy]) -> Policy:
    """The policy of the region or of its nearest ancestor that has one, else the defaults."""
    for code in ancestors_of(region_code):
        found = policies.get(code)
        if found is not None:
            return found
    return DEFAULT_POLICY


def supervising_region(region_code: str, level: int) -> str:
    """The region whose admins supervise at ``level``: the city's, or the province's."""
    if level >= PROVINCE:
        return region_code[:2] + "0000"
    return region_code[:4] + "00"
