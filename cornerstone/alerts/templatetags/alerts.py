"""Template helpers of the alerts pages: rule labels and light badges."""

from __future__ import annotations

from django import template

from cornerstone.alerts.choices import JustificationStatus, Light
from cornerstone.alerts.filters import RULE_LABELS

register = template.Library()
BADGES = {"red": "danger", "yellow": "warning", "green": "success"}


@register.filter
def rule_label(key: str) -> str:
    """The label of a rule key (开工, 投资进度…)."""
    return str(RULE_LABELS.get(key, key))


@register.filter
def light_badge(colour: str) -> str:
    """The Bootstrap colour of a light."""
    return BADGES.get(colour, "secondary")


@register.filter
def light_label(colour: str) -> str:
    """The label of a light colour (红灯…)."""
    return str(dict(Light.choices).get(colour, colour))


@register.filter
def justification_badge(status: str) -> str:
    """The Bootstrap colour of a justification's status."""
    return JustificationStatus.colour(status)
