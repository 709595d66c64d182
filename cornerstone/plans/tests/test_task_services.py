"""Task services: links within one project, no cycles, readable errors, nothing half-saved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import DepartmentFactory
from cornerstone.plans.models import Task, TaskDependency
from cornerstone.plans.task_services import (
    PredecessorInput,
    task_create,
    task_delete,
    task_update,
)
from cornerstone.projects.models import Project

pytestmark = pytest.mark.usefixtures("frozen_today")


def _task(actor, project, name, duration=5, predecessors=(), **data):
    return task_create(
        actor=actor,
        project=project,
        data={"name": name, "duration": duration, **data},
        predecessors=list(predecessors),
    )


def _links():
    return sorted(
        (link.predecessor.name, link.task.name, link.kind, link.lag)
        for link in TaskDependency.objects.select_related("task", "predecessor")
    )


def test_tasks_and_links_are_saved_and_audited(cast, ledger, geo):
    admin = cast.xiaodian_admin
    land = _task(admin, ledger.xiaodian, "土地征收", 10, department=geo.xiaodian_dept.pk)
    permit = _task(admin, ledger.xiaodian, "施工许可", 5, [PredecessorInput(land.pk, "FS", "2")])
    _task(admin, ledger.xiaodian, "场地平整", 3, [PredecessorInput(land.pk, "SS", -1)])
    assert _links() == [("土地征收", "场地平整", "SS", -1), ("土地征收", "施工许可", "FS", 2)]
    event = AuditEvent.objects.get(object_type="plans.task", object_id=str(permit.pk))
    assert event.changes["predecessors"]["after"] == "土地征收（FS+2）"
    assert event.project_id == ledger.xiaodian.pk


def test_a_cycle_is_refused_naming_its_tasks(cast, ledger):
    admin = cast.xiaodian_admin
    a = _task(admin, ledger.xiaodian, "甲")
    b = _task(admin, ledger.xiaodian, "乙", predecessors=[PredecessorInput(a.pk)])
    c = _task(admin, ledger.xiaodian, "丙", predecessors=[PredecessorInput(b.pk)])
    before = _links()
    with pytest.raises(ValidationError) as caught:
        task_update(
            actor=admin, task=a, data={"duration": 7}, predecessors=[PredecessorInput(c.pk)]
        )
    message = caught.value.message_dict["predecessors"][0]
    assert "循环" in message and all(name in message for name in "甲乙丙")
    assert _links() == before
    assert Task.objects.get(pk=a.pk).duration == 5  # the duration change went with it


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (lambda own, other: PredecessorInput(own.pk), "不能依赖自身"),
        (lambda own, other: PredecessorInput(other.pk), "不属于本项目"),
        (lambda own, other: PredecessorInput("abc"), "不是任务编号"),
    ],
)
def test_bad_predecessors_are_named(cast, ledger, given, expected):
    admin = cast.xiaodian_admin
    own = _task(admin, ledger.xiaodian, "甲")
    other = _task(cast.yingze_admin, ledger.yingze, "别的项目的任务")
    with pytest.raises(ValidationError) as caught:
        task_update(actor=admin, task=own, data={}, predecessors=[given(own, other)])
    assert expected in caught.value.message_dict["predecessors"][0]
    assert not TaskDependency.objects.exists()


def test_an_unknown_link_type_is_refused(cast, ledger):
    admin = cast.xiaodian_admin
    a = _task(admin, ledger.xiaodian, "甲")
    with pytest.raises(ValidationError) as caught:
        _task(admin, ledger.xiaodian, "乙", predecessors=[PredecessorInput(a.pk, "XX")])
    assert "依赖类型“XX”无效" in caught.value.message_dict["predecessors"][0]
    assert Task.objects.count() == 1


def test_a_lag_that_is_not_a_number_is_refused(cast, ledger):
    admin = cast.xiaodian_admin
    a = _task(admin, ledger.xiaodian, "甲")
    with pytest.raises(ValidationError) as caught:
        _task(admin, ledger.xiaodian, "乙", predecessors=[PredecessorInput(a.pk, "FS", "两天")])
    assert "间隔“两天”不是整数" in caught.value.message_dict["predecessors"][0]
    assert Task.objects.count() == 1


def test_actual_dates_are_checked(cast, ledger):
    admin = cast.xiaodian_admin
    with pytest.raises(ValidationError) as caught:
        _task(admin, ledger.xiaodian, "甲", actual_finish="2026-11-01")
    assert "actual_start" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _task(admin, ledger.xiaodian, "甲", actual_start="2026-11-25")
    assert caught.value.message_dict["actual_start"] == ["实际开始日期不能晚于今天。"]
    with pytest.raises(ValidationError) as caught:
        _task(admin, ledger.xiaodian, "甲", actual_start="2026-11-10", actual_finish="2026-11-01")
    assert "actual_finish" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _task(admin, ledger.xiaodian, "甲", duration=-3)
    assert "duration" in caught.value.message_dict
    assert not Task.objects.exists()


def test_a_department_from_elsewhere_is_refused(cast, ledger, geo):
    datong_dept = DepartmentFactory(name="大同市住建局", region=geo.datong)
    taiyuan_dept = DepartmentFactory(name="太原市住建局", region=geo.taiyuan)
    with pytest.raises(ValidationError) as caught:
        _task(cast.xiaodian_admin, ledger.xiaodian, "甲", department=datong_dept.pk)
    assert "department" in caught.value.message_dict
    # A department of the city above the project's county answers for it too.
    task = _task(cast.xiaodian_admin, ledger.xiaodian, "甲", department=taiyuan_dept.pk)
    assert task.department == taiyuan_dept


def test_scope_and_role(cast, ledger):
    with pytest.raises(Project.DoesNotExist):
        _task(cast.yingze_admin, ledger.xiaodian, "甲")
    with pytest.raises(PermissionDenied):
        _task(cast.taiyuan_leader, ledger.xiaodian, "甲")
    assert not Task.objects.exists()


def test_deleting_a_task_drops_its_links_and_names_its_successors(cast, ledger):
    admin = cast.xiaodian_admin
    a = _task(admin, ledger.xiaodian, "甲")
    _task(admin, ledger.xiaodian, "乙", predecessors=[PredecessorInput(a.pk)])
    task_delete(actor=admin, task=a)
    assert not TaskDependency.objects.exists()
    event = AuditEvent.objects.get(object_type="plans.task", action="delete")
    assert event.changes["successors"]["before"] == "乙"
