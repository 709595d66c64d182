"""The KPI definitions without a database: hand-computed values and the published bulletins."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cornerstone.stats import kpis
from cornerstone.stats.kpi_display import format_kpi, format_percent, format_points, gap_sentence
from cornerstone.stats.kpis import (
    BANDS,
    KPIS,
    THRESHOLDS,
    CapacityRule,
    Inputs,
    StartRateBase,
    capacity_due,
    evaluate,
    investment_band,
    kpi_registry,
    percent,
    round_percent,
    start_timing,
    threshold_bands,
)

D = Decimal

# One scope in May 2026 with every figure set; the expected values are worked out by hand.
SAMPLE = Inputs(
    year=2026,
    month=5,
    completed_ytd=D(4500),
    completed_ytd_last_year=D(4000),
    annual_plan=D(12000),
    plan_to_date=D(5000),
    completed_since_start=D(30000),
    total_investment=D(80000),
    industry_completed=D(2700),
    funds_planned=D(2000),
    funds_in_place=D(2500),
    projects=40,
    projects_started=30,
    planned_starts=20,
    planned_starts_due=8,
    started=10,
    started_early=3,
    started_on_time=4,
    started_late=3,
    not_started_due=2,
    new_starts=12,
    continuing=15,
    resumed=9,
    start_target=30,
    planned_completions=6,
    completed=3,
    planned_productions=4,
    in_production=1,
    put_into_production=3,
    under_construction=24,
    capacity_due=8,
    capacity_reached=6,
    reserve_projects=50,
    reserve_started=5,
)

SAMPLE_VALUES = {
    "completed_investment": D(4500),
    "completion_rate": D("37.50"),  # 4500 / 12000
    "time_progress": D("41.67"),  # 5 / 12
    "time_progress_gap": D("-4.17"),  # 37.50 − 41.67: behind
    "plan_to_date_rate": D("90.00"),  # 4500 / 5000
    "cumulative_rate": D("37.50"),  # 30000 / 80000
    "yoy_growth": D("12.50"),  # (4500 − 4000) / 4000
    "industry_share": D("60.00"),  # 2700 / 4500
    "funds_rate": D("125.00"),  # 2500 / 2000: above 100%
    "start_rate": D("50.00"),  # 10 / 20 planned starts
    "started_early": 3,
    "started_on_time": 4,
    "started_late": 3,
    "not_started_due": 2,
    "kaifugong": 21,  # 12 new + 9 resumed
    "kaifugong_rate": D("60.00"),  # 21 / (20 + 15)
    "kaifugong_target_rate": D("70.00"),  # 21 / 30
    "completion_rate_projects": D("50.00"),  # 3 / 6
    "production_rate": D("25.00"),  # 1 / 4
    "production_rate_statistical": D("12.50"),  # 3 / 24
    "capacity_rate": D("75.00"),  # 6 / 8
    "reserve_conversion": D("10.00"),  # 5 / 50
}


def test_every_kpi_on_a_hand_computed_scope():
    assert evaluate(SAMPLE) == SAMPLE_VALUES
    assert list(KPIS) == list(SAMPLE_VALUES)  # display order


def test_every_kpi_has_a_label_unit_formula_and_a_documented_compute():
    for code, kpi in KPIS.items():
        assert kpi.code == code
        assert str(kpi.label) and str(kpi.formula)
        assert kpi.unit in ("percent", "points", "count", "wan")
        assert kpi.compute.__doc__, code


def test_rates_have_no_value_on_a_zero_denominator():
    values = evaluate(Inputs(year=2026, month=5))
    not_rates = {"completed_investment", "time_progress", "kaifugong"} | {
        code for code, kpi in KPIS.items() if kpi.unit == "count"
    }
    for code, value in values.items():
        if code in not_rates:
            assert value is not None, code
        else:
            assert value is None, code
    assert values["time_progress"] == D("41.67")
    assert values["kaifugong"] == 0


def test_rates_need_their_own_denominator_only():
    # A zero plan hides the completion rate but not the plan-to-date rate.
    only_monthly = Inputs(year=2026, month=5, completed_ytd=D(50), plan_to_date=D(200))
    assert kpis.completion_rate(only_monthly) is None
    assert kpis.time_progress_gap(only_monthly) is None
    assert kpis.plan_to_date_rate(only_monthly) == D("25.00")


def test_yoy_growth_without_last_year_has_no_value_and_can_fall():
    assert kpis.yoy_growth(Inputs(year=2026, month=5, completed_ytd=D(10))) is None
    falling = Inputs(year=2026, month=5, completed_ytd=D(300), completed_ytd_last_year=D(400))
    assert kpis.yoy_growth(falling) == D("-25.00")


def test_kaifugong_target_rate_without_a_target_has_no_value():
    inputs = Inputs(year=2026, month=5, new_starts=3, resumed=2)
    assert kpis.kaifugong_target_rate(inputs) is None
    assert kpis.kaifugong_target_rate(dataclasses.replace(inputs, start_target=0)) is None
    assert kpis.kaifugong_target_rate(dataclasses.replace(inputs, start_target=4)) == D("125.00")


def test_rates_above_one_hundred_percent_are_kept():
    ahead = Inputs(
        year=2026,
        month=12,
        completed_ytd=D(13000),
        annual_plan=D(10000),
        funds_planned=D(100),
        funds_in_place=D(180),
    )
    assert kpis.completion_rate(ahead) == D("130.00")
    assert kpis.time_progress_gap(ahead) == D("30.00")
    assert kpis.funds_rate(ahead) == D("180.00")


def test_time_progress_by_month():
    progress = [kpis.time_progress(Inputs(year=2026, month=m)) for m in (1, 2, 3, 6, 11, 12)]
    assert progress == [D("8.33"), D("16.67"), D("25.00"), D("50.00"), D("91.67"), D("100.00")]


def test_rounding_is_half_up_to_two_decimals():
    assert percent(1, 800) == D("0.13")  # 0.125: half up, not to even (0.12)
    assert percent(3, 800) == D("0.38")  # 0.375
    assert percent(-1, 800) == D("-0.13")  # away from zero on a fall
    assert percent(1, 3) == D("33.33")
    assert percent(2, 3) == D("66.67")
    assert str(percent(309, 1000)) == "30.90"  # the trailing zero is kept
    assert round_percent(D("72.5")) == D("72.50")
    assert round_percent(D("72.5"), 0) == D(73)


def test_negative_gap_when_behind_time_progress():
    behind = Inputs(year=2026, month=9, completed_ytd=D(5800), annual_plan=D(10000))
    assert kpis.completion_rate(behind) == D("58.00")
    assert kpis.time_progress_gap(behind) == D("-17.00")
    assert gap_sentence(kpis.time_progress_gap(behind)) == "落后时间进度17.00个百分点"


def test_inputs_refuse_negative_figures_and_bad_months():
    with pytest.raises(ValueError, match="started"):
        Inputs(year=2026, month=5, started=-1)
    with pytest.raises(ValueError, match="completed_ytd"):
        Inputs(year=2026, month=5, completed_ytd=D("-0.01"))
    with pytest.raises(ValueError, match="month"):
        Inputs(year=2026, month=13)
    with pytest.raises(ValueError, match="month"):
        Inputs(year=2026, month=0)


# --------------------------------------------------------------------------- start-rate base


def test_start_rate_base_is_chosen_by_setting():
    due = kpi_registry("due")
    everything = kpi_registry(StartRateBase.ALL)
    assert list(due) == list(KPIS)
    assert due["start_rate"].compute(SAMPLE) == D("125.00")  # 10 / 8 due: early starts count
    assert "截至本月" in str(due["start_rate"].formula)
    assert everything["start_rate"].compute(SAMPLE) == D("75.00")  # 30 / 40 projects
    assert KPIS["start_rate"].compute(SAMPLE) == D("50.00")  # the default: planned starts
    # Every other KPI is the same object whatever the base.
    assert all(due[code] is KPIS[code] for code in KPIS if code != "start_rate")
    assert evaluate(SAMPLE, due)["start_rate"] == D("125.00")


def test_an_unknown_start_rate_base_is_refused():
    with pytest.raises(ValueError, match="bogus"):
        kpi_registry("bogus")


# --------------------------------------------------------------------------- published figures


def test_jiangmen_q1_2021_completion_rate_and_time_progress():
    # 江门 2021年一季度: 313.64亿元 of an annual plan of 1015亿元 (万元 here).
    q1 = Inputs(year=2021, month=3, completed_ytd=D("3136400"), annual_plan=D("10150000"))
    assert kpis.completion_rate(q1) == D("30.90")
    assert kpis.time_progress(q1) == D("25.00")
    assert kpis.time_progress_gap(q1) == D("5.90")
    assert format_kpi(KPIS["completion_rate"], kpis.completion_rate(q1)) == "30.90%"
    assert format_kpi(KPIS["time_progress_gap"], kpis.time_progress_gap(q1)) == "5.90个百分点"
    assert gap_sentence(kpis.time_progress_gap(q1)) == "超过时间进度5.90个百分点"


def test_chizhou_jan_aug_2024_start_rate_73_percent():
    # 池州 2024年1—8月: 151 of 207 planned new starts started, published as 73%.
    inputs = Inputs(year=2024, month=8, planned_starts=207, started=151)
    # 151 / 207 = 72.9468…%: 72.95 at our two decimals.
    assert kpis.start_rate_planned(inputs) == D("72.95")
    assert KPIS["start_rate"].compute(inputs) == D("72.95")
    # The bulletin's 73% is the whole-percent rounding; at one decimal it would read 72.9%,
    # so it is not a one-decimal figure with the zero dropped.
    assert percent(151, 207, 0) == D(73)
    assert percent(151, 207, 1) == D("72.9")


def test_completion_rate_85_of_111_planned_completions():
    inputs = Inputs(year=2024, month=12, planned_completions=111, completed=85)
    assert kpis.completion_rate_projects(inputs) == D("76.58")
    assert round_percent(kpis.completion_rate_projects(inputs), 1) == D("76.6")  # as published
    assert percent(85, 111, 1) == D("76.6")


def test_production_rate_7_of_10_planned_productions():
    inputs = Inputs(year=2016, month=10, planned_productions=10, in_production=7)
    assert kpis.production_rate(inputs) == D("70.00")


def test_shenyang_jan_may_2017_kaifugong_rate():
    # 沈阳 2017年1—5月: 456 of 597 key projects started or resumed, 76.4%. The bulletin does
    # not split either figure, so two different splits must give the same rate.
    for new, resumed, planned, continuing in ((200, 256, 300, 297), (456, 0, 597, 0)):
        inputs = Inputs(
            year=2017,
            month=5,
            new_starts=new,
            resumed=resumed,
            planned_starts=planned,
            continuing=continuing,
        )
        assert kpis.kaifugong(inputs) == 456
        assert kpis.kaifugong_rate(inputs) == D("76.38")
    assert percent(456, 597, 1) == D("76.4")  # as published


def test_changchun_new_area_kaifugong_against_target():
    # 长春新区: 141 started or resumed against 125 planned, 112.8%.
    inputs = Inputs(year=2020, month=6, new_starts=141, start_target=125)
    assert kpis.kaifugong(inputs) == 141
    assert kpis.kaifugong_target_rate(inputs) == D("112.80")


def test_panjin_2022_kaifugong_609_at_101_5_percent():
    # 盘锦 2022 (2023年鉴): 344 new starts + 265 resumed = 609, 开复工率 101.5%. The
    # denominator is not published; 600 is the only whole number that gives 101.5%.
    candidates = [d for d in range(1, 5000) if percent(609, d, 1) == D("101.5")]
    assert candidates == [600]
    # How the 600 splits into planned new starts and continuing projects is not published.
    inputs = Inputs(
        year=2022, month=12, new_starts=344, resumed=265, planned_starts=335, continuing=265
    )
    assert kpis.kaifugong(inputs) == 609
    assert kpis.kaifugong_rate(inputs) == D("101.50")


# --------------------------------------------------------------------------- per project


@pytest.mark.parametrize(
    ("planned", "actual", "expected"),
    [
        (dt.date(2026, 5, 20), dt.date(2026, 5, 1), "on_time"),  # same month, earlier day
        (dt.date(2026, 5, 1), dt.date(2026, 5, 31), "on_time"),  # same month, later day
        (dt.date(2026, 5, 1), dt.date(2026, 4, 30), "early"),
        (dt.date(2026, 1, 10), dt.date(2025, 12, 28), "early"),  # across the new year
        (dt.date(2026, 5, 31), dt.date(2026, 6, 1), "late"),
        (dt.date(2025, 12, 1), dt.date(2026, 1, 2), "late"),
        (None, dt.date(2026, 5, 1), None),
        (dt.date(2026, 5, 1), None, None),
    ],
)
def test_start_timing_by_calendar_month(planned, actual, expected):
    assert start_timing(planned, actual) == expected


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (D(0), "under_50m"),
        (D("4999.99"), "under_50m"),
        (D(5000), "50m_100m"),  # exactly 5000万元 is in the 5000万元—1亿元 band
        (D("9999.99"), "50m_100m"),
        (D(10000), "100m_1bn"),
        (D("99999.99"), "100m_1bn"),
        (D(100000), "1bn_plus"),
        (D(3000000), "1bn_plus"),
    ],
)
def test_investment_band_boundaries(total, band):
    assert investment_band(total) == band


def test_band_labels_and_threshold_filters():
    assert [str(band.label) for band in BANDS.values()] == [
        "5000万元以下",
        "5000万元—1亿元",
        "1亿元—10亿元",
        "10亿元以上",
    ]
    assert threshold_bands("ge_50m") == ("50m_100m", "100m_1bn", "1bn_plus")
    assert threshold_bands("ge_100m") == ("100m_1bn", "1bn_plus")
    assert threshold_bands("ge_1bn") == ("1bn_plus",)
    with pytest.raises(ValueError, match="ge_2bn"):
        threshold_bands("ge_2bn")


AFTER_A_YEAR = CapacityRule(mode="after_production", months=12)
ON_PLAN = CapacityRule(mode="planned")


def status(rule, period_end, *, production=None, planned=None, reached=None):
    return capacity_due(
        rule,
        period_end=period_end,
        production_date=production,
        planned_capacity_date=planned,
        capacity_date=reached,
    )


def test_capacity_due_months_after_production():
    produced = dt.date(2025, 3, 15)
    assert status(AFTER_A_YEAR, dt.date(2026, 3, 31), production=produced) == (True, False)
    assert status(AFTER_A_YEAR, dt.date(2026, 3, 15), production=produced) == (True, False)
    assert status(AFTER_A_YEAR, dt.date(2026, 2, 28), production=produced) == (False, False)
    assert status(CapacityRule(months=6), dt.date(2025, 9, 30), production=produced).due
    # A leap day plus a year falls on 28 February.
    leap = dt.date(2024, 2, 29)
    assert status(AFTER_A_YEAR, dt.date(2025, 2, 28), production=leap).due
    assert not status(AFTER_A_YEAR, dt.date(2025, 2, 27), production=leap).due
    # Not in production: never due, whatever the planned date says.
    assert status(AFTER_A_YEAR, dt.date(2030, 1, 1), planned=dt.date(2026, 1, 1)) == (False, False)


def test_capacity_due_on_the_planned_date():
    planned = dt.date(2026, 6, 30)
    assert status(ON_PLAN, dt.date(2026, 6, 30), planned=planned) == (True, False)
    assert status(ON_PLAN, dt.date(2026, 5, 31), planned=planned) == (False, False)
    # The production date does not matter in this mode.
    early = dt.date(2020, 1, 1)
    assert status(ON_PLAN, dt.date(2026, 5, 31), planned=planned, production=early).due is False
    assert status(ON_PLAN, dt.date(2030, 1, 1), production=early) == (False, False)


def test_capacity_reached_counts_as_due_and_only_by_the_period_end():
    produced = dt.date(2025, 11, 1)
    early_reach = dt.date(2026, 2, 1)  # three months after production, before it was due
    after, before = dt.date(2026, 3, 31), dt.date(2026, 1, 31)
    assert status(AFTER_A_YEAR, after, production=produced, reached=early_reach) == (True, True)
    assert status(AFTER_A_YEAR, before, production=produced, reached=early_reach) == (False, False)
    assert status(ON_PLAN, dt.date(2026, 3, 31), reached=early_reach) == (True, True)


def test_capacity_rule_refuses_unknown_modes_and_negative_months():
    with pytest.raises(ValueError, match="mode"):
        CapacityRule(mode="whenever")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="months"):
        CapacityRule(months=-1)


# --------------------------------------------------------------------------- display


def test_display_of_each_unit():
    with translation.override("zh-hans"):
        assert format_kpi(KPIS["completion_rate"], D("30.90")) == "30.90%"
        assert format_kpi(KPIS["funds_rate"], D("1250.00")) == "1,250.00%"
        assert format_kpi(KPIS["time_progress_gap"], D("-4.17")) == "-4.17个百分点"
        assert format_kpi(KPIS["completed_investment"], D(1015)) == "1,015.00万元"
        assert format_kpi(KPIS["kaifugong"], 1609) == "1,609"
        assert format_kpi(KPIS["completion_rate"], None) == "—"
        assert format_kpi(KPIS["kaifugong"], None) == "—"
        assert format_percent(D("72.95")) == "72.95%"
        assert format_percent(D(73), 0) == "73%"
        assert format_points(None) == "—"
        assert gap_sentence(D(0)) == "与时间进度持平"
        assert gap_sentence(None) == "—"


def test_money_follows_the_language():
    with translation.override("en"):
        assert format_kpi(KPIS["completed_investment"], D(1015)) == "CNY 10.15m"


# --------------------------------------------------------------------------- properties

money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
months = st.integers(min_value=1, max_value=12)


@given(money, money.filter(bool), months)
def test_gap_is_always_completion_rate_minus_time_progress(completed, plan, month):
    inputs = Inputs(year=2026, month=month, completed_ytd=completed, annual_plan=plan)
    gap = kpis.time_progress_gap(inputs)
    assert gap == kpis.completion_rate(inputs) - kpis.time_progress(inputs)
    assert (gap > 0) == gap_sentence(gap).startswith("超过")


@given(money, money, st.integers(0, 10**6), st.integers(0, 10**6))
def test_shares_lie_between_0_and_100(a, b, c, d):
    part, whole = sorted((a, b))
    small, large = sorted((c, d))
    inputs = Inputs(
        year=2026,
        month=6,
        industry_completed=part,
        completed_ytd=whole,
        completed_since_start=part,
        total_investment=whole,
        started=small,
        planned_starts=large,
        in_production=small,
        planned_productions=large,
    )
    for compute in (
        kpis.industry_share,
        kpis.cumulative_rate,
        kpis.start_rate_planned,
        kpis.production_rate,
    ):
        value = compute(inputs)
        assert value is None or D(0) <= value <= D(100)


@given(st.integers(-(10**9), 10**9), st.integers(1, 10**9))
def test_percent_is_within_half_a_hundredth_of_the_exact_ratio(part, whole):
    value = percent(part, whole)
    assert abs(Fraction(value) - Fraction(part * 100, whole)) <= Fraction(1, 200)
    assert value.as_tuple().exponent == -2


@given(money, st.sampled_from(sorted(THRESHOLDS)))
def test_a_threshold_keeps_exactly_the_totals_at_or_above_it(total, threshold):
    kept = investment_band(total) in threshold_bands(threshold)
    assert kept == (total >= THRESHOLDS[threshold][1])


@given(st.dates(), st.dates())
def test_start_timing_is_symmetric(planned, actual):
    swapped = {"early": "late", "late": "early", "on_time": "on_time"}
    assert start_timing(actual, planned) == swapped[start_timing(planned, actual)]
