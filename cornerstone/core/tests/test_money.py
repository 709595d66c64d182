"""Money in 万元: parsing what people type and showing it back (pure)."""

from decimal import Decimal

import pytest
from django.utils import translation

from cornerstone.core.money import format_money, format_wan, format_yi_short, parse_wan


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8500", "8500.00"),
        ("1,234.5", "1234.50"),
        ("1，234.5", "1234.50"),
        (" 12 ", "12.00"),
        ("800万", "800.00"),
        ("800万元", "800.00"),
        ("1.5亿", "15000.00"),
        ("1.5 亿元", "15000.00"),
        ("0.005", "0.01"),  # half up, not banker's rounding
        ("0.015", "0.02"),
        ("-3", "-3.00"),  # the sign is the model's business, not the parser's
        ("1e3", "1000.00"),
        (5, "5.00"),
        (0.1, "0.10"),
        (Decimal("1.005"), "1.01"),
        (Decimal("7"), "7.00"),
    ],
)
def test_amounts_are_parsed_to_cents_in_wan(raw, expected):
    value = parse_wan(raw)
    assert value == Decimal(expected)
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_an_empty_amount_is_none(raw):
    assert parse_wan(raw) is None


@pytest.mark.parametrize(
    "raw", ["abc", "12万亿", "亿", "NaN", "Infinity", "-inf", Decimal("NaN"), float("inf"), "1.2.3"]
)
def test_anything_that_is_not_a_finite_amount_is_refused_naming_the_input(raw):
    with pytest.raises(ValueError, match="不是有效的金额") as excinfo:
        parse_wan(raw)
    assert str(raw) in str(excinfo.value)


def test_wan_is_shown_with_separators_and_two_places():
    assert format_wan(Decimal("8500")) == "8,500.00万元"
    assert format_wan(Decimal("1234567.891")) == "1,234,567.89万元"
    assert format_wan(Decimal("-12.5")) == "-12.50万元"
    assert format_wan(None) == ""


def test_money_adds_the_yi_figure_from_one_yi_upwards():
    assert format_money(Decimal("9999.99")) == "9,999.99万元"
    assert format_money(Decimal("10000")) == "1.00亿元（10,000.00万元）"
    assert format_money(Decimal("150000")) == "15.00亿元（150,000.00万元）"
    assert format_money(Decimal("-20000")) == "-2.00亿元（-20,000.00万元）"
    assert format_money(None) == ""


def test_the_short_form_switches_to_yi_at_one_yi():
    assert format_yi_short(Decimal("8000")) == "8,000万"
    assert format_yi_short(Decimal("8000.5")) == "8,001万"
    assert format_yi_short(Decimal("12345")) == "1.23亿"
    assert format_yi_short(Decimal("0")) == "0万"
    assert format_yi_short(None) == ""


@pytest.mark.parametrize(
    ("value", "wan", "money", "short"),
    [
        ("8500", "CNY 85.00m", "CNY 85.00m", "85.00m"),
        ("150000", "CNY 1.50bn", "CNY 1.50bn", "1.50bn"),
        ("12345.67", "CNY 123.46m", "CNY 123.46m", "123.46m"),
    ],
)
def test_english_readers_get_millions_and_billions_of_yuan(value, wan, money, short):
    with translation.override("en"):
        assert format_wan(Decimal(value)) == wan
        assert format_money(Decimal(value)) == money
        assert format_yi_short(Decimal(value)) == short
