"""The services that write what statistics sum keep the rollups equal to a rebuild."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cornerstone.plans.services import investment_plan_delete, investment_plan_save
from cornerstone.progress import report_services as rs
from cornerstone.projects.choices import Tier
from cornerstone.projects.lifecycle_services import project_step_complete
from cornerstone.projects.models import StepDefinition
from cornerstone.projects.services import project_create, project_delete, project_update
from cornerstone.stats.rollups import rollups_rebuild
from cornerstone.stats.tests.test_rollups import _snapshot

pytestmark = pytest.mark.django_db


def _still_equal() -> None:
    incremental = _snapshot()
    rollups_rebuild()
    assert _snapshot() == incremental


def test_ledger_plan_lifecycle_and_report_services_keep_rollups(
    report: Any, cast: Any, ledger: Any, geo: Any
) -> None:
    rollups_rebuild()
    admin = cast.province_admin
    project_update(actor=admin, project=ledger.yingze, data={"tier": Tier.PROVINCIAL})
    _still_equal()
    project_update(
        actor=admin, project=ledger.yingze, data={"total_investment": "250000", "region": "140105"}
    )
    _still_equal()
    investment_plan_save(
        actor=admin,
        project=ledger.xiaodian,
        year=2026,
        annual_amount="1200",
        split_method="even",
    )
    _still_equal()
    start = StepDefinition.objects.get(code="start")
    for definition in StepDefinition.objects.filter(stage__order__lt=start.stage.order):
        if not definition.optional:
            project_step_complete(
                actor=admin,
                project=ledger.xiaodian,
                definition=definition,
                actual_date=dt.date(2026, 3, 1),
            )
    project_step_complete(
        actor=admin, project=ledger.xiaodian, definition=start, actual_date=dt.date(2026, 4, 2)
    )
    _still_equal()
    saved = rs.report_save(
        report=report,
        data={
            "investment_this_period": "1300",
            "physical_progress": "主体施工",
            "funds_in_place": "900",
        },
        version=report.version,
        actor=cast.owner,
    )
    rs.report_accept(
        report=rs.report_submit(report=saved, actor=cast.owner), actor=cast.taiyuan_admin
    )
    _still_equal()
    created = project_create(
        actor=admin,
        data={
            "name": "新建统计测试项目",
            "region": "140213",
            "tier": "county",
            "category": "industry",
            "kind": "new",
            "owner_org": "某公司",
            "total_investment": "6000",
            "construction_nature": "new",
        },
    )
    _still_equal()
    plan = investment_plan_save(
        actor=admin, project=created, year=2026, annual_amount="600", split_method="even"
    )
    investment_plan_delete(actor=admin, plan=plan)
    project_delete(actor=admin, project=ledger.pingcheng)
    _still_equal()
