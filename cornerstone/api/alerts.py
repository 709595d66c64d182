"""Warnings through the API: lights (list, a project's history, regions), rule sets,
justifications, recomputation.

The same scoped queries and services as the alerts pages: a project, light, rule set or
justification outside the caller's scope is a 404; a reader writing is a 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from cornerstone.accounts.scope import can_edit_projects, project_scope_q
from cornerstone.alerts import queries, services
from cornerstone.alerts.filters import SORTS, LightFilterSet
from cornerstone.alerts.models import Justification, ProjectLight, RuleSet
from cornerstone.alerts.presets import FIELDS, ParamsError, flatten, params_check
from cornerstone.alerts.tasks import lights_recompute_enqueue
from cornerstone.api.auth import actor
from cornerstone.api.schemas import ERRORS, Paging
from cornerstone.core.choices import AuditSource
from cornerstone.projects.models import Project
from cornerstone.projects.queries import project_get

router = Router(tags=["预警"])


def page_slice(page: int, size: int) -> slice:
    return slice((page - 1) * size, page * size)


# ---------------------------------------------------------------- schemas


class ReasonOut(Schema):
    rule: str = Field(
        description="规则：start 开工、progress 投资进度、inclusion 入库纳统、milestone 节点、"
        "reports 报送、problems 督办问题、region_task、region_growth"
    )
    colour: str = Field(description="该规则给出的灯色：green / yellow / red")
    text: str = Field(description="原因（中文）")
    suppressed: str = Field("", description="已认可情况说明时的说明；非空表示该原因不计入灯色")


class LightOut(Schema):
    id: int
    project_id: int
    project_name: str
    region: str
    year: int
    month: int
    colour: str
    reasons: list[ReasonOut]
    rule_set_id: int | None
    computed_at: Any


class LightPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[LightOut]


class LightFilters(Paging):
    year: int | None = Field(None, ge=2000, le=2100, description="年度（默认本月）")
    month: int | None = Field(None, ge=1, le=12, description="月份（默认本月）")
    colour: str | None = Field(None, description="green / yellow / red")
    tier: str | None = Field(None, description="项目级别：provincial / city / county")
    region: str | None = Field(None, description="区划代码（含下级）")
    rule: str | None = Field(None, description="触发的规则")
    sort: str = Field("colour", description="排序：colour、region、name、invest")


class HistoryOut(Schema):
    project_id: int
    months: list[LightOut | None] = Field(description="近12个月，由早到晚；未计算的月份为 null")


class RegionLightOut(Schema):
    region: str
    region_name: str
    year: int
    month: int
    colour: str
    reasons: list[ReasonOut]


class RegionLightPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RegionLightOut]


class RuleSetOut(Schema):
    id: int
    name: str
    region: str
    tier: str
    preset: str
    active: bool
    params: dict[str, Any]


class RuleSetIn(Schema):
    name: str = ""
    region: str
    tier: str = ""
    preset: str = Field(description="yinchuan_2025 / sanya_2022 / tianjin_2022 / custom")
    active: bool = True
    params: dict[str, Any] | None = Field(
        None, description="完整参数（同 GET 返回的结构）；省略时使用预设参数"
    )


class JustificationIn(Schema):
    rule: str
    reason: str
    valid_until: str | None = Field(None, description="有效期至（YYYY-MM-DD），可省略")


class DecisionIn(Schema):
    accept: bool
    note: str = ""


class JustificationOut(Schema):
    id: int
    project_id: int
    rule: str
    reason: str
    valid_until: Any
    status: str
    decision_note: str


class RecomputeOut(Schema):
    queued: int = Field(description="排队重新计算的项目数")


# ---------------------------------------------------------------- helpers


def _light(row: ProjectLight) -> dict[str, Any]:
    return {
        "id": row.pk,
        "project_id": row.project_id,
        "project_name": row.project.name,
        "region": row.project.region_id,
        "year": row.year,
        "month": row.month,
        "colour": row.colour,
        "reasons": row.reasons,
        "rule_set_id": row.rule_set_id,
        "computed_at": row.computed_at,
    }


def _rule_set(row: RuleSet) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "region": row.region_id,
        "tier": row.tier,
        "preset": row.preset,
        "active": row.active,
        "params": row.params,
    }


def _require_admin(user: Any) -> None:
    if not can_edit_projects(user):
        raise PermissionDenied(_("只有管理员可以执行此操作。"))


def _params_flat(payload: RuleSetIn) -> dict[str, Any]:
    if payload.params is None:
        return {}
    try:
        return flatten(params_check(payload.params))
    except ParamsError as exc:
        raise ValidationError(exc.errors) from None


# ---------------------------------------------------------------- lights


@router.get(
    "/lights", response={200: LightPage, **ERRORS}, summary="项目预警列表（本月或指定月份）"
)
def lights_list(request: HttpRequest, filters: Query[LightFilters]) -> dict[str, Any]:
    """The month's project lights in scope, filtered and sorted, a page at a time."""
    today = timezone.localdate()
    year, month = filters.year or today.year, filters.month or today.month
    base = queries.lights_visible(actor=actor(request), year=year, month=month)
    data = {
        k: v for k, v in filters.dict().items() if k in ("colour", "tier", "region", "rule") and v
    }
    filterset = LightFilterSet(data, queryset=base)
    if not filterset.is_valid():
        raise ValidationError({k: list(v) for k, v in filterset.errors.items()})
    rows = filterset.qs.order_by(*SORTS.get(filters.sort, SORTS["colour"]))
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [_light(r) for r in rows[page_slice(filters.page, filters.page_size)]],
    }


@router.get(
    "/projects/{project_id}/lights",
    response={200: HistoryOut, **ERRORS},
    summary="项目近12个月的预警",
)
def project_lights(request: HttpRequest, project_id: int) -> dict[str, Any]:
    """A project's light by month for the last twelve months."""
    user = actor(request)
    project = project_get(actor=user, pk=project_id)
    history = queries.project_history(actor=user, project=project, today=timezone.localdate())
    for __y, __m, row in history:
        if row is not None:
            row.project = project
    return {
        "project_id": project.pk,
        "months": [_light(row) if row else None for __y, __m, row in history],
    }


@router.get("/region-lights", response={200: RegionLightPage, **ERRORS}, summary="区域预警")
def region_lights(
    request: HttpRequest,
    paging: Query[Paging],
    year: int | None = None,
    month: int | None = None,
) -> dict[str, Any]:
    """The month's region lights of the regions in scope."""
    today = timezone.localdate()
    rows: Any = queries.region_lights_visible(
        actor=actor(request), year=year or today.year, month=month or today.month
    )
    return {
        "count": rows.count(),
        "page": paging.page,
        "page_size": paging.page_size,
        "results": [
            {
                "region": r.region_id,
                "region_name": r.region.full_name,
                "year": r.year,
                "month": r.month,
                "colour": r.colour,
                "reasons": r.reasons,
            }
            for r in rows[page_slice(paging.page, paging.page_size)]
        ],
    }


@router.post(
    "/lights/recompute", response={202: RecomputeOut, **ERRORS}, summary="重新计算本辖区预警"
)
def lights_recompute(request: HttpRequest) -> tuple[int, dict[str, int]]:
    """Queue a recomputation of the lights of every project in the admin's scope."""
    user = actor(request)
    _require_admin(user)
    ids = list(Project.objects.filter(project_scope_q(user)).values_list("id", flat=True))
    lights_recompute_enqueue(project_ids=ids)
    return 202, {"queued": len(ids)}


# ---------------------------------------------------------------- rule sets


@router.get("/rule-sets", response={200: list[RuleSetOut], **ERRORS}, summary="预警规则列表")
def rule_sets_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Rule sets in the caller's scope and those above that apply to it."""
    return [_rule_set(r) for r in queries.rule_sets_visible(actor=actor(request))]


@router.post("/rule-sets", response={201: RuleSetOut, **ERRORS}, summary="新建预警规则")
def rule_set_create(request: HttpRequest, payload: RuleSetIn) -> tuple[int, dict[str, Any]]:
    """Create a region's rule set from a preset, with the full parameters if given."""
    user = actor(request)
    _require_admin(user)
    data = payload.dict(exclude={"params"})
    saved = services.rule_set_save(
        actor=user, data=data, params=_params_flat(payload), source=AuditSource.API
    )
    return 201, _rule_set(saved)


@router.get("/rule-sets/{rule_set_id}", response={200: RuleSetOut, **ERRORS}, summary="预警规则")
def rule_set_get(request: HttpRequest, rule_set_id: int) -> dict[str, Any]:
    """One rule set with its parameters."""
    return _rule_set(queries.rule_set_get(actor=actor(request), pk=rule_set_id))


@router.put(
    "/rule-sets/{rule_set_id}", response={200: RuleSetOut, **ERRORS}, summary="修改预警规则"
)
def rule_set_put(request: HttpRequest, rule_set_id: int, payload: RuleSetIn) -> dict[str, Any]:
    """Replace a rule set's fields and parameters (an admin of its region)."""
    user = actor(request)
    rule_set = queries.rule_set_get(actor=user, pk=rule_set_id)
    _require_admin(user)
    saved = services.rule_set_save(
        actor=user,
        data=payload.dict(exclude={"params"}),
        params=_params_flat(payload),
        rule_set=rule_set,
        source=AuditSource.API,
    )
    return _rule_set(saved)


@router.get(
    "/rule-parameters", response={200: list[dict[str, Any]], **ERRORS}, summary="可调整的规则参数"
)
def rule_parameters(request: HttpRequest) -> list[dict[str, Any]]:
    """Every adjustable parameter: dotted name, label, kind, bounds, choices."""
    return [
        {
            "name": p.name,
            "label": p.label,
            "kind": p.kind,
            "low": p.low,
            "high": p.high,
            "choices": dict(p.choices or {}),
            "optional": p.optional,
        }
        for p in FIELDS
    ]


# ---------------------------------------------------------------- justifications


def _justification(row: Justification) -> dict[str, Any]:
    return {
        "id": row.pk,
        "project_id": row.project_id,
        "rule": row.rule,
        "reason": row.reason,
        "valid_until": row.valid_until,
        "status": row.status,
        "decision_note": row.decision_note,
    }


@router.get(
    "/justifications",
    response={200: list[JustificationOut], **ERRORS},
    summary="情况说明列表",
)
def justifications_list(
    request: HttpRequest, paging: Query[Paging], status: str | None = None
) -> list[dict[str, Any]]:
    """Justifications of the projects in scope, newest first."""
    rows = queries.justifications_visible(actor=actor(request))
    if status:
        rows = rows.filter(status=status)
    return [_justification(r) for r in rows[page_slice(paging.page, paging.page_size)]]


@router.post(
    "/projects/{project_id}/justifications",
    response={201: JustificationOut, **ERRORS},
    summary="提交情况说明",
)
def justification_propose(
    request: HttpRequest, project_id: int, payload: JustificationIn
) -> tuple[int, dict[str, Any]]:
    """An owner or an admin states a documented reason for one rule's light."""
    user = actor(request)
    project = project_get(actor=user, pk=project_id)
    saved = services.justification_propose(
        actor=user, project=project, data=payload.dict(), source=AuditSource.API
    )
    return 201, _justification(saved)


@router.post(
    "/justifications/{justification_id}/decision",
    response={200: JustificationOut, **ERRORS},
    summary="审核情况说明",
)
def justification_decide(
    request: HttpRequest, justification_id: int, payload: DecisionIn
) -> dict[str, Any]:
    """An admin in scope accepts or rejects a justification (a rejection needs a note)."""
    user = actor(request)
    justification = queries.justification_get(actor=user, pk=justification_id)
    saved = services.justification_decide(
        actor=user,
        justification=justification,
        accept=payload.accept,
        note=payload.note,
        source=AuditSource.API,
    )
    return _justification(saved)
