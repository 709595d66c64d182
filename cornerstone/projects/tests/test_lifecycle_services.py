"""A project's lifecycle steps: completing, waiving, reopening, planning, recomputing stages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.projects.choices import StepStatus
from cornerstone.projects.lifecycle_services import (
    project_stages_recompute,
    project_step_complete,
    project_step_plan,
    project_step_reopen,
    project_step_waive,
)
from cornerstone.projects.models import Project, ProjectStep, Stage, StepDefinition
from cornerstone.projects.queries import project_timeline
from cornerstone.projects.tests.lifecycle_helpers import (
    NON_WRITERS,
    TODAY,
    assert_stages_follow_the_rules,
    complete,
    settle,
    stage_code,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(frozen_today):
    pass


# The seeded lifecycle


def test_the_default_lifecycle_is_seeded_as_five_stages_and_thirteen_steps():
    names = [s.name for s in Stage.objects.order_by("order")]
    assert names == ["谋划储备", "立项", "要件审批", "实施建设", "投产运营"]
    assert StepDefinition.objects.count() == 13
    assert set(StepDefinition.objects.filter(optional=True).values_list("code", flat=True)) == {
        "signing"
    }
    milestones = dict(StepDefinition.objects.exclude(milestone="").values_list("milestone", "code"))
    assert milestones == {
        "signing": "signing",
        "start": "start",
        "completion": "completion",
        "production": "production",
        "capacity": "capacity",
    }


# Completing, waiving, reopening, planning


def test_completing_steps_in_order_moves_the_project_through_the_stages(cast, ledger, steps):
    project = ledger.xiaodian
    actor = cast.xiaodian_admin
    assert stage_code(project) == "planning"
    complete(project, steps, "conception", actor=actor)
    assert stage_code(project) == "planning"
    complete(project, steps, "reserve", actor=actor)
    assert stage_code(project) == "establishment"  # signing is optional
    complete(project, steps, "feasibility", "approval", actor=actor)
    assert stage_code(project) == "permits"
    complete(
        project, steps, "land", "planning_permit", "environment", "construction_permit", actor=actor
    )
    assert stage_code(project) == "construction"
    complete(project, steps, "start", "completion", actor=actor)
    assert stage_code(project) == "operation"
    complete(project, steps, "production", "capacity", actor=actor)
    assert stage_code(project) == "operation"


def test_each_transition_is_audited_with_the_step_and_the_project_changes(cast, ledger, steps):
    step = project_step_complete(
        actor=cast.xiaodian_admin,
        project=ledger.xiaodian,
        definition=steps["conception"],
        actual_date=dt.date(2026, 3, 1),
        note="谋划方案已报送",
        source=AuditSource.API,
    )
    complete(ledger.xiaodian, steps, "reserve", actor=cast.xiaodian_admin)
    first, second = AuditEvent.objects.filter(project_id=ledger.xiaodian.pk).order_by("id")
    assert (first.action, first.source, first.actor) == (
        AuditAction.TRANSITION,
        AuditSource.API,
        cast.xiaodian_admin,
    )
    assert (first.object_type, first.object_id) == ("projects.projectstep", str(step.pk))
    assert first.changes["step.status"] == {"label": "状态", "before": "未开始", "after": "已完成"}
    assert first.changes["step.actual_date"]["after"] == "2026-03-01"
    assert first.changes["step.note"]["after"] == "谋划方案已报送"
    assert "stage" not in first.changes
    assert second.changes["stage"]["before"].startswith("谋划储备")
    assert second.changes["stage"]["after"].startswith("立项")


def test_a_step_cannot_be_completed_in_the_future(cast, ledger, steps):
    with pytest.raises(ValidationError) as excinfo:
        project_step_complete(
            actor=cast.xiaodian_admin,
            project=ledger.xiaodian,
            definition=steps["conception"],
            actual_date=TODAY + dt.timedelta(days=1),
        )
    assert "2026-11-24" in excinfo.value.message_dict["actual_date"][0]
    assert not ProjectStep.objects.exists()
    assert not AuditEvent.objects.exists()
    complete(ledger.xiaodian, steps, "conception", actor=cast.xiaodian_admin, day=TODAY)


def test_today_is_the_local_day_not_the_utc_one(cast, ledger, steps, time_machine):
    # 17:30 UTC on the 24th is 01:30 on the 25th in China.
    time_machine.move_to(dt.datetime(2026, 11, 24, 17, 30, tzinfo=dt.UTC), tick=False)
    complete(
        ledger.xiaodian, steps, "conception", actor=cast.xiaodian_admin, day=dt.date(2026, 11, 25)
    )
    assert ProjectStep.objects.get().actual_date == dt.date(2026, 11, 25)


def test_a_step_cannot_be_completed_before_the_required_steps_ahead_of_it(cast, ledger, steps):
    complete(ledger.xiaodian, steps, "conception", actor=cast.xiaodian_admin)
    with pytest.raises(ValidationError) as excinfo:
        complete(ledger.xiaodian, steps, "approval", actor=cast.xiaodian_admin)
    message = excinfo.value.message_dict["definition"][0]
    assert "入库储备" in message and "前期论证/可研" in message
    assert "签约落地" not in message  # optional steps never block
    assert ProjectStep.objects.count() == 1
    assert AuditEvent.objects.count() == 1
    assert stage_code(ledger.xiaodian) == "planning"


def test_a_waived_step_with_its_reason_lets_later_steps_proceed(cast, ledger, steps):
    actor = cast.xiaodian_admin
    complete(ledger.xiaodian, steps, "conception", actor=actor)
    step = project_step_waive(
        actor=actor,
        project=ledger.xiaodian,
        definition=steps["reserve"],
        reason="  省重大项目直接入库  ",
    )
    assert (step.status, step.waiver_reason) == (StepStatus.WAIVED, "省重大项目直接入库")
    assert stage_code(ledger.xiaodian) == "establishment"
    complete(ledger.xiaodian, steps, "feasibility", actor=actor)
    event = AuditEvent.objects.filter(project_id=ledger.xiaodian.pk).order_by("id")[1]
    assert event.action == AuditAction.TRANSITION
    assert "省重大项目直接入库" in event.summary
    assert event.changes["step.waiver_reason"]["after"] == "省重大项目直接入库"


def test_a_waiver_needs_a_reason(cast, ledger, steps):
    with pytest.raises(ValidationError) as excinfo:
        project_step_waive(
            actor=cast.xiaodian_admin,
            project=ledger.xiaodian,
            definition=steps["reserve"],
            reason=" ",
        )
    assert "理由" in excinfo.value.message_dict["waiver_reason"][0]
    assert not ProjectStep.objects.exists()


def test_a_settled_step_is_neither_completed_nor_waived_again(cast, ledger, steps):
    actor = cast.xiaodian_admin
    complete(ledger.xiaodian, steps, "conception", actor=actor)
    with pytest.raises(ValidationError, match="已完成"):
        complete(ledger.xiaodian, steps, "conception", actor=actor)
    with pytest.raises(ValidationError, match="已办结"):
        project_step_waive(
            actor=actor, project=ledger.xiaodian, definition=steps["conception"], reason="重复"
        )
    assert AuditEvent.objects.count() == 1


def test_completing_a_waived_step_clears_the_waiver(cast, ledger, steps):
    actor = cast.xiaodian_admin
    project_step_waive(
        actor=actor, project=ledger.xiaodian, definition=steps["conception"], reason="补"
    )
    step = project_step_complete(
        actor=actor, project=ledger.xiaodian, definition=steps["conception"], actual_date=TODAY
    )
    assert (step.status, step.waiver_reason) == (StepStatus.DONE, "")


def test_milestone_steps_set_the_projects_key_dates_and_reopening_clears_them(cast, ledger, steps):
    actor, project = cast.xiaodian_admin, ledger.xiaodian
    settle(project, "conception", "reserve")
    complete(project, steps, "signing", actor=actor, day=dt.date(2026, 1, 8))
    settle(project, "feasibility", "approval", "land", "planning_permit", "environment")
    settle(project, "construction_permit")
    days = {
        "start": dt.date(2026, 2, 1),
        "completion": dt.date(2026, 6, 1),
        "production": dt.date(2026, 7, 1),
        "capacity": dt.date(2026, 10, 1),
    }
    for code, day in days.items():
        complete(project, steps, code, actor=actor, day=day)
    project.refresh_from_db()
    assert (
        project.signed_date,
        project.actual_start_date,
        project.actual_completion_date,
        project.actual_production_date,
        project.capacity_reached_date,
    ) == (dt.date(2026, 1, 8), *days.values())
    step = project_step_reopen(
        actor=actor, project=project, definition=steps["capacity"], reason="达产数据有误"
    )
    assert (step.status, step.actual_date, step.note) == (StepStatus.PENDING, None, "达产数据有误")
    project.refresh_from_db()
    assert project.capacity_reached_date is None
    assert project.actual_production_date == days["production"]
    event = AuditEvent.objects.filter(project_id=project.pk).latest("id")
    assert event.changes["capacity_reached_date"] == {
        "label": "达产日期",
        "before": "2026-10-01",
        "after": None,
    }


def test_reopening_the_furthest_step_moves_the_stage_back(cast, ledger, steps):
    actor, project = cast.xiaodian_admin, ledger.xiaodian
    complete(project, steps, "conception", "reserve", actor=actor)
    assert stage_code(project) == "establishment"
    project_step_plan(
        actor=actor, project=project, definition=steps["reserve"], planned_date=dt.date(2026, 5, 1)
    )
    step = project_step_reopen(
        actor=actor, project=project, definition=steps["reserve"], reason="误报"
    )
    assert step.status == StepStatus.IN_PROGRESS  # it still has a planned date
    assert stage_code(project) == "planning"


def test_reopening_needs_a_reason_and_a_settled_step(cast, ledger, steps):
    actor = cast.xiaodian_admin
    with pytest.raises(ValidationError, match="尚未办结"):
        project_step_reopen(
            actor=actor, project=ledger.xiaodian, definition=steps["conception"], reason="x"
        )
    complete(ledger.xiaodian, steps, "conception", actor=actor)
    with pytest.raises(ValidationError) as excinfo:
        project_step_reopen(
            actor=actor, project=ledger.xiaodian, definition=steps["conception"], reason=""
        )
    assert "理由" in excinfo.value.message_dict["note"][0]
    assert ProjectStep.objects.get().status == StepStatus.DONE


def test_a_milestone_date_that_breaks_the_projects_dates_is_refused_whole(cast, ledger, steps):
    actor, project = cast.xiaodian_admin, ledger.xiaodian
    settle(
        project, *[c for c in steps if c not in {"start", "completion", "production", "capacity"}]
    )
    complete(project, steps, "start", actor=actor, day=dt.date(2026, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        complete(project, steps, "completion", actor=actor, day=dt.date(2026, 4, 1))
    assert "actual_completion_date" in excinfo.value.message_dict
    project.refresh_from_db()
    assert project.actual_completion_date is None
    assert not ProjectStep.objects.filter(definition=steps["completion"]).exists()


def test_planning_a_step_marks_it_in_progress_and_is_audited_once(cast, ledger, steps):
    actor, project = cast.xiaodian_admin, ledger.xiaodian
    step = project_step_plan(
        actor=actor,
        project=project,
        definition=steps["land"],
        planned_date=dt.date(2027, 3, 1),
        note=" 待土地收储 ",
    )
    assert (step.status, step.planned_date, step.note) == (
        StepStatus.IN_PROGRESS,
        dt.date(2027, 3, 1),
        "待土地收储",
    )
    project_step_plan(
        actor=actor,
        project=project,
        definition=steps["land"],
        planned_date=dt.date(2027, 3, 1),
        note="待土地收储",
    )
    [event] = AuditEvent.objects.filter(project_id=project.pk)
    assert event.action == AuditAction.UPDATE
    assert event.changes["step.planned_date"]["after"] == "2027-03-01"
    step = project_step_plan(
        actor=actor, project=project, definition=steps["land"], planned_date=None
    )
    assert step.status == StepStatus.PENDING
    assert stage_code(project) == "planning"


def test_planning_a_settled_step_keeps_it_settled(cast, ledger, steps):
    complete(ledger.xiaodian, steps, "conception", actor=cast.xiaodian_admin)
    step = project_step_plan(
        actor=cast.xiaodian_admin,
        project=ledger.xiaodian,
        definition=steps["conception"],
        planned_date=None,
    )
    assert step.status == StepStatus.DONE


@pytest.mark.parametrize("who", NON_WRITERS)
def test_readers_cannot_touch_steps(cast, ledger, steps, who):
    actor = getattr(cast, who)
    calls = [
        lambda: project_step_complete(
            actor=actor, project=ledger.xiaodian, definition=steps["conception"], actual_date=TODAY
        ),
        lambda: project_step_waive(
            actor=actor, project=ledger.xiaodian, definition=steps["conception"], reason="x"
        ),
        lambda: project_step_reopen(
            actor=actor, project=ledger.xiaodian, definition=steps["conception"], reason="x"
        ),
        lambda: project_step_plan(
            actor=actor, project=ledger.xiaodian, definition=steps["conception"], planned_date=TODAY
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not ProjectStep.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("who", "project"), [("yingze_admin", "xiaodian"), ("hebei_admin", "pingcheng")]
)
def test_steps_of_a_project_outside_scope_are_reported_missing(cast, ledger, steps, who, project):
    actor, target = getattr(cast, who), getattr(ledger, project)
    with pytest.raises(Project.DoesNotExist):
        complete(target, steps, "conception", actor=actor)
    with pytest.raises(Project.DoesNotExist):
        project_step_plan(actor=actor, project=target, definition=steps["land"], planned_date=TODAY)
    assert not ProjectStep.objects.exists()


def test_the_timeline_shows_every_step_with_its_record_and_the_current_stage(cast, ledger, steps):
    complete(ledger.xiaodian, steps, "conception", "reserve", actor=cast.xiaodian_admin)
    timeline = project_timeline(project=Project.objects.get(pk=ledger.xiaodian.pk))
    assert [t.stage.code for t in timeline if t.current] == ["establishment"]
    assert sum(len(t.steps) for t in timeline) == 13
    first = timeline[0].steps
    assert [s.status for s in first] == [StepStatus.DONE, StepStatus.DONE, StepStatus.PENDING]
    assert first[2].record is None


# Recomputing stages


def test_recompute_puts_every_project_where_the_rules_say_and_audits_each_move(geo, stages):
    planning = stages["planning"]
    projects = [ProjectFactory(region=geo.xiaodian) for _ in range(5)]
    settle(projects[0], "conception", "reserve")
    settle(projects[1], "approval", status=StepStatus.WAIVED)
    settle(projects[2], "capacity")
    settle(projects[3], "conception")
    moved = project_stages_recompute(batch=2, reason="测试")
    assert moved == 3
    assert [stage_code(p) for p in projects] == [
        "establishment",
        "permits",
        "operation",
        "planning",
        "planning",
    ]
    assert_stages_follow_the_rules()
    event = AuditEvent.objects.get(project_id=projects[2].pk)
    assert (event.action, event.source, event.actor) == (
        AuditAction.UPDATE,
        AuditSource.SYSTEM,
        None,
    )
    assert event.changes["stage"]["before"] == f"谋划储备（{planning.pk}）"
    assert "测试" in event.summary and "投产运营" in event.summary
    assert project_stages_recompute() == 0
    assert AuditEvent.objects.count() == 3


def test_recompute_can_be_limited_to_some_projects(geo):
    first, second = ProjectFactory(region=geo.xiaodian), ProjectFactory(region=geo.xiaodian)
    settle(first, "conception", "reserve")
    settle(second, "conception", "reserve")
    assert project_stages_recompute(project_ids=[second.pk]) == 1
    assert (stage_code(first), stage_code(second)) == ("planning", "establishment")


def test_recompute_takes_the_same_number_of_queries_however_many_projects(geo):
    def queries_for(count: int) -> int:
        Project.objects.all().delete()
        for _ in range(count):
            settle(ProjectFactory(region=geo.xiaodian), "conception", "reserve")
        with CaptureQueriesContext(connection) as captured:
            assert project_stages_recompute() == count
        return len(captured)

    assert queries_for(3) == queries_for(40)
