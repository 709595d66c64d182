"""The working calendar and the shipped holiday data, against hand-checked facts."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from cornerstone.plans.workdays import (
    HOLIDAY,
    KINDS,
    WORKDAY,
    CalendarDay,
    WorkCalendar,
    shipped_calendar_days,
)

D = dt.date


@pytest.fixture(scope="module")
def cn() -> WorkCalendar:
    return WorkCalendar.from_days(shipped_calendar_days())


# --------------------------------------------------------------------------- facts


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 14), True),  # Saturday, 春节调休上班
        (D(2026, 2, 16), False),  # Monday, 春节
        (D(2026, 2, 28), True),  # Saturday, 春节调休上班
        (D(2026, 1, 4), True),  # Sunday, 元旦调休上班
        (D(2026, 5, 5), False),  # Tuesday, 劳动节
        (D(2026, 5, 9), True),  # Saturday, 劳动节调休上班
        (D(2026, 9, 20), True),  # Sunday, 国庆节调休上班
        (D(2026, 10, 7), False),  # Wednesday, 国庆节
        (D(2026, 10, 10), True),  # Saturday, 国庆节调休上班
        (D(2026, 11, 28), False),  # an ordinary Saturday
        (D(2026, 11, 24), True),  # an ordinary Tuesday
        (D(2025, 10, 8), False),  # Wednesday, 国庆节、中秋节 2025
        (D(2027, 2, 5), False),  # Friday, 除夕 2027 (provisional)
    ],
)
def test_is_working_day(cn: WorkCalendar, day: dt.date, working: bool) -> None:
    assert cn.is_working_day(day) is working


def test_a_year_has_248_working_days_in_2025_and_2026(cn: WorkCalendar) -> None:
    # 261 weekdays in each year; 2025 loses 18 of them to holidays and gains 5 调休
    # weekend days, 2026 loses 19 and gains 6.
    assert cn.working_days_between(D(2025, 1, 1), D(2026, 1, 1)) == 248
    assert cn.working_days_between(D(2026, 1, 1), D(2027, 1, 1)) == 248
    assert len(cn.working_days_in(D(2026, 1, 1), D(2026, 12, 31))) == 248


def test_add_working_days_across_national_day(cn: WorkCalendar) -> None:
    assert cn.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert cn.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)  # the 调休 Saturday
    assert cn.add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)
    assert cn.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert cn.add_working_days(D(2026, 10, 12), -4) == D(2026, 9, 30)
    assert cn.add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)  # Friday → the 调休 Sunday


def test_add_working_days_from_a_day_off(cn: WorkCalendar) -> None:
    # As WORKDAY in a spreadsheet: the n-th working day after or before, not counting the day.
    assert cn.add_working_days(D(2026, 11, 28), 1) == D(2026, 11, 30)  # Saturday + 1 = Monday
    assert cn.add_working_days(D(2026, 11, 29), -1) == D(2026, 11, 27)  # Sunday − 1 = Friday
    assert cn.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)  # 0: the next working day
    assert cn.add_working_days(D(2026, 11, 27), 0) == D(2026, 11, 27)


def test_working_days_between_both_signs(cn: WorkCalendar) -> None:
    # [Mon 9-28, Mon 10-12): 9-28, 9-29, 9-30, 10-8, 10-9 and the 调休 Saturday 10-10.
    assert cn.working_days_between(D(2026, 9, 28), D(2026, 10, 12)) == 6
    assert cn.working_days_between(D(2026, 10, 12), D(2026, 9, 28)) == -6
    assert cn.working_days_between(D(2026, 10, 1), D(2026, 10, 7)) == 0
    assert cn.working_days_between(D(2026, 11, 24), D(2026, 11, 24)) == 0


def test_next_and_previous_working_day(cn: WorkCalendar) -> None:
    assert cn.next_working_day(D(2026, 10, 1)) == D(2026, 10, 8)
    assert cn.previous_working_day(D(2026, 10, 7)) == D(2026, 9, 30)
    assert cn.next_working_day(D(2026, 2, 14)) == D(2026, 2, 14)
    assert cn.previous_working_day(D(2026, 2, 22)) == D(2026, 2, 14)


def test_working_days_in_lists_the_days(cn: WorkCalendar) -> None:
    assert cn.working_days_in(D(2026, 5, 1), D(2026, 5, 11)) == [
        D(2026, 5, 6),
        D(2026, 5, 7),
        D(2026, 5, 8),
        D(2026, 5, 9),
        D(2026, 5, 11),
    ]
    assert cn.working_days_in(D(2026, 5, 11), D(2026, 5, 1)) == []


def test_ordinals_of_days_off_point_forward_for_starts_and_back_for_ends(
    cn: WorkCalendar,
) -> None:
    sunday, monday, friday = D(2026, 11, 29), D(2026, 11, 30), D(2026, 11, 27)
    assert cn.start_ordinal(sunday) == cn.end_ordinal(sunday) == cn.start_ordinal(monday)
    assert cn.end_ordinal(friday) == cn.start_ordinal(friday) + 1 == cn.start_ordinal(monday)
    assert cn.date_of_ordinal(cn.start_ordinal(sunday)) == monday
    assert cn.date_of_ordinal(cn.end_ordinal(sunday) - 1) == friday


def test_ordinals_agree_with_is_working_day_day_by_day(cn: WorkCalendar) -> None:
    day, last = D(2024, 12, 1), D(2028, 1, 31)
    working = []
    while day <= last:
        if cn.is_working_day(day):
            working.append(day)
        day += dt.timedelta(days=1)
    first = cn.start_ordinal(working[0])
    assert [cn.start_ordinal(w) for w in working] == list(range(first, first + len(working)))
    assert cn.dates_of_ordinals(first, first + len(working)) == working
    for i, w in enumerate(working[3:-3], start=3):
        for n in range(-3, 4):
            expected = working[i + n] if n else w
            assert cn.add_working_days(w, n) == expected


def test_ordinals_stay_put_when_the_tables_grow() -> None:
    calendar = WorkCalendar(holidays=[D(2026, 10, 1)], workdays=[D(2026, 10, 10)])
    before = calendar.start_ordinal(D(2026, 10, 12))
    assert calendar.date_of_ordinal(before - 50_000) < D(1900, 1, 1)
    assert calendar.start_ordinal(D(2200, 1, 1)) > before
    assert calendar.start_ordinal(D(2026, 10, 12)) == before
    assert calendar.date_of_ordinal(before) == D(2026, 10, 12)


def test_an_empty_calendar_is_monday_to_friday() -> None:
    calendar = WorkCalendar()
    assert calendar.is_working_day(D(2026, 10, 1))
    assert not calendar.is_working_day(D(2026, 10, 10))
    assert calendar.working_days_between(D(2026, 11, 2), D(2026, 11, 30)) == 20


def test_a_day_cannot_be_both_off_and_worked() -> None:
    with pytest.raises(ValueError, match="2026-10-10"):
        WorkCalendar(holidays=[D(2026, 10, 10)], workdays=[D(2026, 10, 10)])
    with pytest.raises(ValueError, match="未知类型"):
        WorkCalendar.from_days([CalendarDay(D(2026, 10, 10), "weekend", "?")])


# --------------------------------------------------------------------------- shipped data


def test_shipped_file_is_well_formed() -> None:
    days = shipped_calendar_days()
    assert days, "the file is empty"
    assert all(day.kind in KINDS for day in days)
    assert all(day.name for day in days)
    duplicates = [d for d, n in Counter(day.date for day in days).items() if n > 1]
    assert duplicates == []
    assert [day.date for day in days] == sorted(day.date for day in days)
    # A 调休 workday is a weekend day; a holiday may be any day of the official break.
    assert [day for day in days if day.kind == WORKDAY and day.date.weekday() < 5] == []


def test_shipped_years_and_provisional_rows() -> None:
    days = shipped_calendar_days()
    by_year = Counter((day.date.year, day.kind) for day in days)
    assert by_year == {
        (2025, HOLIDAY): 28,
        (2025, WORKDAY): 5,
        (2026, HOLIDAY): 33,
        (2026, WORKDAY): 6,
        (2027, HOLIDAY): 13,  # the statutory days alone until the State Council publishes
    }
    assert all(day.provisional == (day.date.year == 2027) for day in days)
    for year in (2025, 2026, 2027):
        names = {day.name for day in days if day.date.year == year and day.kind == HOLIDAY}
        festivals = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
        assert all(any(f in name for name in names) for f in festivals), year


def test_shipped_list_is_a_fresh_copy() -> None:
    shipped_calendar_days().clear()
    assert shipped_calendar_days()
