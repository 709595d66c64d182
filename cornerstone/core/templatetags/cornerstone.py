"""Template filters for the formats a person reads: money in 万元/亿元, Chinese dates."""

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils import formats

from cornerstone.core import money

register = template.Library()


@register.filter
def wan(value: Decimal | None) -> str:
    """Render an amount in 万元."""
    return money.format_wan(value)


@register.filter
def yuan(value: Decimal | None) -> str:
    """Render an amount in 万元 with 亿元 where large."""
    return money.format_money(value)


@register.filter
def yi_short(value: Decimal | None) -> str:
    """Render an amount compactly for a table cell."""
    return money.format_yi_short(value)


@register.filter
def thousands(value: int | None) -> str:
    """Render a count with thousands separators (12,345)."""
    if value is None:
        return ""
    return f"{value:,}"


@register.filter
def cn_date(value: dt.date | None) -> str:
    """Render a date as 2024年3月15日 (March 15, 2024 in English)."""
    if not value:
        return ""
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def cn_month(value: dt.date | None) -> str:
    """Render a date's month as 2024年3月 (March 2024 in English)."""
    if not value:
        return ""
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """Return the current query string with some parameters replaced (for links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(list(params.lists()), doseq=True)


@register.filter
def elided_pages(paginator: Any, number: int) -> Any:
    """Page numbers around the current one, with ellipses (1 … 4 5 6 … 20)."""
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.filter
def amount(value: Decimal | None) -> str:
    """Render an amount with separators and no unit, for tables headed with their unit."""
    if value is None:
        return ""
    return money.group_digits(value)
