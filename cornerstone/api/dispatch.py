"""Dispatch meetings and briefings through the API.

The same scoped queries and services as the pages: a meeting or briefing of a region
outside the caller's subtree is a 404; a caller who may read but not dispatch (a leader,
a department) gets a 403 on writes. Writes are audited with source "api".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from cornerstone.api.auth import actor
from cornerstone.api.schemas import ERRORS, Paging
from cornerstone.core.choices import AuditSource
from cornerstone.dispatch import queries, services
from cornerstone.dispatch.filters import BriefingFilterSet, MeetingFilterSet
from cornerstone.dispatch.models import AgendaItem, Briefing, Decision, DispatchMeeting

router = Router(tags=["调度与通报"])
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------- shapes


class MeetingIn(Schema):
    title: str = Field(description="会议名称")
    region: str = Field(description="区划代码（须在调用者管辖范围内）")
    date: dt.date
    tier: str = Field("", description="项目级别：provincial / city / county，空为全部")
    category: str = Field("", description="项目类别，空为全部")
    location: str = ""


class MeetingOut(Schema):
    id: int
    title: str
    region: str = Field(description="区划代码")
    region_name: str
    tier: str
    category: str
    date: dt.date
    location: str
    status: str = Field(description="planned / held / closed")
    minutes: str


class AgendaItemOut(Schema):
    id: int
    position: int
    kind: str = Field(description="project / problem")
    project_id: int
    project_name: str
    problem_id: int | None
    colour: str = Field(description="red / yellow，问题议题为空")
    reason: str


class DecisionIn(Schema):
    agenda_item: int | None = Field(None, description="议题编号（与项目二选一）")
    project: int | None = Field(None, description="项目编号")
    text: str = Field(description="议定事项")
    outcome: str = Field(description="task（转为任务）/ problem（转为问题）")
    category: str = Field("", description="问题类别（转为问题时必填）")
    department: int | None = Field(None, description="责任单位编号")
    person: str = ""
    deadline: dt.date | None = Field(None, description="完成时限")
    name: str = Field("", description="任务名称（转为任务时；默认取议定事项）")


class DecisionOut(Schema):
    id: int
    project_id: int
    agenda_item_id: int | None
    text: str
    outcome: str
    task_id: int | None
    problem_id: int | None


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    decisions: list[DecisionOut]


class MeetingPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MeetingOut]


class MeetingListParams(Paging):
    status: str | None = Field(None, description="planned / held / closed")
    region: str | None = Field(None, description="区划代码（含下级）")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str | None = Field(None, description="会议名称包含")
    sort: str | None = Field(None, description="date / -date / title / -title")


class BriefingIn(Schema):
    title: str = Field("", description="标题；留空按范围和月份生成")
    issuing_body: str = Field(description="发文机关")
    number: str = Field("", description="文号")
    region: str = Field(description="区划代码（须在调用者管辖范围内）")
    tier: str = ""
    category: str = ""
    year: int
    month: int
    meeting: int | None = Field(None, description="所依据的调度会编号")


class BriefingOut(Schema):
    id: int
    title: str
    issuing_body: str
    number: str
    region: str
    region_name: str
    tier: str
    category: str
    year: int
    month: int
    meeting_id: int | None
    status: str = Field(description="queued / running / done / failed")
    progress: int = Field(description="进度（%）")
    summary: str
    error: str
    docx_url: str | None
    pdf_url: str | None


class BriefingPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[BriefingOut]


class BriefingListParams(Paging):
    status: str | None = Field(None, description="queued / running / done / failed")
    region: str | None = None
    year: int | None = None
    month: int | None = None
    sort: str | None = Field(None, description="created / -created / year / -year")


# ---------------------------------------------------------------- helpers


def _meeting_out(m: DispatchMeeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "region": m.region_id,
        "region_name": m.region.name,
        "tier": m.tier,
        "category": m.category,
        "date": m.date,
        "location": m.location,
        "status": m.status,
        "minutes": m.minutes,
    }


def _item_out(i: AgendaItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "position": i.position,
        "kind": i.kind,
        "project_id": i.project_id,
        "project_name": i.project.name,
        "problem_id": i.problem_id,
        "colour": i.colour,
        "reason": i.reason,
    }


def _decision_out(d: Decision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "project_id": d.project_id,
        "agenda_item_id": d.agenda_item_id,
        "text": d.text,
        "outcome": d.outcome,
        "task_id": d.task_id,
        "problem_id": d.problem_id,
    }


def _detail(m: DispatchMeeting) -> dict[str, Any]:
    return {
        **_meeting_out(m),
        "agenda": [_item_out(i) for i in queries.meeting_agenda(meeting=m)],
        "decisions": [_decision_out(d) for d in queries.meeting_decisions(meeting=m)],
    }


def _briefing_out(b: Briefing) -> dict[str, Any]:
    base = f"/api/v1/briefings/{b.pk}"
    return {
        "id": b.pk,
        "title": b.title,
        "issuing_body": b.issuing_body,
        "number": b.number,
        "region": b.region_id,
        "region_name": b.region.name,
        "tier": b.tier,
        "category": b.category,
        "year": b.year,
        "month": b.month,
        "meeting_id": b.meeting_id,
        "status": b.status,
        "progress": b.progress,
        "summary": b.summary,
        "error": b.error,
        "docx_url": f"{base}/docx" if b.docx else None,
        "pdf_url": f"{base}/pdf" if b.pdf else None,
    }


def _window(page: int, page_size: int) -> slice:
    return slice((page - 1) * page_size, page * page_size)


# ---------------------------------------------------------------- meetings


@router.get(
    "/meetings",
    response={200: MeetingPage, **ERRORS},
    url_name="meeting-list",
    summary="调度会列表（筛选、排序、分页）",
)
def meeting_list(request: HttpRequest, params: Query[MeetingListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    """Meetings of the caller's subtree, filtered like the list page."""
    filterset = MeetingFilterSet(
        request.GET, queryset=queries.meetings_visible(actor=actor(request))
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    page, page_size = params.page, params.page_size  # type: ignore[attr-defined]
    return {
        "count": filterset.qs.count(),
        "page": page,
        "page_size": page_size,
        "results": [_meeting_out(m) for m in filterset.qs[_window(page, page_size)]],
    }


@router.post(
    "/meetings",
    response={201: MeetingDetailOut, **ERRORS},
    url_name="meeting-create",
    summary="新建调度会",
)
def meeting_create(request: HttpRequest, payload: MeetingIn) -> tuple[int, dict[str, Any]]:
    """Plan a meeting for a region of the caller's subtree."""
    meeting = services.meeting_create(
        actor=actor(request), data=payload.dict(), source=AuditSource.API
    )
    return 201, _detail(meeting)


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **ERRORS},
    url_name="meeting-detail",
    summary="调度会详情（议题与议定事项）",
)
def meeting_detail(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """One meeting with its agenda and decisions."""
    return _detail(queries.meeting_get(actor=actor(request), pk=meeting_id))


@router.post(
    "/meetings/{meeting_id}/agenda",
    response={200: MeetingDetailOut, **ERRORS},
    url_name="meeting-assemble",
    summary="生成议题（红灯、黄灯项目与升级督办问题）",
)
def meeting_assemble(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """Assemble (or re-assemble) the agenda; refused once decisions were taken."""
    user = actor(request)
    meeting = queries.meeting_get(actor=user, pk=meeting_id)
    services.agenda_assemble(actor=user, meeting=meeting, source=AuditSource.API)
    return _detail(meeting)


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: DecisionOut, **ERRORS},
    url_name="decision-add",
    summary="记录议定事项（同时生成任务或问题）",
)
def decision_add(
    request: HttpRequest, meeting_id: int, payload: DecisionIn
) -> tuple[int, dict[str, Any]]:
    """Record a decision; it becomes a task or a problem in the same transaction."""
    user = actor(request)
    meeting = queries.meeting_get(actor=user, pk=meeting_id)
    data = {k: v for k, v in payload.dict().items() if v not in (None, "")}
    decision = services.decision_add(actor=user, meeting=meeting, data=data, source=AuditSource.API)
    return 201, _decision_out(decision)


# ---------------------------------------------------------------- briefings


@router.get(
    "/briefings",
    response={200: BriefingPage, **ERRORS},
    url_name="briefing-list",
    summary="通报列表（筛选、排序、分页）",
)
def briefing_list(request: HttpRequest, params: Query[BriefingListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    """Briefings of the caller's subtree."""
    filterset = BriefingFilterSet(
        request.GET, queryset=queries.briefings_visible(actor=actor(request))
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    page, page_size = params.page, params.page_size  # type: ignore[attr-defined]
    return {
        "count": filterset.qs.count(),
        "page": page,
        "page_size": page_size,
        "results": [_briefing_out(b) for b in filterset.qs[_window(page, page_size)]],
    }


@router.post(
    "/briefings",
    response={202: BriefingOut, **ERRORS},
    url_name="briefing-create",
    summary="生成通报（后台任务，返回排队中的通报）",
)
def briefing_create(request: HttpRequest, payload: BriefingIn) -> tuple[int, dict[str, Any]]:
    """Queue a briefing; poll ``GET /briefings/{id}`` for its status and files."""
    user = actor(request)
    data = payload.dict()
    meeting_id = data.pop("meeting")
    meeting = queries.meeting_get(actor=user, pk=meeting_id) if meeting_id else None
    briefing = services.briefing_create(
        actor=user, data=data, meeting=meeting, source=AuditSource.API
    )
    briefing = queries.briefing_get(actor=user, pk=briefing.pk)
    return 202, _briefing_out(briefing)


@router.get(
    "/briefings/{briefing_id}",
    response={200: BriefingOut, **ERRORS},
    url_name="briefing-detail",
    summary="通报状态、进度与摘要",
)
def briefing_detail(request: HttpRequest, briefing_id: int) -> dict[str, Any]:
    """A briefing's status, progress, summary and download links."""
    return _briefing_out(queries.briefing_get(actor=actor(request), pk=briefing_id))


def _download(request: HttpRequest, briefing_id: int, kind: str) -> FileResponse:
    briefing = queries.briefing_get(actor=actor(request), pk=briefing_id)
    file = briefing.docx if kind == "docx" else briefing.pdf
    if not file:
        raise Http404
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=f"{briefing.title}.{kind}",
        content_type=DOCX_TYPE if kind == "docx" else "application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/briefings/{briefing_id}/docx",
    response={200: None, **ERRORS},
    url_name="briefing-docx",
    summary="下载通报Word版",
)
def briefing_docx(request: HttpRequest, briefing_id: int) -> FileResponse:
    """The .docx, to callers whose scope covers the briefing's region."""
    return _download(request, briefing_id, "docx")


@router.get(
    "/briefings/{briefing_id}/pdf",
    response={200: None, **ERRORS},
    url_name="briefing-pdf",
    summary="下载通报PDF版",
)
def briefing_pdf(request: HttpRequest, briefing_id: int) -> FileResponse:
    """The PDF, to callers whose scope covers the briefing's region."""
    return _download(request, briefing_id, "pdf")
