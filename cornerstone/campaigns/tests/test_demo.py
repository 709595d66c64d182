"""The demo campaigns over the demo province: consistent with every project's lifecycle."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.campaigns import queries
from cornerstone.campaigns.choices import ACTION_MILESTONE, CampaignKind, CampaignStatus
from cornerstone.campaigns.demo import demo_campaigns_reset
from cornerstone.campaigns.models import Campaign, CampaignProject
from cornerstone.core.models import AuditEvent
from cornerstone.geo.choices import RegionLevel
from cornerstone.projects.choices import StepStatus
from cornerstone.projects.demo import demo_load, demo_usernames
from cornerstone.projects.lifecycle import current_stage_id
from cornerstone.projects.models import ProjectStep
from cornerstone.projects.queries import lifecycle_rules
from cornerstone.projects.services import MILESTONE_FIELDS

pytestmark = pytest.mark.django_db(transaction=False)
TODAY = dt.date(2026, 11, 24)


def test_demo_campaigns(time_machine, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(dt.datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    # The demo loads its campaigns itself (after reports, problems and lights).
    demo_load(projects=200, seed=2026, today=TODAY)
    past = Campaign.objects.get(kind=CampaignKind.THREE_BATCHES)
    upcoming = Campaign.objects.get(kind=CampaignKind.MASS_START)
    assert past.entries.count() > 0 and upcoming.entries.count() > 0
    assert past.status == CampaignStatus.CONFIRMED and past.date == TODAY - dt.timedelta(21)
    assert upcoming.status == CampaignStatus.DRAFT and upcoming.date > TODAY
    assert past.venues.filter(kind="main").count() == 1 and past.venues.count() > 1
    actions = set(past.entries.values_list("action", flat=True))
    assert {"sign", "start"} <= actions
    steps = queries.milestone_steps()
    rules = lifecycle_rules()
    for entry in past.entries.select_related("project"):
        project = entry.project
        definition = steps[ACTION_MILESTONE[entry.action]]
        step = ProjectStep.objects.get(project=project, definition=definition)
        assert (step.status, step.actual_date) == (StepStatus.DONE, past.date)
        assert getattr(project, MILESTONE_FIELDS[ACTION_MILESTONE[entry.action]]) == past.date
        statuses = dict(project.steps.values_list("definition_id", "status"))
        assert project.stage_id == current_stage_id(rules, statuses)
        # No earlier step is dated after the event.
        order = [r.id for r in rules]
        earlier = order[: order.index(definition.pk)]
        assert not project.steps.filter(
            definition_id__in=earlier, status=StepStatus.DONE, actual_date__gt=past.date
        ).exists()
        assert entry.investment == project.total_investment
        assert AuditEvent.objects.filter(
            project_id=project.pk, action="transition", summary__contains=definition.name
        ).exists()
    assert set(upcoming.entries.values_list("action", flat=True)) == {"start"}
    assert not upcoming.entries.exclude(project__actual_start_date=None).exists()
    admin = User.objects.filter(role=Role.ADMIN, region__level=RegionLevel.PROVINCE).first()
    region, results = queries.campaign_results(actor=admin, campaign=past)
    listed = sum((e.investment for e in past.entries.all()), Decimal(0))
    assert results.root.totals.amount == listed
    assert results.root.totals.count == past.entries.count()
    assert sum((r.totals.amount for r in results.rows), Decimal(0)) == listed
    assert region.code == "140000"
    assert demo_campaigns_reset(users=User.objects.filter(username__in=demo_usernames())) == 2
    assert not Campaign.objects.exists() and not CampaignProject.objects.exists()
