"""Writes to a project's tasks (周任务) and the links between them.

A change that would make the network cyclic is refused with the cycle named, so a
stored network can always be scheduled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.validation import full_clean_or_raise, values_apply
from cornerstone.plans.choices import DependencyType
from cornerstone.plans.models import Task, TaskDependency
from cornerstone.plans.queries import task_departments
from cornerstone.plans.scheduling import (
    Dependency,
    DependencyKind,
    ScheduleCycleError,
    ScheduleInputError,
    TaskInput,
    schedule_compute,
)
from cornerstone.plans.services import require_plan_editor
from cornerstone.plans.workdays import WorkCalendar
from cornerstone.projects.models import Project

TASK_FIELDS = [
    "name",
    "department",
    "person",
    "duration",
    "deadline",
    "actual_start",
    "actual_finish",
    "note",
]


@dataclass(frozen=True)
class PredecessorInput:
    """One predecessor as submitted: the task's id, the link type and the lag."""

    predecessor: Any
    kind: Any = DependencyType.FINISH_TO_START
    lag: Any = 0


def _department_errors(actor: User, project: Project, task: Task) -> dict[str, list[str]]:
    """The department answers for the project's region (or above it), or is one the actor sees."""
    if task.department_id is None:
        return {}
    if task_departments(actor=actor, project=project).filter(pk=task.department_id).exists():
        return {}
    return {"department": [_("所选责任单位不在本项目所在区划或您的管辖范围内。")]}


def _date_errors(task: Task) -> dict[str, list[str]]:
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if task.actual_start is not None and task.actual_start > today:
        errors["actual_start"] = [_("实际开始日期不能晚于今天。")]
    if task.actual_finish is not None and task.actual_finish > today:
        errors["actual_finish"] = [_("实际完成日期不能晚于今天。")]
    if task.actual_finish is not None and task.actual_start is None:
        errors.setdefault("actual_start", []).append(_("已完成的任务需填写实际开始日期。"))
    elif (
        task.actual_finish is not None
        and task.actual_start is not None
        and task.actual_finish < task.actual_start
    ):
        errors.setdefault("actual_finish", []).append(_("实际完成日期不能早于实际开始日期。"))
    return errors


def _links_read(
    task: Task, predecessors: Sequence[PredecessorInput]
) -> tuple[list[TaskDependency], list[str]]:
    """Turn submitted predecessors into unsaved links, with a message for each bad one."""
    links: list[TaskDependency] = []
    messages: list[str] = []
    seen: set[int] = set()
    names = dict(Task.objects.filter(project_id=task.project_id).values_list("pk", "name"))
    for position, given in enumerate(predecessors, start=1):
        where = _("第%d个前置任务：") % position
        try:
            predecessor_id = int(given.predecessor)
        except (TypeError, ValueError):
            messages.append(where + _("“%s”不是任务编号。") % given.predecessor)
            continue
        if task.pk is not None and predecessor_id == task.pk:
            messages.append(where + _("任务不能依赖自身。"))
            continue
        if predecessor_id not in names:
            messages.append(where + _("任务%s不存在或不属于本项目。") % predecessor_id)
            continue
        if predecessor_id in seen:
            messages.append(where + _("“%s”重复。") % names[predecessor_id])
            continue
        seen.add(predecessor_id)
        kind = str(given.kind or DependencyType.FINISH_TO_START)
        if kind not in DependencyType.values:
            messages.append(where + _("依赖类型“%s”无效，应为 FS 或 SS。") % given.kind)
            continue
        try:
            lag = int(str(given.lag).strip() or 0) if given.lag is not None else 0
        except ValueError:
            messages.append(where + _("间隔“%s”不是整数（工作日）。") % given.lag)
            continue
        if not -365 <= lag <= 365:
            messages.append(where + _("间隔应在-365到365个工作日之间。"))
            continue
        links.append(TaskDependency(predecessor_id=predecessor_id, kind=kind, lag=lag))
    return links, messages


def _cycle_message(task: Task, links: Sequence[TaskDependency]) -> str | None:
    """Schedule the network with the proposed links; name the cycle if one appears."""
    others = Task.objects.filter(project_id=task.project_id).exclude(pk=task.pk)
    stored: dict[int, list[Dependency]] = {}
    for link in TaskDependency.objects.filter(task__project_id=task.project_id).exclude(
        task_id=task.pk
    ):
        stored.setdefault(link.task_id, []).append(
            Dependency(link.predecessor_id, DependencyKind(link.kind), link.lag)
        )
    key = task.pk if task.pk is not None else "new"
    inputs = [
        TaskInput(
            key=o.pk, name=o.name, duration=o.duration, predecessors=tuple(stored.get(o.pk, ()))
        )
        for o in others
    ]
    inputs.append(
        TaskInput(
            key=key,
            name=task.name,
            duration=task.duration or 0,
            predecessors=tuple(
                Dependency(link.predecessor_id, DependencyKind(link.kind), link.lag)
                for link in links
            ),
        )
    )
    try:
        schedule_compute(
            tasks=inputs, deadline=None, today=timezone.localdate(), calendar=WorkCalendar()
        )
    except ScheduleCycleError as exc:
        return str(exc)
    except ScheduleInputError:
        return None  # a bad duration or date: reported on its own field by full_clean
    return None


def _links_describe(task: Task) -> str | None:
    parts = [
        f"{link.predecessor.name}（{link.kind}{link.lag:+d}）"
        if link.lag
        else f"{link.predecessor.name}（{link.kind}）"
        for link in task.predecessor_links.select_related("predecessor").order_by("predecessor_id")
    ]
    return "、".join(parts) or None


def _task_save(
    *,
    actor: User,
    task: Task,
    data: Mapping[str, Any],
    predecessors: Sequence[PredecessorInput] | None,
    source: AuditSource,
) -> Task:
    created = task.pk is None
    before = {} if created else snapshot(task, TASK_FIELDS)
    links_before = None if created else _links_describe(task)
    errors = values_apply(task, data, TASK_FIELDS)
    if "department" not in errors:
        errors.update(_department_errors(actor, task.project, task))
    for name, messages in _date_errors(task).items():
        if name not in errors:
            errors[name] = messages
    links: list[TaskDependency] | None = None
    if predecessors is not None:
        links, messages = _links_read(task, predecessors)
        if messages:
            errors["predecessors"] = messages
        elif "duration" not in errors and (cycle := _cycle_message(task, links)):
            errors["predecessors"] = [cycle]
    full_clean_or_raise(task, errors)
    task.save()
    if links is not None:
        task.predecessor_links.all().delete()
        for link in links:
            link.task = task
        TaskDependency.objects.bulk_create(links)
    changes = diff(task, before, snapshot(task, TASK_FIELDS))
    links_after = _links_describe(task)
    if links_before != links_after:
        changes["predecessors"] = {
            "label": str(_("前置任务")),
            "before": links_before,
            "after": links_after,
        }
    if changes:
        audit_record(
            actor=actor,
            source=source,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=task,
            summary=(_("新建任务“%s”") if created else _("修改任务“%s”")) % task.name,
            changes=changes,
            project_id=task.project_id,
        )
    return task


@transaction.atomic
def task_create(
    *,
    actor: User,
    project: Project,
    data: Mapping[str, Any],
    predecessors: Sequence[PredecessorInput] = (),
    source: AuditSource = AuditSource.PAGE,
) -> Task:
    """Add a task with its predecessors to a project's network."""
    require_plan_editor(actor, project)
    # Locking the project serialises edits to one network, so two links added at once
    # cannot close a cycle that neither saw.
    project = Project.objects.select_for_update().get(pk=project.pk)
    return _task_save(
        actor=actor, task=Task(project=project), data=data, predecessors=predecessors, source=source
    )


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: Task,
    data: Mapping[str, Any],
    predecessors: Sequence[PredecessorInput] | None = None,
    source: AuditSource = AuditSource.PAGE,
) -> Task:
    """Change a task; predecessors, when given, replace the task's links."""
    require_plan_editor(actor, task.project)
    Project.objects.select_for_update().filter(pk=task.project_id).first()
    task = Task.objects.select_related("project").get(pk=task.pk)
    return _task_save(actor=actor, task=task, data=data, predecessors=predecessors, source=source)


@transaction.atomic
def task_delete(*, actor: User, task: Task, source: AuditSource = AuditSource.PAGE) -> None:
    """Delete a task; the links to and from it go with it."""
    require_plan_editor(actor, task.project)
    successors = list(
        Task.objects.filter(predecessor_links__predecessor=task).values_list("name", flat=True)
    )
    changes = diff(task, snapshot(task, TASK_FIELDS), {})
    if successors:
        changes["successors"] = {
            "label": str(_("后续任务")),
            "before": "、".join(successors),
            "after": None,
        }
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.DELETE,
        obj=task,
        summary=_("删除任务“%s”") % task.name,
        changes=changes,
        project_id=task.project_id,
    )
    task.delete()
