"""KPI values as people read them: 30.90%, 5.90个百分点, 1,015.00万元, — for no value."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext

from cornerstone.core.money import format_wan, group_digits
from cornerstone.stats.kpis import PERCENT_PLACES, Kpi, Value

NO_VALUE = "—"


def format_percent(value: Decimal | None, places: int = PERCENT_PLACES) -> str:
    """A percentage with a fixed number of decimals: ``30.90%``; ``—`` without a value."""
    return NO_VALUE if value is None else f"{group_digits(value, places)}%"


def format_points(value: Decimal | None) -> str:
    """Percentage points, signed: ``5.90个百分点``, ``-3.10个百分点``."""
    if value is None:
        return NO_VALUE
    return gettext("%(points)s个百分点") % {"points": group_digits(value, PERCENT_PLACES)}


def format_kpi(kpi: Kpi, value: Value) -> str:
    """One KPI value in its unit; ``—`` when it has none (a zero denominator)."""
    if value is None:
        return NO_VALUE
    if kpi.unit == "count":
        return f"{value:,}"
    if kpi.unit == "wan":
        return format_wan(Decimal(value))
    if kpi.unit == "points":
        return format_points(Decimal(value))
    return format_percent(Decimal(value))


def gap_sentence(gap: Decimal | None) -> str:
    """The time-progress gap as bulletins write it: 超过时间进度5.90个百分点 / 落后… / 持平."""
    if gap is None:
        return NO_VALUE
    points = group_digits(abs(gap), PERCENT_PLACES)
    if gap > 0:
        return gettext("超过时间进度%(points)s个百分点") % {"points": points}
    if gap < 0:
        return gettext("落后时间进度%(points)s个百分点") % {"points": points}
    return gettext("与时间进度持平")
