"""An evaluator's sheet in a real browser: a score out of range refused in place, then submitted."""

import pytest
from playwright.sync_api import expect

from cornerstone.core.testing.browser import log_in
from cornerstone.evaluation import services
from cornerstone.evaluation.choices import SheetStatus
from cornerstone.evaluation.models import ScoreSheet
from cornerstone.evaluation.tests.conftest import tour_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fill_and_submit_a_sheet(browser_context, cast, geo):
    tour = tour_build(cast, geo)
    services.round_open(actor=cast.taiyuan_admin, round_=tour.round)
    page = browser_context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, "evaluator")
    page.goto(f"/evaluation/{tour.round.pk}/")
    page.get_by_test_id("my-sheets").get_by_role("link", name="小店区").click()
    form = page.get_by_test_id("sheet-form")
    form.get_by_label("现场观摩评价").fill("101")
    form.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("sheet-form")).to_contain_text("须在0—100分之间")
    assert not ScoreSheet.objects.exists()
    page.get_by_test_id("sheet-form").get_by_label("现场观摩评价").fill("88.5")
    page.get_by_test_id("sheet-form").get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("sheet-form")).to_contain_text("不能再修改")
    sheet = ScoreSheet.objects.get()
    assert sheet.status == SheetStatus.SUBMITTED and str(sheet.entries.get().score) == "88.50"
    assert problems == []
