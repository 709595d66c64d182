"""Reports through the API: scope, review rights, the 409 of a stale version, error shape."""

import pytest

from cornerstone.api.tests.conftest import assert_error
from cornerstone.core.models import AuditEvent
from cornerstone.progress.models import InvestmentActual, ProgressReport

pytestmark = pytest.mark.django_db


def test_owner_fills_in_and_submits_admin_accepts(api_as, cast, report, ledger):
    owner = api_as(cast.owner)
    response = owner.put(
        f"/progress/reports/{report.pk}",
        {
            "version": 1,
            "investment_this_period": "1,200万",
            "physical_progress": "主体封顶",
            "problems": [{"category": "land", "description": "用地报批滞后"}],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["investment_this_period"], body["version"]) == ("1200.00", 2)
    response = owner.post(f"/progress/reports/{report.pk}/submit", {"version": 2})
    assert response.json()["status"] == "submitted"
    assert response.json()["problems"][0]["problem_id"] is not None
    assert_error(owner.post(f"/progress/reports/{report.pk}/accept", {}), 403)
    response = api_as(cast.taiyuan_admin).post(
        f"/progress/reports/{report.pk}/accept", {"comment": "同意"}
    )
    assert response.json()["status"] == "accepted"
    assert response.json()["investment_year_to_date"] == "1200.00"
    assert InvestmentActual.objects.get(project=ledger.xiaodian).amount == 1200
    assert AuditEvent.objects.filter(source="api", project_id=ledger.xiaodian.pk).count() >= 3


def test_a_stale_version_is_a_409_and_nothing_changes(api_as, cast, report):
    admin = api_as(cast.xiaodian_admin)
    assert (
        admin.put(
            f"/progress/reports/{report.pk}", {"version": 1, "physical_progress": "甲"}
        ).status_code
        == 200
    )
    body = assert_error(
        api_as(cast.owner).put(
            f"/progress/reports/{report.pk}", {"version": 1, "physical_progress": "乙"}
        ),
        409,
        "version",
    )
    assert "已被他人修改" in body["detail"]
    assert ProgressReport.objects.get(pk=report.pk).physical_progress == "甲"


def test_bad_input_names_the_field(api_as, cast, report):
    owner = api_as(cast.owner)
    body = assert_error(
        owner.put(
            f"/progress/reports/{report.pk}", {"version": 1, "investment_this_period": "99999999"}
        ),
        400,
        "investment_this_period",
    )
    assert "超过项目总投资" in body["detail"]
    assert_error(
        owner.post(f"/progress/reports/{report.pk}/submit", {}), 400, "investment_this_period"
    )
    body = assert_error(
        api_as(cast.taiyuan_admin).post(f"/progress/reports/{report.pk}/return", {"comment": "x"}),
        400,
    )
    assert "只有已提交" in body["detail"]
    assert ProgressReport.objects.get(pk=report.pk).version == 1


def test_scope_of_reads_and_writes(api_as, cast, cycle, report, ledger):
    for outsider in (cast.hebei_admin, cast.datong_admin, cast.yingze_admin):
        assert_error(api_as(outsider).get(f"/progress/reports/{report.pk}"), 404)
        assert_error(api_as(outsider).put(f"/progress/reports/{report.pk}", {"version": 1}), 404)
    assert_error(api_as(cast.hebei_admin).get(f"/progress/cycles/{cycle.pk}/reports"), 404)
    leader = api_as(cast.taiyuan_leader)
    assert leader.get(f"/progress/reports/{report.pk}").status_code == 200
    assert_error(
        leader.put(f"/progress/reports/{report.pk}", {"version": 1, "physical_progress": "x"}), 403
    )
    # The owner sees only its own project's reports.
    yingze_report = ProgressReport.objects.get(cycle=cycle, project=ledger.yingze)
    assert_error(api_as(cast.owner).get(f"/progress/reports/{yingze_report.pk}"), 404)
    rows = api_as(cast.yingze_admin).get(f"/progress/cycles/{cycle.pk}/reports").json()
    assert [r["project_id"] for r in rows["results"]] == [ledger.yingze.pk]


def test_cycle_lists_filter_and_count(
    api_as, cast, cycle, report, ledger, django_assert_max_num_queries
):
    admin = api_as(cast.taiyuan_admin)
    with django_assert_max_num_queries(8):
        body = admin.get("/progress/cycles").json()
    assert body["results"][0]["counts"]["expected"] == 2
    assert api_as(cast.hebei_admin).get("/progress/cycles").json()["count"] == 0
    with django_assert_max_num_queries(8):
        rows = admin.get(f"/progress/cycles/{cycle.pk}/reports", {"region": "140106"}).json()
    assert [r["project_id"] for r in rows["results"]] == [ledger.yingze.pk]
    assert_error(
        admin.get(f"/progress/cycles/{cycle.pk}/reports", {"region": "140213"}), 400, "region"
    )
    assert_error(
        admin.get(f"/progress/cycles/{cycle.pk}/reports", {"status": "bogus"}), 400, "status"
    )
    history = admin.get(f"/projects/{ledger.xiaodian.pk}/reports").json()
    assert [r["id"] for r in history["results"]] == [report.pk]
    assert_error(api_as(cast.hebei_admin).get(f"/projects/{ledger.xiaodian.pk}/reports"), 404)


def test_funds_in_place_round_trip(api_as, cast, report, ledger):
    owner = api_as(cast.owner)
    body = owner.get(f"/progress/reports/{report.pk}").json()
    assert (body["funds_in_place"], body["funds_central"]) == (None, None)
    response = owner.put(
        f"/progress/reports/{report.pk}",
        {
            "version": 1,
            "investment_this_period": "1200",
            "physical_progress": "主体封顶",
            "funds_special_bonds": "0.08亿",
            "funds_market": "500",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["funds_in_place"], body["funds_special_bonds"], body["funds_market"]) == (
        "1300.00",
        "800.00",
        "500.00",
    )
    assert (body["funds_central"], body["funds_local"]) == (None, None)
    # Sent as null, a source is no longer reported; the total must still match the rest.
    body = assert_error(
        owner.put(f"/progress/reports/{report.pk}", {"version": 2, "funds_market": None}),
        400,
        "funds_in_place",
    )
    assert "不一致" in body["detail"]
    response = owner.put(
        f"/progress/reports/{report.pk}",
        {"version": 2, "funds_in_place": "800", "funds_market": None},
    )
    assert response.json()["funds_in_place"] == "800.00"
    owner.post(f"/progress/reports/{report.pk}/submit", {"version": 3})
    api_as(cast.taiyuan_admin).post(f"/progress/reports/{report.pk}/accept", {})
    assert InvestmentActual.objects.get(project=ledger.xiaodian).funds_in_place == 800
    rows = api_as(cast.taiyuan_admin).get(f"/projects/{ledger.xiaodian.pk}/reports").json()
    assert rows["results"][0]["funds_in_place"] == "800.00"


def test_negative_funds_are_a_400_naming_the_field(api_as, cast, report):
    body = assert_error(
        api_as(cast.owner).put(
            f"/progress/reports/{report.pk}", {"version": 1, "funds_local": "-10"}
        ),
        400,
        "funds_local",
    )
    assert "地方财政资金不能为负数" in body["detail"]
    assert ProgressReport.objects.get(pk=report.pk).version == 1
    # Reading is not filling in: a leader in scope may not write funds either.
    assert_error(
        api_as(cast.taiyuan_leader).put(
            f"/progress/reports/{report.pk}", {"version": 1, "funds_in_place": "10"}
        ),
        403,
    )
