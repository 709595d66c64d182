"""Lagging projects: the red ones of the month in scope, largest first, at most ten."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from cornerstone.alerts.models import ProjectLight
from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.stats.filters import StatsFilter
from cornerstone.stats.queries import LAGGING_LIMIT, dashboard

pytestmark = pytest.mark.django_db


def _light(project: Any, colour: str, month: int = 10) -> None:
    ProjectLight.objects.create(
        project=project,
        year=2026,
        month=month,
        colour=colour,
        computed_at=dt.datetime(2026, month, 28, tzinfo=dt.UTC),
    )


def test_lagging_lists_the_largest_red_projects_in_scope_only(geo: Any, cast: Any) -> None:
    red = []
    for n in range(LAGGING_LIMIT + 2):
        project = ProjectFactory(region=geo.xiaodian, total_investment=Decimal(1000 + n * 10))
        _light(project, "red")
        red.append(project)
    _light(ProjectFactory(region=geo.xiaodian, total_investment=Decimal(900_000)), "yellow")
    _light(ProjectFactory(region=geo.xiaodian, total_investment=Decimal(800_000)), "red", 9)
    _light(ProjectFactory(region=geo.pingcheng, total_investment=Decimal(700_000)), "red")
    board = dashboard(actor=cast.taiyuan_admin, filters=StatsFilter(year=2026, month=10))
    expected = sorted(red, key=lambda p: -p.total_investment)[:LAGGING_LIMIT]
    assert [light.project_id for light in board.lagging] == [p.pk for p in expected]
    assert all(light.colour == "red" and light.month == 10 for light in board.lagging)
