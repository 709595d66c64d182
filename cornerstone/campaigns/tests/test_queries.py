"""Reads: who sees which campaign and which rows, and the evaluation's started-at query."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from cornerstone.campaigns import queries
from cornerstone.campaigns.choices import Action, CampaignStatus
from cornerstone.campaigns.models import Campaign
from cornerstone.campaigns.tests.conftest import campaign_make, entry_make, steps_settle
from cornerstone.core.testing.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_projects_started_at_campaigns_reads_confirmed_start_rows_in_the_window(geo, cast, ledger):
    held = campaign_make(
        geo.taiyuan,
        cast.taiyuan_admin,
        date=dt.date(2026, 4, 10),
        status=CampaignStatus.CONFIRMED,
    )
    draft = campaign_make(geo.shanxi, cast.province_admin, date=dt.date(2026, 5, 1))
    old = campaign_make(
        geo.datong,
        cast.datong_admin,
        date=dt.date(2025, 12, 31),
        status=CampaignStatus.CONFIRMED,
    )
    other = ProjectFactory(region=geo.xiaodian)
    signed = ProjectFactory(region=geo.xiaodian)
    entry_make(held, ledger.xiaodian, Action.START)
    entry_make(held, signed, Action.SIGN)  # signed, not started, at the event
    entry_make(draft, ledger.yingze, Action.START)  # not confirmed
    entry_make(old, ledger.pingcheng, Action.START)  # before the window
    ids = [ledger.xiaodian.pk, ledger.yingze.pk, ledger.pingcheng.pk, other.pk, signed.pk]
    found = queries.projects_started_at_campaigns(
        project_ids=ids, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert found == {ledger.xiaodian.pk}
    assert queries.projects_started_at_campaigns(
        project_ids=ids, start=dt.date(2025, 12, 31), end=dt.date(2026, 4, 10)
    ) == {ledger.xiaodian.pk, ledger.pingcheng.pk}  # both ends are inside
    assert (
        queries.projects_started_at_campaigns(
            project_ids=[ledger.yingze.pk], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
        )
        == set()
    )
    assert (
        queries.projects_started_at_campaigns(
            project_ids=[], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
        )
        == set()
    )


def _names(user):
    return sorted(c.name for c in queries.campaigns_visible(actor=user))


def test_who_sees_which_campaign(geo, cast, ledger):
    province = campaign_make(geo.shanxi, cast.province_admin, name="全省")
    taiyuan = campaign_make(geo.taiyuan, cast.taiyuan_admin, name="太原")
    campaign_make(geo.datong, cast.datong_admin, name="大同")
    campaign_make(geo.hebei, cast.hebei_admin, name="河北")
    entry_make(province, ledger.xiaodian, Action.START)
    entry_make(province, ledger.pingcheng, Action.START)
    entry_make(taiyuan, ledger.yingze, Action.SIGN)
    assert _names(cast.province_admin) == ["全省", "大同", "太原"]
    assert _names(cast.taiyuan_admin) == ["全省", "太原"]  # the province's, through its rows
    assert _names(cast.taiyuan_leader) == ["全省", "太原"]
    assert _names(cast.xiaodian_admin) == ["全省"]
    assert _names(cast.yingze_admin) == ["太原"]
    assert _names(cast.owner) == ["全省"]  # includes the owner's own project
    assert _names(cast.hebei_admin) == ["河北"]
    counts = {c.name: c.entry_count for c in queries.campaigns_visible(actor=cast.taiyuan_admin)}
    assert counts == {"全省": 1, "太原": 1}
    assert queries.campaigns_visible(actor=cast.province_admin).get(name="全省").entry_count == 2


def test_rows_are_only_the_projects_the_actor_sees(geo, cast, ledger):
    province = campaign_make(geo.shanxi, cast.province_admin)
    entry_make(province, ledger.xiaodian, Action.START)
    entry_make(province, ledger.pingcheng, Action.START)
    other = ProjectFactory(region=geo.xiaodian)
    entry_make(province, other, Action.SIGN)

    def rows(user):
        return {e.project_id for e in queries.entries_visible(actor=user, campaign=province)}

    assert rows(cast.province_admin) == {ledger.xiaodian.pk, ledger.pingcheng.pk, other.pk}
    assert rows(cast.owner) == {ledger.xiaodian.pk}
    assert rows(cast.datong_admin) == {ledger.pingcheng.pk}
    with pytest.raises(Campaign.DoesNotExist):
        queries.campaign_get(actor=cast.hebei_admin, pk=province.pk)


def test_results_root_follows_the_reader(geo, cast, ledger):
    province = campaign_make(geo.shanxi, cast.province_admin)
    entry_make(province, ledger.xiaodian, Action.START)
    assert queries.results_root(actor=cast.province_admin, campaign=province) == geo.shanxi
    assert queries.results_root(actor=cast.taiyuan_leader, campaign=province) == geo.taiyuan
    with pytest.raises(PermissionDenied):
        queries.results_root(actor=cast.owner, campaign=province)


def test_results_count_only_what_the_reader_sees(geo, cast, ledger):
    province = campaign_make(geo.shanxi, cast.province_admin)
    entry_make(province, ledger.xiaodian, Action.START)
    entry_make(province, ledger.yingze, Action.SIGN)
    entry_make(province, ledger.pingcheng, Action.START)
    region, results = queries.campaign_results(actor=cast.province_admin, campaign=province)
    assert region == geo.shanxi
    assert results.root.totals.count == 3
    assert [(r.place.name, r.totals.count, r.drillable) for r in results.rows] == [
        ("太原市", 2, True),
        ("大同市", 1, True),
    ]
    region, results = queries.campaign_results(
        actor=cast.province_admin, campaign=province, region_code=geo.taiyuan.code
    )
    assert [(r.place.name, r.totals.amount) for r in results.rows] == [
        ("小店区", ledger.xiaodian.total_investment),
        ("迎泽区", ledger.yingze.total_investment),
    ]
    assert results.devzones.count == 0  # the cast's zone is not a development-zone kind
    region, results = queries.campaign_results(actor=cast.datong_admin, campaign=province)
    assert region == geo.datong
    assert results.root.totals.count == 1


def test_lifecycle_facts_read_steps_and_key_dates(geo, cast, ledger):
    steps_settle(ledger.xiaodian, through="start", on=dt.date(2026, 3, 1))
    ledger.yingze.actual_production_date = dt.date(2025, 1, 1)
    ledger.yingze.actual_start_date = dt.date(2024, 1, 1)
    ledger.yingze.save()
    facts = queries.lifecycle_facts(
        project_ids=[ledger.xiaodian.pk, ledger.yingze.pk, ledger.pingcheng.pk]
    )
    assert facts[ledger.xiaodian.pk].started and not facts[ledger.xiaodian.pk].producing
    assert not facts[ledger.xiaodian.pk].signed  # the optional signing step was skipped
    assert facts[ledger.yingze.pk].producing
    assert not any(vars(facts[ledger.pingcheng.pk]).values())
