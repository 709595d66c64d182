"""The alerts pages: scope on every page, the rule set form, justifications."""

import datetime as dt

import pytest

from cornerstone.alerts.models import Justification, ProjectLight, RuleSet
from cornerstone.alerts.presets import preset_params
from cornerstone.alerts.services import lights_recompute
from cornerstone.alerts.tests.conftest import actuals, plan
from cornerstone.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def lit(ledger, geo, frozen_today):
    """A Yinchuan rule set on 山西; 小店 behind plan (red), the others green."""
    RuleSet.objects.create(
        name="山西省预警规则",
        region=geo.shanxi,
        preset="yinchuan_2025",
        params=preset_params("yinchuan_2025"),
    )
    plan(ledger.xiaodian, 2026, 100)
    actuals(ledger.xiaodian, 2026, [10] * 11)
    lights_recompute()
    return ledger


def test_overview_lists_red_and_yellow_in_scope(client, cast, lit, django_assert_max_num_queries):
    client.force_login(cast.taiyuan_admin)
    with django_assert_max_num_queries(12):
        response = client.get("/alerts/")
    body = response.content.decode()
    assert response.status_code == 200
    assert lit.xiaodian.name in body
    assert "低于序时进度" in body
    assert lit.yingze.name not in body  # green is hidden unless asked for
    assert lit.pingcheng.name not in body
    green = client.get("/alerts/?colour=green").content.decode()
    assert lit.yingze.name in green and lit.pingcheng.name not in green


def test_overview_counts_per_sub_region(client, cast, lit):
    client.force_login(cast.province_admin)
    response = client.get("/alerts/")
    counts = {c.region.code: (c.red, c.yellow, c.green) for c in response.context["counts"]}
    assert counts == {"140100": (1, 0, 1), "140200": (0, 0, 1)}


def test_other_province_sees_nothing(client, cast, lit):
    client.force_login(cast.hebei_admin)
    assert client.get("/alerts/").context["page"].paginator.count == 0
    assert client.get("/alerts/?region=140000").status_code == 404
    assert client.get(f"/alerts/projects/{lit.xiaodian.pk}/").status_code == 404


def test_project_history_strip_and_scope(client, cast, lit, geo):
    ProjectLight.objects.create(
        project=lit.xiaodian,
        year=2026,
        month=10,
        colour="yellow",
        reasons=[{"rule": "progress", "colour": "yellow", "text": "十月的原因"}],
        computed_at=dt.datetime(2026, 10, 31, tzinfo=dt.UTC),
    )
    client.force_login(cast.owner)
    response = client.get(f"/alerts/projects/{lit.xiaodian.pk}/")
    assert response.status_code == 200
    history = response.context["history"]
    assert len(history) == 12 and history[-1][:2] == (2026, 11) and history[0][:2] == (2025, 12)
    assert [h[2].colour for h in history if h[2]] == ["yellow", "red"]
    assert "十月的原因" in response.content.decode()
    assert client.get(f"/alerts/projects/{lit.yingze.pk}/").status_code == 404
    client.force_login(cast.yingze_admin)
    assert client.get(f"/alerts/projects/{lit.xiaodian.pk}/").status_code == 404


def test_rule_set_create_and_validation(
    client, cast, geo, ledger, frozen_today, django_capture_on_commit_callbacks
):
    client.force_login(cast.taiyuan_admin)
    form = {
        "name": "",
        "region": geo.taiyuan.code,
        "tier": "",
        "preset": "sanya_2022",
        "active": "on",
        "progress.enabled": "on",
        "progress.measure": "shortfall",
        "progress.yellow": "0",
        "progress.red": "abc",
        "progress.min_annual": "1000",
        "start.red_months": "3",
        "inclusion.yellow_months": "1",
        "inclusion.red_months": "3",
        "inclusion.min_total": "500",
        "milestone.red_days": "30",
        "reports.yellow_cycles": "1",
        "reports.red_cycles": "2",
        "region.mode": "monthly_task",
        "region.red_months": "2",
    }
    response = client.post("/alerts/rules/new/", form)
    assert response.status_code == 200
    assert "进度预警：红灯阈值：“abc”不是数字。" in response.content.decode()
    assert not RuleSet.objects.exists()
    form["progress.red"] = "40"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/alerts/rules/new/", form)
    assert response.status_code == 302
    rule_set = RuleSet.objects.get()
    assert rule_set.params["progress"]["red"] == 40.0
    assert rule_set.name == "太原市预警规则"
    assert AuditEvent.objects.filter(object_type="alerts.ruleset").count() == 1
    # the recompute ran (immediate backend): 太原's two projects now have lights
    assert ProjectLight.objects.filter(rule_set=rule_set).count() == 2
    again = client.post("/alerts/rules/new/", form)
    assert "该区划已有适用于此级别的预警规则" in again.content.decode()


def test_rule_set_denials(client, cast, geo):
    client.force_login(cast.taiyuan_leader)
    assert client.get("/alerts/rules/new/").status_code == 403
    client.force_login(cast.xiaodian_admin)
    form = {"region": geo.taiyuan.code, "preset": "yinchuan_2025"}
    response = client.post("/alerts/rules/new/", form)
    assert response.status_code == 404  # 太原 is outside the admin's regions
    assert not RuleSet.objects.exists()
    province = RuleSet.objects.create(
        name="省", region=geo.shanxi, preset="yinchuan_2025", params=preset_params("yinchuan_2025")
    )
    assert client.get(f"/alerts/rules/{province.pk}/").status_code == 200  # applies to them
    assert (
        client.post(
            f"/alerts/rules/{province.pk}/", {"region": geo.shanxi.code, "preset": "yinchuan_2025"}
        ).status_code
        == 404
    )
    client.force_login(cast.hebei_admin)
    assert client.get(f"/alerts/rules/{province.pk}/").status_code == 404


def test_justification_propose_accept_suppresses(
    client, cast, lit, django_capture_on_commit_callbacks
):
    client.force_login(cast.owner)
    response = client.post(
        f"/alerts/projects/{lit.xiaodian.pk}/justify/", {"rule": "progress", "reason": "x"}
    )
    assert "理由：请写明理由（至少4个字）。" in response.content.decode()
    client.post(
        f"/alerts/projects/{lit.xiaodian.pk}/justify/",
        {"rule": "progress", "reason": "设备采购合同已签，款项下月支付"},
    )
    justification = Justification.objects.get()
    assert justification.status == "proposed"
    assert (
        client.post(
            f"/alerts/justifications/{justification.pk}/decide/", {"decision": "accept"}
        ).status_code
        == 403
    )
    client.force_login(cast.yingze_admin)
    assert (
        client.post(
            f"/alerts/justifications/{justification.pk}/decide/", {"decision": "accept"}
        ).status_code
        == 404
    )
    client.force_login(cast.xiaodian_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/alerts/justifications/{justification.pk}/decide/", {"decision": "accept"})
    justification.refresh_from_db()
    assert justification.status == "accepted"
    light = ProjectLight.objects.get(project=lit.xiaodian, year=2026, month=11)
    assert light.colour == "green"
    assert light.reasons[0]["suppressed"] == "已认可情况说明：设备采购合同已签，款项下月支付"
    page = client.get(f"/alerts/projects/{lit.xiaodian.pk}/").content.decode()
    assert "已认可情况说明" in page


def test_reject_needs_a_note(client, cast, lit):
    j = Justification.objects.create(project=lit.xiaodian, rule="progress", reason="理由充分的说明")
    client.force_login(cast.xiaodian_admin)
    client.post(f"/alerts/justifications/{j.pk}/decide/", {"decision": "reject"}, follow=True)
    j.refresh_from_db()
    assert j.status == "proposed"
    client.post(
        f"/alerts/justifications/{j.pk}/decide/", {"decision": "reject", "note": "证据不足"}
    )
    j.refresh_from_db()
    assert (j.status, j.decision_note) == ("rejected", "证据不足")


def test_region_lights_and_lists_pages(client, cast, lit, django_assert_max_num_queries):
    client.force_login(cast.taiyuan_admin)
    for url in ("/alerts/regions/", "/alerts/rules/", "/alerts/justifications/"):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
    assert "山西省预警规则" in client.get("/alerts/rules/").content.decode()
