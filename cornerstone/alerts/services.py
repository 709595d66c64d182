"""Writes of the alerts app: rule sets, justifications and the recomputation of lights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_projects, can_edit_region, project_scope_q
from cornerstone.alerts.choices import JustificationStatus, Preset
from cornerstone.alerts.models import Justification, RuleSet
from cornerstone.alerts.presets import ParamsError, params_validate
from cornerstone.alerts.recompute import lights_compute
from cornerstone.alerts.rules import PROJECT_RULES
from cornerstone.alerts.tasks import lights_recompute_enqueue
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.validation import full_clean_or_raise, values_apply
from cornerstone.geo.models import Region
from cornerstone.projects.models import Project
from cornerstone.stats.rollups import light_rollups_refreshed, lights_rollup_rebuild

RULE_SET_FIELDS = ["name", "region", "tier", "preset", "active"]
JUSTIFICATION_FIELDS = ["rule", "reason", "valid_until"]


def lights_recompute(
    *,
    project_ids: Sequence[int] | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute this month's lights (None: every project) and their regions' lights.

    The statistics' light counts follow: recounted after a full run, adjusted for a few.
    """
    today = today or timezone.localdate()
    if project_ids is None:
        written = lights_compute(project_ids=None, today=today, progress=progress)
        lights_rollup_rebuild(year=today.year, month=today.month)
        return written
    ids = list(project_ids)
    with (
        transaction.atomic(),
        light_rollups_refreshed(year=today.year, month=today.month, project_ids=ids),
    ):
        return lights_compute(project_ids=ids, today=today, progress=progress)


# Rule sets -------------------------------------------------------------------------------


def _require_region_admin(actor: User, region_code: str | None) -> None:
    if not can_edit_projects(actor):
        raise PermissionDenied(_("只有管理员可以设置预警规则。"))
    if region_code and not can_edit_region(actor, region_code):
        raise Region.DoesNotExist


def _params(preset: str, values: Mapping[str, Any], errors: dict[str, list[str]]) -> dict:
    try:
        return params_validate(preset if preset in Preset.values else "custom", values)
    except ParamsError as exc:
        for name, messages in exc.errors.items():
            errors.setdefault(name, []).extend(messages)
        return {}


@transaction.atomic
def rule_set_save(
    *,
    actor: User,
    data: Mapping[str, Any],
    params: Mapping[str, Any] | None = None,
    rule_set: RuleSet | None = None,
    source: AuditSource = AuditSource.PAGE,
) -> RuleSet:
    """Create or change a region's rule set: a preset, with ``params`` (dotted names) adjusted.

    Changing the preset starts from the new preset's values; the adjustments given are
    applied on top. Lights of the region's projects are recomputed after the commit.
    """
    target = rule_set or RuleSet()
    if rule_set is not None:
        _require_region_admin(actor, rule_set.region_id)
        target = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    before = snapshot(target, RULE_SET_FIELDS) if target.pk else {}
    old_params = dict(target.params) if target.pk else {}
    errors = values_apply(target, data, RULE_SET_FIELDS)
    region_code = target.region_id if "region" not in errors else None
    _require_region_admin(actor, region_code)
    if region_code is None and "region" not in errors:
        errors["region"] = [_("请选择区划。")]
    if "preset" not in errors and target.preset:
        target.params = _params(target.preset, params or {}, errors)
    if not target.name and "name" not in errors and region_code:
        target.name = _("%(region)s预警规则") % {"region": target.region.name}
    if (
        "region" not in errors
        and "tier" not in errors
        and RuleSet.objects.filter(region_id=region_code, tier=target.tier)
        .exclude(pk=target.pk)
        .exists()
    ):
        errors["tier"] = [_("该区划已有适用于此级别的预警规则，请修改原规则。")]
    target.updated_by = actor
    full_clean_or_raise(target, errors)
    changes = diff(target, before, snapshot(target, RULE_SET_FIELDS))
    if old_params != target.params:
        changes["params"] = {"label": _("参数"), "before": None, "after": None}
    if not changes:
        return target
    created = target.pk is None
    target.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=target,
        summary=(_("新建预警规则“%s”") if created else _("修改预警规则“%s”")) % target.name,
        changes=changes,
    )
    lights_recompute_enqueue(project_ids=None)
    return target


@transaction.atomic
def rule_set_delete(
    *, actor: User, rule_set: RuleSet, source: AuditSource = AuditSource.PAGE
) -> None:
    """Remove a rule set; its region falls back to the one above (or to no light)."""
    _require_region_admin(actor, rule_set.region_id)
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.DELETE,
        obj=rule_set,
        summary=_("删除预警规则“%s”") % rule_set.name,
        changes=diff(rule_set, snapshot(rule_set, RULE_SET_FIELDS), {}),
    )
    rule_set.delete()
    lights_recompute_enqueue(project_ids=None)


# Justifications --------------------------------------------------------------------------


def _visible_project(actor: User, project: Project) -> Project:
    if not Project.objects.filter(project_scope_q(actor), pk=project.pk).exists():
        raise Project.DoesNotExist
    return project


@transaction.atomic
def justification_propose(
    *,
    actor: User,
    project: Project,
    data: Mapping[str, Any],
    source: AuditSource = AuditSource.PAGE,
) -> Justification:
    """An owner or an admin states a documented reason for a rule's light on a project."""
    _visible_project(actor, project)
    if not (actor.is_superuser or actor.role in (Role.ADMIN, Role.OWNER)):
        raise PermissionDenied(_("只有管理员或业主单位可以提交情况说明。"))
    justification = Justification(project=project, created_by=actor)
    errors = values_apply(justification, data, JUSTIFICATION_FIELDS)
    if "rule" not in errors and justification.rule not in PROJECT_RULES:
        errors["rule"] = [_("规则：请选择要说明的预警规则。")]
    if "reason" not in errors and len(justification.reason.strip()) < 4:
        errors["reason"] = [_("理由：请写明理由（至少4个字）。")]
    if (
        "valid_until" not in errors
        and justification.valid_until is not None
        and justification.valid_until < timezone.localdate()
    ):
        errors["valid_until"] = [_("有效期至：不能早于今天。")]
    full_clean_or_raise(justification, errors)
    justification.reason = justification.reason.strip()
    justification.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=justification,
        summary=_("提交情况说明（%s）") % justification.rule,
        changes=diff(justification, {}, snapshot(justification, JUSTIFICATION_FIELDS)),
        project_id=project.pk,
    )
    return justification


@transaction.atomic
def justification_decide(
    *,
    actor: User,
    justification: Justification,
    accept: bool,
    note: str = "",
    source: AuditSource = AuditSource.PAGE,
) -> Justification:
    """An admin in scope accepts (the light is suppressed, with a note) or rejects a reason."""
    _visible_project(actor, justification.project)
    if not can_edit_projects(actor):
        raise PermissionDenied(_("只有管理员可以审核情况说明。"))
    justification = Justification.objects.select_for_update().get(pk=justification.pk)
    if justification.status != JustificationStatus.PROPOSED:
        raise ValidationError({"status": [_("该情况说明已审核，不能再次审核。")]})
    note = note.strip()
    if not accept and not note:
        raise ValidationError({"decision_note": [_("审核意见：不认可时请写明原因。")]})
    if len(note) > 500:
        raise ValidationError({"decision_note": [_("审核意见：不能超过500个字。")]})
    before = snapshot(justification, ["status", "decision_note"])
    justification.status = JustificationStatus.ACCEPTED if accept else JustificationStatus.REJECTED
    justification.decision_note = note
    justification.decided_by = actor
    justification.decided_at = timezone.now()
    justification.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        obj=justification,
        summary=(_("认可情况说明（%s）") if accept else _("不认可情况说明（%s）"))
        % justification.rule,
        changes=diff(justification, before, snapshot(justification, ["status", "decision_note"])),
        project_id=justification.project_id,
    )
    lights_recompute_enqueue(project_ids=[justification.project_id])
    return justification
