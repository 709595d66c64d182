"""Reading a report row's period: months, half months, weeks, days; no database."""

import datetime as dt

import pytest

from cornerstone.ingest.cells import CellError
from cornerstone.ingest.report_period import PeriodKey, period_key_parse
from cornerstone.progress.periods import MONTHLY, SEMIMONTHLY, WEEKLY, period_containing


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("2026年10月", "2026年10月"),
        ("2026年10月份", "2026年10月"),
        ("2026-10", "2026年10月"),
        ("2026/9", "2026年9月"),
        ("2026.10", "2026年10月"),
        ("２０２６年１０月", "2026年10月"),  # full-width digits
        (" 2026 年 10 月 ", "2026年10月"),
        (2026.11, "2026年11月"),  # typed into a number cell
        ("2026年10月上半月", "2026年10月上半月"),
        ("2026-10下半月", "2026年10月下半月"),
        ("2026年第47周", "2026年第47周"),
        ("2026第7周", "2026年第7周"),
        ("2026-W07", "2026年第7周"),
        ("2026w47", "2026年第47周"),
    ],
)
def test_text_periods_become_the_cycles_label(value, label):
    assert period_key_parse(value) == PeriodKey(label=label)


@pytest.mark.parametrize(
    ("frequency", "day"),
    [
        (MONTHLY, dt.date(2026, 10, 31)),
        (SEMIMONTHLY, dt.date(2026, 2, 16)),
        (WEEKLY, dt.date(2027, 1, 1)),
    ],
)
def test_the_labels_are_those_the_cycles_are_given(frequency, day):
    period = period_containing(frequency, day)
    key = period_key_parse(period.label)
    assert key is not None and key.matches(period.label, period.start, period.end)


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2026, 10, 15),
        dt.datetime(2026, 10, 15, 0, 0),
        "2026-10-15",
        "2026年10月15日",
        46310,
        20261015,
    ],
)
def test_a_day_matches_the_cycle_that_contains_it(value):
    key = period_key_parse(value)
    assert key == PeriodKey(day=dt.date(2026, 10, 15))
    assert key.matches("2026年10月", dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert key.matches("2026年10月上半月", dt.date(2026, 10, 1), dt.date(2026, 10, 15))
    assert not key.matches("2026年10月下半月", dt.date(2026, 10, 16), dt.date(2026, 10, 31))


def test_a_label_matches_only_its_own_cycle():
    key = period_key_parse("2026年10月")
    assert key.matches("2026年10月", dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert not key.matches("2026年10月上半月", dt.date(2026, 10, 1), dt.date(2026, 10, 15))
    assert not key.matches("2026年11月", dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_cell_names_no_period(value):
    assert period_key_parse(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("十月", "不是有效的填报期次"),
        ("2026年13月", "不是有效的填报期次"),
        ("2026年第60周", "不是有效的填报期次"),
        ("1900年10月", "不是有效的填报期次"),
        ("2026-02-30", "不是有效的填报期次"),
        (2026.1, "分不清是1月还是10月"),
        (2026, "只有年份"),
        ("2026年", "不是有效的填报期次"),
        (True, "不是有效的填报期次"),
    ],
)
def test_what_is_no_period_says_what_is_expected(value, message):
    with pytest.raises(CellError, match=message):
        period_key_parse(value)
