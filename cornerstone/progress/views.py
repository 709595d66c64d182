"""Pages of periodic reporting: schedules, cycles, reports and their review, my reports.

Views stay thin: reads through ``queries``, writes through ``services`` and
``report_services``; anything outside the user's scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_projects, can_edit_region
from cornerstone.core.validation import StaleVersion
from cornerstone.geo.codes import ancestors_of
from cornerstone.geo.models import Department
from cornerstone.geo.queries import regions_visible
from cornerstone.progress import attachment_services, queries, report_services, services
from cornerstone.progress.filters import CycleReportFilter
from cornerstone.progress.forms import (
    AttachmentForm,
    ProblemFormSet,
    ReportForm,
    ReviewForm,
    ScheduleForm,
    problems_read,
)
from cornerstone.progress.models import ReportAttachment
from cornerstone.projects.models import Project
from cornerstone.projects.queries import project_get

PER_PAGE = 50


def _get(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def errors_to_form(form: BaseForm, exc: ValidationError) -> None:
    """Attach a service's errors to the form fields they name (others to the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# ---------------------------------------------------------------- schedules


@login_required
def schedules(request: HttpRequest) -> HttpResponse:
    """The reporting schedules that cover the user's region."""
    rows = list(queries.schedules_visible(actor=request.user))
    return render(
        request,
        "progress/schedules.html",
        {
            "schedules": [(s, can_edit_region(request.user, s.region_id)) for s in rows],
            "can_create": can_edit_projects(request.user),
            "nav": "progress",
        },
    )


@login_required
def schedule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Define a schedule, or change one (admins of its region)."""
    if not can_edit_projects(request.user):
        raise PermissionDenied
    schedule = _get(queries.schedule_get, actor=request.user, pk=pk) if pk else None
    if schedule is not None and not can_edit_region(request.user, schedule.region_id):
        raise PermissionDenied
    form = ScheduleForm(
        request.POST or None, instance=schedule, regions=regions_visible(actor=request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if schedule is None:
                schedule = services.schedule_create(data=data, actor=_user(request))
            else:
                schedule = services.schedule_update(
                    schedule=schedule, data=data, actor=_user(request)
                )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("调度安排已保存。"))
            return redirect("progress:schedule", pk=schedule.pk)
    return render(
        request,
        "progress/schedule_form.html",
        {"form": form, "schedule": schedule, "nav": "progress"},
    )


@login_required
def schedule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A schedule's cycles with how their reports stand."""
    schedule = _get(queries.schedule_get, actor=request.user, pk=pk)
    today = timezone.localdate()
    cycles = queries.cycles_visible(actor=request.user).filter(schedule=schedule)
    page = Paginator(cycles, PER_PAGE).get_page(request.GET.get("page"))
    counts = queries.cycle_counts(actor=request.user, cycle_ids=[c.pk for c in page], today=today)
    return render(
        request,
        "progress/schedule.html",
        {
            "schedule": schedule,
            "page": page,
            "rows": [(c, counts[c.pk]) for c in page],
            "can_manage": can_edit_region(request.user, schedule.region_id),
            "today": today,
            "nav": "progress",
        },
    )


@login_required
@require_POST
def cycle_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the schedule's next cycle."""
    schedule = _get(queries.schedule_get, actor=request.user, pk=pk)
    try:
        cycle = services.cycle_open_next(
            schedule=schedule, actor=_user(request), today=timezone.localdate()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("progress:schedule", pk=schedule.pk)
    messages.success(request, _("已开启期次“%s”。") % cycle.label)
    return redirect("progress:cycle", pk=cycle.pk)


# ---------------------------------------------------------------- cycles


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Every expected report of a cycle, filtered by status and region, missing and late marked."""
    cycle = _get(queries.cycle_get, actor=request.user, pk=pk)
    today = timezone.localdate()
    regions = regions_visible(actor=request.user)
    filterset = CycleReportFilter(request.GET or None)
    status, region = ("", "")
    if filterset.is_bound and filterset.is_valid():
        status, region = filterset.clean_values()
    if region and not regions.filter(code=region).exists():
        messages.error(request, _("区划“%s”不存在或不在您的管辖范围内。") % region)
        region = ""
    reports = queries.cycle_reports(
        actor=request.user, cycle=cycle, status=status, region=region, today=today
    )
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    counts = queries.cycle_counts(actor=request.user, cycle_ids=[cycle.pk], today=today)[cycle.pk]
    template = "progress/cycle.html#results" if request.htmx else "progress/cycle.html"
    return render(
        request,
        template,
        {
            "cycle": cycle,
            "page": page,
            "counts": counts,
            "filterset": filterset,
            "status": status,
            "region": region,
            "regions": regions.filter(level__in=["province", "city", "county"])[:500],
            "past_deadline": cycle.deadline < today,
            "can_manage": can_edit_region(request.user, cycle.schedule.region_id),
            "today": today,
            "nav": "progress",
        },
    )


@login_required
@require_POST
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a cycle to further filling in."""
    cycle = _get(queries.cycle_get, actor=request.user, pk=pk)
    try:
        services.cycle_close(cycle=cycle, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("期次“%s”已截止。") % cycle.label)
    return redirect("progress:cycle", pk=cycle.pk)


# ---------------------------------------------------------------- reports


def _report(request: HttpRequest, pk: int) -> Any:
    return _get(queries.report_get, actor=request.user, pk=pk)


def _departments(project: Project) -> Any:
    return Department.objects.filter(region_id__in=ancestors_of(project.region_id)).order_by(
        "region_id", "name"
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report: its figures, problems, attachments, review history and the actions allowed."""
    report = _report(request, pk)
    user = request.user
    editable = report.status in report_services.EDITABLE and report.cycle.status == "open"
    return render(
        request,
        "progress/report.html",
        {
            "report": report,
            "history": queries.report_history(report=report),
            "problems": list(report.listed_problems.select_related("department", "problem")),
            "attachments": list(report.attachments.all()),
            "can_fill": editable and report_services.can_fill(_user(request), report.project),
            "can_review": report.status == "submitted"
            and report_services.can_review(_user(request), report.project),
            "review_form": ReviewForm(initial={"version": report.version}),
            "attachment_form": AttachmentForm(),
            "late": report.first_submitted_at is not None
            and timezone.localdate(report.first_submitted_at) > report.cycle.deadline,
            "today": timezone.localdate(),
            "nav": "progress" if user.role != "owner" else "mine",  # type: ignore[union-attr]
        },
    )


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in a report: the figures in 万元 and the problems met (htmx adds problem rows)."""
    report = _report(request, pk)
    user = _user(request)
    if not report_services.can_fill(user, report.project):
        raise PermissionDenied
    departments = _departments(report.project)
    if request.method == "POST":
        form = ReportForm(request.POST)
        formset = ProblemFormSet(
            request.POST, prefix="problems", form_kwargs={"departments": departments}
        )
        action = request.POST.get("action", "save")
        try:
            report = report_services.report_save(
                report=report,
                data=form.service_data(),
                version=request.POST.get("version"),
                actor=user,
                problems=problems_read(formset),
            )
            if action == "submit":
                report = report_services.report_submit(report=report, actor=user)
        except StaleVersion as exc:
            form.is_valid()
            form.add_error(None, " ".join(exc.messages))
        except ValidationError as exc:
            form.is_valid()
            errors_to_form(form, exc)
        else:
            messages.success(
                request, _("报告已提交审核。") if action == "submit" else _("草稿已保存。")
            )
            return redirect("progress:report", pk=report.pk)
    else:
        initial: dict[str, Any] = {
            name: getattr(report, name) if getattr(report, name) is not None else ""
            for name in report_services.REPORT_FIELDS
        }
        initial["version"] = report.version
        form = ReportForm(initial=initial)
        rows = [
            {
                "category": p.category,
                "description": p.description,
                "department": p.department_id,
                "deadline": p.deadline,
            }
            for p in report.listed_problems.filter(problem__isnull=True)
        ]
        formset = ProblemFormSet(
            initial=rows, prefix="problems", form_kwargs={"departments": departments}
        )
    editable = report.status in report_services.EDITABLE and report.cycle.status == "open"
    return render(
        request,
        "progress/report_form.html",
        {
            "report": report,
            "form": form,
            "formset": formset,
            "editable": editable,
            "raised": list(report.listed_problems.filter(problem__isnull=False)),
            "nav": "progress" if user.role != "owner" else "mine",
        },
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit a report as it was saved."""
    report = _report(request, pk)
    try:
        report_services.report_submit(
            report=report, actor=_user(request), version=request.POST.get("version")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("报告已提交审核。"))
    return redirect("progress:report", pk=report.pk)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """Accept a submitted report, or return it with a comment."""
    report = _report(request, pk)
    comment = request.POST.get("comment", "")
    version = request.POST.get("version")
    try:
        if decision == "accept":
            report_services.report_accept(
                report=report, actor=_user(request), comment=comment, version=version
            )
            messages.success(request, _("报告已审核通过。"))
        else:
            report_services.report_return(
                report=report, actor=_user(request), comment=comment, version=version
            )
            messages.success(request, _("报告已退回。"))
    except ValidationError as exc:  # a stale version included
        messages.error(request, " ".join(exc.messages))
    return redirect("progress:report", pk=report.pk)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a site photo or a document."""
    report = _report(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("progress:report", pk=report.pk)
    # Read one byte past the limit: enough to refuse an oversize file without reading it all.
    from cornerstone.progress.filetypes import MAX_BYTES

    content = upload.read(MAX_BYTES + 1)
    try:
        attachment_services.attachment_add(
            report=report,
            name=upload.name or "",
            content=content,
            actor=_user(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("附件已上传。"))
    return redirect("progress:report", pk=report.pk)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Remove an attachment."""
    report = _report(request, pk)
    attachment = ReportAttachment.objects.filter(report=report, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    try:
        attachment_services.attachment_delete(attachment=attachment, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("附件已删除。"))
    return redirect("progress:report", pk=report.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Serve an attachment to whoever may see the report."""
    from django.http import FileResponse

    report = _report(request, pk)
    attachment = ReportAttachment.objects.filter(report=report, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=attachment.kind != "photo",
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# ---------------------------------------------------------------- owners and projects


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """An owner's reports to fill in, nearest deadline first, and their latest submissions."""
    return render(
        request,
        "progress/mine.html",
        {
            "due": list(queries.my_reports(actor=request.user)),
            "recent": queries.my_recent_reports(actor=request.user),
            "today": timezone.localdate(),
            "nav": "mine",
        },
    )


@login_required
def project_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's report history, newest period first."""
    project = _get(project_get, actor=request.user, pk=pk)
    page = Paginator(queries.project_reports(project=project), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "progress/project_reports.html",
        {"project": project, "page": page, "today": timezone.localdate(), "nav": "ledger"},
    )
