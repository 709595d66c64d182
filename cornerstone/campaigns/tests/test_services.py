"""Writes: create, venues, enrolment checked against the lifecycle, confirmation all or nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cornerstone.campaigns import services
from cornerstone.campaigns.choices import Action, CampaignStatus
from cornerstone.campaigns.models import Campaign, CampaignProject, Venue
from cornerstone.campaigns.services import EnrolItem
from cornerstone.campaigns.tests.conftest import TODAY, campaign_make, entry_make, steps_settle
from cornerstone.core.models import AuditEvent
from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.projects.choices import StepStatus
from cornerstone.projects.models import ProjectStep

pytestmark = pytest.mark.django_db
EARLIER = dt.date(2026, 1, 10)


def messages(exc_info, field="projects"):
    return exc_info.value.message_dict[field]


def test_create_in_own_region_is_audited(geo, cast, frozen_today):
    campaign = services.campaign_create(
        actor=cast.taiyuan_admin,
        data={
            "name": "太原市2026年第四次“三个一批”活动",
            "kind": "three_batches",
            "date": "2026-11-28",
            "region": geo.taiyuan.code,
        },
    )
    assert campaign.status == CampaignStatus.DRAFT
    event = AuditEvent.objects.get(object_type="campaigns.campaign", object_id=str(campaign.pk))
    assert event.changes["name"]["after"] == "太原市2026年第四次“三个一批”活动"


def test_create_refuses_a_region_outside_scope_and_readers(geo, cast, frozen_today):
    data = {"name": "大同活动", "kind": "mass_start", "date": "2026-11-28", "region": "140200"}
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(actor=cast.taiyuan_admin, data=data)
    assert messages(exc, "region") == ["所选区划不在您的管辖范围内。"]
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(actor=cast.taiyuan_admin, data={**data, "date": "11/28"})
    assert "date" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=cast.taiyuan_leader, data={**data, "region": "140100"})
    assert not Campaign.objects.exists()
    assert not AuditEvent.objects.filter(object_type="campaigns.campaign").exists()


def test_update_only_by_the_organisers_and_only_a_draft(geo, cast, taiyuan_campaign):
    services.campaign_update(
        actor=cast.taiyuan_admin, campaign=taiyuan_campaign, data={"note": "主会场设在小店区"}
    )
    with pytest.raises(PermissionDenied):
        services.campaign_update(
            actor=cast.xiaodian_admin, campaign=taiyuan_campaign, data={"note": "x"}
        )
    with pytest.raises(ValidationError) as exc:
        services.campaign_update(
            actor=cast.taiyuan_admin, campaign=taiyuan_campaign, data={"region": "140200"}
        )
    assert messages(exc, "region") == ["该字段不可修改。"]
    taiyuan_campaign.refresh_from_db()
    assert taiyuan_campaign.note == "主会场设在小店区"


def test_one_main_venue_and_branches_inside_the_region(geo, cast, taiyuan_campaign):
    main = {"kind": "main", "region": "140105", "name": "综改示范区主会场"}
    services.venue_add(actor=cast.taiyuan_admin, campaign=taiyuan_campaign, data=main)
    with pytest.raises(ValidationError) as exc:
        services.venue_add(
            actor=cast.taiyuan_admin, campaign=taiyuan_campaign, data={**main, "name": "第二主会场"}
        )
    assert messages(exc, "kind") == ["本次活动已有主会场，只能再添加分会场。"]
    with pytest.raises(ValidationError) as exc:
        services.venue_add(
            actor=cast.taiyuan_admin,
            campaign=taiyuan_campaign,
            data={"kind": "branch", "region": "140213", "name": "平城分会场"},
        )
    assert messages(exc, "region") == ["会场所在区划须在活动组织区划（太原市）内。"]
    branch = services.venue_add(
        actor=cast.taiyuan_admin,
        campaign=taiyuan_campaign,
        data={"kind": "branch", "region": "140106", "name": "迎泽分会场"},
    )
    assert sorted(taiyuan_campaign.venues.values_list("kind", "name")) == [
        ("branch", "迎泽分会场"),
        ("main", "综改示范区主会场"),
    ]
    services.venue_remove(actor=cast.taiyuan_admin, campaign=taiyuan_campaign, venue_id=branch.pk)
    assert Venue.objects.count() == 1


def test_enrol_a_batch_with_actions_and_venue(geo, cast, ledger, taiyuan_campaign):
    steps_settle(ledger.yingze, through="start", on=EARLIER)
    venue = services.venue_add(
        actor=cast.taiyuan_admin,
        campaign=taiyuan_campaign,
        data={"kind": "main", "region": "140105", "name": "主会场"},
    )
    entries = services.campaign_projects_enrol(
        actor=cast.taiyuan_admin,
        campaign=taiyuan_campaign,
        items=[
            EnrolItem(ledger.xiaodian.pk, Action.START, venue.pk),
            EnrolItem(ledger.yingze.pk, Action.PRODUCE),
        ],
    )
    assert [(e.project_id, e.action, e.venue_id) for e in entries] == [
        (ledger.xiaodian.pk, "start", venue.pk),
        (ledger.yingze.pk, "produce", None),
    ]
    audit = AuditEvent.objects.filter(object_type="campaigns.campaignproject")
    assert sorted(audit.values_list("project_id", flat=True)) == sorted(
        [ledger.xiaodian.pk, ledger.yingze.pk]
    )


def test_a_bad_batch_saves_nothing_and_names_every_project(geo, cast, ledger, taiyuan_campaign):
    started = ProjectFactory(name="已开工的厂房项目", region=geo.xiaodian)
    steps_settle(started, through="start", on=EARLIER)
    fresh = ProjectFactory(name="新材料项目", region=geo.yingze)
    entry_make(taiyuan_campaign, ledger.yingze, Action.SIGN)
    before = (CampaignProject.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.campaign_projects_enrol(
            actor=cast.taiyuan_admin,
            campaign=taiyuan_campaign,
            items=[
                EnrolItem(fresh.pk, Action.START),  # fine on its own
                EnrolItem(fresh.pk, Action.SIGN),
                EnrolItem(ledger.yingze.pk, Action.START),
                EnrolItem(started.pk, Action.START),
                EnrolItem(ledger.xiaodian.pk, Action.PRODUCE),
                EnrolItem(ledger.pingcheng.pk, Action.START),
                EnrolItem(ledger.changan.pk, Action.START),
            ],
        )
    code = {p.pk: p.code for p in (fresh, ledger.yingze, started, ledger.xiaodian)}
    assert messages(exc) == [
        f"项目“新材料项目”（{code[fresh.pk]}）在本次提交中重复出现。",
        f"项目“迎泽区老旧小区改造项目”（{code[ledger.yingze.pk]}）已在本次活动中（签约），不能重复加入。",
        f"项目“已开工的厂房项目”（{code[started.pk]}）：项目已开工，不能重复开工。",
        f"项目“年产10万吨高端电子新材料项目”（{code[ledger.xiaodian.pk]}）：项目尚未开工，不能集中投产。",
        f"第6项：项目编号“{ledger.pingcheng.pk}”不存在或不在您的管辖范围内。",
        f"第7项：项目编号“{ledger.changan.pk}”不存在或不在您的管辖范围内。",
    ]
    assert (CampaignProject.objects.count(), AuditEvent.objects.count()) == before


def test_province_admin_cannot_enrol_outside_the_campaign_region(geo, cast, ledger):
    campaign = campaign_make(geo.taiyuan, cast.taiyuan_admin)
    with pytest.raises(ValidationError) as exc:
        services.campaign_projects_enrol(
            actor=cast.province_admin,
            campaign=campaign,
            items=[EnrolItem(ledger.pingcheng.pk, Action.START)],
        )
    assert messages(exc) == [
        f"项目“平城区热电联产项目”（{ledger.pingcheng.code}）不在本次活动的组织区划（太原市）内。"
    ]


def test_county_admin_and_leader_cannot_enrol_into_the_city_campaign(
    geo, cast, ledger, taiyuan_campaign
):
    for user in (cast.xiaodian_admin, cast.taiyuan_leader, cast.owner):
        with pytest.raises(PermissionDenied):
            services.campaign_projects_enrol(
                actor=user,
                campaign=taiyuan_campaign,
                items=[EnrolItem(ledger.xiaodian.pk, Action.START)],
            )
    assert not CampaignProject.objects.exists()


def test_remove(geo, cast, ledger, taiyuan_campaign):
    entry_make(taiyuan_campaign, ledger.xiaodian, Action.START)
    services.campaign_project_remove(
        actor=cast.taiyuan_admin, campaign=taiyuan_campaign, project_id=ledger.xiaodian.pk
    )
    assert not CampaignProject.objects.exists()
    assert AuditEvent.objects.filter(action="delete", project_id=ledger.xiaodian.pk).exists()
    with pytest.raises(CampaignProject.DoesNotExist):
        services.campaign_project_remove(
            actor=cast.taiyuan_admin, campaign=taiyuan_campaign, project_id=ledger.xiaodian.pk
        )


def _ready_campaign(geo, cast, ledger, campaign):
    signer = ProjectFactory(name="签约项目", region=geo.yingze, total_investment=Decimal("500.55"))
    steps_settle(signer, through="reserve", on=EARLIER)
    steps_settle(ledger.xiaodian, through="construction_permit", on=EARLIER)
    steps_settle(ledger.yingze, through="completion", on=EARLIER)
    entry_make(campaign, signer, Action.SIGN)
    entry_make(campaign, ledger.xiaodian, Action.START)
    entry_make(campaign, ledger.yingze, Action.PRODUCE)
    return signer


def test_confirm_completes_each_step_on_the_event_date(geo, cast, ledger, taiyuan_campaign):
    signer = _ready_campaign(geo, cast, ledger, taiyuan_campaign)
    services.campaign_confirm(actor=cast.taiyuan_admin, campaign=taiyuan_campaign)
    taiyuan_campaign.refresh_from_db()
    assert taiyuan_campaign.status == CampaignStatus.CONFIRMED
    assert taiyuan_campaign.confirmed_by == cast.taiyuan_admin
    for project, field, code in (
        (signer, "signed_date", "signing"),
        (ledger.xiaodian, "actual_start_date", "start"),
        (ledger.yingze, "actual_production_date", "production"),
    ):
        project.refresh_from_db()
        assert getattr(project, field) == TODAY
        step = ProjectStep.objects.get(project=project, definition__code=code)
        assert (step.status, step.actual_date) == (StepStatus.DONE, TODAY)
        event = AuditEvent.objects.get(project_id=project.pk, action="transition")
        assert taiyuan_campaign.name in event.changes["step.note"]["after"]
    ledger.xiaodian.refresh_from_db()
    assert ledger.xiaodian.stage.code == "construction"
    investments = dict(taiyuan_campaign.entries.values_list("project_id", "investment"))
    assert investments[signer.pk] == Decimal("500.55")
    assert investments[ledger.xiaodian.pk] == Decimal("150000.00")
    event = AuditEvent.objects.get(object_type="campaigns.campaign", action="transition")
    assert event.summary.endswith("签约1个、开工1个、投产1个")
    with pytest.raises(ValidationError) as exc:
        services.campaign_projects_enrol(
            actor=cast.taiyuan_admin,
            campaign=taiyuan_campaign,
            items=[EnrolItem(ProjectFactory(region=geo.xiaodian).pk, Action.SIGN)],
        )
    assert messages(exc, "status") == ["活动已确认，不能再修改。"]


def test_confirm_is_all_or_nothing_and_names_the_failing_project(
    geo, cast, ledger, taiyuan_campaign
):
    _ready_campaign(geo, cast, ledger, taiyuan_campaign)
    blocked = ProjectFactory(name="前期未完成项目", region=geo.xiaodian)
    steps_settle(blocked, through="environment", on=EARLIER)  # no construction permit yet
    entry_make(taiyuan_campaign, blocked, Action.START)
    steps_before = set(ProjectStep.objects.values_list("pk", "status", "actual_date"))
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.campaign_confirm(actor=cast.taiyuan_admin, campaign=taiyuan_campaign)
    assert messages(exc) == [
        f"项目“前期未完成项目”（{blocked.code}）：请先完成或豁免前序必经环节：施工许可。"
    ]
    assert set(ProjectStep.objects.values_list("pk", "status", "actual_date")) == steps_before
    assert AuditEvent.objects.count() == audit_before
    ledger.xiaodian.refresh_from_db()
    assert ledger.xiaodian.actual_start_date is None
    taiyuan_campaign.refresh_from_db()
    assert taiyuan_campaign.status == CampaignStatus.DRAFT
    assert not taiyuan_campaign.entries.exclude(investment=None).exists()


def test_confirm_rechecks_the_lifecycle(geo, cast, ledger, taiyuan_campaign):
    entry_make(taiyuan_campaign, ledger.xiaodian, Action.START)
    # Started through the ledger after enrolment: confirming would start it twice.
    steps_settle(ledger.xiaodian, through="start", on=EARLIER)
    with pytest.raises(ValidationError) as exc:
        services.campaign_confirm(actor=cast.taiyuan_admin, campaign=taiyuan_campaign)
    assert messages(exc) == [
        f"项目“年产10万吨高端电子新材料项目”（{ledger.xiaodian.code}）：项目已开工，不能重复开工。"
    ]


def test_confirm_refuses_a_future_event_and_an_empty_one(geo, cast, ledger, frozen_today):
    future = campaign_make(geo.taiyuan, cast.taiyuan_admin, date=dt.date(2026, 11, 25))
    entry_make(future, ledger.xiaodian, Action.START)
    with pytest.raises(ValidationError) as exc:
        services.campaign_confirm(actor=cast.taiyuan_admin, campaign=future)
    assert messages(exc, "date") == ["活动日期（2026-11-25）尚未到来，须在活动当天或之后确认。"]
    empty = campaign_make(geo.taiyuan, cast.taiyuan_admin)
    with pytest.raises(ValidationError) as exc:
        services.campaign_confirm(actor=cast.taiyuan_admin, campaign=empty)
    assert messages(exc) == ["本次活动还没有参加项目。"]
    with pytest.raises(PermissionDenied):
        services.campaign_confirm(actor=cast.taiyuan_leader, campaign=empty)


def test_the_database_refuses_a_project_twice_in_one_campaign(geo, cast, ledger, taiyuan_campaign):
    entry_make(taiyuan_campaign, ledger.xiaodian, Action.START)
    twice = CampaignProject(campaign=taiyuan_campaign, project=ledger.xiaodian, action="sign")
    with pytest.raises(ValidationError) as exc:
        twice.full_clean()
    assert exc.value.messages == ["该项目已在本次活动中。"]
    with pytest.raises(IntegrityError), transaction.atomic():
        twice.save()
    assert CampaignProject.objects.count() == 1
