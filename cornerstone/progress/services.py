"""Writes to reporting schedules and cycles: define a schedule, open and close its cycles.

Reports, their review and the actuals are in ``report_services``; reminders in
``reminders``. One transaction each, validated, with its audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_region
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.validation import full_clean_or_raise, values_apply
from cornerstone.geo.codes import ancestors_of, subtree_bounds
from cornerstone.progress import periods
from cornerstone.progress.choices import CycleStatus
from cornerstone.progress.models import ProgressReport, ReportingCycle, ReportingSchedule
from cornerstone.projects.choices import Kind
from cornerstone.projects.models import Project

SCHEDULE_FIELDS = [
    "name",
    "region",
    "tier",
    "category",
    "frequency",
    "deadline_day",
    "remind_days_before",
    "active",
]


def require_region_admin(actor: User, region_code: str) -> None:
    """Refuse an actor who may not manage reporting in this region."""
    if not can_edit_region(actor, region_code):
        raise PermissionDenied(_("您没有管理该区划填报安排的权限。"))


def region_admins(region_code: str) -> QuerySet[User]:
    """The active admins whose scope covers a region (its own admins and those above)."""
    return User.objects.filter(
        role=Role.ADMIN, is_active=True, region_id__in=ancestors_of(region_code)
    )


def _schedule_apply(
    schedule: ReportingSchedule, data: Mapping[str, Any], actor: User
) -> dict[str, list[str]]:
    errors = values_apply(schedule, data, SCHEDULE_FIELDS)
    if "region" not in errors and schedule.region_id:
        require_region_admin(actor, schedule.region_id)
    if (
        not errors.keys() & {"frequency", "deadline_day"}
        and schedule.frequency in periods.FREQUENCIES
        and schedule.deadline_day is not None
    ):
        message = periods.deadline_day_error(schedule.frequency, schedule.deadline_day)
        if message:
            errors["deadline_day"] = [message]
    if "remind_days_before" not in errors and (schedule.remind_days_before or 0) > 31:
        errors["remind_days_before"] = [_("提前提醒天数不能超过31天。")]
    return errors


@transaction.atomic
def schedule_create(
    *, data: Mapping[str, Any], actor: User, source: AuditSource = AuditSource.PAGE
) -> ReportingSchedule:
    """Define who reports how often, in a region the actor administers."""
    schedule = ReportingSchedule(created_by=actor)
    errors = _schedule_apply(schedule, data, actor)
    full_clean_or_raise(schedule, errors)
    schedule.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=schedule,
        summary=_("新建调度安排：%s") % schedule.name,
        changes=diff(schedule, {}, snapshot(schedule, SCHEDULE_FIELDS)),
    )
    return schedule


@transaction.atomic
def schedule_update(
    *,
    schedule: ReportingSchedule,
    data: Mapping[str, Any],
    actor: User,
    source: AuditSource = AuditSource.PAGE,
) -> ReportingSchedule:
    """Change a schedule; cycles already opened keep their periods and deadlines."""
    require_region_admin(actor, schedule.region_id)
    schedule = ReportingSchedule.objects.select_for_update().get(pk=schedule.pk)
    before = snapshot(schedule, SCHEDULE_FIELDS)
    errors = _schedule_apply(schedule, data, actor)
    full_clean_or_raise(schedule, errors)
    changes = diff(schedule, before, snapshot(schedule, SCHEDULE_FIELDS))
    if not changes:
        return schedule
    schedule.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        obj=schedule,
        summary=_("修改调度安排：%s") % schedule.name,
        changes=changes,
    )
    return schedule


def schedule_projects(schedule: ReportingSchedule, period_start: dt.date) -> QuerySet[Project]:
    """The projects a schedule expects a report from in a period.

    In its region and below, of its tier and class when set; reserve projects (储备) have
    nothing to report yet, and a project completed before the period has nothing more.
    """
    low, high = subtree_bounds(schedule.region_id)
    projects = Project.objects.filter(region_id__gte=low, region_id__lt=high).exclude(
        kind=Kind.RESERVE
    )
    if schedule.tier:
        projects = projects.filter(tier=schedule.tier)
    if schedule.category:
        projects = projects.filter(category=schedule.category)
    return projects.filter(
        Q(actual_completion_date__isnull=True) | Q(actual_completion_date__gte=period_start)
    )


def _period_of(schedule: ReportingSchedule, day: dt.date) -> periods.Period:
    return periods.period_containing(schedule.frequency, day)


def cycle_open_for(
    *,
    schedule: ReportingSchedule,
    period: periods.Period,
    actor: User,
    source: AuditSource,
) -> tuple[ReportingCycle, bool]:
    """Open the cycle of a period (or return the one already open) with its expected reports."""
    existing = ReportingCycle.objects.filter(schedule=schedule, period_start=period.start).first()
    if existing is not None:
        return existing, False
    cycle = ReportingCycle.objects.create(
        schedule=schedule,
        label=period.label,
        period_start=period.start,
        period_end=period.end,
        deadline=periods.deadline_for(schedule.frequency, schedule.deadline_day, period),
        opened_by=actor,
    )
    project_ids = list(schedule_projects(schedule, period.start).values_list("pk", flat=True))
    ProgressReport.objects.bulk_create(
        [ProgressReport(cycle=cycle, project_id=pk) for pk in project_ids], batch_size=2000
    )
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=cycle,
        summary=_("开启填报期次：%(schedule)s %(label)s（应报%(count)d个项目）")
        % {"schedule": schedule.name, "label": cycle.label, "count": len(project_ids)},
    )
    return cycle, True


@transaction.atomic
def cycle_open_next(
    *,
    schedule: ReportingSchedule,
    actor: User,
    today: dt.date,
    source: AuditSource = AuditSource.PAGE,
) -> ReportingCycle:
    """Open the period after the latest cycle (or the one containing today when none)."""
    require_region_admin(actor, schedule.region_id)
    schedule = ReportingSchedule.objects.select_for_update().get(pk=schedule.pk)
    if not schedule.active:
        raise ValidationError(_("该调度安排已停用，不能开启新期次。"))
    latest = schedule.cycles.order_by("-period_start").first()
    if latest is None:
        period = _period_of(schedule, today)
    else:
        period = periods.period_next(
            schedule.frequency,
            periods.Period(latest.period_start, latest.period_end, latest.label),
        )
    if period.start > today:
        raise ValidationError(
            _("下一期（%(label)s）自%(start)s开始，尚未到开启时间。")
            % {"label": period.label, "start": f"{period.start:%Y年%m月%d日}"}
        )
    cycle, __ = cycle_open_for(schedule=schedule, period=period, actor=actor, source=source)
    return cycle


@transaction.atomic
def cycles_open_due(*, today: dt.date, source: AuditSource = AuditSource.COMMAND) -> int:
    """Open, for every active schedule, the cycle containing today; idempotent."""
    opened = 0
    for schedule in ReportingSchedule.objects.filter(active=True).select_related("created_by"):
        __, created = cycle_open_for(
            schedule=schedule,
            period=_period_of(schedule, today),
            actor=schedule.created_by,
            source=source,
        )
        opened += created
    return opened


@transaction.atomic
def cycle_close(
    *, cycle: ReportingCycle, actor: User, source: AuditSource = AuditSource.PAGE
) -> ReportingCycle:
    """Close a cycle: no more filling in or submitting; submitted reports can still be accepted."""
    require_region_admin(actor, cycle.schedule.region_id)
    cycle = ReportingCycle.objects.select_for_update().select_related("schedule").get(pk=cycle.pk)
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("该期次已截止。"))
    cycle.status = CycleStatus.CLOSED
    cycle.closed_at = timezone.now()
    cycle.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        obj=cycle,
        summary=_("截止填报期次：%(schedule)s %(label)s")
        % {"schedule": cycle.schedule.name, "label": cycle.label},
    )
    return cycle
