"""Every read of lights, rule sets and justifications, already scoped to the actor."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from cornerstone.accounts.scope import project_scope_q, region_scope_q, scope_root
from cornerstone.alerts.choices import Light
from cornerstone.alerts.models import Justification, ProjectLight, RegionLight, RuleSet
from cornerstone.geo.codes import ancestors_of, subtree_bounds
from cornerstone.geo.models import Region
from cornerstone.geo.queries import regions_visible
from cornerstone.projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cornerstone.accounts.models import User

COLOUR_RANK = Case(
    When(colour=Light.RED, then=Value(2)),
    When(colour=Light.YELLOW, then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)


def lights_visible(*, actor: User | AnonymousUser, year: int, month: int) -> QuerySet[ProjectLight]:
    """The month's project lights of the projects the actor may see."""
    projects = Project.objects.filter(project_scope_q(actor)).values("pk")
    return (
        ProjectLight.objects.filter(year=year, month=month, project__in=projects)
        .select_related("project", "project__region")
        .annotate(colour_rank=COLOUR_RANK)
    )


def light_get(*, actor: User | AnonymousUser, pk: int) -> ProjectLight:
    """One light of a visible project; DoesNotExist otherwise."""
    projects = Project.objects.filter(project_scope_q(actor)).values("pk")
    return ProjectLight.objects.select_related("project").get(pk=pk, project__in=projects)


@dataclass(frozen=True)
class RegionCount:
    """Counts of lights per colour in a region (and below) for a month."""

    region: Region
    red: int
    yellow: int
    green: int

    @property
    def total(self) -> int:
        return self.red + self.yellow + self.green


def region_counts(
    *, actor: User | AnonymousUser, region: Region, year: int, month: int
) -> list[RegionCount]:
    """Red / yellow / green counts for each sub-region of ``region`` (one grouped query)."""
    children = list(regions_visible(actor=actor).filter(parent=region))
    if not children:
        children = [region]
    low, high = subtree_bounds(region.code)
    rows = (
        lights_visible(actor=actor, year=year, month=month)
        .filter(project__region_id__gte=low, project__region_id__lt=high)
        .values_list("project__region_id", "colour")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, colour, n in rows:
        for child in children:
            child_low, child_high = subtree_bounds(child.code)
            if child_low <= code < child_high:
                counts[child.code][colour] += n
                break
    return [
        RegionCount(
            c, counts[c.code][Light.RED], counts[c.code][Light.YELLOW], counts[c.code][Light.GREEN]
        )
        for c in children
    ]


def project_history(
    *, actor: User | AnonymousUser, project: Project, today: dt.date
) -> list[tuple[int, int, ProjectLight | None]]:
    """The project's twelve months up to ``today``: (year, month, light or None)."""
    months = []
    y, m = today.year, today.month
    for __ in range(12):
        months.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    months.reverse()
    first = months[0]
    rows = {
        (r.year, r.month): r
        for r in ProjectLight.objects.filter(
            project=project, project__in=Project.objects.filter(project_scope_q(actor)).values("pk")
        )
        .filter(Q(year__gt=first[0]) | Q(year=first[0], month__gte=first[1]))
        .select_related("rule_set")
    }
    return [(y, m, rows.get((y, m))) for y, m in months]


def region_lights_visible(
    *, actor: User | AnonymousUser, year: int, month: int
) -> QuerySet[RegionLight]:
    """The month's region lights of regions in the actor's scope (none for owners)."""
    return (
        RegionLight.objects.filter(region_scope_q(actor, "region_id"), year=year, month=month)
        .select_related("region")
        .order_by("region_id")
    )


def rule_sets_visible(*, actor: User | AnonymousUser) -> QuerySet[RuleSet]:
    """Rule sets of the actor's regions, and those above that apply to them."""
    root = scope_root(actor)
    q = region_scope_q(actor, "region_id")
    if root is not None:
        q |= Q(region_id__in=ancestors_of(root))
    return (
        RuleSet.objects.filter(q)
        .select_related("region", "updated_by")
        .order_by("region_id", "tier")
    )


def rule_set_get(*, actor: User | AnonymousUser, pk: int) -> RuleSet:
    """One visible rule set; DoesNotExist otherwise."""
    return rule_sets_visible(actor=actor).get(pk=pk)


def justifications_visible(*, actor: User | AnonymousUser) -> QuerySet[Justification]:
    """Justifications of the projects the actor may see, newest first."""
    projects = Project.objects.filter(project_scope_q(actor)).values("pk")
    return Justification.objects.filter(project__in=projects).select_related(
        "project", "project__region", "created_by", "decided_by"
    )


def justification_get(*, actor: User | AnonymousUser, pk: int) -> Justification:
    """One visible justification; DoesNotExist otherwise."""
    return justifications_visible(actor=actor).get(pk=pk)
