"""GET /api/v1/projects: the list page's filters, scoped, paged, in a constant number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cornerstone.api.tests.conftest import assert_error, message_for
from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.projects.choices import Kind, Tier

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_city_admin_sees_its_counties_with_ledger_columns(api_as, cast, ledger, geo):
    response = api_as(cast.taiyuan_admin).get("/projects")
    body = response.json()
    assert body["count"] == 2
    assert Decimal(body["total_investment"]) == Decimal("158000.00")
    assert body["page"] == 1
    assert body["page_size"] == 50
    # Default order: total investment, highest first.
    assert ids(response) == [ledger.xiaodian.pk, ledger.yingze.pk]
    row = body["results"][0]
    assert row["code"] == ledger.xiaodian.code
    assert row["region"] == {"code": "140105", "name": "小店区", "full_name": "山西省太原市小店区"}
    assert row["zone"] == {"id": geo.xiaodian_zone.pk, "name": geo.xiaodian_zone.name}
    assert row["tier"] == "city" and row["tier_label"] == "市重点"
    assert row["category_label"] == "产业"
    assert row["kind"] == "new" and row["kind_label"] == "新开工"
    assert row["industry"] == {"code": "39", "name": "计算机、通信和其他电子设备制造业"}
    assert row["stage"]["name"] == "谋划储备"
    assert row["total_investment"] == "150000.00"
    assert row["owner_org"] == ledger.xiaodian.owner_org
    assert row["planned_start_date"] is None


def test_scope_per_cast_member(api_as, cast, ledger):
    assert ids(api_as(cast.province_admin).get("/projects")) == [
        ledger.xiaodian.pk,
        ledger.pingcheng.pk,
        ledger.yingze.pk,
    ]
    assert ids(api_as(cast.yingze_admin).get("/projects")) == [ledger.yingze.pk]
    assert ids(api_as(cast.owner).get("/projects")) == [ledger.xiaodian.pk]
    assert ids(api_as(cast.hebei_admin).get("/projects")) == [ledger.changan.pk]
    assert ids(api_as(cast.taiyuan_leader).get("/projects")) == [
        ledger.xiaodian.pk,
        ledger.yingze.pk,
    ]


def test_filters_are_the_list_pages_filters(api_as, cast, ledger, geo):
    ProjectFactory(
        name="省重点技改项目",
        region=geo.yingze,
        tier=Tier.PROVINCIAL,
        kind=Kind.RENOVATION,
        total_investment="5000",
    )
    api = api_as(cast.province_admin)
    assert ids(api.get("/projects", {"region": "140100", "q": "小区"})) == [ledger.yingze.pk]
    assert len(ids(api.get("/projects", {"tier": ["provincial", "county"]}))) == 1
    assert len(ids(api.get("/projects", {"tier": ["provincial", "city"]}))) == 4
    assert ids(api.get("/projects", {"industry": "D"})) == [ledger.pingcheng.pk]
    assert ids(api.get("/projects", {"min_investment": "10000", "max_investment": "200000"})) == [
        ledger.xiaodian.pk,
        ledger.pingcheng.pk,
    ]
    assert len(ids(api.get("/projects", {"list": "renovate"}))) == 1
    assert ids(api.get("/projects", {"zone": geo.xiaodian_zone.pk})) == [ledger.xiaodian.pk]
    assert ids(api.get("/projects", {"threshold": "100000"})) == [ledger.xiaodian.pk]
    ascending = ids(api.get("/projects", {"sort": "invest", "region": "140100"}))
    assert ascending[-1] == ledger.xiaodian.pk
    # Filtering never widens scope.
    assert ids(api_as(cast.yingze_admin).get("/projects", {"region": "140105"})) == []


def test_summary_counts_every_match_not_just_the_page(api_as, cast, ledger):
    body = api_as(cast.province_admin).get("/projects", {"page_size": 1, "page": 2}).json()
    assert body["count"] == 3
    assert [r["id"] for r in body["results"]] == [ledger.pingcheng.pk]
    assert Decimal(body["total_investment"]) == Decimal("170000.00")
    beyond = api_as(cast.province_admin).get("/projects", {"page_size": 1, "page": 9}).json()
    assert beyond["count"] == 3 and beyond["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tier": ["provincial", "galactic"]}, "tier"),
        ({"min_investment": "many"}, "min_investment"),
        ({"sort": "colour"}, "sort"),
        ({"list": "wish"}, "list"),
        ({"zone": "first"}, "zone"),
        ({"page_size": "500"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page": "first"}, "page"),
    ],
)
def test_invalid_filter_values_are_400_naming_the_parameter(api_as, cast, ledger, params, field):
    body = assert_error(api_as(cast.province_admin).get("/projects", params), 400, field)
    assert message_for(body, field)


def test_page_size_limit_is_in_chinese(api_as, cast, ledger):
    body = assert_error(api_as(cast.province_admin).get("/projects", {"page_size": 201}), 400)
    assert message_for(body, "page_size") == "不能大于 200。"


def test_query_count_does_not_grow_with_page_size(api_as, cast, geo):
    for n in range(50):
        ProjectFactory(
            region=geo.xiaodian if n % 2 else geo.yingze,
            zone=geo.xiaodian_zone if n % 2 else None,
            industry=geo.electronics,
        )
    api = api_as(cast.taiyuan_admin)
    api.get("/projects")  # the token's first use is noted once; later calls only read it

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.get("/projects", {"page_size": page_size})
        assert len(response.json()["results"]) == page_size
        return len(captured)

    one, fifty = queries(1), queries(50)
    assert one == fifty
    # Token lookup, count and sum, the page's ids, then its rows with their labels.
    assert fifty <= 4
