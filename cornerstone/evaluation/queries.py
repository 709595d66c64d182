"""Every read of the evaluation, scoped to the actor.

A round is visible to those whose region contains the round's region (the organisers
and their leaders), to those whose region contains one of its units (they see their own
units only), and to its evaluators. Evaluators see only their own sheets; nobody sees
another's scores before the round is closed; results exist only once it is closed, and
others than the organisers see them once published.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.accounts.scope import NOTHING, can_edit_region, region_scope_q
from cornerstone.evaluation.choices import RoundStatus, SheetStatus
from cornerstone.evaluation.models import (
    Criterion,
    DailyScore,
    EvaluationRound,
    EvaluationScheme,
    RoundEvaluator,
    RoundProject,
    RoundResult,
    RoundUnit,
    ScoreSheet,
    SelfAssessment,
)
from cornerstone.evaluation.rules import Scheme, components_parse, criterion_parse
from cornerstone.geo.codes import ancestors_of, subtree_bounds
from cornerstone.geo.models import Region, Zone

RESULT_STATUSES = (RoundStatus.CLOSED, RoundStatus.PUBLISHED)


def _active(actor: User | AnonymousUser) -> bool:
    return bool(actor.is_authenticated and actor.is_active)


def schemes_visible(*, actor: User | AnonymousUser) -> QuerySet[EvaluationScheme]:
    """Schemes of the actor's subtree and of the regions above it (a province's scheme)."""
    if not _active(actor):
        return EvaluationScheme.objects.none()
    if actor.is_superuser:
        return EvaluationScheme.objects.all()
    region = getattr(actor, "region_id", None)
    above = ancestors_of(region) if region else []
    return EvaluationScheme.objects.filter(
        region_scope_q(actor, "region_id") | Q(region_id__in=above)
    )


def scheme_spec(scheme: EvaluationScheme) -> Scheme:
    """The pure scheme of a stored one (its components and criteria, checked again)."""
    components = components_parse(scheme.components)
    criteria = tuple(
        criterion_parse(
            {
                "code": c.code,
                "name": c.name,
                "component": c.component,
                "source": c.source,
                "rule": c.rule,
                "max_score": c.max_score,
            },
            where=f"criteria[{c.code}]",
            components=components,
        )
        for c in scheme.criteria.order_by("order", "id")
    )
    return Scheme(components, criteria)


def _units_in_scope_q(actor: User | AnonymousUser) -> Q:
    return region_scope_q(actor, "units__scope_region_id")


def rounds_visible(*, actor: User | AnonymousUser) -> QuerySet[EvaluationRound]:
    """Rounds the actor organises, leads, has a unit in, or evaluates."""
    if not _active(actor):
        return EvaluationRound.objects.none()
    if actor.is_superuser:
        return EvaluationRound.objects.all()
    q = (
        region_scope_q(actor, "region_id")
        | _units_in_scope_q(actor)
        | Q(evaluators__user_id=actor.pk or 0)
    )
    if q == NOTHING:
        return EvaluationRound.objects.none()
    ids = EvaluationRound.objects.filter(q).values("pk")
    return EvaluationRound.objects.filter(pk__in=ids)


def round_list(*, actor: User | AnonymousUser) -> QuerySet[EvaluationRound]:
    """Visible rounds with their scheme and region and unit counts, newest first."""
    return (
        rounds_visible(actor=actor)
        .select_related("scheme", "region")
        .annotate(unit_count=Count("units", distinct=True))
        .order_by("-year", "-period_end", "-id")
    )


def round_get(*, actor: User | AnonymousUser, pk: int) -> EvaluationRound:
    """One visible round; DoesNotExist when outside scope."""
    return rounds_visible(actor=actor).select_related("scheme", "region").get(pk=pk)


def is_organiser(actor: User | AnonymousUser, round_: EvaluationRound) -> bool:
    """Whether the actor runs the round (an admin of its region or above)."""
    return can_edit_region(actor, round_.region_id)


def sees_whole_round(actor: User | AnonymousUser, round_: EvaluationRound) -> bool:
    """Organisers and leaders of the round's region see every unit."""
    if not _active(actor):
        return False
    return (
        actor.is_superuser
        or EvaluationRound.objects.filter(region_scope_q(actor, "region_id"), pk=round_.pk).exists()
    )


def units_visible(*, actor: User | AnonymousUser, round_: EvaluationRound) -> QuerySet[RoundUnit]:
    """A round's units the actor may see: all for the round's region, else their own."""
    units = round_.units.select_related("region", "zone", "scope_region")
    if sees_whole_round(actor, round_):
        return units
    assigned = RoundUnit.objects.filter(evaluators__round=round_, evaluators__user_id=actor.pk or 0)
    return units.filter(region_scope_q(actor, "scope_region_id") | Q(pk__in=assigned.values("pk")))


def unit_get(*, actor: User | AnonymousUser, round_: EvaluationRound, pk: int) -> RoundUnit:
    """One unit of a round the actor may see; DoesNotExist otherwise."""
    return units_visible(actor=actor, round_=round_).get(pk=pk)


def evaluator_assignment(
    *, actor: User | AnonymousUser, round_: EvaluationRound
) -> RoundEvaluator | None:
    """The actor's own assignment as an evaluator of the round, if any."""
    if not _active(actor):
        return None
    return round_.evaluators.filter(user_id=actor.pk or 0).prefetch_related("units").first()


def my_sheets(*, actor: User | AnonymousUser, round_: EvaluationRound) -> QuerySet[ScoreSheet]:
    """The actor's own sheets of a round: no one else's, ever."""
    if not _active(actor):
        return ScoreSheet.objects.none()
    return (
        ScoreSheet.objects.filter(round=round_, evaluator_id=actor.pk)
        .select_related("unit")
        .prefetch_related("entries")
    )


def sheet_get(
    *, actor: User | AnonymousUser, round_: EvaluationRound, unit: RoundUnit
) -> ScoreSheet | None:
    """The actor's own sheet for a unit, if one was saved."""
    return my_sheets(actor=actor, round_=round_).filter(unit=unit).first()


def criteria_of(round_: EvaluationRound, *, source: str | None = None) -> QuerySet[Criterion]:
    """The round's scheme's criteria in order (of one source when given)."""
    out = round_.scheme.criteria.order_by("order", "id")
    return out.filter(source=source) if source else out


@dataclass(frozen=True)
class Progress:
    """How far the sheets of a round are: counts only, never scores."""

    evaluator: str
    username: str
    assigned: int
    submitted: int
    drafts: int


def sheet_progress(*, actor: User | AnonymousUser, round_: EvaluationRound) -> list[Progress]:
    """Per evaluator: units assigned, sheets submitted and in draft (organisers only)."""
    if not is_organiser(actor, round_):
        return []
    out = []
    sheets = round_.sheets.values("evaluator_id", "status").annotate(n=Count("pk"))
    counts: dict[tuple[int, str], int] = {(s["evaluator_id"], s["status"]): s["n"] for s in sheets}
    assignments = round_.evaluators.select_related("user").annotate(n=Count("units"))
    for assignment in assignments:
        user = assignment.user
        out.append(
            Progress(
                evaluator=user.get_full_name() or user.username,
                username=user.username,
                assigned=assignment.n,
                submitted=counts.get((user.pk, SheetStatus.SUBMITTED), 0),
                drafts=counts.get((user.pk, SheetStatus.DRAFT), 0),
            )
        )
    return out


def round_projects(
    *, actor: User | AnonymousUser, round_: EvaluationRound
) -> QuerySet[RoundProject]:
    """Projects visited, of the units the actor may see (or of no unit)."""
    units = units_visible(actor=actor, round_=round_)
    return (
        round_.projects.filter(Q(unit__in=units) | Q(unit__isnull=True))
        .select_related("project", "project__region", "unit")
        .order_by("position", "id")
    )


def results_visible(actor: User | AnonymousUser, round_: EvaluationRound) -> bool:
    """Results show once closed to organisers, once published to everyone who sees the round."""
    if round_.status == RoundStatus.PUBLISHED:
        return True
    return round_.status == RoundStatus.CLOSED and is_organiser(actor, round_)


def round_results(*, actor: User | AnonymousUser, round_: EvaluationRound) -> QuerySet[RoundResult]:
    """The results of the units the actor may see, by rank; none before they are visible."""
    if not results_visible(actor, round_):
        return RoundResult.objects.none()
    units = units_visible(actor=actor, round_=round_)
    return (
        round_.results.filter(unit__in=units).select_related("unit").order_by("rank", "unit__name")
    )


@dataclass(frozen=True)
class BoardRow:
    """A row of the leaderboard (赛马榜): this round's result and the move since the last."""

    result: RoundResult
    previous_rank: int | None
    self_score: Decimal | None

    @property
    def movement(self) -> int | None:
        """Places gained (positive) or lost since the previous round; None if new."""
        return None if self.previous_rank is None else self.previous_rank - self.result.rank


def previous_round(round_: EvaluationRound) -> EvaluationRound | None:
    """The last published round before this one of the same scheme and region."""
    return (
        EvaluationRound.objects.filter(
            scheme_id=round_.scheme_id,
            region_id=round_.region_id,
            status=RoundStatus.PUBLISHED,
        )
        .filter(
            Q(period_end__lt=round_.period_end) | Q(period_end=round_.period_end, pk__lt=round_.pk)
        )
        .order_by("-period_end", "-pk")
        .first()
    )


def _unit_key(unit: RoundUnit) -> tuple[str | None, int | None]:
    return unit.region_id, unit.zone_id


def leaderboard(*, actor: User | AnonymousUser, round_: EvaluationRound) -> list[BoardRow]:
    """The round's visible results with each unit's rank in the previous round."""
    results = list(round_results(actor=actor, round_=round_))
    before = previous_round(round_)
    previous: dict[tuple[str | None, int | None], int] = {}
    if before is not None:
        for result in before.results.select_related("unit"):
            previous[_unit_key(result.unit)] = result.rank
    return [
        BoardRow(result, previous.get(_unit_key(result.unit)), result.self_score)
        for result in results
    ]


def history(*, actor: User | AnonymousUser, round_: EvaluationRound, limit: int = 6) -> list[dict]:
    """Each visible unit's rank over the published rounds of the same scheme and region."""
    rounds = list(
        rounds_visible(actor=actor)
        .filter(scheme_id=round_.scheme_id, region_id=round_.region_id)
        .filter(Q(status=RoundStatus.PUBLISHED) | Q(pk=round_.pk))
        .filter(period_end__lte=round_.period_end)
        .order_by("-period_end", "-pk")[:limit]
    )[::-1]
    units = {_unit_key(u): u.name for u in units_visible(actor=actor, round_=round_)}
    ranks: dict[tuple[str | None, int | None], dict[int, int]] = {key: {} for key in units}
    for result in RoundResult.objects.filter(round__in=rounds).select_related("unit", "round"):
        key = _unit_key(result.unit)
        if key in ranks and results_visible(actor, result.round):
            ranks[key][result.round_id] = result.rank
    return [
        {"round": r, "ranks": [(name, ranks[key].get(r.pk)) for key, name in units.items()]}
        for r in rounds
    ]


def daily_scores(*, actor: User | AnonymousUser, round_: EvaluationRound) -> QuerySet[DailyScore]:
    """Admins' daily-assessment entries of the units the actor may see."""
    units = units_visible(actor=actor, round_=round_)
    return (
        round_.daily.filter(unit__in=units)
        .select_related("unit", "criterion", "entered_by")
        .order_by("unit__name", "criterion__order", "id")
    )


def self_assessments(
    *, actor: User | AnonymousUser, round_: EvaluationRound
) -> dict[int, SelfAssessment]:
    """Self-assessments of the units the actor may see, by unit id."""
    units = units_visible(actor=actor, round_=round_)
    return {s.unit_id: s for s in round_.self_scores.filter(unit__in=units)}


def evaluator_candidates(*, actor: User | AnonymousUser) -> QuerySet[User]:
    """Active users of the actor's subtree who may sit on a panel."""
    return User.objects.filter(
        region_scope_q(actor, "region_id"),
        is_active=True,
        role__in=(Role.EVALUATOR, Role.ADMIN, Role.LEADER),
    ).order_by("region_id", "username")


def unit_candidates(round_: EvaluationRound) -> tuple[QuerySet[Region], QuerySet[Zone]]:
    """The regions directly under the round's region and the zones inside it, not yet units."""
    low, high = subtree_bounds(round_.region_id)
    taken = round_.units.all()
    regions = Region.objects.filter(parent_id=round_.region_id).exclude(
        code__in=taken.exclude(region=None).values("region_id")
    )
    zones = (
        Zone.objects.filter(region_id__gte=low, region_id__lt=high)
        .exclude(pk__in=taken.exclude(zone=None).values("zone_id"))
        .select_related("region")
    )
    return regions.order_by("code"), zones.order_by("region_id", "name")


def scheme_get(*, actor: User | AnonymousUser, pk: int) -> EvaluationScheme:
    """One visible scheme; DoesNotExist when outside scope."""
    return schemes_visible(actor=actor).select_related("region").get(pk=pk)


def scheme_editable(actor: User | AnonymousUser, scheme: EvaluationScheme) -> bool:
    """Admins of the scheme's region edit it until a round using it has started."""
    return (
        can_edit_region(actor, scheme.region_id)
        and not scheme.rounds.exclude(status=RoundStatus.DRAFT).exists()
    )
