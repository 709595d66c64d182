"""Every read of schedules, cycles, reports and actuals, already scoped to the actor.

``actuals_by_project``, ``report_status_by_cycle`` and ``reports_missing`` are the reads
other apps (warnings, statistics, dispatch) use; they take ids, not an actor, because
their callers have already scoped the projects.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet, Sum

from cornerstone.accounts.scope import NOTHING, scope_root
from cornerstone.geo.codes import ancestors_of, subtree_bounds
from cornerstone.progress.choices import CycleStatus, ReportStatus
from cornerstone.progress.models import (
    InvestmentActual,
    ProgressReport,
    ReportingCycle,
    ReportingSchedule,
)
from cornerstone.projects.models import Project
from cornerstone.projects.queries import projects_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cornerstone.accounts.models import User

UNSUBMITTED = (ReportStatus.DRAFT,)
# Filter values of a cycle's report list beyond the statuses.
MISSING = "missing"
LATE = "late"


# ---------------------------------------------------------------- schedules and cycles


def _schedule_scope_q(actor: User | AnonymousUser) -> Q:
    """Schedules of the actor's region and below, and those above that cover it."""
    if not actor.is_authenticated or not actor.is_active:
        return NOTHING
    if actor.is_superuser:
        return Q()
    root = scope_root(actor)
    if root is None:
        return NOTHING  # owners follow their reports, not schedules
    low, high = subtree_bounds(root)
    return Q(region_id__gte=low, region_id__lt=high) | Q(region_id__in=ancestors_of(root))


def schedules_visible(*, actor: User | AnonymousUser) -> QuerySet[ReportingSchedule]:
    """Schedules the actor may look at, with their region joined."""
    return (
        ReportingSchedule.objects.filter(_schedule_scope_q(actor))
        .select_related("region")
        .annotate(cycle_count=Count("cycles"))
        .order_by("region_id", "name")
    )


def schedule_get(*, actor: User | AnonymousUser, pk: int) -> ReportingSchedule:
    """One visible schedule; DoesNotExist otherwise."""
    return schedules_visible(actor=actor).get(pk=pk)


def cycles_visible(*, actor: User | AnonymousUser) -> QuerySet[ReportingCycle]:
    """Cycles of the visible schedules, newest first."""
    return (
        ReportingCycle.objects.filter(
            schedule__in=ReportingSchedule.objects.filter(_schedule_scope_q(actor))
        )
        .select_related("schedule", "schedule__region")
        .order_by("-period_start", "schedule_id")
    )


def cycle_get(*, actor: User | AnonymousUser, pk: int) -> ReportingCycle:
    """One visible cycle; DoesNotExist otherwise."""
    return cycles_visible(actor=actor).get(pk=pk)


@dataclass(frozen=True)
class CycleCounts:
    """How a cycle's expected reports stand (within what the actor sees)."""

    expected: int = 0
    draft: int = 0
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    missing: int = 0
    late: int = 0

    @property
    def in_hand(self) -> int:
        """Reports submitted at least once (submitted, returned or accepted)."""
        return self.expected - self.draft


def _late_q() -> Q:
    return Q(first_submitted_at__date__gt=F("cycle__deadline"))


def cycle_counts(
    *, actor: User | AnonymousUser, cycle_ids: Iterable[int], today: dt.date
) -> dict[int, CycleCounts]:
    """Per cycle: expected / draft / submitted / accepted / returned / missing / late, one query."""
    ids = list(cycle_ids)
    rows = (
        ProgressReport.objects.filter(cycle_id__in=ids, project__in=projects_visible(actor=actor))
        .values("cycle_id")
        .annotate(
            expected=Count("id"),
            draft=Count("id", filter=Q(status=ReportStatus.DRAFT)),
            submitted=Count("id", filter=Q(status=ReportStatus.SUBMITTED)),
            accepted=Count("id", filter=Q(status=ReportStatus.ACCEPTED)),
            returned=Count("id", filter=Q(status=ReportStatus.RETURNED)),
            missing=Count("id", filter=Q(status=ReportStatus.DRAFT, cycle__deadline__lt=today)),
            late=Count("id", filter=_late_q()),
        )
        .order_by()
    )
    found = {row.pop("cycle_id"): CycleCounts(**row) for row in rows}
    return {pk: found.get(pk, CycleCounts()) for pk in ids}


# ---------------------------------------------------------------- reports


def reports_visible(*, actor: User | AnonymousUser) -> QuerySet[ProgressReport]:
    """Reports of the projects the actor sees."""
    return ProgressReport.objects.filter(project__in=projects_visible(actor=actor))


def report_rows(queryset: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    """The columns a report list shows, joined in one query."""
    return queryset.select_related(
        "project", "project__region", "cycle", "cycle__schedule", "submitted_by"
    )


def cycle_reports(
    *,
    actor: User | AnonymousUser,
    cycle: ReportingCycle,
    status: str = "",
    region: str = "",
    today: dt.date,
) -> QuerySet[ProgressReport]:
    """A cycle's expected reports the actor sees, by status (or missing / late) and region."""
    reports = reports_visible(actor=actor).filter(cycle=cycle)
    if status == MISSING:
        reports = (
            reports.filter(status=ReportStatus.DRAFT) if cycle.deadline < today else reports.none()
        )
    elif status == LATE:
        reports = reports.filter(_late_q())
    elif status:
        reports = reports.filter(status=status)
    if region:
        low, high = subtree_bounds(region)
        reports = reports.filter(project__region_id__gte=low, project__region_id__lt=high)
    return report_rows(reports).order_by("project__region_id", "-project__total_investment", "id")


def report_get(*, actor: User | AnonymousUser, pk: int) -> ProgressReport:
    """One visible report with its cycle and project; DoesNotExist otherwise."""
    return (
        reports_visible(actor=actor)
        .select_related(
            "project",
            "project__region",
            "cycle",
            "cycle__schedule",
            "submitted_by",
            "reviewed_by",
        )
        .get(pk=pk)
    )


def report_history(*, report: ProgressReport) -> list:
    """The report's review steps, oldest first, with who took them."""
    return list(report.transitions.select_related("actor").order_by("at", "id"))


def my_reports(*, actor: User | AnonymousUser) -> QuerySet[ProgressReport]:
    """An owner's reports of open cycles still to fill in or resubmit, nearest deadline first."""
    if not actor.is_authenticated:
        return ProgressReport.objects.none()
    return report_rows(
        ProgressReport.objects.filter(
            project__owner_users=actor,
            cycle__status=CycleStatus.OPEN,
            status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED),
        )
    ).order_by("cycle__deadline", "project_id")


def my_recent_reports(*, actor: User | AnonymousUser, limit: int = 20) -> list[ProgressReport]:
    """An owner's latest submitted or reviewed reports."""
    if not actor.is_authenticated:
        return []
    return list(
        report_rows(
            ProgressReport.objects.filter(
                project__owner_users=actor,
                status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED),
            )
        ).order_by("-submitted_at", "-id")[:limit]
    )


def project_reports(*, project: Project) -> QuerySet[ProgressReport]:
    """Every report of a project (the caller has scoped the project), newest period first."""
    return report_rows(ProgressReport.objects.filter(project=project)).order_by(
        "-cycle__period_start", "-id"
    )


# ---------------------------------------------------------------- reads for other apps


def actuals_by_project(
    *, project_ids: Iterable[int], year: int, through_month: int
) -> dict[int, Decimal]:
    """Year-to-date completed investment per project (accepted reports), months 1..through_month.

    Projects with no actual that year are absent.
    """
    rows = (
        InvestmentActual.objects.filter(
            project_id__in=list(project_ids), year=year, month__lte=through_month
        )
        .values("project_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["project_id"]: row["total"] for row in rows}


def actuals_by_month(*, project_ids: Iterable[int], year: int) -> dict[int, list[Decimal]]:
    """Twelve monthly actuals per project for a year (zeros where none)."""
    found: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 12)
    for project_id, month, amount in InvestmentActual.objects.filter(
        project_id__in=list(project_ids), year=year
    ).values_list("project_id", "month", "amount"):
        found[project_id][month - 1] = amount
    return dict(found)


def report_status_by_cycle(
    *, cycle_ids: Iterable[int], project_ids: Iterable[int] | None = None
) -> dict[int, dict[int, str]]:
    """``{cycle_id: {project_id: status}}`` of the expected reports."""
    reports = ProgressReport.objects.filter(cycle_id__in=list(cycle_ids))
    if project_ids is not None:
        reports = reports.filter(project_id__in=list(project_ids))
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for cycle_id, project_id, status in reports.values_list("cycle_id", "project_id", "status"):
        found[cycle_id][project_id] = status
    return dict(found)


def reports_missing(*, project_ids: Iterable[int], today: dt.date) -> dict[int, int]:
    """Per project, the cycles past their deadline with the report never submitted."""
    rows = (
        ProgressReport.objects.filter(
            project_id__in=list(project_ids),
            status=ReportStatus.DRAFT,
            cycle__deadline__lt=today,
        )
        .values("project_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["project_id"]: row["count"] for row in rows}


def reports_to_fill(*, actor: User | AnonymousUser) -> QuerySet[ProgressReport]:
    """Reports of open cycles still to fill in or resubmit, of the projects the actor sees."""
    return report_rows(
        reports_visible(actor=actor).filter(
            cycle__status=CycleStatus.OPEN,
            status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED),
        )
    ).order_by("cycle__deadline", "cycle_id", "project__region_id", "project_id")
