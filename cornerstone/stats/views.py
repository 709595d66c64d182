"""Statistics pages: the overview, breakdowns by region, industry and tier, and the
projects behind a count. Thin: the figures come from ``queries.dashboard``.

Filters arrive in the URL; a bad one is said on the page (400), a region outside the
user's scope is refused on the page (403), and ``?format=xlsx`` sends the page's tables.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cornerstone.accounts.scope import can_edit_region, scope_root
from cornerstone.core.downloads import xlsx_download
from cornerstone.projects.models import Project
from cornerstone.projects.queries import filter_options
from cornerstone.stats import presenters
from cornerstone.stats.exports import dashboard_workbook_write, projects_workbook_write
from cornerstone.stats.filters import StatsFilter, StatsFilterForm, stats_filter_parse
from cornerstone.stats.queries import (
    Dashboard,
    dashboard,
    metric_projects,
    start_target_applies,
    stats_scope,
)
from cornerstone.stats.services import start_target_set

PER_PAGE = 50
PAGES = {
    # name: (breakdown, template, title)
    "overview": ("region", "stats/overview.html", gettext_lazy("统计总览")),
    "regions": ("region", "stats/breakdown.html", gettext_lazy("分区域统计")),
    "industries": ("industry", "stats/breakdown.html", gettext_lazy("分行业统计")),
    "tiers": ("tier", "stats/breakdown.html", gettext_lazy("分级别统计")),
}
TABS = [(name, title) for name, (__by, __template, title) in PAGES.items()]


def _filters(request: HttpRequest) -> tuple[StatsFilter | None, list[str]]:
    """The filters of the URL, or the message for each bad parameter."""
    params = {k: str(v) for k, v in request.GET.items() if k in StatsFilterForm.base_fields}
    try:
        return stats_filter_parse(params), []
    except ValidationError as exc:
        return None, list(exc.messages)


def _filter_bar(request: HttpRequest, filters: StatsFilter | None) -> dict[str, Any]:
    """The filter form's choices (scoped) and current values, for a full page only."""
    options = filter_options(actor=request.user)
    values = {k: v for k, v in request.GET.items() if k in StatsFilterForm.base_fields}
    if filters is not None:
        values.setdefault("year", str(filters.year))
        values.setdefault("month", str(filters.month))
    form = StatsFilterForm()

    def choices(name: str) -> list[tuple[str, str]]:
        return [(str(v), str(label)) for v, label in form.fields[name].choices if v != ""]

    return {
        "options": options,
        "sections": [o for o in options.industries if o.depth == 0],
        "values": values,
        "months": choices("month"),
        "class_filters": [
            (name, form.fields[name].label, choices(name), values.get(name, ""))
            for name in ("tier", "category", "kind", "threshold")
        ],
    }


def _dashboard_context(board: Dashboard, page: str, root: str | None) -> dict[str, Any]:
    rows = presenters.row_views(board, page=f"stats:{page}")
    return {
        "board": board,
        "has_data": presenters.year_has_data(board),
        "caption": presenters.filters_caption(board),
        "period": presenters.period_caption(board.filters),
        "rows": rows,
        "total": presenters.total_row(board),
        "event_headers": presenters.event_headers(),
        "by_label": presenters.BY_LABELS[
            "zone" if board.by == "region" and board.scope.zones else board.by
        ],
        "cards": presenters.kpi_cards(board),
        "gap": presenters.gap_text(board),
        "completion_rate": presenters.kpi_text(board, "completion_rate"),
        "series_chart": presenters.series_chart(board),
        "series_rows": presenters.series_rows(board),
        "funnel_chart": presenters.funnel_chart(board),
        "funnel_rows": presenters.funnel_rows(board),
        "breakdown_chart": presenters.breakdown_chart(board),
        "stage_rows": presenters.stage_rows(board),
        "lights": [
            (colour, board.lights.get(colour, 0), presenters.lights_link(board, colour))
            for colour in ("red", "yellow", "green")
        ],
        "breadcrumb": presenters.breadcrumb(board, page=f"stats:{page}", root=root),
    }


def _page(request: HttpRequest, page: str) -> HttpResponseBase:
    by, template, title = PAGES[page]
    filters, errors = _filters(request)
    status = 400 if errors else 200
    board = None
    if filters is not None:
        try:
            board = dashboard(actor=request.user, filters=filters, by=by)
        except PermissionDenied as exc:
            errors, status = [str(exc) or _("您没有查看该区划统计的权限。")], 403
    if board is not None and request.GET.get("format") == "xlsx":
        caption = presenters.filters_caption(board)
        return xlsx_download(
            lambda out: dashboard_workbook_write(
                out=out, board=board, title=str(title), caption=caption, overview=page == "overview"
            ),
            f"{title}-{presenters.period_caption(board.filters)}.xlsx",
        )
    context: dict[str, Any] = {
        "nav": "stats",
        "tab": page,
        "tabs": [
            (name, label, presenters.url(f"stats:{name}", filters.query() if filters else {}))
            for name, label in TABS
        ],
        "title": title,
        "page_url": f"stats:{page}",
        "errors": errors,
        "filters": filters,
        "export_query": request.GET.urlencode(),
    }
    if board is not None:
        context.update(_dashboard_context(board, page, scope_root(request.user)))
        region = board.scope.region
        context["target_form"] = (
            page == "overview"
            and region is not None
            and start_target_applies(scope=board.scope, filters=board.filters)
            and can_edit_region(request.user, region.code)
        )
    if request.htmx:
        return render(request, f"{template}#body", context, status=status)
    context.update(_filter_bar(request, filters))
    return render(request, template, context, status=status)


@login_required
def overview(request: HttpRequest) -> HttpResponseBase:
    """统计总览: KPI cards, the monthly curves, the funnel, lights, lagging projects."""
    return _page(request, "overview")


@login_required
def regions(request: HttpRequest) -> HttpResponseBase:
    """分区域: a table and chart per sub-region, each row drilling one level down."""
    return _page(request, "regions")


@login_required
def industries(request: HttpRequest) -> HttpResponseBase:
    """分行业: per GB/T 4754 section."""
    return _page(request, "industries")


@login_required
def tiers(request: HttpRequest) -> HttpResponseBase:
    """分级别: per tier (省/市/县重点)."""
    return _page(request, "tiers")


@login_required
def projects(request: HttpRequest) -> HttpResponseBase:
    """The projects behind one event count (开工, 竣工…), a page at a time."""
    filters, errors = _filters(request)
    metric = request.GET.get("metric", "")
    status = 400 if errors else 200
    found = None
    scope = None
    if filters is not None:
        try:
            scope = stats_scope(actor=request.user, filters=filters)
            if not metric:
                raise ValueError(_("请指定统计口径（metric）。"))
            found = metric_projects(actor=request.user, filters=filters, metric=metric)
        except ValueError as exc:
            errors, status = [str(exc)], 400
        except PermissionDenied as exc:
            errors, status = [str(exc) or _("您没有查看该区划统计的权限。")], 403
    label = str(presenters.METRIC_LABELS.get(metric, metric))
    caption = presenters.drill_caption(filters, scope) if filters and scope else ""
    if found is not None:
        found = found.select_related("region", "zone").order_by("-total_investment", "pk")
        if request.GET.get("format") == "xlsx":
            rows = found
            return xlsx_download(
                lambda out: projects_workbook_write(
                    out=out, projects=rows, title=label, caption=caption
                ),
                f"{label}-{presenters.period_caption(filters)}.xlsx",
            )
    page = Paginator(found if found is not None else Project.objects.none(), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "nav": "stats",
        "errors": errors,
        "metric": metric,
        "label": label,
        "caption": caption,
        "page": page,
        "filters": filters,
        "export_query": request.GET.urlencode(),
        "back": presenters.url("stats:overview", filters.query()) if filters else "",
    }
    if request.htmx:
        return render(request, "stats/projects.html#results", context, status=status)
    return render(request, "stats/projects.html", context, status=status)


@login_required
@require_POST
def start_target(request: HttpRequest) -> HttpResponseBase:
    """Set or clear the scope region's 开复工 target for the year, then back to the overview."""
    region = request.POST.get("region", "")
    year_text = request.POST.get("year", "")
    text = request.POST.get("projects", "").strip()
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("stats:overview")
    if not year_text.isdigit():
        messages.error(request, _("年度“%(year)s”无效。") % {"year": year_text})
        return redirect(back)
    if text and not text.isdigit():
        messages.error(request, _("开复工目标须为正整数，收到“%(value)s”。") % {"value": text})
        return redirect(back)
    try:
        start_target_set(
            actor=request.user,
            region_code=region,
            year=int(year_text),
            projects=int(text) if text else None,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("开复工目标已保存。") if text else _("开复工目标已清除。"))
    return redirect(back)
