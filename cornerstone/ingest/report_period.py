"""Read the reporting period a progress-report row names, and match it to a cycle (pure).

A period is written as people write it: a month (2026年10月, 2026-10, 2026/10, 2026.10,
2026年10月份), a half month (2026年10月上半月), an ISO week (2026年第47周, 2026-W47), or a
day inside the period (2026-10-15, an Excel date cell, which is also what Excel makes of
a typed "2026-10"). Text periods become the label ``progress.periods`` gives the cycle
(2026年10月, 2026年10月上半月, 2026年第47周); a day matches the cycle that contains it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from cornerstone.ingest.cells import CellError, date_parse, text_normalize

_HALF = re.compile(r"(\d{4})[年\-/.](\d{1,2})月?份?(上|下)半月")
_WEEK = (
    re.compile(r"(\d{4})年?第(\d{1,2})周"),
    re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE),
)
_MONTH = (
    re.compile(r"(\d{4})年(\d{1,2})月份?"),
    re.compile(r"(\d{4})[\-/.](\d{1,2})"),
)
_DAY = re.compile(r"\d{4}(?:[\-/.]\d{1,2}[\-/.]\d{1,2}|年\d{1,2}月\d{1,2}[日号]?|\d{4})")
MIN_YEAR = 1950
MAX_YEAR = 2100


@dataclass(frozen=True)
class PeriodKey:
    """What a row's period cell names: a cycle label, or a day inside the period."""

    label: str | None = None
    day: dt.date | None = None

    def matches(self, label: str, start: dt.date, end: dt.date) -> bool:
        """Whether a cycle with this label and period is the one the cell names."""
        if self.day is not None:
            return start <= self.day <= end
        return self.label == label

    def __str__(self) -> str:
        return self.label if self.label is not None else str(self.day)


def _error(value: object) -> CellError:
    return CellError(
        gettext(
            "“%(value)s”不是有效的填报期次（可写作2026年10月、2026-10、2026年10月上半月、2026年第47周，或期间内的日期）"
        )
        % {"value": text_normalize(value)}
    )


def _month(year: str, month: str, value: object) -> tuple[int, int]:
    y, m = int(year), int(month)
    if not (MIN_YEAR <= y <= MAX_YEAR and 1 <= m <= 12):
        raise _error(value)
    return y, m


def period_key_parse(value: object) -> PeriodKey | None:
    """The period a cell names; None when the cell is empty."""
    if value is None or (isinstance(value, str) and not text_normalize(value)):
        return None
    if isinstance(value, dt.date):  # a datetime is a date too
        day = date_parse(value)
        return PeriodKey(day=day)
    if isinstance(value, bool):
        raise _error(value)
    if isinstance(value, int | float | Decimal):
        # 2026.1 (January or October?), 20261015 or an Excel serial: the date reader decides.
        day = date_parse(value)
        assert day is not None
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if MIN_YEAR <= int(number) <= MAX_YEAR:  # 2026.10 typed as a number: a month
            return PeriodKey(label=f"{day.year}年{day.month}月")
        return PeriodKey(day=day)
    text = text_normalize(value).replace(" ", "")
    if match := _HALF.fullmatch(text):
        year, month = _month(match[1], match[2], value)
        return PeriodKey(label=f"{year}年{month}月{match[3]}半月")
    for pattern in _WEEK:
        if match := pattern.fullmatch(text):
            year, week = int(match[1]), int(match[2])
            if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= week <= 53):
                raise _error(value)
            return PeriodKey(label=f"{year}年第{week}周")
    if _DAY.fullmatch(text):
        try:
            return PeriodKey(day=date_parse(text))
        except CellError:
            raise _error(value) from None
    for pattern in _MONTH:
        if match := pattern.fullmatch(text):
            year, month = _month(match[1], match[2], value)
            return PeriodKey(label=f"{year}年{month}月")
    raise _error(value)
