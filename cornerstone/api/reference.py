"""Reference data through the API: divisions, industries and the lifecycle definitions."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router

from cornerstone.api.projects import page_slice
from cornerstone.api.schemas import (
    ERRORS,
    IndustryPage,
    ReferencePaging,
    RegionPage,
    StageOut,
)
from cornerstone.geo.queries import industries_find, regions_find
from cornerstone.projects.models import Stage
from cornerstone.projects.queries import stages_with_steps

router = Router(tags=["reference"])


class RegionParams(ReferencePaging):
    parent: str | None = Field(None, description="上级区划代码，只列其直接下级")
    level: Literal["province", "city", "county"] | None = Field(None, description="级别")
    q: str | None = Field(None, description="按代码前缀或名称搜索")


class IndustryParams(ReferencePaging):
    level: Literal["section", "division"] | None = Field(
        None, description="层级：section 门类，division 大类"
    )
    parent: str | None = Field(None, description="门类字母，只列其下的大类")


@router.get(
    "/regions",
    response={200: RegionPage, **ERRORS},
    url_name="region-list",
    summary="行政区划（GB/T 2260）",
)
def region_list(request: HttpRequest, params: Query[RegionParams]) -> dict[str, Any]:
    """Administrative divisions, by parent, level or text."""
    regions = regions_find(parent=params.parent, level=params.level, q=params.q)
    return {
        "count": regions.count(),
        "page": params.page,
        "page_size": params.page_size,
        "results": list(regions[page_slice(params.page, params.page_size)]),
    }


@router.get(
    "/industries",
    response={200: IndustryPage, **ERRORS},
    url_name="industry-list",
    summary="国民经济行业分类（GB/T 4754-2017 门类与大类）",
)
def industry_list(request: HttpRequest, params: Query[IndustryParams]) -> dict[str, Any]:
    """Industry sections and divisions, by level or section."""
    industries = industries_find(level=params.level, parent=params.parent)
    return {
        "count": industries.count(),
        "page": params.page,
        "page_size": params.page_size,
        "results": list(industries[page_slice(params.page, params.page_size)]),
    }


@router.get(
    "/stages",
    response={200: list[StageOut], **ERRORS},
    url_name="stage-list",
    summary="生命周期阶段及其环节",
)
def stage_list(request: HttpRequest) -> list[Stage]:
    """Stages in order, each with its step definitions."""
    return stages_with_steps()
