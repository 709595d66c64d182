"""Every read of the ledger, already scoped to the actor."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce

from cornerstone.accounts.scope import project_scope_q, region_scope_q, scope_root
from cornerstone.core.models import AuditEvent
from cornerstone.geo.choices import IndustryLevel, RegionLevel
from cornerstone.geo.codes import level_of
from cornerstone.geo.models import Industry, Zone
from cornerstone.geo.queries import regions_visible
from cornerstone.projects.choices import StepStatus
from cornerstone.projects.lifecycle import SETTLED, StepRule
from cornerstone.projects.models import Project, ProjectStep, Stage, StepDefinition, StepEvidence

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cornerstone.accounts.models import User


def projects_visible(*, actor: User | AnonymousUser) -> QuerySet[Project]:
    """All projects the actor may see."""
    return Project.objects.filter(project_scope_q(actor))


def project_get(*, actor: User | AnonymousUser, pk: int) -> Project:
    """One visible project with its labels joined; DoesNotExist when outside scope."""
    return (
        projects_visible(actor=actor)
        .select_related(
            "region",
            "region__parent",
            "zone",
            "industry",
            "industry__parent",
            "stage",
            "parent",
            "responsible_unit",
        )
        .get(pk=pk)
    )


def project_by_code(*, actor: User | AnonymousUser, code: str) -> Project:
    """One visible project by its code; DoesNotExist when outside scope."""
    return projects_visible(actor=actor).get(code=code)


def ledger_page(queryset: QuerySet[Project], start: int, stop: int) -> list[Project]:
    """One page of ledger rows in the queryset's order, in two queries.

    The ids are picked first from the project table alone; joining the labels only for
    those rows keeps the database from sorting the whole filtered set after five joins
    (SQLite does that otherwise: 170 ms against 9 ms at 100,000 projects).
    """
    ids = list(queryset.values_list("pk", flat=True)[start:stop])
    if not ids:
        return []
    rows = {p.pk: p for p in ledger_rows(Project.objects.filter(pk__in=ids)).order_by()}
    return [rows[pk] for pk in ids if pk in rows]


def ledger_rows(queryset: QuerySet[Project]) -> QuerySet[Project]:
    """The columns a ledger table shows, joined in one query."""
    return queryset.select_related("region", "region__parent", "stage", "industry", "zone").only(
        "id",
        "code",
        "name",
        "owner_org",
        "tier",
        "category",
        "kind",
        "total_investment",
        "planned_start_date",
        "actual_start_date",
        "updated_at",
        "region__code",
        "region__name",
        "region__full_name",
        "region__level",
        "region__parent__name",
        "region__parent__code",
        "stage__name",
        "stage__order",
        "industry__code",
        "industry__name",
        "zone__name",
    )


@dataclass(frozen=True)
class LedgerSummary:
    count: int
    total_investment: Decimal


def ledger_summary(queryset: QuerySet[Project]) -> LedgerSummary:
    """Count and total investment of a filtered set, in one query."""
    # COUNT(*), not COUNT(id): the covering filter indexes hold no id, and counting a column
    # would send PostgreSQL to the table (43 ms against 5 ms for 31,000 rows).
    totals = queryset.order_by().aggregate(n=Count("*"), total=Sum("total_investment"))
    return LedgerSummary(count=totals["n"], total_investment=totals["total"] or Decimal(0))


def lifecycle_rules() -> list[StepRule]:
    """Step definitions in lifecycle order, as the pure rules need them."""
    return [
        StepRule(id=d.pk, stage_id=d.stage_id, name=d.name, optional=d.optional)
        for d in StepDefinition.objects.select_related("stage").order_by(
            "stage__order", "order", "id"
        )
    ]


def stages_with_steps() -> list[Stage]:
    """Stages in order, each with its step definitions prefetched."""
    return list(
        Stage.objects.order_by("order", "id").prefetch_related(
            Prefetch("steps", queryset=StepDefinition.objects.order_by("order", "id"))
        )
    )


@dataclass
class TimelineStep:
    definition: StepDefinition
    record: ProjectStep | None
    evidence: list[StepEvidence] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.record.status if self.record else StepStatus.PENDING

    @property
    def status_label(self) -> str:
        return str(StepStatus(self.status).label)

    @property
    def status_colour(self) -> str:
        return StepStatus.colour(self.status)

    @property
    def settled(self) -> bool:
        return self.status in SETTLED


@dataclass
class TimelineStage:
    stage: Stage
    steps: list[TimelineStep]
    current: bool


def project_timeline(*, project: Project) -> list[TimelineStage]:
    """The project's lifecycle: every stage and step, with what was recorded (3 queries)."""
    records = {
        r.definition_id: r
        for r in ProjectStep.objects.filter(project=project).prefetch_related("evidence")
    }
    timeline = []
    for stage in stages_with_steps():
        steps = []
        for definition in stage.steps.all():
            record = records.get(definition.pk)
            steps.append(
                TimelineStep(definition, record, list(record.evidence.all()) if record else [])
            )
        timeline.append(TimelineStage(stage, steps, current=stage.pk == project.stage_id))
    return timeline


def project_children(*, actor: User | AnonymousUser, project: Project) -> QuerySet[Project]:
    """The visible sub-projects of a bundled project."""
    return projects_visible(actor=actor).filter(parent=project).order_by("code")


def project_history(*, project: Project) -> QuerySet[AuditEvent]:
    """The audit trail of one project, newest first."""
    return AuditEvent.objects.filter(project_id=project.pk).select_related("actor")


def evidence_get(*, actor: User | AnonymousUser, pk: int) -> StepEvidence:
    """One evidence file whose project the actor may see; DoesNotExist otherwise."""
    visible = projects_visible(actor=actor).values("pk")
    return StepEvidence.objects.select_related("step").get(pk=pk, step__project__in=visible)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    depth: int = 0


@dataclass(frozen=True)
class FilterOptions:
    regions: list[Option]
    zones: list[Option]
    industries: list[Option]
    stages: list[Option]


def filter_options(*, actor: User | AnonymousUser) -> FilterOptions:
    """The choices the ledger's filter bar offers, limited to the actor's scope (4 queries)."""
    root = scope_root(actor)
    regions: list[Option] = []
    if root is not None or actor.is_superuser:
        within = regions_visible(actor=actor)
        if root is None:
            # The whole country: provinces and cities; counties come with a city's scope.
            within = within.exclude(level=RegionLevel.COUNTY)
        top = level_of(root) if root else RegionLevel.PROVINCE
        depth_of = {RegionLevel.PROVINCE: 0, RegionLevel.CITY: 1, RegionLevel.COUNTY: 2}
        for code, full_name, name, level in within.values_list(
            "code", "full_name", "name", "level"
        ):
            depth = depth_of[RegionLevel(level)] - depth_of[top]
            regions.append(Option(code, full_name if depth == 0 else name, depth))
    zones = [
        Option(str(pk), name)
        for pk, name in Zone.objects.filter(region_scope_q(actor, "region_id")).values_list(
            "pk", "name"
        )
    ]
    industries = [
        Option(code, f"{code} {name}", 0 if level == IndustryLevel.SECTION else 1)
        for code, name, level in Industry.objects.order_by(
            Coalesce("parent_id", "code"), "level", "code"
        ).values_list("code", "name", "level")
    ]
    stages = [
        Option(str(pk), name)
        for pk, name in Stage.objects.order_by("order", "id").values_list("pk", "name")
    ]
    return FilterOptions(regions=regions, zones=zones, industries=industries, stages=stages)
