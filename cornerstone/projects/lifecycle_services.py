"""Every write to a project's lifecycle: completing, waiving, reopening and planning steps.

Each service is one transaction that checks the order rules, moves the project's stage
and writes one audit row naming both the step's and the project's changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.core.audit import audit_event, audit_record, diff, display_value, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.projects.choices import Milestone, StepStatus
from cornerstone.projects.evidence import evidence_check
from cornerstone.projects.lifecycle import SETTLED, blocking_steps, current_stage_id
from cornerstone.projects.models import Project, ProjectStep, Stage, StepDefinition, StepEvidence
from cornerstone.projects.queries import lifecycle_rules
from cornerstone.projects.services import AUDITED_FIELDS, MILESTONE_FIELDS, require_editor
from cornerstone.stats.rollups import keeps_rollups
from cornerstone.stats.tasks import rollups_rebuild_enqueue


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
@keeps_rollups(lambda kw: [kw["project"].pk])
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
@keeps_rollups(lambda kw: [kw["project"].pk])
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
@keeps_rollups(lambda kw: [kw["project"].pk])
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
@keeps_rollups(lambda kw: [kw["project"].pk])
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
                if changed:
                    rollups_rebuild_enqueue()  # stages moved in bulk: rebuild, don't adjust
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
