"""Template helpers of the statistics pages: percentages and light badges."""

from __future__ import annotations

from decimal import Decimal

from django import template

from cornerstone.stats.kpi_display import format_percent

register = template.Library()


@register.filter
def percent(value: Decimal | None) -> str:
    """A rate as people read it: ``30.90%``; ``—`` without one."""
    return format_percent(value)
