"""FilterSets of the problem and supervision-order lists, shared by the pages, API and export."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cornerstone.geo.codes import level_of, subtree_bounds
from cornerstone.problems.choices import (
    EscalationLevel,
    LetterKind,
    ProblemCategory,
    ProblemStatus,
    Recipient,
    SupervisionStatus,
)
from cornerstone.problems.models import Problem, SupervisionOrder

PROBLEM_SORTS = {
    "deadline": ("deadline", "id"),
    "created": ("created_at", "id"),
    "level": ("escalation_level", "deadline", "id"),
    "project": ("project__name", "id"),
    "status": ("status", "deadline", "id"),
}
PROBLEM_SORT_CHOICES = [
    ("deadline", _("办结时限（最早在前）")),
    ("-deadline", _("办结时限（最晚在前）")),
    ("-level", _("督办级别（最高在前）")),
    ("-created", _("最近提出")),
    ("created", _("最早提出")),
    ("project", _("项目名称")),
    ("status", _("状态")),
]
DEFAULT_PROBLEM_SORT = "deadline"
ORDER_SORTS = {
    "issued": ("issued_at", "id"),
    "deadline": ("response_deadline", "id"),
    "number": ("issuing_region_id", "year", "serial"),
}
ORDER_SORT_CHOICES = [
    ("-issued", _("最近下发")),
    ("deadline", _("反馈时限（最早在前）")),
    ("number", _("文号")),
]
DEFAULT_ORDER_SORT = "-issued"
YES = [("1", _("是"))]


def _sorted(
    queryset: QuerySet[Any], sorts: dict[str, tuple[str, ...]], value: str
) -> QuerySet[Any]:
    descending = value.startswith("-")
    columns = sorts[value.lstrip("-")]
    return queryset.order_by(*(f"-{c}" if descending else c for c in columns))


def _in_region(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    try:
        level_of(value)
    except ValueError:
        return queryset.none()  # an unknown code selects nothing rather than everything
    low, high = subtree_bounds(value)
    return queryset.filter(project__region_id__gte=low, project__region_id__lt=high)


class ProblemFilterSet(filters.FilterSet):
    """Filters of 问题清单; every value arrives in the URL so a view can be shared."""

    q = filters.CharFilter(label=_("搜索"), method="filter_text")
    status = filters.MultipleChoiceFilter(
        label=_("状态"), choices=ProblemStatus.choices, distinct=False
    )
    category = filters.MultipleChoiceFilter(
        label=_("问题类别"), choices=ProblemCategory.choices, distinct=False
    )
    level = filters.MultipleChoiceFilter(
        label=_("督办级别"),
        field_name="escalation_level",
        choices=[(str(v), label) for v, label in EscalationLevel.choices],
        distinct=False,
    )
    department = filters.NumberFilter(label=_("责任单位"), field_name="department_id")
    person = filters.CharFilter(label=_("责任人"), field_name="person", lookup_expr="icontains")
    region = filters.CharFilter(label=_("区划"), method="filter_region")
    project = filters.NumberFilter(label=_("项目"), field_name="project_id")
    overdue = filters.ChoiceFilter(label=_("仅逾期"), choices=YES, method="filter_overdue")
    sort = filters.ChoiceFilter(
        label=_("排序"), choices=PROBLEM_SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Problem
        fields: list[str] = []

    @property
    def qs(self) -> QuerySet[Problem]:
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("sort"):
            queryset = self.filter_sort(queryset, "sort", DEFAULT_PROBLEM_SORT)
        return queryset

    def filter_text(self, queryset: QuerySet[Problem], name: str, value: str) -> QuerySet[Problem]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(description__icontains=value)
            | Q(project__name__icontains=value)
            | Q(project__code__icontains=value)
        )

    def filter_region(
        self, queryset: QuerySet[Problem], name: str, value: str
    ) -> QuerySet[Problem]:
        return _in_region(queryset, value)

    def filter_overdue(
        self, queryset: QuerySet[Problem], name: str, value: str
    ) -> QuerySet[Problem]:
        return queryset.filter(
            status__in=[ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS],
            deadline__lt=timezone.localdate(),
        )

    def filter_sort(self, queryset: QuerySet[Problem], name: str, value: str) -> QuerySet[Problem]:
        return _sorted(queryset, PROBLEM_SORTS, value)


class OrderFilterSet(filters.FilterSet):
    """Filters of the 督办单 list."""

    q = filters.CharFilter(label=_("搜索"), method="filter_text")
    status = filters.MultipleChoiceFilter(
        label=_("状态"), choices=SupervisionStatus.choices, distinct=False
    )
    kind = filters.ChoiceFilter(label=_("函件类型"), choices=LetterKind.choices)
    recipient = filters.ChoiceFilter(label=_("督办对象"), choices=Recipient.choices)
    department = filters.NumberFilter(label=_("责任单位"), field_name="department_id")
    region = filters.CharFilter(label=_("区划"), method="filter_region")
    project = filters.NumberFilter(label=_("项目"), field_name="project_id")
    overdue = filters.ChoiceFilter(label=_("仅超期未反馈"), choices=YES, method="filter_overdue")
    sort = filters.ChoiceFilter(
        label=_("排序"), choices=ORDER_SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = SupervisionOrder
        fields: list[str] = []

    @property
    def qs(self) -> QuerySet[SupervisionOrder]:
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("sort"):
            queryset = self.filter_sort(queryset, "sort", DEFAULT_ORDER_SORT)
        return queryset

    def filter_text(
        self, queryset: QuerySet[SupervisionOrder], name: str, value: str
    ) -> QuerySet[SupervisionOrder]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(number__icontains=value)
            | Q(project__name__icontains=value)
        )

    def filter_region(
        self, queryset: QuerySet[SupervisionOrder], name: str, value: str
    ) -> QuerySet[SupervisionOrder]:
        return _in_region(queryset, value)

    def filter_overdue(
        self, queryset: QuerySet[SupervisionOrder], name: str, value: str
    ) -> QuerySet[SupervisionOrder]:
        return queryset.filter(
            status=SupervisionStatus.ISSUED, response_deadline__lt=timezone.localdate()
        )

    def filter_sort(
        self, queryset: QuerySet[SupervisionOrder], name: str, value: str
    ) -> QuerySet[SupervisionOrder]:
        return _sorted(queryset, ORDER_SORTS, value)
