"""Supervision orders: issued from an escalated problem or a red light, numbered per
issuing region and year, answered by the recipient, closed by an admin."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cornerstone.alerts.models import ProjectLight
from cornerstone.core.models import AuditEvent, Notification
from cornerstone.problems import order_services
from cornerstone.problems.models import Problem, SupervisionOrder
from cornerstone.problems.tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen_today")


def order_data(**overrides):
    return {
        "kind": "supervision",
        "recipient": "department",
        "subject": "用地指标督办",
        "content": "请于一周内落实用地指标并反馈。",
        "response_deadline": TODAY + dt.timedelta(days=7),
    } | overrides


@pytest.fixture
def escalated(problem):
    Problem.objects.filter(pk=problem.pk).update(escalation_level=1)
    problem.refresh_from_db()
    return problem


@pytest.fixture
def red_light(ledger):
    return ProjectLight.objects.create(
        project=ledger.xiaodian,
        year=2026,
        month=10,
        colour="red",
        reasons=[{"rule": "progress", "colour": "red", "text": "完成投资低于序时进度60%"}],
        computed_at=timezone.now(),
    )


def test_issuing_from_an_escalated_problem_numbers_audits_and_notifies(
    cast, geo, escalated, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = order_services.order_issue(
            project=escalated.project,
            problem=escalated,
            data=order_data(department=geo.xiaodian_dept.pk),
            actor=cast.taiyuan_admin,
        )
    second = order_services.order_issue(
        project=escalated.project,
        problem=escalated,
        data=order_data(department=geo.xiaodian_dept.pk),
        actor=cast.taiyuan_admin,
    )
    other_region = order_services.order_issue(
        project=escalated.project,
        problem=escalated,
        data=order_data(department=geo.xiaodian_dept.pk),
        actor=cast.xiaodian_admin,
    )
    assert (first.number, second.number) == ("督〔2026〕1号", "督〔2026〕2号")
    assert first.issuing_region == geo.taiyuan and first.status == "issued"
    assert (other_region.issuing_region, other_region.number) == (geo.xiaodian, "督〔2026〕1号")
    assert AuditEvent.objects.filter(object_type="problems.supervisionorder").count() == 3
    note = Notification.objects.get(user=cast.xiaodian_dept)
    assert note.title == "督办单督〔2026〕1号：用地指标督办"
    assert "2026-12-01" in note.body


def test_an_unescalated_problem_cannot_be_supervised(cast, geo, problem):
    with pytest.raises(ValidationError) as caught:
        order_services.order_issue(
            project=problem.project,
            problem=problem,
            data=order_data(department=geo.xiaodian_dept.pk),
            actor=cast.taiyuan_admin,
        )
    assert "已升级督办" in caught.value.message_dict["problem"][0]
    assert not SupervisionOrder.objects.exists()


def test_a_red_light_order_to_the_owner(cast, ledger, red_light):
    order = order_services.order_issue(
        project=ledger.xiaodian,
        light=red_light,
        data=order_data(recipient="owner"),
        actor=cast.xiaodian_admin,
    )
    assert order.light == red_light and order.department is None
    assert Notification.objects.filter(user=cast.owner).exists() is False  # sent on commit only
    red_light.colour = "yellow"
    red_light.save()
    with pytest.raises(ValidationError, match="红灯"):
        order_services.order_issue(
            project=ledger.xiaodian,
            light=red_light,
            data=order_data(recipient="owner"),
            actor=cast.xiaodian_admin,
        )


def test_bad_input_is_reported_per_field_and_nothing_is_stored(cast, geo, escalated, yingze_dept):
    with pytest.raises(ValidationError) as caught:
        order_services.order_issue(
            project=escalated.project,
            problem=escalated,
            data=order_data(
                department=yingze_dept.pk,
                subject="",
                response_deadline=TODAY - dt.timedelta(days=1),
            ),
            actor=cast.taiyuan_admin,
        )
    assert set(caught.value.message_dict) == {"department", "subject", "response_deadline"}
    with pytest.raises(ValidationError) as caught:
        order_services.order_issue(
            project=escalated.project,
            problem=escalated,
            data=order_data(),
            actor=cast.taiyuan_admin,
        )
    assert "须选择责任单位" in caught.value.message_dict["department"][0]
    assert not SupervisionOrder.objects.exists()


@pytest.mark.parametrize(
    "who", ["taiyuan_leader", "xiaodian_dept", "yingze_admin", "hebei_admin", "owner"]
)
def test_only_admins_in_scope_issue(cast, geo, escalated, who):
    with pytest.raises(PermissionDenied):
        order_services.order_issue(
            project=escalated.project,
            problem=escalated,
            data=order_data(department=geo.xiaodian_dept.pk),
            actor=getattr(cast, who),
        )


def test_respond_then_close(cast, geo, escalated, yingze_dept_user):
    order = order_services.order_issue(
        project=escalated.project,
        problem=escalated,
        data=order_data(department=geo.xiaodian_dept.pk),
        actor=cast.taiyuan_admin,
    )
    with pytest.raises(ValidationError, match="须先由督办对象反馈"):
        order_services.order_close(order=order, note="好", actor=cast.taiyuan_admin)
    for outsider in (yingze_dept_user, cast.owner, cast.taiyuan_admin):
        with pytest.raises(PermissionDenied):
            order_services.order_respond(order=order, response="已办", actor=outsider)
    with pytest.raises(ValidationError) as caught:
        order_services.order_respond(order=order, response="  ", actor=cast.xiaodian_dept)
    assert "请填写反馈内容" in caught.value.message_dict["response"][0]
    order = order_services.order_respond(
        order=order, response="指标已落实。", actor=cast.xiaodian_dept
    )
    assert (order.status, order.responded_by) == ("answered", cast.xiaodian_dept)
    with pytest.raises(ValidationError, match="不能再反馈"):
        order_services.order_respond(order=order, response="再次", actor=cast.xiaodian_dept)
    for outsider in (cast.xiaodian_dept, cast.taiyuan_leader, cast.datong_admin):
        with pytest.raises(PermissionDenied):
            order_services.order_close(order=order, note="好", actor=outsider)
    with pytest.raises(ValidationError):
        order_services.order_close(order=order, note="", actor=cast.taiyuan_admin)
    order = order_services.order_close(
        order=order, note="已核实，办结。", actor=cast.xiaodian_admin
    )
    assert order.status == "closed" and order.closing_note == "已核实，办结。"
    order.refresh_from_db()
    assert order.response == "指标已落实。"


def test_owner_recipient_answers(cast, ledger, red_light):
    order = order_services.order_issue(
        project=ledger.xiaodian,
        light=red_light,
        data=order_data(recipient="owner"),
        actor=cast.xiaodian_admin,
    )
    with pytest.raises(PermissionDenied):
        order_services.order_respond(order=order, response="x", actor=cast.xiaodian_dept)
    assert (
        order_services.order_respond(order=order, response="已加快施工。", actor=cast.owner).status
        == "answered"
    )
