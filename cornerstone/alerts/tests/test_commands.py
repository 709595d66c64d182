"""The nightly command, the background task, the demo loader and the plan-change hook."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cornerstone.alerts.demo import demo_alerts_load
from cornerstone.alerts.models import ProjectLight, RuleSet
from cornerstone.alerts.presets import preset_params
from cornerstone.plans.services import investment_plan_save

pytestmark = pytest.mark.django_db


def test_command_recomputes_with_progress(ledger, geo, frozen_today):
    RuleSet.objects.create(
        name="省", region=geo.shanxi, preset="yinchuan_2025", params=preset_params("yinchuan_2025")
    )
    out = StringIO()
    call_command("alerts_recompute", stdout=out)
    assert "已计算 3/4 个项目" in out.getvalue() or "已计算 4/4 个项目" in out.getvalue()
    assert "已写入3个项目预警" in out.getvalue()
    assert ProjectLight.objects.filter(year=2026, month=11).count() == 3
    call_command("alerts_recompute", "--date", "2026-10-31", stdout=StringIO())
    assert ProjectLight.objects.filter(year=2026, month=10).count() == 3
    with pytest.raises(CommandError, match="格式应为YYYY-MM-DD"):
        call_command("alerts_recompute", "--date", "31/10/2026", stdout=StringIO())


def test_plan_save_recomputes_the_project(
    ledger, geo, cast, frozen_today, django_capture_on_commit_callbacks
):
    RuleSet.objects.create(
        name="省", region=geo.shanxi, preset="yinchuan_2025", params=preset_params("yinchuan_2025")
    )
    with django_capture_on_commit_callbacks(execute=True):
        investment_plan_save(
            actor=cast.xiaodian_admin,
            project=ledger.xiaodian,
            year=2026,
            annual_amount="1200",
            months=["100"] * 12,
        )
    light = ProjectLight.objects.get(project=ledger.xiaodian, year=2026, month=11)
    assert light.colour == "red"  # a plan of 1,100 by November and nothing done
    assert ProjectLight.objects.count() == 1  # only the project whose plan changed


def test_demo_loads_rule_sets_and_history(ledger, geo, frozen_today):
    written = demo_alerts_load(today=dt.date(2026, 11, 24), seed=1)
    assert written == 3  # 山西, with the most projects; 河北 gets no rule set
    assert RuleSet.objects.filter(preset="yinchuan_2025").count() == 1
    assert RuleSet.objects.get(preset="yinchuan_2025").region == geo.shanxi
    assert RuleSet.objects.get(preset="sanya_2022").region == geo.taiyuan
    months = set(ProjectLight.objects.values_list("month", flat=True))
    assert months == set(range(1, 12))
