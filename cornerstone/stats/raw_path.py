"""Filling a cube from the raw rows: any set of projects, grouped by sub-region or zone.

Used where no single rollup facet answers (two filters at once, a zone, an owner's own
projects) and, in the tests, as the recomputation the rollups must equal. It applies
the same per-project rules (``contributions.py``) and the same event conditions
(``cube.EVENT_METRICS``), reading the projects chunk by chunk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from cornerstone.alerts.models import ProjectLight
from cornerstone.plans.models import MonthlyPlan
from cornerstone.progress.models import InvestmentActual
from cornerstone.projects.models import Project
from cornerstone.stats.contributions import (
    INDUSTRY_CATEGORY,
    ProjectFacts,
    cents,
    project_events,
)
from cornerstone.stats.cube import EVENT_METRICS, Cube, bounds, event_matches
from cornerstone.stats.rollups import (
    CHUNK,
    PROJECT_FIELDS,
    capacity_months,
    industry_sections,
    project_facts,
)

Months = dict[int, list[tuple[int, int, int, int, int]]]


def project_months(ids: list[int], years: tuple[int, int]) -> Months:
    """(year, month, completed, planned, funds) in cents per project, for two years."""
    cells: dict[int, dict[tuple[int, int], list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0, 0])
    )
    for pk, y, m, amount, funds in InvestmentActual.objects.filter(
        project_id__in=ids, year__in=years
    ).values_list("project_id", "year", "month", "amount", "funds_in_place"):
        cell = cells[pk][(y, m)]
        cell[0] += cents(amount)
        cell[2] += cents(funds)
    for pk, y, m, amount in MonthlyPlan.objects.filter(
        plan__project_id__in=ids, plan__year__in=years
    ).values_list("plan__project_id", "plan__year", "month", "amount"):
        cells[pk][(y, m)][1] += cents(amount)
    return {
        pk: [(y, m, c[0], c[1], c[2]) for (y, m), c in sorted(by_month.items())]
        for pk, by_month in cells.items()
    }


@dataclass(frozen=True)
class ProjectRead:
    """One project as the raw path sees it: its facts, zone, months, events and light."""

    pk: int
    facts: ProjectFacts
    zone: int | None
    months: list[tuple[int, int, int, int, int]]
    events: list[tuple[str, int, int]]
    light: str | None


def projects_read(projects: QuerySet[Project], *, year: int, month: int) -> Iterator[ProjectRead]:
    """Every project of the set with its months of two years and its light, chunk by chunk."""
    sections = industry_sections()
    capacity = capacity_months()
    ids = list(projects.order_by("pk").values_list("pk", flat=True))
    for low in range(0, len(ids), CHUNK):
        chunk = ids[low : low + CHUNK]
        months = project_months(chunk, (year, year - 1))
        lights = dict(
            ProjectLight.objects.filter(project_id__in=chunk, year=year, month=month).values_list(
                "project_id", "colour"
            )
        )
        rows = Project.objects.filter(pk__in=chunk).values_list(*PROJECT_FIELDS, "zone_id")
        for row in rows:
            facts = project_facts(row, sections)
            own = months.get(row[0], [])
            yield ProjectRead(
                pk=row[0],
                facts=facts,
                zone=row[-1],
                months=own,
                events=project_events(facts, own, capacity_months=capacity),
                light=lights.get(row[0]),
            )


def cube_from_projects(
    projects: QuerySet[Project],
    *,
    year: int,
    month: int,
    child: Callable[[ProjectFacts, int | None], str],
) -> Cube:
    """The figures of a set of projects; ``child(facts, zone)`` names each one's group."""
    cube = Cube(year=year, month=month)
    values = bounds(year, month)
    for read in projects_read(projects, year=year, month=month):
        facts = read.facts
        group = child(facts, read.zone)
        cell = cube.cells[(group, facts.stage)]
        cell.projects += 1
        cell.total += cents(facts.total_investment)
        cell.before += cents(facts.completed_before_year)
        for y, m, done, planned, funds in read.months:
            cube.series[(y, m)][0] += done
            cube.series[(y, m)][1] += planned
            if y == year:
                cell.plan_year += planned
                if m <= month:
                    cell.ytd += done
                    cell.plan_to_date += planned
                    cell.funds_ytd += funds
                    if facts.category == INDUSTRY_CATEGORY:
                        cell.industry_ytd += done
            elif m <= month:
                cell.ytd_last += done
        counts = cube.events[group]
        for event, plan, actual in read.events:
            for name, metric in EVENT_METRICS.items():
                if metric.event == event and event_matches(metric, plan, actual, values):
                    counts[name] += 1
        if read.light is not None:
            cube.lights[group][read.light] += 1
    return cube
