"""Horse-race evaluation through the API: the same scoped queries and services as the pages.

A round outside the caller's scope (or a unit they may not see) is a 404; an evaluator
scoring a unit not assigned to them, or anyone but the organisers moving a round, is a
403; a score outside its criterion's limits, a sheet already submitted or a move the
round's status does not allow is a 400 naming the criterion or field. Every write is
audited with source "api".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from cornerstone.api.auth import actor
from cornerstone.api.projects import page_slice
from cornerstone.api.schemas import ERRORS, Paging
from cornerstone.core.choices import AuditSource
from cornerstone.evaluation import entry_services, exports, queries, services
from cornerstone.evaluation.models import EvaluationRound, RoundUnit, ScoreSheet

router = Router(tags=["赛马评比"])
MOVES = {
    "open": services.round_open,
    "close": services.round_close,
    "publish": services.round_publish,
}


class UnitOut(Schema):
    id: int
    name: str
    region: str | None = Field(description="县区代码（园区为空）")
    zone: int | None = Field(description="园区编号（县区为空）")


class RoundRow(Schema):
    id: int
    name: str
    year: int
    period_start: dt.date
    period_end: dt.date
    region: str = Field(description="组织区划代码")
    scheme: str = Field(description="评价方案名称")
    status: str = Field(description="draft 筹备中；open 评分中；closed 已结束；published 已发布")
    status_label: str
    units: int


class RoundPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RoundRow]


class CriterionOut(Schema):
    code: str
    name: str
    component: str
    source: str = Field(description="evaluator 评委评分；daily 日常考核；computed 台账计算")
    rule: dict[str, Any] = Field(description="计分规则（JSON，见 docs/evaluation.md）")
    max_score: Decimal | None


class ProgressOut(Schema):
    evaluator: str
    assigned: int
    submitted: int
    drafts: int


class RoundOut(RoundRow):
    components: list[dict[str, Any]] = Field(description="组成部分及权重")
    criteria: list[CriterionOut]
    unit_list: list[UnitOut] = Field(description="调用者可见的参评单位")
    my_units: list[UnitOut] = Field(description="调用者作为评委应评的单位")
    progress: list[ProgressOut] = Field(description="评分进度（仅组织者可见，不含分数）")
    results_visible: bool


class EntryOut(Schema):
    criterion: str
    score: Decimal
    note: str


class SheetOut(Schema):
    id: int
    unit: UnitOut
    status: str = Field(description="draft 草稿；submitted 已提交")
    submitted_at: dt.datetime | None
    entries: list[EntryOut]


class SheetIn(Schema):
    model_config = ConfigDict(extra="forbid")
    scores: dict[str, str] = Field(description="评分项编码 → 分值（最多两位小数）")
    notes: dict[str, str] = Field(default_factory=dict, description="评分项编码 → 评语")
    submit: bool = Field(False, description="true：提交（提交后不能再改）；false：保存草稿")


class LineOut(Schema):
    criterion: str
    name: str
    score: str
    text: str = Field(description="计分说明")
    flagged: bool = Field(description="缺少数据或评分表，按0分计")


class ResultOut(Schema):
    unit: UnitOut
    rank: int
    total: Decimal
    self_score: Decimal | None
    previous_rank: int | None = Field(description="上一轮同方案同区划评比中的名次")
    movement: int | None = Field(description="名次变化，正数为上升")
    breakdown: list[LineOut]
    notes: list[str]


class ResultsOut(Schema):
    round: int
    status: str
    previous_round: int | None
    results: list[ResultOut]


class MoveIn(Schema):
    model_config = ConfigDict(extra="forbid")
    action: Literal["open", "close", "publish"] = Field(
        description="open 开始评分；close 结束评分并计算结果；publish 发布结果"
    )


def _unit(unit: RoundUnit) -> dict[str, Any]:
    return {"id": unit.pk, "name": unit.name, "region": unit.region_id, "zone": unit.zone_id}


def _row(round_: EvaluationRound, units: int) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "name": round_.name,
        "year": round_.year,
        "period_start": round_.period_start,
        "period_end": round_.period_end,
        "region": round_.region_id,
        "scheme": round_.scheme.name,
        "status": round_.status,
        "status_label": round_.get_status_display(),
        "units": units,
    }


def _round_out(request: HttpRequest, round_id: int) -> dict[str, Any]:
    user = actor(request)
    round_ = queries.round_get(actor=user, pk=round_id)
    units = list(queries.units_visible(actor=user, round_=round_))
    assignment = queries.evaluator_assignment(actor=user, round_=round_)
    return {
        **_row(round_, len(units)),
        "components": round_.scheme.components,
        "criteria": [
            {
                "code": c.code,
                "name": c.name,
                "component": c.component,
                "source": c.source,
                "rule": c.rule,
                "max_score": c.max_score,
            }
            for c in queries.criteria_of(round_)
        ],
        "unit_list": [_unit(u) for u in units],
        "my_units": [_unit(u) for u in assignment.units.all()] if assignment else [],
        "progress": [
            {
                "evaluator": p.evaluator,
                "assigned": p.assigned,
                "submitted": p.submitted,
                "drafts": p.drafts,
            }
            for p in queries.sheet_progress(actor=user, round_=round_)
        ],
        "results_visible": queries.results_visible(user, round_),
    }


def _sheet_out(sheet: ScoreSheet) -> dict[str, Any]:
    return {
        "id": sheet.pk,
        "unit": _unit(sheet.unit),
        "status": sheet.status,
        "submitted_at": sheet.submitted_at,
        "entries": [
            {"criterion": e.criterion.code, "score": e.score, "note": e.note}
            for e in sheet.entries.select_related("criterion").order_by("criterion__order")
        ],
    }


@router.get(
    "/evaluation/rounds",
    response={200: RoundPage, **ERRORS},
    url_name="evaluation-rounds",
    summary="评比列表（调用者组织、所在单位参评或担任评委的评比）",
)
def round_list(request: HttpRequest, params: Query[Paging]) -> dict[str, Any]:
    """Visible rounds, newest first."""
    rounds = queries.round_list(actor=actor(request))
    window = page_slice(params.page, params.page_size)
    return {
        "count": rounds.count(),
        "page": params.page,
        "page_size": params.page_size,
        "results": [_row(r, r.unit_count) for r in rounds[window]],  # type: ignore[attr-defined]
    }


@router.get(
    "/evaluation/rounds/{round_id}",
    response={200: RoundOut, **ERRORS},
    url_name="evaluation-round",
    summary="评比详情：方案、评分项、可见的参评单位、评分进度",
)
def round_detail(request: HttpRequest, round_id: int) -> dict[str, Any]:
    """One visible round."""
    return _round_out(request, round_id)


@router.post(
    "/evaluation/rounds/{round_id}/transition",
    response={200: RoundOut, **ERRORS},
    url_name="evaluation-round-transition",
    summary="开始评分、结束评分（计算结果）或发布结果（组织者）",
)
def round_transition(request: HttpRequest, round_id: int, payload: MoveIn) -> dict[str, Any]:
    """Move a round on; closing computes every unit's total, rank and breakdown."""
    user = actor(request)
    round_ = queries.round_get(actor=user, pk=round_id)
    MOVES[payload.action](actor=user, round_=round_, source=AuditSource.API)
    return _round_out(request, round_id)


@router.get(
    "/evaluation/rounds/{round_id}/sheets",
    response={200: list[SheetOut], **ERRORS},
    url_name="evaluation-my-sheets",
    summary="我的评分表（只含调用者本人的）",
)
def my_sheets(request: HttpRequest, round_id: int) -> list[dict[str, Any]]:
    """The caller's own sheets of a round: never anyone else's."""
    user = actor(request)
    round_ = queries.round_get(actor=user, pk=round_id)
    return [_sheet_out(s) for s in queries.my_sheets(actor=user, round_=round_)]


@router.post(
    "/evaluation/rounds/{round_id}/sheets/{unit_id}",
    response={200: SheetOut, **ERRORS},
    url_name="evaluation-sheet-save",
    summary="保存或提交对一个单位的评分表",
)
def sheet_save(
    request: HttpRequest, round_id: int, unit_id: int, payload: SheetIn
) -> dict[str, Any]:
    """Save a draft or submit; scores outside their limits or a second submission are refused."""
    user = actor(request)
    round_ = queries.round_get(actor=user, pk=round_id)
    unit = queries.unit_get(actor=user, round_=round_, pk=unit_id)
    sheet = entry_services.score_sheet_save(
        actor=user,
        round_=round_,
        unit=unit,
        scores=payload.scores,
        notes=payload.notes,
        submit=payload.submit,
        source=AuditSource.API,
    )
    return _sheet_out(sheet)


def _visible_round(request: HttpRequest, round_id: int) -> EvaluationRound:
    user = actor(request)
    round_ = queries.round_get(actor=user, pk=round_id)
    if not queries.results_visible(user, round_):
        raise PermissionDenied(_("评比“%s”的结果尚未发布。") % round_.name)
    return round_


@router.get(
    "/evaluation/rounds/{round_id}/results",
    response={200: ResultsOut, **ERRORS},
    url_name="evaluation-results",
    summary="评比结果（赛马榜）：名次、总分、得分明细、自评分、名次变化",
)
def results(request: HttpRequest, round_id: int) -> dict[str, Any]:
    """The leaderboard of the units the caller may see, once results are visible to them."""
    user = actor(request)
    round_ = _visible_round(request, round_id)
    previous = queries.previous_round(round_)
    return {
        "round": round_.pk,
        "status": round_.status,
        "previous_round": previous.pk if previous else None,
        "results": [
            {
                "unit": _unit(row.result.unit),
                "rank": row.result.rank,
                "total": row.result.total,
                "self_score": row.self_score,
                "previous_rank": row.previous_rank,
                "movement": row.movement,
                "breakdown": row.result.breakdown,
                "notes": row.result.notes,
            }
            for row in queries.leaderboard(actor=user, round_=round_)
        ],
    }


@router.get(
    "/evaluation/rounds/{round_id}/results.xlsx",
    response={200: None, **ERRORS},
    url_name="evaluation-results-xlsx",
    summary="导出评比结果（xlsx）",
)
def results_workbook(request: HttpRequest, round_id: int) -> FileResponse:
    """The results the caller sees, as the page exports them."""
    round_ = _visible_round(request, round_id)
    rows = queries.leaderboard(actor=actor(request), round_=round_)
    return exports.results_download(round_=round_, rows=rows)
