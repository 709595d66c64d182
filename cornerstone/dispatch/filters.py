"""FilterSets of meetings and briefings, shared by the list pages and the API."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cornerstone.dispatch.choices import BriefingStatus, MeetingStatus
from cornerstone.dispatch.models import Briefing, DispatchMeeting
from cornerstone.geo.codes import level_of, subtree_bounds


def _in_region(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """Records of a region and the regions below it (a bad code matches nothing)."""
    if not value:
        return queryset
    try:
        level_of(value)
    except ValueError:
        return queryset.none()
    low, high = subtree_bounds(value)
    return queryset.filter(Q(region_id__gte=low, region_id__lt=high))


class MeetingFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(label=_("状态"), choices=MeetingStatus.choices)
    region = filters.CharFilter(label=_("区划代码"), method=_in_region)
    date_from = filters.DateFilter(label=_("会议日期起"), field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(label=_("会议日期止"), field_name="date", lookup_expr="lte")
    q = filters.CharFilter(label=_("会议名称"), field_name="title", lookup_expr="icontains")
    sort = filters.OrderingFilter(
        label=_("排序"),
        fields=(("date", "date"), ("title", "title"), ("created_at", "created")),
        field_labels={"date": _("会议日期"), "title": _("会议名称"), "created_at": _("创建时间")},
    )

    class Meta:
        model = DispatchMeeting
        fields: list[str] = []


class BriefingFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(label=_("状态"), choices=BriefingStatus.choices)
    region = filters.CharFilter(label=_("区划代码"), method=_in_region)
    year = filters.NumberFilter(label=_("年度"))
    month = filters.NumberFilter(label=_("月份"))
    sort = filters.OrderingFilter(
        label=_("排序"),
        fields=(("created_at", "created"), ("year", "year"), ("month", "month")),
        field_labels={"created_at": _("创建时间"), "year": _("年度"), "month": _("月份")},
    )

    class Meta:
        model = Briefing
        fields: list[str] = []
