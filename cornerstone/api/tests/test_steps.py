"""The lifecycle through the API: timeline, complete, waive, reopen, plan; order and date rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cornerstone.api.tests.conftest import assert_error, database_state, message_for
from cornerstone.core.models import AuditEvent
from cornerstone.projects.models import Project, ProjectStep

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=n)).isoformat()


def steps_url(project: Project, code: str = "", action: str = "") -> str:
    url = f"/projects/{project.pk}/steps"
    return f"{url}/{code}/{action}" if code else url


def test_timeline_lists_every_stage_and_step(api_as, cast, ledger):
    response = api_as(cast.taiyuan_leader).get(steps_url(ledger.xiaodian))
    assert response.status_code == 200
    stages = response.json()
    assert [s["code"] for s in stages] == [
        "planning",
        "establishment",
        "permits",
        "construction",
        "operation",
    ]
    assert [s["current"] for s in stages] == [True, False, False, False, False]
    assert sum(len(s["steps"]) for s in stages) == 13
    first = stages[0]["steps"][0]
    assert first == {
        "code": "conception",
        "name": "项目谋划",
        "optional": False,
        "milestone": "",
        "status": "pending",
        "status_label": "未开始",
        "planned_date": None,
        "actual_date": None,
        "note": "",
        "waiver_reason": "",
        "evidence": [],
    }


def test_complete_in_order_moves_the_stage(api_as, cast, ledger):
    api = api_as(cast.xiaodian_admin)
    project = ledger.xiaodian
    first = api.post(steps_url(project, "conception", "complete"), {"actual_date": days_ago(30)})
    assert first.status_code == 200, first.content
    assert first.json()["step"]["status"] == "done"
    assert first.json()["project_stage"]["code"] == "planning"
    second = api.post(
        steps_url(project, "reserve", "complete"), {"actual_date": days_ago(10), "note": "已入库"}
    )
    assert second.status_code == 200, second.content
    body = second.json()
    assert body["step"]["actual_date"] == days_ago(10)
    assert body["step"]["note"] == "已入库"
    waived = api.post(steps_url(project, "signing", "waive"), {"reason": "政府投资项目，无需签约"})
    assert waived.status_code == 200, waived.content
    assert waived.json()["project_stage"]["code"] == "establishment"
    project.refresh_from_db()
    assert project.stage.code == "establishment"
    transitions = AuditEvent.objects.filter(project_id=project.pk, action="transition")
    assert transitions.count() == 3
    assert {(a.source, a.actor) for a in transitions} == {("api", cast.xiaodian_admin)}


def test_milestone_step_sets_the_projects_date(api_as, cast, ledger):
    api = api_as(cast.xiaodian_admin)
    for code in ("conception", "reserve"):
        done = api.post(steps_url(ledger.xiaodian, code, "complete"), {"actual_date": days_ago(9)})
        assert done.status_code == 200, done.content
    response = api.post(
        steps_url(ledger.xiaodian, "signing", "complete"), {"actual_date": days_ago(3)}
    )
    assert response.status_code == 200, response.content
    ledger.xiaodian.refresh_from_db()
    assert ledger.xiaodian.signed_date == timezone.localdate() - dt.timedelta(days=3)


def test_step_out_of_order_is_400_naming_the_step(api_as, cast, ledger):
    before = database_state()
    response = api_as(cast.xiaodian_admin).post(
        steps_url(ledger.xiaodian, "approval", "complete"), {"actual_date": days_ago(1)}
    )
    body = assert_error(response, 400, "step_code")
    assert message_for(body, "step_code").startswith("请先完成或豁免前序必经环节：项目谋划、")
    assert database_state() == before
    ledger.xiaodian.refresh_from_db()
    assert ledger.xiaodian.stage.code == "planning"


def test_step_in_the_future_is_400_naming_the_date(api_as, cast, ledger):
    before = database_state()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = api_as(cast.xiaodian_admin).post(
        steps_url(ledger.xiaodian, "conception", "complete"), {"actual_date": tomorrow}
    )
    body = assert_error(response, 400, "actual_date")
    assert message_for(body, "actual_date").startswith("实际完成日期不能晚于今天")
    assert database_state() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "actual_date"),
        ({"actual_date": "yesterday"}, "actual_date"),
        ({"actual_date": days_ago(1), "extra": 1}, "extra"),
        ({"actual_date": days_ago(1), "note": "长" * 501}, "note"),
    ],
)
def test_bad_completion_body(api_as, cast, ledger, payload, field):
    before = database_state()
    response = api_as(cast.xiaodian_admin).post(
        steps_url(ledger.xiaodian, "conception", "complete"), payload
    )
    assert_error(response, 400, field)
    assert database_state() == before


def test_completing_twice_is_400(api_as, cast, ledger):
    api = api_as(cast.xiaodian_admin)
    url = steps_url(ledger.xiaodian, "conception", "complete")
    assert api.post(url, {"actual_date": days_ago(2)}).status_code == 200
    before = database_state()
    body = assert_error(api.post(url, {"actual_date": days_ago(1)}), 400, "step_code")
    assert message_for(body, "step_code") == "环节“项目谋划”已完成。"
    assert database_state() == before


def test_waive_then_reopen(api_as, cast, ledger):
    api = api_as(cast.xiaodian_admin)
    project = ledger.xiaodian
    waived = api.post(steps_url(project, "conception", "waive"), {"reason": "上级统一谋划"})
    assert waived.status_code == 200, waived.content
    assert waived.json()["step"]["status"] == "waived"
    assert waived.json()["step"]["waiver_reason"] == "上级统一谋划"
    reopened = api.post(steps_url(project, "conception", "reopen"), {"reason": "误操作"})
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["step"]["status"] == "pending"
    assert reopened.json()["step"]["note"] == "误操作"
    sources = set(AuditEvent.objects.filter(project_id=project.pk).values_list("source", flat=True))
    assert sources == {"api"}


def test_waive_and_reopen_need_a_reason(api_as, cast, ledger):
    api = api_as(cast.xiaodian_admin)
    project = ledger.xiaodian
    before = database_state()
    body = assert_error(api.post(steps_url(project, "conception", "waive"), {"reason": " "}), 400)
    assert body["errors"] == [{"field": "reason", "message": "豁免环节必须说明理由。"}]
    assert_error(api.post(steps_url(project, "conception", "waive"), {}), 400, "reason")
    body = assert_error(api.post(steps_url(project, "conception", "reopen"), {"reason": ""}), 400)
    assert body["errors"] == [{"field": "reason", "message": "撤销办结必须说明理由。"}]
    assert database_state() == before


def test_reopen_of_an_open_step_is_400(api_as, cast, ledger):
    response = api_as(cast.xiaodian_admin).post(
        steps_url(ledger.xiaodian, "conception", "reopen"), {"reason": "更正"}
    )
    assert message_for(assert_error(response, 400, "step_code"), "step_code") == (
        "环节“项目谋划”尚未办结。"
    )


def test_plan_sets_and_clears_the_planned_date(api_as, cast, ledger):
    api = api_as(cast.xiaodian_admin)
    url = steps_url(ledger.xiaodian, "feasibility", "plan")
    planned = api.post(url, {"planned_date": "2027-03-31", "note": "委托设计院"})
    assert planned.status_code == 200, planned.content
    assert planned.json()["step"]["status"] == "in_progress"
    assert planned.json()["step"]["planned_date"] == "2027-03-31"
    cleared = api.post(url, {"planned_date": None})
    assert cleared.json()["step"]["status"] == "pending"
    step = ProjectStep.objects.get(project=ledger.xiaodian, definition__code="feasibility")
    assert step.planned_date is None


def test_unknown_step_is_404(api_as, cast, ledger):
    response = api_as(cast.xiaodian_admin).post(
        steps_url(ledger.xiaodian, "moon-landing", "complete"), {"actual_date": days_ago(1)}
    )
    assert_error(response, 404)


@pytest.mark.parametrize(
    ("action", "payload"),
    [
        ("complete", {"actual_date": days_ago(1)}),
        ("waive", {"reason": "理由"}),
        ("reopen", {"reason": "理由"}),
        ("plan", {"planned_date": "2027-01-01"}),
    ],
)
def test_step_writes_out_of_scope_are_404_and_by_readers_403(api_as, cast, ledger, action, payload):
    before = database_state()
    url = steps_url(ledger.xiaodian, "conception", action)
    for outsider in (cast.yingze_admin, cast.datong_admin, cast.hebei_admin):
        assert api_as(outsider).post(url, payload).json() == {"detail": "未找到", "errors": []}
    for reader in (cast.taiyuan_leader, cast.evaluator, cast.owner):
        assert_error(api_as(reader).post(url, payload), 403)
    assert database_state() == before


def test_timeline_out_of_scope_is_404(api_as, cast, ledger):
    assert_error(api_as(cast.datong_admin).get(steps_url(ledger.xiaodian)), 404)
    assert_error(api_as(cast.owner).get(steps_url(ledger.yingze)), 404)
