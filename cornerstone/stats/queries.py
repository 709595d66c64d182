"""Every read of the statistics pages and API, scoped to the actor.

A region user's figures come from the rollups when one facet answers the filters, else
from the raw rows; an owner's always from the raw rows of their own projects. Both
give the same cube (tested), from which the KPIs, tables and charts are derived.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.accounts.scope import scope_root
from cornerstone.alerts.choices import Light
from cornerstone.alerts.models import ProjectLight
from cornerstone.geo.choices import RegionLevel
from cornerstone.geo.codes import in_subtree, subtree_bounds
from cornerstone.geo.models import Industry, Region, Zone
from cornerstone.projects.choices import Category, Kind, Tier
from cornerstone.projects.models import Project, Stage
from cornerstone.projects.queries import projects_visible
from cornerstone.stats import kpis
from cornerstone.stats.contributions import ProjectFacts
from cornerstone.stats.cube import EVENT_METRICS, Cube, Measures, bounds, event_matches, wan
from cornerstone.stats.filters import StatsFilter
from cornerstone.stats.kpi_display import format_kpi
from cornerstone.stats.models import StartTarget
from cornerstone.stats.raw_path import cube_from_projects, projects_read
from cornerstone.stats.rollup_path import cube_from_rollups

CHILD_LENGTH = {None: 2, RegionLevel.PROVINCE: 4, RegionLevel.CITY: 6, RegionLevel.COUNTY: 6}
LAGGING_LIMIT = 10
BREAKDOWNS = ("region", "industry", "tier", "category", "kind")
FUNNEL = [
    ("projects", gettext_lazy("储备")),
    ("preparing", gettext_lazy("前期")),
    ("projects_started", gettext_lazy("开工")),
    ("under_construction", gettext_lazy("在建")),
    ("completed_ever", gettext_lazy("竣工")),
    ("production_ever", gettext_lazy("投产")),
    ("capacity_reached", gettext_lazy("达产")),
]


@dataclass(frozen=True)
class StatsScope:
    """Where the figures are taken: a region subtree, or an owner's own projects."""

    region: Region | None
    owner: User | None = None

    @property
    def bounds(self) -> tuple[str, str] | None:
        return subtree_bounds(self.region.code) if self.region else None

    @property
    def child_length(self) -> int:
        return CHILD_LENGTH[RegionLevel(self.region.level) if self.region else None]

    @property
    def zones(self) -> bool:
        """Whether the sub-units are zones (a county's breakdown)."""
        return self.region is not None and self.region.level == RegionLevel.COUNTY


def stats_scope(*, actor: User | AnonymousUser, filters: StatsFilter) -> StatsScope:
    """The scope of the figures; a region outside the actor's own is refused."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    if actor.role == Role.OWNER and not actor.is_superuser:
        return StatsScope(region=None, owner=actor)
    root = scope_root(actor)
    if root is None and not actor.is_superuser:
        raise PermissionDenied(_("账号未绑定区划，无法查看统计。"))
    code = filters.region or root
    if code and root and not in_subtree(code, root):
        raise PermissionDenied(_("区划“%(code)s”不在您的管辖范围内。") % {"code": code})
    if not code:
        return StatsScope(region=None)
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise PermissionDenied(_("区划“%(code)s”不存在。") % {"code": code})
    return StatsScope(region=region)


def projects_in(
    *, actor: User | AnonymousUser, scope: StatsScope, filters: StatsFilter
) -> QuerySet[Project]:
    """The projects behind the figures: scoped, then every filter applied."""
    projects = projects_visible(actor=actor)
    if scope.bounds:
        low, high = scope.bounds
        projects = projects.filter(region_id__gte=low, region_id__lt=high)
    q = Q()
    for name in ("tier", "category", "kind"):
        if getattr(filters, name):
            q &= Q(**{name: getattr(filters, name)})
    if filters.threshold:
        q &= Q(total_investment__gte=Decimal(filters.threshold))
    if filters.section:
        q &= Q(industry__parent_id=filters.section) | Q(industry_id=filters.section)
    if filters.zone is not None:
        q &= Q(zone_id=filters.zone)
    return projects.filter(q)


def _group(scope: StatsScope, by: str) -> Callable[[ProjectFacts, int | None], str]:
    if by == "industry":
        return lambda facts, zone: facts.section
    if by in ("tier", "category", "kind"):
        return lambda facts, zone: str(getattr(facts, by))
    if scope.zones:
        return lambda facts, zone: str(zone or "")
    length = scope.child_length
    return lambda facts, zone: facts.region[:length]


BY_FACET = {"industry": "section", "tier": "tier", "category": "category", "kind": "kind"}


def stats_cube(
    *, actor: User | AnonymousUser, filters: StatsFilter, by: str = "region"
) -> tuple[Cube, StatsScope, str]:
    """The cube of the actor's scope and filters, grouped ``by``; also says which path ran."""
    scope = stats_scope(actor=actor, filters=filters)
    facet = filters.facet()
    if by in BY_FACET and facet is not None and facet[0] in ("", BY_FACET[by]):
        # A breakdown by a facet reads that facet's rows, grouped by value.
        values = facet[1] if facet[0] else _facet_values(BY_FACET[by])
        facet = (BY_FACET[by], values)
    elif by in BY_FACET:
        facet = None
    if scope.owner is None and facet is not None and not (by == "region" and scope.zones):
        cube = cube_from_rollups(
            year=filters.year,
            month=filters.month,
            facet=facet[0],
            values=facet[1],
            region_bounds=scope.bounds,
            child_length=scope.child_length,
            by_value=by in BY_FACET,
        )
        return cube, scope, "rollups"
    projects = projects_in(actor=actor, scope=scope, filters=filters)
    cube = cube_from_projects(
        projects, year=filters.year, month=filters.month, child=_group(scope, by)
    )
    return cube, scope, "raw"


def _facet_values(facet: str) -> list[str]:
    if facet == "section":
        return ["", *Industry.objects.filter(parent__isnull=True).values_list("code", flat=True)]
    return [
        value
        for value, __label in {"tier": Tier, "category": Category, "kind": Kind}[facet].choices
    ]


# --- figures for people --------------------------------------------------------------


def cube_inputs(cube: Cube, *, start_target: int | None = None) -> kpis.Inputs:
    """The KPI inputs of a whole cube."""
    total = cube.total()
    events = {name: cube.event_total(name) for name in EVENT_METRICS}
    return kpis.Inputs(
        year=cube.year,
        month=cube.month,
        completed_ytd=wan(total.ytd),
        completed_ytd_last_year=max(wan(total.ytd_last), Decimal(0)),
        annual_plan=wan(total.plan_year),
        plan_to_date=wan(total.plan_to_date),
        completed_since_start=max(wan(total.before + total.ytd), Decimal(0)),
        total_investment=wan(total.total),
        industry_completed=max(wan(total.industry_ytd), Decimal(0)),
        funds_planned=wan(total.plan_year),
        funds_in_place=max(wan(total.funds_ytd), Decimal(0)),
        projects=total.projects,
        start_target=start_target,
        **{name: n for name, n in events.items() if name in kpis.Inputs.__dataclass_fields__},
    )


@dataclass(frozen=True)
class KpiFigure:
    """One KPI for a card: its definition, value and the value as shown."""

    kpi: kpis.Kpi
    value: object
    text: str


@dataclass(frozen=True)
class Row:
    """One line of a breakdown table."""

    key: str
    name: str
    measures: Measures
    events: dict[str, int] = field(default_factory=dict)
    lights: dict[str, int] = field(default_factory=dict)

    @property
    def total_investment(self) -> Decimal:
        return wan(self.measures.total)

    @property
    def completed(self) -> Decimal:
        return wan(self.measures.ytd)

    @property
    def completed_last_year(self) -> Decimal:
        return wan(self.measures.ytd_last)

    @property
    def plan(self) -> Decimal:
        return wan(self.measures.plan_year)

    @property
    def completion_rate(self) -> Decimal | None:
        return kpis.percent(self.measures.ytd, self.measures.plan_year)

    @property
    def growth(self) -> Decimal | None:
        last = self.measures.ytd_last
        return kpis.percent(self.measures.ytd - last, last) if last > 0 else None


@dataclass(frozen=True)
class Dashboard:
    """Everything one statistics page shows."""

    filters: StatsFilter
    scope: StatsScope
    path: str
    by: str
    cube: Cube
    inputs: kpis.Inputs
    kpis: list[KpiFigure]
    rows: list[Row]
    stages: list[Row]
    funnel: list[tuple[str, str, int]]
    series: list[tuple[int, Decimal, Decimal, Decimal, Decimal]]
    lights: dict[str, int]
    lagging: list[ProjectLight]

    @property
    def empty(self) -> bool:
        return not self.cube.total().projects


def _row_names(scope: StatsScope, by: str, keys: list[str]) -> dict[str, str]:
    if by == "industry":
        names = dict(Industry.objects.filter(code__in=keys).values_list("code", "name"))
        return {k: f"{k} {names[k]}" if k in names else _("未填行业") for k in keys}
    if by in ("tier", "category", "kind"):
        choices = {"tier": Tier, "category": Category, "kind": Kind}[by]
        return {k: str(dict(choices.choices).get(k, k)) for k in keys}
    if scope.zones:
        names = {
            str(pk): n
            for pk, n in Zone.objects.filter(pk__in=[k for k in keys if k]).values_list(
                "pk", "name"
            )
        }
        return {k: names.get(k, _("未入园区")) for k in keys}
    codes = [k.ljust(6, "0") for k in keys]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return {k: names.get(k.ljust(6, "0"), k) for k in keys}


def _series(cube: Cube) -> list[tuple[int, Decimal, Decimal, Decimal, Decimal]]:
    """Per month: cumulative completed and planned, this year and last."""
    out = []
    run = [0, 0, 0, 0]
    for month in range(1, 13):
        now, before = (
            cube.series.get((cube.year, month), [0, 0]),
            cube.series.get((cube.year - 1, month), [0, 0]),
        )
        for i, v in enumerate((now[0], now[1], before[0], before[1])):
            run[i] += v
        out.append((month, wan(run[0]), wan(run[1]), wan(run[2]), wan(run[3])))
    return out


def _lagging(
    actor: User | AnonymousUser, scope: StatsScope, filters: StatsFilter
) -> list[ProjectLight]:
    # Projects first, by investment, probing the light's key: SQLite otherwise looks up
    # the light of every project in scope (195 ms at 100k, bench/dashboard.py).
    red = ProjectLight.objects.filter(year=filters.year, month=filters.month, colour=Light.RED)
    ids = list(
        projects_in(actor=actor, scope=scope, filters=filters)
        .filter(pk__in=red.values("project_id"))
        .order_by("-total_investment", "pk")
        .values_list("pk", flat=True)[:LAGGING_LIMIT]
    )
    lights = {
        light.project_id: light
        for light in red.filter(project_id__in=ids).select_related("project", "project__region")
    }
    return [lights[pk] for pk in ids]


def start_target_applies(*, scope: StatsScope, filters: StatsFilter) -> bool:
    """Whether the figures cover a whole region: a target counts every project of it."""
    return scope.region is not None and filters.facet() == ("", [""])


def start_target(*, scope: StatsScope, filters: StatsFilter) -> int | None:
    """The scope region's 开复工 target for the year, when the figures cover the whole region."""
    if not start_target_applies(scope=scope, filters=filters):
        return None
    return (
        StartTarget.objects.filter(region=scope.region, year=filters.year)
        .values_list("projects", flat=True)
        .first()
    )


def dashboard(
    *, actor: User | AnonymousUser, filters: StatsFilter, by: str = "region"
) -> Dashboard:
    """The figures of one statistics page: KPIs, a breakdown ``by``, stages, series, lights."""
    cube, scope, path = stats_cube(actor=actor, filters=filters, by=by)
    inputs = cube_inputs(cube, start_target=start_target(scope=scope, filters=filters))
    registry = kpis.kpi_registry(settings.STATS_START_RATE_BASE)
    values = kpis.evaluate(inputs, registry)
    figures = [
        KpiFigure(k, values[code], format_kpi(k, values[code])) for code, k in registry.items()
    ]
    children = cube.by_child()
    names = _row_names(scope, by, list(children))
    rows = [
        Row(
            key,
            names[key],
            measures,
            dict(cube.events.get(key, {})),
            dict(cube.lights.get(key, {})),
        )
        for key, measures in sorted(children.items())
    ]
    stages = {s.pk: s for s in Stage.objects.all()}
    by_stage = cube.by_stage()
    stage_rows = [Row(str(pk), stages[pk].name, by_stage.get(pk, Measures())) for pk in stages]
    first_stage = min(stages.values(), key=lambda s: (s.order, s.pk)).pk if stages else None
    counts = {name: cube.event_total(name) for name in EVENT_METRICS}
    counts["projects"] = inputs.projects
    counts["preparing"] = inputs.projects - by_stage.get(first_stage or 0, Measures()).projects
    funnel = [(code, str(label), counts[code]) for code, label in FUNNEL]
    return Dashboard(
        filters=filters,
        scope=scope,
        path=path,
        by=by,
        cube=cube,
        inputs=inputs,
        kpis=figures,
        rows=rows,
        stages=stage_rows,
        funnel=funnel,
        series=_series(cube),
        lights=cube.light_total(),
        lagging=_lagging(actor, scope, filters),
    )


# --- drill-down ----------------------------------------------------------------------


def metric_projects(
    *,
    actor: User | AnonymousUser,
    filters: StatsFilter,
    metric: str,
) -> QuerySet[Project]:
    """Exactly the projects an event count (开工, 竣工…) counts, in the actor's scope."""
    if metric not in EVENT_METRICS:
        raise ValueError(_("未知的统计口径：%(metric)s") % {"metric": metric})
    scope = stats_scope(actor=actor, filters=filters)
    projects = projects_in(actor=actor, scope=scope, filters=filters)
    wanted = EVENT_METRICS[metric]
    values = bounds(filters.year, filters.month)
    matched = [
        read.pk
        for read in projects_read(projects, year=filters.year, month=filters.month)
        if any(
            event == wanted.event and event_matches(wanted, plan, actual, values)
            for event, plan, actual in read.events
        )
    ]
    return Project.objects.filter(pk__in=matched)
