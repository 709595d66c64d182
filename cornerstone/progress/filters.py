"""Filters of a cycle's report list, shared by the page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from cornerstone.progress.choices import ReportStatus
from cornerstone.progress.models import ProgressReport
from cornerstone.progress.queries import LATE, MISSING

STATUS_CHOICES = [
    *ReportStatus.choices,
    (MISSING, _("逾期未报")),
    (LATE, _("逾期提交")),
]


class CycleReportFilter(django_filters.FilterSet):
    """Status (or missing / late) and region; the query applies them within the actor's scope."""

    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=STATUS_CHOICES, method="noop", empty_label=_("全部")
    )
    region = django_filters.CharFilter(label=_("区划"), method="noop", max_length=6)

    class Meta:
        model = ProgressReport
        fields: list[str] = []

    def noop(self, queryset: Any, name: str, value: Any) -> Any:
        # cycle_reports applies both (missing needs the deadline, region the scope).
        return queryset

    def clean_values(self) -> tuple[str, str]:
        """The validated status and region code ('' when not given)."""
        data = self.form.cleaned_data
        return data.get("status") or "", (data.get("region") or "").strip()
