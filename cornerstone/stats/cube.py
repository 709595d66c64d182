"""The figures of a scope and period before any formula: what both query paths produce.

``rollup_path.py`` fills a ``Cube`` from the rollup tables, ``raw_path.py`` from the
projects, plans and reports themselves; the dashboards, the API and the KPI formulas
read only the cube, so the two paths can be compared figure by figure.

Event counts are named after the fields of ``kpis.Inputs``; each is defined on month
numbers ``ym = year * 100 + month`` (P: planned, A: actual, 0: none) for the period
January–N of year Y (B = Y01, E = YN, Z = Y12), once, as data (``EVENT_METRICS``) that
both paths evaluate in Python: the rollup path on month pairs that SQL first reduced
to what the period can tell apart (``event_clamp_sql``).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

PLAN_RANGES = {  # name → (low, high) as bound names; "" = any
    "": None,
    "year": ("B", "Z"),
    "due": ("B", "E"),
    "before_year": ("1", "B-1"),
    "to_date": ("1", "E"),
    "year_mark": ("Y0", "Y0"),
}
ACTUAL_RANGES = {
    "": None,
    "by_end": ("1", "E"),
    "in_period": ("B", "E"),
}
# The negated actual ranges: none yet, or after the bound.
ACTUAL_NOT = {"not_by_end": "E", "not_before_year": "B-1"}


@dataclass(frozen=True)
class EventMetric:
    """A count of projects whose (P, A) pair of one event meets the conditions."""

    event: str
    plan: str = ""
    actual: str = ""
    relation: str = ""  # "<", "=", ">": A against P
    either: bool = False  # the plan condition OR the actual one, instead of AND


EVENT_METRICS: dict[str, EventMetric] = {
    "planned_starts": EventMetric("start", "year"),
    "planned_starts_due": EventMetric("start", "due"),
    "started": EventMetric("start", "year", "by_end"),
    "started_early": EventMetric("start", "year", "by_end", "<"),
    "started_on_time": EventMetric("start", "year", "by_end", "="),
    "started_late": EventMetric("start", "year", "by_end", ">"),
    "not_started_due": EventMetric("start", "due", "not_by_end"),
    "new_starts": EventMetric("start", "", "in_period"),
    "projects_started": EventMetric("start", "", "by_end"),
    "continuing": EventMetric("span", "before_year", "not_before_year"),
    "resumed": EventMetric("resume", "year_mark", "in_period"),
    "under_construction": EventMetric("span", "to_date", "not_by_end"),
    "planned_completions": EventMetric("completion", "year"),
    "completed": EventMetric("completion", "year", "by_end"),
    "completed_ever": EventMetric("completion", "", "by_end"),
    "planned_productions": EventMetric("production", "year"),
    "in_production": EventMetric("production", "year", "by_end"),
    "put_into_production": EventMetric("production", "", "in_period"),
    "production_ever": EventMetric("production", "", "by_end"),
    # Reaching capacity early makes a project due: none counts above without counting below.
    "capacity_due": EventMetric("capacity", "to_date", "by_end", either=True),
    "capacity_reached": EventMetric("capacity", "", "by_end"),
    "reserve_projects": EventMetric("reserve"),
    "reserve_started": EventMetric("reserve", "", "by_end"),
}


def bounds(year: int, month: int) -> dict[str, int]:
    """The month numbers the conditions compare with."""
    b = year * 100 + 1
    return {
        "B": b,
        "E": year * 100 + month,
        "Z": year * 100 + 12,
        "Y0": year * 100,
        "B-1": b - 1,
        "1": 1,
    }


def event_matches(metric: EventMetric, plan: int, actual: int, values: dict[str, int]) -> bool:
    """Whether one (P, A) pair counts in a metric (``values`` from ``bounds``)."""
    plan_range = PLAN_RANGES[metric.plan]
    plan_ok = not plan_range or values[plan_range[0]] <= plan <= values[plan_range[1]]
    if metric.actual in ACTUAL_NOT:
        actual_ok = not 0 < actual <= values[ACTUAL_NOT[metric.actual]]
    else:
        actual_range = ACTUAL_RANGES[metric.actual]
        actual_ok = not actual_range or values[actual_range[0]] <= actual <= values[actual_range[1]]
    if not ((plan_ok or actual_ok) if metric.either else (plan_ok and actual_ok)):
        return False
    return (
        not metric.relation
        or (metric.relation == "<" and actual < plan)
        or (metric.relation == "=" and actual == plan)
        or (metric.relation == ">" and actual > plan)
    )


def event_month_clamp(ym: int, year: int) -> int:
    """A month number reduced to what the period's conditions can tell apart.

    Every bound of ``bounds`` is 1 or lies in Y00–Y12, so all months before Y00 compare
    alike (kept as 1), all after Y12 alike (Y13), and 0 ("none") stays 0. A relation
    between A and P is only asked where P lies within the year (a test holds every
    metric to that), where P is kept exact and A's order against it survives.
    """
    if ym == 0:
        return 0
    if ym < year * 100:
        return 1
    return min(ym, year * 100 + 13)


def event_clamp_sql(column: str, year: int) -> str:
    """``event_month_clamp`` as SQL on an integer column (a constant name, integers only)."""
    low, high = year * 100, year * 100 + 12
    return (
        f"CASE WHEN {column} = 0 THEN 0 WHEN {column} < {low} THEN 1"
        f" WHEN {column} > {high} THEN {high + 1} ELSE {column} END"
    )


@functools.lru_cache(maxsize=4096)
def event_metrics_for(event: str, plan: int, actual: int, year: int, month: int) -> tuple[str, ...]:
    """The metrics one (P, A) pair of an event counts in, for January–``month`` of ``year``."""
    values = bounds(year, month)
    return tuple(
        name
        for name, metric in EVENT_METRICS.items()
        if metric.event == event and event_matches(metric, plan, actual, values)
    )


@dataclass
class Measures:
    """Money (cents of 万元) and counts of one group of projects."""

    projects: int = 0
    total: int = 0
    before: int = 0
    ytd: int = 0
    ytd_last: int = 0
    plan_year: int = 0
    plan_to_date: int = 0
    funds_ytd: int = 0
    industry_ytd: int = 0

    def add(self, other: Measures) -> None:
        """Add another group's figures to this one."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def wan(value: int) -> Decimal:
    """Cents of 万元 back to 万元."""
    return Decimal(value) / 100


@dataclass
class Cube:
    """Figures by sub-region (``child``) and stage, with the monthly series and the events."""

    year: int
    month: int
    cells: dict[tuple[str, int], Measures] = field(default_factory=lambda: defaultdict(Measures))
    # (year, month) → [completed, planned] in cents, this year and last.
    series: dict[tuple[int, int], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    events: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    lights: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )

    def total(self) -> Measures:
        """The whole scope's money and project count."""
        out = Measures()
        for measures in self.cells.values():
            out.add(measures)
        return out

    def by_child(self) -> dict[str, Measures]:
        """Money and counts per sub-region."""
        out: dict[str, Measures] = defaultdict(Measures)
        for (child, __stage), measures in self.cells.items():
            out[child].add(measures)
        return dict(out)

    def by_stage(self) -> dict[int, Measures]:
        """Money and counts per stage."""
        out: dict[int, Measures] = defaultdict(Measures)
        for (__child, stage), measures in self.cells.items():
            out[stage].add(measures)
        return dict(out)

    def event_total(self, metric: str) -> int:
        """One event count over the whole scope."""
        return sum(counts.get(metric, 0) for counts in self.events.values())

    def light_total(self) -> dict[str, int]:
        """Projects per light colour over the whole scope."""
        out: dict[str, int] = defaultdict(int)
        for counts in self.lights.values():
            for colour, n in counts.items():
                out[colour] += n
        return dict(out)

    def comparable(self) -> dict[str, object]:
        """Every figure as plain data with zeros dropped: two paths agree iff these are equal."""

        def plain(mapping: dict) -> dict:
            return {
                str(k): v
                for k, v in mapping.items()
                if v and (not isinstance(v, dict) or any(v.values()))
            }

        return {
            "cells": {
                str(k): v.__dict__ for k, v in self.cells.items() if any(v.__dict__.values())
            },
            "series": plain({k: tuple(v) for k, v in self.series.items() if any(v)}),
            "events": {c: plain(dict(v)) for c, v in self.events.items() if any(v.values())},
            "lights": {c: plain(dict(v)) for c, v in self.lights.items() if any(v.values())},
        }
