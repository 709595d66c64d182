"""The wall chart in a real browser: a task added on the page shows on the Gantt, the
critical path is marked, the S-curve draws, and the sheet prints on A3 landscape."""

import re

import pytest
from playwright.sync_api import expect

from cornerstone.core.testing.browser import log_in
from cornerstone.plans import services
from cornerstone.plans.task_services import PredecessorInput, task_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# PDF points: A3 is 297 × 420 mm, so 1190.55 × 841.89 points when landscape.
A3_LANDSCAPE = (1190.55, 841.89)


def test_a_task_added_on_the_page_appears_on_the_wall_chart(browser_context, cast, ledger, geo):
    admin, project = cast.xiaodian_admin, ledger.xiaodian
    land = task_create(actor=admin, project=project, data={"name": "土地征收", "duration": 20})
    task_create(
        actor=admin,
        project=project,
        data={"name": "场地平整", "duration": 3},
        predecessors=[PredecessorInput(land.pk, "SS", 0)],
    )
    services.schedule_target_set(actor=admin, project=project, deadline="2027-12-31")
    services.milestone_create(
        actor=admin, project=project, data={"name": "主体封顶", "target_date": "2027-06-30"}
    )
    services.investment_plan_save(
        actor=admin, project=project, year=2026, annual_amount="1200", split_method="even"
    )
    page = browser_context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: problems.append(r.url) if r.status == 404 else None)
    page.on(
        "console",
        # The browser asks for /favicon.ico on its own; the site has none.
        lambda m: problems.append(m.text)
        if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
        else None,
    )
    log_in(page, "xiaodian_admin")

    page.goto(f"/projects/{project.pk}/plans/")
    page.get_by_role("link", name="添加任务").click()
    page.get_by_label("任务名称").fill("施工许可办理")
    page.get_by_label("工期（工作日）").fill("10")
    page.locator("select[name=pred-0-task]").select_option(label="土地征收")
    page.locator("input[name=pred-0-lag]").fill("2")
    page.get_by_role("button", name="保存").click()
    row = page.get_by_test_id("task-table").locator("tr", has_text="施工许可办理")
    expect(row).to_contain_text("土地征收（FS+2）")
    expect(row).to_have_class(re.compile("table-danger"))  # on the critical path

    page.get_by_role("link", name="挂图作战").click()
    gantt = page.locator("#wallchart-gantt .wc-gantt-screen")
    expect(gantt.locator(".bar-wrapper")).to_have_count(4)  # three tasks and a milestone
    expect(gantt.locator(".bar-wrapper.wc-plan-crit")).to_have_count(2)
    expect(gantt).to_contain_text("施工许可办理")
    expect(page.locator("#wallchart-scurve .wc-scurve-screen svg")).to_be_visible()
    page.get_by_role("button", name="周").click()
    expect(page.get_by_role("button", name="周")).to_have_attribute("aria-pressed", "true")

    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    sizes = {
        (round(float(w), 2), round(float(h), 2))
        for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    }
    assert sizes and all(
        abs(w - A3_LANDSCAPE[0]) < 1 and abs(h - A3_LANDSCAPE[1]) < 1 for w, h in sizes
    ), sizes
    assert problems == []
