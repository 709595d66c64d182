"""Keeping the rollups equal to the raw rows: in the writing transaction, or rebuilt in bulk.

A service that changes projects, their plans or their completed investment wraps its
writes in ``rollups_refreshed(project_ids=...)``: the projects' contribution is read
before the writes and taken out, read again after them and put back, and the net
change is written with one ``INSERT … ON CONFLICT DO UPDATE`` per table that adds to
what is there (so two transactions touching the same row add up instead of
overwriting each other). A bulk write (an import, the demo) calls ``rollups_rebuild``.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import connection, transaction

from cornerstone.alerts.models import ProjectLight
from cornerstone.geo.models import Industry
from cornerstone.plans.models import MonthlyPlan
from cornerstone.progress.models import InvestmentActual
from cornerstone.projects.models import Project
from cornerstone.stats.contributions import (
    Contribution,
    LightKey,
    MonthFacts,
    ProjectFacts,
    light_keys,
)
from cornerstone.stats.models import EventRollup, LightRollup, MonthRollup, StockRollup

CHUNK = 5000
Service = TypeVar("Service", bound=Callable[..., Any])
PROJECT_FIELDS = (
    "pk",
    "region_id",
    "stage_id",
    "tier",
    "category",
    "kind",
    "industry_id",
    "total_investment",
    "completed_before_year",
    "planned_start_date",
    "actual_start_date",
    "planned_completion_date",
    "actual_completion_date",
    "planned_production_date",
    "actual_production_date",
    "capacity_reached_date",
)


def capacity_months() -> int:
    """Months after production by which a project is due to reach capacity (a setting)."""
    return int(settings.STATS_CAPACITY_MONTHS)


def industry_sections() -> dict[str, str]:
    """Industry code → its GB/T 4754 section letter."""
    return {
        code: parent or code
        for code, parent in Industry.objects.values_list("code", "parent_id").iterator()
    }


def project_facts(row: tuple[Any, ...], sections: dict[str, str]) -> ProjectFacts:
    return ProjectFacts(
        region=row[1],
        stage=row[2],
        tier=row[3],
        category=row[4],
        kind=row[5],
        section=sections.get(row[6] or "", ""),
        total_investment=row[7],
        completed_before_year=row[8],
        planned_start=row[9],
        actual_start=row[10],
        planned_completion=row[11],
        actual_completion=row[12],
        planned_production=row[13],
        actual_production=row[14],
        capacity_reached=row[15],
    )


def _months_of(project_ids: Sequence[int]) -> dict[int, list[MonthFacts]]:
    """Every month with completed or planned investment of the given projects."""
    cells: dict[int, dict[tuple[int, int], list[Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    )
    actuals = InvestmentActual.objects.filter(project_id__in=project_ids).values_list(
        "project_id", "year", "month", "amount", "funds_in_place"
    )
    for project_id, year, month, amount, funds in actuals.iterator(chunk_size=CHUNK):
        cell = cells[project_id][(year, month)]
        cell[0] += amount
        cell[2] += funds
    plans = MonthlyPlan.objects.filter(plan__project_id__in=project_ids).values_list(
        "plan__project_id", "plan__year", "month", "amount"
    )
    for project_id, year, month, amount in plans.iterator(chunk_size=CHUNK):
        cells[project_id][(year, month)][1] += amount
    return {
        pk: [MonthFacts(y, m, c[0], c[1], c[2]) for (y, m), c in sorted(by_month.items())]
        for pk, by_month in cells.items()
    }


def _add_projects(
    delta: Contribution, project_ids: Sequence[int], *, sign: int, sections: dict[str, str]
) -> None:
    """Add (or take out) the current contribution of the given projects."""
    months = _months_of(project_ids)
    rows = Project.objects.filter(pk__in=project_ids).values_list(*PROJECT_FIELDS)
    for row in rows.iterator(chunk_size=CHUNK):
        delta.add(
            project_facts(row, sections),
            months.get(row[0], ()),
            capacity_months=capacity_months(),
            sign=sign,
        )


# --- writing -------------------------------------------------------------------------

STOCK_SQL = (
    "INSERT INTO stats_stockrollup (facet, value, region_id, stage_id, projects,"
    " total_investment_cents, completed_before_year_cents) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (facet, value, region_id, stage_id) DO UPDATE SET"
    " projects = stats_stockrollup.projects + excluded.projects,"
    " total_investment_cents = stats_stockrollup.total_investment_cents"
    " + excluded.total_investment_cents,"
    " completed_before_year_cents = stats_stockrollup.completed_before_year_cents"
    " + excluded.completed_before_year_cents"
)
MONTH_SQL = (
    "INSERT INTO stats_monthrollup (facet, value, year, month, region_id, stage_id,"
    " completed_cents, planned_cents, funds_in_place_cents, industry_completed_cents)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (facet, value, year, month, region_id, stage_id) DO UPDATE SET"
    " completed_cents = stats_monthrollup.completed_cents + excluded.completed_cents,"
    " planned_cents = stats_monthrollup.planned_cents + excluded.planned_cents,"
    " funds_in_place_cents = stats_monthrollup.funds_in_place_cents"
    " + excluded.funds_in_place_cents,"
    " industry_completed_cents = stats_monthrollup.industry_completed_cents"
    " + excluded.industry_completed_cents"
)
EVENT_SQL = (
    "INSERT INTO stats_eventrollup (facet, value, event, region_id, plan_ym, actual_ym,"
    " projects) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (facet, value, event, region_id, plan_ym, actual_ym) DO UPDATE SET"
    " projects = stats_eventrollup.projects + excluded.projects"
)
LIGHT_SQL = (
    "INSERT INTO stats_lightrollup (facet, value, year, month, region_id, colour, projects)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (facet, value, year, month, region_id, colour) DO UPDATE SET"
    " projects = stats_lightrollup.projects + excluded.projects"
)


def _write(delta: Contribution) -> None:
    """Add a net change to the rollup rows (creating the rows it needs)."""
    net = delta.pruned()
    with connection.cursor() as cursor:
        if net.stock:
            cursor.executemany(STOCK_SQL, [(*k, *v) for k, v in net.stock.items()])
        if net.months:
            cursor.executemany(MONTH_SQL, [(*k, *v) for k, v in net.months.items()])
        if net.events:
            cursor.executemany(EVENT_SQL, [(*k, v) for k, v in net.events.items()])


@dataclass
class RollupRefresh:
    """The projects a write touches; more may be added once they exist (a create)."""

    sections: dict[str, str]
    delta: Contribution = field(default_factory=Contribution)
    project_ids: set[int] = field(default_factory=set)

    def track(self, project_ids: Iterable[int]) -> None:
        """Take out the current contribution of projects not tracked yet."""
        new = sorted(set(project_ids) - self.project_ids)
        if new:
            _add_projects(self.delta, new, sign=-1, sections=self.sections)
            self.project_ids.update(new)

    def created(self, project_ids: Iterable[int]) -> None:
        """Projects created inside the block: nothing to take out, their all to put in."""
        self.project_ids.update(project_ids)


@contextmanager
def rollups_refreshed(*, project_ids: Iterable[int] = ()) -> Iterator[RollupRefresh]:
    """Keep the rollups right across the writes in the block (inside their transaction)."""
    if not connection.in_atomic_block:
        raise RuntimeError("rollups_refreshed must run inside the writing transaction")
    refresh = RollupRefresh(sections=industry_sections())
    refresh.track(project_ids)
    yield refresh
    ids = sorted(refresh.project_ids)
    for low in range(0, len(ids), CHUNK):
        _add_projects(refresh.delta, ids[low : low + CHUNK], sign=1, sections=refresh.sections)
    _write(refresh.delta)


def rollups_rebuild() -> int:
    """Recompute every rollup but the lights from the raw rows; returns the projects read."""
    sections = industry_sections()
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    total = Contribution()
    for low in range(0, len(ids), CHUNK):
        _add_projects(total, ids[low : low + CHUNK], sign=1, sections=sections)
    with transaction.atomic():
        StockRollup.objects.all().delete()
        MonthRollup.objects.all().delete()
        EventRollup.objects.all().delete()
        _write(total)
    return len(ids)


# --- lights --------------------------------------------------------------------------


def _light_counts(year: int, month: int, project_ids: Sequence[int] | None) -> dict[LightKey, int]:
    sections = industry_sections()
    lights = ProjectLight.objects.filter(year=year, month=month)
    if project_ids is not None:
        lights = lights.filter(project_id__in=project_ids)
    fields = [f"project__{name}" if name != "pk" else "project_id" for name in PROJECT_FIELDS]
    counts: dict[LightKey, int] = defaultdict(int)
    for row in lights.values_list(*fields, "colour").iterator(chunk_size=CHUNK):
        for key in light_keys(project_facts(row, sections), year=year, month=month, colour=row[-1]):
            counts[key] += 1
    return counts


def lights_rollup_rebuild(*, year: int, month: int) -> None:
    """Recount the lights of one month (after the nightly recomputation)."""
    counts = _light_counts(year, month, None)
    with transaction.atomic():
        LightRollup.objects.filter(year=year, month=month).delete()
        with connection.cursor() as cursor:
            cursor.executemany(LIGHT_SQL, [(*k, v) for k, v in counts.items()])


@contextmanager
def light_rollups_refreshed(*, year: int, month: int, project_ids: Sequence[int]) -> Iterator[None]:
    """Keep the light counts right across writes to some projects' lights of a month."""
    before = _light_counts(year, month, project_ids)
    yield
    after = _light_counts(year, month, project_ids)
    net = {k: after.get(k, 0) - before.get(k, 0) for k in before.keys() | after.keys()}
    rows = [(*k, v) for k, v in net.items() if v]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(LIGHT_SQL, rows)


def keeps_rollups(
    project_ids: Callable[[dict[str, Any]], Iterable[int]],
) -> Callable[[Service], Service]:
    """Make a keyword-only service keep the rollups right (put it under ``transaction.atomic``).

    ``project_ids`` picks, from the service's keyword arguments, the projects it writes.
    """

    def decorate(service: Service) -> Service:
        @functools.wraps(service)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with rollups_refreshed(project_ids=project_ids(kwargs)):
                return service(*args, **kwargs)

        return cast(Service, wrapper)

    return decorate
