"""Pages of warnings: the overview, a project's history, region lights, rule sets,
justifications. Thin: reads through ``queries``, writes through ``services``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_projects, project_scope_q
from cornerstone.alerts import queries, services
from cornerstone.alerts.choices import JustificationStatus, Light
from cornerstone.alerts.filters import RULE_LABELS, SORTS, LightFilterSet
from cornerstone.alerts.forms import DecisionForm, JustificationForm, RuleSetForm
from cornerstone.alerts.models import Justification, RuleSet
from cornerstone.alerts.presets import PRESETS, flatten, preset_params
from cornerstone.alerts.tasks import lights_recompute_enqueue
from cornerstone.geo.models import Region
from cornerstone.geo.queries import regions_visible
from cornerstone.plans.queries import region_for
from cornerstone.projects.models import Project
from cornerstone.projects.queries import project_get

PER_PAGE = 50


def _period(request: HttpRequest) -> tuple[int, int]:
    """The month asked for as ?period=YYYY-MM, else the current one."""
    today = timezone.localdate()
    raw = request.GET.get("period", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def _region(request: HttpRequest) -> Region:
    try:
        return region_for(actor=request.user, code=request.GET.get("region"))
    except Region.DoesNotExist:
        raise Http404 from None


def _admin(request: HttpRequest) -> User:
    if not can_edit_projects(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return request.user


def _errors_to_form(form: BaseForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def order_link_available() -> bool:
    """Whether the problems app offers issuing a supervision order from a light."""
    try:
        reverse("problems:order_issue_light", args=[1])
    except NoReverseMatch:
        return False
    return True


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """预警总览: counts per sub-region for the month, and the red and yellow projects."""
    year, month = _period(request)
    owner_view = request.user.is_authenticated and getattr(request.user, "role", "") == "owner"
    region = None if owner_view else _region(request)
    base = queries.lights_visible(actor=request.user, year=year, month=month)
    data = request.GET.copy()
    if region is not None and not data.get("region"):
        data["region"] = region.code
    filterset = LightFilterSet(data, queryset=base)
    lights = filterset.qs
    if not data.get("colour"):
        lights = lights.exclude(colour=Light.GREEN)
    sort = request.GET.get("sort", "colour")
    lights = lights.order_by(*SORTS.get(sort, SORTS["colour"]))
    page = Paginator(lights, PER_PAGE).get_page(request.GET.get("page"))
    counts = (
        queries.region_counts(actor=request.user, region=region, year=year, month=month)
        if region is not None
        else []
    )
    context = {
        "nav": "alerts",
        "year": year,
        "month": month,
        "region": region,
        "counts": counts,
        "filter": filterset,
        "page": page,
        "sort": sort,
        "rule_labels": RULE_LABELS,
        "can_edit": can_edit_projects(request.user),
    }
    template = "alerts/overview.html#results" if request.htmx else "alerts/overview.html"
    return render(request, template, context)


@login_required
def project_lights(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's light by month: a twelve-month strip with the reasons of each."""
    try:
        project = project_get(actor=request.user, pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    history = queries.project_history(actor=request.user, project=project, today=today)
    current = history[-1][2]
    return render(
        request,
        "alerts/project.html",
        {
            "nav": "alerts",
            "project": project,
            "history": history,
            "current": current,
            "justifications": queries.justifications_visible(actor=request.user).filter(
                project=project
            ),
            "rule_labels": RULE_LABELS,
            "order_link": order_link_available() and can_edit_projects(request.user),
            "can_justify": request.user.is_superuser
            or getattr(request.user, "role", "") in ("admin", "owner"),
        },
    )


@login_required
def region_lights(request: HttpRequest) -> HttpResponse:
    """Region lights of the month, for the regions in scope."""
    year, month = _period(request)
    rows = queries.region_lights_visible(actor=request.user, year=year, month=month)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/regions.html",
        {"nav": "alerts", "year": year, "month": month, "page": page},
    )


@login_required
def rule_sets(request: HttpRequest) -> HttpResponse:
    """The rule sets that apply in the user's scope."""
    rows = queries.rule_sets_visible(actor=request.user)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/rule_sets.html",
        {"nav": "alerts", "page": page, "can_edit": can_edit_projects(request.user)},
    )


@login_required
def rule_set_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a rule set from a preset, or adjust one; "load preset" refills the thresholds."""
    actor = _admin(request)
    rule_set = None
    if pk is not None:
        try:
            rule_set = queries.rule_set_get(actor=actor, pk=pk)
        except RuleSet.DoesNotExist:
            raise Http404 from None
    regions = [(r.code, r.full_name) for r in regions_visible(actor=actor)]
    if request.method == "POST":
        form = RuleSetForm(request.POST, regions=regions)
        if request.POST.get("action") == "preset":
            preset = request.POST.get("preset", "yinchuan_2025")
            data = request.POST.copy()
            for name, value in flatten(preset_params(preset) if preset in PRESETS else {}).items():
                if isinstance(value, bool):
                    if value:
                        data[name] = "on"
                    else:
                        data.pop(name, None)
                else:
                    data[name] = "" if value is None else str(value)
            form = RuleSetForm(data, regions=regions)
        else:
            try:
                saved = services.rule_set_save(
                    actor=actor, data=form.values(), params=form.params(), rule_set=rule_set
                )
            except Region.DoesNotExist:
                raise Http404 from None
            except ValidationError as exc:
                form.is_valid()
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("预警规则“%s”已保存，预警将重新计算。") % saved.name)
                return redirect("alerts:rule_sets")
    else:
        initial: dict[str, object] = {"preset": "yinchuan_2025", "active": True}
        params = preset_params("yinchuan_2025")
        if rule_set is not None:
            initial.update(
                name=rule_set.name,
                region=rule_set.region_id,
                tier=rule_set.tier,
                preset=rule_set.preset,
                active=rule_set.active,
            )
            params = rule_set.params
        initial.update(flatten(params))
        form = RuleSetForm(initial=initial, regions=regions)
    return render(
        request,
        "alerts/rule_set_form.html",
        {"nav": "alerts", "form": form, "rule_set": rule_set},
    )


@login_required
def justifications(request: HttpRequest) -> HttpResponse:
    """Justifications of visible projects, filterable by status."""
    rows = queries.justifications_visible(actor=request.user)
    status = request.GET.get("status", "")
    if status in JustificationStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/justifications.html",
        {
            "nav": "alerts",
            "page": page,
            "status": status,
            "statuses": JustificationStatus.choices,
            "rule_labels": RULE_LABELS,
            "can_decide": can_edit_projects(request.user),
            "decision_form": DecisionForm(),
        },
    )


@login_required
def justification_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """State a documented reason for a rule's light on a project."""
    try:
        project = project_get(actor=request.user, pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None
    form = JustificationForm(request.POST or None, initial={"rule": request.GET.get("rule", "")})
    if request.method == "POST":
        assert isinstance(request.user, User)
        try:
            services.justification_propose(
                actor=request.user,
                project=project,
                data={
                    "rule": request.POST.get("rule", ""),
                    "reason": request.POST.get("reason", ""),
                    "valid_until": request.POST.get("valid_until") or None,
                },
            )
        except ValidationError as exc:
            form.is_valid()
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("情况说明已提交，待管理员审核。"))
            return redirect("alerts:project_lights", pk=project.pk)
    return render(
        request,
        "alerts/justification_form.html",
        {"nav": "alerts", "project": project, "form": form},
    )


@login_required
@require_POST
def justification_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or reject a justification."""
    actor = _admin(request)
    try:
        justification = queries.justification_get(actor=actor, pk=pk)
    except Justification.DoesNotExist:
        raise Http404 from None
    try:
        services.justification_decide(
            actor=actor,
            justification=justification,
            accept=request.POST.get("decision") == "accept",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已审核情况说明。"))
    return redirect("alerts:justifications")


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    """Queue a recomputation of the lights of every project in the admin's scope."""
    actor = _admin(request)
    ids = list(Project.objects.filter(project_scope_q(actor)).values_list("id", flat=True))
    lights_recompute_enqueue(project_ids=ids)
    messages.success(request, _("已安排重新计算%d个项目的预警。") % len(ids))
    return redirect("alerts:overview")


def month_options(today: dt.date) -> list[str]:
    """The last twelve months as YYYY-MM, newest first."""
    y, m, found = today.year, today.month, []
    for __ in range(12):
        found.append(f"{y}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return found
