"""A project's lifecycle steps, and the province admin's editing of the definitions."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cornerstone.accounts.choices import Role
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import ProjectFactory, UserFactory
from cornerstone.projects import lifecycle_services
from cornerstone.projects.choices import StepStatus
from cornerstone.projects.lifecycle import current_stage_id
from cornerstone.projects.lifecycle_services import (
    project_stages_recompute,
    project_step_complete,
    project_step_plan,
    project_step_reopen,
    project_step_waive,
    stage_move,
    stage_update,
    step_definition_create,
    step_definition_move,
    step_definition_update,
)
from cornerstone.projects.models import Project, ProjectStep, Stage, StepDefinition
from cornerstone.projects.queries import lifecycle_rules, project_timeline

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 24)
NON_WRITERS = ["taiyuan_leader", "xiaodian_dept", "evaluator", "owner"]


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def steps():
    """The seeded step definitions by code."""
    return {d.code: d for d in StepDefinition.objects.all()}


@pytest.fixture
def stages():
    return {s.code: s for s in Stage.objects.all()}


def stage_code(project: Project) -> str:
    return Project.objects.select_related("stage").get(pk=project.pk).stage.code


def settle(project, *codes, status=StepStatus.DONE):
    """Record steps directly (test set-up that bypasses the order rules)."""
    for code in codes:
        ProjectStep.objects.update_or_create(
            project=project,
            definition=StepDefinition.objects.get(code=code),
            defaults={"status": status, "actual_date": TODAY},
        )


def place(*projects):
    """Put projects in the stage their steps give, silently (test set-up, no audit)."""
    rules = lifecycle_rules()
    for project in projects:
        statuses = dict(project.steps.values_list("definition_id", "status"))
        Project.objects.filter(pk=project.pk).update(stage=current_stage_id(rules, statuses))


def complete(project, steps, *codes, actor, day=TODAY):
    for code in codes:
        project_step_complete(actor=actor, project=project, definition=steps[code], actual_date=day)


def assert_stages_follow_the_rules():
    """Every project sits where lifecycle.current_stage_id puts it."""
    rules = lifecycle_rules()
    for project in Project.objects.all():
        statuses = dict(project.steps.values_list("definition_id", "status"))
        assert project.stage_id == current_stage_id(rules, statuses), project.name


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


# Editing the definitions


@pytest.mark.parametrize(
    "who",
    ["taiyuan_admin", "xiaodian_admin", "taiyuan_leader", "xiaodian_dept", "evaluator", "owner"],
)
def test_only_a_province_admin_edits_the_lifecycle(cast, stages, steps, who):
    actor = getattr(cast, who)
    calls = [
        lambda: stage_update(actor=actor, stage=stages["planning"], name="谋划"),
        lambda: stage_move(actor=actor, stage=stages["permits"], offset=-1),
        lambda: step_definition_create(
            actor=actor, stage=stages["permits"], name="节能审查", optional=False
        ),
        lambda: step_definition_update(
            actor=actor, definition=steps["land"], name="用地", optional=True
        ),
        lambda: step_definition_move(actor=actor, definition=steps["land"], offset=1),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert list(Stage.objects.order_by("order").values_list("name", flat=True)) == [
        "谋划储备",
        "立项",
        "要件审批",
        "实施建设",
        "投产运营",
    ]
    assert StepDefinition.objects.count() == 13
    assert not AuditEvent.objects.exists()


def test_a_superuser_edits_the_lifecycle(stages, geo):
    root = UserFactory(username="root", is_superuser=True, role=Role.LEADER, region=None)
    assert stage_update(actor=root, stage=stages["planning"], name="谋划").name == "谋划"


def test_renaming_a_stage_is_audited_without_a_project(cast, stages):
    stage = stage_update(actor=cast.province_admin, stage=stages["permits"], name="  要件办理  ")
    assert Stage.objects.get(pk=stage.pk).name == "要件办理"
    [event] = AuditEvent.objects.all()
    assert (event.object_type, event.object_id, event.project_id) == (
        "projects.stage",
        str(stage.pk),
        None,
    )
    assert event.changes == {"name": {"label": "名称", "before": "要件审批", "after": "要件办理"}}
    stage_update(actor=cast.province_admin, stage=stage, name="要件办理")
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "请填写阶段名称"),
        ("   ", "请填写阶段名称"),
        ("立项", "阶段名称“立项”已被其他阶段使用"),
        ("长" * 33, "阶段名称不能超过32个字"),
    ],
)
def test_a_stage_name_must_be_filled_in_unique_and_short(cast, stages, name, words):
    with pytest.raises(ValidationError) as excinfo:
        stage_update(actor=cast.province_admin, stage=stages["permits"], name=name)
    assert words in excinfo.value.message_dict["name"][0]
    assert Stage.objects.get(pk=stages["permits"].pk).name == "要件审批"
    assert not AuditEvent.objects.exists()


def test_moving_a_stage_swaps_it_with_its_neighbour(cast, stages):
    stage_move(actor=cast.province_admin, stage=stages["permits"], offset=-1)
    assert [s.code for s in Stage.objects.order_by("order")] == [
        "planning",
        "permits",
        "establishment",
        "construction",
        "operation",
    ]
    [event] = AuditEvent.objects.all()
    assert (event.object_type, event.project_id) == ("projects.stage", None)
    assert event.changes["order"] == {"label": "顺序", "before": "3", "after": "2"}
    assert "立项" in event.summary


def test_moving_a_stage_past_either_end_does_nothing(cast, stages):
    stage_move(actor=cast.province_admin, stage=stages["planning"], offset=-1)
    stage_move(actor=cast.province_admin, stage=stages["operation"], offset=1)
    assert [s.order for s in Stage.objects.order_by("id")] == [1, 2, 3, 4, 5]
    assert not AuditEvent.objects.exists()
    with pytest.raises(ValueError):
        stage_move(actor=cast.province_admin, stage=stages["planning"], offset=2)


def test_moving_repairs_duplicate_order_values(cast, stages):
    # Equal order values would make a plain exchange a no-op.
    Stage.objects.filter(code__in=["establishment", "permits"]).update(order=2)
    stage_move(actor=cast.province_admin, stage=stages["permits"], offset=-1)
    assert [s.code for s in Stage.objects.order_by("order")][:3] == [
        "planning",
        "permits",
        "establishment",
    ]
    assert sorted(Stage.objects.values_list("order", flat=True)) == [1, 2, 3, 4, 5]


def test_moving_a_stage_moves_projects_as_the_rules_say(cast, geo, stages):
    after_reserve = ProjectFactory(region=geo.xiaodian, name="已入库")
    settle(after_reserve, "conception", "reserve")
    untouched = ProjectFactory(region=geo.xiaodian, name="未开始")
    building = ProjectFactory(region=geo.xiaodian, name="在建")
    settle(building, "start")
    place(after_reserve, building)
    assert stage_code(after_reserve) == "establishment"
    stage_move(actor=cast.province_admin, stage=stages["permits"], offset=-1)
    # Permits now come straight after the reserve, before the establishment steps.
    assert stage_code(after_reserve) == "permits"
    assert stage_code(untouched) == "planning"
    assert stage_code(building) == "construction"
    assert_stages_follow_the_rules()
    moved = AuditEvent.objects.get(project_id=after_reserve.pk)
    assert (moved.actor, moved.source) == (cast.province_admin, AuditSource.PAGE)
    definition_event = AuditEvent.objects.get(object_type="projects.stage")
    assert definition_event.changes["projects_moved"]["after"] == "1"
    assert "1个项目" in definition_event.summary


def test_a_new_step_is_appended_to_its_stage_with_a_generated_code(cast, stages):
    first = step_definition_create(
        actor=cast.province_admin, stage=stages["permits"], name="  节能审查 ", optional=True
    )
    second = step_definition_create(
        actor=cast.province_admin, stage=stages["permits"], name="Site survey", optional=True
    )
    third = step_definition_create(
        actor=cast.province_admin, stage=stages["permits"], name="site survey!", optional=True
    )
    assert [d.code for d in stages["permits"].steps.order_by("order")] == [
        "land",
        "planning_permit",
        "environment",
        "construction_permit",
        first.code,
        second.code,
        third.code,
    ]
    assert (first.name, first.order, first.milestone) == ("节能审查", 5, "")
    assert second.code == "site-survey"  # an ASCII name gives its slug
    assert first.code.startswith("step_") and third.code.startswith("step_")
    assert len({first.code, third.code}) == 2
    event = AuditEvent.objects.filter(object_id=str(first.pk)).get()
    assert (event.action, event.object_type, event.project_id) == (
        AuditAction.CREATE,
        "projects.stepdefinition",
        None,
    )
    assert event.changes["name"]["after"] == "节能审查"
    assert event.changes["optional"]["after"] == "是"


def test_a_new_step_in_an_empty_stage_comes_first(cast):
    stage = Stage.objects.create(code="extra", name="后评价", order=6)
    assert (
        step_definition_create(
            actor=cast.province_admin, stage=stage, name="后评价", optional=True
        ).order
        == 1
    )


def test_a_given_step_code_is_used_and_must_be_free_and_valid(cast, stages):
    definition = step_definition_create(
        actor=cast.province_admin,
        stage=stages["permits"],
        name="节能审查",
        optional=False,
        code="energy",
    )
    assert definition.code == "energy"
    with pytest.raises(ValidationError) as excinfo:
        step_definition_create(
            actor=cast.province_admin,
            stage=stages["permits"],
            name="水保",
            optional=False,
            code="energy",
        )
    assert "环节代码“energy”已被使用" in excinfo.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as excinfo:
        step_definition_create(
            actor=cast.province_admin,
            stage=stages["permits"],
            name="水保",
            optional=False,
            code="水 保",
        )
    assert excinfo.value.message_dict["code"][0].startswith("代码：")
    assert StepDefinition.objects.count() == 14


@pytest.mark.parametrize(
    ("stage", "name", "words"),
    [
        ("permits", "", "请填写环节名称"),
        ("permits", "用地审批", "环节名称“用地审批”在阶段“要件审批”中已存在"),
        ("permits", "名" * 33, "环节名称不能超过32个字"),
    ],
)
def test_a_step_name_must_be_filled_in_and_unique_in_its_stage(cast, stages, stage, name, words):
    with pytest.raises(ValidationError) as excinfo:
        step_definition_create(
            actor=cast.province_admin, stage=stages[stage], name=name, optional=True
        )
    assert words in excinfo.value.message_dict["name"][0]
    assert StepDefinition.objects.count() == 13
    assert not AuditEvent.objects.exists()


def test_the_same_step_name_may_appear_in_another_stage(cast, stages):
    step_definition_create(
        actor=cast.province_admin, stage=stages["construction"], name="用地审批", optional=True
    )
    assert StepDefinition.objects.filter(name="用地审批").count() == 2


def test_a_new_required_step_moves_back_only_projects_not_past_it(cast, geo, stages):
    waiting = ProjectFactory(region=geo.xiaodian, name="入库待立项")
    settle(waiting, "conception", "reserve")
    past = ProjectFactory(region=geo.xiaodian, name="可研已完成")
    settle(past, "conception", "reserve", "feasibility")
    place(waiting, past)
    assert (stage_code(waiting), stage_code(past)) == ("establishment", "establishment")
    step_definition_create(
        actor=cast.province_admin, stage=stages["planning"], name="招商洽谈", optional=False
    )
    assert (stage_code(waiting), stage_code(past)) == ("planning", "establishment")
    assert_stages_follow_the_rules()
    event = AuditEvent.objects.get(object_type="projects.stepdefinition")
    assert event.changes["projects_moved"]["after"] == "1"


def test_a_new_optional_step_moves_no_project(cast, geo, stages):
    project = ProjectFactory(region=geo.xiaodian)
    settle(project, "conception", "reserve")
    place(project)
    step_definition_create(
        actor=cast.province_admin, stage=stages["planning"], name="招商洽谈", optional=True
    )
    assert stage_code(project) == "establishment"
    assert AuditEvent.objects.get().project_id is None


def test_updating_a_step_renames_it_and_marking_it_optional_moves_projects(cast, geo, steps):
    project = ProjectFactory(region=geo.xiaodian)
    settle(project, "conception", "reserve")
    place(project)
    for code in ("feasibility", "approval"):
        step_definition_update(
            actor=cast.province_admin, definition=steps[code], name=steps[code].name, optional=True
        )
    # With the whole establishment stage optional, the next required step is a permit.
    assert stage_code(project) == "permits"
    assert_stages_follow_the_rules()
    step_definition_update(
        actor=cast.province_admin, definition=steps["land"], name="用地预审", optional=False
    )
    assert StepDefinition.objects.get(pk=steps["land"].pk).name == "用地预审"
    events = list(AuditEvent.objects.filter(object_type="projects.stepdefinition").order_by("id"))
    assert [e.changes.get("projects_moved", {}).get("after") for e in events] == [None, "1", None]
    assert events[0].changes["optional"] == {"label": "可选环节", "before": "否", "after": "是"}
    assert events[2].changes == {
        "name": {"label": "名称", "before": "用地审批", "after": "用地预审"}
    }
    step_definition_update(
        actor=cast.province_admin, definition=steps["land"], name="用地预审", optional=False
    )
    assert AuditEvent.objects.filter(object_type="projects.stepdefinition").count() == 3


def test_a_step_cannot_take_the_name_of_another_in_its_stage(cast, steps):
    with pytest.raises(ValidationError) as excinfo:
        step_definition_update(
            actor=cast.province_admin, definition=steps["land"], name="规划许可", optional=False
        )
    assert "规划许可" in excinfo.value.message_dict["name"][0]
    with pytest.raises(ValidationError):
        step_definition_update(
            actor=cast.province_admin, definition=steps["land"], name=" ", optional=False
        )
    assert StepDefinition.objects.get(pk=steps["land"].pk).name == "用地审批"


def test_moving_a_step_swaps_it_within_its_stage(cast, stages, steps):
    step_definition_move(actor=cast.province_admin, definition=steps["environment"], offset=-1)
    assert [d.code for d in stages["permits"].steps.order_by("order")] == [
        "land",
        "environment",
        "planning_permit",
        "construction_permit",
    ]
    step_definition_move(actor=cast.province_admin, definition=steps["land"], offset=-1)
    step_definition_move(
        actor=cast.province_admin, definition=steps["construction_permit"], offset=1
    )
    assert stages["permits"].steps.order_by("order").first().code == "land"
    assert AuditEvent.objects.count() == 1
    with pytest.raises(ValueError):
        step_definition_move(actor=cast.province_admin, definition=steps["land"], offset=0)


def test_moving_a_required_step_earlier_moves_projects_as_the_rules_say(cast, geo, steps):
    # Only the last permit is settled: the next required step was the start of works.
    project = ProjectFactory(region=geo.xiaodian)
    settle(project, "construction_permit")
    place(project)
    assert stage_code(project) == "construction"
    step_definition_move(
        actor=cast.province_admin, definition=steps["construction_permit"], offset=-1
    )
    # Now the environmental review, still open, comes after it: the project is in permits.
    assert stage_code(project) == "permits"
    assert_stages_follow_the_rules()
    event = AuditEvent.objects.get(project_id=project.pk)
    assert event.changes["stage"]["after"].startswith("要件审批")
    assert "施工许可" in event.summary


def test_a_definition_edit_that_fails_late_leaves_nothing_changed(cast, geo, stages, monkeypatch):
    project = ProjectFactory(region=geo.xiaodian)
    settle(project, "conception", "reserve")
    place(project)

    def fail(**kwargs):
        raise RuntimeError("audit insert failed")

    monkeypatch.setattr(lifecycle_services, "audit_record", fail)
    with pytest.raises(RuntimeError):
        stage_move(actor=cast.province_admin, stage=stages["permits"], offset=-1)
    with pytest.raises(RuntimeError):
        step_definition_create(
            actor=cast.province_admin, stage=stages["planning"], name="招商", optional=False
        )
    assert [s.order for s in Stage.objects.order_by("id")] == [1, 2, 3, 4, 5]
    assert StepDefinition.objects.count() == 13
    assert stage_code(project) == "establishment"
    assert not AuditEvent.objects.exists()
