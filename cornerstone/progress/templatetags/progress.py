"""Template helpers of the progress pages."""

from __future__ import annotations

from django import template

from cornerstone.progress.choices import CycleStatus, ReportStatus

register = template.Library()


@register.filter
def progress_badge(status: str) -> str:
    """The Bootstrap colour of a report status."""
    return ReportStatus.colour(status)


@register.filter
def cycle_badge(status: str) -> str:
    """The Bootstrap colour of a cycle status."""
    return CycleStatus.colour(status)
