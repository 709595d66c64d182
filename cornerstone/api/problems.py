"""Problems and supervision orders through the API: the same scoped queries and services
as the pages.

A problem or order outside the caller's scope is a 404; a step the caller may not take
is a 403; a stale version is a 409; a step the problem's status does not allow, a past
deadline or a department outside the project's region chain is a 400 naming the field. Every
write is audited with source "api".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from cornerstone.alerts.models import ProjectLight
from cornerstone.api.auth import actor
from cornerstone.api.projects import page_slice
from cornerstone.api.schemas import ERRORS, VERSIONED_WRITE_ERRORS, NamedRef, Paging, ProjectRef
from cornerstone.core.choices import AuditSource
from cornerstone.geo.models import Department
from cornerstone.geo.queries import departments_visible
from cornerstone.problems import order_services, queries, services, workflow
from cornerstone.problems.choices import (
    LetterKind,
    ProblemCategory,
    ProblemStatus,
    Recipient,
    SupervisionStatus,
)
from cornerstone.problems.filters import OrderFilterSet, ProblemFilterSet
from cornerstone.problems.models import Problem, SupervisionOrder
from cornerstone.projects.queries import project_get, projects_visible

router = Router(tags=["问题与督办"])


def _choices(choices: Any) -> str:
    return "；".join(f"{value}（{label}）" for value, label in choices)


# ---------------------------------------------------------------- schemas


class _Write(Schema):
    model_config = ConfigDict(extra="forbid")


class ProblemListParams(Paging):
    q: str | None = Field(None, description="搜索问题描述、项目名称或代码")
    status: list[str] | None = Field(
        None, description="状态（可重复）：" + _choices(ProblemStatus.choices)
    )
    category: list[str] | None = Field(
        None, description="问题类别（可重复）：" + _choices(ProblemCategory.choices)
    )
    level: list[str] | None = Field(None, description="督办级别（可重复）：0 一般；1 市级；2 省级")
    department: int | None = Field(None, description="责任单位编号")
    person: str | None = Field(None, description="责任人（包含）")
    region: str | None = Field(None, description="项目所在区划代码（含下辖）")
    project: int | None = Field(None, description="项目编号")
    overdue: str | None = Field(None, description="1：仅逾期未办结")
    sort: str | None = Field(None, description="排序：deadline、-deadline、-level、-created…")


class ProblemRow(Schema):
    id: int
    project: ProjectRef
    region: str = Field(description="项目所在区划代码")
    category: str
    category_label: str
    description: str
    department: NamedRef | None
    person: str
    deadline: dt.date | None
    overdue_days: int = Field(description="逾期天数（已解决或未逾期为 0）")
    escalation_level: int
    escalation_label: str
    status: str
    status_label: str
    version: int = Field(description="版本号；办理时须回传，以防覆盖他人的更新")
    created_at: dt.datetime


class ProblemPage(Schema):
    count: int
    by_status: dict[str, int] = Field(description="各状态问题数")
    overdue: int = Field(description="逾期未办结问题数")
    page: int
    page_size: int
    results: list[ProblemRow]


class EventOut(Schema):
    action: str
    action_label: str
    from_status: str
    to_status: str
    comment: str
    actor: str | None
    at: dt.datetime


class ProblemOut(ProblemRow):
    events: list[EventOut]
    available_actions: list[str] = Field(description="调用者当前可执行的操作")


class ProblemIn(_Write):
    category: str = Field(description=_choices(ProblemCategory.choices))
    description: str
    department: int | None = Field(None, description="责任单位编号（项目所在区划或其上级）")
    person: str = ""
    deadline: dt.date | None = Field(None, description="办结时限，不早于今天")


class TransitionIn(_Write):
    action: Literal["start", "resolve", "verify", "reopen", "comment", "reassign"] = Field(
        description="start 开始办理；resolve 办结（须填意见）；verify 核验销号；"
        "reopen 重新打开（须填意见）；comment 备注；reassign 改派"
    )
    comment: str = ""
    version: int = Field(description="问题的当前版本号")
    department: int | None = Field(None, description="改派：新的责任单位编号")
    person: str | None = Field(None, description="改派：新的责任人")
    deadline: dt.date | None = Field(None, description="改派：新的办结时限")


class OrderListParams(Paging):
    q: str | None = None
    status: list[str] | None = Field(
        None, description="状态（可重复）：" + _choices(SupervisionStatus.choices)
    )
    kind: str | None = Field(None, description=_choices(LetterKind.choices))
    recipient: str | None = Field(None, description=_choices(Recipient.choices))
    department: int | None = None
    region: str | None = None
    project: int | None = None
    overdue: str | None = Field(None, description="1：仅超期未反馈")
    sort: str | None = Field(None, description="-issued、deadline、number")


class OrderOut(Schema):
    id: int
    number: str
    issuing_region: str | None = Field(description="下发区划代码")
    kind: str
    kind_label: str
    project: ProjectRef
    problem: int | None
    light: int | None
    recipient: str
    department: NamedRef | None
    subject: str
    content: str
    response_deadline: dt.date
    status: str
    status_label: str
    overdue: bool
    issued_at: dt.datetime
    response: str
    responded_at: dt.datetime | None
    closing_note: str
    closed_at: dt.datetime | None


class OrderPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OrderOut]


class OrderIn(_Write):
    problem: int | None = Field(None, description="已升级督办的问题编号（与 light 二选一）")
    light: int | None = Field(None, description="红灯预警编号（alerts.ProjectLight）")
    kind: str = Field(LetterKind.SUPERVISION, description=_choices(LetterKind.choices))
    recipient: str = Field(description=_choices(Recipient.choices))
    department: int | None = None
    subject: str
    content: str
    response_deadline: dt.date


class OrderRespondIn(_Write):
    response: str


class OrderCloseIn(_Write):
    closing_note: str


# ---------------------------------------------------------------- helpers


def _problem_row(problem: Problem) -> dict[str, Any]:
    department = problem.department
    return {
        "id": problem.pk,
        "project": problem.project,
        "region": problem.project.region_id,
        "category": problem.category,
        "category_label": problem.get_category_display(),
        "description": problem.description,
        "department": {"id": department.pk, "name": department.name} if department else None,
        "person": problem.person,
        "deadline": problem.deadline,
        "overdue_days": problem.overdue_days,
        "escalation_level": problem.escalation_level,
        "escalation_label": problem.get_escalation_level_display(),
        "status": problem.status,
        "status_label": problem.get_status_display(),
        "version": problem.version,
        "created_at": problem.created_at,
    }


def _problem_out(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = actor(request)
    problem = queries.problem_get(actor=user, pk=pk)
    out = _problem_row(problem)
    out["events"] = [
        {
            "action": e.action,
            "action_label": e.get_action_display(),
            "from_status": e.from_status,
            "to_status": e.to_status,
            "comment": e.comment,
            "actor": e.actor.get_full_name() if e.actor else None,
            "at": e.at,
        }
        for e in queries.problem_events(problem=problem)
    ]
    out["available_actions"] = [
        s.action
        for s in workflow.steps_available(
            status=problem.status, actors=queries.problem_actors(actor=user, problem=problem)
        )
    ]
    return out


def _order_out(order: SupervisionOrder) -> dict[str, Any]:
    department = order.department
    return {
        "id": order.pk,
        "number": order.number,
        "issuing_region": order.issuing_region_id,
        "kind": order.kind,
        "kind_label": order.get_kind_display(),
        "project": order.project,
        "problem": order.problem_id,
        "light": order.light_id,
        "recipient": order.recipient,
        "department": {"id": department.pk, "name": department.name} if department else None,
        "subject": order.subject,
        "content": order.content,
        "response_deadline": order.response_deadline,
        "status": order.status,
        "status_label": order.get_status_display(),
        "overdue": order.is_overdue,
        "issued_at": order.issued_at,
        "response": order.response,
        "responded_at": order.responded_at,
        "closing_note": order.closing_note,
        "closed_at": order.closed_at,
    }


def _department(pk: int | None) -> Department | None:
    if pk is None:
        return None
    found = Department.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({"department": _("责任单位%s不存在。") % pk})
    return found


# ---------------------------------------------------------------- problems


@router.get(
    "/problems",
    response={200: ProblemPage, **ERRORS},
    url_name="problem-list",
    summary="问题清单（筛选、排序、分页）",
)
def problem_list(request: HttpRequest, params: Query[ProblemListParams]) -> dict[str, Any]:
    """Problems the caller may see, filtered exactly like the list page."""
    visible = queries.problems_visible(actor=actor(request))
    filterset = ProblemFilterSet(request.GET, queryset=visible)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    queryset: QuerySet[Problem] = filterset.qs
    counts = queries.status_counts(queryset, today=timezone.localdate())
    window = page_slice(params.page, params.page_size)
    rows = queries.problem_rows(queryset)[window]
    return {
        "count": counts.total,
        "by_status": counts.by_status,
        "overdue": counts.overdue,
        "page": params.page,
        "page_size": params.page_size,
        "results": [_problem_row(p) for p in rows],
    }


@router.get(
    "/problems/{problem_id}",
    response={200: ProblemOut, **ERRORS},
    url_name="problem-detail",
    summary="问题详情及办理记录",
)
def problem_detail(request: HttpRequest, problem_id: int) -> dict[str, Any]:
    """One visible problem with every step, and what the caller may do next."""
    return _problem_out(request, problem_id)


@router.post(
    "/projects/{project_id}/problems",
    response={201: ProblemOut, **ERRORS},
    url_name="problem-raise",
    summary="在项目上提出问题",
)
def problem_raise(
    request: HttpRequest, project_id: int, payload: ProblemIn
) -> tuple[int, dict[str, Any]]:
    """Raise a problem; admins in scope and the project's owners may."""
    user = actor(request)
    project = project_get(actor=user, pk=project_id)
    problem = services.problem_raise(
        project=project,
        category=payload.category,
        description=payload.description,
        department=_department(payload.department),
        person=payload.person,
        deadline=payload.deadline,
        actor=user,
        source=AuditSource.API,
    )
    return 201, _problem_out(request, problem.pk)


@router.post(
    "/problems/{problem_id}/transition",
    response={200: ProblemOut, **VERSIONED_WRITE_ERRORS},
    url_name="problem-transition",
    summary="办理问题（开始、办结、销号、重新打开、备注、改派）",
)
def problem_transition(
    request: HttpRequest, problem_id: int, payload: TransitionIn
) -> dict[str, Any]:
    """Take one step; the version must be the problem's current one."""
    user = actor(request)
    problem = queries.problem_get(actor=user, pk=problem_id)
    if payload.action == "reassign":
        sent = payload.model_fields_set
        data = {
            name: getattr(payload, name)
            for name in ("department", "person", "deadline")
            if name in sent
        }
        services.problem_reassign(
            problem=problem,
            data=data,
            comment=payload.comment,
            version=payload.version,
            actor=user,
            source=AuditSource.API,
        )
    else:
        services.problem_transition(
            problem=problem,
            action=payload.action,
            comment=payload.comment,
            version=payload.version,
            actor=user,
            source=AuditSource.API,
        )
    return _problem_out(request, problem_id)


@router.get(
    "/departments/{department_id}/tasks",
    response={200: list[ProblemRow], **ERRORS},
    url_name="department-tasks",
    summary="责任单位的任务清单（未办结问题）",
)
def department_tasks(request: HttpRequest, department_id: int) -> list[dict[str, Any]]:
    """A department's open problems, deadline first; a department out of scope is a 404."""
    user = actor(request)
    department = departments_visible(actor=user).get(pk=department_id)
    return [_problem_row(p) for p in queries.department_tasks(actor=user, department=department)]


# ---------------------------------------------------------------- supervision orders


@router.get(
    "/orders",
    response={200: OrderPage, **ERRORS},
    url_name="order-list",
    summary="督办单（筛选、分页）",
)
def order_list(request: HttpRequest, params: Query[OrderListParams]) -> dict[str, Any]:
    """Supervision orders the caller may see."""
    visible = queries.orders_visible(actor=actor(request))
    filterset = OrderFilterSet(request.GET, queryset=visible)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    queryset = filterset.qs
    window = page_slice(params.page, params.page_size)
    return {
        "count": queryset.count(),
        "page": params.page,
        "page_size": params.page_size,
        "results": [_order_out(o) for o in queries.order_rows(queryset)[window]],
    }


@router.get(
    "/orders/{order_id}",
    response={200: OrderOut, **ERRORS},
    url_name="order-detail",
    summary="督办单详情",
)
def order_detail(request: HttpRequest, order_id: int) -> dict[str, Any]:
    """One visible order."""
    return _order_out(queries.order_get(actor=actor(request), pk=order_id))


@router.post(
    "/orders",
    response={201: OrderOut, **ERRORS},
    url_name="order-issue",
    summary="下发督办单（依据已升级的问题或红灯预警）",
)
def order_issue(request: HttpRequest, payload: OrderIn) -> tuple[int, dict[str, Any]]:
    """Issue an order; the problem or light must be one the caller sees."""
    user = actor(request)
    problem = light = None
    if payload.problem is not None:
        problem = queries.problem_get(actor=user, pk=payload.problem)
        project = problem.project
    elif payload.light is not None:
        light = (
            ProjectLight.objects.filter(project__in=projects_visible(actor=user))
            .select_related("project")
            .get(pk=payload.light)
        )
        project = light.project
    else:
        raise ValidationError({"problem": _("请指定依据的问题（problem）或红灯预警（light）。")})
    order = order_services.order_issue(
        project=project,
        problem=problem,
        light=light,
        data=payload.model_dump(exclude={"problem", "light"}),
        actor=user,
        source=AuditSource.API,
    )
    return 201, _order_out(queries.order_get(actor=user, pk=order.pk))


@router.post(
    "/orders/{order_id}/respond",
    response={200: OrderOut, **ERRORS},
    url_name="order-respond",
    summary="反馈督办单（督办对象）",
)
def order_respond(request: HttpRequest, order_id: int, payload: OrderRespondIn) -> dict[str, Any]:
    """The recipient answers the order."""
    user = actor(request)
    order = queries.order_get(actor=user, pk=order_id)
    order_services.order_respond(
        order=order, response=payload.response, actor=user, source=AuditSource.API
    )
    return _order_out(queries.order_get(actor=user, pk=order_id))


@router.post(
    "/orders/{order_id}/close",
    response={200: OrderOut, **ERRORS},
    url_name="order-close",
    summary="办结督办单（管理员）",
)
def order_close(request: HttpRequest, order_id: int, payload: OrderCloseIn) -> dict[str, Any]:
    """An admin in scope closes an answered order."""
    user = actor(request)
    order = queries.order_get(actor=user, pk=order_id)
    order_services.order_close(
        order=order, note=payload.closing_note, actor=user, source=AuditSource.API
    )
    return _order_out(queries.order_get(actor=user, pk=order_id))
