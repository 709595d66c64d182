"""Recomputation against the database: rule set resolution, facts read in bulk, upserts."""

import datetime as dt
from decimal import Decimal

import pytest

from cornerstone.alerts.models import Justification, ProjectLight, RegionLight, RuleSet
from cornerstone.alerts.presets import preset_params
from cornerstone.alerts.services import lights_recompute
from cornerstone.alerts.tests.conftest import actuals, plan
from cornerstone.plans.models import Milestone
from cornerstone.problems.models import Problem
from cornerstone.progress.models import ProgressReport, ReportingCycle, ReportingSchedule
from cornerstone.projects.choices import Tier

pytestmark = pytest.mark.django_db


def rule_set(region, preset="yinchuan_2025", tier="", **changes):
    params = preset_params(preset)
    for name, value in changes.items():
        section, key = name.split("__")
        params[section][key] = value
    return RuleSet.objects.create(
        name=f"{region.name}{preset}", region=region, tier=tier, preset=preset, params=params
    )


def light(project, month=11):
    return ProjectLight.objects.get(project=project, year=2026, month=month)


def test_progress_behind_plan_is_red_with_the_reason(ledger, geo, frozen_today):
    rule_set(geo.shanxi)
    plan(ledger.xiaodian, 2026, 100)
    actuals(ledger.xiaodian, 2026, [50] * 11)
    assert lights_recompute() == 3  # the three 山西 projects; 河北 has no rule set
    row = light(ledger.xiaodian)
    assert row.colour == "red"
    assert row.reasons == [
        {
            "rule": "progress",
            "colour": "red",
            "text": "截至11月底完成投资550万元，低于序时进度45.8个百分点",
        }
    ]
    assert not ProjectLight.objects.filter(project=ledger.changan).exists()
    assert light(ledger.yingze).colour == "green"


def test_recompute_updates_the_months_row_in_place(ledger, geo, frozen_today):
    rule_set(geo.shanxi)
    plan(ledger.xiaodian, 2026, 100)
    lights_recompute(project_ids=[ledger.xiaodian.pk])
    first = light(ledger.xiaodian)
    actuals(ledger.xiaodian, 2026, [100] * 11)
    lights_recompute(project_ids=[ledger.xiaodian.pk])
    again = light(ledger.xiaodian)
    assert again.pk == first.pk
    assert (first.colour, again.colour) == ("red", "green")


def test_nearest_rule_set_for_the_tier_wins(ledger, geo, frozen_today):
    province = rule_set(geo.shanxi)
    city = rule_set(geo.taiyuan, "sanya_2022")
    county_other_tier = rule_set(geo.xiaodian, "tianjin_2022", tier=Tier.PROVINCIAL)
    lights_recompute()
    assert light(ledger.xiaodian).rule_set_id == city.pk  # a city project: not the 省重点 one
    assert light(ledger.pingcheng).rule_set_id == province.pk
    ledger.xiaodian.tier = Tier.PROVINCIAL
    ledger.xiaodian.save()
    lights_recompute()
    assert light(ledger.xiaodian).rule_set_id == county_other_tier.pk


def test_project_without_rule_set_loses_its_light(ledger, geo, frozen_today):
    rules = rule_set(geo.taiyuan)
    lights_recompute()
    assert light(ledger.yingze)
    rules.delete()
    lights_recompute()
    assert not ProjectLight.objects.filter(project=ledger.yingze).exists()


def test_start_milestone_problem_and_justification(ledger, geo, cast, frozen_today):
    rule_set(geo.shanxi)
    project = ledger.yingze
    project.planned_start_date = dt.date(2026, 6, 1)
    project.save()
    Milestone.objects.create(project=project, name="主体封顶", target_date=dt.date(2026, 11, 1))
    Problem.objects.create(
        project=project,
        category="land",
        description="用地指标未落实",
        deadline=dt.date(2026, 11, 10),
        escalation_level=1,
    )
    lights_recompute()
    row = light(project)
    rules = {r["rule"]: r for r in row.reasons}
    assert rules["start"]["text"] == "计划2026年6月开工，已逾期5个月未开工"
    assert rules["milestone"]["colour"] == "yellow"
    assert rules["problems"]["text"] == "市级督办问题“用地指标未落实”已超过办结时限（2026-11-10）"
    assert row.colour == "red"
    Justification.objects.create(
        project=project, rule="start", reason="征地延期", status="accepted"
    )
    Justification.objects.create(
        project=project, rule="problems", reason="已协调", status="proposed"
    )
    lights_recompute(project_ids=[project.pk])
    rules = {r["rule"]: r for r in light(project).reasons}
    assert rules["start"]["suppressed"] == "已认可情况说明：征地延期"
    assert "suppressed" not in rules["problems"]  # only accepted reasons count
    assert light(project).colour == "red"


def test_missing_reports_count_consecutive_past_cycles(ledger, geo, cast, frozen_today):
    rule_set(geo.shanxi, progress__enabled=False)
    schedule = ReportingSchedule.objects.create(
        name="月报",
        region=geo.taiyuan,
        frequency="monthly",
        deadline_day=25,
        created_by=cast.taiyuan_admin,
    )
    cycles = [
        ReportingCycle.objects.create(
            schedule=schedule,
            label=f"2026年{m}月",
            period_start=dt.date(2026, m, 1),
            period_end=dt.date(2026, m, 28),
            deadline=dt.date(2026, m, 25) + dt.timedelta(days=30),
            opened_by=cast.taiyuan_admin,
        )
        for m in (8, 9, 10)
    ]
    # 10月 cycle's deadline (11-24) is not past; 8月 reported, 9月 missing → one cycle.
    ProgressReport.objects.create(cycle=cycles[0], project=ledger.xiaodian, status="accepted")
    ProgressReport.objects.create(cycle=cycles[1], project=ledger.xiaodian, status="returned")
    ledger.xiaodian.created_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    type(ledger.xiaodian).objects.filter(pk__in=[ledger.xiaodian.pk, ledger.yingze.pk]).update(
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    lights_recompute()
    assert light(ledger.xiaodian).reasons == [
        {"rule": "reports", "colour": "yellow", "text": "连续1期未按时报送进度（2026年9月）"}
    ]
    assert light(ledger.yingze).colour == "red"  # neither cycle reported
    assert light(ledger.pingcheng).colour == "green"  # 大同 is outside the schedule


def test_region_lights_follow_the_region_rule(ledger, geo, frozen_today):
    rule_set(geo.taiyuan, "sanya_2022")
    plan(ledger.xiaodian, 2026, 100)
    actuals(ledger.xiaodian, 2026, [100] * 9 + [50, 50])
    lights_recompute()
    xiaodian = RegionLight.objects.get(region=geo.xiaodian, year=2026, month=11)
    assert xiaodian.colour == "red"
    assert "连续2个月未完成月度任务" in xiaodian.reasons[0]["text"]
    assert RegionLight.objects.get(region=geo.taiyuan, month=11).colour == "red"
    assert not RegionLight.objects.filter(region=geo.shanxi).exists()  # no rule set there


def test_recompute_reads_a_few_queries_per_chunk(
    ledger, geo, frozen_today, django_assert_max_num_queries
):
    from cornerstone.core.testing.factories import ProjectFactory

    rule_set(geo.shanxi)
    for project in ProjectFactory.create_batch(30, region=geo.xiaodian):
        plan(project, 2026, Decimal(10))
    # 20 for the lights, 6 for recounting the statistics' light rollup of the month.
    with django_assert_max_num_queries(26):
        assert lights_recompute() == 33
