"""Splitting an annual plan into twelve months, exactly, in hundredths of 万元.

Pure arithmetic: no database. Amounts are ``Decimal`` with two places; the months of a
split always add up to the annual figure to the cent, because the split is done in
whole hundredths and the leftover hundredths go to the months with the largest
remainders (largest-remainder apportionment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")
# Northern construction slows in the frost months; they count half in a weighted split.
WINTER_MONTHS = frozenset({12, 1, 2})
WINTER_WEIGHT = Decimal("0.5")


def split_by_weights(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Apportion ``total`` over ``weights`` in hundredths so that the parts sum exactly."""
    if total < 0:
        raise ValueError("total must not be negative")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        raise ValueError("at least one weight must be positive")
    cents = int((total / CENT).to_integral_value(rounding=ROUND_DOWN))
    if Decimal(cents) * CENT != total:
        raise ValueError("total must have at most two decimal places")
    shares = [Decimal(cents) * w / weight_sum for w in weights]
    floors = [int(s.to_integral_value(rounding=ROUND_DOWN)) for s in shares]
    leftover = cents - sum(floors)
    # Earliest month first among equal remainders, so the split is deterministic.
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in by_remainder[:leftover]:
        floors[i] += 1
    return [Decimal(c) * CENT for c in floors]


def split_even(total: Decimal) -> list[Decimal]:
    """Twelve equal months (to the cent)."""
    return split_by_weights(total, [Decimal(1)] * 12)


def construction_weights(year: int, start: dt.date | None, finish: dt.date | None) -> list[Decimal]:
    """Month weights for a year: 1 inside the construction period, 0.5 in winter, 0 outside.

    A missing start means the work began before the year; a missing finish, that it
    goes on past it. A year wholly outside the period gets even weights.
    """
    first = 1 if start is None or start.year < year else (start.month if start.year == year else 13)
    last = (
        12 if finish is None or finish.year > year else (finish.month if finish.year == year else 0)
    )
    weights = [
        (WINTER_WEIGHT if month in WINTER_MONTHS else Decimal(1))
        if first <= month <= last
        else Decimal(0)
        for month in range(1, 13)
    ]
    if not any(weights):
        return [Decimal(1)] * 12
    return weights


def split_weighted(
    total: Decimal, *, year: int, start: dt.date | None, finish: dt.date | None
) -> list[Decimal]:
    """Twelve months weighted toward the construction months of the year."""
    return split_by_weights(total, construction_weights(year, start, finish))


def months_total(months: Sequence[Decimal]) -> Decimal:
    """The exact sum of monthly amounts."""
    return sum(months, Decimal(0))
