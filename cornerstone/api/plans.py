"""Plans through the API: investment plans, milestones, tasks and the computed schedule.

The same scoped queries and services as the plans page. A project outside the caller's
scope is a 404 on every endpoint, and so is a milestone or task of such a project; a
caller who may read but not plan (a leader, a department) gets a 403 on writes. Every
write goes through a service, which validates it, saves it and audits it with source
"api" in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_plans
from cornerstone.api.auth import actor
from cornerstone.api.plan_schemas import (
    MilestoneCreate,
    MilestoneOut,
    MilestonePatch,
    PlansOut,
    PlanYearIn,
    PlanYearOut,
    ScheduleOut,
    ScheduleTargetIn,
    ScheduleTargetOut,
    TaskCreate,
    TaskOut,
    TaskPatch,
)
from cornerstone.api.schemas import ERRORS
from cornerstone.core.choices import AuditSource
from cornerstone.plans import services, task_services
from cornerstone.plans.choices import SplitMethod
from cornerstone.plans.models import InvestmentPlan, Milestone, MonthlyPlan, Task, TaskDependency
from cornerstone.plans.queries import (
    MilestoneRow,
    plan_year,
    project_milestones,
    project_plans,
    project_rolling,
    project_schedule,
)
from cornerstone.plans.task_services import PredecessorInput
from cornerstone.projects.models import Project
from cornerstone.projects.queries import project_get, projects_visible

router = Router(tags=["计划"])
CENTS = Decimal("0.01")


def _year() -> Any:
    """The year of a plan, within the model's own bounds (a path parameter)."""
    return Path(..., ge=2000, le=2100, description="年度")


# ---------------------------------------------------------------- helpers


def _money(value: Decimal) -> Decimal:
    """Two places always: a sum of nothing is 0, and SQLite may drop trailing zeros."""
    return value.quantize(CENTS)


def _require_planner(user: User) -> None:
    # Checked before the service runs, so a reader learns nothing from a 400.
    if not can_edit_plans(user):
        raise PermissionDenied(_("您没有修改计划的权限。"))


def _project(request: HttpRequest, project_id: int, *, write: bool = False) -> tuple[User, Project]:
    """The caller and a project in their scope (404 otherwise); for a write, a planner (403)."""
    user = actor(request)
    project = project_get(actor=user, pk=project_id)
    if write:
        _require_planner(user)
    return user, project


def _milestones_visible(user: User) -> QuerySet[Milestone]:
    return Milestone.objects.filter(project__in=projects_visible(actor=user))


def _tasks_visible(user: User) -> QuerySet[Task]:
    return Task.objects.filter(project__in=projects_visible(actor=user))


_MONTH_FIELD = re.compile(r"^month_(\d{1,2})$")


@contextmanager
def _plan_fields() -> Iterator[None]:
    """Report the services' ``month_3`` as the ``months`` the client sent, saying which month."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed: dict[str, list[str]] = {}
        for name, errors in exc.message_dict.items():
            if match := _MONTH_FIELD.match(name):
                prefix = _("%d月：") % int(match.group(1))
                renamed.setdefault("months", []).extend(prefix + e for e in errors)
            else:
                renamed.setdefault(name, []).extend(errors)
        raise ValidationError(renamed) from exc


def _plan_out(plan: InvestmentPlan) -> dict[str, Any]:
    year = plan_year(plan, plan.year)
    return {
        "year": plan.year,
        "annual_amount": _money(plan.annual_amount),
        "split_method": plan.split_method,
        "split_method_label": str(SplitMethod(plan.split_method).label),
        "override_reason": plan.override_reason,
        "months": [_money(m) for m in year.months],
    }


def _milestone_out(row: MilestoneRow) -> dict[str, Any]:
    milestone = row.milestone
    return {
        "id": milestone.pk,
        "name": milestone.name,
        "target_date": milestone.target_date,
        "step": milestone.step_id,
        "step_name": milestone.step.name if milestone.step else None,
        "achieved_date": row.achieved,
        "status": row.status.value,
        "status_label": str(row.status.label),
        "note": milestone.note,
    }


def _milestone_result(milestone: Milestone) -> dict[str, Any]:
    """A milestone as the list shows it, its status derived today."""
    rows = project_milestones(project=milestone.project, today=timezone.localdate())
    return _milestone_out(next(row for row in rows if row.milestone.pk == milestone.pk))


def _tasks_with_links(queryset: QuerySet[Task]) -> QuerySet[Task]:
    return (
        queryset.select_related("department")
        .prefetch_related(
            Prefetch(
                "predecessor_links",
                queryset=TaskDependency.objects.order_by("predecessor_id"),
            )
        )
        .order_by("id")
    )


def _task_out(task: Task) -> dict[str, Any]:
    department = task.department
    return {
        "id": task.pk,
        "name": task.name,
        "department": task.department_id,
        "department_name": department.name if department else None,
        "person": task.person,
        "duration": task.duration,
        "deadline": task.deadline,
        "actual_start": task.actual_start,
        "actual_finish": task.actual_finish,
        "note": task.note,
        "predecessors": [
            {"predecessor": link.predecessor_id, "kind": link.kind, "lag": link.lag}
            for link in task.predecessor_links.all()
        ],
    }


def _task_result(task: Task) -> dict[str, Any]:
    return _task_out(_tasks_with_links(Task.objects.filter(pk=task.pk)).get())


def _predecessors(payload: TaskCreate | TaskPatch) -> list[PredecessorInput]:
    return [PredecessorInput(p.predecessor, p.kind, p.lag) for p in payload.predecessors]


# ---------------------------------------------------------------- investment plans


@router.get(
    "/projects/{project_id}/plans",
    response={200: PlansOut, **ERRORS},
    url_name="project-plans",
    summary="年度投资计划（全部年度与滚动汇总）",
)
def plans_list(request: HttpRequest, project_id: int) -> dict[str, Any]:
    """Every year's plan with its months, and what is left of the total investment."""
    _user, project = _project(request, project_id)
    today = timezone.localdate()
    rolling = project_rolling(project=project, today=today)
    return {
        "this_year": today.year,
        "total_investment": _money(rolling.total_investment),
        "completed_before_year": _money(rolling.completed_before_year),
        "planned_from_this_year": _money(rolling.planned_from_this_year),
        "remaining": _money(rolling.remaining),
        "years": [_plan_out(plan) for plan in project_plans(project=project)],
    }


@router.put(
    "/projects/{project_id}/plans/{year}",
    response={200: PlanYearOut, **ERRORS},
    url_name="project-plan-year",
    summary="填报或修改某年度投资计划",
)
def plan_year_save(
    request: HttpRequest, project_id: int, payload: PlanYearIn, year: int = _year()
) -> dict[str, Any]:
    """Create or replace a year's plan: twelve months adding up to the annual figure.

    Without months, ``even`` or ``weighted`` splits the annual figure; plans from this
    year on that, with earlier completion, pass the total investment need a reason.
    """
    user, project = _project(request, project_id, write=True)
    with _plan_fields():
        services.investment_plan_save(
            actor=user,
            project=project,
            year=year,
            annual_amount=payload.annual_amount,
            months=payload.months,
            split_method=SplitMethod(payload.split_method),
            override_reason=payload.override_reason,
            source=AuditSource.API,
        )
    plan = next(p for p in project_plans(project=project) if p.year == year)
    return _plan_out(plan)


@router.delete(
    "/projects/{project_id}/plans/{year}",
    response={204: None, **ERRORS},
    url_name="project-plan-year-delete",
    summary="删除某年度投资计划",
)
def plan_year_delete(request: HttpRequest, project_id: int, year: int = _year()) -> HttpResponse:
    """Delete a year's plan with its months; a year without a plan is a 404."""
    user, project = _project(request, project_id, write=True)
    plan = (
        InvestmentPlan.objects.filter(project=project, year=year)
        .prefetch_related(Prefetch("months", queryset=MonthlyPlan.objects.order_by("month")))
        .get()
    )
    services.investment_plan_delete(actor=user, plan=plan, source=AuditSource.API)
    return HttpResponse(status=204)


# ---------------------------------------------------------------- milestones


@router.get(
    "/projects/{project_id}/milestones",
    response={200: list[MilestoneOut], **ERRORS},
    url_name="project-milestones",
    summary="月节点",
)
def milestones_list(request: HttpRequest, project_id: int) -> list[dict[str, Any]]:
    """The project's milestones in date order, each with its status as of today."""
    _user, project = _project(request, project_id)
    return [
        _milestone_out(row)
        for row in project_milestones(project=project, today=timezone.localdate())
    ]


@router.post(
    "/projects/{project_id}/milestones",
    response={201: MilestoneOut, **ERRORS},
    url_name="project-milestone-create",
    summary="新建月节点",
)
def milestone_create(
    request: HttpRequest, project_id: int, payload: MilestoneCreate
) -> tuple[int, dict[str, Any]]:
    """Add a milestone; tied to a step, the step's completion completes it."""
    user, project = _project(request, project_id, write=True)
    milestone = services.milestone_create(
        actor=user, project=project, data=payload.model_dump(), source=AuditSource.API
    )
    return 201, _milestone_result(milestone)


@router.patch(
    "/milestones/{milestone_id}",
    response={200: MilestoneOut, **ERRORS},
    url_name="milestone-update",
    summary="修改月节点（只改提交的字段）",
)
def milestone_update(
    request: HttpRequest, milestone_id: int, payload: MilestonePatch
) -> dict[str, Any]:
    """Change the fields sent."""
    user = actor(request)
    milestone = _milestones_visible(user).select_related("project").get(pk=milestone_id)
    _require_planner(user)
    milestone = services.milestone_update(
        actor=user,
        milestone=milestone,
        data=payload.model_dump(exclude_unset=True),
        source=AuditSource.API,
    )
    return _milestone_result(milestone)


@router.delete(
    "/milestones/{milestone_id}",
    response={204: None, **ERRORS},
    url_name="milestone-delete",
    summary="删除月节点",
)
def milestone_delete(request: HttpRequest, milestone_id: int) -> HttpResponse:
    """Delete a milestone."""
    user = actor(request)
    milestone = _milestones_visible(user).select_related("project").get(pk=milestone_id)
    _require_planner(user)
    services.milestone_delete(actor=user, milestone=milestone, source=AuditSource.API)
    return HttpResponse(status=204)


# ---------------------------------------------------------------- tasks


@router.get(
    "/projects/{project_id}/tasks",
    response={200: list[TaskOut], **ERRORS},
    url_name="project-tasks",
    summary="周任务及其前置任务",
)
def tasks_list(request: HttpRequest, project_id: int) -> list[dict[str, Any]]:
    """The project's tasks in the order they were added, each with its predecessors."""
    _user, project = _project(request, project_id)
    return [_task_out(task) for task in _tasks_with_links(Task.objects.filter(project=project))]


@router.post(
    "/projects/{project_id}/tasks",
    response={201: TaskOut, **ERRORS},
    url_name="project-task-create",
    summary="新建周任务",
)
def task_create(
    request: HttpRequest, project_id: int, payload: TaskCreate
) -> tuple[int, dict[str, Any]]:
    """Add a task with its predecessors; a link that would close a cycle is refused."""
    user, project = _project(request, project_id, write=True)
    task = task_services.task_create(
        actor=user,
        project=project,
        data=payload.model_dump(exclude={"predecessors"}),
        predecessors=_predecessors(payload),
        source=AuditSource.API,
    )
    return 201, _task_result(task)


@router.patch(
    "/tasks/{task_id}",
    response={200: TaskOut, **ERRORS},
    url_name="task-update",
    summary="修改周任务（只改提交的字段；提交 predecessors 则整体替换）",
)
def task_update(request: HttpRequest, task_id: int, payload: TaskPatch) -> dict[str, Any]:
    """Change the fields sent; predecessors, when sent, replace the task's links."""
    user = actor(request)
    task = _tasks_visible(user).select_related("project").get(pk=task_id)
    _require_planner(user)
    sent = payload.model_fields_set
    task = task_services.task_update(
        actor=user,
        task=task,
        data=payload.model_dump(exclude_unset=True, exclude={"predecessors"}),
        predecessors=_predecessors(payload) if "predecessors" in sent else None,
        source=AuditSource.API,
    )
    return _task_result(task)


@router.delete(
    "/tasks/{task_id}",
    response={204: None, **ERRORS},
    url_name="task-delete",
    summary="删除周任务（连同其前后依赖）",
)
def task_delete(request: HttpRequest, task_id: int) -> HttpResponse:
    """Delete a task; the links to and from it go with it."""
    user = actor(request)
    task = _tasks_visible(user).select_related("project").get(pk=task_id)
    _require_planner(user)
    task_services.task_delete(actor=user, task=task, source=AuditSource.API)
    return HttpResponse(status=204)


# ---------------------------------------------------------------- schedule


@router.put(
    "/projects/{project_id}/schedule/target",
    response={200: ScheduleTargetOut, **ERRORS},
    url_name="project-schedule-target",
    summary="设定倒排工期的完成时限",
)
def schedule_target_set(
    request: HttpRequest, project_id: int, payload: ScheduleTargetIn
) -> dict[str, Any]:
    """Set the deadline the tasks are scheduled back from; a past deadline is allowed."""
    user, project = _project(request, project_id, write=True)
    target = services.schedule_target_set(
        actor=user,
        project=project,
        deadline=payload.deadline,
        label=payload.label,
        source=AuditSource.API,
    )
    return {"deadline": target.deadline, "label": target.label}


@router.delete(
    "/projects/{project_id}/schedule/target",
    response={204: None, **ERRORS},
    url_name="project-schedule-target-clear",
    summary="取消倒排工期的完成时限",
)
def schedule_target_clear(request: HttpRequest, project_id: int) -> HttpResponse:
    """Remove the deadline (nothing to do when none is set)."""
    user, project = _project(request, project_id, write=True)
    services.schedule_target_clear(actor=user, project=project, source=AuditSource.API)
    return HttpResponse(status=204)


@router.get(
    "/projects/{project_id}/schedule",
    response={200: ScheduleOut, **ERRORS},
    url_name="project-schedule",
    summary="倒排工期排程结果（关键路径、时差、能否按期完成）",
)
def schedule_get(request: HttpRequest, project_id: int) -> dict[str, Any]:
    """The tasks scheduled from today and back from the deadline, in working days."""
    _user, project = _project(request, project_id)
    schedule = project_schedule(project=project, today=timezone.localdate())
    target, result = schedule.target, schedule.result
    tasks = []
    for row in schedule.rows:
        scheduled = row.scheduled
        if scheduled is None:
            continue
        tasks.append(
            {
                "id": row.task.pk,
                "name": row.task.name,
                "early_start": scheduled.early_start,
                "early_finish": scheduled.early_finish,
                "late_start": scheduled.late_start,
                "late_finish": scheduled.late_finish,
                "total_float": scheduled.total_float,
                "critical": scheduled.critical,
                "started": scheduled.started,
                "finished": scheduled.finished,
                "late_start_passed": scheduled.late_start_passed,
                "overdue": scheduled.overdue,
            }
        )
    failed = schedule.error is not None
    return {
        "deadline": target.deadline if target else None,
        "label": target.label if target else None,
        # Without tasks nothing is scheduled, and nothing can be late.
        "feasible": None if failed else (result.feasible if result else True),
        "shortfall_days": None if failed else (result.shortfall if result else 0),
        "early_finish": result.early_finish if result else None,
        "binding_chain": list(result.binding_chain) if result else [],
        "critical_path": list(result.critical_path) if result else [],
        "deadline_passed_unstarted": schedule.deadline_passed_unstarted,
        "error": schedule.error,
        "tasks": tasks,
    }
