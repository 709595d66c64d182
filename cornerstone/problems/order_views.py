"""Supervision-order pages: the list (open orders first), issue from a problem or a red
light, and an order with its response and closing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.scope import can_edit_region
from cornerstone.alerts.models import ProjectLight
from cornerstone.geo.queries import regions_visible
from cornerstone.problems import order_services, queries
from cornerstone.problems.choices import LetterKind, Recipient, SupervisionStatus
from cornerstone.problems.filters import OrderFilterSet
from cornerstone.problems.forms import OrderIssueForm
from cornerstone.problems.models import Problem, SupervisionOrder
from cornerstone.problems.views import PER_PAGE, _problem, _user, errors_to_form
from cornerstone.projects.models import Project
from cornerstone.projects.queries import projects_visible


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    """督办单: open orders by default (leaders follow them), with filters and pages."""
    today = timezone.localdate()
    data = request.GET.copy()
    if "status" not in data and not data.get("all"):
        data.setlist("status", [SupervisionStatus.ISSUED, SupervisionStatus.ANSWERED])
    visible = queries.orders_visible(actor=request.user)
    filterset = OrderFilterSet(data, queryset=visible)
    queryset = filterset.qs if filterset.is_valid() else visible.none()
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(queries.order_rows(page.object_list))
    context: dict[str, Any] = {
        "filterset": filterset,
        "page": page,
        "counts": queries.order_counts(visible, today=today),
        "selected_status": data.getlist("status"),
        "today": today,
        "nav": "orders",
    }
    if request.htmx:
        return render(request, "problems/orders.html#results", context)
    context.update(
        {
            "regions": regions_visible(actor=request.user),
            "statuses": SupervisionStatus.choices,
            "kinds": LetterKind.choices,
            "recipients": Recipient.choices,
        }
    )
    return render(request, "problems/orders.html", context)


def _order(request: HttpRequest, pk: int) -> SupervisionOrder:
    try:
        return queries.order_get(actor=request.user, pk=pk)
    except SupervisionOrder.DoesNotExist:
        raise Http404(_("未找到该督办单。")) from None


def _issue(
    request: HttpRequest,
    *,
    project: Project,
    problem: Problem | None = None,
    light: ProjectLight | None = None,
    initial: dict[str, Any],
) -> HttpResponse:
    user = _user(request)
    if not (user.is_superuser or can_edit_region(user, project.region_id)):
        raise PermissionDenied
    departments = queries.project_departments(project=project)
    form = OrderIssueForm(request.POST or None, initial=initial, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            order = order_services.order_issue(
                project=project, problem=problem, light=light, data=form.cleaned_data, actor=user
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("督办单%s已下发。") % order.number)
            return redirect("problems:order_detail", pk=order.pk)
    return render(
        request,
        "problems/order_issue.html",
        {
            "project": project,
            "problem": problem,
            "light": light,
            "form": form,
            "nav": "orders",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def order_issue_problem(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue an order about an escalated problem."""
    problem = _problem(request, pk)
    initial = {
        "kind": LetterKind.SUPERVISION,
        "recipient": Recipient.DEPARTMENT,
        "department": problem.department_id,
        "subject": _("关于“%s”问题的督办") % problem.project.name,
        "content": problem.description,
        "response_deadline": timezone.localdate() + dt.timedelta(days=7),
    }
    return _issue(request, project=problem.project, problem=problem, initial=initial)


@login_required
def order_issue_light(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue an order following a project's red light."""
    light = (
        ProjectLight.objects.filter(project__in=projects_visible(actor=request.user))
        .select_related("project", "project__region")
        .filter(pk=pk)
        .first()
    )
    if light is None:
        raise Http404(_("未找到该预警。"))
    reasons = "；".join(str(r.get("text", "")) for r in light.reasons if isinstance(r, dict))
    initial = {
        "kind": LetterKind.SUPERVISION,
        "recipient": Recipient.OWNER
        if light.project.owner_users.exists()
        else Recipient.DEPARTMENT,
        "department": light.project.responsible_unit_id,
        "subject": _("关于“%(project)s”%(year)d年%(month)d月红灯预警的督办")
        % {"project": light.project.name, "year": light.year, "month": light.month},
        "content": reasons,
        "response_deadline": timezone.localdate() + dt.timedelta(days=7),
    }
    return _issue(request, project=light.project, light=light, initial=initial)


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An order with its response and closing, and the form the user may fill in."""
    order = _order(request, pk)
    return render(
        request,
        "problems/order_detail.html",
        {
            "order": order,
            "can_respond": order.status == SupervisionStatus.ISSUED
            and queries.can_respond_order(actor=request.user, order=order),
            "can_close": order.status == SupervisionStatus.ANSWERED
            and queries.can_close_order(actor=request.user, order=order),
            "today": timezone.localdate(),
            "nav": "orders",
        },
    )


@login_required
@require_POST
def order_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The recipient answers the order."""
    order = _order(request, pk)
    try:
        order_services.order_respond(
            order=order, response=request.POST.get("response", ""), actor=_user(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已反馈督办单%s。") % order.number)
    return redirect("problems:order_detail", pk=pk)


@login_required
@require_POST
def order_close(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin closes an answered order."""
    order = _order(request, pk)
    try:
        order_services.order_close(
            order=order, note=request.POST.get("closing_note", ""), actor=_user(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("督办单%s已办结。") % order.number)
    return redirect("problems:order_detail", pk=pk)
