"""Campaigns through the API: the pages' services, scope, audit and error shape."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from cornerstone.campaigns.choices import Action
from cornerstone.campaigns.models import Campaign, CampaignProject
from cornerstone.campaigns.tests.conftest import campaign_make, entry_make, steps_settle
from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import ProjectFactory

pytestmark = pytest.mark.django_db
EARLIER = dt.date(2026, 1, 10)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(
        dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )
    return dt.date(2026, 11, 24)


def test_campaign_flow(api_as, cast, geo, ledger, today):
    admin = api_as(cast.taiyuan_admin)
    response = admin.post(
        "/campaigns",
        {
            "name": "太原市第四季度集中开工",
            "kind": "mass_start",
            "date": "2026-11-24",
            "region": "140100",
        },
    )
    assert response.status_code == 201, response.content
    campaign_id = response.json()["id"]
    venue = admin.post(
        f"/campaigns/{campaign_id}/venues",
        {"kind": "main", "region": "140105", "name": "综改区主会场", "address": "学府街"},
    )
    assert venue.status_code == 201 and venue.json()["region_name"] == "小店区"
    steps_settle(ledger.xiaodian, through="construction_permit", on=EARLIER)
    steps_settle(ledger.yingze, through="construction_permit", on=EARLIER)
    response = admin.post(
        f"/campaigns/{campaign_id}/projects",
        {
            "projects": [
                {
                    "project_id": ledger.xiaodian.pk,
                    "action": "start",
                    "venue_id": venue.json()["id"],
                },
                {"project_id": ledger.yingze.pk, "action": "start"},
            ]
        },
    )
    assert response.status_code == 201, response.content
    assert {p["project_id"] for p in response.json()["projects"]} == {
        ledger.xiaodian.pk,
        ledger.yingze.pk,
    }
    response = admin.post(f"/campaigns/{campaign_id}/confirm")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed"
    ledger.xiaodian.refresh_from_db()
    assert ledger.xiaodian.actual_start_date == today
    assert AuditEvent.objects.filter(
        project_id=ledger.xiaodian.pk, action="transition", source="api"
    ).exists()
    results = admin.get(f"/campaigns/{campaign_id}/results").json()
    assert results["headlines"] == ["太原市2个项目集中开工，总投资15.80亿元。"]
    assert results["total"]["total_investment"] == "158000.00"
    assert sum(Decimal(r["total_investment"]) for r in results["rows"]) == Decimal("158000.00")
    listed = admin.get("/campaigns", {"year": 2026, "kind": "mass_start"}).json()
    assert [(c["id"], c["project_count"]) for c in listed["results"]] == [(campaign_id, 2)]


def test_bad_enrolment_is_refused_whole_with_each_project_named(api_as, cast, geo, ledger, today):
    campaign = campaign_make(geo.taiyuan, cast.taiyuan_admin, date=today)
    entry_make(campaign, ledger.yingze, Action.SIGN)
    fresh = ProjectFactory(region=geo.xiaodian, name="新项目")
    before = CampaignProject.objects.count(), AuditEvent.objects.count()
    response = api_as(cast.taiyuan_admin).post(
        f"/campaigns/{campaign.pk}/projects",
        {
            "projects": [
                {"project_id": fresh.pk, "action": "start"},
                {"project_id": ledger.yingze.pk, "action": "start"},
                {"project_id": ledger.xiaodian.pk, "action": "produce"},
            ]
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert [e["field"] for e in body["errors"]] == ["projects", "projects"]
    assert "迎泽区老旧小区改造项目" in body["errors"][0]["message"]
    assert "项目尚未开工，不能集中投产。" in body["errors"][1]["message"]
    assert (CampaignProject.objects.count(), AuditEvent.objects.count()) == before
    response = api_as(cast.taiyuan_admin).post(
        f"/campaigns/{campaign.pk}/projects", {"projects": [{"project_id": "x", "action": 1}]}
    )
    assert response.status_code == 400


def test_future_event_cannot_be_confirmed(api_as, cast, geo, ledger, today):
    campaign = campaign_make(geo.taiyuan, cast.taiyuan_admin, date=dt.date(2026, 12, 1))
    entry_make(campaign, ledger.xiaodian, Action.START)
    response = api_as(cast.taiyuan_admin).post(f"/campaigns/{campaign.pk}/confirm")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "date", "message": "活动日期（2026-12-01）尚未到来，须在活动当天或之后确认。"}
    ]


def test_scope_and_denials(api_as, cast, geo, ledger, today):
    campaign = campaign_make(geo.taiyuan, cast.taiyuan_admin, date=today)
    entry_make(campaign, ledger.xiaodian, Action.START)
    entry_make(campaign, ledger.yingze, Action.SIGN)
    path = f"/campaigns/{campaign.pk}"
    hebei = api_as(cast.hebei_admin)
    for response in (
        hebei.get(path),
        hebei.get(path + "/results"),
        hebei.get(path + "/projects.xlsx"),
        hebei.post(path + "/confirm"),
        hebei.post(path + "/projects", {"projects": []}),
        hebei.delete(path + f"/projects/{ledger.xiaodian.pk}"),
    ):
        assert response.status_code == 404, response.content
    assert hebei.get("/campaigns").json()["count"] == 0
    leader = api_as(cast.taiyuan_leader)
    assert leader.get(path).status_code == 200
    assert leader.post(path + "/confirm").status_code == 403
    assert leader.delete(path + f"/projects/{ledger.xiaodian.pk}").status_code == 403
    assert leader.patch(path, {"name": "改名"}).status_code == 403
    county = api_as(cast.xiaodian_admin)
    assert county.get(path).json()["projects"][0]["project_id"] == ledger.xiaodian.pk
    assert county.post(path + "/confirm").status_code == 403
    assert county.get(path + "/results").json()["region"] == "140105"
    owner = api_as(cast.owner)
    assert [p["project_id"] for p in owner.get(path).json()["projects"]] == [ledger.xiaodian.pk]
    assert owner.get(path + "/results").status_code == 403
    assert owner.get(path + "/results.xlsx").status_code == 403
    assert (
        api_as(cast.taiyuan_admin).get(path + "/results", {"region": "140200"}).status_code == 404
    )
    assert Campaign.objects.get().status == "draft"


def test_update_remove_and_workbooks(api_as, cast, geo, ledger, today):
    campaign = campaign_make(geo.taiyuan, cast.taiyuan_admin, date=today)
    entry_make(campaign, ledger.xiaodian, Action.START)
    entry_make(campaign, ledger.yingze, Action.SIGN)
    admin = api_as(cast.taiyuan_admin)
    path = f"/campaigns/{campaign.pk}"
    response = admin.patch(path, {"name": "太原市集中签约开工活动"})
    assert response.status_code == 200 and response.json()["name"] == "太原市集中签约开工活动"
    assert admin.patch(path, {"region": "140200"}).status_code == 400
    response = admin.get(path + "/results.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A2"].value.startswith("太原市2个项目集中签约开工，总投资15.80亿元")
    assert admin.delete(path + f"/projects/{ledger.yingze.pk}").status_code == 204
    assert admin.delete(path + f"/projects/{ledger.yingze.pk}").status_code == 404
    response = admin.get(path + "/projects.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [r[3] for r in sheet.iter_rows(min_row=4, values_only=True)] == [
        ledger.xiaodian.name,
        None,
    ]
