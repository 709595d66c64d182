"""Writes of evaluation schemes: created from a preset or a definition, criteria changed.

Each write is one transaction with its audit row; a scheme that would no longer parse
is refused with the key at fault.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_region
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.validation import full_clean_or_raise, values_apply
from cornerstone.evaluation.choices import RoundStatus
from cornerstone.evaluation.models import (
    Criterion,
    EvaluationScheme,
)
from cornerstone.evaluation.presets import PRESETS
from cornerstone.evaluation.rules import (
    RuleError,
    components_parse,
    criterion_parse,
    scheme_parse,
)
from cornerstone.evaluation.services import audit_write, require_organiser
from cornerstone.geo.models import Region

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
    audit_write(actor, scheme, AuditAction.CREATE, _("新建评价方案“%s”") % name, source)
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
