"""Every write to a project's lifecycle: completing, waiving, reopening and planning steps.

Each service is one transaction that checks the order rules, moves the project's stage
and writes one audit row naming both the step's and the project's changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_manage_lifecycle
from cornerstone.core.audit import audit_event, audit_record, diff, display_value, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.projects.choices import Milestone, StepStatus
from cornerstone.projects.evidence import evidence_check
from cornerstone.projects.lifecycle import SETTLED, blocking_steps, current_stage_id
from cornerstone.projects.models import Project, ProjectStep, Stage, StepDefinition, StepEvidence
from cornerstone.projects.queries import lifecycle_rules
from cornerstone.projects.services import AUDITED_FIELDS, MILESTONE_FIELDS, require_editor


def _statuses(project: Project) -> dict[int, str]:
    return dict(project.steps.values_list("definition_id", "status"))


def _lock_step(project: Project, definition: StepDefinition) -> ProjectStep:
    step, _created = ProjectStep.objects.select_for_update().get_or_create(
        project=project, definition=definition
    )
    return step


def _settle_stage(project: Project, step: ProjectStep) -> tuple[str | None, str | None]:
    """Recompute the project's stage from its steps; return (before, after) names.

    ``step`` is the one being changed, not saved yet: its new status must count.
    """
    rules = lifecycle_rules()
    before = project.stage.name if project.stage_id else None
    statuses = _statuses(project)
    statuses[step.definition_id] = step.status
    project.stage_id = current_stage_id(rules, statuses)
    project.stage = Stage.objects.get(pk=project.stage_id)
    return before, project.stage.name


def _transition(
    *,
    actor: User,
    project: Project,
    step: ProjectStep,
    step_before: dict[str, str | None],
    project_before: dict[str, str | None],
    summary: str,
    source: AuditSource,
) -> None:
    """Save step and project, and write one audit row with both sides' changes."""
    step.full_clean()
    step.save()
    project.full_clean()
    project.save()
    changes = {
        f"step.{k}": v
        for k, v in diff(
            step,
            step_before,
            snapshot(step, ["status", "actual_date", "planned_date", "note", "waiver_reason"]),
        ).items()
    }
    changes.update(diff(project, project_before, snapshot(project, AUDITED_FIELDS)))
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.TRANSITION,
        obj=step,
        summary=summary,
        changes=changes,
        project_id=project.pk,
    )


_STEP_FIELDS = ["status", "actual_date", "planned_date", "note", "waiver_reason"]


@transaction.atomic
def project_step_complete(
    *,
    actor: User,
    project: Project,
    definition: StepDefinition,
    actual_date: dt.date,
    note: str = "",
    source: AuditSource = AuditSource.PAGE,
) -> ProjectStep:
    """Complete a step: no future date, earlier required steps settled; moves the stage."""
    require_editor(actor, project)
    project = Project.objects.select_for_update().select_related("stage").get(pk=project.pk)
    today = timezone.localdate()
    if actual_date > today:
        raise ValidationError(
            {"actual_date": _("实际完成日期不能晚于今天（%s）。") % today.isoformat()}
        )
    blockers = blocking_steps(lifecycle_rules(), _statuses(project), definition.pk)
    if blockers:
        names = "、".join(b.name for b in blockers)
        raise ValidationError({"definition": _("请先完成或豁免前序必经环节：%s。") % names})
    step = _lock_step(project, definition)
    if step.status == StepStatus.DONE:
        raise ValidationError({"definition": _("环节“%s”已完成。") % definition.name})
    step_before = snapshot(step, _STEP_FIELDS)
    project_before = snapshot(project, AUDITED_FIELDS)
    step.status = StepStatus.DONE
    step.actual_date = actual_date
    step.waiver_reason = ""
    if note:
        step.note = note
    if definition.milestone:
        setattr(project, MILESTONE_FIELDS[Milestone(definition.milestone)], actual_date)
    _settle_stage(project, step)
    _transition(
        actor=actor,
        project=project,
        step=step,
        step_before=step_before,
        project_before=project_before,
        summary=_("完成环节“%(step)s”（%(date)s）")
        % {"step": definition.name, "date": actual_date.isoformat()},
        source=source,
    )
    return step


@transaction.atomic
def project_step_waive(
    *,
    actor: User,
    project: Project,
    definition: StepDefinition,
    reason: str,
    source: AuditSource = AuditSource.PAGE,
) -> ProjectStep:
    """Waive a step with a stated reason, so later steps may proceed."""
    require_editor(actor, project)
    if not reason.strip():
        raise ValidationError({"waiver_reason": _("豁免环节必须说明理由。")})
    project = Project.objects.select_for_update().select_related("stage").get(pk=project.pk)
    step = _lock_step(project, definition)
    if step.status in SETTLED:
        raise ValidationError({"definition": _("环节“%s”已办结，无需豁免。") % definition.name})
    step_before = snapshot(step, _STEP_FIELDS)
    project_before = snapshot(project, AUDITED_FIELDS)
    step.status = StepStatus.WAIVED
    step.waiver_reason = reason.strip()
    _settle_stage(project, step)
    _transition(
        actor=actor,
        project=project,
        step=step,
        step_before=step_before,
        project_before=project_before,
        summary=_("豁免环节“%(step)s”：%(reason)s")
        % {"step": definition.name, "reason": reason.strip()},
        source=source,
    )
    return step


@transaction.atomic
def project_step_reopen(
    *,
    actor: User,
    project: Project,
    definition: StepDefinition,
    reason: str,
    source: AuditSource = AuditSource.PAGE,
) -> ProjectStep:
    """Undo a completion or waiver (a correction), with a reason; clears its key date."""
    require_editor(actor, project)
    if not reason.strip():
        raise ValidationError({"note": _("撤销办结必须说明理由。")})
    project = Project.objects.select_for_update().select_related("stage").get(pk=project.pk)
    step = _lock_step(project, definition)
    if step.status not in SETTLED:
        raise ValidationError({"definition": _("环节“%s”尚未办结。") % definition.name})
    step_before = snapshot(step, _STEP_FIELDS)
    project_before = snapshot(project, AUDITED_FIELDS)
    step.status = StepStatus.IN_PROGRESS if step.planned_date else StepStatus.PENDING
    step.actual_date = None
    step.waiver_reason = ""
    step.note = reason.strip()
    if definition.milestone:
        setattr(project, MILESTONE_FIELDS[Milestone(definition.milestone)], None)
    _settle_stage(project, step)
    _transition(
        actor=actor,
        project=project,
        step=step,
        step_before=step_before,
        project_before=project_before,
        summary=_("撤销环节“%(step)s”的办结：%(reason)s")
        % {"step": definition.name, "reason": reason.strip()},
        source=source,
    )
    return step


@transaction.atomic
def project_step_plan(
    *,
    actor: User,
    project: Project,
    definition: StepDefinition,
    planned_date: dt.date | None,
    note: str = "",
    source: AuditSource = AuditSource.PAGE,
) -> ProjectStep:
    """Set a step's planned date and note; a planned, unsettled step is in progress."""
    require_editor(actor, project)
    step = _lock_step(project, definition)
    before = snapshot(step, _STEP_FIELDS)
    step.planned_date = planned_date
    step.note = note.strip()
    if step.status not in SETTLED:
        step.status = StepStatus.IN_PROGRESS if planned_date else StepStatus.PENDING
    step.full_clean()
    step.save()
    changes = diff(step, before, snapshot(step, _STEP_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            source=source,
            action=AuditAction.UPDATE,
            obj=step,
            summary=_("更新环节“%s”的计划") % definition.name,
            changes={f"step.{k}": v for k, v in changes.items()},
            project_id=project.pk,
        )
    return step


@transaction.atomic
def step_evidence_add(
    *,
    actor: User,
    project: Project,
    definition: StepDefinition,
    upload: UploadedFile,
    source: AuditSource = AuditSource.PAGE,
) -> StepEvidence:
    """Attach a checked evidence file to a project's step."""
    require_editor(actor, project)
    content_type = evidence_check(upload)
    step = _lock_step(project, definition)
    evidence = StepEvidence(
        step=step,
        original_name=(upload.name or "file")[:200],
        size=upload.size or 0,
        content_type=content_type,
        uploaded_by=actor,
    )
    evidence.file.save(upload.name or "file", upload, save=False)
    stored = evidence.file.name
    try:
        evidence.full_clean()
        evidence.save()
        audit_record(
            actor=actor,
            source=source,
            action=AuditAction.CREATE,
            obj=evidence,
            summary=_("上传环节“%(step)s”佐证材料：%(file)s")
            % {"step": definition.name, "file": evidence.original_name},
            project_id=project.pk,
        )
    except BaseException:
        # Nothing half-saved: whatever fails after the write (the row, the audit insert)
        # rolls the transaction back, and the file must go with it.
        evidence.file.storage.delete(stored)
        raise
    return evidence


def project_stages_recompute(
    *,
    project_ids: Iterable[int] | None = None,
    batch: int = 2000,
    actor: User | None = None,
    source: AuditSource = AuditSource.SYSTEM,
    reason: str = "",
) -> int:
    """Re-derive every (or the given) project's stage after the lifecycle changed.

    Each project that moves gets an audit row with its stage before and after; returns
    how many moved. Inside a caller's transaction the chunks are savepoints of it.
    """
    rules = lifecycle_rules()
    field = Project._meta.get_field("stage")
    label = str(field.verbose_name)
    stages = list(Stage.objects.all())
    names = {stage.pk: stage.name for stage in stages}
    # The changes show a stage as every other audit row does (display_value), built once.
    shown = {stage.pk: display_value(Project(stage=stage), field) for stage in stages}
    queryset = Project.objects.order_by("pk")
    if project_ids is not None:
        queryset = queryset.filter(pk__in=list(project_ids))
    changed = 0
    last_pk = 0
    now = timezone.now()
    while True:
        with transaction.atomic():
            chunk = list(queryset.filter(pk__gt=last_pk).only("pk", "stage_id")[:batch])
            if not chunk:
                return changed
            first_pk, last_pk = chunk[0].pk, chunk[-1].pk
            statuses: dict[int, dict[int, str]] = {p.pk: {} for p in chunk}
            # Only settled steps decide a stage; a key range keeps the query free of a
            # parameter per project.
            for project_id, definition_id, status in ProjectStep.objects.filter(
                project_id__gte=first_pk, project_id__lte=last_pk, status__in=SETTLED
            ).values_list("project_id", "definition_id", "status"):
                if project_id in statuses:
                    statuses[project_id][definition_id] = status
            moves: dict[tuple[int, int], list[int]] = defaultdict(list)
            events = []
            for project in chunk:
                stage_id = current_stage_id(rules, statuses[project.pk])
                if stage_id == project.stage_id:
                    continue
                moves[(project.stage_id, stage_id)].append(project.pk)
                events.append(
                    audit_event(
                        actor=actor,
                        source=source,
                        action=AuditAction.UPDATE,
                        obj=project,
                        summary=_("%(reason)s所处阶段由“%(before)s”变为“%(after)s”")
                        % {
                            "reason": f"{reason}，" if reason else "",
                            "before": names[project.stage_id],
                            "after": names[stage_id],
                        },
                        changes={
                            "stage": {
                                "label": label,
                                "before": shown[project.stage_id],
                                "after": shown[stage_id],
                            }
                        },
                        project_id=project.pk,
                    )
                )
            # One UPDATE per (from, to) pair of stages rather than bulk_update's CASE per
            # row, which is ten times slower; slices stay under SQLite's parameter limit.
            for (from_id, to_id), ids in moves.items():
                for start in range(0, len(ids), 500):
                    Project.objects.filter(
                        pk__in=ids[start : start + 500], stage_id=from_id
                    ).update(stage_id=to_id, updated_at=now)
            AuditEvent.objects.bulk_create(events)
            changed += len(events)


# Editing the lifecycle definitions (province admins only).

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
    moved, neighbour = stages[index], stages[index + offset]
    before = snapshot(moved, ["order"])
    Stage.objects.bulk_update(_swap(stages, index, offset), ["order"])
    summary = (
        _("将阶段“%(stage)s”上移至“%(other)s”之前")
        if offset < 0
        else _("将阶段“%(stage)s”下移至“%(other)s”之后")
    ) % {"stage": moved.name, "other": neighbour.name}
    count = project_stages_recompute(actor=actor, source=source, reason=summary)
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        obj=moved,
        summary=_moved_note(summary, count),
        changes={**diff(moved, before, snapshot(moved, ["order"])), **_moved_change(count)},
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
    moved, neighbour = steps[index], steps[index + offset]
    before = snapshot(moved, ["order"])
    StepDefinition.objects.bulk_update(_swap(steps, index, offset), ["order"])
    summary = (
        _("将环节“%(step)s”上移至“%(other)s”之前")
        if offset < 0
        else _("将环节“%(step)s”下移至“%(other)s”之后")
    ) % {"step": moved.name, "other": neighbour.name}
    count = project_stages_recompute(actor=actor, source=source, reason=summary)
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        obj=moved,
        summary=_moved_note(summary, count),
        changes={**diff(moved, before, snapshot(moved, ["order"])), **_moved_change(count)},
    )
