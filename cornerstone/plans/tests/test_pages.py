"""The plans pages: what each user sees and may change, errors shown, queries bounded."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cornerstone.core.models import AuditEvent
from cornerstone.plans import services
from cornerstone.plans.models import InvestmentPlan, Milestone, Task, TaskDependency
from cornerstone.plans.task_services import PredecessorInput, task_create

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def network(cast, ledger, geo):
    """A small network on the Xiaodian project, with a deadline it cannot meet."""
    admin = cast.xiaodian_admin
    project = ledger.xiaodian
    land = task_create(
        actor=admin,
        project=project,
        data={"name": "土地征收", "duration": 20, "department": geo.xiaodian_dept.pk},
    )
    permit = task_create(
        actor=admin,
        project=project,
        data={"name": "施工许可", "duration": 10},
        predecessors=[PredecessorInput(land.pk, "FS", 2)],
    )
    task_create(
        actor=admin,
        project=project,
        data={"name": "场地平整", "duration": 5},
        predecessors=[PredecessorInput(land.pk, "SS", 0)],
    )
    services.schedule_target_set(actor=admin, project=project, deadline="2026-12-31", label="开工")
    services.milestone_create(
        actor=admin, project=project, data={"name": "取得施工许可", "target_date": "2026-11-30"}
    )
    services.investment_plan_save(
        actor=admin, project=project, year=2026, annual_amount="1200", split_method="even"
    )
    return {"land": land, "permit": permit}


def plans_url(project):
    return reverse("plans:project", args=[project.pk])


def test_the_plans_page_shows_plans_milestones_and_the_schedule(client, cast, ledger, network):
    client.force_login(cast.xiaodian_admin)
    response = client.get(plans_url(ledger.xiaodian))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1,200.00" in html and "100.00" in html
    assert "取得施工许可" in html
    # 20 + 2 + 10 working days from 24 November end on 8 January: 6 working days late.
    assert 'data-testid="schedule-infeasible"' in html
    assert "土地征收 → 施工许可" in html
    assert "table-danger" in html


def test_the_plans_page_queries_do_not_grow_with_tasks(
    client, cast, ledger, network, django_assert_max_num_queries
):
    client.force_login(cast.xiaodian_admin)
    with django_assert_max_num_queries(20) as first:
        client.get(plans_url(ledger.xiaodian))
    for n in range(10):
        task_create(
            actor=cast.xiaodian_admin,
            project=ledger.xiaodian,
            data={"name": f"任务{n}", "duration": 3},
            predecessors=[PredecessorInput(network["permit"].pk)],
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(plans_url(ledger.xiaodian))


@pytest.mark.parametrize("user", ["yingze_admin", "datong_admin", "hebei_admin"])
def test_out_of_scope_is_404_on_every_project_page(client, cast, ledger, network, user):
    client.force_login(getattr(cast, user))
    pk = ledger.xiaodian.pk
    task = network["land"].pk
    milestone = Milestone.objects.get().pk
    for url in [
        plans_url(ledger.xiaodian),
        reverse("plans:wallchart", args=[pk]),
        reverse("plans:schedule-xlsx", args=[pk]),
        reverse("plans:year-edit", args=[pk, 2026]),
        reverse("plans:task-edit", args=[pk, task]),
        reverse("plans:milestone-edit", args=[pk, milestone]),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("plans:task-delete", args=[pk, task]),
        reverse("plans:milestone-delete", args=[pk, milestone]),
        reverse("plans:year-delete", args=[pk, 2026]),
        reverse("plans:target", args=[pk]),
    ]:
        assert client.post(url, {"action": "clear"}).status_code == 404, url
    assert Task.objects.count() == 3 and Milestone.objects.count() == 1
    assert InvestmentPlan.objects.count() == 1


@pytest.mark.parametrize("user", ["taiyuan_leader", "xiaodian_dept"])
def test_readers_see_but_cannot_change(client, cast, ledger, network, user):
    client.force_login(getattr(cast, user))
    pk = ledger.xiaodian.pk
    response = client.get(plans_url(ledger.xiaodian))
    assert response.status_code == 200
    assert reverse("plans:task-create", args=[pk]) not in response.content.decode()
    assert client.get(reverse("plans:task-create", args=[pk])).status_code == 403
    assert (
        client.post(reverse("plans:task-delete", args=[pk, network["land"].pk])).status_code == 403
    )
    assert Task.objects.count() == 3


def test_the_owner_plans_its_own_project_only(client, cast, ledger, network):
    client.force_login(cast.owner)
    assert (
        client.get(reverse("plans:year-edit", args=[ledger.xiaodian.pk, 2027])).status_code == 200
    )
    assert client.get(plans_url(ledger.yingze)).status_code == 404


def test_the_year_form_splits_then_saves_and_reports_a_bad_sum(client, cast, ledger):
    client.force_login(cast.xiaodian_admin)
    url = reverse("plans:year-edit", args=[ledger.xiaodian.pk, 2027])
    blank = {f"month_{m}": "" for m in range(1, 13)}
    response = client.post(
        url, {"annual_amount": "120", "action": "even", **blank}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'value="10.00"' in html and "<html" not in html
    assert not InvestmentPlan.objects.exists()
    months = {f"month_{m}": "10" for m in range(1, 13)}
    bad = client.post(url, {"annual_amount": "121", "action": "save", **months})
    assert "相差1.00万元" in bad.content.decode()
    assert not InvestmentPlan.objects.exists()
    good = client.post(url, {"annual_amount": "120", "action": "save", **months})
    assert good.status_code == 302
    assert InvestmentPlan.objects.get().annual_amount == Decimal("120")


def test_the_task_form_saves_links_and_reports_a_cycle(client, cast, ledger, network):
    client.force_login(cast.xiaodian_admin)
    land, permit = network["land"], network["permit"]
    url = reverse("plans:task-edit", args=[ledger.xiaodian.pk, land.pk])
    form = {
        "name": "土地征收",
        "duration": "20",
        "pred-count": "1",
        "pred-0-task": str(permit.pk),
        "pred-0-kind": "FS",
        "pred-0-lag": "0",
    }
    response = client.post(url, form)
    assert "循环依赖" in response.content.decode()
    assert not TaskDependency.objects.filter(task=land).exists()
    form["pred-0-lag"] = "两天"
    response = client.post(url, form)
    assert "不是整数" in response.content.decode()
    create = reverse("plans:task-create", args=[ledger.xiaodian.pk])
    response = client.post(
        create,
        {
            "name": "主体施工",
            "duration": "60",
            "pred-count": "2",
            "pred-0-task": str(permit.pk),
            "pred-0-kind": "FS",
            "pred-0-lag": "3",
            "pred-1-task": "",
        },
    )
    assert response.status_code == 302
    link = TaskDependency.objects.get(task__name="主体施工")
    assert (link.predecessor_id, link.lag) == (permit.pk, 3)


def test_setting_a_past_deadline_warns(client, cast, ledger):
    client.force_login(cast.xiaodian_admin)
    response = client.post(
        reverse("plans:target", args=[ledger.xiaodian.pk]),
        {"deadline": "2026-10-01", "label": "投产"},
        follow=True,
    )
    html = response.content.decode()
    assert 'data-testid="deadline-passed"' in html and "完成时限已过，而项目尚未开工。" in html


def test_the_wallchart_carries_its_data_and_an_empty_state(client, cast, ledger, network):
    client.force_login(cast.xiaodian_admin)
    html = client.get(reverse("plans:wallchart", args=[ledger.xiaodian.pk])).content.decode()
    found = re.search(r'<script id="wallchart-data" type="application/json">(.*?)</script>', html)
    payload = json.loads(found.group(1))
    tasks = {t["name"]: t for t in payload["tasks"]}
    assert tasks["施工许可"]["dependencies"] == [f"t{network['land'].pk}"]
    assert tasks["土地征收"]["critical"] is True and tasks["场地平整"]["critical"] is False
    assert payload["deadline"] == "2026-12-31"
    assert payload["milestones"][0]["status_label"] == "未到期"
    assert payload["scurve"]["plan"][-1] == 1200.0 and payload["scurve"]["actual"] == [None] * 12
    assert 'id="wallchart-gantt"' in html
    client.force_login(cast.yingze_admin)
    empty = client.get(reverse("plans:wallchart", args=[ledger.yingze.pk])).content.decode()
    assert 'data-testid="gantt-empty"' in empty


def test_the_schedule_downloads_as_xlsx(client, cast, ledger, network):
    client.force_login(cast.xiaodian_admin)
    response = client.get(reverse("plans:schedule-xlsx", args=[ledger.xiaodian.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_this_weeks_tasks_page(client, cast, ledger, network, django_assert_max_num_queries):
    client.force_login(cast.xiaodian_admin)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("plans:week"))
    html = response.content.decode()
    assert "土地征收" in html and "场地平整" in html
    client.force_login(cast.hebei_admin)
    assert 'data-testid="week-empty"' in client.get(reverse("plans:week")).content.decode()
    # A department of another province is not a filter one may use.
    response = client.get(reverse("plans:week"), {"department": cast.xiaodian_dept.department_id})
    assert response.status_code == 404


def test_region_pages_are_scoped(client, cast, ledger, network, geo):
    client.force_login(cast.taiyuan_admin)
    rolling = client.get(reverse("plans:rolling")).content.decode()
    assert "小店区" in rolling and "1,200.00" in rolling
    monthly = client.get(reverse("plans:monthly"), {"year": 2026}).content.decode()
    assert "年产10万吨高端电子新材料项目" in monthly
    xlsx = client.get(reverse("plans:monthly-xlsx"), {"year": 2026})
    assert xlsx.status_code == 200
    client.force_login(cast.xiaodian_admin)
    assert client.get(reverse("plans:rolling"), {"region": geo.taiyuan.code}).status_code == 404
    client.force_login(cast.hebei_admin)
    for name in ("plans:rolling", "plans:monthly", "plans:monthly-xlsx"):
        assert client.get(reverse(name), {"region": geo.shanxi.code}).status_code == 404


def test_the_calendar_page_edits_only_for_a_province_admin(client, cast):
    client.force_login(cast.taiyuan_admin)
    page = client.get(reverse("plans:calendar"), {"year": 2026}).content.decode()
    assert "春节" in page and "调休上班" in page
    response = client.post(
        reverse("plans:calendar-edit"), {"date": "2026-12-31", "kind": "holiday", "name": "试"}
    )
    assert response.status_code == 403
    client.force_login(cast.province_admin)
    client.post(
        reverse("plans:calendar-edit"), {"date": "2026-12-31", "kind": "holiday", "name": "跨年"}
    )
    assert AuditEvent.objects.filter(object_type="plans.calendarday").count() == 1
