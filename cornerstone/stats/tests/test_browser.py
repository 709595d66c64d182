"""The statistics overview in a real browser: a filter changed through htmx redraws the
figures and the chart, and the address keeps the filter."""

import re

import pytest
from playwright.sync_api import expect

from cornerstone.core.testing.browser import log_in
from cornerstone.stats.tests.figures import figures_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_overview_changes_with_a_filter_and_draws_its_charts(browser_context, cast, ledger):
    figures_build(ledger)
    page = browser_context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: problems.append(m.text)
        if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
        else None,
    )
    log_in(page, "province_admin")
    page.get_by_test_id("nav-stats").click()
    expect(page).to_have_url(re.compile(r"/stats/$"))
    page.goto("/stats/?year=2026&month=10")
    headline = page.get_by_test_id("stats-headline")
    expect(headline).to_contain_text("2026年1—10月完成投资700.00万元")
    expect(page.locator("#chart-series canvas").first).to_be_visible()
    expect(page.locator("#chart-funnel canvas").first).to_be_visible()

    page.evaluate("window.__stayed = true")
    page.get_by_label("截至月份").select_option("3")
    expect(headline).to_contain_text("2026年1—3月完成投资210.00万元")
    expect(page).to_have_url(re.compile(r"month=3"))
    assert page.evaluate("window.__stayed") is True  # swapped by htmx, not reloaded
    expect(page.locator("#chart-series[data-chart-ready=true] canvas").first).to_be_visible()
    series = page.get_by_test_id("series-table")
    page.get_by_test_id("series-details").locator("summary").click()
    expect(series.locator("tbody tr").nth(2)).to_contain_text("210.00")
    expect(series.locator("tbody tr").nth(3)).to_contain_text("—")

    # A bad value says why in place of the figures.
    page.get_by_label("年度").fill("1999")
    page.get_by_label("年度").press("Enter")
    expect(page.get_by_test_id("stats-errors")).to_contain_text("2000")

    # Drilling into a city by its row keeps the period.
    page.goto("/stats/regions/?year=2026&month=10")
    expect(page.locator("#chart-breakdown canvas").first).to_be_visible()
    page.get_by_test_id("breakdown-table").get_by_role("link", name="太原市").click()
    expect(page).to_have_url(re.compile(r"region=140100"))
    expect(page.get_by_test_id("breadcrumb")).to_contain_text("山西省")
    expect(page.get_by_test_id("breakdown-table")).to_contain_text("迎泽区")
    assert [p for p in problems if "status of 400" not in p] == []
