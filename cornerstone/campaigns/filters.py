"""The campaign list's filters, shared by the list page and the API."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cornerstone.campaigns.choices import CampaignKind, CampaignStatus
from cornerstone.campaigns.models import Campaign
from cornerstone.geo.codes import level_of, subtree_bounds


def _in_region(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """Campaigns organised in a region or below it (a bad code matches nothing)."""
    if not value:
        return queryset
    try:
        level_of(value)
    except ValueError:
        return queryset.none()
    low, high = subtree_bounds(value)
    return queryset.filter(Q(region_id__gte=low, region_id__lt=high))


class CampaignFilterSet(filters.FilterSet):
    year = filters.NumberFilter(label=_("年度"), field_name="date", lookup_expr="year")
    kind = filters.ChoiceFilter(label=_("活动类型"), choices=CampaignKind.choices)
    status = filters.ChoiceFilter(label=_("状态"), choices=CampaignStatus.choices)
    region = filters.CharFilter(label=_("组织区划代码（含下级）"), method=_in_region)
    q = filters.CharFilter(label=_("活动名称"), field_name="name", lookup_expr="icontains")
    sort = filters.OrderingFilter(
        label=_("排序"),
        fields=(("date", "date"), ("name", "name"), ("entry_count", "projects")),
        field_labels={"date": _("活动日期"), "name": _("活动名称"), "entry_count": _("项目数")},
    )

    class Meta:
        model = Campaign
        fields: list[str] = []
