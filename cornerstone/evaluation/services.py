"""Writes of the evaluation: schemes, rounds and their members, sheets, entries, closing.

Each write is one transaction with its audit row; a refused write names the field (or
the criterion and its limit) and leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_projects, can_edit_region
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.validation import full_clean_or_raise, values_apply
from cornerstone.evaluation import facts as unit_facts_module
from cornerstone.evaluation.choices import RoundStatus, SheetStatus, Source
from cornerstone.evaluation.models import (
    EvaluationRound,
    RoundEvaluator,
    RoundProject,
    RoundResult,
    RoundUnit,
)
from cornerstone.evaluation.queries import scheme_spec, schemes_visible
from cornerstone.evaluation.rules import (
    RuleError,
)
from cornerstone.evaluation.scoring import UnitInputs, shown, unit_scores
from cornerstone.geo.codes import in_subtree
from cornerstone.geo.models import Region, Zone
from cornerstone.projects.models import Project

ROUND_FIELDS = [
    "name",
    "year",
    "period_start",
    "period_end",
    "scheme",
    "region",
    "trim_min_evaluators",
]
ROUND_EDIT_FIELDS = ["name", "year", "period_start", "period_end", "trim_min_evaluators"]
EVALUATOR_ROLES = (Role.EVALUATOR, Role.ADMIN, Role.LEADER)


# --------------------------------------------------------------------------- checks


def require_organiser(actor: User, round_: EvaluationRound | None = None) -> None:
    """Only admins run rounds, and only of their own region or below."""
    if not can_edit_projects(actor):
        raise PermissionDenied(_("您没有组织评比的权限。"))
    if round_ is not None and not can_edit_region(actor, round_.region_id):
        raise PermissionDenied(_("该评比不在您的管辖范围内。"))


def locked_round(round_: EvaluationRound) -> EvaluationRound:
    """The round re-read under a row lock, so concurrent writes to it queue."""
    return EvaluationRound.objects.select_for_update().get(pk=round_.pk)


def require_status(round_: EvaluationRound, *allowed: str, what: str) -> None:
    """Refuse, naming the status, what the round's status does not allow."""
    if round_.status not in allowed:
        raise ValidationError(
            {
                "status": [
                    _("评比“%(name)s”当前为“%(status)s”，不能%(what)s。")
                    % {"name": round_.name, "status": round_.get_status_display(), "what": what}
                ]
            }
        )


def score_parse(value: Any, *, field: str) -> Decimal:
    """A score of at most two decimals; anything else refused on ``field``."""
    try:
        out = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("“%(value)s”不是数字。") % {"value": value}]}) from None
    if not out.is_finite() or out != out.quantize(Decimal("0.01")):
        raise ValidationError({field: [_("分值最多两位小数。")]})
    return out


def audit_write(
    actor: User, obj: Any, action: AuditAction, summary: str, source: AuditSource, **changes: Any
) -> None:
    """One audit row for a write of this app."""
    audit_record(
        actor=actor, source=source, action=action, obj=obj, summary=summary, changes=changes
    )


# --------------------------------------------------------------------------- rounds


@transaction.atomic
def round_create(
    *, actor: User, data: Mapping[str, Any], source: AuditSource = AuditSource.PAGE
) -> EvaluationRound:
    """A round in draft for a region of the actor's subtree, under a scheme they may use."""
    require_organiser(actor)
    round_ = EvaluationRound(created_by=actor, status=RoundStatus.DRAFT)
    errors = values_apply(round_, data, ROUND_FIELDS)
    if "region" not in errors and round_.region_id and not can_edit_region(actor, round_.region_id):
        errors["region"] = [_("所选区划不在您的管辖范围内。")]
    if (
        "scheme" not in errors
        and round_.scheme_id
        and not schemes_visible(actor=actor).filter(pk=round_.scheme_id).exists()
    ):
        errors["scheme"] = [_("所选评价方案不可用。")]
    full_clean_or_raise(round_, errors)
    round_.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=round_,
        summary=_("新建评比“%s”") % round_.name,
        changes=diff(round_, {}, snapshot(round_, ROUND_FIELDS)),
    )
    return round_


@transaction.atomic
def round_update(
    *,
    actor: User,
    round_: EvaluationRound,
    data: Mapping[str, Any],
    source: AuditSource = AuditSource.PAGE,
) -> EvaluationRound:
    """Change a round's name, period or trimming while it is not yet closed."""
    require_organiser(actor, round_)
    round_ = locked_round(round_)
    require_status(round_, RoundStatus.DRAFT, RoundStatus.OPEN, what=_("修改"))
    before = snapshot(round_, ROUND_EDIT_FIELDS)
    errors = values_apply(round_, data, ROUND_EDIT_FIELDS)
    full_clean_or_raise(round_, errors)
    round_.save()
    changes = diff(round_, before, snapshot(round_, ROUND_EDIT_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            source=source,
            action=AuditAction.UPDATE,
            obj=round_,
            summary=_("修改评比“%s”") % round_.name,
            changes=changes,
        )
    return round_


@transaction.atomic
def round_units_add(
    *,
    actor: User,
    round_: EvaluationRound,
    regions: Iterable[Region] = (),
    zones: Iterable[Zone] = (),
    source: AuditSource = AuditSource.PAGE,
) -> list[RoundUnit]:
    """Add counties / districts or zones inside the round's region as units (in draft)."""
    require_organiser(actor, round_)
    round_ = locked_round(round_)
    require_status(round_, RoundStatus.DRAFT, what=_("调整参评单位"))
    added = []
    candidates: list[tuple[Region | None, Zone | None, Region, str]] = [
        (r, None, r, r.name) for r in regions
    ] + [(None, z, z.region, z.name) for z in zones]
    for region, zone, where, name in candidates:
        if not in_subtree(where.code, round_.region_id) or (
            where.code == round_.region_id and zone is None
        ):
            raise ValidationError(
                {"units": [_("“%(name)s”不在评比区划的下级范围内。") % {"name": name}]}
            )
        exists = round_.units.filter(region=region, zone=zone).exists()
        if exists:
            raise ValidationError({"units": [_("“%(name)s”已是参评单位。") % {"name": name}]})
        unit = RoundUnit(round=round_, region=region, zone=zone, scope_region=where, name=name)
        full_clean_or_raise(unit, {})
        unit.save()
        added.append(unit)
    if added:
        audit_write(
            actor,
            round_,
            AuditAction.UPDATE,
            _("评比“%(name)s”增加参评单位：%(units)s")
            % {"name": round_.name, "units": "、".join(u.name for u in added)},
            source,
        )
    return added


@transaction.atomic
def round_unit_remove(
    *, actor: User, round_: EvaluationRound, unit: RoundUnit, source: AuditSource = AuditSource.PAGE
) -> None:
    """Take a unit out of a round still in draft."""
    require_organiser(actor, round_)
    round_ = locked_round(round_)
    require_status(round_, RoundStatus.DRAFT, what=_("调整参评单位"))
    name = unit.name
    round_.units.filter(pk=unit.pk).delete()
    audit_write(
        actor,
        round_,
        AuditAction.UPDATE,
        _("评比“%(r)s”移除参评单位%(u)s") % {"r": round_.name, "u": name},
        source,
    )


@transaction.atomic
def round_evaluator_assign(
    *,
    actor: User,
    round_: EvaluationRound,
    user: User,
    units: Sequence[RoundUnit] | None = None,
    source: AuditSource = AuditSource.PAGE,
) -> RoundEvaluator:
    """Make a user an evaluator of the given units (all units when none given)."""
    require_organiser(actor, round_)
    round_ = locked_round(round_)
    require_status(round_, RoundStatus.DRAFT, RoundStatus.OPEN, what=_("调整评委"))
    if not user.is_active or user.role not in EVALUATOR_ROLES:
        raise ValidationError({"user": [_("“%(name)s”不能担任评委。") % {"name": user.username}]})
    if user.region_id is None or not can_edit_region(actor, user.region_id):
        raise ValidationError(
            {"user": [_("“%(name)s”不在您的管辖范围内。") % {"name": user.username}]}
        )
    chosen = list(units) if units is not None else list(round_.units.all())
    for unit in chosen:
        if unit.round_id != round_.pk:
            raise ValidationError(
                {"units": [_("“%(name)s”不是本评比的参评单位。") % {"name": unit.name}]}
            )
    if not chosen:
        raise ValidationError({"units": [_("请先添加参评单位。")]})
    assignment, created = RoundEvaluator.objects.get_or_create(round=round_, user=user)
    assignment.units.set(chosen)
    audit_write(
        actor,
        assignment,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        _("评比“%(round)s”评委%(user)s评分单位：%(units)s")
        % {
            "round": round_.name,
            "user": user.get_full_name(),
            "units": "、".join(u.name for u in chosen),
        },
        source,
    )
    return assignment


@transaction.atomic
def round_projects_add(
    *,
    actor: User,
    round_: EvaluationRound,
    projects: Sequence[Project],
    source: AuditSource = AuditSource.PAGE,
) -> list[RoundProject]:
    """Add projects to visit; each goes under the unit it lies in."""
    require_organiser(actor, round_)
    round_ = locked_round(round_)
    require_status(round_, RoundStatus.DRAFT, RoundStatus.OPEN, what=_("调整观摩项目"))
    units = list(round_.units.all())
    position = round_.projects.count()
    added = []
    for project in projects:
        if not can_edit_region(actor, project.region_id) or not in_subtree(
            project.region_id, round_.region_id
        ):
            raise ValidationError(
                {"projects": [_("项目“%(name)s”不在评比区划内。") % {"name": project.name}]}
            )
        if round_.projects.filter(project=project).exists():
            raise ValidationError(
                {"projects": [_("项目“%(name)s”已在观摩名单中。") % {"name": project.name}]}
            )
        unit = next((u for u in units if u.zone_id and u.zone_id == project.zone_id), None) or next(
            (u for u in units if u.region_id and in_subtree(project.region_id, u.region_id)), None
        )
        position += 1
        added.append(
            RoundProject.objects.create(round=round_, project=project, unit=unit, position=position)
        )
    if added:
        audit_write(
            actor,
            round_,
            AuditAction.UPDATE,
            _("评比“%(name)s”增加观摩项目%(n)s个") % {"name": round_.name, "n": len(added)},
            source,
        )
    return added


def _move(
    actor: User, round_: EvaluationRound, to: RoundStatus, source: AuditSource, **stamps: Any
) -> EvaluationRound:
    before = round_.get_status_display()
    round_.status = to
    for name, value in stamps.items():
        setattr(round_, name, value)
    round_.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.TRANSITION,
        obj=round_,
        summary=_("评比“%(name)s”：%(before)s → %(after)s")
        % {"name": round_.name, "before": before, "after": round_.get_status_display()},
        changes={
            "status": {"label": _("状态"), "before": before, "after": round_.get_status_display()}
        },
    )
    return round_


@transaction.atomic
def round_open(
    *, actor: User, round_: EvaluationRound, source: AuditSource = AuditSource.PAGE
) -> EvaluationRound:
    """Open scoring: the round needs units, and evaluators if the scheme has evaluator items."""
    require_organiser(actor, round_)
    round_ = locked_round(round_)
    require_status(round_, RoundStatus.DRAFT, what=_("开始评分"))
    if not round_.units.exists():
        raise ValidationError({"units": [_("请先添加参评单位。")]})
    if (
        round_.scheme.criteria.filter(source=Source.EVALUATOR).exists()
        and not round_.evaluators.exists()
    ):
        raise ValidationError({"evaluators": [_("方案含评委评分项，请先指定评委。")]})
    return _move(actor, round_, RoundStatus.OPEN, source)


def round_inputs(round_: EvaluationRound) -> list[UnitInputs]:
    """Every unit's inputs: ledger facts (if the scheme computes any), sheets, daily entries."""
    criteria = list(round_.scheme.criteria.all())
    codes = {c.pk: c.code for c in criteria}
    computed = any(c.source == Source.COMPUTED for c in criteria)
    sheets: dict[int, list[dict[str, Decimal]]] = {}
    submitted = round_.sheets.filter(status=SheetStatus.SUBMITTED).prefetch_related("entries")
    for sheet in submitted:
        sheets.setdefault(sheet.unit_id, []).append(
            {codes[e.criterion_id]: e.score for e in sheet.entries.all()}
        )
    daily: dict[int, dict[str, list[Decimal]]] = {}
    for entry in round_.daily.all():
        daily.setdefault(entry.unit_id, {}).setdefault(codes[entry.criterion_id], []).append(
            entry.value
        )
    out = []
    for unit in round_.units.order_by("pk"):
        facts, projects = unit_facts_module.unit_facts(unit, round_) if computed else ({}, [])
        out.append(
            UnitInputs(
                unit=str(unit.pk),
                facts=facts,
                projects=projects,
                sheets=sheets.get(unit.pk, []),
                daily=daily.get(unit.pk, {}),
            )
        )
    return out


@transaction.atomic
def round_close(
    *, actor: User, round_: EvaluationRound, source: AuditSource = AuditSource.PAGE
) -> EvaluationRound:
    """Close scoring and compute every unit's total, rank and breakdown (drafts do not count)."""
    require_organiser(actor, round_)
    round_ = locked_round(round_)
    require_status(round_, RoundStatus.OPEN, what=_("结束评分"))
    try:
        spec = scheme_spec(round_.scheme)
    except RuleError as exc:
        raise ValidationError({exc.key: [exc.message]}) from None
    results = unit_scores(
        spec, round_inputs(round_), trim_min_evaluators=round_.trim_min_evaluators
    )
    selves = {s.unit_id: s.score for s in round_.self_scores.all()}
    drafts = set(round_.sheets.filter(status=SheetStatus.DRAFT).values_list("unit_id", flat=True))
    round_.results.all().delete()
    rows = []
    for result in results:
        unit_id = int(result.unit)
        notes = result.notes
        if unit_id in drafts:
            notes = [*notes, _("有评委的评分表未提交，未计入。")]
        rows.append(
            RoundResult(
                round=round_,
                unit_id=unit_id,
                total=result.total,
                rank=result.rank,
                breakdown=[
                    {
                        "criterion": line.criterion,
                        "name": line.name,
                        "component": line.component,
                        "score": shown(line.score),
                        "text": line.text,
                        "flagged": line.flagged,
                    }
                    for line in result.lines
                ],
                components={code: shown(score) for code, score in result.components.items()},
                self_score=selves.get(unit_id),
                notes=notes,
            )
        )
    RoundResult.objects.bulk_create(rows)
    return _move(actor, round_, RoundStatus.CLOSED, source, closed_at=timezone.now())


@transaction.atomic
def round_publish(
    *, actor: User, round_: EvaluationRound, source: AuditSource = AuditSource.PAGE
) -> EvaluationRound:
    """Publish a closed round's results to the leaderboard."""
    require_organiser(actor, round_)
    round_ = locked_round(round_)
    require_status(round_, RoundStatus.CLOSED, what=_("发布"))
    return _move(actor, round_, RoundStatus.PUBLISHED, source, published_at=timezone.now())
