"""What one project adds to each rollup: pure, so the rules are tested without a database.

A project contributes to six facet values at once (the whole, its tier, category, kind,
investment band and industry section); ``contribution`` returns every rollup key it
touches with what it adds there. Rebuilding sums the contributions of all projects;
a write takes a project's contribution out before and puts the new one back after.

Events are month pairs ``(planned, actual)`` as ``year * 100 + month`` (0: none):

- ``start`` / ``completion`` / ``production``: the planned and actual dates;
- ``capacity``: due ``capacity_months`` after production (达效率 has no single
  published definition; the months are a setting), reached when capacity was reached;
- ``span``: (actual start, actual completion), for the projects continuing into a year;
- ``resume``: (year * 100, first month of that year with completed investment) for each
  year the project was continuing in (started before 1 January, not completed before it)
  and had work recorded: 开复工's resumed projects;
- ``reserve``: (0, actual start) for reserve projects: the reserve conversion rate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from cornerstone.stats.kpis import investment_band

FACETS = ("", "tier", "category", "kind", "band", "section")
INDUSTRY_CATEGORY = "industry"
RESERVE_KIND = "reserve"
EVENTS = ("start", "completion", "production", "capacity", "span", "resume", "reserve")

StockKey = tuple[str, str, str, int]  # facet, value, region, stage
MonthKey = tuple[str, str, int, int, str, int]  # facet, value, year, month, region, stage
EventKey = tuple[str, str, str, str, int, int]  # facet, value, event, region, plan, actual
LightKey = tuple[str, str, int, int, str, str]  # facet, value, year, month, region, colour


def cents(amount: Decimal | None) -> int:
    """An amount in 万元 as an integer number of hundredths."""
    return int((amount or Decimal(0)) * 100)


def ym(day: dt.date | None) -> int:
    """``year * 100 + month`` of a date, 0 for none."""
    return day.year * 100 + day.month if day else 0


def ym_add(value: int, months: int) -> int:
    """A ``year * 100 + month`` moved by a number of months (0 stays 0)."""
    if not value:
        return 0
    index = (value // 100) * 12 + (value % 100 - 1) + months
    return (index // 12) * 100 + index % 12 + 1


@dataclass(frozen=True)
class ProjectFacts:
    """The fields of a project that any rollup reads."""

    region: str
    stage: int
    tier: str
    category: str
    kind: str
    section: str
    total_investment: Decimal
    completed_before_year: Decimal = Decimal(0)
    planned_start: dt.date | None = None
    actual_start: dt.date | None = None
    planned_completion: dt.date | None = None
    actual_completion: dt.date | None = None
    planned_production: dt.date | None = None
    actual_production: dt.date | None = None
    capacity_reached: dt.date | None = None

    def facets(self) -> list[tuple[str, str]]:
        """The six (facet, value) pairs the project counts in."""
        return [
            ("", ""),
            ("tier", self.tier),
            ("category", self.category),
            ("kind", self.kind),
            ("band", investment_band(self.total_investment)),
            ("section", self.section),
        ]


@dataclass(frozen=True)
class MonthFacts:
    """A project's completed and planned investment of one month."""

    year: int
    month: int
    completed: Decimal = Decimal(0)
    planned: Decimal = Decimal(0)
    funds_in_place: Decimal = Decimal(0)


@dataclass
class Contribution:
    """Rollup keys and what they add (counts and cents); ``sign`` -1 takes them out."""

    stock: dict[StockKey, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    months: dict[MonthKey, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0])
    )
    events: dict[EventKey, int] = field(default_factory=lambda: defaultdict(int))

    def add(
        self,
        project: ProjectFacts,
        months: Iterable[MonthFacts],
        *,
        capacity_months: int,
        sign: int = 1,
    ) -> None:
        """Add (or with ``sign=-1`` take out) one project's contribution."""
        pairs = project.facets()
        region, stage = project.region, project.stage
        total, before = cents(project.total_investment), cents(project.completed_before_year)
        industry = project.category == INDUSTRY_CATEGORY
        month_rows = [
            (m.year, m.month, cents(m.completed), cents(m.planned), cents(m.funds_in_place))
            for m in months
        ]
        events = project_events(project, month_rows, capacity_months=capacity_months)
        for facet, value in pairs:
            row = self.stock[(facet, value, region, stage)]
            row[0] += sign
            row[1] += sign * total
            row[2] += sign * before
            for year, month, done, planned, funds in month_rows:
                cell = self.months[(facet, value, year, month, region, stage)]
                cell[0] += sign * done
                cell[1] += sign * planned
                cell[2] += sign * funds
                cell[3] += sign * done if industry else 0
            for event, plan, actual in events:
                self.events[(facet, value, event, region, plan, actual)] += sign

    def pruned(self) -> Contribution:
        """The same without keys whose every figure is zero (nothing to write)."""
        out = Contribution()
        out.stock.update({k: v for k, v in self.stock.items() if any(v)})
        out.months.update({k: v for k, v in self.months.items() if any(v)})
        out.events.update({k: v for k, v in self.events.items() if v})
        return out


def project_events(
    project: ProjectFacts,
    months: list[tuple[int, int, int, int, int]],
    *,
    capacity_months: int,
) -> list[tuple[str, int, int]]:
    """The (event, planned ym, actual ym) pairs of one project; see the module docstring."""
    out: list[tuple[str, int, int]] = []
    for event, planned, actual in (
        ("start", project.planned_start, project.actual_start),
        ("completion", project.planned_completion, project.actual_completion),
        ("production", project.planned_production, project.actual_production),
    ):
        if planned or actual:
            out.append((event, ym(planned), ym(actual)))
    due = ym_add(ym(project.actual_production), capacity_months)
    if due or project.capacity_reached:
        out.append(("capacity", due, ym(project.capacity_reached)))
    if project.actual_start:
        out.append(("span", ym(project.actual_start), ym(project.actual_completion)))
        out.extend(("resume", year * 100, first) for year, first in _resumed(project, months))
    if project.kind == RESERVE_KIND:
        out.append(("reserve", 0, ym(project.actual_start)))
    return out


def _resumed(
    project: ProjectFacts, months: list[tuple[int, int, int, int, int]]
) -> list[tuple[int, int]]:
    """(year, first ym with completed investment) for each year the project continued in."""
    first: dict[int, int] = {}
    for year, month, done, _planned, _funds in months:
        if done > 0 and (year not in first or year * 100 + month < first[year]):
            first[year] = year * 100 + month
    start, end = project.actual_start, project.actual_completion
    return sorted(
        (year, value)
        for year, value in first.items()
        if start is not None
        and start < dt.date(year, 1, 1)
        and (end is None or end >= dt.date(year, 1, 1))
    )


def light_keys(project: ProjectFacts, *, year: int, month: int, colour: str) -> list[LightKey]:
    """The light-rollup keys one project's light of a month counts in."""
    return [
        (facet, value, year, month, project.region, colour) for facet, value in project.facets()
    ]
