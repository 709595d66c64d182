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
    Criterion,
    DailyScore,
    EvaluationRound,
    EvaluationScheme,
    RoundEvaluator,
    RoundProject,
    RoundResult,
    RoundUnit,
    ScoreEntry,
    ScoreSheet,
    SelfAssessment,
)
from cornerstone.evaluation.presets import PRESETS
from cornerstone.evaluation.queries import scheme_spec, schemes_visible
from cornerstone.evaluation.rules import (
    RuleError,
    components_parse,
    criterion_parse,
    entry_limits,
    rule_parse,
    scheme_parse,
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


def _locked(round_: EvaluationRound) -> EvaluationRound:
    return EvaluationRound.objects.select_for_update().get(pk=round_.pk)


def _require_status(round_: EvaluationRound, *allowed: str, what: str) -> None:
    if round_.status not in allowed:
        raise ValidationError(
            {
                "status": [
                    _("评比“%(name)s”当前为“%(status)s”，不能%(what)s。")
                    % {"name": round_.name, "status": round_.get_status_display(), "what": what}
                ]
            }
        )


def _score(value: Any, *, field: str) -> Decimal:
    try:
        out = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("“%(value)s”不是数字。") % {"value": value}]}) from None
    if not out.is_finite() or out != out.quantize(Decimal("0.01")):
        raise ValidationError({field: [_("分值最多两位小数。")]})
    return out


def _audit(
    actor: User, obj: Any, action: AuditAction, summary: str, source: AuditSource, **changes: Any
) -> None:
    audit_record(
        actor=actor, source=source, action=action, obj=obj, summary=summary, changes=changes
    )


# --------------------------------------------------------------------------- schemes


@transaction.atomic
def scheme_create(
    *,
    actor: User,
    name: str,
    region: Region,
    definition: Mapping[str, Any],
    description: str = "",
    preset: str = "",
    source: AuditSource = AuditSource.PAGE,
) -> EvaluationScheme:
    """A scheme from its JSON definition (components and criteria), checked as a whole."""
    require_organiser(actor)
    if not can_edit_region(actor, region.code):
        raise ValidationError({"region": [_("所选区划不在您的管辖范围内。")]})
    try:
        scheme_parse(definition)
    except RuleError as exc:
        raise ValidationError({exc.key: [exc.message]}) from None
    scheme = EvaluationScheme(
        name=name,
        description=description,
        region=region,
        preset=preset,
        components=list(definition.get("components") or []),
        created_by=actor,
    )
    full_clean_or_raise(scheme, {})
    scheme.save()
    for order, item in enumerate(definition["criteria"]):
        criterion = Criterion(
            scheme=scheme,
            code=item["code"],
            name=item["name"],
            component=item.get("component") or "",
            source=item["source"],
            rule=item["rule"],
            max_score=item.get("max_score"),
            order=order,
        )
        full_clean_or_raise(criterion, {})
        criterion.save()
    _audit(actor, scheme, AuditAction.CREATE, _("新建评价方案“%s”") % name, source)
    return scheme


def scheme_create_from_preset(
    *, actor: User, preset: str, region: Region, source: AuditSource = AuditSource.PAGE
) -> EvaluationScheme:
    """A region's own copy of a shipped preset."""
    if preset not in PRESETS:
        raise ValidationError({"preset": [_("预置方案“%(code)s”不存在。") % {"code": preset}]})
    data = PRESETS[preset]
    return scheme_create(
        actor=actor,
        name=data["name"],
        region=region,
        definition=data,
        description=data["description"],
        preset=preset,
        source=source,
    )


@transaction.atomic
def criterion_save(
    *,
    actor: User,
    scheme: EvaluationScheme,
    code: str,
    data: Mapping[str, Any],
    source: AuditSource = AuditSource.PAGE,
) -> Criterion:
    """Change (or add) one criterion; the whole scheme must still be valid afterwards."""
    require_organiser(actor)
    if not can_edit_region(actor, scheme.region_id):
        raise PermissionDenied(_("该方案不在您的管辖范围内。"))
    if scheme.rounds.exclude(status=RoundStatus.DRAFT).exists():
        raise ValidationError({"scheme": [_("方案已用于开始评分的评比，不能再修改评分项。")]})
    criterion = scheme.criteria.filter(code=code).first() or Criterion(
        scheme=scheme, code=code, order=scheme.criteria.count()
    )
    before = (
        snapshot(criterion, ["name", "component", "source", "max_score"]) if criterion.pk else {}
    )
    old_rule = criterion.rule if criterion.pk else None
    errors = values_apply(criterion, data, ["name", "component", "source", "rule", "max_score"])
    full_clean_or_raise(criterion, errors)
    item = {
        "code": criterion.code,
        "name": criterion.name,
        "component": criterion.component,
        "source": criterion.source,
        "rule": criterion.rule,
        "max_score": criterion.max_score,
    }
    others = [
        {"code": c.code, "name": c.name, "component": c.component, "source": c.source,
         "rule": c.rule, "max_score": c.max_score}
        for c in scheme.criteria.exclude(code=code).order_by("order", "id")
    ]  # fmt: skip
    try:
        criterion_parse(item, where=code, components=components_parse(scheme.components))
        scheme_parse({"components": scheme.components, "criteria": [*others, item]})
    except RuleError as exc:
        raise ValidationError({"rule": [f"{exc.key}：{exc.message}"]}) from None
    criterion.save()
    changes = diff(
        criterion, before, snapshot(criterion, ["name", "component", "source", "max_score"])
    )
    if old_rule != criterion.rule:
        changes["rule"] = {"label": _("计分规则"), "before": old_rule, "after": criterion.rule}
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=criterion,
        summary=_("评价方案“%(scheme)s”评分项“%(name)s”")
        % {"scheme": scheme.name, "name": criterion.name},
        changes=changes,
    )
    return criterion


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
    round_ = _locked(round_)
    _require_status(round_, RoundStatus.DRAFT, RoundStatus.OPEN, what=_("修改"))
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
    round_ = _locked(round_)
    _require_status(round_, RoundStatus.DRAFT, what=_("调整参评单位"))
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
        _audit(
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
    round_ = _locked(round_)
    _require_status(round_, RoundStatus.DRAFT, what=_("调整参评单位"))
    name = unit.name
    round_.units.filter(pk=unit.pk).delete()
    _audit(
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
    round_ = _locked(round_)
    _require_status(round_, RoundStatus.DRAFT, RoundStatus.OPEN, what=_("调整评委"))
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
    _audit(
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
    round_ = _locked(round_)
    _require_status(round_, RoundStatus.DRAFT, RoundStatus.OPEN, what=_("调整观摩项目"))
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
        _audit(
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
    round_ = _locked(round_)
    _require_status(round_, RoundStatus.DRAFT, what=_("开始评分"))
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
    round_ = _locked(round_)
    _require_status(round_, RoundStatus.OPEN, what=_("结束评分"))
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
    round_ = _locked(round_)
    _require_status(round_, RoundStatus.CLOSED, what=_("发布"))
    return _move(actor, round_, RoundStatus.PUBLISHED, source, published_at=timezone.now())


# --------------------------------------------------------------------------- entries


def _assigned_unit(actor: User, round_: EvaluationRound, unit: RoundUnit) -> None:
    if not RoundEvaluator.objects.filter(round=round_, user=actor, units=unit).exists():
        raise PermissionDenied(_("您不是“%(unit)s”的评委，不能为其评分。") % {"unit": unit.name})


def _entries_check(
    round_: EvaluationRound, scores: Mapping[str, Any], *, complete: bool
) -> dict[Criterion, Decimal]:
    """Each score within its criterion's limits; every criterion given when ``complete``."""
    criteria = {c.code: c for c in round_.scheme.criteria.filter(source=Source.EVALUATOR)}
    errors: dict[str, list[str]] = {}
    out: dict[Criterion, Decimal] = {}
    for code in scores:
        if code not in criteria:
            errors[code] = [_("“%(code)s”不是本方案的评委评分项。") % {"code": code}]
    for code, criterion in criteria.items():
        raw = scores.get(code)
        if raw is None or str(raw).strip() == "":
            if complete:
                errors[code] = [_("“%(name)s”未评分。") % {"name": criterion.name}]
            continue
        try:
            value = _score(raw, field=code)
        except ValidationError as exc:
            errors[code] = [
                _("“%(name)s”：%(reason)s") % {"name": criterion.name, "reason": m}
                for m in exc.messages
            ]
            continue
        limits = entry_limits(rule_parse(criterion.rule))
        assert limits is not None
        low, high = limits
        if not low <= value <= high:
            errors[code] = [
                _("“%(name)s”的分值须在%(low)s—%(high)s分之间，现为%(value)s。")
                % {
                    "name": criterion.name,
                    "low": shown(low),
                    "high": shown(high),
                    "value": shown(value),
                }
            ]
            continue
        out[criterion] = value
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def score_sheet_save(
    *,
    actor: User,
    round_: EvaluationRound,
    unit: RoundUnit,
    scores: Mapping[str, Any],
    notes: Mapping[str, str] | None = None,
    submit: bool = False,
    source: AuditSource = AuditSource.PAGE,
) -> ScoreSheet:
    """Save the actor's own sheet for a unit (a draft, or submitted: then fixed for good)."""
    round_ = _locked(round_)
    _assigned_unit(actor, round_, unit)
    _require_status(round_, RoundStatus.OPEN, what=_("评分"))
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(
        round=round_, evaluator=actor, unit=unit
    )
    if sheet.status == SheetStatus.SUBMITTED:
        raise ValidationError(
            {
                "sheet": [
                    _("您对“%(unit)s”的评分表已于%(at)s提交，不能再修改或重复提交。")
                    % {
                        "unit": unit.name,
                        "at": timezone.localtime(sheet.submitted_at).strftime("%Y-%m-%d %H:%M"),
                    }
                ]
            }
        )
    checked = _entries_check(round_, scores, complete=submit)
    notes = notes or {}
    for criterion, value in checked.items():
        ScoreEntry.objects.update_or_create(
            sheet=sheet,
            criterion=criterion,
            defaults={"score": value, "note": (notes.get(criterion.code) or "")[:500]},
        )
    if submit:
        sheet.status = SheetStatus.SUBMITTED
        sheet.submitted_at = timezone.now()
    sheet.save()
    # The audit row records that a sheet was saved, not its scores: nobody reads another's
    # scores before the round closes, the audit trail included.
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.TRANSITION if submit else AuditAction.UPDATE,
        obj=sheet,
        summary=(_("提交对“%(unit)s”的评分表") if submit else _("保存对“%(unit)s”的评分表草稿"))
        % {"unit": unit.name},
    )
    return sheet


def score_sheet_submit(
    *,
    actor: User,
    round_: EvaluationRound,
    unit: RoundUnit,
    scores: Mapping[str, Any],
    notes: Mapping[str, str] | None = None,
    source: AuditSource = AuditSource.PAGE,
) -> ScoreSheet:
    """Submit the actor's sheet for a unit: every criterion scored, within its limits, once."""
    return score_sheet_save(
        actor=actor,
        round_=round_,
        unit=unit,
        scores=scores,
        notes=notes,
        submit=True,
        source=source,
    )


@transaction.atomic
def daily_score_add(
    *,
    actor: User,
    round_: EvaluationRound,
    unit: RoundUnit,
    criterion_code: str,
    value: Any,
    basis: str,
    source: AuditSource = AuditSource.PAGE,
) -> DailyScore:
    """An admin's daily-assessment entry for a unit (a score, an adjustment or a count)."""
    require_organiser(actor, round_)
    round_ = _locked(round_)
    _require_status(round_, RoundStatus.DRAFT, RoundStatus.OPEN, what=_("录入日常考核赋分"))
    if unit.round_id != round_.pk:
        raise ValidationError(
            {"unit": [_("“%(name)s”不是本评比的参评单位。") % {"name": unit.name}]}
        )
    criterion = round_.scheme.criteria.filter(code=criterion_code, source=Source.DAILY).first()
    if criterion is None:
        raise ValidationError(
            {"criterion": [_("“%(code)s”不是日常考核评分项。") % {"code": criterion_code}]}
        )
    amount = _score(value, field="value")
    limits = entry_limits(rule_parse(criterion.rule))
    if limits is not None:
        already = sum(
            (e.value for e in round_.daily.filter(unit=unit, criterion=criterion)), Decimal(0)
        )
        low, high = limits
        if not low <= already + amount <= high:
            raise ValidationError(
                {
                    "value": [
                        _("“%(name)s”合计须在%(low)s—%(high)s分之间，录入后为%(total)s。")
                        % {
                            "name": criterion.name,
                            "low": shown(low),
                            "high": shown(high),
                            "total": shown(already + amount),
                        }
                    ]
                }
            )
    entry = DailyScore(
        round=round_,
        unit=unit,
        criterion=criterion,
        value=amount,
        basis=basis.strip(),
        entered_by=actor,
    )
    full_clean_or_raise(entry, {})
    entry.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=entry,
        summary=_("%(unit)s“%(name)s”录入%(value)s：%(basis)s")
        % {"unit": unit.name, "name": criterion.name, "value": shown(amount), "basis": entry.basis},
    )
    return entry


@transaction.atomic
def self_assessment_submit(
    *,
    actor: User,
    round_: EvaluationRound,
    unit: RoundUnit,
    score: Any,
    basis: str,
    source: AuditSource = AuditSource.PAGE,
) -> SelfAssessment:
    """A unit's self-assessment (自评分 with its basis), by an admin of that unit."""
    if not can_edit_region(actor, unit.scope_region_id) or unit.round_id != round_.pk:
        raise PermissionDenied(_("只有参评单位的管理员可以提交自评。"))
    round_ = _locked(round_)
    _require_status(round_, RoundStatus.DRAFT, RoundStatus.OPEN, what=_("提交自评"))
    value = _score(score, field="score")
    if value < 0:
        raise ValidationError({"score": [_("自评分不能为负数。")]})
    if not basis.strip():
        raise ValidationError({"basis": [_("请填写自评依据。")]})
    existing = SelfAssessment.objects.filter(round=round_, unit=unit).first()
    assessment = existing or SelfAssessment(round=round_, unit=unit)
    before = snapshot(assessment, ["score", "basis"]) if existing else {}
    assessment.score, assessment.basis, assessment.submitted_by = value, basis.strip(), actor
    full_clean_or_raise(assessment, {})
    assessment.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        obj=assessment,
        summary=_("%(unit)s提交自评%(score)s分") % {"unit": unit.name, "score": shown(value)},
        changes=diff(assessment, before, snapshot(assessment, ["score", "basis"])),
    )
    return assessment
