"""Problems and supervision orders through the API: scope, errors in the one shape, audit."""

import datetime as dt

import pytest

from cornerstone.api.tests.conftest import assert_error, message_for
from cornerstone.core.models import AuditEvent
from cornerstone.problems.models import Problem, ProblemEvent, SupervisionOrder
from cornerstone.problems.tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen_today")


def raise_body(geo, **overrides):
    return {
        "category": "land",
        "description": "征地拆迁未完成",
        "department": geo.xiaodian_dept.pk,
        "person": "张三",
        "deadline": "2026-12-10",
    } | overrides


def test_raise_list_and_get(api_as, cast, ledger, geo):
    api = api_as(cast.xiaodian_admin)
    response = api.post(f"/projects/{ledger.xiaodian.pk}/problems", raise_body(geo))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["status"] == "open"
        and body["version"] == 1
        and body["department"]["name"] == "小店区发展和改革局"
    )
    assert [e["action"] for e in body["events"]] == ["raise"]
    assert AuditEvent.objects.filter(source="api", object_type="problems.problem").count() == 1
    listing = api.get("/problems", {"status": "open"}).json()
    assert listing["count"] == 1 and listing["by_status"]["open"] == 1
    assert listing["results"][0]["id"] == body["id"]
    assert api_as(cast.hebei_admin).get("/problems").json()["count"] == 0
    assert_error(api_as(cast.yingze_admin).get(f"/problems/{body['id']}"), 404)


def test_raise_errors_name_the_field_and_store_nothing(api_as, cast, ledger, geo, yingze_dept):
    api = api_as(cast.xiaodian_admin)
    body = assert_error(
        api.post(
            f"/projects/{ledger.xiaodian.pk}/problems", raise_body(geo, deadline="2026-11-01")
        ),
        400,
        "deadline",
    )
    assert "不能早于今天" in message_for(body, "deadline")
    body = assert_error(
        api.post(
            f"/projects/{ledger.xiaodian.pk}/problems", raise_body(geo, department=yingze_dept.pk)
        ),
        400,
        "department",
    )
    assert_error(
        api.post(f"/projects/{ledger.xiaodian.pk}/problems", raise_body(geo, category="x")),
        400,
        "category",
    )
    assert_error(
        api.post(f"/projects/{ledger.xiaodian.pk}/problems", raise_body(geo, colour="red")), 400
    )
    assert_error(
        api_as(cast.taiyuan_leader).post(
            f"/projects/{ledger.xiaodian.pk}/problems", raise_body(geo)
        ),
        403,
    )
    assert_error(
        api_as(cast.hebei_admin).post(f"/projects/{ledger.xiaodian.pk}/problems", raise_body(geo)),
        404,
    )
    assert not Problem.objects.exists()


def test_transitions(api_as, cast, problem):
    dept = api_as(cast.xiaodian_dept)
    url = f"/problems/{problem.pk}/transition"
    body = dept.post(url, {"action": "start", "version": 1}).json()
    assert body["status"] == "in_progress" and body["available_actions"] == ["resolve", "comment"]
    body = assert_error(dept.post(url, {"action": "resolve", "version": 2}), 400, "comment")
    body = assert_error(
        dept.post(url, {"action": "resolve", "comment": "办了", "version": 1}), 409, "version"
    )
    assert_error(dept.post(url, {"action": "verify", "version": 2}), 403)
    body = assert_error(
        api_as(cast.xiaodian_admin).post(url, {"action": "verify", "version": 2}), 400, "action"
    )
    assert "不能“核验销号”" in message_for(body, "action")
    assert_error(dept.post(url, {"action": "explode", "version": 2}), 400, "action")
    assert_error(api_as(cast.hebei_admin).post(url, {"action": "start", "version": 2}), 404)
    events = ProblemEvent.objects.count()
    assert (
        dept.post(url, {"action": "resolve", "comment": "已协调", "version": 2}).json()["status"]
        == "resolved"
    )
    admin = api_as(cast.taiyuan_admin)
    body = admin.post(url, {"action": "reassign", "person": "李四", "version": 3}).json()
    assert (
        body["person"] == "李四" and body["status"] == "resolved" and body["department"] is not None
    )
    body = admin.post(url, {"action": "verify", "comment": "核实", "version": 4}).json()
    assert body["status"] == "verified"
    assert ProblemEvent.objects.count() == events + 3
    assert AuditEvent.objects.filter(source="api", object_type="problems.problem").count() == 4


def test_department_tasks(api_as, cast, geo, problem, yingze_dept):
    rows = api_as(cast.xiaodian_dept).get(f"/departments/{geo.xiaodian_dept.pk}/tasks").json()
    assert [r["id"] for r in rows] == [problem.pk]
    assert_error(api_as(cast.xiaodian_dept).get(f"/departments/{yingze_dept.pk}/tasks"), 404)
    assert_error(api_as(cast.datong_admin).get(f"/departments/{geo.xiaodian_dept.pk}/tasks"), 404)


def test_list_filters_are_validated(api_as, cast, problem):
    api = api_as(cast.taiyuan_admin)
    assert_error(api.get("/problems", {"status": "lost"}), 400, "status")
    assert api.get("/problems", {"overdue": "1"}).json()["count"] == 0
    Problem.objects.filter(pk=problem.pk).update(deadline=TODAY - dt.timedelta(days=2))
    assert api.get("/problems", {"overdue": "1"}).json()["results"][0]["overdue_days"] == 2


def test_orders(api_as, cast, geo, problem):
    admin = api_as(cast.taiyuan_admin)
    order_body = {
        "problem": problem.pk,
        "recipient": "department",
        "department": geo.xiaodian_dept.pk,
        "subject": "督办",
        "content": "请尽快",
        "response_deadline": "2026-12-01",
    }
    body = assert_error(admin.post("/orders", order_body), 400, "problem")
    assert "已升级督办" in message_for(body, "problem")
    Problem.objects.filter(pk=problem.pk).update(escalation_level=2)
    assert_error(api_as(cast.taiyuan_leader).post("/orders", order_body), 403)
    assert_error(api_as(cast.datong_admin).post("/orders", order_body), 404)
    assert_error(
        admin.post("/orders", order_body | {"response_deadline": "2026-01-01"}),
        400,
        "response_deadline",
    )
    assert not SupervisionOrder.objects.exists()
    response = admin.post("/orders", order_body)
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["number"] == "督〔2026〕1号" and order["issuing_region"] == "140100"
    assert api_as(cast.taiyuan_leader).get("/orders", {"status": "issued"}).json()["count"] == 1
    assert api_as(cast.datong_admin).get("/orders").json()["count"] == 0
    assert_error(api_as(cast.owner).get(f"/orders/{order['id']}"), 404)  # sent to a department
    assert_error(admin.post(f"/orders/{order['id']}/close", {"closing_note": "好"}), 400, "status")
    assert_error(admin.post(f"/orders/{order['id']}/respond", {"response": "x"}), 403)
    answered = (
        api_as(cast.xiaodian_dept)
        .post(f"/orders/{order['id']}/respond", {"response": "已办理"})
        .json()
    )
    assert answered["status"] == "answered" and answered["response"] == "已办理"
    closed = admin.post(f"/orders/{order['id']}/close", {"closing_note": "同意"}).json()
    assert closed["status"] == "closed"
    assert (
        AuditEvent.objects.filter(source="api", object_type="problems.supervisionorder").count()
        == 3
    )


def test_list_query_count(api_as, cast, ledger, geo, django_assert_max_num_queries):
    Problem.objects.bulk_create(
        [
            Problem(
                project=ledger.xiaodian,
                category="land",
                description=f"问题{i}",
                department=geo.xiaodian_dept,
            )
            for i in range(80)
        ]
    )
    api = api_as(cast.taiyuan_admin)
    with django_assert_max_num_queries(6):
        body = api.get("/problems", {"page_size": 50}).json()
    assert body["count"] == 80 and len(body["results"]) == 50
