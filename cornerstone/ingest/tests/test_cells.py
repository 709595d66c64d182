"""Reading single cells as ledgers are filled in (pure: no database, no workbook)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from cornerstone.ingest.cells import (
    CellError,
    amount_parse,
    bool_parse,
    choice_parse,
    date_parse,
    decimal_parse,
    excel_serial_date,
    int_parse,
    text_normalize,
    year_parse,
    year_range_parse,
)
from cornerstone.projects.choices import Tier

EMPTY = [None, "", "   ", "\u3000", "\n"]


# Text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  项目名称 ", "项目名称"),
        ("计划开工\n时间", "计划开工 时间"),
        ("a \t\r\n  b", "a b"),
        ("总投资（万元）", "总投资(万元)"),
        ("２０２４年３月", "2024年3月"),
        ("ＡＢＣ－１２３", "ABC-123"),
        ("中央\u3000资金", "中央 资金"),
        ("其中：中央资金", "其中:中央资金"),  # full-width ASCII punctuation is folded …
        ("１，２００；３", "1,200;3"),
        ("县（市、区）", "县(市、区)"),  # … CJK punctuation without an ASCII twin is kept
        ("《通知》。", "《通知》。"),
        ("\ufeff项目\u200b名称", "项目名称"),  # invisible characters pasted from the web
        (1200, "1200"),
        (1200.0, "1200"),
        (1200.1, "1200.1"),
        (0.1, "0.1"),
        (13800138000.0, "13800138000"),  # a phone number typed into a number cell
        (-3.5, "-3.5"),
        (Decimal("7.50"), "7.5"),
        (True, "TRUE"),
        (False, "FALSE"),
        (dt.date(2024, 3, 15), "2024-03-15"),
        (dt.datetime(2024, 3, 15), "2024-03-15"),
        (dt.datetime(2024, 3, 15, 9, 30), "2024-03-15 09:30:00"),
        (dt.time(9, 30), "09:30:00"),
    ],
)
def test_text_normalize(raw: object, expected: object) -> None:
    assert text_normalize(raw) == expected


# Amounts, in 万元


@pytest.mark.parametrize(
    ("raw", "multiplier", "expected"),
    [
        (1200, 1, "1200.00"),
        (1200.1, 1, "1200.10"),  # through repr: no binary noise
        (0.1, 1, "0.10"),
        (1200.005, 1, "1200.01"),  # half up
        (Decimal("3.333"), 1, "3.33"),
        ("1200", 1, "1200.00"),
        (" 1200 ", 1, "1200.00"),
        ("1,200", 1, "1200.00"),
        ("1，200", 1, "1200.00"),
        ("1,234,567.891", 1, "1234567.89"),
        ("１２００", 1, "1200.00"),
        ("１，２００万元", 1, "1200.00"),
        ("1200万", 1, "1200.00"),
        ("1200万元", 1, "1200.00"),
        ("1200 万元", 1, "1200.00"),
        ("1.2亿", 1, "12000.00"),
        ("1.2亿元", 1, "12000.00"),
        ("１．２亿元", 1, "12000.00"),
        ("12,000,000元", 1, "1200.00"),
        ("500千元", 1, "50.00"),
        (".5", 1, "0.50"),
        ("-300", 1, "-300.00"),  # the sign is the caller's business
        ("+300", 1, "300.00"),
        # A column headed 总投资（亿元） multiplies bare numbers …
        (1.2, 10000, "12000.00"),
        ("1.2", 10000, "12000.00"),
        (3, 10000, "30000.00"),
        # … but a unit in the cell wins.
        ("1200万元", 10000, "1200.00"),
        ("1200万", 10000, "1200.00"),
        ("1.2亿", 10000, "12000.00"),
        # A column in 元.
        (12345678, Decimal("0.0001"), "1234.57"),
        ("12,000,000", Decimal("0.0001"), "1200.00"),
    ],
)
def test_amount_parse(raw: object, multiplier: int | Decimal, expected: str) -> None:
    value = amount_parse(raw, multiplier=Decimal(multiplier))
    assert value == Decimal(expected)
    assert value is not None and value.as_tuple().exponent == -2


@pytest.mark.parametrize("raw", EMPTY)
def test_empty_amount_is_none(raw: object) -> None:
    assert amount_parse(raw) is None


@pytest.mark.parametrize(
    "raw", ["约1200", "待定", "1200美元", "1e3", "NaN", "Infinity", "12,00", "1.2.3", "万元", True]
)
def test_bad_amounts_say_what_was_expected(raw: object) -> None:
    with pytest.raises(CellError) as caught:
        amount_parse(raw)
    message = caught.value.message
    assert "不是有效的金额" in message
    assert "1,200万元" in message
    assert str(caught.value) == message


def test_bad_amount_quotes_the_cell_as_typed() -> None:
    with pytest.raises(CellError) as caught:
        amount_parse(" 约１２００ ")
    assert caught.value.message.startswith("“约１２００”不是有效的金额")


def test_float_nan_is_no_amount() -> None:
    with pytest.raises(CellError):
        amount_parse(float("nan"))


# Plain decimals (areas, coordinates)


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        (12.5, {}, "12.50"),
        ("1,200.456", {}, "1200.46"),
        ("５０亩", {"suffixes": ("亩",)}, "50.00"),
        ("3000平方米", {"suffixes": ("平方米", "㎡")}, "3000.00"),
        ("112.5498761", {"places": 6}, "112.549876"),
    ],
)
def test_decimal_parse(raw: object, kwargs: dict[str, Any], expected: str) -> None:
    assert decimal_parse(raw, **kwargs) == Decimal(expected)


@pytest.mark.parametrize("raw", ["50亩", "约50", "五十"])
def test_bad_decimals(raw: object) -> None:
    with pytest.raises(CellError, match="不是有效的数字"):
        decimal_parse(raw)


# Dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.date(2024, 3, 15), dt.date(2024, 3, 15)),
        (dt.datetime(2024, 3, 15, 10, 30), dt.date(2024, 3, 15)),
        (45366, dt.date(2024, 3, 15)),  # an Excel serial
        (45366.75, dt.date(2024, 3, 15)),  # with a time of day
        (18264, dt.date(1950, 1, 1)),
        (73415, dt.date(2100, 12, 31)),
        ("2024-03-15", dt.date(2024, 3, 15)),
        ("2024/3/15", dt.date(2024, 3, 15)),
        ("2024.03.15", dt.date(2024, 3, 15)),
        ("2024.3.15", dt.date(2024, 3, 15)),
        ("2024年3月15日", dt.date(2024, 3, 15)),
        ("2024年3月15号", dt.date(2024, 3, 15)),
        ("2024年03月05日", dt.date(2024, 3, 5)),
        ("2024 年 3 月 15 日", dt.date(2024, 3, 15)),
        ("20240315", dt.date(2024, 3, 15)),
        (20240315, dt.date(2024, 3, 15)),  # the same typed into a number cell
        (20240315.0, dt.date(2024, 3, 15)),
        ("2024-03-15 10:00:00", dt.date(2024, 3, 15)),
        ("2024-03-15T10:00", dt.date(2024, 3, 15)),
        ("２０２４－０３－１５", dt.date(2024, 3, 15)),
        ("２０２４年３月１５日", dt.date(2024, 3, 15)),
        # A month alone is the first of that month.
        ("2024年3月", dt.date(2024, 3, 1)),
        ("2024年3月份", dt.date(2024, 3, 1)),
        ("２０２４年３月", dt.date(2024, 3, 1)),
        ("2024-03", dt.date(2024, 3, 1)),
        ("2024/3", dt.date(2024, 3, 1)),
        ("2024.03", dt.date(2024, 3, 1)),
        ("2024.3", dt.date(2024, 3, 1)),
        ("2024.12", dt.date(2024, 12, 1)),
        (2024.03, dt.date(2024, 3, 1)),  # 2024.03 typed into a number cell
        (2024.3, dt.date(2024, 3, 1)),
        (2024.12, dt.date(2024, 12, 1)),
    ],
)
def test_date_parse(raw: object, expected: object) -> None:
    assert date_parse(raw) == expected


@pytest.mark.parametrize("raw", EMPTY)
def test_empty_date_is_none(raw: object) -> None:
    assert date_parse(raw) is None


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),  # after the phantom 1900-02-29
        (25569, dt.date(1970, 1, 1)),
        (45366, dt.date(2024, 3, 15)),
        (2958465, dt.date(9999, 12, 31)),
    ],
)
def test_excel_serials_follow_the_1900_date_system(serial: int, expected: object) -> None:
    assert excel_serial_date(serial) == expected


@pytest.mark.parametrize("serial", [0, -1, 60, 2958466])
def test_excel_serials_out_of_range(serial: int) -> None:
    with pytest.raises(CellError):
        excel_serial_date(serial)


DATE_HINT = "可写作2024-03-15、2024/3/15、2024.03.15、2024年3月或Excel日期"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2024年13月", f"“2024年13月”不是有效的日期（{DATE_HINT}）"),
        ("2024-02-30", f"“2024-02-30”不是有效的日期（{DATE_HINT}）"),
        ("2023年2月29日", f"“2023年2月29日”不是有效的日期（{DATE_HINT}）"),
        ("2024-3/15", f"“2024-3/15”不是有效的日期（{DATE_HINT}）"),
        ("三月中旬", f"“三月中旬”不是有效的日期（{DATE_HINT}）"),
        ("24.3.15", f"“24.3.15”不是有效的日期（{DATE_HINT}）"),
        ("2024年", "“2024年”只有年份，请写明月份（如2024年3月或2024-03-15）"),
        ("2024", "“2024”只有年份，请写明月份（如2024年3月或2024-03-15）"),
        (2024, "“2024”只有年份，请写明月份（如2024年3月或2024-03-15）"),
        (2024.1, "“2024.1”分不清是1月还是10月，请写作2024-01或2024-10"),
        (2024.13, f"“2024.13”不是有效的日期（{DATE_HINT}）"),
        (60, f"“60”不是有效的日期（{DATE_HINT}）"),
        (0, f"“0”不是有效的日期（{DATE_HINT}）"),
        (3000000, f"“3000000”不是有效的日期（{DATE_HINT}）"),
        (1200, "“1200”按Excel日期是1903-04-14，不在1950—2100年之间，不像是项目日期"),
        (100000, "“100000”按Excel日期是2173-10-14，不在1950—2100年之间，不像是项目日期"),
        ("1900-01-01", "“1900-01-01”的年份不在1950—2100年之间，不像是项目日期"),
        (dt.date(1900, 1, 1), "“1900-01-01”的年份不在1950—2100年之间，不像是项目日期"),
        (dt.time(9, 30), f"“09:30:00”不是有效的日期（{DATE_HINT}）"),
        (dt.timedelta(days=3), f"“3 days, 0:00:00”不是有效的日期（{DATE_HINT}）"),
        (True, f"“TRUE”不是有效的日期（{DATE_HINT}）"),
    ],
)
def test_bad_dates_say_what_was_expected(raw: object, message: str) -> None:
    with pytest.raises(CellError) as caught:
        date_parse(raw)
    assert caught.value.message == message


# Whole numbers and years


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(12, 12), (12.0, 12), ("12", 12), ("１２", 12), ("1,200", 1200), (" -3 ", -3), (None, None)],
)
def test_int_parse(raw: object, expected: object) -> None:
    assert int_parse(raw) == expected


@pytest.mark.parametrize("raw", [12.5, "12.5", "十二", True, "12个"])
def test_bad_ints(raw: object) -> None:
    with pytest.raises(CellError, match="不是有效的整数"):
        int_parse(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2024, 2024),
        (2024.0, 2024),
        ("2024", 2024),
        ("2024年", 2024),
        ("２０２４年", 2024),
        (dt.date(2024, 3, 15), 2024),
        ("", None),
    ],
)
def test_year_parse(raw: object, expected: object) -> None:
    assert year_parse(raw) == expected


@pytest.mark.parametrize("raw", ["24", 1900, 2024.5, "二〇二四", "2024-03"])
def test_bad_years(raw: object) -> None:
    with pytest.raises(CellError, match="不是有效的年份"):
        year_parse(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-2026", (2024, 2026)),
        ("2024—2026", (2024, 2026)),
        ("2024～2026", (2024, 2026)),
        ("2024年至2026年", (2024, 2026)),
        ("2024年-2026年", (2024, 2026)),
        ("２０２４－２０２６", (2024, 2026)),
        (2025, (2025, 2025)),
        ("2025年", (2025, 2025)),
        (None, None),
    ],
)
def test_year_range_parse(raw: object, expected: object) -> None:
    assert year_range_parse(raw) == expected


@pytest.mark.parametrize(("raw", "match"), [("2026-2024", "起止年份"), ("三年", "年份")])
def test_bad_year_ranges(raw: object, match: str) -> None:
    with pytest.raises(CellError, match=match):
        year_range_parse(raw)


# Yes or no


@pytest.mark.parametrize(
    "raw", ["是", "Y", "y", "Yes", "TRUE", "true", "1", 1, 1.0, True, "√", "✓", "已验收", "Ｙ"]
)
def test_bool_true(raw: object) -> None:
    assert bool_parse(raw) is True


@pytest.mark.parametrize(
    "raw", ["否", "N", "no", "FALSE", "false", "0", 0, 0.0, False, "×", "x", "未验收", "无"]
)
def test_bool_false(raw: object) -> None:
    assert bool_parse(raw) is False


@pytest.mark.parametrize("raw", EMPTY)
def test_empty_bool_is_none(raw: object) -> None:
    assert bool_parse(raw) is None


@pytest.mark.parametrize("raw", ["也许", 2, "待定"])
def test_bad_bools(raw: object) -> None:
    with pytest.raises(CellError) as caught:
        bool_parse(raw)
    assert caught.value.message == f"“{raw}”不是有效的是/否值（应为：是、否、√、×、Y、N）"


# Choices


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("省重点", "provincial"),
        (" 市重点 ", "city"),
        ("city", "city"),
        ("CITY", "city"),
        ("County", "county"),
        ("", None),
        (None, None),
    ],
)
def test_choice_parse_by_label_or_value(raw: object, expected: object) -> None:
    assert choice_parse(raw, Tier.choices) == expected


def test_choice_parse_normalises_the_labels_too() -> None:
    choices = [("a", "甲（一）"), ("b", "乙")]
    assert choice_parse("甲(一)", choices) == "a"
    assert choice_parse("甲（一）", choices) == "a"


@pytest.mark.parametrize("raw", ["国家重点", "省级", "重点"])
def test_bad_choices_list_the_labels(raw: object) -> None:
    with pytest.raises(CellError) as caught:
        choice_parse(raw, Tier.choices)
    assert caught.value.message == f"“{raw}”不是有效的选项（应为：省重点、市重点、县重点）"
