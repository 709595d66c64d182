"""Reminders of reports still to submit: before the deadline and once overdue.

For every open cycle, ``periods.reminder_due`` says whether today calls for a reminder;
owners of unsubmitted reports (draft or returned) get one notification each listing
their projects, and an overdue day also sends the schedule's region admins a digest.
``reminded_at`` records the day, so running twice on the same day sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.core.notifications import notification_send
from cornerstone.progress import periods
from cornerstone.progress.choices import CycleStatus, ReportStatus
from cornerstone.progress.models import ProgressReport, ReportingCycle
from cornerstone.progress.services import region_admins

PENDING = (ReportStatus.DRAFT, ReportStatus.RETURNED)


@dataclass
class RemindResult:
    cycles: int = 0
    notifications: int = 0


def _pending_by_owner(cycle: ReportingCycle) -> dict[User, list[str]]:
    owners: dict[User, list[str]] = defaultdict(list)
    reports = (
        ProgressReport.objects.filter(cycle=cycle, status__in=PENDING)
        .select_related("project")
        .prefetch_related("project__owner_users")
    )
    for report in reports:
        for user in report.project.owner_users.all():
            if user.is_active:
                owners[user].append(report.project.name)
    return owners


@transaction.atomic
def reminders_send(*, today: dt.date) -> RemindResult:
    """Send today's reminders of every open cycle; idempotent within a day."""
    result = RemindResult()
    cycles = ReportingCycle.objects.select_for_update(of=("self",)).select_related("schedule")
    for cycle in cycles.filter(status=CycleStatus.OPEN):
        kind = periods.reminder_due(
            today=today, deadline=cycle.deadline, days_before=cycle.schedule.remind_days_before
        )
        if kind is None:
            continue
        if cycle.reminded_at and timezone.localdate(cycle.reminded_at) == today:
            continue
        owners = _pending_by_owner(cycle)
        url = reverse("progress:mine")
        deadline = f"{cycle.deadline:%Y年%m月%d日}"
        for user, names in owners.items():
            if kind is periods.Reminder.BEFORE:
                title = _("请于%(deadline)s前填报%(label)s进度") % {
                    "deadline": deadline,
                    "label": cycle.label,
                }
            else:
                title = _("%(label)s进度已逾期未报（截止%(deadline)s）") % {
                    "deadline": deadline,
                    "label": cycle.label,
                }
            result.notifications += notification_send(
                users=[user], title=title, body="、".join(names), url=url
            )
        if kind is periods.Reminder.OVERDUE:
            missing = ProgressReport.objects.filter(cycle=cycle, status__in=PENDING).count()
            if missing:
                result.notifications += notification_send(
                    users=region_admins(cycle.schedule.region_id),
                    title=_("%(label)s：%(count)d个项目逾期未报")
                    % {"label": cycle.label, "count": missing},
                    body=_("%(schedule)s，截止%(deadline)s。")
                    % {"schedule": cycle.schedule.name, "deadline": deadline},
                    url=reverse("progress:cycle", args=[cycle.pk]) + "?status=missing",
                )
        cycle.reminded_at = timezone.now()
        cycle.save(update_fields=["reminded_at"])
        result.cycles += 1
    return result
