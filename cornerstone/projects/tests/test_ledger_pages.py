"""The ledger list page: scope, filters, the six lists, htmx partials, pagination, queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.projects.choices import Kind, Tier

LIST = reverse("projects:list")


def names_on(response):
    return {p.name for p in response.context["page"].object_list}


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("province_admin", {"xiaodian", "yingze", "pingcheng"}),
        ("taiyuan_admin", {"xiaodian", "yingze"}),
        ("xiaodian_admin", {"xiaodian"}),
        ("pingcheng_admin", {"pingcheng"}),
        ("taiyuan_leader", {"xiaodian", "yingze"}),
        ("xiaodian_dept", {"xiaodian"}),
        ("owner", {"xiaodian"}),
        ("hebei_admin", {"changan"}),
    ],
)
def test_list_shows_only_the_users_scope(client, cast, ledger, user, expected):
    client.force_login(getattr(cast, user))
    response = client.get(LIST)
    assert response.status_code == 200
    assert names_on(response) == {getattr(ledger, key).name for key in expected}
    summary = response.context["summary"]
    assert summary.count == len(expected)
    assert summary.total_investment == sum(getattr(ledger, k).total_investment for k in expected)


@pytest.mark.django_db
def test_filters_combine_and_the_summary_follows_them(client, cast, ledger, geo):
    ProjectFactory(
        name="太原市级电子项目",
        region=geo.yingze,
        tier=Tier.PROVINCIAL,
        industry=geo.electronics,
        total_investment=Decimal("200000"),
    )
    client.force_login(cast.province_admin)
    response = client.get(LIST, {"region": "140100", "industry": "C", "threshold": "100000"})
    assert names_on(response) == {ledger.xiaodian.name, "太原市级电子项目"}
    assert response.context["summary"].total_investment == Decimal("350000")
    response = client.get(LIST, {"region": "140100", "tier": ["provincial"]})
    assert names_on(response) == {"太原市级电子项目"}
    response = client.get(LIST, {"industry": "44"})
    assert names_on(response) == {ledger.pingcheng.name}
    response = client.get(LIST, {"min_investment": "9000", "max_investment": "20000"})
    assert names_on(response) == {ledger.pingcheng.name}


@pytest.mark.django_db
def test_region_filter_cannot_widen_scope(client, cast, ledger):
    client.force_login(cast.xiaodian_admin)
    assert names_on(client.get(LIST, {"region": "140000"})) == {ledger.xiaodian.name}
    assert names_on(client.get(LIST, {"region": "130000"})) == set()


@pytest.mark.django_db
def test_text_search_matches_name_code_and_owner(client, cast, ledger):
    client.force_login(cast.province_admin)
    assert names_on(client.get(LIST, {"q": "电子新材料"})) == {ledger.xiaodian.name}
    assert names_on(client.get(LIST, {"q": ledger.pingcheng.code})) == {ledger.pingcheng.name}
    assert names_on(client.get(LIST, {"q": ledger.yingze.owner_org})) == {ledger.yingze.name}


@pytest.mark.django_db
def test_six_lists_are_views_of_the_ledger(client, cast, ledger):
    ledger.yingze.kind = Kind.RENOVATION
    ledger.yingze.save()
    client.force_login(cast.province_admin)
    response = client.get(LIST, {"list": "renovate"})
    assert names_on(response) == {ledger.yingze.name}
    assert response.context["active_list"] == "renovate"
    content = response.content.decode()
    for label in ("招商清单", "开工清单", "在建清单", "投产清单", "达产清单", "技改清单"):
        assert label in content


@pytest.mark.django_db
def test_sorting_by_investment_both_ways(client, cast, ledger):
    client.force_login(cast.province_admin)
    ascending = [p.name for p in client.get(LIST, {"sort": "invest"}).context["page"].object_list]
    descending = [p.name for p in client.get(LIST, {"sort": "-invest"}).context["page"].object_list]
    assert ascending[0] == ledger.yingze.name
    assert descending[0] == ledger.xiaodian.name
    assert ascending == list(reversed(descending))


@pytest.mark.django_db
def test_htmx_request_gets_only_the_results(client, cast, ledger):
    client.force_login(cast.province_admin)
    response = client.get(LIST, {"q": "电子"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="ledger-filters"' not in content
    assert ledger.xiaodian.name in content
    # The sort control is refreshed out of band so that the form keeps the current order.
    assert 'hx-swap-oob="true"' in content


@pytest.mark.django_db
def test_full_page_keeps_the_filter_in_its_controls(client, cast, ledger):
    client.force_login(cast.province_admin)
    content = client.get(LIST, {"q": "电子", "region": "140100", "tier": "city"}).content.decode()
    assert 'value="电子"' in content
    assert '<option value="140100" selected>' in content
    assert 'id="f-tier-city" autocomplete="off" checked' in content


@pytest.mark.django_db
def test_invalid_filter_value_is_reported_not_ignored(client, cast, ledger):
    client.force_login(cast.province_admin)
    response = client.get(LIST, {"tier": "galactic"})
    assert response.status_code == 200
    assert names_on(response) == set()
    assert "筛选条件有误" in response.content.decode()


@pytest.mark.django_db
def test_empty_result_says_so(client, cast, ledger):
    client.force_login(cast.province_admin)
    response = client.get(LIST, {"q": "不存在的项目名称"})
    assert 'data-testid="ledger-empty"' in response.content.decode()


@pytest.mark.django_db
def test_pagination_pages_through_the_filtered_set(client, cast, geo):
    ProjectFactory.create_batch(45, region=geo.xiaodian)
    client.force_login(cast.xiaodian_admin)
    first = client.get(LIST, {"per_page": 20})
    assert len(first.context["page"].object_list) == 20
    assert first.context["page"].paginator.num_pages == 3
    last = client.get(LIST, {"per_page": 20, "page": 3})
    assert len(last.context["page"].object_list) == 5
    seen = set()
    for page in (1, 2, 3):
        seen |= names_on(client.get(LIST, {"per_page": 20, "page": page}))
    assert len(seen) == 45


@pytest.mark.django_db
def test_query_count_does_not_grow_with_page_size(client, cast, geo, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.province_admin)
    ProjectFactory(region=geo.xiaodian, industry=geo.electronics, zone=geo.xiaodian_zone)
    with CaptureQueriesContext(connection) as one_row:
        client.get(LIST, {"per_page": 20})
    ProjectFactory.create_batch(
        60, region=geo.xiaodian, industry=geo.electronics, zone=geo.xiaodian_zone
    )
    with CaptureQueriesContext(connection) as many_rows:
        response = client.get(LIST, {"per_page": 200})
    assert len(response.context["page"].object_list) == 61
    assert len(many_rows) == len(one_row)
    with CaptureQueriesContext(connection) as partial:
        client.get(LIST, {"per_page": 200}, HTTP_HX_REQUEST="true")
    # Session, user, summary and rows; the filter options are only built for the full page.
    assert len(partial) <= 5
