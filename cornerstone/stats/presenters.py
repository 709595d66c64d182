"""What the statistics pages and exports show of a dashboard: links, rows, chart data.

Everything is derived from a ``Dashboard`` (and its filters), so the pages, the workbooks
and the API say the same thing about the same figures; the only reads are the regions
above the one shown, for the breadcrumb.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cornerstone.projects.choices import Category, Kind, Tier
from cornerstone.projects.filters import THRESHOLDS
from cornerstone.stats.cube import EVENT_METRICS
from cornerstone.stats.filters import StatsFilter
from cornerstone.stats.kpi_display import gap_sentence

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from cornerstone.stats.queries import Dashboard, KpiFigure, Row, StatsScope

# What each event count is called where a page or workbook names it.
METRIC_LABELS: dict[str, StrOrPromise] = {
    "planned_starts": gettext_lazy("计划新开工"),
    "planned_starts_due": gettext_lazy("截至本月应开工"),
    "started": gettext_lazy("计划新开工中已开工"),
    "started_early": gettext_lazy("提前开工"),
    "started_on_time": gettext_lazy("按期开工"),
    "started_late": gettext_lazy("未按计划开工"),
    "not_started_due": gettext_lazy("到期未开工"),
    "new_starts": gettext_lazy("新开工"),
    "projects_started": gettext_lazy("已开工"),
    "continuing": gettext_lazy("续建"),
    "resumed": gettext_lazy("续建复工"),
    "under_construction": gettext_lazy("在建"),
    "planned_completions": gettext_lazy("计划竣工"),
    "completed": gettext_lazy("计划竣工中已竣工"),
    "completed_ever": gettext_lazy("已竣工"),
    "planned_productions": gettext_lazy("计划投产"),
    "in_production": gettext_lazy("计划投产中已投产"),
    "put_into_production": gettext_lazy("本年建成投产"),
    "production_ever": gettext_lazy("已投产"),
    "capacity_due": gettext_lazy("应达产达效"),
    "capacity_reached": gettext_lazy("已达产达效"),
    "reserve_projects": gettext_lazy("储备项目"),
    "reserve_started": gettext_lazy("储备项目已开工"),
}
# The event counts of a breakdown table, in column order.
ROW_EVENTS = ("planned_starts", "started", "under_construction", "completed", "put_into_production")
# Counts that belong to the year asked for (the rest are stocks: what exists at its end).
YEAR_EVENTS = tuple(
    name
    for name, metric in EVENT_METRICS.items()
    if metric.plan in ("year", "due", "year_mark") or metric.actual == "in_period"
)
BY_LABELS: dict[str, StrOrPromise] = {
    "region": gettext_lazy("区划"),
    "zone": gettext_lazy("园区"),
    "industry": gettext_lazy("行业门类"),
    "tier": gettext_lazy("项目级别"),
    "category": gettext_lazy("项目类别"),
    "kind": gettext_lazy("项目类型"),
}
CHOICES = {"tier": Tier, "category": Category, "kind": Kind}
assert set(METRIC_LABELS) == set(EVENT_METRICS), "every event count needs a label"


def url(name: str, params: dict[str, str] | None = None) -> str:
    """A page's address with a query string (empty values left out)."""
    query = urlencode({k: v for k, v in (params or {}).items() if v not in ("", None)})
    return reverse(name) + (f"?{query}" if query else "")


def ledger_params(filters: StatsFilter) -> dict[str, str]:
    """The ledger's parameters selecting the same projects as the statistics filters."""
    out = {
        "region": filters.region,
        "tier": filters.tier,
        "category": filters.category,
        "kind": filters.kind,
        "threshold": filters.threshold,
        "industry": filters.section,
    }
    if filters.zone is not None:
        out["zone"] = str(filters.zone)
    return {k: v for k, v in out.items() if v}


def drill_url(filters: StatsFilter, metric: str) -> str:
    """The list of exactly the projects behind one event count."""
    return url("stats:projects", {"metric": metric, **filters.query()})


def year_has_data(dashboard: Dashboard) -> bool:
    """Whether the year asked for has any figure: money by month, a dated event or a light."""
    if dashboard.empty:
        return False
    year = dashboard.filters.year
    cube = dashboard.cube
    if any(any(v) for (y, __m), v in cube.series.items() if y == year):
        return True
    if any(cube.event_total(name) for name in YEAR_EVENTS):
        return True
    return any(dashboard.lights.values())


def period_caption(filters: StatsFilter) -> str:
    """``2026年1—10月`` (``2026年1月`` for January)."""
    if filters.month == 1:
        return _("%(year)s年1月") % {"year": filters.year}
    return _("%(year)s年1—%(month)s月") % {"year": filters.year, "month": filters.month}


def scope_caption(scope: StatsScope) -> str:
    """Where the figures are from: the region, or the owner's own projects."""
    if scope.owner is not None:
        return _("本单位项目")
    return scope.region.full_name if scope.region else _("全国")


def filters_caption(dashboard: Dashboard) -> str:
    """The period, scope and every class filter in words, for titles and workbooks."""
    return drill_caption(dashboard.filters, dashboard.scope)


def drill_caption(filters: StatsFilter, scope: StatsScope) -> str:
    """The same words from the filters and scope alone (the drill-down page)."""
    parts = [period_caption(filters), scope_caption(scope)]
    for name, choices in CHOICES.items():
        value = getattr(filters, name)
        if value:
            parts.append(str(dict(choices.choices).get(value, value)))
    if filters.threshold:
        parts.append(str(dict(THRESHOLDS).get(filters.threshold, filters.threshold)))
    if filters.section:
        parts.append(_("行业门类%(section)s") % {"section": filters.section})
    if filters.zone is not None:
        parts.append(_("园区%(zone)s") % {"zone": filters.zone})
    return " · ".join(parts)


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class RowView:
    """A breakdown row with its links: deeper (name), to the ledger (count), to drill-downs."""

    row: Row
    drill: str
    ledger: str
    events: list[tuple[int, str]]

    @property
    def red(self) -> int:
        return self.row.lights.get("red", 0)


def row_filters(dashboard: Dashboard, row: Row) -> StatsFilter | None:
    """The filters that select one row's projects; None when no filter can (未填行业)."""
    filters, by = dashboard.filters, dashboard.by
    if not row.key:
        return None
    if by == "region" and dashboard.scope.zones:
        return dataclasses.replace(filters, zone=int(row.key))
    if by == "region":
        return dataclasses.replace(filters, region=row.key.ljust(6, "0"))
    if by == "industry":
        return dataclasses.replace(filters, section=row.key)
    if by == "tier":
        return dataclasses.replace(filters, tier=row.key)
    if by == "category":
        return dataclasses.replace(filters, category=row.key)
    return dataclasses.replace(filters, kind=row.key)


def _events(filters: StatsFilter | None, events: dict[str, int]) -> list[tuple[int, str]]:
    return [
        (events.get(name, 0), drill_url(filters, name) if filters else "") for name in ROW_EVENTS
    ]


def row_views(dashboard: Dashboard, *, page: str) -> list[RowView]:
    """Each breakdown row with its links; ``page`` is where a region row drills to."""
    owner = dashboard.scope.owner is not None
    out = []
    for row in dashboard.rows:
        filters = row_filters(dashboard, row)
        drill = ""
        if filters is not None and not owner:
            # A county's zones are the bottom: their name opens the ledger instead.
            deeper = not (dashboard.by == "region" and dashboard.scope.zones)
            target = page if dashboard.by == "region" else "stats:regions"
            drill = url(target, filters.query()) if deeper else ""
        ledger = url("projects:list", ledger_params(filters)) if filters is not None else ""
        out.append(RowView(row, drill, ledger, _events(filters, row.events)))
    return out


def total_row(dashboard: Dashboard) -> RowView:
    """The scope's own figures, which the rows above add up to."""
    from cornerstone.stats.queries import Row

    cube = dashboard.cube
    row = Row(
        "",
        _("合计"),
        cube.total(),
        {name: cube.event_total(name) for name in EVENT_METRICS},
        cube.light_total(),
    )
    filters = dashboard.filters
    return RowView(
        row, "", url("projects:list", ledger_params(filters)), _events(filters, row.events)
    )


def event_headers() -> list[str]:
    return [str(METRIC_LABELS[name]) for name in ROW_EVENTS]


# --------------------------------------------------------------------------- charts

SeriesRow = tuple[int, Decimal | None, Decimal, Decimal, Decimal]


def _number(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def series_rows(dashboard: Dashboard) -> list[SeriesRow]:
    """Per month: this year's cumulative completed (none after the month asked), planned,
    and last year's two."""
    last = dashboard.filters.month
    return [
        (month, done if month <= last else None, planned, done_last, planned_last)
        for month, done, planned, done_last, planned_last in dashboard.series
    ]


def series_chart(dashboard: Dashboard) -> dict[str, Any]:
    """The cumulative completed-vs-plan line chart, this year and last (万元)."""
    year = dashboard.filters.year
    rows = series_rows(dashboard)
    names = [
        _("%(year)s年累计完成") % {"year": year},
        _("%(year)s年累计计划") % {"year": year},
        _("%(year)s年累计完成") % {"year": year - 1},
        _("%(year)s年累计计划") % {"year": year - 1},
    ]
    return {
        "type": "line",
        "unit": _("万元"),
        "categories": [_("%(m)s月") % {"m": row[0]} for row in rows],
        "series": [
            {"name": name, "data": [_number(row[i + 1]) for row in rows], "dashed": i % 2 == 1}
            for i, name in enumerate(names)
        ],
    }


def funnel_chart(dashboard: Dashboard) -> dict[str, Any]:
    """The lifecycle funnel, 储备 → 达产, as horizontal bars (counts need not shrink)."""
    return {
        "type": "funnel",
        "unit": _("个"),
        "categories": [label for __code, label, __n in dashboard.funnel],
        "series": [{"name": _("项目数"), "data": [n for __c, __l, n in dashboard.funnel]}],
    }


def funnel_rows(dashboard: Dashboard) -> list[tuple[str, int, str]]:
    """The funnel's steps with a link to the projects behind each (none for 前期)."""
    filters = dashboard.filters
    out = []
    for code, label, count in dashboard.funnel:
        if code in EVENT_METRICS:
            link = drill_url(filters, code)
        elif code == "projects":
            link = url("projects:list", ledger_params(filters))
        else:
            link = ""
        out.append((label, count, link))
    return out


def breakdown_chart(dashboard: Dashboard) -> dict[str, Any]:
    """Completed investment this year and its annual plan per row (万元)."""
    return {
        "type": "bar",
        "unit": _("万元"),
        "categories": [row.name for row in dashboard.rows],
        "series": [
            {"name": _("本年完成投资"), "data": [float(r.completed) for r in dashboard.rows]},
            {"name": _("年度计划投资"), "data": [float(r.plan) for r in dashboard.rows]},
        ],
    }


def stage_rows(dashboard: Dashboard) -> list[tuple[Row, str]]:
    """Each lifecycle stage with the ledger's list of its projects."""
    params = ledger_params(dashboard.filters)
    return [(row, url("projects:list", {**params, "stage": row.key})) for row in dashboard.stages]


def lights_link(dashboard: Dashboard, colour: str) -> str:
    """The warnings page for one colour, in the same region and month."""
    filters = dashboard.filters
    params = {"colour": colour, "period": f"{filters.year}-{filters.month:02d}"}
    if dashboard.scope.region is not None and dashboard.scope.owner is None:
        params["region"] = dashboard.scope.region.code
    if filters.tier:
        params["tier"] = filters.tier
    return url("alerts:overview", params)


@dataclass(frozen=True)
class Card:
    """A KPI card: the figure, its text and, for a count of projects, the list behind it."""

    figure: KpiFigure
    text: str
    link: str


def kpi_cards(dashboard: Dashboard) -> list[Card]:
    """Every KPI of the registry, in its order, counts linked to their projects."""
    cards = []
    for figure in dashboard.kpis:
        code = figure.kpi.code
        # The gap reads as bulletins write it: 超过 / 落后时间进度X个百分点.
        text = gap_text(dashboard) if code == "time_progress_gap" else figure.text
        link = drill_url(dashboard.filters, code) if code in EVENT_METRICS else ""
        cards.append(Card(figure, text, link))
    return cards


def breadcrumb(dashboard: Dashboard, *, page: str, root: str | None) -> list[tuple[str, str]]:
    """The regions above the one shown, up to the user's own, each a link to its page."""
    region = dashboard.scope.region
    if region is None or dashboard.scope.owner is not None:
        return []
    chain = []
    while region is not None:
        chain.append(region)
        if region.code == root:
            break
        region = region.parent
    filters = dashboard.filters
    return [
        (r.name, url(page, dataclasses.replace(filters, region=r.code, zone=None).query()))
        for r in reversed(chain)
    ]


def kpi_text(dashboard: Dashboard, code: str) -> str:
    """One KPI as shown (``30.90%``)."""
    return next((f.text for f in dashboard.kpis if f.kpi.code == code), "")


def gap_text(dashboard: Dashboard) -> str:
    """超过时间进度X个百分点 for the scope, or — without an annual plan."""
    gap = next((f.value for f in dashboard.kpis if f.kpi.code == "time_progress_gap"), None)
    return gap_sentence(gap if isinstance(gap, Decimal) else None)
