"""A project's plans page and the forms behind it: the year plans, milestones, tasks.

Views stay thin: reads through ``queries``, writes through ``services`` and
``task_services``; a project outside the user's scope is a 404 everywhere.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_plans
from cornerstone.plans import services, task_services
from cornerstone.plans.choices import DependencyType, SplitMethod
from cornerstone.plans.forms import (
    MilestoneForm,
    PlanYearForm,
    TaskForm,
    bootstrap,
    predecessor_rows,
    predecessors_read,
)
from cornerstone.plans.models import MONTHS, InvestmentPlan, Milestone, Task
from cornerstone.plans.queries import (
    plan_year,
    project_milestones,
    project_rolling,
    project_schedule,
    task_departments,
)
from cornerstone.projects.models import Project
from cornerstone.projects.queries import project_get


def _project(request: HttpRequest, pk: int) -> Project:
    try:
        return project_get(actor=request.user, pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None


def _editor(request: HttpRequest) -> User:
    if not can_edit_plans(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return request.user


def errors_to_form(form: BaseForm, exc: ValidationError) -> None:
    """Attach a service's errors to the form fields they name (others to the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
def project_plans(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's plans: three rolling years, milestones, tasks and their schedule."""
    project = _project(request, pk)
    today = timezone.localdate()
    schedule = project_schedule(project=project, today=today)
    names = {row.task.pk: row.task.name for row in schedule.rows}
    return render(
        request,
        "plans/project.html",
        {
            "project": project,
            "today": today,
            "rolling": project_rolling(project=project, today=today),
            "milestones": project_milestones(project=project, today=today),
            "schedule": schedule,
            "chain": [names[k] for k in schedule.result.binding_chain] if schedule.result else [],
            "can_edit": can_edit_plans(request.user),
            "month_labels": month_labels(),
            "nav": "ledger",
        },
    )


def month_labels() -> list[str]:
    """Column headings for the twelve months."""
    return [_("%d月") % m for m in MONTHS]


@login_required
def plan_year_jump(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the plan form of the year typed in."""
    project = _project(request, pk)
    year = request.GET.get("year", "")
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        messages.error(request, _("请输入2000至2100之间的年份。"))
        return redirect("plans:project", pk=project.pk)
    return redirect("plans:year-edit", pk=project.pk, year=int(year))


@login_required
def plan_year_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Enter a year's plan by month, or split an annual total and adjust the months."""
    project = _project(request, pk)
    actor = _editor(request)
    plan = InvestmentPlan.objects.filter(project=project, year=year).first()
    if request.method == "POST":
        form = PlanYearForm(request.POST)
        action = request.POST.get("action", "save")
        if action in (SplitMethod.EVEN, SplitMethod.WEIGHTED):
            form = _split_preview(form, project, year, SplitMethod(action))
        else:
            try:
                services.investment_plan_save(
                    actor=actor,
                    project=project,
                    year=year,
                    annual_amount=request.POST.get("annual_amount", ""),
                    months=form.months(),
                    split_method=SplitMethod(request.POST.get("split_method"))
                    if request.POST.get("split_method") in SplitMethod.values
                    else SplitMethod.MANUAL,
                    override_reason=request.POST.get("override_reason", ""),
                )
            except ValidationError as exc:
                form.is_valid()
                errors_to_form(form, exc)
            else:
                messages.success(request, _("%d年度投资计划已保存。") % year)
                return redirect("plans:project", pk=project.pk)
    else:
        current = plan_year(plan, year)
        initial: dict[str, Any] = {
            "annual_amount": current.annual if plan else "",
            "split_method": plan.split_method if plan else SplitMethod.MANUAL,
            "override_reason": plan.override_reason if plan else "",
        }
        initial.update(
            {f"month_{i}": a for i, a in enumerate(current.months, start=1)} if plan else {}
        )
        form = PlanYearForm(initial=initial)
    template = "plans/plan_year.html#months" if request.htmx else "plans/plan_year.html"
    return render(
        request,
        template,
        {"project": project, "year": year, "form": form, "plan": plan, "nav": "ledger"},
    )


def _split_preview(
    form: PlanYearForm, project: Project, year: int, method: SplitMethod
) -> PlanYearForm:
    """A form whose months are the automatic split of the annual figure, not yet saved."""
    data = form.data.copy()
    try:
        months = services.investment_plan_split(
            project=project,
            year=year,
            annual_amount=data.get("annual_amount", ""),
            split_method=method,
        )
    except ValidationError as exc:
        form.is_valid()
        errors_to_form(form, exc)
        return form
    for month, amount in enumerate(months, start=1):
        data[f"month_{month}"] = format(amount, "f")
    data["split_method"] = method
    return PlanYearForm(data)


@login_required
@require_POST
def plan_year_delete(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Delete a year's plan."""
    project = _project(request, pk)
    actor = _editor(request)
    plan = InvestmentPlan.objects.filter(project=project, year=year).first()
    if plan is None:
        raise Http404
    services.investment_plan_delete(actor=actor, plan=plan)
    messages.success(request, _("%d年度投资计划已删除。") % year)
    return redirect("plans:project", pk=project.pk)


@login_required
def milestone_edit(request: HttpRequest, pk: int, milestone_pk: int | None = None) -> HttpResponse:
    """Add a milestone, or change one."""
    project = _project(request, pk)
    actor = _editor(request)
    milestone = None
    if milestone_pk is not None:
        milestone = Milestone.objects.filter(project=project, pk=milestone_pk).first()
        if milestone is None:
            raise Http404
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if milestone is None:
                services.milestone_create(actor=actor, project=project, data=data)
            else:
                services.milestone_update(actor=actor, milestone=milestone, data=data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("节点已保存。"))
            return redirect("plans:project", pk=project.pk)
    bootstrap(form)
    return render(
        request,
        "plans/milestone_form.html",
        {"project": project, "form": form, "milestone": milestone, "nav": "ledger"},
    )


@login_required
@require_POST
def milestone_delete(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """Delete a milestone."""
    project = _project(request, pk)
    actor = _editor(request)
    milestone = Milestone.objects.filter(project=project, pk=milestone_pk).first()
    if milestone is None:
        raise Http404
    services.milestone_delete(actor=actor, milestone=milestone)
    messages.success(request, _("节点已删除。"))
    return redirect("plans:project", pk=project.pk)


@login_required
def task_edit(request: HttpRequest, pk: int, task_pk: int | None = None) -> HttpResponse:
    """Add a task with its predecessors, or change one."""
    project = _project(request, pk)
    actor = _editor(request)
    task = None
    if task_pk is not None:
        task = Task.objects.filter(project=project, pk=task_pk).first()
        if task is None:
            raise Http404
    departments = task_departments(actor=actor, project=project)
    form = TaskForm(request.POST or None, instance=task, departments=departments)
    links = list(task.predecessor_links.all()) if task else []
    rows = predecessor_rows(request.POST if request.method == "POST" else None, links)
    predecessor_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if task is None:
                task_services.task_create(
                    actor=actor, project=project, data=data, predecessors=predecessors_read(rows)
                )
            else:
                task_services.task_update(
                    actor=actor, task=task, data=data, predecessors=predecessors_read(rows)
                )
        except ValidationError as exc:
            predecessor_errors = (
                exc.message_dict.get("predecessors", []) if hasattr(exc, "error_dict") else []
            )
            errors_to_form(form, exc)
        else:
            messages.success(request, _("任务已保存。"))
            return redirect("plans:project", pk=project.pk)
    others = (
        Task.objects.filter(project=project).exclude(pk=task.pk if task else None).order_by("id")
    )
    return render(
        request,
        "plans/task_form.html",
        {
            "project": project,
            "form": form,
            "task": task,
            "rows": rows,
            "others": others,
            "kinds": DependencyType.choices,
            "predecessor_errors": predecessor_errors,
            "nav": "ledger",
        },
    )


@login_required
@require_POST
def task_delete(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Delete a task and its links."""
    project = _project(request, pk)
    actor = _editor(request)
    task = Task.objects.filter(project=project, pk=task_pk).first()
    if task is None:
        raise Http404
    task_services.task_delete(actor=actor, task=task)
    messages.success(request, _("任务已删除。"))
    return redirect("plans:project", pk=project.pk)


@login_required
@require_POST
def schedule_target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Set or clear the deadline the tasks are scheduled back from."""
    project = _project(request, pk)
    actor = _editor(request)
    try:
        if request.POST.get("action") == "clear":
            services.schedule_target_clear(actor=actor, project=project)
            messages.success(request, _("已取消倒排工期时限。"))
        else:
            # A deadline already past for an unstarted project is flagged by the page itself
            # (the schedule's own rule), so it is not judged again here.
            services.schedule_target_set(
                actor=actor,
                project=project,
                deadline=request.POST.get("deadline", ""),
                label=request.POST.get("label", ""),
            )
            messages.success(request, _("倒排工期时限已保存。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:project", pk=project.pk)
