"""Editing the lifecycle definitions: a province admin renames, reorders and adds stages and steps.

A change of order or of a step's ``optional`` flag can change which stage projects are
in, so each service recomputes the affected projects' stages in its own transaction.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_manage_lifecycle
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.projects.lifecycle_services import project_stages_recompute
from cornerstone.projects.models import Stage, StepDefinition

_STAGE_NAME = gettext_lazy("阶段名称")
_STEP_NAME = gettext_lazy("环节名称")


def _require_lifecycle_manager(actor: User) -> None:
    if not can_manage_lifecycle(actor):
        raise PermissionDenied(_("只有省级管理员可以修改生命周期设置。"))


def _lock_stages() -> list[Stage]:
    """Lock every stage, in lifecycle order: edits of the definitions run one at a time."""
    return list(Stage.objects.select_for_update().order_by("order", "id"))


def _index_of(stages: list[Stage], stage: Stage) -> int:
    for index, candidate in enumerate(stages):
        if candidate.pk == stage.pk:
            return index
    raise Stage.DoesNotExist


def _clean_name(name: str, label: str, max_length: int) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写%s。") % label})
    if len(name) > max_length:
        raise ValidationError(
            {"name": _("%(label)s不能超过%(limit)d个字。") % {"label": label, "limit": max_length}}
        )
    return name


def _validated(obj: Stage | StepDefinition) -> None:
    """full_clean, each message led by its field's name (pages show the messages alone)."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ValidationError(
            {
                name: [
                    f"{getattr(obj._meta.get_field(name), 'verbose_name', name)}：{message}"
                    if name != NON_FIELD_ERRORS
                    else message
                    for message in messages
                ]
                for name, messages in exc.message_dict.items()
            }
        ) from None


def _moved_note(summary: str, moved: int) -> str:
    if not moved:
        return summary
    return _("%(summary)s，%(count)d个项目的所处阶段随之变更") % {
        "summary": summary,
        "count": moved,
    }


def _moved_change(moved: int) -> dict[str, dict[str, str | None]]:
    """The number of projects a definition change moved, kept beside the field changes."""
    if not moved:
        return {}
    return {
        "projects_moved": {
            "label": str(_("所处阶段随之变更的项目数")),
            "before": None,
            "after": str(moved),
        }
    }


_Ordered = TypeVar("_Ordered", Stage, StepDefinition)


def _swap(items: list[_Ordered], index: int, offset: int) -> list[_Ordered]:
    """Swap an item with its neighbour and number all 1..n; return the ones renumbered.

    Numbering everything (rather than exchanging two values) also repairs duplicate
    or missing order values, which would otherwise make a swap a no-op.
    """
    target = index + offset
    items[index], items[target] = items[target], items[index]
    dirty = []
    for position, item in enumerate(items, start=1):
        if item.order != position:
            item.order = position
            dirty.append(item)
    return dirty


def _check_offset(offset: int) -> None:
    if offset not in (-1, 1):
        raise ValueError(f"offset must be -1 or +1, not {offset}")


@transaction.atomic
def stage_update(
    *, actor: User, stage: Stage, name: str, source: AuditSource = AuditSource.PAGE
) -> Stage:
    """Rename a stage; the name must be filled in and not used by another stage."""
    _require_lifecycle_manager(actor)
    stages = _lock_stages()
    stage = stages[_index_of(stages, stage)]
    name = _clean_name(name, str(_STAGE_NAME), Stage._meta.get_field("name").max_length or 32)
    if any(s.name == name for s in stages if s.pk != stage.pk):
        raise ValidationError(
            {
                "name": _("%(label)s“%(name)s”已被其他阶段使用。")
                % {"label": _STAGE_NAME, "name": name}
            }
        )
    before = snapshot(stage, ["name"])
    stage.name = name
    _validated(stage)
    changes = diff(stage, before, snapshot(stage, ["name"]))
    if not changes:
        return stage
    stage.save(update_fields=["name"])
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        obj=stage,
        summary=_("将阶段“%(before)s”更名为“%(after)s”")
        % {"before": before["name"], "after": name},
        changes=changes,
    )
    return stage


def _move_and_record(
    *,
    actor: User,
    source: AuditSource,
    items: list[_Ordered],
    index: int,
    offset: int,
    summary: str,
) -> None:
    """Swap, renumber, re-derive the projects' stages and write one audit row."""
    moved = items[index]
    before = snapshot(moved, ["order"])
    type(moved).objects.bulk_update(_swap(items, index, offset), ["order"])
    count = project_stages_recompute(actor=actor, source=source, reason=summary)
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        obj=moved,
        summary=_moved_note(summary, count),
        changes={**diff(moved, before, snapshot(moved, ["order"])), **_moved_change(count)},
    )


@transaction.atomic
def stage_move(
    *, actor: User, stage: Stage, offset: int, source: AuditSource = AuditSource.PAGE
) -> None:
    """Swap a stage with its neighbour (-1 earlier, +1 later); at either end nothing moves.

    The order of the stages is the order of all steps, so every project's stage is
    derived again.
    """
    _require_lifecycle_manager(actor)
    _check_offset(offset)
    stages = _lock_stages()
    index = _index_of(stages, stage)
    if not 0 <= index + offset < len(stages):
        return
    neighbour = stages[index + offset].name
    summary = (
        _("将阶段“%(stage)s”上移至“%(other)s”之前")
        if offset < 0
        else _("将阶段“%(stage)s”下移至“%(other)s”之后")
    ) % {"stage": stage.name, "other": neighbour}
    _move_and_record(
        actor=actor, source=source, items=stages, index=index, offset=offset, summary=summary
    )


def _free_step_code(name: str) -> str:
    """A code for a new step: its name as a slug when that is free, else step_N."""
    taken = set(StepDefinition.objects.values_list("code", flat=True))
    candidate = slugify(name)[:32]
    if candidate and candidate not in taken:
        return candidate
    number = len(taken) + 1
    while f"step_{number}" in taken:
        number += 1
    return f"step_{number}"


def _step_name_check(stage: Stage, name: str, exclude_pk: int | None = None) -> None:
    clash = StepDefinition.objects.filter(stage=stage, name=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {
                "name": _("%(label)s“%(name)s”在阶段“%(stage)s”中已存在。")
                % {"label": _STEP_NAME, "name": name, "stage": stage.name}
            }
        )


_DEFINITION_FIELDS = ["stage", "code", "name", "order", "optional"]


@transaction.atomic
def step_definition_create(
    *,
    actor: User,
    stage: Stage,
    name: str,
    optional: bool,
    code: str = "",
    source: AuditSource = AuditSource.PAGE,
) -> StepDefinition:
    """Append a step to a stage; a blank code is generated, a given one must be unused."""
    _require_lifecycle_manager(actor)
    stages = _lock_stages()
    stage = stages[_index_of(stages, stage)]
    name = _clean_name(
        name, str(_STEP_NAME), StepDefinition._meta.get_field("name").max_length or 32
    )
    _step_name_check(stage, name)
    code = code.strip()
    if code and StepDefinition.objects.filter(code=code).exists():
        raise ValidationError({"code": _("环节代码“%s”已被使用。") % code})
    last = stage.steps.aggregate(m=Max("order"))["m"] or 0
    definition = StepDefinition(
        stage=stage,
        code=code or _free_step_code(name),
        name=name,
        order=last + 1,
        optional=optional,
    )
    _validated(definition)
    definition.save()
    summary = _("在阶段“%(stage)s”新增%(kind)s“%(name)s”") % {
        "stage": stage.name,
        "kind": _("可选环节") if optional else _("必经环节"),
        "name": name,
    }
    # A new step has no records yet, so only a required one can change a stage.
    count = 0 if optional else project_stages_recompute(actor=actor, source=source, reason=summary)
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=definition,
        summary=_moved_note(summary, count),
        changes={
            **diff(definition, {}, snapshot(definition, _DEFINITION_FIELDS)),
            **_moved_change(count),
        },
    )
    return definition


@transaction.atomic
def step_definition_update(
    *,
    actor: User,
    definition: StepDefinition,
    name: str,
    optional: bool,
    source: AuditSource = AuditSource.PAGE,
) -> StepDefinition:
    """Rename a step or mark it optional or required; projects' stages follow."""
    _require_lifecycle_manager(actor)
    _lock_stages()
    definition = StepDefinition.objects.select_related("stage").get(pk=definition.pk)
    name = _clean_name(
        name, str(_STEP_NAME), StepDefinition._meta.get_field("name").max_length or 32
    )
    _step_name_check(definition.stage, name, exclude_pk=definition.pk)
    before = snapshot(definition, _DEFINITION_FIELDS)
    was_optional = definition.optional
    definition.name = name
    definition.optional = optional
    _validated(definition)
    changes = diff(definition, before, snapshot(definition, _DEFINITION_FIELDS))
    if not changes:
        return definition
    definition.save(update_fields=["name", "optional"])
    summary = _("修改环节“%(name)s”：%(fields)s") % {
        "name": name,
        "fields": "、".join(str(c["label"]) for c in changes.values()),
    }
    count = 0
    if optional != was_optional:
        count = project_stages_recompute(actor=actor, source=source, reason=summary)
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        obj=definition,
        summary=_moved_note(summary, count),
        changes={**changes, **_moved_change(count)},
    )
    return definition


@transaction.atomic
def step_definition_move(
    *,
    actor: User,
    definition: StepDefinition,
    offset: int,
    source: AuditSource = AuditSource.PAGE,
) -> None:
    """Swap a step with its neighbour in the same stage; at either end nothing moves."""
    _require_lifecycle_manager(actor)
    _check_offset(offset)
    _lock_stages()
    definition = StepDefinition.objects.select_related("stage").get(pk=definition.pk)
    steps = list(definition.stage.steps.order_by("order", "id"))
    index = next(i for i, d in enumerate(steps) if d.pk == definition.pk)
    if not 0 <= index + offset < len(steps):
        return
    neighbour = steps[index + offset].name
    summary = (
        _("将环节“%(step)s”上移至“%(other)s”之前")
        if offset < 0
        else _("将环节“%(step)s”下移至“%(other)s”之后")
    ) % {"step": steps[index].name, "other": neighbour}
    _move_and_record(
        actor=actor, source=source, items=steps, index=index, offset=offset, summary=summary
    )
