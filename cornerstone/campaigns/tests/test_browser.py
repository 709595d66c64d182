"""Enrolment in a real browser: search as you type, add with an action, remove, all by htmx."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cornerstone.campaigns.models import CampaignProject
from cornerstone.campaigns.tests.conftest import campaign_make
from cornerstone.core.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_enrol_and_remove(browser_context, cast, ledger, geo):
    campaign = campaign_make(geo.taiyuan, cast.taiyuan_admin, date=timezone.localdate())
    page = browser_context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: problems.append(m.text)
        if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
        else None,
    )
    log_in(page, "taiyuan_admin")
    page.goto(f"/campaigns/{campaign.pk}/")
    expect(page.get_by_test_id("entries-empty")).to_be_visible()
    page.get_by_test_id("enrol-search").fill("电子新材料")
    candidates = page.get_by_test_id("candidates")
    expect(candidates).to_contain_text(ledger.xiaodian.code)
    candidates.locator("select[name=action]").select_option(label="开工")
    candidates.get_by_role("button", name="加入").click()
    entries = page.get_by_test_id("entries")
    expect(entries).to_contain_text(ledger.xiaodian.name)
    expect(entries).to_contain_text("开工")
    expect(page.get_by_test_id("enrolled")).to_be_visible()
    assert CampaignProject.objects.get().action == "start"
    entries.get_by_role("button", name="移出").click()
    expect(page.get_by_test_id("entries-empty")).to_be_visible()
    assert not CampaignProject.objects.exists()
    assert problems == []
