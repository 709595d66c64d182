"""Pages of dispatch meetings and briefings; thin over queries and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_projects
from cornerstone.dispatch import queries, services
from cornerstone.dispatch.choices import BriefingStatus, MeetingStatus
from cornerstone.dispatch.filters import BriefingFilterSet, MeetingFilterSet
from cornerstone.dispatch.forms import (
    BriefingForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    errors_apply,
)
from cornerstone.dispatch.models import Briefing, DispatchMeeting
from cornerstone.geo.codes import ancestors_of, subtree_bounds
from cornerstone.geo.queries import departments_visible, regions_visible

PAGE_SIZE = 25
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _meeting(request: HttpRequest, pk: int) -> DispatchMeeting:
    try:
        return queries.meeting_get(actor=request.user, pk=pk)
    except DispatchMeeting.DoesNotExist:
        raise Http404 from None


def _briefing(request: HttpRequest, pk: int) -> Briefing:
    try:
        return queries.briefing_get(actor=request.user, pk=pk)
    except Briefing.DoesNotExist:
        raise Http404 from None


def _region_choices(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (r.code, f"{r.code} {r.full_name or r.name}")
        for r in regions_visible(actor=request.user).order_by("code")
    ]


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings in the user's scope, filtered, sorted and paginated."""
    filterset = MeetingFilterSet(request.GET, queryset=queries.meetings_visible(actor=request.user))
    page = _page(request, filterset.qs if filterset.is_valid() else filterset.queryset.none())
    return render(
        request,
        "dispatch/meeting_list.html",
        {
            "filterset": filterset,
            "page": page,
            "can_edit": can_edit_projects(request.user),
            "statuses": MeetingStatus,
            "nav": "dispatch",
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    """Plan a meeting for a region of the user's subtree."""
    if not can_edit_projects(request.user):
        raise PermissionDenied
    regions = _region_choices(request)
    form = MeetingForm(request.POST or None, regions=regions)
    if request.method == "POST":
        try:
            meeting = services.meeting_create(
                actor=_actor(request),
                data={k: request.POST.get(k, "") for k in services.MEETING_FIELDS},
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("已新建调度会。"))
            return redirect("dispatch:meeting", pk=meeting.pk)
    return render(request, "dispatch/meeting_form.html", {"form": form, "nav": "dispatch"})


def _decision_form(
    request: HttpRequest, meeting: DispatchMeeting, agenda: list, data: Any = None
) -> DecisionForm:
    low, high = subtree_bounds(meeting.region_id)
    departments = (
        departments_visible(actor=request.user)
        .filter(
            Q(region_id__gte=low, region_id__lt=high)
            | Q(region_id__in=ancestors_of(meeting.region_id))
        )
        .order_by("region_id", "name")
    )
    projects = {str(i.project_id): i.project.name for i in agenda}
    return DecisionForm(
        data,
        agenda=[(str(i.pk), f"{i.position}. {i.project.name}") for i in agenda],
        projects=list(projects.items()),
        departments=[(str(d.pk), d.name) for d in departments],
    )


def _meeting_page(
    request: HttpRequest,
    meeting: DispatchMeeting,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    agenda = queries.meeting_agenda(meeting=meeting)
    editable = can_edit_projects(request.user) and meeting.status != MeetingStatus.CLOSED
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "decisions": queries.meeting_decisions(meeting=meeting),
        "briefings": meeting.briefings.order_by("-created_at")[:10],
        "editable": editable,
        "can_edit": can_edit_projects(request.user),
        "decision_form": decision_form or _decision_form(request, meeting, agenda),
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
        "moves": [(s, s.label) for s in services.MEETING_MOVES[MeetingStatus(meeting.status)]],
        "nav": "dispatch",
    }
    return render(request, "dispatch/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting: agenda with links to projects, decisions with what they became."""
    return _meeting_page(request, _meeting(request, pk))


def _run(request: HttpRequest, pk: int, write: Any, done: str) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        write(actor=_actor(request), meeting=meeting)
    except DispatchMeeting.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("dispatch:meeting", pk=pk)


@login_required
@require_POST
def meeting_assemble(request: HttpRequest, pk: int) -> HttpResponse:
    """Assemble (or re-assemble) the agenda from lights and escalated problems."""
    return _run(request, pk, services.agenda_assemble, _("已生成议题。"))


@login_required
@require_POST
def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the meeting held, closed, or planned again."""
    status = request.POST.get("status", "")
    return _run(
        request,
        pk,
        lambda *, actor, meeting: services.meeting_move(
            actor=actor, meeting=meeting, status=status
        ),
        _("已更新会议状态。"),
    )


@login_required
@require_POST
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the minutes."""
    minutes = request.POST.get("minutes", "")
    return _run(
        request,
        pk,
        lambda *, actor, meeting: services.meeting_update(
            actor=actor, meeting=meeting, data={"minutes": minutes}
        ),
        _("已保存会议纪要。"),
    )


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a decision; it becomes a task or a problem at once."""
    meeting = _meeting(request, pk)
    agenda = queries.meeting_agenda(meeting=meeting)
    form = _decision_form(request, meeting, agenda, request.POST)
    fields = ["agenda_item", "project", "text", "outcome", "category", "department"]
    data = {k: request.POST.get(k, "") for k in [*fields, "person", "deadline"]}
    try:
        services.decision_add(actor=_actor(request), meeting=meeting, data=data)
    except DispatchMeeting.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        errors_apply(form, exc)
        return _meeting_page(request, meeting, decision_form=form, status=400)
    messages.success(request, _("已记录议定事项。"))
    return redirect("dispatch:meeting", pk=pk)


@login_required
def briefing_list(request: HttpRequest) -> HttpResponse:
    """Briefings in the user's scope, filtered, sorted and paginated."""
    filterset = BriefingFilterSet(
        request.GET, queryset=queries.briefings_visible(actor=request.user)
    )
    page = _page(request, filterset.qs if filterset.is_valid() else filterset.queryset.none())
    return render(
        request,
        "dispatch/briefing_list.html",
        {
            "filterset": filterset,
            "page": page,
            "can_edit": can_edit_projects(request.user),
            "statuses": BriefingStatus,
            "nav": "briefings",
        },
    )


@login_required
def briefing_create(request: HttpRequest) -> HttpResponse:
    """Ask for a briefing; prefilled from a meeting when coming from one."""
    if not can_edit_projects(request.user):
        raise PermissionDenied
    meeting = None
    meeting_id = request.GET.get("meeting") or request.POST.get("meeting")
    if meeting_id:
        meeting = _meeting(request, int(meeting_id) if str(meeting_id).isdigit() else 0)
    today = timezone.localdate()
    initial: dict[str, Any] = {"year": today.year, "month": today.month}
    if meeting is not None:
        initial.update(
            region=meeting.region_id,
            tier=meeting.tier,
            category=meeting.category,
            year=meeting.date.year,
            month=meeting.date.month,
        )
    form = BriefingForm(request.POST or None, regions=_region_choices(request), initial=initial)
    if request.method == "POST":
        try:
            briefing = services.briefing_create(
                actor=_actor(request),
                data={k: request.POST.get(k, "") for k in services.BRIEFING_FIELDS},
                meeting=meeting,
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            return redirect("dispatch:briefing", pk=briefing.pk)
    return render(
        request,
        "dispatch/briefing_form.html",
        {"form": form, "meeting": meeting, "nav": "briefings"},
    )


@login_required
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A briefing: progress while it is generated, then its summary and downloads."""
    briefing = _briefing(request, pk)
    context = {
        "briefing": briefing,
        "running": briefing.status in (BriefingStatus.QUEUED, BriefingStatus.RUNNING),
        "status_colour": BriefingStatus.colour(briefing.status),
        "nav": "briefings",
    }
    template = (
        "dispatch/briefing_detail.html#status"
        if request.htmx
        else ("dispatch/briefing_detail.html")
    )
    return render(request, template, context)


@login_required
def briefing_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """The .docx or PDF of a briefing, only to users whose scope covers its region."""
    briefing = _briefing(request, pk)
    file = briefing.docx if kind == "docx" else briefing.pdf if kind == "pdf" else None
    if not file:
        raise Http404
    content_type = DOCX_TYPE if kind == "docx" else "application/pdf"
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=f"{briefing.title}.{kind}",
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
