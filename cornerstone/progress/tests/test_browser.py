"""The reporting round in a real browser: an owner submits, the admin returns it, the owner
resubmits, the admin accepts; the project's light turns from red to yellow and the month's
briefing lists it among the yellow projects."""

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from playwright.sync_api import expect

from cornerstone.alerts.models import RuleSet
from cornerstone.alerts.presets import preset_params
from cornerstone.alerts.services import lights_recompute
from cornerstone.alerts.tests.conftest import plan
from cornerstone.core.testing.browser import log_in
from cornerstone.progress import services
from cornerstone.progress.models import ProgressReport
from cornerstone.projects.choices import StatsInclusion
from cornerstone.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 11, 24)


def switch_user(page, username):
    page.get_by_role("button", name="退出").click()
    log_in(page, username)


def light_of_november(page, project):
    page.goto(f"/alerts/projects/{project.pk}/")
    return page.get_by_test_id("light-strip").locator("div.border", has_text="2026-11")


def test_a_report_returned_resubmitted_and_accepted_changes_the_light_and_the_briefing(
    browser_context, cast, ledger, geo, time_machine
):
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    project = ledger.xiaodian
    # Started, counted in the statistics, 1,200万元 planned for the year: only progress lags.
    Project.objects.filter(pk=project.pk).update(
        planned_start_date=dt.date(2026, 2, 1),
        actual_start_date=dt.date(2026, 2, 10),
        stats_inclusion=StatsInclusion.INCLUDED,
        stats_inclusion_date=dt.date(2026, 3, 1),
    )
    RuleSet.objects.create(
        name="山西省预警规则",
        region=geo.shanxi,
        preset="yinchuan_2025",
        params=preset_params("yinchuan_2025"),
    )
    plan(project, 2026, 100)
    lights_recompute(today=TODAY)
    schedule = services.schedule_create(
        data={
            "name": "小店区重点项目月调度",
            "region": geo.xiaodian.code,
            "frequency": "monthly",
            "deadline_day": 25,
            "remind_days_before": 2,
            "active": True,
        },
        actor=cast.xiaodian_admin,
    )
    services.cycle_open_next(schedule=schedule, actor=cast.xiaodian_admin, today=TODAY)
    report = ProgressReport.objects.get(project=project)

    page = browser_context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The owner fills in the month and submits.
    log_in(page, "owner")
    page.goto("/progress/mine/")
    page.get_by_test_id("due").get_by_role("link", name="填报").click()
    page.get_by_label("本期完成投资（万元）").fill("900")
    page.get_by_label("形象进度").fill("主体结构施工中")
    page.get_by_role("button", name="保存并提交").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已提交")

    # The admin sees the red light, and returns the report with a comment.
    switch_user(page, "xiaodian_admin")
    expect(light_of_november(page, project)).to_contain_text("红灯")
    page.goto(f"/progress/reports/{report.pk}/")
    page.get_by_label("审核意见（退回时必填）").fill("请补充在岗人数")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已退回")

    # The owner reads the comment, completes the report and submits again.
    switch_user(page, "owner")
    page.goto(f"/progress/reports/{report.pk}/edit/")
    expect(page.get_by_text("请补充在岗人数")).to_be_visible()
    page.get_by_label("在岗人数").fill("120")
    page.get_by_role("button", name="保存并提交").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已提交")

    # The admin accepts: 900 of the 1,100万元 due by November is 16.7 points behind.
    switch_user(page, "xiaodian_admin")
    page.goto(f"/progress/reports/{report.pk}/")
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已通过")
    history = page.get_by_test_id("history")
    expect(history.locator("tr")).to_have_count(5)  # header + submit, return, submit, accept
    expect(light_of_november(page, project)).to_contain_text("黄灯")

    # The month's briefing lists the project among the yellow ones.
    page.goto("/dispatch/briefings/new/")
    page.get_by_label("发文机关").fill("小店区发展和改革局")
    page.get_by_label("区划").select_option(geo.xiaodian.code)
    page.get_by_label("年度").fill("2026")
    page.get_by_label("月份").fill("11")
    page.get_by_role("button", name="生成").click()
    expect(page.get_by_test_id("briefing-status")).to_have_text("已生成", timeout=20_000)
    expect(page.get_by_test_id("briefing-summary")).to_contain_text("完成投资")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载Word版").click()
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert project.name in text
    assert "黄灯" in text or "黄色" in text
    assert errors == []
