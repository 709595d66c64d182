"""Problem pages: 问题清单, a problem with its steps, a project's problems, 任务清单, 责任清单,
and the escalation policy. Supervision orders are in ``order_views``.

Views stay thin: reads through ``queries``, writes through ``services``; anything outside
the user's scope is a 404, a write the user may not make a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.models import User
from cornerstone.core.downloads import xlsx_download
from cornerstone.geo.models import Department, Region
from cornerstone.geo.queries import departments_visible, regions_visible
from cornerstone.plans.queries import region_for
from cornerstone.problems import queries, services, workflow
from cornerstone.problems.choices import EscalationLevel, ProblemStatus
from cornerstone.problems.exports import problems_workbook_write
from cornerstone.problems.filters import ProblemFilterSet
from cornerstone.problems.forms import PolicyForm, ProblemRaiseForm, ReassignForm
from cornerstone.problems.models import Problem
from cornerstone.projects.models import Project
from cornerstone.projects.queries import project_get

PER_PAGE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _project(request: HttpRequest, pk: int) -> Project:
    try:
        return project_get(actor=request.user, pk=pk)
    except Project.DoesNotExist:
        raise Http404(_("未找到该项目。")) from None


def _problem(request: HttpRequest, pk: int) -> Problem:
    try:
        return queries.problem_get(actor=request.user, pk=pk)
    except Problem.DoesNotExist:
        raise Http404(_("未找到该问题。")) from None


def errors_to_form(form: BaseForm, exc: ValidationError) -> None:
    """Attach a service's errors to the form fields they name (others to the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _filtered(request: HttpRequest, queryset: QuerySet[Problem]) -> tuple[ProblemFilterSet, Any]:
    filterset = ProblemFilterSet(request.GET, queryset=queryset)
    return filterset, filterset.qs if filterset.is_valid() else queryset.none()


def _page(request: HttpRequest, queryset: QuerySet[Problem]) -> Any:
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    # The page's rows with their labels, in one query.
    page.object_list = list(queries.problem_rows(page.object_list))
    return page


def _list_options(request: HttpRequest) -> dict[str, Any]:
    return {
        "regions": regions_visible(actor=request.user),
        "departments": departments_visible(actor=request.user).select_related("region"),
        "statuses": ProblemStatus.choices,
        "levels": [(str(v), label) for v, label in EscalationLevel.choices],
    }


@login_required
def problem_list(request: HttpRequest) -> HttpResponse:
    """问题清单: filters, counts by status, sorting and pages; htmx gets the results only."""
    today = timezone.localdate()
    filterset, queryset = _filtered(request, queries.problems_visible(actor=request.user))
    context = {
        "filterset": filterset,
        "page": _page(request, queryset),
        "counts": queries.status_counts(queryset, today=today),
        "today": today,
        "nav": "problems",
    }
    if request.htmx:
        return render(request, "problems/list.html#results", context)
    context.update(_list_options(request))
    return render(request, "problems/list.html", context)


@login_required
def problem_xlsx(request: HttpRequest) -> FileResponse:
    """The filtered problem list, every row, as a workbook."""
    today = timezone.localdate()
    filterset, queryset = _filtered(request, queries.problems_visible(actor=request.user))
    if not filterset.is_valid():
        raise Http404
    user = _user(request)
    scope = user.region.name if user.region_id and user.region else ""
    return xlsx_download(
        lambda out: problems_workbook_write(out=out, problems=queryset, today=today, scope=scope),
        f"{scope}问题清单-{today:%Y%m%d}.xlsx",
    )


def _detail_context(request: HttpRequest, problem: Problem, **extra: Any) -> dict[str, Any]:
    actors = queries.problem_actors(actor=request.user, problem=problem)
    steps = workflow.steps_available(status=problem.status, actors=actors)
    reassign = next((s for s in steps if s.action == "reassign"), None)
    departments = queries.project_departments(project=problem.project)
    context = {
        "problem": problem,
        "events": queries.problem_events(problem=problem),
        "orders": queries.problem_orders(problem=problem),
        "steps": [s for s in steps if s.action != "reassign"],
        "can_reassign": reassign is not None,
        "can_issue_order": workflow.Actor.ADMIN in actors and problem.escalation_level > 0,
        "reassign_form": ReassignForm(
            initial={
                "department": problem.department_id,
                "person": problem.person,
                "deadline": problem.deadline,
            },
            departments=departments,
        ),
        "today": timezone.localdate(),
        "nav": "problems",
    }
    context.update(extra)
    return context


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A problem with every step and comment, and the steps the user may take."""
    problem = _problem(request, pk)
    return render(request, "problems/detail.html", _detail_context(request, problem))


@login_required
@require_POST
def problem_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Take one step; an htmx request gets the refreshed actions and history back."""
    problem = _problem(request, pk)
    action = request.POST.get("action", "")
    error = ""
    try:
        problem = services.problem_transition(
            problem=problem,
            action=action,
            comment=request.POST.get("comment", ""),
            version=_version(request),
            actor=_user(request),
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        problem = _problem(request, pk)
        return render(
            request,
            "problems/detail.html#workflow",
            _detail_context(request, problem, step_error=error, posted=request.POST),
        )
    if error:
        messages.error(request, error)
    else:
        step = workflow.STEPS[action]
        messages.success(request, _("已%s。") % step.name)
    return redirect("problems:detail", pk=pk)


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def problem_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the problem another department, person or deadline."""
    problem = _problem(request, pk)
    form = ReassignForm(
        request.POST, departments=queries.project_departments(project=problem.project)
    )
    if form.is_valid():
        try:
            services.problem_reassign(
                problem=problem,
                data={
                    "department": form.cleaned_data["department"],
                    "person": form.cleaned_data["person"],
                    "deadline": form.cleaned_data["deadline"],
                },
                comment=form.cleaned_data["comment"],
                version=_version(request),
                actor=_user(request),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("问题已改派。"))
            return redirect("problems:detail", pk=pk)
    problem = _problem(request, pk)
    context = _detail_context(request, problem, reassign_form=form, reassign_open=True)
    return render(request, "problems/detail.html", context, status=400)


@login_required
def project_problems(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's problems, and the form that raises one (admins in scope and owners)."""
    project = _project(request, pk)
    user = _user(request)
    can_raise = queries.can_raise_problem(actor=user, project=project)
    departments = queries.project_departments(project=project)
    form = ProblemRaiseForm(request.POST or None, departments=departments)
    if request.method == "POST":
        if not can_raise:
            raise PermissionDenied
        if form.is_valid():
            try:
                problem = services.problem_raise(project=project, actor=user, **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("问题已提出并交办。"))
                return redirect("problems:detail", pk=problem.pk)
    queryset = queries.problems_visible(actor=user).filter(project=project)
    today = timezone.localdate()
    return render(
        request,
        "problems/project.html",
        {
            "project": project,
            "form": form,
            "can_raise": can_raise,
            "page": _page(request, queryset.order_by("-created_at", "-id")),
            "counts": queries.status_counts(queryset, today=today),
            "today": today,
            "nav": "problems",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """任务清单: open problems grouped by department, with overdue counts."""
    today = timezone.localdate()
    departments = departments_visible(actor=request.user).select_related("region")
    department_id = None
    value = request.GET.get("department", "")
    if value.isdigit():
        department_id = int(value)
    elif (
        isinstance(request.user, User)
        and request.user.department_id
        and "department" not in request.GET
    ):
        department_id = request.user.department_id  # a department sees its own list first
    groups = queries.task_list(actor=request.user, today=today, department_id=department_id)
    return render(
        request,
        "problems/tasks.html",
        {
            "groups": groups,
            "departments": departments.order_by("region_id", "name"),
            "department_id": department_id,
            "count": sum(len(g.problems) for g in groups),
            "overdue": sum(g.overdue for g in groups),
            "today": today,
            "nav": "problem_tasks",
        },
    )


@login_required
def responsibility_list(request: HttpRequest) -> HttpResponse:
    """责任清单: open problems grouped by responsible person."""
    today = timezone.localdate()
    person = request.GET.get("person", "").strip()[:50]
    groups = queries.responsibility_list(actor=request.user, today=today, person=person)
    return render(
        request,
        "problems/responsibility.html",
        {
            "groups": groups,
            "person": person,
            "count": sum(len(g.problems) for g in groups),
            "overdue": sum(g.overdue for g in groups),
            "today": today,
            "nav": "problem_tasks",
        },
    )


def _region(request: HttpRequest, code: str | None) -> Region:
    try:
        return region_for(actor=request.user, code=code)
    except Region.DoesNotExist:
        raise Http404 from None


@login_required
def policy(request: HttpRequest) -> HttpResponse:
    """The escalation policy of a region: its own, or the one it inherits; admins edit."""
    code = request.POST.get("region") if request.method == "POST" else request.GET.get("region")
    region = _region(request, code)
    user = _user(request)
    can_edit = services.can_edit_policy(user, region)
    view = queries.policy_view(region=region)
    form = PolicyForm(
        request.POST or None,
        initial={
            "city_after_days": view.policy.city_after_days,
            "province_after_days": view.policy.province_after_days,
        },
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "clear":
                services.escalation_policy_clear(region=region, actor=user)
                messages.success(request, _("%s已恢复沿用上级规则。") % region.name)
                return redirect(f"{reverse('problems:policy')}?region={region.code}")
            if form.is_valid():
                services.escalation_policy_save(region=region, data=form.cleaned_data, actor=user)
                messages.success(request, _("%s的升级规则已保存。") % region.name)
                return redirect(f"{reverse('problems:policy')}?region={region.code}")
        except ValidationError as exc:
            errors_to_form(form, exc)
    return render(
        request,
        "problems/policy.html",
        {
            "region": region,
            "view": view,
            "form": form,
            "can_edit": can_edit,
            "regions": regions_visible(actor=request.user),
            "nav": "problem_policy",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def department_visible(request: HttpRequest, pk: int) -> Department:
    """A department in the user's region subtree (404 otherwise)."""
    found = departments_visible(actor=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
