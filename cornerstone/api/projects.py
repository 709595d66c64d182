"""The ledger through the API: the same scoped queries and services as the pages.

A project outside the caller's scope is a 404 on every endpoint, exactly like an id that
does not exist, so that guessing ids reveals nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_projects
from cornerstone.api.auth import actor
from cornerstone.api.errors import fields_renamed
from cornerstone.api.schemas import (
    ERRORS,
    AuditPage,
    Paging,
    ProjectCreate,
    ProjectListParams,
    ProjectOut,
    ProjectPage,
    ProjectPatch,
    StepComplete,
    StepPlan,
    StepReason,
    StepResultOut,
    TimelineStageOut,
)
from cornerstone.core.choices import AuditSource
from cornerstone.geo.choices import IndustryLevel
from cornerstone.geo.models import Department, Industry, Region, Zone
from cornerstone.geo.queries import (
    departments_visible,
    industry_by_code,
    region_by_code,
    zones_visible,
)
from cornerstone.projects import lifecycle_services, services
from cornerstone.projects.choices import StepStatus
from cornerstone.projects.filters import ProjectFilterSet
from cornerstone.projects.models import Project, ProjectStep, StepDefinition
from cornerstone.projects.queries import (
    ledger_page,
    ledger_summary,
    project_get,
    project_history,
    project_timeline,
    projects_visible,
    stages_with_steps,
)

router = Router(tags=["projects"])
CENTS = Decimal("0.01")

# ---------------------------------------------------------------- helpers


def page_slice(page: int, page_size: int) -> slice:
    """The rows of one page (pages count from 1)."""
    start = (page - 1) * page_size
    return slice(start, start + page_size)


def _require_editor(user: User) -> None:
    # Checked before the body is resolved, so a reader learns nothing from a 400.
    if not can_edit_projects(user):
        raise PermissionDenied(_("您没有修改项目的权限。"))


def _ledger_row(project: Project) -> dict[str, Any]:
    """A ledger row from the columns ledger_rows loads (and nothing else: no query per row)."""
    region = project.region
    return {
        "id": project.pk,
        "code": project.code,
        "name": project.name,
        "region": {
            "code": region.code,
            "name": region.name,
            "full_name": project.region.full_name,
        },
        "zone": {"id": zone.pk, "name": zone.name} if (zone := project.zone) else None,
        "tier": project.tier,
        "tier_label": project.get_tier_display(),
        "category": project.category,
        "category_label": project.get_category_display(),
        "kind": project.kind,
        "kind_label": project.get_kind_display(),
        "industry": (
            {"code": industry.code, "name": industry.name}
            if (industry := project.industry)
            else None
        ),
        "stage": {"id": project.stage_id, "name": project.stage.name},
        "total_investment": project.total_investment,
        "owner_org": project.owner_org,
        "planned_start_date": project.planned_start_date,
        "actual_start_date": project.actual_start_date,
        "updated_at": project.updated_at,
    }


def _service_data(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """Turn natural keys into records and nulls into blanks, in the shape the services take.

    A key that names nothing (or something outside the caller's scope) is a 400 on that
    field, before the service runs.
    """
    errors: dict[str, str] = {}
    resolved: dict[str, Any] = {}
    for name, value in data.items():
        field = Project._meta.get_field(name)
        if value is None:
            if isinstance(field, models.CharField | models.TextField) and not field.null:
                value = ""
            resolved[name] = value
            continue
        try:
            if name == "region":
                value = region_by_code(code=value)
            elif name == "industry":
                value = industry_by_code(code=value, level=IndustryLevel.DIVISION)
            elif name == "zone":
                value = zones_visible(actor=user).get(pk=value)
            elif name == "responsible_unit":
                value = departments_visible(actor=user).get(pk=value)
            elif name == "parent":
                value = projects_visible(actor=user).get(pk=value)
        except Region.DoesNotExist:
            errors[name] = _("未知的区划代码“%s”，应为六位行政区划代码。") % value
        except Industry.DoesNotExist:
            errors[name] = _("未知的行业代码“%s”，应为两位的行业大类代码。") % value
        except Zone.DoesNotExist:
            errors[name] = _("未找到编号为 %s 的园区（或不在您的管辖范围内）。") % value
        except Department.DoesNotExist:
            errors[name] = _("未找到编号为 %s 的责任单位（或不在您的管辖范围内）。") % value
        except Project.DoesNotExist:
            errors[name] = _("未找到编号为 %s 的打包项目（或不在您的管辖范围内）。") % value
        resolved[name] = value
    if errors:
        raise ValidationError(errors)
    return resolved


def _step_definition(step_code: str) -> StepDefinition:
    """The step of the lifecycle with this code; DoesNotExist (404) otherwise."""
    for stage in stages_with_steps():
        for definition in stage.steps.all():
            if definition.code == step_code:
                return definition
    raise StepDefinition.DoesNotExist


def _step_out(
    definition: StepDefinition, record: ProjectStep | None, evidence: list[Any]
) -> dict[str, Any]:
    status = record.status if record else StepStatus.PENDING
    return {
        "code": definition.code,
        "name": definition.name,
        "optional": definition.optional,
        "milestone": definition.milestone,
        "status": status,
        "status_label": str(StepStatus(status).label),
        "planned_date": record.planned_date if record else None,
        "actual_date": record.actual_date if record else None,
        "note": record.note if record else "",
        "waiver_reason": record.waiver_reason if record else "",
        "evidence": evidence,
    }


def _step_result(user: User, project_id: int, step: ProjectStep) -> dict[str, Any]:
    project = project_get(actor=user, pk=project_id)
    return {
        "step": _step_out(step.definition, step, list(step.evidence.all())),
        "project_stage": project.stage,
    }


# ---------------------------------------------------------------- ledger


@router.get(
    "/projects",
    response={200: ProjectPage, **ERRORS},
    url_name="project-list",
    summary="项目台账（筛选、排序、分页）",
)
def project_list(request: HttpRequest, params: Query[ProjectListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    """The ledger, filtered exactly like the list page (one FilterSet for both)."""
    # The raw query string, as the page passes it: the FilterSet reads repeated values and
    # validates them with the page's messages; ``params`` documents them and bounds paging.
    filterset = ProjectFilterSet(request.GET, queryset=projects_visible(actor=actor(request)))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    queryset: QuerySet[Project] = filterset.qs
    summary = ledger_summary(queryset)
    page, page_size = params.page, params.page_size  # type: ignore[attr-defined]
    window = page_slice(page, page_size)
    return {
        "count": summary.count,
        # Summed in the database: SQLite drops the trailing zeros PostgreSQL keeps.
        "total_investment": summary.total_investment.quantize(CENTS),
        "page": page,
        "page_size": page_size,
        "results": [_ledger_row(p) for p in ledger_page(queryset, window.start, window.stop)],
    }


@router.get(
    "/projects/{project_id}",
    response={200: ProjectOut, **ERRORS},
    url_name="project-detail",
    summary="项目详情（全部字段）",
)
def project_detail(request: HttpRequest, project_id: int) -> Project:
    """Every attribute of one visible project."""
    return project_get(actor=actor(request), pk=project_id)


@router.post(
    "/projects",
    response={201: ProjectOut, **ERRORS},
    url_name="project-create",
    summary="新建项目",
)
def project_create(request: HttpRequest, payload: ProjectCreate) -> tuple[int, Project]:  # type: ignore[valid-type]
    """Create a project in the first stage; a blank code gets a local code."""
    user = actor(request)
    _require_editor(user)
    data = _service_data(user, payload.model_dump(exclude_unset=True))  # type: ignore[attr-defined]
    project = services.project_create(actor=user, data=data, source=AuditSource.API)
    return 201, project_get(actor=user, pk=project.pk)


@router.patch(
    "/projects/{project_id}",
    response={200: ProjectOut, **ERRORS},
    url_name="project-update",
    summary="修改项目（只改提交的字段）",
)
def project_update(request: HttpRequest, project_id: int, payload: ProjectPatch) -> Project:  # type: ignore[valid-type]
    """Change the fields sent; the history records each changed field."""
    user = actor(request)
    project = project_get(actor=user, pk=project_id)
    _require_editor(user)
    data = _service_data(user, payload.model_dump(exclude_unset=True))  # type: ignore[attr-defined]
    services.project_update(actor=user, project=project, data=data, source=AuditSource.API)
    return project_get(actor=user, pk=project_id)


@router.delete(
    "/projects/{project_id}",
    response={204: None, **ERRORS},
    url_name="project-delete",
    summary="删除项目（操作记录保留）",
)
def project_delete(request: HttpRequest, project_id: int) -> HttpResponse:
    """Delete a project without sub-projects; its history stays."""
    user = actor(request)
    project = project_get(actor=user, pk=project_id)
    _require_editor(user)
    services.project_delete(actor=user, project=project, source=AuditSource.API)
    return HttpResponse(status=204)


# ---------------------------------------------------------------- lifecycle


@router.get(
    "/projects/{project_id}/steps",
    response={200: list[TimelineStageOut], **ERRORS},
    url_name="project-steps",
    summary="项目全生命周期（阶段与环节）",
)
def project_steps(request: HttpRequest, project_id: int) -> list[dict[str, Any]]:
    """Every stage and step of the project's lifecycle with what was recorded."""
    project = project_get(actor=actor(request), pk=project_id)
    return [
        {
            "id": item.stage.pk,
            "code": item.stage.code,
            "name": item.stage.name,
            "order": item.stage.order,
            "current": item.current,
            "steps": [_step_out(s.definition, s.record, s.evidence) for s in item.steps],
        }
        for item in project_timeline(project=project)
    ]


_STEP_FIELDS = {"definition": "step_code"}


def _step_target(
    request: HttpRequest, project_id: int, step_code: str
) -> tuple[User, Project, StepDefinition]:
    """The caller, the project (404 outside scope) and the step a step endpoint acts on."""
    user = actor(request)
    project = project_get(actor=user, pk=project_id)
    _require_editor(user)
    return user, project, _step_definition(step_code)


@router.post(
    "/projects/{project_id}/steps/{step_code}/complete",
    response={200: StepResultOut, **ERRORS},
    url_name="project-step-complete",
    summary="完成环节",
)
def step_complete(
    request: HttpRequest, project_id: int, step_code: str, payload: StepComplete
) -> dict[str, Any]:
    """Complete a step: not in the future, and only after the earlier required steps."""
    user, project, definition = _step_target(request, project_id, step_code)
    with fields_renamed(_STEP_FIELDS):
        step = lifecycle_services.project_step_complete(
            actor=user,
            project=project,
            definition=definition,
            actual_date=payload.actual_date,
            note=payload.note,
            source=AuditSource.API,
        )
    return _step_result(user, project_id, step)


@router.post(
    "/projects/{project_id}/steps/{step_code}/waive",
    response={200: StepResultOut, **ERRORS},
    url_name="project-step-waive",
    summary="豁免环节",
)
def step_waive(
    request: HttpRequest, project_id: int, step_code: str, payload: StepReason
) -> dict[str, Any]:
    """Waive a step with a stated reason, so later steps may proceed."""
    user, project, definition = _step_target(request, project_id, step_code)
    with fields_renamed({**_STEP_FIELDS, "waiver_reason": "reason"}):
        step = lifecycle_services.project_step_waive(
            actor=user,
            project=project,
            definition=definition,
            reason=payload.reason,
            source=AuditSource.API,
        )
    return _step_result(user, project_id, step)


@router.post(
    "/projects/{project_id}/steps/{step_code}/reopen",
    response={200: StepResultOut, **ERRORS},
    url_name="project-step-reopen",
    summary="撤销环节的办结",
)
def step_reopen(
    request: HttpRequest, project_id: int, step_code: str, payload: StepReason
) -> dict[str, Any]:
    """Undo a completion or waiver, with a reason."""
    user, project, definition = _step_target(request, project_id, step_code)
    with fields_renamed({**_STEP_FIELDS, "note": "reason"}):
        step = lifecycle_services.project_step_reopen(
            actor=user,
            project=project,
            definition=definition,
            reason=payload.reason,
            source=AuditSource.API,
        )
    return _step_result(user, project_id, step)


@router.post(
    "/projects/{project_id}/steps/{step_code}/plan",
    response={200: StepResultOut, **ERRORS},
    url_name="project-step-plan",
    summary="设定环节计划日期",
)
def step_plan(
    request: HttpRequest, project_id: int, step_code: str, payload: StepPlan
) -> dict[str, Any]:
    """Set a step's planned date and note."""
    user, project, definition = _step_target(request, project_id, step_code)
    with fields_renamed(_STEP_FIELDS):
        step = lifecycle_services.project_step_plan(
            actor=user,
            project=project,
            definition=definition,
            planned_date=payload.planned_date,
            note=payload.note,
            source=AuditSource.API,
        )
    return _step_result(user, project_id, step)


# ---------------------------------------------------------------- history


@router.get(
    "/projects/{project_id}/history",
    response={200: AuditPage, **ERRORS},
    url_name="project-history",
    summary="项目操作记录（最新在前）",
)
def project_history_list(
    request: HttpRequest, project_id: int, paging: Query[Paging]
) -> dict[str, Any]:
    """The audit trail of one project, newest first, a page at a time."""
    project = project_get(actor=actor(request), pk=project_id)
    events = project_history(project=project)
    return {
        "count": events.count(),
        "page": paging.page,
        "page_size": paging.page_size,
        "results": list(events[page_slice(paging.page, paging.page_size)]),
    }
