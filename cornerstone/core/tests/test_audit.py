"""The audit helpers: how values are shown, what counts as a change, what a row holds."""

import datetime as dt
from decimal import Decimal

import pytest

from cornerstone.core.audit import audit_event, audit_record, diff, display_value, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import DepartmentFactory
from cornerstone.projects.choices import StatsInclusion, Tier
from cornerstone.projects.models import Project

pytestmark = pytest.mark.django_db


def shown(project: Project, name: str) -> str | None:
    return display_value(project, Project._meta.get_field(name))


def test_values_are_shown_as_a_person_reads_them(ledger):
    project = ledger.xiaodian
    project.tier = Tier.PROVINCIAL
    project.accepted = True
    project.planned_start_date = dt.date(2027, 3, 1)
    project.land_area_mu = Decimal("120.50")
    assert shown(project, "tier") == "省重点"
    assert shown(project, "stats_inclusion") == "未入库"
    assert shown(project, "accepted") == "是"
    assert shown(project, "total_investment") == "150000"
    assert shown(project, "land_area_mu") == "120.5"
    assert shown(project, "completed_before_year") == "0"
    assert shown(project, "planned_start_date") == "2027-03-01"
    assert shown(project, "name") == "年产10万吨高端电子新材料项目"
    project.accepted = False
    assert shown(project, "accepted") == "否"


def test_empty_values_are_shown_as_nothing(ledger):
    project = ledger.yingze
    for name in ("site_address", "planned_start_date", "zone", "fund_local", "land_use_type"):
        assert shown(project, name) is None, name


def test_a_related_record_is_shown_with_its_key_unless_its_label_leads_with_it(geo, ledger):
    assert shown(ledger.xiaodian, "region") == "小店区（140105）"
    assert shown(ledger.xiaodian, "zone") == f"山西转型综合改革示范区（{geo.xiaodian_zone.pk}）"
    assert shown(ledger.xiaodian, "industry") == "39 计算机、通信和其他电子设备制造业"


def test_two_records_with_one_name_are_shown_apart(geo, ledger):
    here = DepartmentFactory(name="发展和改革局", region=geo.xiaodian)
    there = DepartmentFactory(name="发展和改革局", region=geo.yingze)
    project = ledger.xiaodian
    project.responsible_unit = here
    before = snapshot(project, ["responsible_unit"])
    project.responsible_unit = there
    changes = diff(project, before, snapshot(project, ["responsible_unit"]))
    assert changes["responsible_unit"]["before"] != changes["responsible_unit"]["after"]


def test_diff_lists_only_changed_fields_with_their_labels(ledger):
    project = ledger.xiaodian
    before = snapshot(project, ["name", "tier", "total_investment", "stats_inclusion"])
    project.tier = Tier.COUNTY
    project.total_investment = Decimal("150000.000")  # the same amount, written differently
    project.stats_inclusion = StatsInclusion.APPLIED
    after = snapshot(project, ["name", "tier", "total_investment", "stats_inclusion"])
    assert diff(project, before, after) == {
        "tier": {"label": "项目级别", "before": "市重点", "after": "县重点"},
        "stats_inclusion": {"label": "纳统状态", "before": "未入库", "after": "已申报"},
    }
    assert diff(project, after, after) == {}


def test_a_creation_has_no_before_and_a_deletion_no_after(ledger):
    values = snapshot(ledger.yingze, ["name", "site_address"])
    assert diff(ledger.yingze, {}, values) == {
        "name": {"label": "项目名称", "before": None, "after": "迎泽区老旧小区改造项目"}
    }
    assert diff(ledger.yingze, values, {}) == {
        "name": {"label": "项目名称", "before": "迎泽区老旧小区改造项目", "after": None}
    }


def test_a_row_records_actor_time_source_object_and_changes(cast, ledger, time_machine):
    moment = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
    time_machine.move_to(moment, tick=False)
    event = audit_record(
        actor=cast.xiaodian_admin,
        source=AuditSource.IMPORT,
        action=AuditAction.UPDATE,
        obj=ledger.xiaodian,
        summary="导入" * 200,
        changes={"name": {"label": "项目名称", "before": "甲", "after": "乙"}},
        project_id=ledger.xiaodian.pk,
    )
    event.refresh_from_db()
    assert event.at == moment
    assert (event.actor, event.actor_name) == (
        cast.xiaodian_admin,
        cast.xiaodian_admin.get_full_name(),
    )
    assert (event.source, event.action) == (AuditSource.IMPORT, AuditAction.UPDATE)
    assert (event.object_type, event.object_id, event.project_id) == (
        "projects.project",
        str(ledger.xiaodian.pk),
        ledger.xiaodian.pk,
    )
    assert len(event.summary) == 300
    assert event.changes["name"]["after"] == "乙"


def test_a_row_without_an_actor_is_a_system_change(ledger):
    event = audit_record(
        actor=None,
        source=AuditSource.SYSTEM,
        action=AuditAction.UPDATE,
        obj=ledger.xiaodian,
        summary="重算阶段",
    )
    assert (event.actor, event.actor_name, event.changes) == (None, "", {})


def test_the_name_outlives_the_actor(cast, ledger):
    event = audit_record(
        actor=cast.evaluator,
        source=AuditSource.PAGE,
        action=AuditAction.UPDATE,
        obj=ledger.xiaodian,
        summary="x",
    )
    name = cast.evaluator.get_full_name()
    cast.evaluator.delete()
    event.refresh_from_db()
    assert (event.actor, event.actor_name) == (None, name)


def test_an_unsaved_event_is_written_only_when_saved(cast, ledger):
    event = audit_event(
        actor=cast.evaluator,
        source=AuditSource.PAGE,
        action=AuditAction.DELETE,
        obj=ledger.yingze,
        summary="批量",
    )
    assert event.pk is None and not AuditEvent.objects.exists()
    AuditEvent.objects.bulk_create([event])
    assert AuditEvent.objects.get().object_id == str(ledger.yingze.pk)
