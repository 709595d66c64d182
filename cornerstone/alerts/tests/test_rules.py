"""The pure rule engine and the presets, without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cornerstone.alerts.presets import (
    FIELDS,
    PRESETS,
    ParamsError,
    flatten,
    params_check,
    params_validate,
    preset_params,
)
from cornerstone.alerts.rules import (
    GREEN,
    RED,
    SEVERITY,
    YELLOW,
    ProjectFacts,
    RegionFacts,
    expected_to_date,
    money_text,
    project_light,
    region_light,
)

D = Decimal
TODAY = dt.date(2026, 5, 31)


def facts(**kw):
    base = {"year": 2026, "month": 5, "today": TODAY}
    base.update(kw)
    return ProjectFacts(**base)


def only(rule, params):
    """A preset with only one rule enabled."""
    chosen = preset_params(params)
    for key in ("start", "progress", "inclusion", "milestone", "reports", "problems"):
        chosen[key]["enabled"] = key == rule
    return chosen


def months(*values):
    return [D(v) for v in values] + [D(0)] * (12 - len(values))


def test_money_text_uses_wan_and_yi():
    assert money_text(D("1200")) == "1,200万元"
    assert money_text(D("12000")) == "1.2亿元"
    assert money_text(D("1234.5")) == "1,234.5万元"
    assert money_text(D("0")) == "0万元"


def test_expected_sums_monthly_plans_else_prorates_annual():
    assert expected_to_date(D(1200), months(100, 100, 100, 100, 100, 700), 5) == D(500)
    assert expected_to_date(D(1200), [], 5) == D(500)
    assert expected_to_date(D(1200), [D(0)] * 12, 3) == D(300)
    assert expected_to_date(None, [], 5) is None


# Yinchuan 2025 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "colour"),
    [("500", GREEN), ("400", GREEN), ("380", YELLOW), ("140", YELLOW), ("130", RED), ("0", RED)],
)
def test_yinchuan_progress_in_percentage_points(done, colour):
    # 序时进度 500 of 1200: 10 points = 120, 30 points = 360.
    light = project_light(
        facts(annual_plan=D(1200), actuals=months(done)), only("progress", "yinchuan_2025")
    )
    assert light.colour == colour


def test_reason_states_the_gap_in_words():
    light = project_light(
        facts(annual_plan=D(2880), actuals=months(0, 0, 0, 0, 1200)),
        only("progress", "yinchuan_2025"),
    )
    # 序时进度 2880 × 5/12 = 1200: exactly on plan.
    assert light.reasons[0].text == "截至5月底完成投资1,200万元，达到序时进度"
    light = project_light(
        facts(annual_plan=D(10000), actuals=months(1200)), only("progress", "yinchuan_2025")
    )
    # expected 4166.67; gap 2966.67 of 10000 = 29.7 points
    assert light.reasons[0].text == "截至5月底完成投资1,200万元，低于序时进度29.7个百分点"
    assert light.colour == YELLOW


@pytest.mark.parametrize(
    ("planned", "actual", "colour"),
    [
        (dt.date(2026, 5, 10), None, GREEN),  # this month: not yet late
        (dt.date(2026, 4, 10), None, YELLOW),
        (dt.date(2026, 3, 10), None, YELLOW),
        (dt.date(2026, 2, 10), None, RED),  # three months
        (dt.date(2026, 2, 10), dt.date(2026, 5, 2), GREEN),
    ],
)
def test_yinchuan_start(planned, actual, colour):
    light = project_light(
        facts(planned_start=planned, actual_start=actual), only("start", "yinchuan_2025")
    )
    assert light.colour == colour


def test_justified_start_is_suppressed_with_a_note():
    light = project_light(
        facts(planned_start=dt.date(2026, 1, 1), justified={"start": "征地延期，已报批"}),
        only("start", "yinchuan_2025"),
    )
    assert light.colour == GREEN
    [reason] = light.reasons
    assert reason.colour == RED
    assert reason.suppressed == "已认可情况说明：征地延期，已报批"
    assert reason.as_dict()["suppressed"]


@pytest.mark.parametrize(
    ("start", "included", "colour"),
    [
        (dt.date(2026, 5, 3), None, GREEN),
        (dt.date(2026, 4, 3), None, YELLOW),
        (dt.date(2026, 3, 3), None, YELLOW),
        (dt.date(2026, 2, 3), None, RED),
        (dt.date(2026, 2, 3), dt.date(2026, 4, 1), GREEN),
        (dt.date(2026, 2, 3), dt.date(2026, 6, 1), RED),  # included after the period
    ],
)
def test_yinchuan_inclusion(start, included, colour):
    light = project_light(
        facts(actual_start=start, included_on=included, total_investment=D(800)),
        only("inclusion", "yinchuan_2025"),
    )
    assert light.colour == colour


def test_inclusion_skips_projects_below_the_registration_threshold():
    light = project_light(
        facts(actual_start=dt.date(2025, 1, 1), total_investment=D(400)),
        only("inclusion", "yinchuan_2025"),
    )
    assert light.reasons == []


# Sanya 2022 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "colour"), [("500", GREEN), ("499", YELLOW), ("250", YELLOW), ("249", RED)]
)
def test_sanya_progress_shortfall(done, colour):
    light = project_light(
        facts(annual_plan=D(1200), actuals=months(done)), only("progress", "sanya_2022")
    )
    assert light.colour == colour


def test_sanya_ignores_projects_below_ten_million():
    light = project_light(
        facts(annual_plan=D(999), actuals=months(0)), only("progress", "sanya_2022")
    )
    assert light.reasons == []


def test_sanya_region_month_task_yellow_then_red():
    params = preset_params("sanya_2022")
    plans = months(100, 100, 100, 100, 100)
    one = RegionFacts(2026, 5, "小店区", plans, months(100, 100, 100, 100, 90), [D(0)] * 12)
    two = RegionFacts(2026, 5, "小店区", plans, months(100, 100, 100, 90, 90), [D(0)] * 12)
    met = RegionFacts(2026, 5, "小店区", plans, months(0, 0, 0, 0, 100), [D(0)] * 12)
    assert region_light(one, params).colour == YELLOW
    assert region_light(two, params).colour == RED
    assert "连续2个月未完成月度任务" in region_light(two, params).reasons[0].text
    assert region_light(met, params).colour == GREEN


# Tianjin 2022 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("this_year", "peer", "colour"),
    [
        ("120", D(10), GREEN),  # +20%, plan 110 met, above the average
        ("105", D(10), YELLOW),  # below plan
        ("115", D(20), YELLOW),  # below the average
        ("90", D(-20), RED),  # negative growth
    ],
)
def test_tianjin_region_growth(this_year, peer, colour):
    facts_ = RegionFacts(
        2026,
        1,
        "太原市",
        plans=months(110),
        actuals=months(this_year),
        last_year=months(100),
        peer_growth=peer,
    )
    assert region_light(facts_, preset_params("tianjin_2022")).colour == colour


def test_yinchuan_has_no_region_rule():
    facts_ = RegionFacts(2026, 1, "x", months(1), months(0), months(1))
    assert region_light(facts_, preset_params("yinchuan_2025")) is None


# Other published rules as parameter choices ----------------------------------------------


@pytest.mark.parametrize(
    ("done", "colour"), [("425", GREEN), ("395", YELLOW), ("305", YELLOW), ("295", RED)]
)
def test_wuhan_below_80_percent_yellow_below_60_red(done, colour):
    params = params_validate(
        "sanya_2022",
        {"progress.yellow": "20", "progress.red": "40", "progress.min_annual": "0"},
    )
    light = project_light(facts(annual_plan=D(1200), actuals=months(done)), params)
    assert light.colour == colour


@pytest.mark.parametrize(("may", "colour"), [("100", GREEN), ("61", GREEN), ("59", YELLOW)])
def test_xinhuang_monthly_task_below_60_percent_yellow(may, colour):
    params = params_validate(
        "sanya_2022",
        {
            "progress.measure": "month",
            "progress.yellow": "40",
            "progress.red": "",
            "progress.min_annual": "0",
        },
    )
    light = project_light(
        facts(annual_plan=D(1200), monthly_plans=[D(100)] * 12, actuals=months(0, 0, 0, 0, may)),
        params,
    )
    assert light.colour == colour


def test_ouhai_missed_month_red_then_yellow_once_made_up():
    params = params_validate(
        "sanya_2022",
        {
            "progress.measure": "month",
            "progress.yellow": "",
            "progress.red": "0",
            "progress.made_up": "1",
            "progress.min_annual": "0",
        },
    )
    plans = [D(100)] * 12
    missed = project_light(
        facts(annual_plan=D(1200), monthly_plans=plans, actuals=months(100, 100, 100, 100, 50)),
        params,
    )
    assert missed.colour == RED
    made_up = project_light(
        facts(
            month=6,
            annual_plan=D(1200),
            monthly_plans=plans,
            actuals=months(100, 100, 100, 100, 50, 150),
        ),
        params,
    )
    assert made_up.colour == YELLOW
    assert "5月月度任务未完成" in made_up.reasons[0].text
    assert "已补齐序时进度" in made_up.reasons[0].text
    still_behind = project_light(
        facts(
            month=6,
            annual_plan=D(1200),
            monthly_plans=plans,
            actuals=months(100, 100, 100, 100, 50, 100),
        ),
        params,
    )
    assert still_behind.colour == RED


# General rules ---------------------------------------------------------------------------


def test_milestone_overdue_yellow_then_red_after_days():
    params = only("milestone", "yinchuan_2025")
    late = facts(overdue_milestones=[("主体封顶", dt.date(2026, 5, 20))])
    very = facts(overdue_milestones=[("主体封顶", dt.date(2026, 4, 1)), ("设备进场", TODAY)])
    assert project_light(late, params).colour == YELLOW
    light = project_light(very, params)
    assert light.colour == RED
    assert (
        light.reasons[0].text
        == "节点“主体封顶”目标日期2026-04-01，已逾期60天未完成（另有1个节点逾期）"
    )


@pytest.mark.parametrize(
    ("missed", "colour"), [([], GREEN), (["5月"], YELLOW), (["5月", "4月"], RED)]
)
def test_missing_reports_one_cycle_yellow_two_red(missed, colour):
    light = project_light(facts(missed_cycles=missed), only("reports", "yinchuan_2025"))
    assert light.colour == colour


def test_escalated_problem_past_deadline_is_red():
    light = project_light(
        facts(overdue_problems=[("用地指标未落实", dt.date(2026, 5, 1), "市级督办")]),
        only("problems", "yinchuan_2025"),
    )
    assert light.colour == RED
    assert light.reasons[0].text == "市级督办问题“用地指标未落实”已超过办结时限（2026-05-01）"


# Presets ---------------------------------------------------------------------------------


def test_every_preset_validates_as_shipped():
    for name in PRESETS:
        assert params_validate(name, {}) == PRESETS[name]
        assert params_check(PRESETS[name]) == PRESETS[name]
        assert set(flatten(PRESETS[name])) == {p.name for p in FIELDS}


def test_adjustments_are_checked_with_messages_naming_the_field():
    with pytest.raises(ParamsError) as caught:
        params_validate(
            "yinchuan_2025",
            {"progress.yellow": "abc", "start.red_months": "1.5", "reports.red_cycles": "99"},
        )
    errors = caught.value.errors
    assert errors["progress.yellow"] == ["进度预警：黄灯阈值：“abc”不是数字。"]
    assert errors["start.red_months"] == ["开工预警：逾期几个月亮红灯：应为整数。"]
    assert "应在1到12之间" in errors["reports.red_cycles"][0]


def test_cross_checks_and_unknown_names():
    with pytest.raises(ParamsError) as caught:
        params_validate("yinchuan_2025", {"progress.yellow": "40", "progress.red": "20"})
    assert "红灯阈值不能小于黄灯阈值" in caught.value.errors["progress.red"][0]
    with pytest.raises(ParamsError) as caught:
        params_validate("yinchuan_2025", {"progress.yelow": "1"})
    assert caught.value.errors == {"progress.yelow": ["未知的参数“progress.yelow”。"]}
    with pytest.raises(ParamsError):
        params_validate("nowhere", {})


# Properties ------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=100000, places=2)


@given(
    annual=st.decimals(min_value=1, max_value=100000, places=2),
    done=amounts,
    less=amounts,
    preset=st.sampled_from(["yinchuan_2025", "sanya_2022"]),
    month=st.integers(1, 12),
)
def test_more_lag_never_gives_a_greener_light(annual, done, less, preset, month):
    params = only("progress", preset)
    params["progress"]["min_annual"] = 0
    ahead = facts(month=month, annual_plan=annual, actuals=months(done))
    behind = facts(month=month, annual_plan=annual, actuals=months(max(done - less, D(0))))
    assert (
        SEVERITY[project_light(behind, params).colour]
        >= SEVERITY[project_light(ahead, params).colour]
    )


@given(late=st.integers(0, 40), reports=st.integers(0, 5))
def test_a_justification_never_makes_a_light_worse(late, reports):
    params = preset_params("yinchuan_2025")
    base = {
        "planned_start": dt.date(2026, 5, 1) - dt.timedelta(days=late * 30),
        "missed_cycles": [f"{i}期" for i in range(reports)],
    }
    plain = project_light(facts(**base), params)
    eased = project_light(facts(**base, justified={"start": "x", "reports": "y"}), params)
    assert SEVERITY[eased.colour] <= SEVERITY[plain.colour]
    assert eased.colour == GREEN
