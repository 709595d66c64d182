"""Writes of what people enter in a round: evaluators' sheets, admins' daily scores, units'
self-assessments.

Each write is one transaction with its audit row; a refused entry names the criterion
and its limit and leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_region
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.validation import full_clean_or_raise
from cornerstone.evaluation.choices import RoundStatus, SheetStatus, Source
from cornerstone.evaluation.models import (
    Criterion,
    DailyScore,
    EvaluationRound,
    RoundEvaluator,
    RoundUnit,
    ScoreEntry,
    ScoreSheet,
    SelfAssessment,
)
from cornerstone.evaluation.rules import (
    entry_limits,
    rule_parse,
)
from cornerstone.evaluation.scoring import shown
from cornerstone.evaluation.services import (
    locked_round,
    require_organiser,
    require_status,
    score_parse,
)

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
            value = score_parse(raw, field=code)
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
    round_ = locked_round(round_)
    _assigned_unit(actor, round_, unit)
    require_status(round_, RoundStatus.OPEN, what=_("评分"))
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
    round_ = locked_round(round_)
    require_status(round_, RoundStatus.DRAFT, RoundStatus.OPEN, what=_("录入日常考核赋分"))
    if unit.round_id != round_.pk:
        raise ValidationError(
            {"unit": [_("“%(name)s”不是本评比的参评单位。") % {"name": unit.name}]}
        )
    criterion = round_.scheme.criteria.filter(code=criterion_code, source=Source.DAILY).first()
    if criterion is None:
        raise ValidationError(
            {"criterion": [_("“%(code)s”不是日常考核评分项。") % {"code": criterion_code}]}
        )
    amount = score_parse(value, field="value")
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
    round_ = locked_round(round_)
    require_status(round_, RoundStatus.DRAFT, RoundStatus.OPEN, what=_("提交自评"))
    value = score_parse(score, field="score")
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
