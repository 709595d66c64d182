"""Fixtures of the campaign tests: a frozen day and campaign builders over the cast."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cornerstone.campaigns.choices import CampaignKind, CampaignStatus
from cornerstone.campaigns.models import Campaign, CampaignProject
from cornerstone.projects.choices import StepStatus
from cornerstone.projects.models import Project, ProjectStep, StepDefinition

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to(
        dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )
    return TODAY


def campaign_make(region, created_by, **extra) -> Campaign:
    """A campaign written directly (test setup, not the service)."""
    values = {
        "name": f"{region.name}2026年第四季度“三个一批”活动",
        "kind": CampaignKind.THREE_BATCHES,
        "date": TODAY,
        "status": CampaignStatus.DRAFT,
    }
    values.update(extra)
    return Campaign.objects.create(region=region, created_by=created_by, **values)


def entry_make(campaign: Campaign, project: Project, action: str) -> CampaignProject:
    return CampaignProject.objects.create(campaign=campaign, project=project, action=action)


def steps_settle(project: Project, *, through: str, on: dt.date) -> None:
    """Mark every required step up to and including ``through`` done (test setup)."""
    for definition in StepDefinition.objects.order_by("stage__order", "order", "id"):
        if not definition.optional or definition.code == through:
            ProjectStep.objects.update_or_create(
                project=project,
                definition=definition,
                defaults={"status": StepStatus.DONE, "actual_date": on},
            )
        if definition.code == through:
            return
    raise AssertionError(f"no step {through}")


@pytest.fixture
def taiyuan_campaign(geo, cast, frozen_today) -> Campaign:
    return campaign_make(geo.taiyuan, cast.taiyuan_admin)
