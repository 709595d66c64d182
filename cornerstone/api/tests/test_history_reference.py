"""A project's history, and the reference data: regions, industries, stages."""

from __future__ import annotations

import pytest

from cornerstone.api.tests.conftest import assert_error, message_for

pytestmark = pytest.mark.django_db


def test_history_newest_first_and_paged(api_as, cast, ledger):
    api = api_as(cast.xiaodian_admin)
    url = f"/projects/{ledger.xiaodian.pk}"
    for investment in ("151000", "152000", "153000"):
        assert api.patch(url, {"total_investment": investment}).status_code == 200
    first = api.get(f"{url}/history", {"page_size": 2}).json()
    assert first["count"] == 3
    assert first["page_size"] == 2
    latest = first["results"][0]
    assert latest["changes"]["total_investment"] == {
        "label": "总投资（万元）",
        "before": "152000",
        "after": "153000",
    }
    assert latest["source"] == "api" and latest["source_label"] == "接口"
    assert latest["action"] == "update" and latest["action_label"] == "修改"
    assert latest["actor"] == cast.xiaodian_admin.get_full_name()
    second = api.get(f"{url}/history", {"page_size": 2, "page": 2}).json()
    assert [e["changes"]["total_investment"]["after"] for e in second["results"]] == ["151000"]
    # Readers in scope see the history too.
    assert api_as(cast.taiyuan_leader).get(f"{url}/history").json()["count"] == 3


def test_history_out_of_scope_is_404(api_as, cast, ledger):
    url = f"/projects/{ledger.xiaodian.pk}/history"
    assert_error(api_as(cast.yingze_admin).get(url), 404)
    assert_error(api_as(cast.hebei_admin).get(url), 404)
    assert_error(api_as(cast.owner).get(f"/projects/{ledger.yingze.pk}/history"), 404)


def test_history_page_size_is_bounded(api_as, cast, ledger):
    response = api_as(cast.xiaodian_admin).get(
        f"/projects/{ledger.xiaodian.pk}/history", {"page_size": 1000}
    )
    assert_error(response, 400, "page_size")


def test_regions_by_parent_level_and_text(api_as, cast, geo):
    api = api_as(cast.xiaodian_dept)
    children = api.get("/regions", {"parent": "140100"}).json()
    assert [r["code"] for r in children["results"]] == ["140105", "140106"]
    assert children["results"][0] == {
        "code": "140105",
        "name": "小店区",
        "full_name": "山西省太原市小店区",
        "level": "county",
        "level_label": "县级",
        "parent": "140100",
    }
    provinces = api.get("/regions", {"level": "province"}).json()
    assert [r["code"] for r in provinces["results"]] == ["130000", "140000"]
    assert [r["code"] for r in api.get("/regions", {"q": "迎泽"}).json()["results"]] == ["140106"]
    assert [r["code"] for r in api.get("/regions", {"q": "1402"}).json()["results"]] == [
        "140200",
        "140213",
    ]


def test_regions_reject_an_unknown_level(api_as, cast, geo):
    body = assert_error(api_as(cast.evaluator).get("/regions", {"level": "galaxy"}), 400, "level")
    assert "province" in message_for(body, "level")


def test_industries_by_level_and_section(api_as, cast, geo):
    api = api_as(cast.owner)
    sections = api.get("/industries", {"level": "section"}).json()
    assert [i["code"] for i in sections["results"]] == ["C", "D"]
    divisions = api.get("/industries", {"parent": "c"}).json()
    assert divisions["results"] == [
        {
            "code": "39",
            "name": "计算机、通信和其他电子设备制造业",
            "level": "division",
            "level_label": "大类",
            "parent": "C",
            "sector": 2,
            "sector_label": "第二产业",
        }
    ]
    assert_error(api.get("/industries", {"level": "group"}), 400, "level")


def test_stages_with_their_steps(api_as, cast, geo):
    stages = api_as(cast.taiyuan_leader).get("/stages").json()
    assert [s["name"] for s in stages] == ["谋划储备", "立项", "要件审批", "实施建设", "投产运营"]
    assert [step["code"] for step in stages[0]["steps"]] == ["conception", "reserve", "signing"]
    signing = stages[0]["steps"][2]
    assert signing["optional"] is True and signing["milestone"] == "signing"
