"""Demo campaigns: one confirmed “三个一批” event in the past and one upcoming 集中开工.

Written through the services (a campaign is a few dozen rows), so enrolment is checked
against each project's lifecycle and confirmation completes each project's step through
the lifecycle service with its audit row, exactly as a person's clicks would. Only
projects whose earlier required steps are settled, on or before the event day, are
picked, so the confirmation never fails and no step is dated before the one it follows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Q

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.campaigns import services
from cornerstone.campaigns.choices import ACTION_MILESTONE, Action, CampaignKind, VenueKind
from cornerstone.campaigns.models import Campaign, Venue
from cornerstone.campaigns.queries import lifecycle_facts, milestone_steps
from cornerstone.campaigns.rules import action_refusal
from cornerstone.core.choices import AuditSource
from cornerstone.geo.choices import RegionLevel
from cornerstone.geo.codes import subtree_bounds
from cornerstone.geo.models import Region
from cornerstone.projects.lifecycle import blocking_steps
from cornerstone.projects.models import Project, ProjectStep
from cornerstone.projects.queries import lifecycle_rules

PAST_COUNTS = {Action.SIGN: 12, Action.START: 14, Action.PRODUCE: 8}
UPCOMING_STARTS = 15
SAMPLE = 600  # candidates looked at per action: enough to find the few needed


def _province_admin() -> User | None:
    return (
        User.objects.filter(role=Role.ADMIN, is_active=True, region__level=RegionLevel.PROVINCE)
        .order_by("id")
        .first()
    )


def _candidates(
    *,
    province: Region,
    action: Action,
    count: int,
    on: dt.date,
    rng: random.Random,
    taken: set[int],
    ready_only: bool,
) -> list[int]:
    """Projects that may take ``action`` on ``on``: the rules allow it and, when
    ``ready_only``, every earlier required step is settled no later than that day."""
    low, high = subtree_bounds(province.code)
    projects = Project.objects.filter(region_id__gte=low, region_id__lt=high).exclude(pk__in=taken)
    if action == Action.PRODUCE:
        projects = projects.filter(actual_start_date__lte=on, actual_production_date=None)
    else:
        projects = projects.filter(actual_start_date=None, actual_production_date=None)
        if action == Action.SIGN:
            projects = projects.filter(signed_date=None)
    ids = list(projects.order_by("pk").values_list("pk", flat=True)[: SAMPLE * 5])
    rng.shuffle(ids)
    ids = ids[:SAMPLE]
    facts = lifecycle_facts(project_ids=ids)
    rules = lifecycle_rules()
    target = milestone_steps()[ACTION_MILESTONE[action]]
    statuses: dict[int, dict[int, str]] = defaultdict(dict)
    for project_id, definition_id, status in ProjectStep.objects.filter(
        project_id__in=ids
    ).values_list("project_id", "definition_id", "status"):
        statuses[project_id][definition_id] = status
    latest = dict(
        ProjectStep.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(last=Max("actual_date"))
        .values_list("project_id", "last")
    )
    chosen = []
    for pk in ids:
        if action_refusal(action, facts[pk]) is not None:
            continue
        if ready_only:
            if blocking_steps(rules, statuses[pk], target.pk):
                continue
            if latest.get(pk) is not None and latest[pk] > on:
                continue
        chosen.append(pk)
        if len(chosen) == count:
            break
    return chosen


def _venues(
    admin: User, campaign: Campaign, province: Region, source: AuditSource
) -> dict[str, Venue]:
    cities = list(Region.objects.filter(parent=province).order_by("code"))
    venues = {}
    if cities:
        capital = cities[0]
        venues[capital.code] = services.venue_add(
            actor=admin,
            campaign=campaign,
            data={
                "kind": VenueKind.MAIN,
                "region": capital.code,
                "name": f"{capital.name}主会场",
                "address": f"{capital.name}经济技术开发区项目现场",
            },
            source=source,
        )
        for city in cities[1:]:
            venues[city.code] = services.venue_add(
                actor=admin,
                campaign=campaign,
                data={"kind": VenueKind.BRANCH, "region": city.code, "name": f"{city.name}分会场"},
                source=source,
            )
    return venues


def _enrol(
    admin: User,
    campaign: Campaign,
    ids: dict[Action, list[int]],
    venues: dict[str, Venue],
    source: AuditSource,
) -> int:
    regions = dict(
        Project.objects.filter(pk__in=[pk for v in ids.values() for pk in v]).values_list(
            "pk", "region_id"
        )
    )
    items = []
    for action, pks in ids.items():
        for pk in pks:
            venue = venues.get(regions[pk][:4] + "00")
            items.append(
                services.EnrolItem(
                    project_id=pk, action=action, venue_id=venue.pk if venue else None
                )
            )
    if items:
        services.campaign_projects_enrol(
            actor=admin,
            campaign=campaign,
            items=items,
            source=source,
        )
    return len(items)


@transaction.atomic
def demo_campaigns_load(*, today: dt.date, seed: int) -> int:
    """Create the two demo campaigns; returns how many projects they enrol."""
    admin = _province_admin()
    if admin is None or admin.region is None or not milestone_steps():
        return 0
    province = admin.region
    rng = random.Random(seed)  # noqa: S311 - demo choices, not secrets
    source = AuditSource.COMMAND
    held_on = today - dt.timedelta(days=21)
    past = services.campaign_create(
        actor=admin,
        data={
            "name": f"{province.name}{held_on.year}年“三个一批”集中签约开工投产活动",
            "kind": CampaignKind.THREE_BATCHES,
            "date": held_on,
            "region": province.code,
            "note": "全省统一部署，主会场设在省会，各市设分会场同步举行。",
        },
        source=source,
    )
    venues = _venues(admin, past, province, source)
    taken: set[int] = set()
    ids: dict[Action, list[int]] = {}
    for action, count in PAST_COUNTS.items():
        ids[action] = _candidates(
            province=province,
            action=action,
            count=count,
            on=held_on,
            rng=rng,
            taken=taken,
            ready_only=True,
        )
        taken.update(ids[action])
    made = _enrol(admin, past, ids, venues, source)
    if made:
        services.campaign_confirm(actor=admin, campaign=past, source=source)
    upcoming_on = today + dt.timedelta(days=10)
    upcoming = services.campaign_create(
        actor=admin,
        data={
            "name": f"{province.name}{upcoming_on.year}年第四季度重大项目集中开工活动",
            "kind": CampaignKind.MASS_START,
            "date": upcoming_on,
            "region": province.code,
        },
        source=source,
    )
    venues = _venues(admin, upcoming, province, source)
    starts = _candidates(
        province=province,
        action=Action.START,
        count=UPCOMING_STARTS,
        on=upcoming_on,
        rng=rng,
        taken=taken,
        ready_only=False,
    )
    made += _enrol(admin, upcoming, {Action.START: starts}, venues, source)
    return made


@transaction.atomic
def demo_campaigns_reset(*, users: Iterable[User]) -> int:
    """Delete the campaigns the given (demo) accounts created or confirmed; returns how many."""
    # Rows and venues go with them; the steps they recorded stay with the projects.
    accounts = list(users)
    campaigns = Campaign.objects.filter(Q(created_by__in=accounts) | Q(confirmed_by__in=accounts))
    count = campaigns.count()
    campaigns.delete()
    return count
