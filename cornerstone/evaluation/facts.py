"""Reading a unit's facts from the ledger for the computed criteria (reads only).

Nothing is re-derived here: the figures of a unit are the statistics module's (its raw
path over the unit's projects, ``cube_inputs`` and the KPI registry), the per-project
facts its ``projects_read``, and starts at a 集中开工 event the campaigns app's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db.models import QuerySet

from cornerstone.campaigns.queries import projects_started_at_campaigns
from cornerstone.evaluation.models import EvaluationRound, RoundUnit
from cornerstone.geo.codes import subtree_bounds
from cornerstone.projects.models import Project
from cornerstone.stats import kpis
from cornerstone.stats.cube import wan
from cornerstone.stats.queries import cube_inputs
from cornerstone.stats.raw_path import cube_from_projects, projects_read

HALF_YEAR = 6
# Per-project fields a per_project_sum clause may read.
PROJECT_FIELDS = ("kind", "category", "tier", "annual_plan", "completion_rate", "in_production")


def unit_projects(unit: RoundUnit) -> QuerySet[Project]:
    """The ledger's projects of a unit: a county's subtree, or a zone's projects."""
    if unit.zone_id is not None:
        return Project.objects.filter(zone_id=unit.zone_id)
    low, high = subtree_bounds(unit.region_id or "")
    return Project.objects.filter(region_id__gte=low, region_id__lt=high)


def period_month(round_: EvaluationRound) -> int:
    """The month of the round's year the figures run to (its period's end, within the year)."""
    if round_.period_end.year > round_.year:
        return 12
    return round_.period_end.month


def unit_kpis(projects: QuerySet[Project], *, year: int, month: int) -> dict[str, kpis.Value]:
    """The statistics KPIs and their raw inputs of a set of projects, January..month."""
    cube = cube_from_projects(projects, year=year, month=month, child=lambda facts, zone: "")
    inputs = cube_inputs(cube)
    out: dict[str, kpis.Value] = {
        name: value
        for name, value in dataclasses.asdict(inputs).items()
        if isinstance(value, Decimal | int) and name not in ("year", "month")
    }
    out.update(kpis.evaluate(inputs))
    return out


def unit_facts(
    unit: RoundUnit, round_: EvaluationRound
) -> tuple[dict[str, kpis.Value], list[dict[str, object]]]:
    """A unit's facts (KPIs, half-year completion rate, campaign starts) and per-project facts."""
    projects = unit_projects(unit)
    year, month = round_.year, period_month(round_)
    facts = unit_kpis(projects, year=year, month=month)
    if month >= HALF_YEAR:
        half = unit_kpis(projects, year=year, month=HALF_YEAR)
        facts["half_year_completion_rate"] = half.get("completion_rate")
    else:
        facts["half_year_completion_rate"] = None
    end = dt.date(year, month, 28)
    rows: list[dict[str, object]] = []
    ids: list[int] = []
    for read in projects_read(projects, year=year, month=month):
        ids.append(read.pk)
        plan = sum(planned for y, _m, _done, planned, _funds in read.months if y == year)
        done = sum(d for y, m, d, _planned, _funds in read.months if y == year and m <= month)
        production = read.facts.actual_production
        rows.append(
            {
                "id": read.pk,
                "kind": read.facts.kind,
                "category": read.facts.category,
                "tier": read.facts.tier,
                "annual_plan": wan(plan) if plan else None,
                "completion_rate": kpis.percent(done, plan) if plan else None,
                "in_production": production is not None and production <= _month_end(end),
            }
        )
    facts["campaign_starts"] = len(
        projects_started_at_campaigns(
            project_ids=ids, start=round_.period_start, end=round_.period_end
        )
    )
    return facts, rows


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def fact_summary(facts: Mapping[str, kpis.Value]) -> dict[str, str]:
    """The facts as strings, for the breakdown kept with a result."""
    return {name: str(value) for name, value in facts.items() if value is not None}
