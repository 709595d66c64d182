"""The import page in a real browser: upload a ledger, watch the check, import, see the result.

The tasks are queued, not run, and this test runs them as the worker would, while the
page polls: so the running state (status and progress bar) is seen before the result.
The page's polls to the job are held by Playwright until the test next talks to the
browser, so the worker's writes never overlap a request (the test database is one
SQLite connection shared with the live server).
"""

import re

import pytest
from playwright.sync_api import expect

from cornerstone.core.testing.browser import log_in
from cornerstone.ingest.models import ImportJob
from cornerstone.ingest.tasks import job_check, job_commit
from cornerstone.ingest.tests.test_ledger_import import ROWS, workbook
from cornerstone.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOB_PAGE = re.compile(r"/imports/\d+/$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run_as_worker(page, step):
    """Let the page's last poll finish, then run a queued step of the job."""
    with page.expect_response(JOB_PAGE):
        pass
    step(ImportJob.objects.select_related("created_by").get())


def test_a_ledger_is_uploaded_checked_and_imported(browser_context, cast, ledger, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "ENQUEUE_ON_COMMIT": False,
        }
    }
    page = browser_context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(JOB_PAGE, lambda route: route.continue_())
    log_in(page, "xiaodian_admin")

    page.goto("/imports/")
    page.get_by_label("导入内容").select_option("ledger")
    page.get_by_label("工作簿文件").set_input_files(
        {"name": "台账.xlsx", "mimeType": XLSX, "buffer": workbook(ROWS).read()}
    )
    page.get_by_role("button", name="上传并校验").click()
    status = page.get_by_test_id("job-status")
    expect(status).to_have_text("校验中")
    expect(page.get_by_role("progressbar")).to_be_visible()

    run_as_worker(page, job_check)
    expect(status).to_have_text("校验通过，待导入")
    counts = page.get_by_test_id("job-counts")
    expect(counts).to_contain_text("将新增")
    expect(counts.locator("dd").first).to_have_text("2")
    assert not Project.objects.filter(name="小店区数据中心项目").exists()

    page.get_by_role("button", name="确认导入").click()
    expect(status).to_have_text("导入中")
    expect(page.get_by_role("progressbar")).to_be_visible()
    run_as_worker(page, job_commit)
    expect(status).to_have_text("已导入")
    expect(counts.locator("dd").first).to_have_text("2")
    assert Project.objects.filter(name="小店区数据中心项目", region_id="140105").exists()

    page.goto("/imports/")
    expect(page.get_by_test_id("import-jobs")).to_contain_text("已导入")
    assert errors == []
