"""Project detail, create, update and delete: services, scope, and bad input named by field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cornerstone.api.tests.conftest import assert_error, database_state, message_for
from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import DepartmentFactory, ProjectFactory, ZoneFactory
from cornerstone.projects.models import Project

pytestmark = pytest.mark.django_db


def new_project(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "智能装备产业园项目",
        "region": "140105",
        "tier": "city",
        "category": "industry",
        "kind": "new",
        "owner_org": "山西某某装备有限公司",
        "total_investment": "52000.50",
    }
    body.update(overrides)
    return body


# ---------------------------------------------------------------- detail


def test_detail_has_every_attribute(api_as, cast, ledger, geo):
    response = api_as(cast.xiaodian_admin).get(f"/projects/{ledger.xiaodian.pk}")
    assert response.status_code == 200
    body = response.json()
    concrete = {f.name for f in Project._meta.concrete_fields}
    assert concrete <= set(body), concrete - set(body)
    assert body["region"]["full_name"] == "山西省太原市小店区"
    assert body["industry"] == {
        "code": "39",
        "name": "计算机、通信和其他电子设备制造业",
        "section": {"code": "C", "name": "制造业"},
    }
    assert body["zone"] == {"id": geo.xiaodian_zone.pk, "name": geo.xiaodian_zone.name}
    assert body["stage"]["code"] == "planning"
    assert body["stats_inclusion_label"] == "未入库"
    assert body["total_investment"] == "150000.00"


def test_detail_for_readers_in_scope(api_as, cast, ledger):
    for reader in (cast.taiyuan_leader, cast.evaluator, cast.owner, cast.province_admin):
        assert api_as(reader).get(f"/projects/{ledger.xiaodian.pk}").status_code == 200


def test_detail_out_of_scope_is_the_same_404_as_a_missing_id(api_as, cast, ledger):
    api = api_as(cast.datong_admin)
    outside = api.get(f"/projects/{ledger.xiaodian.pk}")
    missing = api.get("/projects/987654")
    assert_error(outside, 404)
    assert outside.json() == missing.json() == {"detail": "未找到", "errors": []}
    # An owner sees only the project they own.
    assert_error(api_as(cast.owner).get(f"/projects/{ledger.yingze.pk}"), 404)
    assert_error(api_as(cast.hebei_admin).get(f"/projects/{ledger.pingcheng.pk}"), 404)


# ---------------------------------------------------------------- create


def test_create_through_the_service_with_natural_keys(api_as, cast, ledger, geo):
    department = DepartmentFactory(name="小店区住建局", region=geo.xiaodian)
    body = new_project(
        zone=geo.xiaodian_zone.pk,
        industry="39",
        responsible_unit=department.pk,
        parent=ledger.xiaodian.pk,
        planned_start_date="2027-03-01",
        planned_completion_date="2028-12-31",
        fund_special_bonds=20000,
        tags="链主",
    )
    response = api_as(cast.xiaodian_admin).post("/projects", body)
    assert response.status_code == 201, response.content
    out = response.json()
    project = Project.objects.get(pk=out["id"])
    year = timezone.localdate().year
    assert project.code == out["code"] and project.code.startswith(f"{year}-140105-L")
    assert project.total_investment == Decimal("52000.50")
    assert project.zone == geo.xiaodian_zone
    assert project.industry_id == "39"
    assert project.responsible_unit == department
    assert project.parent == ledger.xiaodian
    assert project.planned_completion_date == dt.date(2028, 12, 31)
    assert out["stage"]["code"] == "planning"
    assert out["parent"] == {
        "id": ledger.xiaodian.pk,
        "code": ledger.xiaodian.code,
        "name": ledger.xiaodian.name,
    }
    audit = AuditEvent.objects.get(project_id=project.pk)
    assert (audit.source, audit.action, audit.actor) == ("api", "create", cast.xiaodian_admin)
    assert audit.changes["total_investment"]["after"] == "52000.5"


@pytest.mark.parametrize("reader", ["taiyuan_leader", "evaluator", "owner", "xiaodian_dept"])
def test_create_by_a_reader_is_403(api_as, cast, ledger, reader):
    before = database_state()
    body = assert_error(api_as(getattr(cast, reader)).post("/projects", new_project()), 403)
    assert body["detail"] == "您没有修改项目的权限。"
    assert database_state() == before


def test_reader_is_refused_before_the_body_is_looked_at(api_as, cast, ledger):
    response = api_as(cast.taiyuan_leader).post("/projects", new_project(region="999999"))
    assert_error(response, 403)


def test_county_admin_cannot_place_a_project_in_another_county(api_as, cast, ledger):
    before = database_state()
    response = api_as(cast.yingze_admin).post("/projects", new_project(region="140105"))
    body = assert_error(response, 400, "region")
    assert message_for(body, "region") == "所选区划不在您的管辖范围内。"
    assert database_state() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"total_investment": "-1"}, "total_investment", "不能为负数。"),
        ({"total_investment": -250}, "total_investment", "不能为负数。"),
        ({"total_investment": "五亿"}, "total_investment", "请输入有效的数字。"),
        ({"total_investment": "NaN"}, "total_investment", "请输入有效的数字。"),
        ({"fund_central": "abc"}, "fund_central", "请输入有效的数字。"),
        ({"land_area_mu": "-3"}, "land_area_mu", "不能为负数。"),
        (
            {"planned_start_date": "2027-06-01", "planned_completion_date": "2027-01-01"},
            "planned_completion_date",
            "计划竣工日期不能早于计划开工日期。",
        ),
        (
            {"planned_start_date": "2027-06-01", "planned_production_date": "2027-05-31"},
            "planned_production_date",
            "计划投产日期不能早于计划开工日期。",
        ),
        ({"planned_start_date": "2027-02-30"}, "planned_start_date", None),
        ({"region": "999999"}, "region", "未知的区划代码“999999”，应为六位行政区划代码。"),
        ({"region": "太原"}, "region", None),
        ({"industry": "C"}, "industry", None),
        ({"industry": "99"}, "industry", None),
        ({"tier": "galactic"}, "tier", None),
        ({"stage": 3}, "stage", "未知字段或不可修改的字段。"),
        ({"actual_start_date": "2026-01-01"}, "actual_start_date", None),
        ({"name": ""}, "name", None),
        ({"code": "2024-1401-xx"}, "code", None),
        ({"code": "2024-999999-39-01-000123"}, "code", None),
    ],
)
def test_bad_input_on_create_names_the_field_and_saves_nothing(
    api_as, cast, ledger, overrides, field, message
):
    before = database_state()
    response = api_as(cast.xiaodian_admin).post("/projects", new_project(**overrides))
    body = assert_error(response, 400, field)
    if message is not None:
        assert message_for(body, field) == message
    assert database_state() == before


@pytest.mark.parametrize("field", ["name", "region", "tier", "total_investment", "owner_org"])
def test_missing_required_field_on_create(api_as, cast, ledger, field):
    body = new_project()
    del body[field]
    result = assert_error(api_as(cast.xiaodian_admin).post("/projects", body), 400, field)
    assert message_for(result, field) == "此字段为必填项。"


def test_duplicate_code_on_create(api_as, cast, ledger):
    before = database_state()
    response = api_as(cast.taiyuan_admin).post("/projects", new_project(code=ledger.xiaodian.code))
    body = assert_error(response, 400, "code")
    assert message_for(body, "code") == "项目代码已存在。"
    assert database_state() == before


def test_related_records_outside_scope_are_unknown(api_as, cast, ledger, geo):
    yingze_zone = ZoneFactory(name="迎泽园", region=geo.yingze)
    datong_department = DepartmentFactory(name="大同市发改委", region=geo.datong)
    before = database_state()
    response = api_as(cast.xiaodian_admin).post(
        "/projects",
        new_project(
            zone=yingze_zone.pk,
            responsible_unit=datong_department.pk,
            parent=ledger.pingcheng.pk,
        ),
    )
    body = assert_error(response, 400)
    assert {e["field"] for e in body["errors"]} == {"zone", "responsible_unit", "parent"}
    assert database_state() == before


def test_zone_must_lie_in_the_projects_region(api_as, cast, ledger, geo):
    yingze_zone = ZoneFactory(name="迎泽园", region=geo.yingze)
    response = api_as(cast.taiyuan_admin).post("/projects", new_project(zone=yingze_zone.pk))
    body = assert_error(response, 400, "zone")
    assert message_for(body, "zone") == "所选园区不在项目所在区划内。"


def test_unparsable_body_is_400(api_as, cast, ledger):
    before = database_state()
    body = assert_error(api_as(cast.xiaodian_admin).post("/projects", "{not json"), 400)
    assert body["detail"] == "请求体不是有效的 JSON。"
    assert database_state() == before


# ---------------------------------------------------------------- update


def test_patch_changes_only_the_fields_sent(api_as, cast, ledger):
    project = ledger.xiaodian
    response = api_as(cast.xiaodian_admin).patch(
        f"/projects/{project.pk}",
        {"total_investment": "160000", "leader_name": "王某某", "zone": None},
    )
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.total_investment == Decimal("160000")
    assert project.leader_name == "王某某"
    assert project.zone is None
    assert project.name == "年产10万吨高端电子新材料项目"
    assert response.json()["zone"] is None
    audit = AuditEvent.objects.get(project_id=project.pk, action="update")
    assert audit.source == "api"
    assert set(audit.changes) == {"total_investment", "leader_name", "zone"}


def test_patch_region_by_code(api_as, cast, ledger):
    response = api_as(cast.taiyuan_admin).patch(
        f"/projects/{ledger.yingze.pk}", {"region": "140105"}
    )
    assert response.status_code == 200
    assert response.json()["region"]["code"] == "140105"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"total_investment": "-0.01"}, "total_investment"),
        ({"total_investment": "lots"}, "total_investment"),
        ({"total_investment": None}, "total_investment"),
        (
            {"planned_start_date": "2027-06-01", "planned_completion_date": "2026-06-01"},
            "planned_completion_date",
        ),
        ({"region": "000000"}, "region"),
        ({"name": None}, "name"),
        ({"stage": 5}, "stage"),
        ({"fund_market": "200000"}, "fund_market"),
    ],
)
def test_bad_input_on_patch_changes_nothing(api_as, cast, ledger, body, field):
    project = ledger.xiaodian
    before_state = database_state()
    before = Project.objects.values().get(pk=project.pk)
    assert_error(api_as(cast.xiaodian_admin).patch(f"/projects/{project.pk}", body), 400, field)
    assert Project.objects.values().get(pk=project.pk) == before
    assert database_state() == before_state


def test_duplicate_code_on_patch(api_as, cast, ledger):
    response = api_as(cast.taiyuan_admin).patch(
        f"/projects/{ledger.yingze.pk}", {"code": ledger.xiaodian.code}
    )
    assert message_for(assert_error(response, 400, "code"), "code") == "项目代码已存在。"


def test_patch_out_of_scope_is_404_and_unchanged(api_as, cast, ledger):
    before = Project.objects.values().get(pk=ledger.xiaodian.pk)
    for user in (cast.yingze_admin, cast.datong_admin, cast.hebei_admin):
        response = api_as(user).patch(f"/projects/{ledger.xiaodian.pk}", {"name": "改名"})
        assert response.json() == {"detail": "未找到", "errors": []}
        assert response.status_code == 404
    assert Project.objects.values().get(pk=ledger.xiaodian.pk) == before


@pytest.mark.parametrize("reader", ["taiyuan_leader", "evaluator", "owner"])
def test_patch_by_a_reader_in_scope_is_403(api_as, cast, ledger, reader):
    before = database_state()
    response = api_as(getattr(cast, reader)).patch(
        f"/projects/{ledger.xiaodian.pk}", {"name": "改名"}
    )
    assert_error(response, 403)
    assert Project.objects.get(pk=ledger.xiaodian.pk).name == "年产10万吨高端电子新材料项目"
    assert database_state() == before


# ---------------------------------------------------------------- delete


def test_delete_keeps_the_history(api_as, cast, ledger):
    pk = ledger.yingze.pk
    response = api_as(cast.yingze_admin).delete(f"/projects/{pk}")
    assert response.status_code == 204
    assert not Project.objects.filter(pk=pk).exists()
    audit = AuditEvent.objects.get(project_id=pk)
    assert (audit.action, audit.source) == ("delete", "api")


def test_delete_refusals(api_as, cast, ledger, geo):
    before = database_state()
    assert_error(api_as(cast.xiaodian_admin).delete(f"/projects/{ledger.yingze.pk}"), 404)
    assert_error(api_as(cast.taiyuan_leader).delete(f"/projects/{ledger.yingze.pk}"), 403)
    assert database_state() == before
    ProjectFactory(region=geo.xiaodian, parent=ledger.xiaodian)
    before = database_state()
    body = assert_error(api_as(cast.xiaodian_admin).delete(f"/projects/{ledger.xiaodian.pk}"), 400)
    assert body["errors"] == [{"field": "__all__", "message": "该项目下还有子项目，不能删除。"}]
    assert database_state() == before


def test_non_numeric_id_is_400_naming_it(api_as, cast, ledger):
    body = assert_error(api_as(cast.xiaodian_admin).get("/projects/abc"), 400, "project_id")
    assert message_for(body, "project_id") == "请输入整数。"
