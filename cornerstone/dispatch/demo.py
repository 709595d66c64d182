"""Demo dispatch: one held province meeting with its agenda and a few decisions.

Written through the services (a meeting is a handful of rows), so the agenda, the tasks
and problems the decisions create, and the audit rows are exactly what a person's clicks
would leave. Briefing files are not generated here.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.core.choices import AuditSource
from cornerstone.dispatch import services
from cornerstone.dispatch.choices import DecisionOutcome, MeetingStatus
from cornerstone.geo.choices import RegionLevel
from cornerstone.problems.choices import ProblemCategory

DECISIONS = [
    ("倒排工期，月底前完成主体结构施工节点", DecisionOutcome.TASK, ""),
    ("协调自然资源部门加快用地报批", DecisionOutcome.PROBLEM, ProblemCategory.LAND),
    ("督促业主单位落实配套资金", DecisionOutcome.PROBLEM, ProblemCategory.FUNDS),
    ("组织专班现场办公，两周内完成设备进场", DecisionOutcome.TASK, ""),
]
PEOPLE = ["王强", "李明", "张伟", "刘洋", "陈静"]


def _province_admin() -> User | None:
    return (
        User.objects.filter(role=Role.ADMIN, is_active=True, region__level=RegionLevel.PROVINCE)
        .order_by("id")
        .first()
    )


@transaction.atomic
def demo_dispatch_load(*, today: dt.date, seed: int) -> int:
    """Create the demo meeting; returns the number of agenda items and decisions made."""
    admin = _province_admin()
    if admin is None or admin.region is None:
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo names, not secrets
    source = AuditSource.COMMAND
    meeting = services.meeting_create(
        actor=admin,
        data={
            "title": f"{admin.region.name}重点项目{today.month}月调度会",
            "region": admin.region_id,
            "date": today,
            "location": "省发展改革委三楼会议室",
        },
        source=source,
    )
    agenda = services.agenda_assemble(actor=admin, meeting=meeting, source=source)
    made = len(agenda)
    for (text, outcome, category), item in zip(DECISIONS, agenda, strict=False):
        services.decision_add(
            actor=admin,
            meeting=meeting,
            data={
                "agenda_item": item.pk,
                "text": text,
                "outcome": outcome,
                "category": category,
                "person": rng.choice(PEOPLE),
                "deadline": today + dt.timedelta(days=rng.choice((14, 21, 30))),
            },
            source=source,
        )
        made += 1
    services.meeting_update(
        actor=admin,
        meeting=meeting,
        data={"minutes": "会议听取了红黄灯项目和升级督办问题的情况汇报，逐项研究议定了推进措施。"},
        source=source,
    )
    services.meeting_move(actor=admin, meeting=meeting, status=MeetingStatus.HELD, source=source)
    return made
