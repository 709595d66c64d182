"""Campaigns (三个一批, 集中开工) through the API.

The same scoped queries and services as the pages: a campaign the caller cannot see is a
404; a caller who sees it but may not change it (a leader, a county admin at the city's
event) gets a 403 on writes; owners see their own projects' rows and no regional results.
Writes are audited with source "api". Money is a decimal string in 万元.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from cornerstone.api.auth import actor
from cornerstone.api.schemas import ERRORS, Paging
from cornerstone.campaigns import queries, services
from cornerstone.campaigns.exports import projects_download, results_download
from cornerstone.campaigns.filters import CampaignFilterSet
from cornerstone.campaigns.headlines import results_headlines
from cornerstone.campaigns.models import Campaign, CampaignProject, Venue
from cornerstone.campaigns.results import Row, Totals
from cornerstone.core.choices import AuditSource

router = Router(tags=["集中活动"])


# ---------------------------------------------------------------- shapes


class _In(Schema):
    # A misspelt or read-only field (the organising region on PATCH) is an error.
    model_config = ConfigDict(extra="forbid")


class CampaignIn(_In):
    name: str = Field(description="活动名称")
    kind: str = Field(description="three_batches（三个一批）/ mass_start（集中开工）/ other")
    date: dt.date = Field(description="活动日期")
    region: str = Field(description="组织区划代码（须在调用者管辖范围内）")
    note: str = ""


class CampaignPatch(_In):
    name: str | None = None
    kind: str | None = None
    date: dt.date | None = None
    note: str | None = None


class CampaignOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    date: dt.date
    region: str = Field(description="组织区划代码")
    region_name: str
    status: str = Field(description="draft（筹备中）/ confirmed（已确认）")
    note: str
    project_count: int = Field(description="调用者可见的参加项目数")
    confirmed_at: dt.datetime | None


class VenueIn(_In):
    kind: str = Field(description="main（主会场）/ branch（分会场）")
    region: str = Field(description="所在区划代码（须在活动组织区划内）")
    name: str
    address: str = ""


class VenueOut(Schema):
    id: int
    kind: str
    region: str
    region_name: str
    name: str
    address: str


class EntryOut(Schema):
    project_id: int
    project_code: str
    project_name: str
    region: str
    region_name: str
    action: str = Field(description="sign（签约）/ start（开工）/ produce（投产）")
    action_label: str
    total_investment: Decimal = Field(description="总投资（万元）；确认后为活动时的总投资")
    venue_id: int | None
    note: str


class CampaignDetailOut(CampaignOut):
    venues: list[VenueOut]
    projects: list[EntryOut]


class CampaignPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CampaignOut]


class CampaignListParams(Paging):
    year: int | None = Field(None, description="活动年度")
    kind: str | None = Field(None, description="three_batches / mass_start / other")
    status: str | None = Field(None, description="draft / confirmed")
    region: str | None = Field(None, description="组织区划代码（含下级）")
    q: str | None = Field(None, description="活动名称包含")
    sort: str | None = Field(None, description="date / -date / name / -name / projects / -projects")


class EnrolItemIn(_In):
    project_id: int
    action: str = Field(description="sign（签约）/ start（开工）/ produce（投产）")
    venue_id: int | None = None
    note: str = ""


class EnrolIn(_In):
    projects: list[EnrolItemIn] = Field(
        description="要加入的项目；全部通过才保存，否则一个也不保存"
    )


class ActionTotalOut(Schema):
    action: str
    label: str
    count: int
    total_investment: Decimal


class ResultRowOut(Schema):
    code: str = Field(description="区划代码（园区为园区编号）")
    name: str
    own: bool = Field(description="本级：登记在该区划本身的项目")
    drillable: bool = Field(description="可按 region 参数下钻")
    count: int
    total_investment: Decimal
    actions: list[ActionTotalOut]


class ResultsOut(Schema):
    region: str
    region_name: str
    headlines: list[str] = Field(description="官方通稿格式的汇总语句")
    total: ResultRowOut
    rows: list[ResultRowOut] = Field(description="各下级区划（及本级），之和等于合计")
    development_zones: list[ActionTotalOut] = Field(description="开发区合计")
    zones: list[ResultRowOut]


# ---------------------------------------------------------------- helpers


def _campaign_out(c: Campaign, count: int | None = None) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "kind": c.kind,
        "kind_label": str(c.get_kind_display()),
        "date": c.date,
        "region": c.region_id,
        "region_name": c.region.name,
        "status": c.status,
        "note": c.note,
        "project_count": getattr(c, "entry_count", count or 0),
        "confirmed_at": c.confirmed_at,
    }


def _venue_out(v: Venue) -> dict[str, Any]:
    return {
        "id": v.pk,
        "kind": v.kind,
        "region": v.region_id,
        "region_name": v.region.name,
        "name": v.name,
        "address": v.address,
    }


def _entry_out(e: CampaignProject) -> dict[str, Any]:
    return {
        "project_id": e.project_id,
        "project_code": e.project.code,
        "project_name": e.project.name,
        "region": e.project.region_id,
        "region_name": e.project.region.name,
        "action": e.action,
        "action_label": str(e.get_action_display()),
        "total_investment": e.amount,  # type: ignore[attr-defined]
        "venue_id": e.venue_id,
        "note": e.note,
    }


def _detail(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    user = actor(request)
    campaign = queries.campaign_get(actor=user, pk=campaign_id)
    return {
        **_campaign_out(campaign),
        "venues": [_venue_out(v) for v in campaign.venues.select_related("region")],
        "projects": [_entry_out(e) for e in queries.entries_visible(actor=user, campaign=campaign)],
    }


def _actions(totals: Totals) -> list[dict[str, Any]]:
    return [
        {"action": a, "label": label, "count": n, "total_investment": amount}
        for a, label, n, amount in totals.labelled()
    ]


def _row_out(row: Row) -> dict[str, Any]:
    return {
        "code": row.place.code,
        "name": row.place.name,
        "own": row.own,
        "drillable": row.drillable,
        "count": row.totals.count,
        "total_investment": row.totals.amount,
        "actions": _actions(row.totals),
    }


# ---------------------------------------------------------------- endpoints


@router.get(
    "/campaigns",
    response={200: CampaignPage, **ERRORS},
    url_name="campaign-list",
    summary="集中活动列表（筛选、排序、分页）",
)
def campaign_list(request: HttpRequest, params: Query[CampaignListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    """Campaigns the caller sees, filtered like the list page."""
    filterset = CampaignFilterSet(
        request.GET, queryset=queries.campaigns_visible(actor=actor(request))
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    page, page_size = params.page, params.page_size  # type: ignore[attr-defined]
    window = filterset.qs[(page - 1) * page_size : page * page_size]
    return {
        "count": filterset.qs.count(),
        "page": page,
        "page_size": page_size,
        "results": [_campaign_out(c) for c in window],
    }


@router.post(
    "/campaigns",
    response={201: CampaignDetailOut, **ERRORS},
    url_name="campaign-create",
    summary="新建集中活动（筹备中）",
)
def campaign_create(request: HttpRequest, payload: CampaignIn) -> tuple[int, dict[str, Any]]:
    """A draft campaign organised by a region of the caller's subtree."""
    campaign = services.campaign_create(
        actor=actor(request), data=payload.dict(), source=AuditSource.API
    )
    return 201, _detail(request, campaign.pk)


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, **ERRORS},
    url_name="campaign-detail",
    summary="集中活动详情（会场与调用者可见的参加项目）",
)
def campaign_detail(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    """One campaign with its venues and the rows the caller sees."""
    return _detail(request, campaign_id)


@router.patch(
    "/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, **ERRORS},
    url_name="campaign-update",
    summary="修改筹备中的活动（名称、类型、日期、说明）",
)
def campaign_update(
    request: HttpRequest, campaign_id: int, payload: CampaignPatch
) -> dict[str, Any]:
    """Change a draft campaign; the organising region cannot change."""
    user = actor(request)
    campaign = queries.campaign_get(actor=user, pk=campaign_id)
    data = payload.dict(exclude_unset=True)
    services.campaign_update(actor=user, campaign=campaign, data=data, source=AuditSource.API)
    return _detail(request, campaign_id)


@router.post(
    "/campaigns/{campaign_id}/venues",
    response={201: VenueOut, **ERRORS},
    url_name="campaign-venue-add",
    summary="添加主会场或分会场",
)
def venue_add(
    request: HttpRequest, campaign_id: int, payload: VenueIn
) -> tuple[int, dict[str, Any]]:
    """Add a venue in a region of the campaign's subtree (one main venue at most)."""
    user = actor(request)
    campaign = queries.campaign_get(actor=user, pk=campaign_id)
    venue = services.venue_add(
        actor=user, campaign=campaign, data=payload.dict(), source=AuditSource.API
    )
    return 201, _venue_out(Venue.objects.select_related("region").get(pk=venue.pk))


@router.delete(
    "/campaigns/{campaign_id}/venues/{venue_id}",
    response={204: None, **ERRORS},
    url_name="campaign-venue-remove",
    summary="删除会场（其项目保留，不再指定会场）",
)
def venue_remove(request: HttpRequest, campaign_id: int, venue_id: int) -> tuple[int, None]:
    """Remove a venue of a draft campaign."""
    user = actor(request)
    campaign = queries.campaign_get(actor=user, pk=campaign_id)
    services.venue_remove(actor=user, campaign=campaign, venue_id=venue_id, source=AuditSource.API)
    return 204, None


@router.post(
    "/campaigns/{campaign_id}/projects",
    response={201: CampaignDetailOut, **ERRORS},
    url_name="campaign-enrol",
    summary="加入参加项目（按生命周期校验，全部通过才保存）",
)
def campaign_enrol(
    request: HttpRequest, campaign_id: int, payload: EnrolIn
) -> tuple[int, dict[str, Any]]:
    """Enrol projects with their actions; one refusal refuses the batch, each named."""
    user = actor(request)
    campaign = queries.campaign_get(actor=user, pk=campaign_id)
    items = [
        services.EnrolItem(
            project_id=i.project_id, action=i.action, venue_id=i.venue_id, note=i.note
        )
        for i in payload.projects
    ]
    services.campaign_projects_enrol(
        actor=user, campaign=campaign, items=items, source=AuditSource.API
    )
    return 201, _detail(request, campaign_id)


@router.delete(
    "/campaigns/{campaign_id}/projects/{project_id}",
    response={204: None, **ERRORS},
    url_name="campaign-remove",
    summary="移出参加项目",
)
def campaign_remove(request: HttpRequest, campaign_id: int, project_id: int) -> tuple[int, None]:
    """Take a project out of a draft campaign."""
    user = actor(request)
    campaign = queries.campaign_get(actor=user, pk=campaign_id)
    services.campaign_project_remove(
        actor=user, campaign=campaign, project_id=project_id, source=AuditSource.API
    )
    return 204, None


@router.post(
    "/campaigns/{campaign_id}/confirm",
    response={200: CampaignDetailOut, **ERRORS},
    url_name="campaign-confirm",
    summary="确认活动：按活动日期记录各项目的签约、开工、投产环节（全部成功才生效）",
)
def campaign_confirm(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    """Record the event on every project's lifecycle, all or nothing."""
    user = actor(request)
    campaign = queries.campaign_get(actor=user, pk=campaign_id)
    services.campaign_confirm(actor=user, campaign=campaign, source=AuditSource.API)
    return _detail(request, campaign_id)


@router.get(
    "/campaigns/{campaign_id}/results",
    response={200: ResultsOut, **ERRORS},
    url_name="campaign-results",
    summary="分区域汇总：各环节项目数与总投资，及官方格式的汇总语句",
)
def campaign_results(
    request: HttpRequest,
    campaign_id: int,
    region: str | None = Query(None, description="下钻到的区划代码（默认为组织区划）"),  # type: ignore[type-arg]
) -> dict[str, Any]:
    """Totals of the region and each region below it; rows add up to the total exactly."""
    user = actor(request)
    campaign = queries.campaign_get(actor=user, pk=campaign_id)
    place, results = queries.campaign_results(actor=user, campaign=campaign, region_code=region)
    return {
        "region": place.code,
        "region_name": place.name,
        "headlines": results_headlines(results),
        "total": _row_out(results.root),
        "rows": [_row_out(r) for r in results.rows],
        "development_zones": _actions(results.devzones),
        "zones": [_row_out(r) for r in results.zone_rows],
    }


@router.get(
    "/campaigns/{campaign_id}/projects.xlsx",
    response={200: None, **ERRORS},
    url_name="campaign-projects-xlsx",
    summary="导出参加项目（xlsx）",
)
def campaign_projects_workbook(request: HttpRequest, campaign_id: int) -> FileResponse:
    """The rows the caller sees, as the page exports them."""
    user = actor(request)
    return projects_download(actor=user, campaign=queries.campaign_get(actor=user, pk=campaign_id))


@router.get(
    "/campaigns/{campaign_id}/results.xlsx",
    response={200: None, **ERRORS},
    url_name="campaign-results-xlsx",
    summary="导出分区域汇总（xlsx）",
)
def campaign_results_workbook(
    request: HttpRequest,
    campaign_id: int,
    region: str | None = Query(None, description="区划代码（默认为组织区划）"),  # type: ignore[type-arg]
) -> FileResponse:
    """The results per region, as the page exports them."""
    user = actor(request)
    campaign = queries.campaign_get(actor=user, pk=campaign_id)
    return results_download(actor=user, campaign=campaign, region_code=region)
