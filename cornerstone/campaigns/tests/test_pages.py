"""Pages: list with filters and paging, create, detail with enrolment, confirm, results, xlsx."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cornerstone.campaigns.choices import Action, CampaignKind, CampaignStatus
from cornerstone.campaigns.models import Campaign, CampaignProject
from cornerstone.campaigns.tests.conftest import campaign_make, entry_make, steps_settle
from cornerstone.core.testing.factories import ProjectFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_filters_pages_and_is_scoped(geo, cast, frozen_today, django_assert_max_num_queries):
    for i in range(30):
        campaign_make(
            geo.taiyuan,
            cast.taiyuan_admin,
            name=f"太原活动{i:02d}",
            date=dt.date(2025 + i % 2, 3, 1 + i % 28),
            kind=CampaignKind.MASS_START if i % 3 == 0 else CampaignKind.THREE_BATCHES,
        )
    campaign_make(geo.hebei, cast.hebei_admin, name="河北活动")
    client = client_for(cast.taiyuan_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("campaigns:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("太原活动") == 25 and "河北活动" not in body
    assert "第 1–25 条，共 30 条" in body
    page2 = client.get(reverse("campaigns:list"), {"page": 2}).content.decode()
    assert page2.count("太原活动") == 5
    filtered = client.get(
        reverse("campaigns:list"), {"year": "2026", "kind": "mass_start"}, **HTMX
    ).content.decode()
    expected = [i for i in range(30) if i % 2 == 1 and i % 3 == 0]
    assert filtered.count("太原活动") == len(expected)
    assert "<html" not in filtered  # htmx gets the results only
    empty = client_for(cast.hebei_admin).get(reverse("campaigns:list"), {"year": "2025"})
    assert "没有符合条件的集中活动。" in empty.content.decode()
    bad = client.get(reverse("campaigns:list"), {"year": "二〇二六"}).content.decode()
    assert "筛选条件有误" in bad


def test_create_page(geo, cast, frozen_today):
    client = client_for(cast.taiyuan_admin)
    assert client.get(reverse("campaigns:create")).status_code == 200
    response = client.post(
        reverse("campaigns:create"),
        {
            "name": "太原市集中开工活动",
            "kind": "mass_start",
            "date": "2026-11-30",
            "region": "140100",
        },
    )
    campaign = Campaign.objects.get()
    assert response.url == reverse("campaigns:detail", args=[campaign.pk])
    response = client.post(
        reverse("campaigns:create"),
        {"name": "", "kind": "mass_start", "date": "2026-11-30", "region": "140100"},
    )
    assert response.status_code == 200 and "这个字段是必填项。" in response.content.decode()
    assert Campaign.objects.count() == 1
    assert client_for(cast.taiyuan_leader).get(reverse("campaigns:create")).status_code == 403


def test_detail_scope(geo, cast, ledger, taiyuan_campaign):
    entry_make(taiyuan_campaign, ledger.xiaodian, Action.START)
    entry_make(taiyuan_campaign, ledger.yingze, Action.SIGN)
    url = reverse("campaigns:detail", args=[taiyuan_campaign.pk])
    admin = client_for(cast.taiyuan_admin).get(url).content.decode()
    assert ledger.xiaodian.name in admin and ledger.yingze.name in admin
    assert 'data-testid="enrol-search"' in admin
    owner = client_for(cast.owner).get(url).content.decode()
    assert ledger.xiaodian.name in owner and ledger.yingze.name not in owner
    assert 'data-testid="results-link"' not in owner
    leader = client_for(cast.taiyuan_leader).get(url).content.decode()
    assert ledger.yingze.name in leader and 'data-testid="enrol-search"' not in leader
    assert client_for(cast.hebei_admin).get(url).status_code == 404
    assert client_for(cast.datong_admin).get(url).status_code == 404


def test_enrol_through_htmx_search_and_remove(geo, cast, ledger, taiyuan_campaign):
    client = client_for(cast.taiyuan_admin)
    url = reverse("campaigns:detail", args=[taiyuan_campaign.pk])
    found = client.get(url, {"part": "candidates", "q": "电子新材料"}, **HTMX).content.decode()
    assert ledger.xiaodian.code in found and "<html" not in found
    outside = client.get(url, {"part": "candidates", "q": "平城"}, **HTMX).content.decode()
    assert "没有可加入的匹配项目" in outside
    enrol = reverse("campaigns:enrol", args=[taiyuan_campaign.pk])
    response = client.post(enrol, {"project": ledger.xiaodian.pk, "action": "start"}, **HTMX)
    assert ledger.xiaodian.name in response.content.decode()
    assert 'id="candidates" hx-swap-oob="true"' in response.content.decode()
    assert CampaignProject.objects.filter(project=ledger.xiaodian, action="start").exists()
    again = client.post(enrol, {"project": ledger.xiaodian.pk, "action": "sign"}, **HTMX)
    assert "已在本次活动中（开工），不能重复加入。" in again.content.decode()
    assert CampaignProject.objects.count() == 1
    remove = reverse("campaigns:remove", args=[taiyuan_campaign.pk, ledger.xiaodian.pk])
    assert client_for(cast.taiyuan_leader).post(remove).status_code == 403
    client.post(remove, **HTMX)
    assert not CampaignProject.objects.exists()


def test_readiness_is_shown_before_confirming(geo, cast, ledger, taiyuan_campaign):
    steps_settle(ledger.xiaodian, through="environment", on=dt.date(2026, 1, 1))
    entry_make(taiyuan_campaign, ledger.xiaodian, Action.START)
    body = (
        client_for(cast.taiyuan_admin)
        .get(reverse("campaigns:detail", args=[taiyuan_campaign.pk]))
        .content.decode()
    )
    assert "确认前须办结：施工许可" in body


def test_confirm_page_flow(geo, cast, ledger, taiyuan_campaign):
    steps_settle(ledger.xiaodian, through="construction_permit", on=dt.date(2026, 1, 1))
    entry_make(taiyuan_campaign, ledger.xiaodian, Action.START)
    entry_make(taiyuan_campaign, ledger.yingze, Action.PRODUCE)  # never started
    client = client_for(cast.taiyuan_admin)
    confirm = reverse("campaigns:confirm", args=[taiyuan_campaign.pk])
    response = client.post(confirm, follow=True)
    assert "项目尚未开工，不能集中投产。" in response.content.decode()
    taiyuan_campaign.refresh_from_db()
    assert taiyuan_campaign.status == CampaignStatus.DRAFT
    CampaignProject.objects.filter(project=ledger.yingze).delete()
    response = client.post(confirm, follow=True)
    assert "活动已确认" in response.content.decode()
    taiyuan_campaign.refresh_from_db()
    assert taiyuan_campaign.status == CampaignStatus.CONFIRMED
    assert client_for(cast.taiyuan_leader).post(confirm).status_code == 403


@pytest.fixture
def province_campaign(geo, cast, ledger, frozen_today):
    campaign = campaign_make(geo.shanxi, cast.province_admin, name="全省三个一批")
    geo.xiaodian_zone.kind = "national"
    geo.xiaodian_zone.save()
    extra = ProjectFactory(
        name="太原本级项目", region=geo.taiyuan, total_investment=Decimal("1234.56")
    )
    entry_make(campaign, ledger.xiaodian, Action.START)  # 150,000.00 in the zone
    entry_make(campaign, ledger.yingze, Action.SIGN)  # 8,000.00
    entry_make(campaign, ledger.pingcheng, Action.START)  # 12,000.00
    entry_make(campaign, extra, Action.SIGN)
    return campaign


def test_results_page_reconciles_and_drills_down(cast, ledger, province_campaign):
    client = client_for(cast.province_admin)
    url = reverse("campaigns:results", args=[province_campaign.pk])
    body = client.get(url).content.decode()
    assert (
        "山西省4个项目集中签约开工，总投资17.12亿元；其中签约项目2个，总投资0.92亿元；开工项目2个，总投资16.20亿元。"
        in body
    )
    assert "全省开发区共开工项目1个" in body
    assert 'href="?region=140100"' in body
    taiyuan = client.get(url, {"region": "140100"})
    body = taiyuan.content.decode()
    assert "太原市3个项目集中签约开工，总投资15.92亿元" in body
    assert 'data-testid="row-140100-own"' in body  # the city-level project
    assert taiyuan.context["results"].root.totals.amount == sum(
        e.amount for e in taiyuan.context["entries"]
    )
    assert client.get(url, {"region": "130100"}).status_code == 404
    assert client.get(url, {"region": "999999"}).status_code == 404
    assert client_for(cast.owner).get(url).status_code == 403
    assert client_for(cast.hebei_admin).get(url).status_code == 404
    county = client_for(cast.xiaodian_admin).get(url).content.decode()
    assert "小店区1个项目集中开工，总投资15.00亿元。" in county


def test_workbooks(cast, ledger, province_campaign):
    client = client_for(cast.taiyuan_admin)
    response = client.get(reverse("campaigns:projects-xlsx", args=[province_campaign.pk]))
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    names = [r[3] for r in rows[:-1]]
    assert sorted(names) == sorted([ledger.xiaodian.name, ledger.yingze.name, "太原本级项目"])
    assert rows[-1][1] == "合计" and Decimal(str(rows[-1][7])) == Decimal("159234.56")
    assert "太原市3个项目集中签约开工" in sheet["A2"].value
    response = client.get(
        reverse("campaigns:results-xlsx", args=[province_campaign.pk]), {"region": "140100"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(values) if r[0] == "区划")
    table = values[header + 1 :]
    table = table[: next((i for i, r in enumerate(table) if r[0] is None), len(table))]
    total, *children = table
    assert total[:3] == ("太原市合计", 3, 159234.56)
    assert [r[0] for r in children] == ["太原市本级", "小店区", "迎泽区"]
    assert sum(r[1] for r in children) == 3
    assert sum(Decimal(str(r[2])) for r in children) == Decimal("159234.56")
    owner = client_for(cast.owner)
    assert (
        owner.get(reverse("campaigns:results-xlsx", args=[province_campaign.pk])).status_code == 403
    )
    response = owner.get(reverse("campaigns:projects-xlsx", args=[province_campaign.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [r[3] for r in sheet.iter_rows(min_row=4, values_only=True)][:-1] == [
        ledger.xiaodian.name
    ]


def test_detail_and_results_pages_do_not_query_per_row(
    geo, cast, taiyuan_campaign, django_assert_max_num_queries
):
    for i in range(40):
        project = ProjectFactory(region=geo.xiaodian if i % 2 else geo.yingze)
        entry_make(taiyuan_campaign, project, Action.START if i % 3 else Action.SIGN)
    client = client_for(cast.taiyuan_admin)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("campaigns:detail", args=[taiyuan_campaign.pk]))
    assert response.content.decode().count('data-testid="blockers"') == 40
    with django_assert_max_num_queries(20):
        response = client.get(reverse("campaigns:results", args=[taiyuan_campaign.pk]))
    assert response.context["results"].root.totals.count == 40
