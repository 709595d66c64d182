"""Splitting an annual plan into months: exact to the cent, weighted toward construction."""

import datetime as dt
from decimal import Decimal

import pytest

from cornerstone.plans.splitting import (
    construction_weights,
    split_by_weights,
    split_even,
    split_weighted,
)

D = Decimal


def test_even_split_adds_up_exactly_and_puts_the_odd_cents_first():
    months = split_even(D("100.00"))
    assert sum(months) == D("100.00")
    assert months[:4] == [D("8.34")] * 4
    assert months[4:] == [D("8.33")] * 8


@pytest.mark.parametrize("total", ["0.00", "0.01", "0.11", "1000000.07", "99999999.99"])
def test_every_even_split_sums_to_its_total(total):
    months = split_even(D(total))
    assert sum(months) == D(total)
    assert max(months) - min(months) <= D("0.01")


def test_weights_outside_the_construction_period_get_nothing():
    # Work starts in April 2026 and finishes in September: nothing planned in other months.
    weights = construction_weights(2026, dt.date(2026, 4, 10), dt.date(2026, 9, 30))
    assert weights == [D(0)] * 3 + [D(1)] * 6 + [D(0)] * 3
    months = split_weighted(
        D("600.00"), year=2026, start=dt.date(2026, 4, 10), finish=dt.date(2026, 9, 30)
    )
    assert months == [D(0)] * 3 + [D("100.00")] * 6 + [D(0)] * 3


def test_winter_months_count_half_in_a_whole_year_of_work():
    weights = construction_weights(2026, dt.date(2025, 5, 1), None)
    assert weights[0] == weights[1] == weights[11] == D("0.5")
    assert weights[2:11] == [D(1)] * 9
    months = split_weighted(D("1050.00"), year=2026, start=dt.date(2025, 5, 1), finish=None)
    # 10.5 shares of 100: winter months get 50, the others 100.
    assert months[0] == D("50.00") and months[5] == D("100.00")
    assert sum(months) == D("1050.00")


def test_a_year_outside_the_period_falls_back_to_even_weights():
    assert construction_weights(2030, dt.date(2026, 1, 1), dt.date(2027, 6, 30)) == [D(1)] * 12


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="negative"):
        split_even(D("-1"))
    with pytest.raises(ValueError, match="two decimal"):
        split_even(D("1.005"))
    with pytest.raises(ValueError, match="positive"):
        split_by_weights(D("1"), [D(0), D(0)])
