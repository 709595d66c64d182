"""Rollups equal a recomputation from the raw rows, after random writes, on both paths."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q

from cornerstone.alerts.models import ProjectLight
from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.geo.codes import subtree_bounds
from cornerstone.plans.models import InvestmentPlan, MonthlyPlan
from cornerstone.progress.models import InvestmentActual
from cornerstone.projects.choices import Category, Kind, Tier
from cornerstone.projects.models import Project, Stage
from cornerstone.stats.models import EventRollup, LightRollup, MonthRollup, StockRollup
from cornerstone.stats.raw_path import cube_from_projects
from cornerstone.stats.rollup_path import cube_from_rollups
from cornerstone.stats.rollups import (
    light_rollups_refreshed,
    lights_rollup_rebuild,
    rollups_rebuild,
    rollups_refreshed,
)

YEARS = (2025, 2026)


def _day(rng: random.Random) -> dt.date | None:
    if rng.random() < 0.3:
        return None
    return dt.date(rng.choice((2024, 2025, 2026)), rng.randint(1, 12), rng.randint(1, 28))


def _randomise(project: Project, rng: random.Random, stages: list[Stage], geo: Any) -> None:
    project.region = rng.choice([geo.xiaodian, geo.yingze, geo.pingcheng, geo.taiyuan])
    project.stage = rng.choice(stages)
    project.tier = rng.choice(Tier.values)
    project.category = rng.choice(Category.values)
    project.kind = rng.choice(Kind.values)
    project.industry = rng.choice([None, geo.electronics, geo.power, geo.manufacturing])
    project.total_investment = Decimal(rng.choice((800, 4999.99, 5000, 12000.5, 150000)))
    project.completed_before_year = Decimal(rng.randint(0, 3000)) / 4
    for prefix in ("planned", "actual"):
        for event in ("start", "completion", "production"):
            setattr(project, f"{prefix}_{event}_date", _day(rng))
    project.capacity_reached_date = _day(rng)


def _months(project: Project, rng: random.Random) -> None:
    for year in YEARS:
        if rng.random() < 0.7:
            plan = InvestmentPlan.objects.create(
                project=project, year=year, annual_amount=Decimal(0)
            )
            amounts = [Decimal(rng.randint(0, 900)) / 3 for _ in range(12)]
            amounts = [a.quantize(Decimal("0.01")) for a in amounts]
            MonthlyPlan.objects.bulk_create(
                MonthlyPlan(plan=plan, month=m, amount=a) for m, a in enumerate(amounts, 1)
            )
            plan.annual_amount = sum(amounts)
            plan.save()
        for month in rng.sample(range(1, 13), rng.randint(0, 6)):
            InvestmentActual.objects.create(
                project=project,
                year=year,
                month=month,
                amount=Decimal(rng.randint(-50, 700)) / 7,
                funds_in_place=Decimal(rng.randint(0, 500)) / 3,
            )


def _snapshot() -> dict[str, set[tuple[Any, ...]]]:
    """Every non-zero rollup row (zero rows are left behind by take-outs and mean nothing)."""
    measures = {
        StockRollup: ("projects", "total_investment_cents", "completed_before_year_cents"),
        MonthRollup: (
            "completed_cents",
            "planned_cents",
            "funds_in_place_cents",
            "industry_completed_cents",
        ),
        EventRollup: ("projects",),
        LightRollup: ("projects",),
    }
    out = {}
    for model, fields in measures.items():
        keys = [f.attname for f in model._meta.concrete_fields if f.attname not in fields]
        keys.remove("id")
        rows = model.objects.values_list(*keys, *fields)
        out[model.__name__] = {r for r in rows if any(r[len(keys) :])}
    return out


@pytest.fixture
def world(geo: Any) -> tuple[random.Random, list[Stage]]:
    rng = random.Random(20261124)
    stages = list(Stage.objects.all())
    for _ in range(25):
        project = ProjectFactory(region=geo.xiaodian)
        _randomise(project, rng, stages, geo)
        project.save()
        _months(project, rng)
    for project in Project.objects.all():
        if rng.random() < 0.6:
            ProjectLight.objects.create(
                project=project,
                year=2026,
                month=10,
                colour=rng.choice(("red", "yellow", "green")),
                computed_at=dt.datetime(2026, 10, 31, tzinfo=dt.UTC),
            )
    rollups_rebuild()
    lights_rollup_rebuild(year=2026, month=10)
    return rng, stages


def test_rebuild_twice_gives_the_same_rows(world: Any) -> None:
    first = _snapshot()
    assert first["StockRollup"] and first["MonthRollup"] and first["EventRollup"]
    rollups_rebuild()
    assert _snapshot() == first


def test_random_writes_inside_refresh_keep_rollups_equal_to_a_rebuild(world: Any, geo: Any) -> None:
    rng, stages = world
    for round_ in range(12):
        ids = list(Project.objects.values_list("pk", flat=True))
        picked = rng.sample(ids, 3)
        with transaction.atomic(), rollups_refreshed(project_ids=picked) as refresh:
            action = round_ % 4
            if action == 0:  # classification, dates and money of the project itself
                for project in Project.objects.filter(pk__in=picked):
                    _randomise(project, rng, stages, geo)
                    project.save()
            elif action == 1:  # accepted reports and corrections
                for pk in picked:
                    actual, __ = InvestmentActual.objects.get_or_create(
                        project_id=pk, year=2026, month=rng.randint(1, 12)
                    )
                    actual.amount += Decimal(rng.randint(-100, 400)) / 3
                    actual.save()
            elif action == 2:  # a plan rewritten, a project deleted
                MonthlyPlan.objects.filter(plan__project_id=picked[0]).update(amount=Decimal(7))
                Project.objects.filter(pk=picked[1]).delete()
            else:  # a new project
                project = ProjectFactory(region=geo.pingcheng)
                _randomise(project, rng, stages, geo)
                project.save()
                _months(project, rng)
                refresh.created([project.pk])
        incremental = _snapshot()
        rollups_rebuild()
        assert _snapshot() == incremental, f"round {round_}"


def test_light_refresh_equals_a_recount(world: Any) -> None:
    ids = list(ProjectLight.objects.values_list("project_id", flat=True)[:4])
    with transaction.atomic(), light_rollups_refreshed(year=2026, month=10, project_ids=ids):
        ProjectLight.objects.filter(project_id=ids[0]).update(colour="green")
        ProjectLight.objects.filter(project_id=ids[1]).delete()
    incremental = _snapshot()["LightRollup"]
    lights_rollup_rebuild(year=2026, month=10)
    assert _snapshot()["LightRollup"] == incremental


@pytest.mark.parametrize("month", [1, 6, 10, 12])
@pytest.mark.parametrize(
    ("facet", "values", "condition"),
    [
        ("", [""], Q()),
        ("tier", [Tier.PROVINCIAL], Q(tier=Tier.PROVINCIAL)),
        ("kind", [Kind.RESERVE], Q(kind=Kind.RESERVE)),
        ("band", ["100m_1bn", "1bn_plus"], Q(total_investment__gte=10000)),
        ("section", ["C"], Q(industry__parent_id="C") | Q(industry_id="C")),
    ],
)
def test_rollup_path_equals_raw_path(
    world: Any, geo: Any, month: int, facet: str, values: list[str], condition: Q
) -> None:
    for root, length in ((None, 2), (geo.shanxi, 4), (geo.taiyuan, 6)):
        bounds = None
        projects = Project.objects.filter(condition)
        if root is not None:
            bounds = subtree_bounds(root.code)
            projects = projects.filter(region_id__gte=bounds[0], region_id__lt=bounds[1])
        rolled = cube_from_rollups(
            year=2026,
            month=month,
            facet=facet,
            values=values,
            region_bounds=bounds,
            child_length=length,
        )
        raw = cube_from_projects(
            projects, year=2026, month=month, child=lambda f, z, n=length: f.region[:n]
        )
        assert rolled.comparable() == raw.comparable()
        assert rolled.total().projects == projects.count()
