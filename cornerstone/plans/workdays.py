"""The working calendar: Monday to Friday, less public holidays, plus 调休 weekend workdays.

Pure Python, no Django, so the scheduling engine and the benchmark can use it directly.

**Working-day ordinals.** Internally every working day has an integer ordinal, counting
working days: the next working day after one with ordinal ``k`` has ordinal ``k + 1``.
The ordinal of a date is the number of working days strictly before it (up to a fixed
constant), which gives a non-working day a precise place:

- ``start_ordinal(day)``: the working days before ``day`` — for a working day its own
  ordinal; for a non-working day the ordinal of the next working day. A task that
  *starts* on a Sunday starts, in working time, on Monday.
- ``end_ordinal(day)``: the working days up to and including ``day`` — one past the
  ordinal of ``day`` if it is working, else one past the previous working day. It is an
  *exclusive* end: a task that *finishes* on a Sunday finished, in working time, at the
  end of Friday.
- ``date_of_ordinal(k)``: the working day with ordinal ``k``.

For a non-working day ``start_ordinal(day) == end_ordinal(day)``, for a working day
``end_ordinal(day) == start_ordinal(day) + 1``. Ordinals stay the same for the life of a
calendar; lookups are list indexing over a range of days built on demand and extended
(with a year or more of margin) when a date or ordinal outside it is asked for.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)

DATA_FILE = Path(__file__).resolve().parent / "data" / "holidays_cn.csv"

# A Monday: the closed-form weekday count below is relative to it.
_EPOCH = dt.date(2000, 1, 3).toordinal()
# How far beyond a requested day the lookup tables are built, so that a run of nearby
# lookups (a schedule spans months) does not rebuild them again and again.
_MARGIN_DAYS = 400


@dataclass(frozen=True)
class CalendarDay:
    """One configured day: a holiday (day off) or a 调休 workday (a weekend day worked)."""

    date: dt.date
    kind: str  # HOLIDAY or WORKDAY
    name: str  # e.g. "春节", "春节调休上班"
    provisional: bool = False  # the State Council has not yet published the year's arrangement


def _parse_bool(text: str, line: int) -> bool:
    value = text.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0", ""):
        return False
    raise ValueError(f"{DATA_FILE.name} 第 {line} 行：provisional 应为 true 或 false")


@functools.cache
def _shipped_days() -> tuple[CalendarDay, ...]:
    days = []
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        # Line 1 is the header, so the first row is line 2.
        for line, row in enumerate(csv.DictReader(handle), start=2):
            kind = row["kind"].strip()
            if kind not in KINDS:
                raise ValueError(f"{DATA_FILE.name} 第 {line} 行：未知类型 {kind!r}")
            days.append(
                CalendarDay(
                    date=dt.date.fromisoformat(row["date"].strip()),
                    kind=kind,
                    name=row["name"].strip(),
                    provisional=_parse_bool(row["provisional"], line),
                )
            )
    return tuple(days)


def shipped_calendar_days() -> list[CalendarDay]:
    """The holidays and 调休 workdays shipped in data/holidays_cn.csv, in file order."""
    return list(_shipped_days())


def _weekdays_before(day_number: int) -> int:
    """Mon–Fri days in [epoch, day_number); negative for days before the epoch."""
    weeks, rest = divmod(day_number - _EPOCH, 7)
    return 5 * weeks + min(rest, 5)


@dataclass(frozen=True)
class _Tables:
    """Lookups over the day numbers [lo, hi), replaced whole when they grow.

    One object, swapped in one assignment, so that a calendar shared between threads
    never shows a reader half-old, half-new tables.
    """

    lo: int
    hi: int
    cum: list[int]  # cum[i] = start ordinal of day lo + i (one more entry, for hi itself)
    first: int  # the ordinal of days[0]
    days: list[dt.date]  # days[j] = the working day with ordinal first + j


_EMPTY = _Tables(0, 0, [], 0, [])


class WorkCalendar:
    """Working days: Mon–Fri except holidays, and the weekend days listed as workdays."""

    def __init__(
        self, *, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = ()
    ) -> None:
        holiday_numbers = frozenset(day.toordinal() for day in holidays)
        workday_numbers = frozenset(day.toordinal() for day in workdays)
        both = holiday_numbers & workday_numbers
        if both:
            first = dt.date.fromordinal(min(both))
            raise ValueError(f"{first.isoformat()} 不能既是假日又是调休上班日")
        self._holidays = holiday_numbers
        self._workdays = workday_numbers
        # Only the entries that change the Mon–Fri rule matter for counting: a holiday on
        # a weekend is a day off anyway, a "workday" on a weekday is worked anyway.
        self._extra_off = sorted(n for n in holiday_numbers if (n - _EPOCH) % 7 < 5)
        self._extra_on = sorted(n for n in workday_numbers if (n - _EPOCH) % 7 >= 5)
        self._tables = _EMPTY

    @classmethod
    def from_days(cls, days: Iterable[CalendarDay]) -> WorkCalendar:
        """A calendar from configured days (e.g. ``shipped_calendar_days()``)."""
        holidays: list[dt.date] = []
        workdays: list[dt.date] = []
        for day in days:
            if day.kind == HOLIDAY:
                holidays.append(day.date)
            elif day.kind == WORKDAY:
                workdays.append(day.date)
            else:
                raise ValueError(f"{day.date.isoformat()}：未知类型 {day.kind!r}")
        return cls(holidays=holidays, workdays=workdays)

    # ------------------------------------------------------------------ ordinals

    def _ordinal_closed_form(self, day_number: int) -> int:
        """Working days before the day, up to a constant: weekdays less extra days off plus
        extra days worked, each counted with a bisection of the (short) sorted lists."""
        return (
            _weekdays_before(day_number)
            - bisect_left(self._extra_off, day_number)
            + bisect_left(self._extra_on, day_number)
        )

    def _cover_days(self, lo: int, hi: int) -> _Tables:
        """Tables covering the day numbers [lo, hi] (with margin); ordinals never change."""
        tables = self._tables
        if tables.cum and tables.lo <= lo and hi < tables.hi:
            return tables
        lo -= _MARGIN_DAYS
        hi += _MARGIN_DAYS
        if tables.cum:
            lo, hi = min(lo, tables.lo), max(hi, tables.hi)
        ordinal = self._ordinal_closed_form(lo)
        cum = [0] * (hi - lo + 1)
        days: list[dt.date] = []
        holidays, workdays = self._holidays, self._workdays
        weekday = (lo - _EPOCH) % 7
        for i, number in enumerate(range(lo, hi)):
            cum[i] = ordinal
            if number in workdays or (weekday < 5 and number not in holidays):
                days.append(dt.date.fromordinal(number))
                ordinal += 1
            weekday = weekday + 1 if weekday < 6 else 0
        cum[hi - lo] = ordinal
        tables = _Tables(lo, hi, cum, cum[0], days)
        self._tables = tables
        return tables

    def start_ordinal(self, day: dt.date) -> int:
        """Ordinal of ``day`` if working, else of the next working day (working days before it)."""
        number = day.toordinal()
        tables = self._tables
        i = number - tables.lo
        if not (0 <= i < len(tables.cum)):
            tables = self._cover_days(number, number)
            i = number - tables.lo
        return tables.cum[i]

    def end_ordinal(self, day: dt.date) -> int:
        """Exclusive end: one past the ordinal of ``day`` if working, else of the previous one."""
        number = day.toordinal() + 1
        tables = self._tables
        i = number - tables.lo
        if not (0 <= i < len(tables.cum)):
            tables = self._cover_days(number, number)
            i = number - tables.lo
        return tables.cum[i]

    def dates_of_ordinals(self, first: int, stop: int) -> list[dt.date]:
        """The working days with ordinals in [first, stop), in order."""
        if stop <= first:
            return []
        tables = self._tables
        while True:
            if tables.cum and tables.first <= first and stop <= tables.first + len(tables.days):
                return tables.days[first - tables.first : stop - tables.first]
            if not tables.cum:
                # Five working days a week, roughly: start near the right place.
                guess = _EPOCH + first * 7 // 5
                tables = self._cover_days(guess, guess)
            elif first < tables.first:
                # More than half of all days are working days in any real calendar, so
                # twice the missing ordinals in days gets there in one step (else loop).
                back = 2 * (tables.first - first) + 30
                tables = self._cover_days(tables.lo - back, tables.hi - 1)
            else:
                ahead = 2 * (stop - tables.first - len(tables.days)) + 30
                tables = self._cover_days(tables.lo, tables.hi + ahead)

    def date_of_ordinal(self, ordinal: int) -> dt.date:
        """The working day with this ordinal."""
        tables = self._tables
        j = ordinal - tables.first
        if 0 <= j < len(tables.days):
            return tables.days[j]
        return self.dates_of_ordinals(ordinal, ordinal + 1)[0]

    # ------------------------------------------------------------------ dates

    def is_working_day(self, day: dt.date) -> bool:
        """Mon–Fri unless a holiday; Sat/Sun only if listed as a 调休 workday."""
        number = day.toordinal()
        if number in self._workdays:
            return True
        return day.weekday() < 5 and number not in self._holidays

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if working, else the first working day after it."""
        return self.date_of_ordinal(self.start_ordinal(day))

    def previous_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if working, else the last working day before it."""
        return self.date_of_ordinal(self.end_ordinal(day) - 1)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (before it if n < 0), not counting ``day``.

        As spreadsheets' WORKDAY: Friday + 1 and Saturday + 1 are both Monday, Monday − 1
        and Sunday − 1 both Friday. ``n == 0`` gives ``next_working_day(day)``.
        """
        if n > 0:
            return self.date_of_ordinal(self.end_ordinal(day) - 1 + n)
        return self.date_of_ordinal(self.start_ordinal(day) + n)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end); the negative of those in [end, start) if end < start."""
        return self.start_ordinal(end) - self.start_ordinal(start)

    def working_days_in(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The working days from ``first`` to ``last``, both included."""
        if last < first:
            return []
        return self.dates_of_ordinals(self.start_ordinal(first), self.end_ordinal(last))
