"""The problems pages: scope on every page, forms and their errors, htmx steps, export."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from cornerstone.problems.models import EscalationPolicy, Problem, SupervisionOrder
from cornerstone.problems.services import problem_raise, problem_transition
from cornerstone.problems.tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def spread(cast, ledger, geo, problem, yingze_dept):
    """Problems in 小店 (one overdue and escalated), 迎泽 and 平城."""
    late = Problem.objects.create(
        project=ledger.xiaodian,
        category="energy",
        description="能耗指标缺口",
        department=geo.xiaodian_dept,
        person="刘洋",
        deadline=TODAY - dt.timedelta(days=10),
        escalation_level=1,
    )
    yingze = problem_raise(
        project=ledger.yingze,
        category="utilities",
        description="迎泽供水管网接入",
        department=yingze_dept,
        deadline=TODAY + dt.timedelta(days=3),
        actor=cast.yingze_admin,
    )
    pingcheng = problem_raise(
        project=ledger.pingcheng,
        category="approval",
        description="平城环评审批",
        deadline=TODAY + dt.timedelta(days=3),
        actor=cast.pingcheng_admin,
    )
    return {"xiaodian": problem, "late": late, "yingze": yingze, "pingcheng": pingcheng}


def listed(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("problems:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_is_scoped(client, cast, spread):
    html = listed(client, cast.taiyuan_admin)
    assert "迎泽供水管网接入" in html and "能耗指标缺口" in html and "平城环评审批" not in html
    html = listed(client, cast.xiaodian_admin)
    assert "能耗指标缺口" in html and "迎泽供水管网接入" not in html
    html = listed(client, cast.owner)
    assert "能耗指标缺口" in html and "迎泽" not in html
    html = listed(client, cast.hebei_admin)
    assert 'data-testid="problem-empty"' in html


def test_a_department_user_sees_their_assignments_and_their_regions_problems(
    client, cast, spread, yingze_dept_user, ledger, geo
):
    # A 迎泽 problem assigned to the 小店 department's region chain is impossible; a city
    # department assigned on a 迎泽 project is visible to it although outside its county.
    html = listed(client, yingze_dept_user)
    assert "迎泽供水管网接入" in html and "能耗指标缺口" not in html
    html = listed(client, cast.xiaodian_dept)
    assert "能耗指标缺口" in html and "迎泽供水管网接入" not in html


def test_filters_counts_and_sorting(client, cast, spread):
    html = listed(client, cast.taiyuan_admin, overdue="1")
    assert "能耗指标缺口" in html and "用地指标尚未落实" not in html
    html = listed(client, cast.taiyuan_admin, level="1")
    assert "能耗指标缺口" in html and "迎泽供水管网接入" not in html
    html = listed(client, cast.taiyuan_admin, category="utilities")
    assert "迎泽供水管网接入" in html and "能耗指标缺口" not in html
    html = listed(client, cast.taiyuan_admin, region="140106")
    assert "迎泽供水管网接入" in html and "能耗指标缺口" not in html
    html = listed(client, cast.taiyuan_admin)
    assert "共 <strong>3</strong> 个问题" in html
    assert "逾期未办结 1" in html
    assert html.index("能耗指标缺口") < html.index("迎泽供水管网接入")  # deadline order
    html = listed(client, cast.taiyuan_admin, sort="-deadline")
    assert html.index("能耗指标缺口") > html.index("迎泽供水管网接入")
    html = listed(client, cast.taiyuan_admin, sort="sideways")
    assert "筛选条件有误" in html


def test_the_list_takes_a_bounded_number_of_queries(
    client, cast, ledger, geo, django_assert_max_num_queries
):
    Problem.objects.bulk_create(
        [
            Problem(
                project=ledger.xiaodian,
                category="land",
                description=f"问题{i}",
                department=geo.xiaodian_dept,
            )
            for i in range(120)
        ]
    )
    client.force_login(cast.taiyuan_admin)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("problems:list"))
    assert response.status_code == 200
    assert "下一页" in response.content.decode()
    with django_assert_max_num_queries(10):
        assert (
            client.get(reverse("problems:list"), {"page": 2}, HTTP_HX_REQUEST="true").status_code
            == 200
        )


def test_export_is_scoped_and_filtered(client, cast, spread):
    client.force_login(cast.taiyuan_admin)
    response = client.get(reverse("problems:list_xlsx"), {"overdue": "1"})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("问题清单").to_python()
    )
    assert rows[2][:3] == ["序号", "项目代码", "项目名称"]
    body = rows[3:]
    assert len(body) == 1 and body[0][5] == "能耗指标缺口" and body[0][9] == 10
    client.force_login(cast.hebei_admin)
    data = b"".join(client.get(reverse("problems:list_xlsx")).streaming_content)
    assert (
        len(
            CalamineWorkbook.from_filelike(io.BytesIO(data))
            .get_sheet_by_name("问题清单")
            .to_python()
        )
        == 3
    )


def test_detail_out_of_scope_is_404(client, cast, spread):
    url = reverse("problems:detail", args=[spread["xiaodian"].pk])
    for who in ("yingze_admin", "datong_admin", "hebei_admin"):
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == 404
    client.force_login(cast.taiyuan_leader)
    html = client.get(url).content.decode()
    assert "用地指标尚未落实" in html and 'data-testid="step-' not in html


def test_the_department_starts_and_resolves_through_htmx(client, cast, spread):
    problem = spread["xiaodian"]
    url = reverse("problems:step", args=[problem.pk])
    client.force_login(cast.xiaodian_dept)
    html = client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert 'data-testid="step-start"' in html and 'data-testid="step-verify"' not in html
    response = client.post(url, {"action": "start", "version": 1}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="workflow"' in response.content.decode() and "<html" not in response.content.decode()
    response = client.post(
        url, {"action": "resolve", "comment": "", "version": 2}, HTTP_HX_REQUEST="true"
    )
    assert "须填写办理意见" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == "in_progress"
    client.post(url, {"action": "resolve", "comment": "已办结", "version": 2})
    problem.refresh_from_db()
    assert problem.status == "resolved"
    # A stale form (version 2) is refused with a message.
    client.force_login(cast.xiaodian_admin)
    response = client.post(url, {"action": "verify", "version": 2}, follow=True)
    assert "已被他人更新" in response.content.decode()
    response = client.post(url, {"action": "verify", "version": 3}, follow=True)
    assert "已核验销号" in response.content.decode()


def test_the_leader_may_not_step(client, cast, spread):
    client.force_login(cast.taiyuan_leader)
    response = client.post(
        reverse("problems:step", args=[spread["xiaodian"].pk]), {"action": "start"}
    )
    assert response.status_code == 403


def test_reassign_form(client, cast, spread, yingze_dept):
    problem = spread["xiaodian"]
    client.force_login(cast.taiyuan_admin)
    url = reverse("problems:reassign", args=[problem.pk])
    response = client.post(url, {"department": yingze_dept.pk, "person": "赵", "version": 1})
    assert response.status_code == 400  # not a choice: only the project's chain is offered
    response = client.post(
        url,
        {
            "department": problem.department_id,
            "person": "赵",
            "deadline": "2026-12-20",
            "version": 1,
        },
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.person, problem.deadline) == ("赵", dt.date(2026, 12, 20))


def test_project_problems_and_raising(client, cast, ledger, geo, spread):
    url = reverse("problems:project_problems", args=[ledger.xiaodian.pk])
    client.force_login(cast.owner)
    html = client.get(url).content.decode()
    assert "能耗指标缺口" in html and 'data-testid="raise-submit"' in html
    response = client.post(
        url,
        {
            "category": "labour",
            "description": "缺少技术工人",
            "department": geo.xiaodian_dept.pk,
            "deadline": "2026-11-01",
        },
    )
    assert response.status_code == 400 and "不能早于今天" in response.content.decode()
    response = client.post(
        url,
        {
            "category": "labour",
            "description": "缺少技术工人",
            "department": geo.xiaodian_dept.pk,
            "deadline": "2026-12-01",
        },
    )
    created = Problem.objects.get(description="缺少技术工人")
    assert response.url == reverse("problems:detail", args=[created.pk])
    client.force_login(cast.taiyuan_leader)
    assert 'data-testid="raise-submit"' not in client.get(url).content.decode()
    assert client.post(url, {"category": "land"}).status_code == 403
    client.force_login(cast.owner)
    assert (
        client.get(reverse("problems:project_problems", args=[ledger.yingze.pk])).status_code == 404
    )


def test_task_and_responsibility_lists(client, cast, spread, geo):
    client.force_login(cast.taiyuan_admin)
    html = client.get(reverse("problems:tasks")).content.decode()
    assert "小店区发展和改革局" in html and "迎泽区住房和城乡建设局" in html
    assert "2个责任单位共3项未办结问题，其中逾期1项。" in html
    assert html.index("小店区发展和改革局") < html.index("迎泽区住房和城乡建设局")  # overdue first
    client.force_login(cast.xiaodian_dept)
    html = client.get(reverse("problems:tasks")).content.decode()
    assert "1个责任单位共2项未办结问题" in html  # their own department by default
    client.force_login(cast.taiyuan_admin)
    html = client.get(reverse("problems:responsibility"), {"person": "刘"}).content.decode()
    assert "能耗指标缺口" in html and "用地指标尚未落实" not in html
    problem_transition(
        problem=spread["late"], action="resolve", comment="已办", actor=cast.xiaodian_dept
    )
    html = client.get(reverse("problems:responsibility"), {"person": "刘"}).content.decode()
    assert 'data-testid="responsibility-empty"' in html


def test_policy_page(client, cast, geo):
    url = reverse("problems:policy")
    client.force_login(cast.taiyuan_admin)
    html = client.get(url).content.decode()
    assert "未设置，使用系统默认值" in html and "<strong>7</strong>" in html
    response = client.post(
        url, {"region": "140100", "city_after_days": "9", "province_after_days": "5"}
    )
    assert response.status_code == 400 and "须大于" in response.content.decode()
    assert (
        client.post(
            url, {"region": "140100", "city_after_days": "5", "province_after_days": "15"}
        ).status_code
        == 302
    )
    html = client.get(url, {"region": "140105"}).content.decode()
    assert "沿用太原市的规则" in html and "<strong>5</strong>" in html
    assert client.get(url, {"region": "140200"}).status_code == 404
    client.force_login(cast.xiaodian_admin)
    assert (
        client.post(
            url, {"region": "140100", "city_after_days": "1", "province_after_days": "2"}
        ).status_code
        == 404
    )
    client.force_login(cast.taiyuan_leader)
    assert (
        client.post(
            url, {"region": "140100", "city_after_days": "1", "province_after_days": "2"}
        ).status_code
        == 403
    )
    assert EscalationPolicy.objects.get().city_after_days == 5


def test_orders_pages(client, cast, geo, spread):
    late = spread["late"]
    client.force_login(cast.taiyuan_admin)
    url = reverse("problems:order_issue_problem", args=[late.pk])
    assert "能耗指标缺口" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "kind": "supervision",
            "recipient": "department",
            "department": geo.xiaodian_dept.pk,
            "subject": "能耗督办",
            "content": "请落实",
            "response_deadline": "2026-12-01",
        },
    )
    order = SupervisionOrder.objects.get()
    assert response.url == reverse("problems:order_detail", args=[order.pk])
    client.force_login(cast.taiyuan_leader)
    html = client.get(reverse("problems:orders")).content.decode()
    assert "督〔2026〕1号" in html
    assert client.get(url).status_code == 403
    client.force_login(cast.datong_admin)
    assert 'data-testid="order-empty"' in client.get(reverse("problems:orders")).content.decode()
    assert client.get(reverse("problems:order_detail", args=[order.pk])).status_code == 404
    client.force_login(cast.xiaodian_dept)
    client.post(reverse("problems:order_respond", args=[order.pk]), {"response": "已落实"})
    order.refresh_from_db()
    assert order.status == "answered"
    client.force_login(cast.taiyuan_admin)
    client.post(reverse("problems:order_close", args=[order.pk]), {"closing_note": "同意办结"})
    order.refresh_from_db()
    assert order.status == "closed"
    # Closed orders leave the default (open) list but stay under "all".
    client.force_login(cast.taiyuan_leader)
    assert 'data-testid="order-empty"' in client.get(reverse("problems:orders")).content.decode()
    assert "督〔2026〕1号" in client.get(reverse("problems:orders"), {"all": "1"}).content.decode()


def test_order_from_a_red_light_page(client, cast, ledger):
    from django.utils import timezone

    from cornerstone.alerts.models import ProjectLight

    light = ProjectLight.objects.create(
        project=ledger.xiaodian,
        year=2026,
        month=10,
        colour="red",
        reasons=[{"text": "投资滞后"}],
        computed_at=timezone.now(),
    )
    url = reverse("problems:order_issue_light", args=[light.pk])
    client.force_login(cast.xiaodian_admin)
    html = client.get(url).content.decode()
    assert "投资滞后" in html and "2026年10月红灯预警" in html
    client.force_login(cast.yingze_admin)
    assert client.get(url).status_code == 404


def test_a_department_reads_but_does_not_answer_another_departments_problem(
    client, cast, ledger, taiyuan_dept
):
    problem = problem_raise(
        project=ledger.xiaodian,
        category="land",
        description="市级用地问题",
        department=taiyuan_dept,
        deadline=TODAY + dt.timedelta(days=5),
        actor=cast.taiyuan_admin,
    )
    client.force_login(cast.xiaodian_dept)
    html = client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert "市级用地问题" in html and 'data-testid="step-' not in html
    response = client.post(
        reverse("problems:step", args=[problem.pk]), {"action": "start", "version": 1}
    )
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.status == "open" and problem.events.count() == 1
