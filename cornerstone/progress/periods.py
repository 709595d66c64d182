"""Period arithmetic of reporting cycles: bounds, labels, deadlines, reminder days.

Pure: no Django, no database. Frequencies are the plain values of ``Frequency``.

- monthly: the calendar month, labelled 2026年11月; due on ``deadline_day`` of that month
  (每月25日前), clamped to the month's last day (31 in February is the 28th or 29th).
- semi-monthly: the 1st–15th (上半月) and the 16th–last day (下半月), labelled
  2026年11月上半月; due ``deadline_day`` days after the half ends.
- weekly: the ISO week, Monday to Sunday, labelled with its ISO year and number
  (2026年第47周); due on weekday ``deadline_day`` of that week (1 = Monday, 5 = Friday).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import Enum

WEEKLY = "weekly"
SEMIMONTHLY = "semimonthly"
MONTHLY = "monthly"
FREQUENCIES = (WEEKLY, SEMIMONTHLY, MONTHLY)
# How often an overdue reminder repeats while the report stays missing.
OVERDUE_REPEAT_DAYS = 7


@dataclass(frozen=True)
class Period:
    """One reporting period: first and last day (inclusive) and its label."""

    start: dt.date
    end: dt.date
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def _check(frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r}")


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def period_containing(frequency: str, day: dt.date) -> Period:
    """The period of this frequency that contains ``day``."""
    _check(frequency)
    if frequency == MONTHLY:
        end = day.replace(day=_last_day(day.year, day.month))
        return Period(day.replace(day=1), end, f"{day.year}年{day.month}月")
    if frequency == SEMIMONTHLY:
        if day.day <= 15:
            return Period(
                day.replace(day=1), day.replace(day=15), f"{day.year}年{day.month}月上半月"
            )
        end = day.replace(day=_last_day(day.year, day.month))
        return Period(day.replace(day=16), end, f"{day.year}年{day.month}月下半月")
    iso_year, week, weekday = day.isocalendar()
    start = day - dt.timedelta(days=weekday - 1)
    return Period(start, start + dt.timedelta(days=6), f"{iso_year}年第{week}周")


def period_next(frequency: str, period: Period) -> Period:
    """The period right after this one."""
    return period_containing(frequency, period.end + dt.timedelta(days=1))


def period_previous(frequency: str, period: Period) -> Period:
    """The period right before this one."""
    return period_containing(frequency, period.start - dt.timedelta(days=1))


def deadline_day_error(frequency: str, deadline_day: int) -> str | None:
    """Why a deadline day cannot be used with this frequency (None when it can)."""
    _check(frequency)
    if frequency == WEEKLY and not 1 <= deadline_day <= 7:
        return "每周填报的截止日应为星期几（1 = 星期一 … 7 = 星期日）。"
    if frequency == SEMIMONTHLY and not 1 <= deadline_day <= 15:
        return "每半月填报的截止日应为半月结束后的天数（1–15）。"
    if frequency == MONTHLY and not 1 <= deadline_day <= 31:
        return "每月填报的截止日应为当月的日期（1–31）。"
    return None


def deadline_for(frequency: str, deadline_day: int, period: Period) -> dt.date:
    """The fill-in deadline of a period."""
    error = deadline_day_error(frequency, deadline_day)
    if error:
        raise ValueError(error)
    if frequency == MONTHLY:
        last = _last_day(period.start.year, period.start.month)
        return period.start.replace(day=min(deadline_day, last))
    if frequency == SEMIMONTHLY:
        return period.end + dt.timedelta(days=deadline_day)
    return period.start + dt.timedelta(days=deadline_day - 1)


class Reminder(Enum):
    """Which reminder a day calls for."""

    BEFORE = "before"
    OVERDUE = "overdue"


def reminder_due(*, today: dt.date, deadline: dt.date, days_before: int) -> Reminder | None:
    """The reminder due today for an unsubmitted report, if any.

    One reminder ``days_before`` the deadline (on the deadline itself when 0), then an
    overdue one the day after the deadline, repeated every ``OVERDUE_REPEAT_DAYS``.
    """
    if today == deadline - dt.timedelta(days=max(days_before, 0)):
        return Reminder.BEFORE
    late = (today - deadline).days
    if late >= 1 and (late - 1) % OVERDUE_REPEAT_DAYS == 0:
        return Reminder.OVERDUE
    return None


def month_of(day: dt.date) -> tuple[int, int]:
    """(year, month) of a day: where an accepted report's amount is counted."""
    return day.year, day.month
