"""Reads of plans: milestones completed by their steps, this week's tasks, region totals."""

from decimal import Decimal

import pytest

from cornerstone.plans import services
from cornerstone.plans.choices import MilestoneStatus
from cornerstone.plans.queries import (
    project_milestones,
    project_schedule,
    project_scurve,
    region_monthly_plans,
    region_monthly_totals,
    region_rolling,
    week_task_groups,
    week_tasks,
)
from cornerstone.plans.task_services import PredecessorInput, task_create
from cornerstone.projects import lifecycle_services
from cornerstone.projects.models import StepDefinition

pytestmark = pytest.mark.usefixtures("frozen_today")
D = Decimal


def _task(actor, project, name, duration=5, predecessors=(), **data):
    return task_create(
        actor=actor,
        project=project,
        data={"name": name, "duration": duration, **data},
        predecessors=list(predecessors),
    )


def test_a_milestone_tied_to_a_step_completes_with_it(cast, ledger, frozen_today):
    admin = cast.xiaodian_admin
    first = StepDefinition.objects.order_by("stage__order", "order").first()
    services.milestone_create(
        actor=admin,
        project=ledger.xiaodian,
        data={"name": "项目签约", "target_date": "2026-11-10", "step": first.pk},
    )
    services.milestone_create(
        actor=admin, project=ledger.xiaodian, data={"name": "规划许可", "target_date": "2027-03-01"}
    )
    rows = project_milestones(project=ledger.xiaodian, today=frozen_today)
    assert [r.status for r in rows] == [MilestoneStatus.OVERDUE_OPEN, MilestoneStatus.PENDING]
    lifecycle_services.project_step_complete(
        actor=admin,
        project=ledger.xiaodian,
        definition=first,
        actual_date=frozen_today.replace(day=12),
    )
    rows = project_milestones(project=ledger.xiaodian, today=frozen_today)
    assert rows[0].status == MilestoneStatus.DONE_LATE
    assert rows[0].achieved == frozen_today.replace(day=12)


def test_the_schedule_flags_a_past_deadline_for_an_unstarted_project(cast, ledger, frozen_today):
    admin = cast.xiaodian_admin
    _task(admin, ledger.xiaodian, "甲", 3)
    services.schedule_target_set(actor=admin, project=ledger.xiaodian, deadline="2026-11-01")
    schedule = project_schedule(project=ledger.xiaodian, today=frozen_today)
    assert schedule.deadline_passed_unstarted
    assert not schedule.result.feasible
    assert schedule.result.shortfall > 0


def test_this_weeks_tasks_put_overdue_ones_first_and_stay_in_scope(cast, ledger, geo, frozen_today):
    admin = cast.xiaodian_admin
    dept = geo.xiaodian_dept.pk
    _task(admin, ledger.xiaodian, "后年的任务", 5, deadline="2028-12-31", department=dept)
    later = _task(admin, ledger.xiaodian, "前置很长的任务", 200, department=dept)
    _task(admin, ledger.xiaodian, "明年再做", 5, [PredecessorInput(later.pk)], department=dept)
    _task(admin, ledger.xiaodian, "本周开工", 3, department=dept, person="王伟")
    _task(
        admin,
        ledger.xiaodian,
        "逾期的任务",
        10,
        deadline="2026-11-20",
        department=dept,
        person="李娜",
    )
    _task(admin, ledger.xiaodian, "进行中", 30, actual_start="2026-11-02", person="王伟")
    _task(cast.yingze_admin, ledger.yingze, "迎泽的任务", 3)

    names = [w.task.name for w in week_tasks(actor=admin, today=frozen_today)]
    assert names[0] == "逾期的任务"
    assert "迎泽的任务" not in names and "明年再做" not in names
    assert {"本周开工", "进行中", "后年的任务", "前置很长的任务"} <= set(names)

    # Started work sorts by its start: the task under way since 2 November comes first.
    by_person = week_tasks(actor=admin, today=frozen_today, person="王伟")
    assert [w.task.name for w in by_person] == ["进行中", "本周开工"]
    groups = dict(week_task_groups(week_tasks(actor=admin, today=frozen_today), by="person"))
    assert [w.task.name for w in groups["李娜"]] == ["逾期的任务"]
    assert week_tasks(actor=cast.hebei_admin, today=frozen_today) == []
    taiyuan = {w.task.name for w in week_tasks(actor=cast.taiyuan_admin, today=frozen_today)}
    assert "迎泽的任务" in taiyuan


def test_region_rolling_sums_by_the_regions_below(cast, ledger, geo, frozen_today):
    for actor, project, year, amount in [
        (cast.xiaodian_admin, ledger.xiaodian, 2026, "1200"),
        (cast.xiaodian_admin, ledger.xiaodian, 2027, "2400"),
        (cast.yingze_admin, ledger.yingze, 2026, "600"),
        (cast.xiaodian_admin, ledger.xiaodian, 2025, "999"),  # past: not in the view
        (cast.hebei_admin, ledger.changan, 2026, "5000"),  # another province
    ]:
        services.investment_plan_save(
            actor=actor, project=project, year=year, annual_amount=amount, split_method="even"
        )
    table = region_rolling(actor=cast.taiyuan_admin, region=geo.taiyuan, today=frozen_today)
    assert table.years == [2026, 2027, 2028]
    rows = {r.region.code: (r.projects, r.amounts) for r in table.rows}
    assert rows == {
        "140105": (1, [D("1200"), D("2400"), D(0)]),
        "140106": (1, [D("600"), D(0), D(0)]),
    }
    assert table.total.amounts == [D("1800"), D("2400"), D(0)]
    assert table.total.projects == 2
    # A county admin looking at the city sees only their own county's projects.
    mine = region_rolling(actor=cast.xiaodian_admin, region=geo.taiyuan, today=frozen_today)
    assert mine.total.amounts == [D("1200"), D("2400"), D(0)]


def test_region_monthly_table_and_totals(cast, ledger, geo):
    services.investment_plan_save(
        actor=cast.xiaodian_admin,
        project=ledger.xiaodian,
        year=2026,
        annual_amount="78",
        months=[str(m) for m in range(1, 13)],
    )
    services.investment_plan_save(
        actor=cast.yingze_admin,
        project=ledger.yingze,
        year=2026,
        annual_amount="12",
        split_method="even",
    )
    plans = list(region_monthly_plans(actor=cast.taiyuan_admin, region=geo.taiyuan, year=2026))
    assert [(p.project.name, p.m1, p.m12) for p in plans] == [
        ("年产10万吨高端电子新材料项目", D(1), D(12)),
        ("迎泽区老旧小区改造项目", D(1), D(1)),
    ]
    totals = region_monthly_totals(actor=cast.taiyuan_admin, region=geo.taiyuan, year=2026)
    assert totals[0] == D(2) and totals[11] == D(13) and sum(totals) == D(90)
    assert region_monthly_totals(actor=cast.yingze_admin, region=geo.taiyuan, year=2026)[11] == D(1)


def test_the_s_curve_accumulates_the_plan_and_has_no_actuals_yet(cast, ledger):
    services.investment_plan_save(
        actor=cast.xiaodian_admin,
        project=ledger.xiaodian,
        year=2026,
        annual_amount="78",
        months=[str(m) for m in range(1, 13)],
    )
    curve = project_scurve(project=ledger.xiaodian, year=2026)
    assert curve.plan[:3] == [D(1), D(3), D(6)] and curve.plan[-1] == D(78)
    assert curve.actual == [None] * 12
    assert curve.months[0] == "2026-01"
