"""The statistics pages: figures, drill-downs that reconcile, exports, bad input and scope."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from cornerstone.core.testing.factories import ProjectFactory
from cornerstone.stats.cube import EVENT_METRICS
from cornerstone.stats.filters import stats_filter_parse
from cornerstone.stats.queries import metric_projects
from cornerstone.stats.rollups import rollups_rebuild
from cornerstone.stats.tests.figures import NOW, PERIOD, PROVINCE_COMPLETED, figures_build

pytestmark = pytest.mark.django_db

PAGES = ("stats:overview", "stats:regions", "stats:industries", "stats:tiers")
MEASURES = ("projects", "total", "before", "ytd", "ytd_last", "plan_year", "plan_to_date")


@pytest.fixture
def figures(ledger, time_machine):
    time_machine.move_to(NOW, tick=False)
    return figures_build(ledger)


def _get(client, name, *, htmx=False, **params):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.get(reverse(name), {**PERIOD, **params}, headers=headers)


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _sheet_rows(sheet):
    return [row for row in sheet.iter_rows(min_row=4, values_only=True) if any(row)]


# ------------------------------------------------------------------ figures


def test_overview_cards_charts_lights_and_lagging(
    client, cast, figures, django_assert_max_num_queries
):
    client.force_login(cast.province_admin)
    with django_assert_max_num_queries(18):
        response = _get(client, "stats:overview")
    body = response.content.decode()
    assert response.status_code == 200
    # KPI cards: value, and the formula as tooltip and footnote.
    assert "完成投资700.00万元" in body
    assert 'title="1—N月完成投资 ÷ 年度计划投资 × 100%"' in body
    assert "34.31%" in body  # 700 / 2,040
    assert "落后时间进度49.02个百分点" in body  # 34.31 − 83.33
    # The line chart's box, its data for the script, and the same numbers in a table.
    assert 'id="chart-series"' in body and 'id="chart-series-data"' in body
    series = response.context["series_rows"]
    assert series[9][1] == PROVINCE_COMPLETED and series[10][1] is None
    assert series[11][2] == Decimal(2040)
    assert 'id="chart-funnel"' in body and 'data-testid="funnel-table"' in body
    # Lights link to the warnings of the month; the lagging project links to its page.
    assert response.context["lights"][0][:2] == ("red", 1)
    assert "/alerts/?colour=red&amp;period=2026-10&amp;region=140000" in body
    assert reverse("projects:detail", args=[figures.xiaodian.pk]) in body
    # Per sub-region: the two cities, each drilling one level down; nothing of 河北.
    assert [r.row.name for r in response.context["rows"]] == ["太原市", "大同市"]
    assert "region=140100" in response.context["rows"][0].drill
    assert figures.changan.name not in body and "9,990.00" not in body


def test_overview_defaults_to_this_month(client, cast, figures):
    client.force_login(cast.province_admin)
    response = client.get(reverse("stats:overview"))
    filters = response.context["board"].filters
    assert (filters.year, filters.month) == (2026, 11)
    assert response.context["board"].inputs.completed_ytd == PROVINCE_COMPLETED


def test_region_page_drills_province_city_county_zone(
    client, cast, figures, geo, django_assert_max_num_queries
):
    client.force_login(cast.province_admin)
    with django_assert_max_num_queries(18):
        province = _get(client, "stats:regions")
    assert province.status_code == 200
    assert 'id="chart-breakdown"' in province.content.decode()
    taiyuan_row = province.context["rows"][0]
    assert taiyuan_row.row.name == "太原市"
    city = client.get(taiyuan_row.drill)
    assert [(r.row.key, r.row.name) for r in city.context["rows"]] == [
        ("140105", "小店区"),
        ("140106", "迎泽区"),
    ]
    assert [name for name, __link in city.context["breadcrumb"]] == ["山西省", "太原市"]
    county = client.get(city.context["rows"][0].drill)
    zones = county.context["rows"]
    assert [(r.row.name, r.row.measures.projects) for r in zones] == [(geo.xiaodian_zone.name, 1)]
    assert county.context["by_label"] == "园区"
    assert zones[0].drill == ""  # zones are the bottom
    assert f"zone={geo.xiaodian_zone.pk}" in zones[0].ledger
    # The counts open the ledger on the same projects, and the ledger agrees.
    ledger = client.get(taiyuan_row.ledger)
    assert ledger.context["summary"].count == taiyuan_row.row.measures.projects == 2


def test_sub_region_rows_add_up_to_the_region(client, cast, figures, geo):
    ProjectFactory(region=geo.taiyuan, name="太原市本级项目", total_investment=Decimal("321.09"))
    rollups_rebuild()
    client.force_login(cast.province_admin)
    province = _get(client, "stats:regions")
    taiyuan = _get(client, "stats:regions", region="140100")
    for page in (province, taiyuan):
        total = page.context["total"].row
        for field in MEASURES:
            assert sum(getattr(r.row.measures, field) for r in page.context["rows"]) == getattr(
                total.measures, field
            ), field
        for metric in EVENT_METRICS:
            assert sum(r.row.events.get(metric, 0) for r in page.context["rows"]) == (
                total.events.get(metric, 0)
            ), metric
    # The city's own page totals what the province page shows on the city's row.
    taiyuan_row = next(r.row for r in province.context["rows"] if r.row.key == "1401")
    assert taiyuan.context["total"].row.measures == taiyuan_row.measures
    assert {k: v for k, v in taiyuan.context["total"].row.events.items() if v} == {
        k: v for k, v in taiyuan_row.events.items() if v
    }


def test_industry_and_tier_pages(client, cast, figures):
    client.force_login(cast.taiyuan_admin)
    industries = _get(client, "stats:industries")
    assert industries.status_code == 200
    names = {r.row.key: r.row.name for r in industries.context["rows"]}
    assert names == {"": "未填行业", "C": "C 制造业"}
    manufacturing = next(r for r in industries.context["rows"] if r.row.key == "C")
    assert "section=C" in manufacturing.drill and "industry=C" in manufacturing.ledger
    assert next(r for r in industries.context["rows"] if not r.row.key).drill == ""
    tiers = _get(client, "stats:tiers")
    assert [(r.row.name, r.row.measures.projects) for r in tiers.context["rows"]] == [("市重点", 2)]
    # A class filter with the breakdown: still the same projects' figures.
    filtered = _get(client, "stats:regions", section="C")
    assert filtered.context["total"].row.completed == Decimal(100)


# ------------------------------------------------------------------ drill-down


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("started", {"xiaodian", "yingze"}),
        ("started_early", {"xiaodian"}),
        ("started_on_time", {"yingze"}),
        ("not_started_due", {"pingcheng"}),
        ("planned_starts", {"xiaodian", "yingze", "pingcheng"}),
        ("completed", {"yingze"}),
        ("under_construction", {"xiaodian"}),
    ],
)
def test_drill_down_lists_exactly_the_counted_projects(client, cast, figures, metric, expected):
    client.force_login(cast.province_admin)
    overview = _get(client, "stats:overview")
    counted = overview.context["total"].row.events.get(metric, 0)
    response = _get(client, "stats:projects", metric=metric)
    assert response.status_code == 200
    listed = {p.pk for p in response.context["page"].object_list}
    assert listed == {getattr(figures, name).pk for name in expected}
    assert response.context["page"].paginator.count == counted == len(expected)
    assert figures.changan.name not in response.content.decode()


def test_drill_down_links_on_the_page_reach_the_same_list(client, cast, figures):
    client.force_login(cast.taiyuan_admin)
    rows = _get(client, "stats:regions").context["rows"]
    xiaodian = next(r for r in rows if r.row.key == "140105")
    started_count, started_link = xiaodian.events[1]  # 计划新开工中已开工
    response = client.get(started_link)
    assert response.context["page"].paginator.count == started_count == 1
    assert [p.pk for p in response.context["page"].object_list] == [figures.xiaodian.pk]


def test_drill_down_pages_and_exports(client, cast, figures, geo):
    for n in range(3):
        ProjectFactory(
            region=geo.xiaodian,
            name=f'=HYPERLINK("http://x","项目{n}")',
            planned_start_date=NOW.date().replace(month=6),
        )
    rollups_rebuild()
    client.force_login(cast.xiaodian_admin)
    first = _get(client, "stats:projects", metric="planned_starts")
    assert first.context["page"].paginator.count == 4
    book = _workbook(_get(client, "stats:projects", metric="planned_starts", format="xlsx"))
    sheet = book.active
    rows = _sheet_rows(sheet)
    assert len(rows) == 4 and sheet.freeze_panes == "B4" and sheet.auto_filter.ref
    names = {row[1] for row in rows}
    assert '=HYPERLINK("http://x","项目0")' in names
    cell = next(c for c in sheet["B"] if c.value == '=HYPERLINK("http://x","项目0")')
    assert cell.data_type == "s"  # text, never a formula
    assert geo.xiaodian.name in {row[2] for row in rows}


def test_drill_down_refuses_unknown_or_missing_metric(client, cast, figures):
    client.force_login(cast.province_admin)
    unknown = _get(client, "stats:projects", metric="bogus")
    assert unknown.status_code == 400
    assert "未知的统计口径：bogus" in unknown.content.decode()
    missing = _get(client, "stats:projects")
    assert missing.status_code == 400
    assert "请指定统计口径" in missing.content.decode()


# ------------------------------------------------------------------ exports


def test_overview_and_breakdown_export_their_tables(client, cast, figures):
    client.force_login(cast.province_admin)
    book = _workbook(_get(client, "stats:overview", format="xlsx"))
    assert book.sheetnames == ["指标", "区划", "月度累计", "阶段", "漏斗", "亮灯", "滞后项目"]
    kpis = {row[0]: row[1] for row in _sheet_rows(book["指标"])}
    assert kpis["完成投资"] == 700 and kpis["投资完成率"] == pytest.approx(34.31)
    regions = book["区划"]
    assert regions.freeze_panes == "B4" and regions.auto_filter.ref == "A3:P5"
    rows = _sheet_rows(regions)
    assert [row[:4] for row in rows] == [
        ("太原市", 2, 158000, 700),
        ("大同市", 1, 12000, 0),
        ("合计", 3, 170000, 700),
    ]
    assert regions["H4"].number_format == "0.00%" and regions["C4"].number_format == "#,##0.00"
    assert _sheet_rows(book["滞后项目"])[0][1] == figures.xiaodian.name
    tiers = _workbook(_get(client, "stats:tiers", format="xlsx"))
    assert tiers.sheetnames == ["指标", "项目级别"]


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"tier": "galactic"}, "项目级别"),
        ({"month": "13"}, "截至月份"),
        ({"year": "1999"}, "2000"),
        ({"year": "soon"}, "年度"),
        ({"region": "12345x"}, "不是有效的区划代码"),
        ({"threshold": "7"}, "投资规模"),
        ({"section": "Z9"}, "行业门类应为A—T中的一个字母"),
    ],
)
def test_bad_filters_say_what_is_wrong(client, cast, figures, params, words):
    client.force_login(cast.province_admin)
    for name in PAGES:
        response = _get(client, name, **params)
        assert response.status_code == 400, name
        body = response.content.decode()
        assert 'data-testid="stats-errors"' in body and words in body
        assert 'id="stats-filters"' in body  # the form is still there to correct it
    partial = _get(client, "stats:overview", htmx=True, **params)
    assert partial.status_code == 400
    assert words in partial.content.decode() and "<html" not in partial.content.decode()


def test_year_without_data_says_so(client, cast, figures):
    client.force_login(cast.province_admin)
    for name in PAGES:
        response = _get(client, name, year="2019")
        assert response.status_code == 200
        body = response.content.decode()
        assert "2019年无统计数据" in body
        assert 'data-testid="kpi-cards"' not in body and 'data-testid="breakdown-table"' not in body


def test_htmx_filter_change_returns_only_the_new_figures(client, cast, figures):
    client.force_login(cast.province_admin)
    response = _get(client, "stats:overview", month="3", htmx=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="stats-filters"' not in body
    assert "2026年1—3月完成投资210.00万元" in body  # 3 × 10 + 3 × 60
    assert 'id="chart-series-data"' in body


# ------------------------------------------------------------------ scope


def test_county_admin_cannot_read_another_county_or_the_province(client, cast, figures):
    client.force_login(cast.xiaodian_admin)
    own = _get(client, "stats:overview")
    assert own.context["board"].inputs.completed_ytd == Decimal(100)
    assert figures.yingze.name not in own.content.decode()
    for region in ("140106", "140100", "140000", "130000"):
        for name in (*PAGES, "stats:projects"):
            response = _get(client, name, region=region, metric="started")
            assert response.status_code == 403, (name, region)
            body = response.content.decode()
            assert "不在您的管辖范围内" in body
            assert "600.00" not in body and figures.yingze.name not in body
        export = _get(client, "stats:overview", region=region, format="xlsx")
        assert export.status_code == 403 and not export.has_header("Content-Disposition")


def test_other_province_admin_sees_only_their_province(client, cast, figures):
    client.force_login(cast.hebei_admin)
    response = _get(client, "stats:overview")
    assert response.context["board"].inputs.completed_ytd == Decimal(9990)
    assert figures.xiaodian.name not in response.content.decode()
    started = _get(client, "stats:projects", metric="started")
    assert [p.pk for p in started.context["page"].object_list] == [figures.changan.pk]
    assert _get(client, "stats:regions", region="140000").status_code == 403


def test_owner_sees_only_their_own_projects(client, cast, figures):
    client.force_login(cast.owner)
    response = _get(client, "stats:overview")
    board = response.context["board"]
    assert board.scope.owner == cast.owner
    assert board.inputs.completed_ytd == Decimal(100) and board.inputs.projects == 1
    body = response.content.decode()
    assert figures.yingze.name not in body and figures.pingcheng.name not in body
    assert all(r.drill == "" for r in response.context["rows"])  # no region to drill into
    started = _get(client, "stats:projects", metric="planned_starts")
    assert [p.pk for p in started.context["page"].object_list] == [figures.xiaodian.pk]
    book = _workbook(_get(client, "stats:regions", format="xlsx"))
    assert _sheet_rows(book["区划"])[-1][1] == 1  # the total: one project


def test_department_user_is_scoped_to_their_region(client, cast, figures):
    client.force_login(cast.xiaodian_dept)
    response = _get(client, "stats:overview")
    assert response.context["board"].inputs.completed_ytd == Decimal(100)
    assert _get(client, "stats:overview", region="140100").status_code == 403
    started = _get(client, "stats:projects", metric="started")
    assert [p.pk for p in started.context["page"].object_list] == [figures.xiaodian.pk]


def test_drill_down_query_matches_metric_projects(cast, figures):
    filters = stats_filter_parse({**PERIOD, "region": "140100"})
    found = metric_projects(actor=cast.taiyuan_admin, filters=filters, metric="started")
    assert set(found.values_list("pk", flat=True)) == {figures.xiaodian.pk, figures.yingze.pk}


def test_anonymous_is_sent_to_log_in(client, figures):
    for name in (*PAGES, "stats:projects"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_every_logged_in_user_has_the_menu_entry(client, cast, figures):
    for user in (cast.province_admin, cast.owner, cast.xiaodian_dept, cast.evaluator):
        client.force_login(user)
        body = client.get(reverse("projects:list")).content.decode()
        assert f'href="{reverse("stats:overview")}"' in body, user.username
