"""Editing the lifecycle definitions: who may, what it changes, and which projects move."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cornerstone.accounts.choices import Role
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import ProjectFactory, UserFactory
from cornerstone.projects import definition_services
from cornerstone.projects.definition_services import (
    stage_move,
    stage_update,
    step_definition_create,
    step_definition_move,
    step_definition_update,
)
from cornerstone.projects.models import Stage, StepDefinition
from cornerstone.projects.tests.lifecycle_helpers import (
    assert_stages_follow_the_rules,
    place,
    settle,
    stage_code,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(frozen_today):
    pass


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

    monkeypatch.setattr(definition_services, "audit_record", fail)
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
