"""Pages of campaigns; thin over queries and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_projects
from cornerstone.campaigns import queries, services
from cornerstone.campaigns.choices import Action, CampaignKind, CampaignStatus
from cornerstone.campaigns.exports import entries_totals, projects_download, results_download
from cornerstone.campaigns.filters import CampaignFilterSet
from cornerstone.campaigns.forms import CampaignForm, VenueForm, errors_apply
from cornerstone.campaigns.headlines import results_headlines
from cornerstone.campaigns.models import Campaign, CampaignProject
from cornerstone.geo.choices import RegionLevel
from cornerstone.geo.codes import ancestors_of, in_subtree, subtree_bounds
from cornerstone.geo.models import Region
from cornerstone.geo.queries import regions_visible

PAGE_SIZE = 25
NAV = "campaigns"


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    try:
        return queries.campaign_get(actor=request.user, pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


def _region_choices(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (r.code, f"{r.code} {r.full_name or r.name}")
        for r in regions_visible(actor=request.user).order_by("code")
    ]


def _subtree_choices(campaign: Campaign) -> list[tuple[str, str]]:
    low, high = subtree_bounds(campaign.region_id)
    regions = Region.objects.filter(code__gte=low, code__lt=high).order_by("code")
    return [(r.code, f"{r.code} {r.name}") for r in regions]


def _is_owner(user: Any) -> bool:
    return getattr(user, "role", None) == Role.OWNER and not user.is_superuser


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Campaigns the user sees: filtered by year, kind, status and region, sorted, paged."""
    visible = queries.campaigns_visible(actor=request.user)
    filterset = CampaignFilterSet(request.GET, queryset=visible)
    queryset = filterset.qs if filterset.is_valid() else visible.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page": page,
        "can_edit": can_edit_projects(request.user),
        "nav": NAV,
    }
    if request.htmx:
        return render(request, "campaigns/list.html#results", context)
    years = sorted({d.year for d in visible.values_list("date", flat=True)}, reverse=True)
    regions = regions_visible(actor=request.user).exclude(level=RegionLevel.COUNTY)
    context.update(
        years=years,
        kinds=CampaignKind.choices,
        statuses=CampaignStatus.choices,
        regions=regions if not _is_owner(request.user) else [],
    )
    return render(request, "campaigns/list.html", context)


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    """A new draft campaign organised by a region of the user's subtree."""
    if not can_edit_projects(request.user):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, regions=_region_choices(request))
    if request.method == "POST":
        try:
            campaign = services.campaign_create(
                actor=_actor(request),
                data={k: request.POST.get(k, "") for k in services.CAMPAIGN_FIELDS},
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("已新建集中活动，请添加会场和参加项目。"))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "nav": NAV})


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft campaign's name, kind, date or note."""
    campaign = _campaign(request, pk)
    if not queries.campaign_editable(actor=request.user, campaign=campaign):
        raise PermissionDenied
    initial = {f: getattr(campaign, f) for f in services.CAMPAIGN_EDIT_FIELDS}
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            services.campaign_update(
                actor=_actor(request),
                campaign=campaign,
                data={k: request.POST.get(k, "") for k in services.CAMPAIGN_EDIT_FIELDS},
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign, "nav": NAV})


def _entries_context(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    entries = list(queries.entries_visible(actor=request.user, campaign=campaign))
    editable = queries.campaign_editable(actor=request.user, campaign=campaign)
    readiness = queries.entries_readiness(entries=entries) if editable else {}
    for entry in entries:
        entry.blockers = readiness.get(entry.project_id, [])  # type: ignore[attr-defined]
    q = request.GET.get("q", "").strip()
    return {
        "campaign": campaign,
        "entries": entries,
        "totals": entries_totals(entries),
        "editable": editable,
        "venues": list(campaign.venues.select_related("region")),
        "actions": Action.choices,
        "q": q,
        "candidates": (
            queries.enrol_candidates(actor=request.user, campaign=campaign, q=q)
            if editable and q
            else []
        ),
    }


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign: its venues, its projects with their actions, enrolment and confirmation."""
    campaign = _campaign(request, pk)
    context = _entries_context(request, campaign)
    if request.htmx and request.GET.get("part") == "candidates":
        return render(request, "campaigns/detail.html#candidates", context)
    editable = context["editable"]
    context.update(
        nav=NAV,
        venue_form=VenueForm(regions=_subtree_choices(campaign)) if editable else None,
        can_confirm=editable and campaign.date <= timezone.localdate(),
        results_allowed=not _is_owner(request.user),
    )
    return render(request, "campaigns/detail.html", context)


def _entries_response(
    request: HttpRequest, campaign: Campaign, error: str | None = None, enrolled: bool = False
) -> HttpResponse:
    """After an enrolment change: the table alone for htmx (and the search results
    cleared once a project was added), else back to the page."""
    if request.htmx:
        context = _entries_context(request, campaign)
        context.update(error=error, enrolled=enrolled)
        return render(request, "campaigns/detail.html#entries", context)
    if error:
        messages.error(request, error)
    return redirect("campaigns:detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol one project with its action (and venue)."""
    campaign = _campaign(request, pk)
    project = request.POST.get("project", "")
    venue = request.POST.get("venue", "")
    if not project.isdigit() or (venue and not venue.isdigit()):
        return _entries_response(request, campaign, _("请选择项目和会场。"))
    item = services.EnrolItem(
        project_id=int(project),
        action=request.POST.get("action", ""),
        venue_id=int(venue) if venue else None,
        note=request.POST.get("note", ""),
    )
    try:
        services.campaign_projects_enrol(actor=_actor(request), campaign=campaign, items=[item])
    except ValidationError as exc:
        return _entries_response(request, campaign, " ".join(exc.messages))
    return _entries_response(request, campaign, enrolled=True)


@login_required
@require_POST
def campaign_remove(request: HttpRequest, pk: int, project_id: int) -> HttpResponse:
    """Take a project out of the draft campaign."""
    campaign = _campaign(request, pk)
    try:
        services.campaign_project_remove(
            actor=_actor(request), campaign=campaign, project_id=project_id
        )
    except CampaignProject.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        return _entries_response(request, campaign, " ".join(exc.messages))
    return _entries_response(request, campaign)


@login_required
@require_POST
def venue_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the main venue or a branch venue."""
    campaign = _campaign(request, pk)
    data = {k: request.POST.get(k, "") for k in services.VENUE_FIELDS}
    try:
        services.venue_add(actor=_actor(request), campaign=campaign, data=data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已添加会场。"))
    return redirect("campaigns:detail", pk=pk)


@login_required
@require_POST
def venue_remove(request: HttpRequest, pk: int, venue_id: int) -> HttpResponse:
    """Remove a venue; its projects stay, without a venue."""
    campaign = _campaign(request, pk)
    try:
        services.venue_remove(actor=_actor(request), campaign=campaign, venue_id=venue_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except campaign.venues.model.DoesNotExist:
        raise Http404 from None
    return redirect("campaigns:detail", pk=pk)


@login_required
@require_POST
def campaign_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the event: every project's step on the event date, or nothing."""
    campaign = _campaign(request, pk)
    try:
        services.campaign_confirm(actor=_actor(request), campaign=campaign)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("活动已确认，各项目的环节已按活动日期记录。"))
    return redirect("campaigns:detail", pk=pk)


def _results(request: HttpRequest, campaign: Campaign) -> tuple[Region, Any, Region]:
    base = queries.results_root(actor=request.user, campaign=campaign)
    try:
        region, results = queries.campaign_results(
            actor=request.user, campaign=campaign, region_code=request.GET.get("region") or None
        )
    except Region.DoesNotExist:
        raise Http404 from None
    return region, results, base


@login_required
def campaign_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Counts and investment per action for the region and each region below it."""
    campaign = _campaign(request, pk)
    region, results, base = _results(request, campaign)
    trail = [code for code in reversed(ancestors_of(region.code)) if in_subtree(code, base.code)]
    low, high = subtree_bounds(region.code)
    entries = list(
        queries.entries_visible(actor=request.user, campaign=campaign).filter(
            project__region_id__gte=low, project__region_id__lt=high
        )
    )
    context = {
        "campaign": campaign,
        "region": region,
        "results": results,
        "headlines": results_headlines(results),
        "trail": list(Region.objects.filter(code__in=trail).order_by("code")),
        "entries": entries,
        "nav": NAV,
    }
    return render(request, "campaigns/results.html", context)


@login_required
def campaign_projects_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    """The participating projects the user sees, as a workbook."""
    return projects_download(actor=_actor(request), campaign=_campaign(request, pk))


@login_required
def campaign_results_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    """The results per region, as a workbook."""
    campaign = _campaign(request, pk)
    try:
        return results_download(
            actor=_actor(request), campaign=campaign, region_code=request.GET.get("region") or None
        )
    except Region.DoesNotExist:
        raise Http404 from None
