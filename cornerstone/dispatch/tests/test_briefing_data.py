"""The figures of a briefing from the database: scope, sums, ranking, lists."""

from decimal import Decimal

from cornerstone.dispatch.briefing_data import briefing_figures, scope_label
from cornerstone.dispatch.tests.conftest import TODAY
from cornerstone.projects.choices import Category


def test_province_figures(geo, ledger, scene, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        figures = briefing_figures(region=geo.shanxi, year=2026, month=10, today=TODAY)
    assert figures.region_level == "province"
    assert figures.projects == 3  # 长安 (河北) is not in 山西
    assert figures.total_investment == Decimal("150000") + Decimal("8000") + Decimal("12000")
    assert figures.annual_plan == Decimal("16000")
    # November's 9,999 is after the briefing's month.
    assert figures.completed == Decimal("9000")
    assert figures.completed_last_year == Decimal("5000")  # 2025 Jan–Oct; December not counted
    assert figures.growth == Decimal("80.0")
    assert figures.industry_completed == Decimal("6000")
    assert figures.industry_share == Decimal("66.7")
    assert figures.completion_rate == Decimal("56.3")
    # 小店 new start in March, 迎泽 resumed (work in 2026); 平城 started but idle.
    assert figures.started == 2
    assert (figures.red_count, figures.yellow_count) == (1, 1)
    assert [p.name for p in figures.red] == ["年产10万吨高端电子新材料项目"]
    assert figures.red[0].reasons == ("截至10月底完成投资6000万元，仅为序时进度的60%",)
    assert figures.red[0].region == "小店区"
    ranked = figures.regions_ranked
    assert [(r.name, r.rate) for r in ranked] == [
        ("太原市", Decimal("60.0")),
        ("大同市", Decimal("0.0")),
    ]
    assert ranked[0].projects == 2
    departments = {d.name: d for d in figures.departments}
    assert departments["小店区自然资源局"].overdue == 1
    assert departments["小店区自然资源局"].escalated == 1
    assert departments["未指定责任单位"].total == 2
    assert departments["未指定责任单位"].unresolved == 1
    assert (figures.orders_total, figures.orders_open) == (1, 1)
    assert figures.orders[0].deadline == "2026年11月30日"


def test_city_figures_rank_counties(geo, scene):
    figures = briefing_figures(region=geo.taiyuan, year=2026, month=10, today=TODAY)
    assert figures.projects == 2
    assert [(r.name, r.rate) for r in figures.regions_ranked] == [
        ("迎泽区", Decimal("100.0")),
        ("小店区", Decimal("50.0")),
    ]


def test_county_figures_have_no_ranking(geo, scene):
    figures = briefing_figures(region=geo.xiaodian, year=2026, month=10, today=TODAY)
    assert figures.projects == 1
    assert figures.regions == []
    assert figures.completed == Decimal("6000")
    assert figures.annual_plan == Decimal("12000")


def test_category_filter(geo, scene):
    figures = briefing_figures(
        region=geo.shanxi, year=2026, month=10, category=Category.INDUSTRY, today=TODAY
    )
    assert figures.projects == 2
    assert figures.scope_label == "重点产业项目"
    assert figures.completed == Decimal("6000")
    assert figures.yellow_count == 0


def test_scope_label():
    assert scope_label() == "重点项目"
    assert scope_label("provincial") == "省重点项目"
    assert scope_label("provincial", "industry") == "省重点产业项目"
