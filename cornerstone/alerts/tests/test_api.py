"""The alerts API: scope, filters, rule sets, justifications, recompute."""

import pytest

from cornerstone.alerts.models import Justification, RuleSet
from cornerstone.alerts.presets import preset_params
from cornerstone.alerts.services import lights_recompute
from cornerstone.alerts.tests.conftest import actuals, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def lit(ledger, geo, frozen_today):
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


def test_lights_list_scoped_and_filtered(client, cast, lit, django_assert_max_num_queries):
    client.force_login(cast.taiyuan_admin)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/lights?page_size=10").json()
    assert body["count"] == 2
    assert body["results"][0]["colour"] == "red"
    assert body["results"][0]["reasons"][0]["rule"] == "progress"
    red = client.get("/api/v1/lights?colour=red").json()
    assert [r["project_id"] for r in red["results"]] == [lit.xiaodian.pk]
    assert client.get("/api/v1/lights?rule=progress").json()["count"] == 1
    assert client.get("/api/v1/lights?colour=purple").status_code == 400
    client.force_login(cast.hebei_admin)
    assert client.get("/api/v1/lights").json()["count"] == 0
    assert client.get(f"/api/v1/projects/{lit.xiaodian.pk}/lights").status_code == 404


def test_project_history(client, cast, lit):
    client.force_login(cast.owner)
    months = client.get(f"/api/v1/projects/{lit.xiaodian.pk}/lights").json()["months"]
    assert len(months) == 12 and months[-1]["colour"] == "red" and months[0] is None
    assert client.get(f"/api/v1/projects/{lit.yingze.pk}/lights").status_code == 404


def test_rule_set_put_validates_and_denies(client, cast, lit, geo):
    rule_set = RuleSet.objects.get()
    client.force_login(cast.province_admin)
    params = preset_params("yinchuan_2025")
    params["progress"]["red"] = 5  # below yellow 10
    response = client.put(
        f"/api/v1/rule-sets/{rule_set.pk}",
        {"region": geo.shanxi.code, "preset": "yinchuan_2025", "params": params},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "progress.red"
    params["progress"]["red"] = 40
    response = client.put(
        f"/api/v1/rule-sets/{rule_set.pk}",
        {"region": geo.shanxi.code, "preset": "yinchuan_2025", "params": params},
        content_type="application/json",
    )
    assert response.status_code == 200
    rule_set.refresh_from_db()
    assert rule_set.params["progress"]["red"] == 40
    client.force_login(cast.taiyuan_leader)
    assert client.get(f"/api/v1/rule-sets/{rule_set.pk}").status_code == 200
    response = client.put(
        f"/api/v1/rule-sets/{rule_set.pk}",
        {"region": geo.shanxi.code, "preset": "sanya_2022"},
        content_type="application/json",
    )
    assert response.status_code == 403
    client.force_login(cast.taiyuan_admin)
    response = client.put(
        f"/api/v1/rule-sets/{rule_set.pk}",
        {"region": geo.shanxi.code, "preset": "sanya_2022"},
        content_type="application/json",
    )
    assert response.status_code == 404  # a province's rule set is not a city admin's
    client.force_login(cast.hebei_admin)
    assert client.get(f"/api/v1/rule-sets/{rule_set.pk}").status_code == 404
    rule_set.refresh_from_db()
    assert rule_set.preset == "yinchuan_2025"


def test_justification_flow_and_recompute(client, cast, lit, django_capture_on_commit_callbacks):
    client.force_login(cast.owner)
    response = client.post(
        f"/api/v1/projects/{lit.xiaodian.pk}/justifications",
        {"rule": "nothing", "reason": "理由"},
        content_type="application/json",
    )
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/projects/{lit.xiaodian.pk}/justifications",
        {"rule": "progress", "reason": "设备款下月支付"},
        content_type="application/json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    decide = f"/api/v1/justifications/{pk}/decision"
    assert client.post(decide, {"accept": True}, content_type="application/json").status_code == 403
    client.force_login(cast.datong_admin)
    assert client.post(decide, {"accept": True}, content_type="application/json").status_code == 404
    client.force_login(cast.xiaodian_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide, {"accept": True}, content_type="application/json")
    assert response.json()["status"] == "accepted"
    assert Justification.objects.get().decided_by == cast.xiaodian_admin
    light = client.get(f"/api/v1/lights?colour=green&region={lit.xiaodian.region_id}").json()
    assert light["results"][0]["reasons"][0]["suppressed"]
    client.force_login(cast.taiyuan_leader)
    assert client.post("/api/v1/lights/recompute").status_code == 403
    client.force_login(cast.taiyuan_admin)
    assert client.post("/api/v1/lights/recompute").json() == {"queued": 2}
