"""The nightly escalation of overdue problems (一般 → 市级督办 → 省级督办), in bulk.

A province holds thousands of open problems: the run reads them in one query, decides
each level in Python (``escalation.escalation_target``), and writes the updates, the
steps, the audit rows and one notification per group of recipients with a handful of
statements per level, never one per problem.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.choices import Role
from cornerstone.core.audit import audit_event
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.core.notifications import notification_send
from cornerstone.problems import escalation
from cornerstone.problems.choices import EscalationLevel, ProblemAction, ProblemStatus
from cornerstone.problems.models import Problem, ProblemEvent
from cornerstone.problems.queries import policies_by_region

if TYPE_CHECKING:
    from cornerstone.accounts.models import User

CHUNK = 500


@dataclass
class EscalationResult:
    """What one run did: problems raised to each level, and notifications sent."""

    checked: int = 0
    by_level: dict[int, int] = field(default_factory=dict)
    notified: int = 0

    @property
    def escalated(self) -> int:
        return sum(self.by_level.values())


@dataclass(frozen=True)
class _Row:
    pk: int
    project_id: int
    region: str
    department_id: int | None
    level: int
    target: int
    status: str
    description: str


def _candidates(today: dt.date) -> list[_Row]:
    """Unresolved problems past their deadline that are not yet at province level."""
    policies = policies_by_region()
    rows = []
    for pk, project_id, region, department_id, deadline, level, status, description in (
        Problem.objects.filter(
            status__in=[ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS],
            deadline__lt=today,
            escalation_level__lt=EscalationLevel.PROVINCE,
        )
        .order_by("pk")
        .values_list(
            "pk",
            "project_id",
            "project__region_id",
            "department_id",
            "deadline",
            "escalation_level",
            "status",
            "description",
        )
        .iterator(chunk_size=2000)
    ):
        target = escalation.escalation_target(
            deadline=deadline,
            today=today,
            current=level,
            policy=escalation.policy_for(region, policies),
        )
        rows.append(_Row(pk, project_id, region, department_id, level, target, status, description))
    return rows


@transaction.atomic
def problems_escalate(
    *, today: dt.date, actor: User | None = None, source: AuditSource = AuditSource.SYSTEM
) -> EscalationResult:
    """Raise every overdue unresolved problem to the level its region's policy gives today."""
    rows = _candidates(today)
    result = EscalationResult(checked=len(rows))
    moved = [row for row in rows if row.target > row.level]
    if not moved:
        return result
    now = timezone.now()
    by_target: dict[int, list[_Row]] = defaultdict(list)
    for row in moved:
        by_target[row.target].append(row)
    for level, group in by_target.items():
        ids = [row.pk for row in group]
        for start in range(0, len(ids), CHUNK):
            Problem.objects.filter(pk__in=ids[start : start + CHUNK]).update(
                escalation_level=level, escalated_at=now, version=F("version") + 1
            )
        result.by_level[level] = len(group)
    _record(moved, actor=actor, source=source)
    result.notified = _notify(moved)
    return result


def _record(moved: list[_Row], *, actor: User | None, source: AuditSource) -> None:
    events, audits = [], []
    labels = {level: str(label) for level, label in EscalationLevel.choices}
    for row in moved:
        comment = _("逾期未办结，由%(before)s升级为%(after)s。") % {
            "before": labels[row.level],
            "after": labels[row.target],
        }
        events.append(
            ProblemEvent(
                problem_id=row.pk,
                action=ProblemAction.ESCALATE,
                from_status=row.status,
                to_status=row.status,
                comment=comment,
                actor=actor,
            )
        )
        audits.append(
            audit_event(
                actor=actor,
                source=source,
                action=AuditAction.UPDATE,
                obj=Problem(pk=row.pk),
                summary=_("问题升级督办：%s") % row.description[:80],
                changes={
                    "escalation_level": {
                        "label": str(_("督办级别")),
                        "before": labels[row.level],
                        "after": labels[row.target],
                    }
                },
                project_id=row.project_id,
            )
        )
    ProblemEvent.objects.bulk_create(events, batch_size=CHUNK)
    AuditEvent.objects.bulk_create(audits, batch_size=CHUNK)


def _notify(moved: list[_Row]) -> int:
    """One notification per department and per supervising region and level."""
    from cornerstone.accounts.models import User

    per_department: dict[int, int] = defaultdict(int)
    per_region: dict[tuple[str, int], int] = defaultdict(int)
    for row in moved:
        if row.department_id is not None:
            per_department[row.department_id] += 1
        per_region[(escalation.supervising_region(row.region, row.target), row.target)] += 1
    department_users: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(department_id__in=per_department, is_active=True):
        assert user.department_id is not None
        department_users[user.department_id].append(user)
    admins: dict[str, list[User]] = defaultdict(list)
    regions = {code for code, _level in per_region}
    for user in User.objects.filter(role=Role.ADMIN, region_id__in=regions, is_active=True):
        assert user.region_id is not None
        admins[user.region_id].append(user)
    url = reverse("problems:list") + "?overdue=1&sort=-level"
    labels = dict(EscalationLevel.choices)
    sent = 0
    for department_id, count in per_department.items():
        users = department_users.get(department_id, [])
        if users:
            sent += notification_send(
                users=users,
                title=_("%d个问题逾期未办结，已升级督办") % count,
                body=_("请尽快办理并反馈办理结果。"),
                url=url,
            )
    for (code, level), count in per_region.items():
        users = admins.get(code, [])
        if users:
            sent += notification_send(
                users=users,
                title=_("%(count)d个问题升级为%(level)s")
                % {"count": count, "level": labels[level]},
                body=_("逾期未办结的问题已按升级规则提交本级督办。"),
                url=url + f"&level={level}",
            )
    return sent
