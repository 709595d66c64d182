"""The six lists (六张清单): named, one-click views of the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cornerstone.projects.choices import Kind

StrOrPromise = str | Promise


@dataclass(frozen=True)
class SavedList:
    key: str
    label: StrOrPromise
    description: StrOrPromise
    condition: Callable[[dt.date], Q]


SIX_LISTS = [
    SavedList(
        "attract",
        _("招商清单"),
        _("处于谋划储备阶段、尚未签约落地的项目"),
        lambda today: Q(stage__order=1, signed_date__isnull=True, actual_start_date__isnull=True),
    ),
    SavedList(
        "start",
        _("开工清单"),
        _("新开工项目中尚未开工的"),
        lambda today: Q(kind=Kind.NEW_START, actual_start_date__isnull=True),
    ),
    SavedList(
        "build",
        _("在建清单"),
        _("已开工、尚未竣工的项目"),
        lambda today: Q(actual_start_date__isnull=False, actual_completion_date__isnull=True),
    ),
    SavedList(
        "produce",
        _("投产清单"),
        _("已开工、计划今年内（含逾期）投产而尚未投产的项目"),
        lambda today: Q(
            actual_start_date__isnull=False,
            actual_production_date__isnull=True,
            planned_production_date__lte=dt.date(today.year, 12, 31),
        ),
    ),
    SavedList(
        "capacity",
        _("达产清单"),
        _("已投产、尚未达产达效的项目"),
        lambda today: Q(actual_production_date__isnull=False, capacity_reached_date__isnull=True),
    ),
    SavedList(
        "renovate",
        _("技改清单"),
        _("技术改造项目"),
        lambda today: Q(kind=Kind.RENOVATION),
    ),
]
LISTS_BY_KEY = {saved.key: saved for saved in SIX_LISTS}
