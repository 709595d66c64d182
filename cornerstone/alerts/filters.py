"""One FilterSet for the list of lights, shared by the overview page and the API."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cornerstone.alerts.choices import Light
from cornerstone.alerts.models import ProjectLight
from cornerstone.alerts.rules import PROJECT_RULES
from cornerstone.geo.codes import level_of, subtree_bounds
from cornerstone.projects.choices import Tier

RULE_LABELS = {
    "start": _("开工"),
    "progress": _("投资进度"),
    "inclusion": _("入库纳统"),
    "milestone": _("节点"),
    "reports": _("进度报送"),
    "problems": _("督办问题"),
    "region_task": _("月度任务"),
    "region_growth": _("投资增速"),
}
SORTS = {
    "colour": ("-colour_rank", "project__region_id", "project_id"),
    "region": ("project__region_id", "project_id"),
    "name": ("project__name", "project_id"),
    "invest": ("-project__total_investment", "project_id"),
}


class LightFilterSet(filters.FilterSet):
    """Filters of a month's lights: colour, tier, region (and below), rule that fired."""

    colour = filters.ChoiceFilter(label=_("灯色"), choices=Light.choices)
    tier = filters.ChoiceFilter(
        label=_("项目级别"), field_name="project__tier", choices=Tier.choices
    )
    region = filters.CharFilter(label=_("区划"), method="filter_region")
    rule = filters.ChoiceFilter(
        label=_("规则"),
        choices=[(k, RULE_LABELS[k]) for k in PROJECT_RULES],
        method="filter_rule",
    )

    class Meta:
        model = ProjectLight
        fields: list[str] = []

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        try:
            level_of(value)
        except ValueError:
            return queryset.none()
        low, high = subtree_bounds(value)
        return queryset.filter(project__region_id__gte=low, project__region_id__lt=high)

    def filter_rule(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        # The reasons are JSON; a text match on the rule key is portable across engines.
        return queryset.filter(Q(reasons__icontains=f'"rule": "{value}"') & ~Q(colour=Light.GREEN))
