"""One FilterSet for the ledger, shared by the list page, the API and exports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters as filters
from django import forms
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy, RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cornerstone.geo.codes import level_of, subtree_bounds
from cornerstone.projects.choices import Category, Kind, Tier
from cornerstone.projects.lists import LISTS_BY_KEY, SIX_LISTS
from cornerstone.projects.models import Project

THRESHOLDS = [
    ("5000", _("5000万元以上")),
    ("10000", _("1亿元以上")),
    ("100000", _("10亿元以上")),
]
TRIGRAM = 3
SQLITE_TEXT_SEARCH = (
    "SELECT rowid FROM projects_project_search WHERE projects_project_search MATCH %s"
)
SORTS = {
    "code": ("code",),
    "name": ("name", "id"),
    "region": ("region_id", "id"),
    "invest": ("total_investment", "id"),
    "start": ("planned_start_date", "id"),
    "stage": ("stage__order", "id"),
    "updated": ("updated_at", "id"),
}
SORT_CHOICES = [
    ("-invest", _("总投资从高到低")),
    ("invest", _("总投资从低到高")),
    ("code", _("项目代码")),
    ("name", _("项目名称")),
    ("region", _("所在区划")),
    ("start", _("计划开工日期")),
    ("-start", _("计划开工日期（倒序）")),
    ("stage", _("所处阶段")),
    ("-updated", _("最近更新")),
]
DEFAULT_SORT = "-invest"


class ProjectFilterSet(filters.FilterSet):
    """Filters of the ledger; every value arrives in the URL so a view can be shared."""

    q = filters.CharFilter(label=_("搜索"), method="filter_text")
    region = filters.CharFilter(label=_("区划"), method="filter_region")
    zone = filters.NumberFilter(label=_("园区"), field_name="zone_id")
    # distinct=False: these are plain columns, and DISTINCT over every column makes the
    # count and the page scan a subquery (5x slower on PostgreSQL at 100,000 projects).
    tier = filters.MultipleChoiceFilter(label=_("项目级别"), choices=Tier.choices, distinct=False)
    category = filters.MultipleChoiceFilter(
        label=_("项目类别"), choices=Category.choices, distinct=False
    )
    kind = filters.MultipleChoiceFilter(label=_("项目类型"), choices=Kind.choices, distinct=False)
    industry = filters.CharFilter(label=_("行业"), method="filter_industry")
    stage = filters.NumberFilter(label=_("所处阶段"), field_name="stage_id")
    threshold = filters.ChoiceFilter(
        label=_("投资规模"), choices=THRESHOLDS, method="filter_threshold"
    )
    min_investment = filters.NumberFilter(
        label=_("总投资不低于（万元）"), field_name="total_investment", lookup_expr="gte"
    )
    max_investment = filters.NumberFilter(
        label=_("总投资不高于（万元）"), field_name="total_investment", lookup_expr="lte"
    )
    list = filters.ChoiceFilter(
        label=_("清单"),
        choices=[(saved.key, saved.label) for saved in SIX_LISTS],
        method="filter_list",
    )
    sort = filters.ChoiceFilter(
        label=_("排序"), choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        self.form.fields["min_investment"].widget = forms.NumberInput(
            attrs={"min": 0, "step": "any"}
        )
        self.form.fields["max_investment"].widget = forms.NumberInput(
            attrs={"min": 0, "step": "any"}
        )

    @property
    def qs(self) -> QuerySet[Project]:
        queryset = super().qs
        # The sort filter only runs when given; the default order applies otherwise. An
        # unbound filter set (no query at all) has no cleaned data.
        if not getattr(self.form, "cleaned_data", {}).get("sort"):
            queryset = self.filter_sort(queryset, "sort", DEFAULT_SORT)
        return queryset

    def filter_text(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        value = value.strip()
        if not value:
            return queryset
        if connections[queryset.db].vendor == "sqlite" and len(value) >= TRIGRAM:
            # The FTS5 trigram index of migration 0003 finds the same substrings without
            # reading every row; shorter terms have no trigram and fall back to LIKE.
            phrase = '"' + value.replace('"', '""') + '"'
            # A constant statement; the term is a bound parameter.
            return queryset.filter(pk__in=RawSQL(SQLITE_TEXT_SEARCH, [phrase]))  # noqa: S611
        return queryset.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(owner_org__icontains=value)
        )

    def filter_region(
        self, queryset: QuerySet[Project], name: str, value: str
    ) -> QuerySet[Project]:
        try:
            level_of(value)
        except ValueError:
            # An unknown code selects nothing rather than everything.
            return queryset.none()
        low, high = subtree_bounds(value)
        return queryset.filter(region_id__gte=low, region_id__lt=high)

    def filter_industry(
        self, queryset: QuerySet[Project], name: str, value: str
    ) -> QuerySet[Project]:
        value = value.strip().upper()
        if len(value) == 1 and value.isalpha():
            # A section: its divisions, and projects filed under the section itself.
            return queryset.filter(Q(industry__parent_id=value) | Q(industry_id=value))
        return queryset.filter(industry_id=value)

    def filter_threshold(
        self, queryset: QuerySet[Project], name: str, value: str
    ) -> QuerySet[Project]:
        return queryset.filter(total_investment__gte=Decimal(value))

    def filter_list(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return queryset.filter(LISTS_BY_KEY[value].condition(timezone.localdate()))

    def filter_sort(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        descending = value.startswith("-")
        columns = SORTS.get(value.lstrip("-"), SORTS["invest"])
        return queryset.order_by(*(_order(c, descending) for c in columns))


def _order(column: str, descending: bool) -> str | OrderBy:
    """One ORDER BY term; projects without a value come last whichever the direction.

    SQLite and PostgreSQL disagree on where NULLs sort, so a nullable column says it.
    Non-null columns keep the plain form, which the (…, id) indexes serve.
    """
    field = Project._meta.get_field(column) if "__" not in column else None
    if getattr(field, "null", False):
        expression = F(column)
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return f"-{column}" if descending else column
