"""Pages across projects: this week's tasks, the region's three-year and monthly plans,
the working calendar; and the wall chart and the xlsx downloads of one project."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_manage_lifecycle
from cornerstone.core.downloads import xlsx_download
from cornerstone.geo.models import Region
from cornerstone.geo.queries import departments_visible
from cornerstone.plans import services
from cornerstone.plans.choices import CalendarDayKind
from cornerstone.plans.exports import monthly_plan_workbook_write, schedule_workbook_write
from cornerstone.plans.models import CalendarDay
from cornerstone.plans.presenters import wallchart_payload
from cornerstone.plans.queries import (
    calendar_days,
    project_milestones,
    project_schedule,
    project_scurve,
    region_for,
    region_monthly_plans,
    region_monthly_totals,
    region_rolling,
    week_bounds,
    week_task_groups,
    week_tasks,
)
from cornerstone.plans.views import _project, month_labels

MONTHLY_PER_PAGE = 50


def _region(request: HttpRequest) -> Region:
    try:
        return region_for(actor=request.user, code=request.GET.get("region"))
    except Region.DoesNotExist:
        raise Http404 from None


def _parent(request: HttpRequest, region: Region) -> Region | None:
    """The region above, when the user may look at it too."""
    if region.parent_id is None:
        return None
    try:
        return region_for(actor=request.user, code=region.parent_id)
    except Region.DoesNotExist:
        return None


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


@login_required
def wallchart(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's wall chart (挂图作战): Gantt of tasks and milestones, and the S-curve."""
    project = _project(request, pk)
    today = timezone.localdate()
    schedule = project_schedule(project=project, today=today)
    milestones = project_milestones(project=project, today=today)
    year = _year(request)
    scurve = project_scurve(project=project, year=year)
    return render(
        request,
        "plans/wallchart.html",
        {
            "project": project,
            "today": today,
            "year": year,
            "schedule": schedule,
            "milestones": milestones,
            "scurve_rows": list(zip(scurve.months, scurve.plan, scurve.actual, strict=True)),
            "payload": wallchart_payload(
                schedule=schedule, milestones=milestones, scurve=scurve, today=today
            ),
            "nav": "ledger",
        },
    )


@login_required
def schedule_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    """The project's schedule and milestones as a workbook."""
    project = _project(request, pk)
    today = timezone.localdate()
    schedule = project_schedule(project=project, today=today)
    milestones = project_milestones(project=project, today=today)
    return xlsx_download(
        lambda out: schedule_workbook_write(
            out=out, project=project, schedule=schedule, milestones=milestones, today=today
        ),
        f"{project.code}-倒排工期-{today:%Y%m%d}.xlsx",
    )


@login_required
def week(request: HttpRequest) -> HttpResponse:
    """This week's tasks (本周任务) by department or by person, overdue first."""
    today = timezone.localdate()
    departments = departments_visible(actor=request.user).select_related("region")
    department_id = None
    if request.GET.get("department", "").isdigit():
        department_id = int(request.GET["department"])
        if not departments.filter(pk=department_id).exists():
            raise Http404
    elif (
        isinstance(request.user, User)
        and request.user.department_id
        and "department" not in request.GET
    ):
        department_id = request.user.department_id  # a department sees its own tasks first
    person = request.GET.get("person", "").strip()
    group_by = "person" if request.GET.get("by") == "person" else "department"
    rows = week_tasks(actor=request.user, today=today, department_id=department_id, person=person)
    monday, sunday = week_bounds(today)
    return render(
        request,
        "plans/week.html",
        {
            "groups": list(week_task_groups(rows, by=group_by)),
            "count": len(rows),
            "overdue": sum(r.overdue for r in rows),
            "departments": departments.order_by("region_id", "name"),
            "department_id": department_id,
            "person": person,
            "group_by": group_by,
            "monday": monday,
            "sunday": sunday,
            "today": today,
            "nav": "week",
        },
    )


@login_required
def rolling(request: HttpRequest) -> HttpResponse:
    """A region's planned investment this year, next year and the year after."""
    region = _region(request)
    table = region_rolling(actor=request.user, region=region, today=timezone.localdate())
    return render(
        request,
        "plans/rolling.html",
        {"table": table, "region": region, "parent": _parent(request, region), "nav": "rolling"},
    )


@login_required
def monthly(request: HttpRequest) -> HttpResponse:
    """A region's monthly plan table for a year, paged; the whole table downloads as xlsx."""
    region = _region(request)
    year = _year(request)
    plans = region_monthly_plans(actor=request.user, region=region, year=year)
    page = Paginator(plans, MONTHLY_PER_PAGE).get_page(request.GET.get("page"))
    totals = region_monthly_totals(actor=request.user, region=region, year=year)
    return render(
        request,
        "plans/monthly.html#results" if request.htmx else "plans/monthly.html",
        {
            "region": region,
            "parent": _parent(request, region),
            "year": year,
            "page": page,
            "totals": totals,
            "annual_total": sum(totals, Decimal(0)),
            "month_labels": month_labels(),
            "nav": "rolling",
        },
    )


@login_required
def monthly_xlsx(request: HttpRequest) -> FileResponse:
    """The region's monthly plan table for a year, every row, as a workbook."""
    region = _region(request)
    year = _year(request)
    plans = region_monthly_plans(actor=request.user, region=region, year=year)
    totals = region_monthly_totals(actor=request.user, region=region, year=year)
    return xlsx_download(
        lambda out: monthly_plan_workbook_write(
            out=out, region=region, year=year, plans=plans, totals=totals
        ),
        f"{region.name}{year}年度月度投资计划.xlsx",
    )


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """The working calendar of a year: holidays and 调休 days, editable by a province admin."""
    year = _year(request)
    return render(
        request,
        "plans/calendar.html",
        {
            "year": year,
            "days": calendar_days(year=year),
            "kinds": CalendarDayKind.choices,
            "can_edit": can_manage_lifecycle(request.user),
            "nav": "calendar",
        },
    )


@login_required
@require_POST
def calendar_edit(request: HttpRequest) -> HttpResponse:
    """Add, change or remove one calendar day."""
    if not can_manage_lifecycle(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    year = request.POST.get("year", "")
    try:
        if request.POST.get("action") == "delete":
            day = CalendarDay.objects.filter(pk=request.POST.get("pk") or 0).first()
            if day is None:
                raise Http404
            services.calendar_day_delete(actor=request.user, day=day)
            messages.success(request, _("已删除%s。") % day.date.isoformat())
        else:
            day = services.calendar_day_set(
                actor=request.user,
                data={
                    "date": request.POST.get("date", ""),
                    "kind": request.POST.get("kind", ""),
                    "name": request.POST.get("name", ""),
                },
            )
            messages.success(request, _("已保存%s。") % day.date.isoformat())
            year = str(day.date.year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{reverse('plans:calendar')}?year={year}")
