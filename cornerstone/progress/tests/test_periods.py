"""Period arithmetic, checked by property over many days and by the published examples."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cornerstone.progress.periods import (
    FREQUENCIES,
    MONTHLY,
    SEMIMONTHLY,
    WEEKLY,
    Period,
    Reminder,
    deadline_day_error,
    deadline_for,
    period_containing,
    period_next,
    period_previous,
    reminder_due,
)

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
frequencies = st.sampled_from(FREQUENCIES)


@given(frequencies, days)
def test_a_period_contains_its_day_and_has_a_label(frequency, day):
    period = period_containing(frequency, day)
    assert day in period
    assert period.start <= period.end
    assert period.label.startswith(f"{period.start.isocalendar()[0]}年") or (
        period.label.startswith(f"{day.year}年")
    )


@given(frequencies, days)
def test_periods_tile_the_calendar_without_gaps(frequency, day):
    period = period_containing(frequency, day)
    following = period_next(frequency, period)
    assert following.start == period.end + dt.timedelta(days=1)
    assert period_previous(frequency, following) == period
    # Every day of the period maps back to the same period.
    assert period_containing(frequency, period.end) == period
    assert period_containing(frequency, period.start) == period


@given(days)
def test_period_lengths(day):
    assert period_containing(WEEKLY, day).start.isoweekday() == 1
    assert (period_containing(WEEKLY, day).end - period_containing(WEEKLY, day).start).days == 6
    half = period_containing(SEMIMONTHLY, day)
    assert half.start.day in (1, 16)
    assert half.end.month == half.start.month
    month = period_containing(MONTHLY, day)
    assert month.start.day == 1
    assert (month.end + dt.timedelta(days=1)).day == 1


@given(days, st.integers(min_value=1, max_value=31))
def test_monthly_deadline_stays_in_its_month(day, deadline_day):
    period = period_containing(MONTHLY, day)
    deadline = deadline_for(MONTHLY, deadline_day, period)
    assert deadline in period
    assert deadline.day == min(deadline_day, period.end.day)


@given(days, st.integers(min_value=1, max_value=7))
def test_weekly_deadline_is_that_weekday(day, weekday):
    period = period_containing(WEEKLY, day)
    deadline = deadline_for(WEEKLY, weekday, period)
    assert deadline in period
    assert deadline.isoweekday() == weekday


@given(days, st.integers(min_value=1, max_value=15))
def test_semimonthly_deadline_follows_the_half(day, after):
    period = period_containing(SEMIMONTHLY, day)
    assert deadline_for(SEMIMONTHLY, after, period) == period.end + dt.timedelta(days=after)


def test_labels_as_officials_write_them():
    day = dt.date(2026, 11, 24)
    assert period_containing(MONTHLY, day) == Period(
        dt.date(2026, 11, 1), dt.date(2026, 11, 30), "2026年11月"
    )
    assert period_containing(WEEKLY, day).label == "2026年第48周"
    assert period_containing(WEEKLY, dt.date(2026, 11, 20)).label == "2026年第47周"
    assert period_containing(SEMIMONTHLY, day).label == "2026年11月下半月"
    assert period_containing(SEMIMONTHLY, dt.date(2026, 11, 15)).label == "2026年11月上半月"
    # The ISO week of 1 January 2027 (a Friday) is the last week of 2026.
    assert period_containing(WEEKLY, dt.date(2027, 1, 1)).label == "2026年第53周"


def test_february_deadline_is_clamped():
    february = period_containing(MONTHLY, dt.date(2026, 2, 10))
    assert deadline_for(MONTHLY, 31, february) == dt.date(2026, 2, 28)
    leap = period_containing(MONTHLY, dt.date(2028, 2, 10))
    assert deadline_for(MONTHLY, 30, leap) == dt.date(2028, 2, 29)


@pytest.mark.parametrize(
    ("frequency", "day", "ok"),
    [(WEEKLY, 7, True), (WEEKLY, 8, False), (SEMIMONTHLY, 16, False), (MONTHLY, 31, True)],
)
def test_deadline_day_bounds(frequency, day, ok):
    assert (deadline_day_error(frequency, day) is None) is ok
    if not ok:
        with pytest.raises(ValueError):
            deadline_for(frequency, day, period_containing(frequency, dt.date(2026, 11, 24)))


def test_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        period_containing("yearly", dt.date(2026, 1, 1))


def test_reminders_before_and_overdue():
    deadline = dt.date(2026, 11, 25)
    due = {
        day: reminder_due(today=day, deadline=deadline, days_before=2)
        for day in (deadline + dt.timedelta(days=n) for n in range(-5, 20))
    }
    assert due[dt.date(2026, 11, 23)] is Reminder.BEFORE
    assert due[dt.date(2026, 11, 26)] is Reminder.OVERDUE
    assert due[dt.date(2026, 12, 3)] is Reminder.OVERDUE
    sent = [day for day, kind in due.items() if kind is not None]
    assert sent == [
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 26),
        dt.date(2026, 12, 3),
        dt.date(2026, 12, 10),
    ]


@given(days, st.integers(min_value=0, max_value=10), st.integers(min_value=-30, max_value=30))
def test_no_reminder_between_the_early_one_and_the_deadline(deadline, before, offset):
    today = deadline + dt.timedelta(days=offset)
    kind = reminder_due(today=today, deadline=deadline, days_before=before)
    if kind is Reminder.BEFORE:
        assert today == deadline - dt.timedelta(days=before)
    if kind is Reminder.OVERDUE:
        assert today > deadline
    if deadline - dt.timedelta(days=before) < today <= deadline:
        assert kind is None
