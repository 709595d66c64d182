"""Writing the ledger: validation, scope, local codes and the audit row of each write."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import DepartmentFactory, ProjectFactory
from cornerstone.projects import services
from cornerstone.projects.choices import Category, Kind, StatsInclusion, Tier
from cornerstone.projects.models import Project, Stage
from cornerstone.projects.services import project_create, project_delete, project_update

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NON_WRITERS = ["taiyuan_leader", "xiaodian_dept", "evaluator", "owner"]


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI), tick=False)


def data(region, **overrides):
    """The fields a project form sends, for a valid project in ``region``."""
    return {
        "name": "新建智能制造产业园项目",
        "region": region,
        "tier": Tier.COUNTY,
        "category": Category.INDUSTRY,
        "kind": Kind.NEW_START,
        "owner_org": "山西某科技有限公司",
        "total_investment": Decimal("52000"),
        **overrides,
    }


def events(project_id=None, **filters):
    return list(AuditEvent.objects.filter(project_id=project_id, **filters).order_by("id"))


def create_error(actor, payload):
    """The message dict of a refused creation; nothing may have been written."""
    projects, audits = Project.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        project_create(actor=actor, data=payload)
    assert (Project.objects.count(), AuditEvent.objects.count()) == (projects, audits)
    return excinfo.value.message_dict


# Creating


def test_an_admin_creates_a_project_in_the_first_stage_with_an_audit_row(cast, geo):
    project = project_create(
        actor=cast.xiaodian_admin,
        data=data(geo.xiaodian, zone=geo.xiaodian_zone.pk, industry="39"),
        owner_users=[cast.owner],
        source=AuditSource.IMPORT,
    )
    project.refresh_from_db()
    assert project.stage == Stage.objects.order_by("order").first()
    assert (project.region_id, project.zone, project.industry_id) == (
        "140105",
        geo.xiaodian_zone,
        "39",
    )
    assert list(project.owner_users.all()) == [cast.owner]
    [event] = events(project.pk)
    assert (event.action, event.source, event.actor, event.actor_name) == (
        AuditAction.CREATE,
        AuditSource.IMPORT,
        cast.xiaodian_admin,
        cast.xiaodian_admin.get_full_name(),
    )
    assert (event.object_type, event.object_id) == ("projects.project", str(project.pk))
    assert project.code in event.summary
    assert event.changes["name"] == {
        "label": "项目名称",
        "before": None,
        "after": "新建智能制造产业园项目",
    }
    assert event.changes["total_investment"]["after"] == "52000"
    assert event.changes["region"]["after"] == "小店区（140105）"
    assert event.changes["tier"]["after"] == "县重点"
    assert "site_address" not in event.changes  # empty stays out


def test_a_project_without_a_code_gets_the_next_free_local_code_for_its_region_and_year(cast, geo):
    ProjectFactory(region=geo.xiaodian, code="2026-140105-L00007")
    ProjectFactory(region=geo.xiaodian, code="2025-140105-L00031")  # another year
    ProjectFactory(region=geo.yingze, code="2026-140106-L00040")  # another region
    ProjectFactory(region=geo.xiaodian, code="2026-140105-39-01-000123")  # a national code
    first = project_create(actor=cast.taiyuan_admin, data=data(geo.xiaodian))
    second = project_create(actor=cast.taiyuan_admin, data=data(geo.xiaodian, code=""))
    other = project_create(actor=cast.taiyuan_admin, data=data(geo.taiyuan))
    assert (first.code, second.code) == ("2026-140105-L00008", "2026-140105-L00009")
    assert other.code == "2026-140100-L00001"


def test_the_local_code_follows_the_local_year(cast, geo, time_machine):
    # 2026-12-31 16:30 UTC is already New Year's Day in China.
    time_machine.move_to(dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False)
    assert project_create(actor=cast.xiaodian_admin, data=data(geo.xiaodian)).code == (
        "2027-140105-L00001"
    )


def test_a_given_national_code_is_kept(cast, geo):
    code = "2025-140105-39-01-000123"
    assert project_create(actor=cast.xiaodian_admin, data=data(geo.xiaodian, code=code)).code == (
        code
    )


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"total_investment": Decimal("-1")}, "total_investment", "负数"),
        ({"total_investment": "-1"}, "total_investment", "负数"),
        ({"total_investment": "abc"}, "total_investment", "abc"),
        ({"total_investment": "NaN"}, "total_investment", "NaN"),
        ({"total_investment": None}, "total_investment", ""),
        ({"fund_local": "-5"}, "fund_local", "负数"),
        ({"land_area_mu": "x"}, "land_area_mu", "x"),
        ({"planned_start_date": "2026-02-30"}, "planned_start_date", ""),
        ({"construction_start_year": "明年"}, "construction_start_year", ""),
        ({"accepted": "maybe"}, "accepted", ""),
        ({"tier": "national"}, "tier", "national"),
        ({"name": ""}, "name", ""),
        ({"name": None}, "name", ""),
        ({"owner_org": None}, "owner_org", ""),
        ({"longitude": Decimal("200")}, "longitude", ""),
    ],
)
def test_bad_values_are_refused_naming_their_field(cast, geo, overrides, field, words):
    errors = create_error(cast.xiaodian_admin, data(geo.xiaodian, **overrides))
    assert field in errors
    assert words in " ".join(errors[field])


def test_every_problem_is_reported_at_once(cast, geo):
    errors = create_error(
        cast.xiaodian_admin,
        data(geo.xiaodian, total_investment="abc", zone=99999, name="", tier="x"),
    )
    assert {"total_investment", "zone", "name", "tier"} <= set(errors)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("planned_start_date", "planned_completion_date", "planned_completion_date"),
        ("planned_start_date", "planned_production_date", "planned_production_date"),
    ],
)
def test_an_end_date_before_its_start_is_refused_on_the_end(cast, geo, start, end, field):
    payload = data(geo.xiaodian, **{start: dt.date(2027, 5, 1), end: dt.date(2027, 4, 30)})
    assert "早于" in create_error(cast.xiaodian_admin, payload)[field][0]
    payload[end] = dt.date(2027, 5, 1)
    project_create(actor=cast.xiaodian_admin, data=payload)


def test_an_end_year_before_the_start_year_is_refused(cast, geo):
    payload = data(geo.xiaodian, construction_start_year=2027, construction_end_year=2026)
    assert "construction_end_year" in create_error(cast.xiaodian_admin, payload)


def test_funding_beyond_the_total_is_refused(cast, geo):
    payload = data(geo.xiaodian, total_investment="100", fund_central="60", fund_special_bonds="50")
    assert "总投资" in create_error(cast.xiaodian_admin, payload)["fund_market"][0]
    payload = data(geo.xiaodian, total_investment="100", completed_before_year="101")
    assert "completed_before_year" in create_error(cast.xiaodian_admin, payload)


def test_an_unknown_region_code_is_refused_naming_the_region(cast, geo):
    root = cast.province_admin
    root.is_superuser = True
    root.save()
    errors = create_error(root, data("999999"))
    assert errors["region"] == ["所在区划“999999”不存在。"]
    # An unknown code inside the admin's own province is missing, not out of scope.
    errors = create_error(cast.province_admin, data("149999"))
    assert "不存在" in errors["region"][0]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"zone": 99999}, "zone"),
        ({"zone": "abc"}, "zone"),
        ({"industry": "99"}, "industry"),
        ({"responsible_unit": 424242}, "responsible_unit"),
        ({"parent": 424242}, "parent"),
    ],
)
def test_an_unknown_related_record_is_refused_naming_its_field(cast, geo, overrides, field):
    assert field in create_error(cast.xiaodian_admin, data(geo.xiaodian, **overrides))


def test_a_zone_of_another_region_and_a_section_as_industry_are_refused(cast, geo):
    errors = create_error(
        cast.taiyuan_admin,
        data(geo.yingze, zone=geo.xiaodian_zone, industry=geo.manufacturing),
    )
    assert "园区" in errors["zone"][0]
    assert "industry" in errors


def test_a_duplicate_code_is_refused_naming_the_code(cast, geo, ledger):
    errors = create_error(cast.xiaodian_admin, data(geo.xiaodian, code=ledger.xiaodian.code))
    assert errors["code"] == ["项目代码已存在。"]


@pytest.mark.parametrize(
    ("code", "words"),
    [("2024-140105-39", "格式不正确"), ("2024-999999-39-01-000123", "999999")],
)
def test_a_malformed_code_or_one_naming_an_unknown_region_is_refused(cast, geo, code, words):
    assert words in create_error(cast.xiaodian_admin, data(geo.xiaodian, code=code))["code"][0]


def test_an_included_project_needs_its_inclusion_date(cast, geo):
    payload = data(geo.xiaodian, stats_inclusion=StatsInclusion.INCLUDED)
    assert "stats_inclusion_date" in create_error(cast.xiaodian_admin, payload)
    payload = data(geo.xiaodian, accepted=True)
    assert "acceptance_date" in create_error(cast.xiaodian_admin, payload)


def test_fields_outside_the_form_are_refused(cast, geo):
    errors = create_error(
        cast.xiaodian_admin, data(geo.xiaodian, actual_start_date=dt.date(2026, 1, 1), stage=1)
    )
    assert set(errors) == {"actual_start_date", "stage"}


@pytest.mark.parametrize(
    ("who", "region"),
    [
        ("xiaodian_admin", "140106"),
        ("taiyuan_admin", "140213"),
        ("province_admin", "130102"),
        ("hebei_admin", "140105"),
    ],
)
def test_an_admin_cannot_create_outside_their_region(cast, geo, who, region):
    errors = create_error(getattr(cast, who), data(region))
    assert errors["region"] == ["所选区划不在您的管辖范围内。"]


@pytest.mark.parametrize("who", NON_WRITERS)
def test_only_admins_create(cast, geo, who):
    with pytest.raises(PermissionDenied):
        project_create(actor=getattr(cast, who), data=data(geo.xiaodian))
    assert not Project.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_superuser_creates_anywhere(cast, geo):
    cast.owner.is_superuser = True
    cast.owner.save()
    assert project_create(actor=cast.owner, data=data(geo.changan)).region_id == "130102"


# Updating


def test_an_update_records_the_before_and_after_of_each_changed_field(cast, geo, ledger):
    project = project_update(
        actor=cast.xiaodian_admin,
        project=ledger.xiaodian,
        data={
            "total_investment": "160000",
            "tier": Tier.PROVINCIAL,
            "zone": None,
            "name": ledger.xiaodian.name,  # unchanged: not recorded
        },
        source=AuditSource.API,
    )
    project.refresh_from_db()
    assert project.total_investment == Decimal("160000")
    assert project.zone is None
    [event] = events(project.pk)
    assert (event.action, event.source) == (AuditAction.UPDATE, AuditSource.API)
    assert event.changes == {
        "total_investment": {"label": "总投资（万元）", "before": "150000", "after": "160000"},
        "tier": {"label": "项目级别", "before": "市重点", "after": "省重点"},
        "zone": {
            "label": "所在园区",
            "before": f"山西转型综合改革示范区（{geo.xiaodian_zone.pk}）",
            "after": None,
        },
    }
    assert "总投资" in event.summary and "项目级别" in event.summary


def test_an_update_that_changes_nothing_writes_nothing(cast, ledger):
    before = Project.objects.get(pk=ledger.xiaodian.pk).updated_at
    project_update(
        actor=cast.xiaodian_admin,
        project=ledger.xiaodian,
        data={"total_investment": "150000.0", "name": ledger.xiaodian.name, "site_address": None},
    )
    assert not AuditEvent.objects.exists()
    assert Project.objects.get(pk=ledger.xiaodian.pk).updated_at == before


def test_a_change_between_same_named_records_is_saved_and_recorded(cast, geo, ledger):
    # Every county has its 发展和改革局; the names alone do not tell them apart.
    here = DepartmentFactory(name="发展和改革局", region=geo.xiaodian)
    there = DepartmentFactory(name="发展和改革局", region=geo.yingze)
    project_update(
        actor=cast.taiyuan_admin, project=ledger.xiaodian, data={"responsible_unit": there}
    )
    project_update(
        actor=cast.taiyuan_admin, project=ledger.xiaodian, data={"responsible_unit": here}
    )
    assert Project.objects.get(pk=ledger.xiaodian.pk).responsible_unit == here
    changes = [e.changes["responsible_unit"] for e in events(ledger.xiaodian.pk)]
    assert changes[1]["before"] != changes[1]["after"]
    assert changes[1]["after"] == f"发展和改革局（{here.pk}）"


def test_a_refused_update_changes_nothing(cast, ledger):
    with pytest.raises(ValidationError) as excinfo:
        project_update(
            actor=cast.xiaodian_admin,
            project=ledger.xiaodian,
            data={
                "name": "改名",
                "planned_start_date": "2027-06-01",
                "planned_completion_date": dt.date(2027, 1, 1),
            },
        )
    assert "planned_completion_date" in excinfo.value.message_dict
    assert Project.objects.get(pk=ledger.xiaodian.pk).name == ledger.xiaodian.name
    assert not AuditEvent.objects.exists()


def test_an_admin_moves_a_project_within_their_region_but_not_out_of_it(cast, geo, ledger):
    project_update(actor=cast.taiyuan_admin, project=ledger.yingze, data={"region": geo.xiaodian})
    assert Project.objects.get(pk=ledger.yingze.pk).region_id == "140105"
    with pytest.raises(ValidationError) as excinfo:
        project_update(
            actor=cast.taiyuan_admin, project=ledger.yingze, data={"region": geo.pingcheng}
        )
    assert excinfo.value.message_dict["region"] == ["所选区划不在您的管辖范围内。"]
    assert Project.objects.get(pk=ledger.yingze.pk).region_id == "140105"
    assert len(events(ledger.yingze.pk)) == 1


@pytest.mark.parametrize(
    ("who", "project"),
    [
        ("xiaodian_admin", "yingze"),
        ("taiyuan_admin", "pingcheng"),
        ("hebei_admin", "xiaodian"),
        ("province_admin", "changan"),
        ("owner", "yingze"),
        ("taiyuan_leader", "pingcheng"),
    ],
)
def test_a_project_outside_scope_is_reported_as_missing(cast, ledger, who, project):
    actor, target = getattr(cast, who), getattr(ledger, project)
    with pytest.raises(Project.DoesNotExist):
        project_update(actor=actor, project=target, data={"name": "越权修改"})
    with pytest.raises(Project.DoesNotExist):
        project_delete(actor=actor, project=target)
    assert Project.objects.get(pk=target.pk).name == target.name
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", NON_WRITERS)
def test_readers_of_a_project_cannot_change_it(cast, ledger, who):
    with pytest.raises(PermissionDenied):
        project_update(actor=getattr(cast, who), project=ledger.xiaodian, data={"name": "改名"})
    with pytest.raises(PermissionDenied):
        project_delete(actor=getattr(cast, who), project=ledger.xiaodian)
    assert Project.objects.get(pk=ledger.xiaodian.pk).name == ledger.xiaodian.name
    assert not AuditEvent.objects.exists()


def test_a_project_cannot_be_its_own_parent(cast, ledger):
    with pytest.raises(ValidationError) as excinfo:
        project_update(
            actor=cast.xiaodian_admin, project=ledger.xiaodian, data={"parent": ledger.xiaodian}
        )
    assert "parent" in excinfo.value.message_dict


def test_linked_department_and_bundle_must_be_in_the_actors_scope(cast, geo, ledger):
    datong_unit = DepartmentFactory(name="大同市发展和改革委员会", region=geo.datong)
    with pytest.raises(ValidationError) as excinfo:
        project_update(
            actor=cast.xiaodian_admin,
            project=ledger.xiaodian,
            data={"responsible_unit": datong_unit, "parent": ledger.pingcheng},
        )
    errors = excinfo.value.message_dict
    assert errors["responsible_unit"] == ["所选责任单位不在您的管辖范围内。"]
    assert errors["parent"] == ["所选打包项目不在您的管辖范围内。"]
    ledger.xiaodian.refresh_from_db()
    assert ledger.xiaodian.responsible_unit_id is None and ledger.xiaodian.parent_id is None
    # The province admin sees both, so may link them.
    project_update(
        actor=cast.province_admin,
        project=ledger.xiaodian,
        data={"responsible_unit": datong_unit, "parent": ledger.pingcheng},
    )
    ledger.xiaodian.refresh_from_db()
    assert ledger.xiaodian.parent_id == ledger.pingcheng.pk


# Atomicity: the audit row and the change stand or fall together.


def test_a_failure_after_the_save_leaves_no_change_and_no_audit_row(cast, ledger, monkeypatch):
    real = services.audit_record

    def audit_then_fail(**kwargs):
        real(**kwargs)  # both the change and its audit row are written by now
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "audit_record", audit_then_fail)
    with pytest.raises(RuntimeError):
        project_update(actor=cast.xiaodian_admin, project=ledger.xiaodian, data={"name": "改名"})
    with pytest.raises(RuntimeError):
        project_create(actor=cast.xiaodian_admin, data=data("140105"))
    with pytest.raises(RuntimeError):
        project_delete(actor=cast.xiaodian_admin, project=ledger.xiaodian)
    assert Project.objects.get(pk=ledger.xiaodian.pk).name == ledger.xiaodian.name
    assert Project.objects.count() == 4
    assert not AuditEvent.objects.exists()


def test_a_failing_audit_insert_leaves_no_change(cast, ledger, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("audit table locked")

    monkeypatch.setattr(AuditEvent, "save", refuse)
    with pytest.raises(RuntimeError):
        project_update(actor=cast.xiaodian_admin, project=ledger.xiaodian, data={"name": "改名"})
    assert Project.objects.get(pk=ledger.xiaodian.pk).name == ledger.xiaodian.name


# Deleting


def test_deleting_keeps_the_history_with_the_values_that_were_deleted(cast, ledger):
    pk = ledger.yingze.pk
    project_delete(actor=cast.yingze_admin, project=ledger.yingze, source=AuditSource.COMMAND)
    assert not Project.objects.filter(pk=pk).exists()
    [event] = events(pk)
    assert (event.action, event.source) == (AuditAction.DELETE, AuditSource.COMMAND)
    assert event.changes["name"] == {
        "label": "项目名称",
        "before": "迎泽区老旧小区改造项目",
        "after": None,
    }
    assert event.changes["total_investment"]["before"] == "8000"


def test_a_bundled_project_with_children_cannot_be_deleted(cast, geo, ledger):
    ProjectFactory(region=geo.xiaodian, parent=ledger.xiaodian)
    with pytest.raises(ValidationError):
        project_delete(actor=cast.xiaodian_admin, project=ledger.xiaodian)
    assert Project.objects.filter(pk=ledger.xiaodian.pk).exists()
    assert not AuditEvent.objects.exists()
