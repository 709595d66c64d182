"""Every read of campaigns, already scoped to the actor.

Who sees what:

- a user bound to a region sees the campaigns organised in their subtree, and those
  organised above it that include projects of their subtree (a county's projects at
  the city's event); rows are always only the projects the user may see;
- an owner sees the campaigns that include their own projects, with only those rows,
  and no regional results (they are a statistic of the region, not of the owner).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cornerstone.accounts.choices import Role
from cornerstone.accounts.scope import can_edit_region, project_scope_q, region_scope_q, scope_root
from cornerstone.campaigns.choices import ACTION_MILESTONE, Action, CampaignStatus
from cornerstone.campaigns.models import Campaign, CampaignProject
from cornerstone.campaigns.results import Entry, Place, Results, results_build
from cornerstone.campaigns.rules import LifecycleFacts
from cornerstone.geo.choices import ZoneKind
from cornerstone.geo.codes import in_subtree, subtree_bounds
from cornerstone.geo.models import Region, Zone
from cornerstone.projects.choices import Milestone, StepStatus
from cornerstone.projects.lifecycle import blocking_steps
from cornerstone.projects.models import Project, ProjectStep, StepDefinition
from cornerstone.projects.queries import lifecycle_rules

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cornerstone.accounts.models import User

DEVZONE_KINDS = (ZoneKind.NATIONAL, ZoneKind.PROVINCIAL)
CANDIDATE_LIMIT = 20


def _scoped_projects(actor: User | AnonymousUser) -> QuerySet[Project]:
    return Project.objects.filter(project_scope_q(actor))


def campaigns_visible(*, actor: User | AnonymousUser) -> QuerySet[Campaign]:
    """Campaigns of the actor's area or with projects they see, with ``entry_count``."""
    scoped = _scoped_projects(actor)
    with_rows = Q(pk__in=CampaignProject.objects.filter(project__in=scoped).values("campaign_id"))
    if getattr(actor, "role", None) == Role.OWNER and not actor.is_superuser:
        visible = with_rows
    else:
        visible = region_scope_q(actor, "region_id") | with_rows
    counts = (
        CampaignProject.objects.filter(campaign=OuterRef("pk"), project__in=scoped)
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Campaign.objects.filter(visible)
        .select_related("region")
        .annotate(entry_count=Coalesce(Subquery(counts), 0))
        .order_by("-date", "-id")
    )


def campaign_get(*, actor: User | AnonymousUser, pk: int) -> Campaign:
    """One visible campaign; DoesNotExist when outside scope."""
    return campaigns_visible(actor=actor).select_related("confirmed_by", "created_by").get(pk=pk)


def campaign_editable(*, actor: User | AnonymousUser, campaign: Campaign) -> bool:
    """Whether the actor may change the campaign (an admin of its region, while a draft)."""
    return campaign.status == CampaignStatus.DRAFT and can_edit_region(actor, campaign.region_id)


def entries_visible(
    *, actor: User | AnonymousUser, campaign: Campaign
) -> QuerySet[CampaignProject]:
    """The campaign's rows the actor may see, biggest investment first."""
    return (
        campaign.entries.filter(project__in=_scoped_projects(actor))
        .select_related("project", "project__region", "project__zone", "project__stage", "venue")
        .annotate(
            amount=Coalesce(
                "investment",
                "project__total_investment",
                output_field=DecimalField(max_digits=14, decimal_places=2),
            )
        )
        .order_by("action", "-amount", "project__code")
    )


def milestone_steps() -> dict[str, StepDefinition]:
    """The step definitions that carry the campaign actions' milestones, by milestone."""
    wanted = [str(m) for m in ACTION_MILESTONE.values()]
    return {d.milestone: d for d in StepDefinition.objects.filter(milestone__in=wanted)}


def lifecycle_facts(*, project_ids: Iterable[int]) -> dict[int, LifecycleFacts]:
    """Whether each project has signed, started and gone into production (step or date)."""
    # A step done, or the key date it sets already on the ledger, counts as behind it.
    ids = list(project_ids)
    steps = milestone_steps()
    by_definition = {d.pk: m for m, d in steps.items()}
    done: dict[int, set[str]] = {pk: set() for pk in ids}
    for project_id, definition_id in ProjectStep.objects.filter(
        project_id__in=ids, definition_id__in=list(by_definition), status=StepStatus.DONE
    ).values_list("project_id", "definition_id"):
        done[project_id].add(by_definition[definition_id])
    facts = {}
    for pk, signed, started, producing in Project.objects.filter(pk__in=ids).values_list(
        "pk", "signed_date", "actual_start_date", "actual_production_date"
    ):
        facts[pk] = LifecycleFacts(
            signed=signed is not None or Milestone.SIGNING in done[pk],
            started=started is not None or Milestone.START in done[pk],
            producing=producing is not None or Milestone.PRODUCTION in done[pk],
        )
    return facts


def enrol_candidates(*, actor: User | AnonymousUser, campaign: Campaign, q: str) -> list[Project]:
    """Up to twenty projects matching ``q`` that the actor may enrol, biggest first."""
    # In the actor's scope, in the campaign's subtree, not in the campaign yet.
    text = q.strip()
    if not text:
        return []
    low, high = subtree_bounds(campaign.region_id)
    return list(
        _scoped_projects(actor)
        .filter(region_id__gte=low, region_id__lt=high)
        .filter(Q(code__icontains=text) | Q(name__icontains=text))
        .exclude(pk__in=campaign.entries.values("project_id"))
        .select_related("region", "stage")
        .order_by("-total_investment", "id")[:CANDIDATE_LIMIT]
    )


def results_root(*, actor: User | AnonymousUser, campaign: Campaign) -> Region:
    """The region the actor's results start at: the organiser's, or their own below it."""
    # Owners are refused: the results are a statistic of a region, not of an owner.
    if not actor.is_authenticated:
        raise PermissionDenied
    if getattr(actor, "role", None) == Role.OWNER and not actor.is_superuser:
        raise PermissionDenied(_("业主单位只能查看本单位项目的参加情况，不能查看区域汇总。"))
    root = scope_root(actor)
    if root is None or in_subtree(campaign.region_id, root):
        return campaign.region
    if not in_subtree(root, campaign.region_id):
        raise Campaign.DoesNotExist
    return Region.objects.get(code=root)


def campaign_results(
    *, actor: User | AnonymousUser, campaign: Campaign, region_code: str | None = None
) -> tuple[Region, Results]:
    """Totals per action at a region, each region below it and each zone, of visible rows."""
    base = results_root(actor=actor, campaign=campaign)
    region = base
    if region_code and region_code != base.code:
        if not in_subtree(region_code, base.code):
            raise Region.DoesNotExist
        region = Region.objects.get(code=region_code)
    low, high = subtree_bounds(region.code)
    rows = entries_visible(actor=actor, campaign=campaign).filter(
        project__region_id__gte=low, project__region_id__lt=high
    )
    zone_ids: set[int] = set()
    entries = []
    for pk, region_id, action, amount, zone_id, zone_kind in rows.values_list(  # type: ignore[misc]
        "project_id",
        "project__region_id",
        "action",
        "amount",
        "project__zone_id",
        "project__zone__kind",
    ):
        entries.append(
            Entry(
                project_id=pk,
                region_code=region_id,
                action=action,
                investment=amount,
                zone_id=zone_id,
                in_devzone=zone_kind in DEVZONE_KINDS,
            )
        )
        if zone_id is not None:
            zone_ids.add(zone_id)
    children = list(Region.objects.filter(parent_id=region.code).order_by("code"))
    with_children = set(
        Region.objects.filter(parent__in=children).values_list("parent_id", flat=True).distinct()
    )
    zones = Zone.objects.filter(pk__in=zone_ids).order_by("region_id", "name")
    results = results_build(
        entries=entries,
        root=Place(code=region.code, name=region.name, level=region.level),
        children=[Place(code=c.code, name=c.name, level=c.level) for c in children],
        zones=[Place(code=str(z.pk), name=z.name, level=z.get_kind_display()) for z in zones],
        drillable=frozenset(with_children),
    )
    return region, results


def projects_started_at_campaigns(
    *, project_ids: Iterable[int], start: dt.date, end: dt.date
) -> set[int]:
    """Ids of the given projects started (开工) at a confirmed campaign dated in [start, end]."""
    # Not scoped: the caller passes the projects it already scoped.
    ids = list(project_ids)
    found: set[int] = set()
    # Slices keep each query under SQLite's parameter limit.
    for offset in range(0, len(ids), 500):
        found.update(
            CampaignProject.objects.filter(
                project_id__in=ids[offset : offset + 500],
                action=Action.START,
                campaign__status=CampaignStatus.CONFIRMED,
                campaign__date__gte=start,
                campaign__date__lte=end,
            ).values_list("project_id", flat=True)
        )
    return found


def entries_readiness(*, entries: Iterable[CampaignProject]) -> dict[int, list[str]]:
    """Per project, the required steps to settle before confirming its action (empty: ready)."""
    rows = list(entries)
    steps = milestone_steps()
    rules = lifecycle_rules()
    ids = [e.project_id for e in rows]
    statuses: dict[int, dict[int, str]] = {pk: {} for pk in ids}
    for project_id, definition_id, status in ProjectStep.objects.filter(
        project_id__in=ids
    ).values_list("project_id", "definition_id", "status"):
        statuses[project_id][definition_id] = status
    readiness: dict[int, list[str]] = {}
    for entry in rows:
        definition = steps.get(ACTION_MILESTONE[Action(entry.action)])
        if definition is None:
            readiness[entry.project_id] = []
            continue
        blockers = blocking_steps(rules, statuses[entry.project_id], definition.pk)
        readiness[entry.project_id] = [b.name for b in blockers]
    return readiness
