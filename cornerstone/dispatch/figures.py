"""The figures of a briefing as plain data: computed once, read by the summary and renderers.

No Django model is imported here, so the summary and the renderers can be tested on
hand-made figures without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


def ratio_percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` in percent with one decimal; None when there is no whole."""
    if not whole:
        return None
    return (part * HUNDRED / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def growth_percent(now: Decimal, before: Decimal) -> Decimal | None:
    """Year-on-year change in percent; None without a base to compare with."""
    if not before or before <= 0:
        return None
    return ((now - before) * HUNDRED / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StageRow:
    """Projects in one lifecycle stage."""

    name: str
    projects: int
    investment: Decimal


@dataclass(frozen=True)
class RegionRow:
    """One sub-region's plan and completion, for the ranking."""

    code: str
    name: str
    projects: int
    plan: Decimal
    completed: Decimal

    @property
    def rate(self) -> Decimal | None:
        return ratio_percent(self.completed, self.plan)


@dataclass(frozen=True)
class FlaggedProject:
    """A red or yellow project with the reasons its light states."""

    pk: int
    code: str
    name: str
    region: str
    colour: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DepartmentRow:
    """Problems assigned to one department."""

    name: str
    total: int
    unresolved: int
    overdue: int
    escalated: int


@dataclass(frozen=True)
class OrderRow:
    """One supervision order still open."""

    number: str
    project: str
    subject: str
    status: str
    deadline: str


@dataclass(frozen=True)
class BriefingFigures:
    """Everything a briefing states, for one scope (region, tier, category) and month."""

    region_name: str
    region_level: str  # "province" / "city" / "county"
    scope_label: str  # "重点项目", "省重点项目", "重点产业项目"…
    year: int
    month: int
    projects: int
    total_investment: Decimal
    annual_plan: Decimal
    completed: Decimal
    completed_last_year: Decimal
    industry_completed: Decimal
    started: int
    stages: list[StageRow] = field(default_factory=list)
    regions: list[RegionRow] = field(default_factory=list)
    red: list[FlaggedProject] = field(default_factory=list)
    yellow: list[FlaggedProject] = field(default_factory=list)
    red_count: int = 0
    yellow_count: int = 0
    departments: list[DepartmentRow] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)
    orders_open: int = 0
    orders_total: int = 0

    @property
    def completion_rate(self) -> Decimal | None:
        """Completed to date over the annual plan, in percent."""
        return ratio_percent(self.completed, self.annual_plan)

    @property
    def growth(self) -> Decimal | None:
        """Completed to date against the same months of last year, in percent."""
        return growth_percent(self.completed, self.completed_last_year)

    @property
    def industry_share(self) -> Decimal | None:
        """Share of the completed investment made by industrial (产业) projects."""
        return ratio_percent(self.industry_completed, self.completed)

    @property
    def regions_ranked(self) -> list[RegionRow]:
        """Sub-regions by completion rate, best first; those without a plan last."""
        return sorted(
            self.regions,
            key=lambda r: (r.rate is None, -(r.rate or Decimal(0)), -r.completed, r.code),
        )
