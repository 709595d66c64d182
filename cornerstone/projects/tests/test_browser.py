"""The ledger in a real browser: a county admin's day, and a neighbour who is kept out."""

import re

import pytest
from playwright.sync_api import expect

from cornerstone.core.testing.browser import log_in
from cornerstone.core.testing.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_admin_filters_opens_completes_a_step_and_a_neighbour_is_refused(
    browser_context, chromium, live_server, cast, ledger, geo
):
    ProjectFactory(name="小店区智能装备制造基地项目", region=geo.xiaodian)
    page = browser_context.new_page()
    log_in(page, "xiaodian_admin")

    table = page.get_by_test_id("ledger-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).not_to_contain_text(ledger.yingze.name)
    expect(table).not_to_contain_text(ledger.pingcheng.name)

    # Typing filters through htmx: the table changes, the page does not reload, the URL keeps it.
    page.evaluate("window.__stayed = true")
    page.get_by_label("搜索").fill("电子新材料")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=%E7%94%B5"))
    assert page.evaluate("window.__stayed") is True
    expect(page.get_by_test_id("ledger-summary")).to_contain_text("共 1 个项目")

    page.get_by_role("link", name=ledger.xiaodian.name).click()
    expect(page.get_by_test_id("project-name")).to_have_text(ledger.xiaodian.name)
    project_url = page.url

    step = page.get_by_test_id("step-conception")
    step.locator("summary").click()
    step.get_by_label("完成日期").fill("2026-01-15")
    step.get_by_role("button", name="完成环节").click()
    expect(page.get_by_test_id("step-conception").get_by_test_id("step-status")).to_have_text(
        "已完成"
    )
    history = page.get_by_test_id("history-event").first
    expect(history).to_contain_text("完成环节“项目谋划”（2026-01-15）")
    expect(history).to_contain_text("页面")

    neighbour = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    other = neighbour.new_page()
    log_in(other, "yingze_admin")
    response = other.goto(project_url)
    assert response.status == 404
    neighbour.close()
