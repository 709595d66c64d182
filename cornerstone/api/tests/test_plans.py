"""Plans through the API: year plans, milestones, tasks, the schedule; scope, audit, bad input.

"Today" is frozen at Tuesday 2026-11-24 (Asia/Shanghai), a working week with no holiday
near it, so working days can be counted by hand: Nov 24, 25, 26, 27, 30, Dec 1, 2, 3, 4.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cornerstone.api.tests.conftest import Api, assert_error, message_for
from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import DepartmentFactory, ProjectFactory
from cornerstone.plans.models import (
    InvestmentPlan,
    Milestone,
    MonthlyPlan,
    ScheduleTarget,
    Task,
    TaskDependency,
)
from cornerstone.projects.choices import StepStatus
from cornerstone.projects.models import Project, ProjectStep, StepDefinition

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _frozen_today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))


def put(api: Api, path: str, body: Any) -> Any:
    """PUT with the client's token (the shared client has no ``put``)."""
    data = body if isinstance(body, str) else json.dumps(body)
    return api.client.put(
        "/api/v1" + path,
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )


def plans_state() -> tuple[Any, ...]:
    """Every row of the plan tables and the number of audit rows: what a refusal leaves."""
    return (
        list(InvestmentPlan.objects.order_by("pk").values()),
        list(MonthlyPlan.objects.order_by("pk").values()),
        list(Milestone.objects.order_by("pk").values()),
        list(Task.objects.order_by("pk").values()),
        list(TaskDependency.objects.order_by("pk").values()),
        list(ScheduleTarget.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def last_audit(project: Project) -> AuditEvent:
    return AuditEvent.objects.filter(project_id=project.pk).order_by("-id").first()  # type: ignore[return-value]


MONTHS_100 = ["100.00"] * 12


def plan_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"annual_amount": "1200", "months": MONTHS_100}
    body.update(overrides)
    return body


@pytest.fixture
def plan(ledger: Any) -> InvestmentPlan:
    """小店区's 2026 plan: 1,200万元, 100 a month (set up without an audit row)."""
    saved = InvestmentPlan.objects.create(
        project=ledger.xiaodian, year=2026, annual_amount=Decimal("1200")
    )
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(plan=saved, month=m, amount=Decimal(100)) for m in range(1, 13)
    )
    return saved


@pytest.fixture
def milestone(ledger: Any) -> Milestone:
    return Milestone.objects.create(
        project=ledger.xiaodian, name="主体结构封顶", target_date=dt.date(2026, 12, 31)
    )


@pytest.fixture
def yingze_milestone(ledger: Any) -> Milestone:
    return Milestone.objects.create(
        project=ledger.yingze, name="完成拆除", target_date=dt.date(2026, 12, 15)
    )


@pytest.fixture
def network(ledger: Any) -> dict[str, Task]:
    """A → B (2 days) and A → C (5 days), both → D; A takes 3 days. No audit rows.

    From Tue Nov 24: A Nov 24–26, C Nov 27–Dec 3, B Nov 27–30, D Dec 4. The critical
    path is A, C, D; B has 3 working days of float.
    """
    project = ledger.xiaodian
    a = Task.objects.create(project=project, name="场地平整", duration=3)
    b = Task.objects.create(project=project, name="临时用电", duration=2)
    c = Task.objects.create(project=project, name="基础施工", duration=5)
    d = Task.objects.create(project=project, name="基础验收", duration=1)
    TaskDependency.objects.bulk_create(
        [
            TaskDependency(task=b, predecessor=a),
            TaskDependency(task=c, predecessor=a),
            TaskDependency(task=d, predecessor=b),
            TaskDependency(task=d, predecessor=c),
        ]
    )
    return {"a": a, "b": b, "c": c, "d": d}


@pytest.fixture
def yingze_task(ledger: Any) -> Task:
    return Task.objects.create(project=ledger.yingze, name="入户调查", duration=10)


# ---------------------------------------------------------------- investment plans


def test_put_a_year_with_its_months_then_list(api_as, cast, ledger):
    api = api_as(cast.xiaodian_admin)
    project = ledger.xiaodian
    response = put(api, f"/projects/{project.pk}/plans/2026", plan_body())
    assert response.status_code == 200, response.content
    assert response.json() == {
        "year": 2026,
        "annual_amount": "1200.00",
        "split_method": "manual",
        "split_method_label": "逐月填报",
        "override_reason": "",
        "months": MONTHS_100,
    }
    assert put(api, f"/projects/{project.pk}/plans/2025", plan_body()).status_code == 200
    listing = api.get(f"/projects/{project.pk}/plans")
    assert listing.status_code == 200
    body = listing.json()
    assert [y["year"] for y in body["years"]] == [2025, 2026]
    # Past years are history: only this year's plan counts against the total.
    assert {k: v for k, v in body.items() if k != "years"} == {
        "this_year": 2026,
        "total_investment": "150000.00",
        "completed_before_year": "0.00",
        "planned_from_this_year": "1200.00",
        "remaining": "148800.00",
    }
    plan = InvestmentPlan.objects.get(project=project, year=2026)
    assert [m.amount for m in plan.months.order_by("month")] == [Decimal(100)] * 12
    audit = AuditEvent.objects.get(object_type="plans.investmentplan", object_id=str(plan.pk))
    assert (audit.source, audit.action, audit.actor) == ("api", "create", cast.xiaodian_admin)
    assert audit.project_id == project.pk
    assert audit.changes["annual_amount"]["after"] == "1200"


def test_list_without_plans(api_as, cast, ledger):
    body = api_as(cast.taiyuan_leader).get(f"/projects/{ledger.yingze.pk}/plans").json()
    assert body == {
        "this_year": 2026,
        "total_investment": "8000.00",
        "completed_before_year": "0.00",
        "planned_from_this_year": "0.00",
        "remaining": "8000.00",
        "years": [],
    }


def test_even_split_without_months(api_as, cast, ledger):
    response = put(
        api_as(cast.xiaodian_admin),
        f"/projects/{ledger.xiaodian.pk}/plans/2027",
        {"annual_amount": "1000", "split_method": "even"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["split_method"] == "even"
    # 100,000 hundredths over twelve months: the four leftover hundredths go first.
    assert body["months"] == ["83.34"] * 4 + ["83.33"] * 8


def test_split_adjusted_by_hand_is_manual(api_as, cast, ledger):
    months = ["83.34"] * 4 + ["83.33"] * 8
    months[0], months[1] = "80.00", "86.68"
    response = put(
        api_as(cast.xiaodian_admin),
        f"/projects/{ledger.xiaodian.pk}/plans/2027",
        {"annual_amount": "1000", "split_method": "even", "months": months},
    )
    assert response.status_code == 200, response.content
    assert response.json()["split_method"] == "manual"
    assert response.json()["months"] == months


def test_put_replaces_a_year_and_audits_the_change(api_as, cast, ledger, plan):
    months = ["100.00"] * 11 + ["150.00"]
    response = put(
        api_as(cast.xiaodian_admin),
        f"/projects/{ledger.xiaodian.pk}/plans/2026",
        {"annual_amount": "1250", "months": months},
    )
    assert response.status_code == 200, response.content
    assert response.json()["months"] == months
    assert InvestmentPlan.objects.filter(project=ledger.xiaodian).count() == 1
    audit = last_audit(ledger.xiaodian)
    assert (audit.source, audit.action) == ("api", "update")
    change = audit.changes["month_12"]
    assert change["label"] == "12月"
    assert (Decimal(change["before"]), Decimal(change["after"])) == (100, 150)
    assert set(audit.changes) == {"annual_amount", "month_12"}


def test_unchanged_put_writes_no_audit_row(api_as, cast, ledger, plan):
    before = plans_state()
    response = put(
        api_as(cast.xiaodian_admin), f"/projects/{ledger.xiaodian.pk}/plans/2026", plan_body()
    )
    assert response.status_code == 200, response.content
    assert plans_state() == before


def test_plans_past_the_total_need_a_reason(api_as, cast, ledger):
    api = api_as(cast.yingze_admin)
    url = f"/projects/{ledger.yingze.pk}/plans/2027"
    body = {"annual_amount": "9000", "split_method": "even"}
    before = plans_state()
    refused = assert_error(put(api, url, body), 400, "override_reason")
    assert "超出总投资1,000.00万元" in message_for(refused, "override_reason")
    assert plans_state() == before
    accepted = put(api, url, {**body, "override_reason": "概算调增，已报批"})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["override_reason"] == "概算调增，已报批"
    assert api.get(f"/projects/{ledger.yingze.pk}/plans").json()["remaining"] == "-1000.00"


@pytest.mark.parametrize(
    ("year", "payload", "field", "message"),
    [
        (2026, plan_body(months=["100"] * 11 + ["99.99"]), "months", None),
        (2026, plan_body(annual_amount="-1200"), "annual_amount", "不能为负数。"),
        (
            2026,
            plan_body(annual_amount=-5, split_method="even", months=None),
            "annual_amount",
            None,
        ),
        (
            2026,
            plan_body(months=["100", "100", "-100", *(["100"] * 8), "300"]),
            "months",
            "3月：不能为负数。",
        ),
        (2026, plan_body(months=["100"] * 11), "months", "请填写全部12个月的计划。"),
        (2026, plan_body(months=["100"] * 11 + ["一百"]), "months", "请输入有效的数字。"),
        (2026, plan_body(annual_amount="五亿"), "annual_amount", "请输入有效的数字。"),
        (2026, plan_body(annual_amount="NaN"), "annual_amount", "请输入有效的数字。"),
        (2026, {"annual_amount": "1200"}, "months", None),
        (2026, plan_body(split_method="random"), "split_method", None),
        (2026, plan_body(override_reason="长" * 501), "override_reason", None),
        (2026, plan_body(extra=1), "extra", None),
        (1999, plan_body(), "year", "不能小于 2000。"),
        (2101, plan_body(), "year", "不能大于 2100。"),
    ],
)
def test_bad_plan_is_400_naming_the_field_and_saves_nothing(
    api_as, cast, ledger, plan, year, payload, field, message
):
    before = plans_state()
    response = put(
        api_as(cast.xiaodian_admin), f"/projects/{ledger.xiaodian.pk}/plans/{year}", payload
    )
    body = assert_error(response, 400, field)
    if message is not None:
        assert message_for(body, field) == message
    assert plans_state() == before


def test_amounts_finer_than_a_cent_are_refused_not_rounded(api_as, cast, ledger):
    before = plans_state()
    response = put(
        api_as(cast.xiaodian_admin),
        f"/projects/{ledger.xiaodian.pk}/plans/2026",
        plan_body(months=["100.004"] * 12),
    )
    assert_error(response, 400, "months")
    assert plans_state() == before


def test_months_that_do_not_add_up_say_by_how_much(api_as, cast, ledger):
    response = put(
        api_as(cast.xiaodian_admin),
        f"/projects/{ledger.xiaodian.pk}/plans/2026",
        plan_body(months=["100"] * 11 + ["90"]),
    )
    body = assert_error(response, 400, "months")
    assert message_for(body, "months") == (
        "12个月合计1,190.00万元，与年度计划1,200.00万元不一致（相差10.00万元）。"
    )


def test_delete_a_year(api_as, cast, ledger, plan):
    api = api_as(cast.xiaodian_admin)
    response = api.delete(f"/projects/{ledger.xiaodian.pk}/plans/2026")
    assert response.status_code == 204, response.content
    assert not InvestmentPlan.objects.exists()
    assert not MonthlyPlan.objects.exists()
    audit = last_audit(ledger.xiaodian)
    assert (audit.source, audit.action, audit.object_id) == ("api", "delete", str(plan.pk))
    assert audit.changes["annual_amount"]["before"] == "1200"
    assert_error(api.delete(f"/projects/{ledger.xiaodian.pk}/plans/2026"), 404)


def test_owner_plans_their_own_project(api_as, cast, ledger):
    api = api_as(cast.owner)
    response = put(api, f"/projects/{ledger.xiaodian.pk}/plans/2026", plan_body())
    assert response.status_code == 200, response.content
    assert last_audit(ledger.xiaodian).actor == cast.owner
    assert_error(put(api, f"/projects/{ledger.yingze.pk}/plans/2026", plan_body()), 404)


# ---------------------------------------------------------------- milestones


def test_milestone_create_list_update_delete(api_as, cast, ledger):
    api = api_as(cast.xiaodian_admin)
    project = ledger.xiaodian
    created = api.post(
        f"/projects/{project.pk}/milestones",
        {"name": "取得施工许可", "target_date": "2026-12-20", "note": "住建局"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    pk = body.pop("id")
    assert body == {
        "name": "取得施工许可",
        "target_date": "2026-12-20",
        "step": None,
        "step_name": None,
        "achieved_date": None,
        "status": "pending",
        "status_label": "未到期",
        "note": "住建局",
    }
    audit = last_audit(project)
    assert (audit.source, audit.action, audit.object_type) == ("api", "create", "plans.milestone")

    patched = api.patch(f"/milestones/{pk}", {"achieved_date": "2026-11-20"})
    assert patched.status_code == 200, patched.content
    assert patched.json()["status"] == "done_on_time"
    assert patched.json()["name"] == "取得施工许可"
    audit = last_audit(project)
    assert (audit.source, audit.action) == ("api", "update")
    assert set(audit.changes) == {"achieved_date"}

    late = api.post(
        f"/projects/{project.pk}/milestones", {"name": "场地移交", "target_date": "2026-11-01"}
    )
    assert late.json()["status"] == "overdue_open"
    listing = api.get(f"/projects/{project.pk}/milestones").json()
    assert [m["name"] for m in listing] == ["场地移交", "取得施工许可"]

    assert api.delete(f"/milestones/{pk}").status_code == 204
    assert not Milestone.objects.filter(pk=pk).exists()
    assert (last_audit(project).source, last_audit(project).action) == ("api", "delete")


def test_milestone_tied_to_a_step_is_achieved_by_the_step(api_as, cast, ledger):
    api = api_as(cast.xiaodian_admin)
    signing = StepDefinition.objects.get(code="signing")
    created = api.post(
        f"/projects/{ledger.xiaodian.pk}/milestones",
        {"name": "签约", "target_date": "2026-11-30", "step": signing.pk},
    )
    assert created.status_code == 201, created.content
    assert created.json()["step"] == signing.pk
    assert created.json()["step_name"] == signing.name
    ProjectStep.objects.create(
        project=ledger.xiaodian,
        definition=signing,
        status=StepStatus.DONE,
        actual_date=dt.date(2026, 11, 10),
    )
    (row,) = api.get(f"/projects/{ledger.xiaodian.pk}/milestones").json()
    assert (row["achieved_date"], row["status"]) == ("2026-11-10", "done_on_time")


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"target_date": "2026-12-01"}, "name", "此字段为必填项。"),
        ({"name": "节点"}, "target_date", "此字段为必填项。"),
        ({"name": "节点", "target_date": "十二月"}, "target_date", None),
        ({"name": "节点", "target_date": "2026-12-01", "step": 987654}, "step", None),
        (
            {"name": "节点", "target_date": "2026-12-01", "achieved_date": "2026-11-25"},
            "achieved_date",
            "完成日期不能晚于今天。",
        ),
        ({"name": "长" * 101, "target_date": "2026-12-01"}, "name", None),
        ({"name": " ", "target_date": "2026-12-01"}, "name", None),
    ],
)
def test_bad_milestone_is_400_and_saves_nothing(api_as, cast, ledger, payload, field, message):
    before = plans_state()
    response = api_as(cast.xiaodian_admin).post(
        f"/projects/{ledger.xiaodian.pk}/milestones", payload
    )
    body = assert_error(response, 400, field)
    if message is not None:
        assert message_for(body, field) == message
    assert plans_state() == before


def test_tied_milestone_takes_no_achieved_date(api_as, cast, ledger, milestone):
    before = plans_state()
    signing = StepDefinition.objects.get(code="signing")
    response = api_as(cast.xiaodian_admin).patch(
        f"/milestones/{milestone.pk}", {"step": signing.pk, "achieved_date": "2026-11-20"}
    )
    assert_error(response, 400, "achieved_date")
    assert plans_state() == before


# ---------------------------------------------------------------- tasks


def test_task_create_list_update_delete(api_as, cast, ledger, geo):
    api = api_as(cast.xiaodian_admin)
    project = ledger.xiaodian
    first = api.post(
        f"/projects/{project.pk}/tasks",
        {
            "name": "办理施工许可",
            "duration": 10,
            "department": geo.xiaodian_dept.pk,
            "person": "王工",
        },
    )
    assert first.status_code == 201, first.content
    a = first.json()
    assert a == {
        "id": a["id"],
        "name": "办理施工许可",
        "department": geo.xiaodian_dept.pk,
        "department_name": "小店区发展和改革局",
        "person": "王工",
        "duration": 10,
        "deadline": None,
        "actual_start": None,
        "actual_finish": None,
        "note": "",
        "predecessors": [],
    }
    second = api.post(
        f"/projects/{project.pk}/tasks",
        {
            "name": "桩基施工",
            "duration": 20,
            "deadline": "2027-03-31",
            "predecessors": [{"predecessor": a["id"], "kind": "FS", "lag": 2}],
        },
    )
    assert second.status_code == 201, second.content
    b = second.json()
    assert b["predecessors"] == [{"predecessor": a["id"], "kind": "FS", "lag": 2}]
    audit = last_audit(project)
    assert (audit.source, audit.action, audit.object_type) == ("api", "create", "plans.task")
    assert audit.changes["predecessors"]["after"] == "办理施工许可（FS+2）"

    listing = api.get(f"/projects/{project.pk}/tasks").json()
    assert [t["id"] for t in listing] == [a["id"], b["id"]]

    # A patch without predecessors keeps them; with them, replaces them.
    kept = api.patch(f"/tasks/{b['id']}", {"person": "李工"})
    assert kept.status_code == 200, kept.content
    assert kept.json()["predecessors"] == b["predecessors"]
    assert kept.json()["person"] == "李工"
    replaced = api.patch(
        f"/tasks/{b['id']}", {"predecessors": [{"predecessor": a["id"], "kind": "SS", "lag": -1}]}
    )
    assert replaced.json()["predecessors"] == [{"predecessor": a["id"], "kind": "SS", "lag": -1}]
    audit = last_audit(project)
    assert (audit.source, audit.action) == ("api", "update")
    assert audit.changes["predecessors"] == {
        "label": "前置任务",
        "before": "办理施工许可（FS+2）",
        "after": "办理施工许可（SS-1）",
    }
    cleared = api.patch(f"/tasks/{b['id']}", {"predecessors": []})
    assert cleared.json()["predecessors"] == []

    assert api.delete(f"/tasks/{a['id']}").status_code == 204
    assert list(Task.objects.values_list("pk", flat=True)) == [b["id"]]
    assert (last_audit(project).source, last_audit(project).action) == ("api", "delete")


def test_deleting_a_task_removes_its_links(api_as, cast, ledger, network):
    api = api_as(cast.xiaodian_admin)
    assert api.delete(f"/tasks/{network['a'].pk}").status_code == 204
    tasks = {t["name"]: t for t in api.get(f"/projects/{ledger.xiaodian.pk}/tasks").json()}
    assert tasks["临时用电"]["predecessors"] == []
    assert last_audit(ledger.xiaodian).changes["successors"]["before"] == "临时用电、基础施工"


def test_task_progress_dates(api_as, cast, ledger, network):
    response = api_as(cast.xiaodian_admin).patch(
        f"/tasks/{network['a'].pk}", {"actual_start": "2026-11-16", "actual_finish": "2026-11-23"}
    )
    assert response.status_code == 200, response.content
    network["a"].refresh_from_db()
    assert network["a"].actual_finish == dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"predecessors": [{"predecessor": "A", "lag": 1}]},
            "predecessors.predecessor",
            "请输入整数。",
        ),
        ({"predecessors": [{"predecessor": 0, "lag": "两天"}]}, "predecessors.lag", "请输入整数。"),
        ({"predecessors": [{"predecessor": 0, "lag": 1.5}]}, "predecessors.lag", "请输入整数。"),
        ({"predecessors": [{"predecessor": 0, "kind": "FF"}]}, "predecessors.kind", None),
        (
            {"predecessors": [{"predecessor": 0, "lag": 400}]},
            "predecessors",
            "第1个前置任务：间隔应在-365到365个工作日之间。",
        ),
        ({"predecessors": [{"predecessor": 0}, {"predecessor": 0}]}, "predecessors", None),
        ({"duration": -1}, "duration", "不能小于 0。"),
        ({"duration": "三天"}, "duration", "请输入整数。"),
        ({"name": ""}, "name", None),
        ({"actual_finish": "2026-11-20"}, "actual_start", "已完成的任务需填写实际开始日期。"),
        ({"actual_start": "2026-11-25"}, "actual_start", "实际开始日期不能晚于今天。"),
        ({"actual_start": "2026-11-20", "actual_finish": "2026-11-19"}, "actual_finish", None),
        ({"department": 987654}, "department", None),
        ({"colour": "red"}, "colour", None),
    ],
)
def test_bad_task_is_400_and_saves_nothing(api_as, cast, ledger, network, payload, field, message):
    body = {"name": "主体施工", "duration": 30, **payload}
    for link in body.get("predecessors", []):
        if link.get("predecessor") == 0:
            link["predecessor"] = network["d"].pk
    before = plans_state()
    response = api_as(cast.xiaodian_admin).post(f"/projects/{ledger.xiaodian.pk}/tasks", body)
    errors = assert_error(response, 400, field)
    if message is not None:
        assert message_for(errors, field) == message
    assert plans_state() == before


def test_self_dependency_is_400(api_as, cast, ledger, network):
    before = plans_state()
    d = network["d"]
    response = api_as(cast.xiaodian_admin).patch(
        f"/tasks/{d.pk}", {"predecessors": [{"predecessor": d.pk}]}
    )
    body = assert_error(response, 400, "predecessors")
    assert message_for(body, "predecessors") == "第1个前置任务：任务不能依赖自身。"
    assert plans_state() == before


def test_predecessor_from_another_project_is_400(api_as, cast, ledger, network, geo):
    other = Task.objects.create(
        project=ProjectFactory(region=geo.xiaodian), name="别的项目的任务", duration=1
    )
    before = plans_state()
    response = api_as(cast.xiaodian_admin).post(
        f"/projects/{ledger.xiaodian.pk}/tasks",
        {"name": "主体施工", "duration": 30, "predecessors": [{"predecessor": other.pk}]},
    )
    body = assert_error(response, 400, "predecessors")
    assert message_for(body, "predecessors") == (
        f"第1个前置任务：任务{other.pk}不存在或不属于本项目。"
    )
    assert plans_state() == before


def test_a_link_that_closes_a_cycle_is_400_naming_it(api_as, cast, ledger, network):
    before = plans_state()
    response = api_as(cast.xiaodian_admin).patch(
        f"/tasks/{network['a'].pk}", {"predecessors": [{"predecessor": network["d"].pk}]}
    )
    body = assert_error(response, 400, "predecessors")
    message = message_for(body, "predecessors")
    assert message.startswith("任务存在循环依赖：")
    assert "场地平整" in message and "基础验收" in message
    assert plans_state() == before


def test_department_of_another_county_is_refused(api_as, cast, ledger, geo):
    elsewhere = DepartmentFactory(name="平城区住建局", region=geo.pingcheng)
    before = plans_state()
    response = api_as(cast.xiaodian_admin).post(
        f"/projects/{ledger.xiaodian.pk}/tasks",
        {"name": "主体施工", "duration": 30, "department": elsewhere.pk},
    )
    assert_error(response, 400, "department")
    assert plans_state() == before


# ---------------------------------------------------------------- schedule


def schedule_of(api: Api, project: Project) -> dict[str, Any]:
    response = api.get(f"/projects/{project.pk}/schedule")
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def test_schedule_without_a_deadline(api_as, cast, ledger, network):
    body = schedule_of(api_as(cast.taiyuan_leader), ledger.xiaodian)
    a, b, c, d = (network[k].pk for k in "abcd")
    assert body["critical_path"] == [a, c, d]
    assert body["binding_chain"] == []
    assert (body["feasible"], body["shortfall_days"], body["error"]) == (True, 0, None)
    assert (body["deadline"], body["label"]) == (None, None)
    assert body["early_finish"] == "2026-12-04"
    assert body["deadline_passed_unstarted"] is False
    tasks = {t["id"]: t for t in body["tasks"]}
    assert list(tasks) == [a, b, c, d]
    assert tasks[a] == {
        "id": a,
        "name": "场地平整",
        "early_start": "2026-11-24",
        "early_finish": "2026-11-26",
        "late_start": "2026-11-24",
        "late_finish": "2026-11-26",
        "total_float": 0,
        "critical": True,
        "started": False,
        "finished": False,
        "late_start_passed": False,
        "overdue": False,
    }
    assert (tasks[b]["early_start"], tasks[b]["early_finish"]) == ("2026-11-27", "2026-11-30")
    assert (tasks[b]["late_start"], tasks[b]["late_finish"]) == ("2026-12-02", "2026-12-03")
    assert (tasks[b]["total_float"], tasks[b]["critical"]) == (3, False)
    assert (tasks[c]["early_finish"], tasks[d]["early_start"]) == ("2026-12-03", "2026-12-04")


def test_schedule_target_set_and_infeasible_deadline(api_as, cast, ledger, network):
    api = api_as(cast.xiaodian_admin)
    project = ledger.xiaodian
    response = put(api, f"/projects/{project.pk}/schedule/target", {"deadline": "2026-12-01"})
    assert response.status_code == 200, response.content
    assert response.json() == {"deadline": "2026-12-01", "label": "投产"}
    audit = last_audit(project)
    assert (audit.source, audit.action, audit.object_type) == (
        "api",
        "create",
        "plans.scheduletarget",
    )

    body = schedule_of(api, project)
    a, c, d = network["a"].pk, network["c"].pk, network["d"].pk
    # D can finish Dec 4 at the earliest: three working days (Dec 2, 3, 4) too late.
    assert (body["deadline"], body["label"]) == ("2026-12-01", "投产")
    assert (body["feasible"], body["shortfall_days"]) == (False, 3)
    assert body["binding_chain"] == body["critical_path"] == [a, c, d]
    tasks = {t["id"]: t for t in body["tasks"]}
    assert tasks[d]["total_float"] == -3
    assert tasks[d]["late_finish"] == "2026-12-01"
    assert tasks[a]["late_start"] == "2026-11-19"
    assert tasks[a]["late_start_passed"] is True

    relaxed = put(
        api, f"/projects/{project.pk}/schedule/target", {"deadline": "2026-12-31", "label": "竣工"}
    )
    assert relaxed.json() == {"deadline": "2026-12-31", "label": "竣工"}
    assert last_audit(project).action == "update"
    body = schedule_of(api, project)
    assert (body["feasible"], body["shortfall_days"], body["binding_chain"]) == (True, 0, [])
    assert body["critical_path"] == [a, c, d]

    assert api.delete(f"/projects/{project.pk}/schedule/target").status_code == 204
    assert not ScheduleTarget.objects.exists()
    assert last_audit(project).action == "delete"
    assert schedule_of(api, project)["deadline"] is None
    # Clearing again is a no-op: no row, no audit.
    before = plans_state()
    assert api.delete(f"/projects/{project.pk}/schedule/target").status_code == 204
    assert plans_state() == before


def test_past_deadline_of_an_unstarted_project_is_flagged(api_as, cast, ledger, network):
    ScheduleTarget.objects.create(project=ledger.xiaodian, deadline=dt.date(2026, 11, 1))
    body = schedule_of(api_as(cast.xiaodian_admin), ledger.xiaodian)
    assert body["deadline_passed_unstarted"] is True
    assert body["feasible"] is False


def test_schedule_of_a_project_without_tasks(api_as, cast, ledger):
    body = schedule_of(api_as(cast.xiaodian_admin), ledger.xiaodian)
    assert body == {
        "deadline": None,
        "label": None,
        "feasible": True,
        "shortfall_days": 0,
        "early_finish": None,
        "binding_chain": [],
        "critical_path": [],
        "deadline_passed_unstarted": False,
        "error": None,
        "tasks": [],
    }


def test_schedule_that_cannot_be_computed_reports_the_error(api_as, cast, ledger, network):
    # Stored behind the services' back: the services refuse a cycle.
    TaskDependency.objects.create(task=network["a"], predecessor=network["d"])
    body = schedule_of(api_as(cast.xiaodian_admin), ledger.xiaodian)
    assert body["error"].startswith("任务存在循环依赖：")
    assert (body["feasible"], body["shortfall_days"], body["tasks"]) == (None, None, [])


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"deadline": "明年"},
        {"deadline": "2027-02-30"},
        {"deadline": "2027-01-01", "label": "长" * 51},
    ],
)
def test_bad_schedule_target_is_400(api_as, cast, ledger, payload):
    before = plans_state()
    field = "label" if "label" in payload else "deadline"
    assert_error(
        put(
            api_as(cast.xiaodian_admin), f"/projects/{ledger.xiaodian.pk}/schedule/target", payload
        ),
        400,
        field,
    )
    assert plans_state() == before


# ---------------------------------------------------------------- scope and permissions


def endpoints(project: Project, milestone: Milestone, task: Task) -> list[tuple[str, str, Any]]:
    """Every plan endpoint aimed at one project, milestone and task: (method, path, body)."""
    p = f"/projects/{project.pk}"
    return [
        ("get", f"{p}/plans", None),
        ("put", f"{p}/plans/2026", plan_body()),
        ("delete", f"{p}/plans/2026", None),
        ("get", f"{p}/milestones", None),
        ("post", f"{p}/milestones", {"name": "节点", "target_date": "2026-12-01"}),
        ("patch", f"/milestones/{milestone.pk}", {"name": "改名"}),
        ("delete", f"/milestones/{milestone.pk}", None),
        ("get", f"{p}/tasks", None),
        ("post", f"{p}/tasks", {"name": "任务", "duration": 1}),
        ("patch", f"/tasks/{task.pk}", {"name": "改名"}),
        ("delete", f"/tasks/{task.pk}", None),
        ("put", f"{p}/schedule/target", {"deadline": "2027-06-30"}),
        ("delete", f"{p}/schedule/target", None),
        ("get", f"{p}/schedule", None),
    ]


def call(api: Api, method: str, path: str, body: Any) -> Any:
    if method == "put":
        return put(api, path, body)
    if method in ("post", "patch"):
        return getattr(api, method)(path, body)
    return getattr(api, method)(path)


@pytest.fixture
def yingze_plan(ledger: Any) -> InvestmentPlan:
    saved = InvestmentPlan.objects.create(
        project=ledger.yingze, year=2026, annual_amount=Decimal(12)
    )
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(plan=saved, month=m, amount=Decimal(1)) for m in range(1, 13)
    )
    ScheduleTarget.objects.create(project=ledger.yingze, deadline=dt.date(2027, 6, 30))
    return saved


@pytest.mark.parametrize("outsider", ["hebei_admin", "xiaodian_admin", "pingcheng_admin", "owner"])
def test_outside_scope_every_endpoint_is_404(
    api_as, cast, ledger, yingze_plan, yingze_milestone, yingze_task, outsider
):
    api = api_as(getattr(cast, outsider))
    before = plans_state()
    for method, path, body in endpoints(ledger.yingze, yingze_milestone, yingze_task):
        response = call(api, method, path, body)
        assert response.json() == {"detail": "未找到", "errors": []}, (method, path)
        assert response.status_code == 404, (method, path)
    assert plans_state() == before


def test_out_of_scope_ids_answer_like_missing_ones(
    api_as, cast, ledger, yingze_milestone, yingze_task
):
    api = api_as(cast.xiaodian_admin)
    for path in (f"/milestones/{yingze_milestone.pk}", f"/tasks/{yingze_task.pk}"):
        outside = api.patch(path, {"name": "改名"})
        missing = api.patch(path.rsplit("/", 1)[0] + "/987654", {"name": "改名"})
        assert outside.status_code == missing.status_code == 404
        assert outside.json() == missing.json()


@pytest.mark.parametrize("reader", ["taiyuan_leader", "xiaodian_dept", "evaluator"])
def test_readers_read_in_scope_but_writes_are_403(
    api_as, cast, ledger, plan, milestone, network, reader
):
    ScheduleTarget.objects.create(project=ledger.xiaodian, deadline=dt.date(2027, 6, 30))
    api = api_as(getattr(cast, reader))
    before = plans_state()
    for method, path, body in endpoints(ledger.xiaodian, milestone, network["a"]):
        response = call(api, method, path, body)
        if method == "get":
            assert response.status_code == 200, (method, path, response.content)
        else:
            body = assert_error(response, 403)
            assert body["detail"] == "您没有修改计划的权限。", (method, path)
    assert plans_state() == before


def test_reader_is_refused_before_the_body_is_looked_at(api_as, cast, ledger):
    response = api_as(cast.taiyuan_leader).post(
        f"/projects/{ledger.xiaodian.pk}/tasks",
        {"name": "任务", "duration": 1, "predecessors": [{"predecessor": 987654}]},
    )
    assert_error(response, 403)


@pytest.mark.parametrize("admin", ["province_admin", "taiyuan_admin", "yingze_admin"])
def test_admins_above_or_at_the_county_write(
    api_as, cast, ledger, yingze_plan, yingze_milestone, yingze_task, admin
):
    api = api_as(getattr(cast, admin))
    for method, path, body in endpoints(ledger.yingze, yingze_milestone, yingze_task):
        response = call(api, method, path, body)
        assert response.status_code in (200, 201, 204), (method, path, response.content)
    sources = set(
        AuditEvent.objects.filter(project_id=ledger.yingze.pk).values_list("source", "actor")
    )
    assert sources == {("api", getattr(cast, admin).pk)}


def test_without_a_token_is_401(client, ledger):
    response = client.get(f"/api/v1/projects/{ledger.xiaodian.pk}/plans")
    assert_error(response, 401)


def test_openapi_documents_the_plan_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    tagged = {
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "计划" in operation.get("tags", [])
    }
    project = "/api/v1/projects/{project_id}"
    assert tagged == {
        ("get", f"{project}/plans"),
        ("put", f"{project}/plans/{{year}}"),
        ("delete", f"{project}/plans/{{year}}"),
        ("get", f"{project}/milestones"),
        ("post", f"{project}/milestones"),
        ("patch", "/api/v1/milestones/{milestone_id}"),
        ("delete", "/api/v1/milestones/{milestone_id}"),
        ("get", f"{project}/tasks"),
        ("post", f"{project}/tasks"),
        ("patch", "/api/v1/tasks/{task_id}"),
        ("delete", "/api/v1/tasks/{task_id}"),
        ("put", f"{project}/schedule/target"),
        ("delete", f"{project}/schedule/target"),
        ("get", f"{project}/schedule"),
    }
    create = schema["components"]["schemas"]["TaskCreate"]
    assert set(create["required"]) == {"name", "duration"}
    assert create["additionalProperties"] is False
    plan = schema["components"]["schemas"]["PlanYearIn"]
    assert plan["properties"]["split_method"]["enum"] == ["manual", "even", "weighted"]
