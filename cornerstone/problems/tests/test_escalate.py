"""The nightly escalation: levels by each region's policy, history, audit, notifications,
in a bounded number of queries however many problems are overdue."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cornerstone.core.models import AuditEvent, Notification
from cornerstone.core.testing.factories import UserFactory
from cornerstone.problems.escalation_services import problems_escalate
from cornerstone.problems.models import EscalationPolicy, Problem, ProblemEvent
from cornerstone.problems.tasks import problems_escalate_task
from cornerstone.problems.tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen_today")


def overdue(project, days, *, department=None, status="open", level=0):
    return Problem(
        project=project,
        category="approval",
        description=f"逾期{days}天的问题",
        department=department,
        deadline=TODAY - dt.timedelta(days=days),
        status=status,
        escalation_level=level,
    )


def test_levels_follow_the_default_and_regional_policies(cast, ledger, geo):
    EscalationPolicy.objects.create(region=geo.datong, city_after_days=2, province_after_days=5)
    rows = Problem.objects.bulk_create(
        [
            overdue(ledger.xiaodian, 3, department=geo.xiaodian_dept),  # default: still 一般
            overdue(ledger.xiaodian, 8, department=geo.xiaodian_dept),  # → 市级
            overdue(ledger.xiaodian, 31, department=geo.xiaodian_dept),  # → 省级
            overdue(ledger.pingcheng, 3),  # 大同's policy: → 市级
            overdue(ledger.pingcheng, 5),  # → 省级
            overdue(ledger.xiaodian, 40, status="resolved"),  # resolved: left alone
            overdue(ledger.xiaodian, 10, level=1),  # already 市级: nothing to do
        ]
    )
    result = problems_escalate(today=TODAY)
    levels = dict(Problem.objects.values_list("pk", "escalation_level"))
    assert [levels[p.pk] for p in rows] == [0, 1, 2, 1, 2, 0, 1]
    assert result.by_level == {1: 2, 2: 2}
    moved = Problem.objects.filter(pk__in=[rows[1].pk, rows[2].pk])
    assert all(p.version == 2 and p.escalated_at is not None for p in moved)
    event = ProblemEvent.objects.get(problem=rows[2])
    assert event.action == "escalate" and "由一般升级为省级督办" in event.comment
    assert AuditEvent.objects.filter(object_type="problems.problem", source="system").count() == 4
    # Running again the same day changes nothing.
    assert problems_escalate(today=TODAY).escalated == 0
    assert ProblemEvent.objects.count() == 4


def test_the_department_and_the_supervising_admins_are_told(cast, ledger, geo):
    Problem.objects.bulk_create(
        [
            overdue(ledger.xiaodian, 8, department=geo.xiaodian_dept),
            overdue(ledger.xiaodian, 9, department=geo.xiaodian_dept),
            overdue(ledger.yingze, 35),
        ]
    )
    problems_escalate(today=TODAY)
    titles = dict(Notification.objects.values_list("user__username", "title"))
    assert titles["xiaodian_dept"] == "2个问题逾期未办结，已升级督办"
    assert titles["taiyuan_admin"] == "2个问题升级为市级督办"
    assert titles["province_admin"] == "1个问题升级为省级督办"
    # Neither the county admins nor other cities' admins are told.
    assert not {"xiaodian_admin", "datong_admin", "hebei_admin"} & set(titles)


def test_thousands_of_problems_take_a_bounded_number_of_queries(
    cast, ledger, geo, django_assert_max_num_queries
):
    for i in range(3):
        UserFactory(
            username=f"dept{i}",
            role="department",
            region=geo.xiaodian,
            department=geo.xiaodian_dept,
        )
    Problem.objects.bulk_create(
        [
            overdue(
                (ledger.xiaodian, ledger.yingze, ledger.pingcheng)[i % 3],
                7 + i % 40,
                department=geo.xiaodian_dept if i % 3 == 0 else None,
            )
            for i in range(1500)
        ]
    )
    # A fixed handful of reads, then writes in batches: SQLite splits a bulk insert by its
    # bound-variable limit (about 140 events a statement), PostgreSQL takes 500 at once.
    with django_assert_max_num_queries(60):
        result = problems_escalate(today=TODAY)
    assert result.escalated == 1500
    assert ProblemEvent.objects.count() == 1500
    assert not Problem.objects.filter(escalation_level=0).exists()


def test_the_command_and_the_task(cast, ledger):
    Problem.objects.bulk_create([overdue(ledger.xiaodian, 8), overdue(ledger.yingze, 40)])
    out = StringIO()
    call_command("problems_escalate", "--date", "2026-11-24", stdout=out)
    assert "升为市级督办 1 个、省级督办 1 个" in out.getvalue()
    assert AuditEvent.objects.filter(source="command").count() == 2
    with pytest.raises(CommandError, match="日期“2026-13-01”无效"):
        call_command("problems_escalate", "--date", "2026-13-01")
    Problem.objects.bulk_create([overdue(ledger.pingcheng, 9)])
    outcome = problems_escalate_task.enqueue("2026-11-24")
    assert outcome.return_value == {"checked": 2, "city": 1, "province": 0, "notified": 1}
