"""The statistics API: the same figures as the pages, the same filters, the same scope."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cornerstone.accounts.services import api_token_create
from cornerstone.stats.tests.figures import NOW, PERIOD, figures_build

pytestmark = pytest.mark.django_db

BY = ("region", "industry", "tier", "category", "kind")
MONEY = ("total_investment", "completed", "completed_last_year", "plan")


@pytest.fixture
def figures(ledger, time_machine):
    time_machine.move_to(NOW, tick=False)
    return figures_build(ledger)


def _get(client, path, **params):
    return client.get(f"/api/v1/stats/{path}", {**PERIOD, **params})


def _errors(response, status):
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    return {e["field"]: e["message"] for e in body["errors"]}


def test_overview_gives_kpis_with_formulas_and_every_table(
    client, cast, figures, django_assert_max_num_queries
):
    client.force_login(cast.province_admin)
    with django_assert_max_num_queries(16):
        response = _get(client, "overview")
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["month"], body["region"]) == (2026, 10, "140000")
    assert body["has_data"] is True
    kpis = {k["code"]: k for k in body["kpis"]}
    assert kpis["completion_rate"] == {
        "code": "completion_rate",
        "label": "投资完成率",
        "unit": "percent",
        "formula": "1—N月完成投资 ÷ 年度计划投资 × 100%",
        "value": "34.31",
        "text": "34.31%",
    }
    assert kpis["completed_investment"]["value"] == "700.00"
    assert kpis["production_rate"]["value"] is None and kpis["production_rate"]["text"] == "—"
    assert body["time_progress"] == "落后时间进度49.02个百分点"
    assert [(r["key"], r["name"]) for r in body["rows"]] == [("1401", "太原市"), ("1402", "大同市")]
    assert body["total"]["completed"] == "700.00" and body["total"]["plan"] == "2040.00"
    assert body["series"][9]["completed"] == "700.00" and body["series"][10]["completed"] is None
    assert body["series"][11]["planned"] == "2040.00"
    assert [f["label"] for f in body["funnel"]] == [
        "储备",
        "前期",
        "开工",
        "在建",
        "竣工",
        "投产",
        "达产",
    ]
    assert body["lights"] == {"red": 1, "yellow": 0, "green": 0}
    assert [p["project_id"] for p in body["lagging"]] == [figures.xiaodian.pk]
    assert body["lagging"][0]["reasons"] == ["完成投资低于序时进度"]


@pytest.mark.parametrize("by", BY)
def test_breakdown_rows_add_up_to_the_total(client, cast, figures, by):
    client.force_login(cast.province_admin)
    body = _get(client, "breakdown", by=by).json()
    assert body["by"] == by
    total = body["total"]
    assert sum(r["projects"] for r in body["rows"]) == total["projects"] == 3
    for field in MONEY:
        assert sum(Decimal(r[field]) for r in body["rows"]) == Decimal(total[field]), field
    for metric, count in total["events"].items():
        assert sum(r["events"].get(metric, 0) for r in body["rows"]) == count, metric


def test_breakdown_of_a_county_is_by_zone(client, cast, figures, geo):
    client.force_login(cast.xiaodian_admin)
    body = _get(client, "breakdown", by="region").json()
    assert body["by"] == "zone"
    assert [(r["key"], r["name"]) for r in body["rows"]] == [
        (str(geo.xiaodian_zone.pk), geo.xiaodian_zone.name)
    ]


def test_projects_behind_a_count_a_page_at_a_time(client, cast, figures):
    client.force_login(cast.province_admin)
    total = _get(client, "breakdown").json()["total"]
    first = _get(client, "projects", metric="started", page_size=1).json()
    assert first["count"] == total["events"]["started"] == 2
    assert first["label"] == "计划新开工中已开工"
    second = _get(client, "projects", metric="started", page_size=1, page=2).json()
    ids = {first["results"][0]["id"], second["results"][0]["id"]}
    assert ids == {figures.xiaodian.pk, figures.yingze.pk}
    # Largest investment first: 小店 (15亿) before 迎泽.
    assert first["results"][0]["name"] == figures.xiaodian.name
    assert first["results"][0]["actual_start_date"] == "2026-03-15"
    assert first["results"][0]["total_investment"] == "150000.00"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tier": "galactic"}, "tier"),
        ({"month": "13"}, "month"),
        ({"year": "1999"}, "year"),
        ({"region": "abc"}, "region"),
        ({"section": "Z9"}, "section"),
        ({"threshold": "1"}, "threshold"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(client, cast, figures, params, field):
    client.force_login(cast.province_admin)
    for path in ("overview", "breakdown", "projects"):
        errors = _errors(_get(client, path, metric="started", **params), 400)
        assert errors.get(field), (path, errors)


def test_unknown_breakdown_or_metric_is_400(client, cast, figures):
    client.force_login(cast.province_admin)
    assert "by" in _errors(_get(client, "breakdown", by="colour"), 400)
    assert "未知的统计口径" in _errors(_get(client, "projects", metric="bogus"), 400)["metric"]
    assert "metric" in _errors(_get(client, "projects"), 400)


def test_region_outside_scope_is_403_and_shows_nothing(client, cast, figures):
    client.force_login(cast.xiaodian_admin)
    own = _get(client, "overview").json()
    assert own["total"]["completed"] == "100.00"
    for region in ("140106", "140100", "140000", "130000"):
        for path in ("overview", "breakdown", "projects"):
            response = _get(client, path, region=region, metric="started")
            _errors(response, 403)
            assert "不在您的管辖范围内" in response.json()["detail"]
            assert figures.yingze.name not in response.content.decode()


def test_owner_reads_only_their_own_projects(client, cast, figures):
    client.force_login(cast.owner)
    body = _get(client, "overview").json()
    assert body["region"] is None
    assert body["total"]["projects"] == 1 and body["total"]["completed"] == "100.00"
    listed = _get(client, "projects", metric="planned_starts").json()
    assert [p["id"] for p in listed["results"]] == [figures.xiaodian.pk]


def test_department_user_is_scoped_to_their_region(client, cast, figures):
    client.force_login(cast.xiaodian_dept)
    assert _get(client, "overview").json()["total"]["completed"] == "100.00"
    _errors(_get(client, "overview", region="140100"), 403)


def test_bearer_token_reads_and_anonymous_is_401(client, cast, figures):
    assert _get(client, "overview").status_code == 401
    assert _get(client, "projects", metric="started").status_code == 401
    __token, raw = api_token_create(actor=cast.hebei_admin, name="统计")
    response = client.get(
        "/api/v1/stats/overview", PERIOD, headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200
    assert response.json()["total"]["completed"] == "9990.00"
