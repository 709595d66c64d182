"""Ledger pages: the list with its filters, a project's page, create and edit.

Views stay thin: reads go through ``queries``, writes through ``services`` and
``lifecycle_services``; a project outside the user's scope is a 404 everywhere.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.scope import can_edit_projects
from cornerstone.core.choices import AuditSource
from cornerstone.projects import lifecycle_services, services
from cornerstone.projects.filters import ProjectFilterSet
from cornerstone.projects.forms import (
    EvidenceForm,
    ProjectForm,
    StepCompleteForm,
    StepPlanForm,
    StepReasonForm,
)
from cornerstone.projects.lists import SIX_LISTS
from cornerstone.projects.models import Project, StepDefinition, StepEvidence
from cornerstone.projects.presenters import attribute_sections
from cornerstone.projects.queries import (
    evidence_get,
    filter_options,
    ledger_page,
    ledger_summary,
    project_children,
    project_get,
    project_history,
    project_timeline,
    projects_visible,
)

PER_PAGE_CHOICES = (20, 50, 100, 200)
DEFAULT_PER_PAGE = 50
HISTORY_PER_PAGE = 30


def _per_page(request: HttpRequest) -> int:
    try:
        value = int(request.GET.get("per_page", DEFAULT_PER_PAGE))
    except ValueError:
        return DEFAULT_PER_PAGE
    return value if value in PER_PAGE_CHOICES else DEFAULT_PER_PAGE


def _visible_project(request: HttpRequest, pk: int) -> Project:
    try:
        return project_get(actor=request.user, pk=pk)
    except Project.DoesNotExist:
        raise Http404(_("未找到该项目。")) from None


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """The ledger list; an htmx request gets only the results block."""
    filterset = ProjectFilterSet(request.GET, queryset=projects_visible(actor=request.user))
    if filterset.is_valid():
        queryset: QuerySet[Project] = filterset.qs
    else:
        queryset = Project.objects.none()
    summary = ledger_summary(queryset)
    paginator = Paginator(queryset, _per_page(request))
    # The summary has counted already; Paginator would count the same rows again.
    paginator.__dict__["count"] = summary.count
    page = paginator.get_page(request.GET.get("page"))
    start = (page.number - 1) * paginator.per_page
    page.object_list = ledger_page(queryset, start, start + paginator.per_page)
    context = {
        "filterset": filterset,
        "page": page,
        "summary": summary,
        "per_page_choices": PER_PAGE_CHOICES,
        "six_lists": SIX_LISTS,
        "active_list": filterset.form.cleaned_data.get("list") if filterset.is_valid() else "",
        "nav": "ledger",
    }
    if request.htmx:
        return render(request, "projects/ledger.html#results", context)
    context["options"] = filter_options(actor=request.user)
    return render(request, "projects/ledger.html", context)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Every attribute, the lifecycle timeline and the change history of one project."""
    project = _visible_project(request, pk)
    history = Paginator(project_history(project=project), HISTORY_PER_PAGE).get_page(
        request.GET.get("history_page")
    )
    context = {
        "project": project,
        "timeline": project_timeline(project=project),
        "sections": attribute_sections(project),
        "children": project_children(actor=request.user, project=project),
        "today": timezone.localdate(),
        "history": history,
        "can_edit": can_edit_projects(request.user),
        "nav": "ledger",
    }
    if request.htmx and request.GET.get("history_page"):
        return render(request, "projects/detail.html#history", context)
    return render(request, "projects/detail.html", context)


def _form_page(request: HttpRequest, form: ProjectForm, project: Project | None) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    form.mark_invalid()
    return render(
        request,
        "projects/form.html",
        {"form": form, "project": project, "nav": "ledger"},
        status=status,
    )


def _apply_errors(form: ProjectForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else ("parent_code" if field == "parent" else None)
        for message in errors:
            form.add_error(target, message)


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    """Create a project; it starts in the first lifecycle stage."""
    if not can_edit_projects(request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                actor=request.user,
                data=form.service_data(),
                owner_users=form.cleaned_data["owner_usernames"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("项目“%s”已创建。") % project.name)
            return redirect("projects:detail", pk=project.pk)
    return _form_page(request, form, None)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a project's attributes; the history records each changed field."""
    project = _visible_project(request, pk)
    if not can_edit_projects(request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, instance=project, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                actor=request.user,
                project=project,
                data=form.service_data(),
                owner_users=form.cleaned_data["owner_usernames"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("项目信息已保存。"))
            return redirect("projects:detail", pk=project.pk)
    return _form_page(request, form, project)


@login_required
@require_POST
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a project after confirmation; its history is kept."""
    project = _visible_project(request, pk)
    try:
        services.project_delete(actor=request.user, project=project)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("projects:detail", pk=pk)
    messages.success(request, _("项目“%s”已删除。") % project.name)
    return redirect("projects:list")


def _step_definition(pk: int) -> StepDefinition:
    try:
        return StepDefinition.objects.get(pk=pk)
    except StepDefinition.DoesNotExist:
        raise Http404 from None


def _step_done(request: HttpRequest, project: Project, definition: StepDefinition) -> HttpResponse:
    return redirect(reverse("projects:detail", args=[project.pk]) + f"#step-{definition.pk}")


def _step_error(
    request: HttpRequest, project: Project, definition: StepDefinition, exc: ValidationError
) -> HttpResponse:
    messages.error(
        request,
        _("环节“%(step)s”：%(errors)s")
        % {
            "step": definition.name,
            "errors": " ".join(exc.messages),
        },
    )
    return _step_done(request, project, definition)


@login_required
@require_POST
def step_action(request: HttpRequest, pk: int, definition_pk: int, action: str) -> HttpResponse:
    """Complete, waive, reopen or plan one lifecycle step of a project."""
    project = _visible_project(request, pk)
    definition = _step_definition(definition_pk)
    common: dict[str, Any] = {
        "actor": request.user,
        "project": project,
        "definition": definition,
        "source": AuditSource.PAGE,
    }
    try:
        if action == "complete":
            form: Any = StepCompleteForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors)
            lifecycle_services.project_step_complete(**common, **form.cleaned_data)
            messages.success(request, _("环节“%s”已完成。") % definition.name)
        elif action in ("waive", "reopen"):
            form = StepReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请说明理由。"))
            service = (
                lifecycle_services.project_step_waive
                if action == "waive"
                else lifecycle_services.project_step_reopen
            )
            service(**common, reason=form.cleaned_data["reason"])
            messages.success(request, _("环节“%s”已更新。") % definition.name)
        elif action == "plan":
            form = StepPlanForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors)
            lifecycle_services.project_step_plan(**common, **form.cleaned_data)
            messages.success(request, _("环节“%s”的计划已保存。") % definition.name)
        elif action == "evidence":
            form = EvidenceForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError(_("请选择要上传的文件。"))
            lifecycle_services.step_evidence_add(**common, upload=form.cleaned_data["file"])
            messages.success(request, _("佐证材料已上传。"))
        else:
            raise Http404
    except ValidationError as exc:
        return _step_error(request, project, definition, exc)
    return _step_done(request, project, definition)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an evidence file to a user who may see its project."""
    try:
        evidence = evidence_get(actor=request.user, pk=pk)
    except StepEvidence.DoesNotExist:
        raise Http404 from None
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件已不存在。")) from None
    return FileResponse(
        handle,
        as_attachment=not evidence.content_type.startswith("image/"),
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
