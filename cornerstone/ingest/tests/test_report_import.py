"""The progress-report import: rows through the report services, all or nothing, scoped."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from cornerstone.core.choices import AuditSource
from cornerstone.core.models import AuditEvent, Notification
from cornerstone.ingest import services
from cornerstone.ingest.choices import ImportKind, ImportStatus
from cornerstone.ingest.models import ImportJob
from cornerstone.ingest.tests.conftest import schedule_open
from cornerstone.progress import report_services
from cornerstone.progress import services as progress_services
from cornerstone.progress.choices import ReportStatus
from cornerstone.progress.models import InvestmentActual, ProgressReport

pytestmark = pytest.mark.django_db

HEADER = [
    "项目代码",
    "填报期次",
    "本期完成投资（万元）",
    "形象进度",
    "完成百分比",
    "计划用工人数",
    "在岗人数",
    "下期计划",
    "需协调事项",
    "提交",
]


def report_of(project, cycle):
    return ProgressReport.objects.get(project=project, cycle=cycle)


def report_book(rows, header=HEADER, name="进度.xlsx"):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"strings_to_numbers": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["2026年11月重点项目进度报告"])
    sheet.write_row(1, 0, header)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)  # text that looks like a formula stays text
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return SimpleUploadedFile(name, out.getvalue())


def run(actor, rows, **kwargs):
    job = services.import_job_create(
        actor=actor, upload=report_book(rows, **kwargs), kind=ImportKind.REPORTS
    )
    job.refresh_from_db()
    return job


def commit(actor, job):
    services.import_job_commit(actor=actor, job=job)
    job.refresh_from_db()
    return job


def row(project, period="2026年11月", amount=120, submit="是", **overrides):
    values = {
        "progress": "主体结构施工至三层",
        "percent": "45%",
        "expected": 100,
        "on_site": 86,
        "next": "完成主体封顶",
        "coordination": "需协调用电增容",
    } | overrides
    return [
        project.code,
        period,
        amount,
        values["progress"],
        values["percent"],
        values["expected"],
        values["on_site"],
        values["next"],
        values["coordination"],
        submit,
    ]


def errors_by_row(job):
    return {e["row"]: e for e in job.errors}


def report_events():
    return AuditEvent.objects.filter(object_type="progress.progressreport")


# ---------------------------------------------------------------- the happy path


def test_an_owner_checks_then_imports_and_submits_their_report(cast, ledger, cycle):
    job = run(cast.owner, [row(ledger.xiaodian)])
    assert job.status == ImportStatus.CHECKED, job.errors or job.message
    assert (job.to_create, job.to_update, job.unchanged) == (0, 1, 0)
    assert "将提交审核1份" in job.message
    report = report_of(ledger.xiaodian, cycle)
    assert (report.status, report.investment_this_period, report.version) == ("draft", None, 1)
    assert not report_events().exists() and not Notification.objects.exists()  # a dry run

    job = commit(cast.owner, job)
    assert job.status == ImportStatus.DONE and "提交审核1份" in job.message
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == cast.owner
    assert report.investment_this_period == Decimal("120.00")
    assert report.percent_complete == Decimal("45.00")
    assert (report.workforce_expected, report.workforce_on_site) == (100, 86)
    assert report.physical_progress == "主体结构施工至三层"
    assert report.coordination_needed == "需协调用电增容"
    events = list(report_events().order_by("id"))
    assert [e.source for e in events] == [AuditSource.IMPORT] * 2
    assert all(f"批次#{job.pk}" in e.summary for e in events)
    assert events[0].changes["investment_this_period"]["after"] == "120"
    # The admins of the region are told, as when the owner submits on the page.
    assert Notification.objects.filter(user=cast.taiyuan_admin).exists()


def test_importing_the_same_file_twice_changes_nothing(cast, ledger, cycle):
    rows = [row(ledger.xiaodian, submit="否")]
    commit(cast.owner, run(cast.owner, rows))
    report = report_of(ledger.xiaodian, cycle)
    events, version = report_events().count(), report.version
    again = run(cast.owner, rows)
    assert (again.to_update, again.unchanged, again.status) == (0, 1, ImportStatus.CHECKED)
    commit(cast.owner, again)
    report.refresh_from_db()
    assert (report_events().count(), report.version) == (events, version)
    # Submitted by the first file, the same file with 提交 = 是 leaves it as it is too.
    submitted = [row(ledger.xiaodian)]
    commit(cast.owner, run(cast.owner, submitted))
    assert run(cast.owner, submitted).unchanged == 1


def test_an_admin_imports_the_reports_of_the_projects_in_the_region(cast, ledger, cycle):
    rows = [row(ledger.xiaodian, submit=""), row(ledger.yingze, amount="0.5亿元", submit="")]
    job = commit(cast.taiyuan_admin, run(cast.taiyuan_admin, rows))
    assert (job.status, job.to_update) == (ImportStatus.DONE, 2)
    assert report_of(ledger.yingze, cycle).investment_this_period == Decimal("5000.00")
    assert report_of(ledger.yingze, cycle).status == ReportStatus.DRAFT


def test_periods_units_and_names_as_people_write_them(cast, ledger, cycle, geo):
    header = ["项目名称", "所在区划", "期次", "本期完成投资（亿元）", "形象进度", "是否提交"]
    rows = [
        [ledger.xiaodian.name, "太原市小店区", dt.date(2026, 11, 5), 0.012, "场平", "否"],
        [ledger.yingze.name, geo.yingze.code, "2026-11", "30万元", "（一期）基础施工", "否"],
    ]
    job = commit(cast.taiyuan_admin, run(cast.taiyuan_admin, rows, header=header))
    assert job.status == ImportStatus.DONE, job.errors
    assert report_of(ledger.xiaodian, cycle).investment_this_period == Decimal("120.00")
    yingze = report_of(ledger.yingze, cycle)
    assert yingze.investment_this_period == Decimal("30.00")
    assert yingze.physical_progress == "（一期）基础施工"  # free text keeps its punctuation


def test_the_schedule_column_picks_one_of_two_cycles_of_the_same_month(cast, ledger, cycle, geo):
    county = schedule_open(cast.xiaodian_admin, geo.xiaodian, "小店区周边月调度")
    job = run(cast.owner, [row(ledger.xiaodian, submit="")])
    [error] = job.errors
    assert error["column"] == "填报期次" and "调度安排" in error["message"]
    header = ["调度安排", *HEADER]
    job = commit(
        cast.owner, run(cast.owner, [["小店区周边月调度", *row(ledger.xiaodian)]], header=header)
    )
    assert job.status == ImportStatus.DONE, job.errors
    assert report_of(ledger.xiaodian, county).status == ReportStatus.SUBMITTED
    assert report_of(ledger.xiaodian, cycle).status == ReportStatus.DRAFT


def funds_book(rows):
    """Funds in place under one merged header: 本期到位资金 over 合计 and its sources."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    sheet.merge_range(0, 0, 1, 0, "项目代码")
    sheet.merge_range(0, 1, 1, 1, "填报期次")
    sheet.merge_range(0, 2, 0, 4, "本期到位资金（万元）")
    sheet.write_row(1, 2, ["合计", "其中：中央预算内资金", "其中：市场化及自有资金"])
    for r, values in enumerate(rows, start=2):
        sheet.write_row(r, 0, values)
    book.close()
    return SimpleUploadedFile("到位资金.xlsx", out.getvalue())


def test_funds_in_place_under_a_merged_header(cast, ledger, cycle):
    code = ledger.xiaodian.code
    job = services.import_job_create(
        actor=cast.owner, upload=funds_book([[code, "2026年11月", 100, 30, 70]]), kind="reports"
    )
    job = commit(cast.owner, job)
    assert job.status == ImportStatus.DONE, job.errors
    report = report_of(ledger.xiaodian, cycle)
    assert (report.funds_in_place, report.funds_central, report.funds_market) == (100, 30, 70)
    wrong = services.import_job_create(
        actor=cast.owner, upload=funds_book([[code, "2026年11月", 100, 30, 20]]), kind="reports"
    )
    wrong.refresh_from_db()
    [error] = wrong.errors
    assert error["column"] == "本期到位资金(万元)/合计" and "不一致" in error["message"]


# ---------------------------------------------------------------- bad input


def test_errors_name_row_column_value_and_reason_and_nothing_is_written(cast, ledger, cycle):
    good = row(ledger.xiaodian)
    rows = [
        good,
        ["2024-140105-L9999", "2026年11月", 1, "x", None, None, None, None, None, "否"],
        [ledger.xiaodian.code, "十一月", "一百万", "x", "一半", None, None, None, None, "也许"],
    ]
    job = run(cast.owner, rows)
    assert job.status == ImportStatus.INVALID
    found = {(e["row"], e["column"]): e for e in job.errors}
    assert found[(4, "项目代码")]["value"] == "2024-140105-L9999"
    assert "找不到这个项目" in found[(4, "项目代码")]["message"]
    assert found[(5, "本期完成投资(万元)")]["value"] == "一百万"
    assert "不是有效的金额" in found[(5, "本期完成投资(万元)")]["message"]
    assert "不是有效的填报期次" in found[(5, "填报期次")]["message"]
    assert found[(5, "完成百分比")]["value"] == "一半"
    assert "是/否" in found[(5, "提交")]["message"]
    with pytest.raises(Exception, match="校验通过"):
        services.import_job_commit(actor=cast.owner, job=job)
    report = report_of(ledger.xiaodian, cycle)
    assert (report.status, report.investment_this_period, report.version) == ("draft", None, 1)
    assert not report_events().exists() and not Notification.objects.exists()


def test_a_project_outside_the_users_scope_is_not_found(cast, ledger, cycle):
    # The owner owns only the 小店区 project; the 小店区 admin does not see 迎泽区.
    for actor in (cast.owner, cast.xiaodian_admin):
        job = run(actor, [row(ledger.xiaodian, submit=""), row(ledger.yingze, submit="")])
        assert job.status == ImportStatus.INVALID
        [error] = job.errors
        assert (error["row"], error["value"]) == (4, ledger.yingze.code)
        assert "管辖范围内找不到" in error["message"]
    assert not report_events().exists()


def test_a_project_without_a_cycle_of_that_period_says_which_are_open(cast, ledger, cycle):
    job = run(cast.taiyuan_admin, [row(ledger.xiaodian, period="2026年10月")])
    [error] = job.errors
    assert (error["column"], error["value"]) == ("填报期次", "2026年10月")
    assert "没有“2026年10月”的应报报告" in error["message"] and "2026年11月" in error["message"]
    # 平城区 has no reporting schedule at all.
    job = run(cast.province_admin, [row(ledger.pingcheng)])
    [error] = job.errors
    assert "没有“2026年11月”的应报报告" in error["message"] and "（无）" in error["message"]


def test_a_closed_cycle_refuses_changes_but_the_same_values_are_unchanged(cast, ledger, cycle):
    rows = [row(ledger.xiaodian, submit="否")]
    commit(cast.owner, run(cast.owner, rows))
    progress_services.cycle_close(cycle=cycle, actor=cast.taiyuan_admin)
    assert run(cast.owner, rows).unchanged == 1
    job = run(cast.owner, [row(ledger.xiaodian, amount=150, submit="否")])
    [error] = job.errors
    assert error["column"] == "填报期次" and "已截止" in error["message"]
    assert report_of(ledger.xiaodian, cycle).investment_this_period == Decimal("120.00")


def test_an_accepted_report_cannot_be_changed_by_an_import(cast, ledger, cycle):
    commit(cast.owner, run(cast.owner, [row(ledger.xiaodian)]))
    report_services.report_accept(
        report=report_of(ledger.xiaodian, cycle), actor=cast.taiyuan_admin
    )
    job = run(cast.owner, [row(ledger.xiaodian, amount=150)])
    [error] = job.errors
    assert "已通过" in error["message"]
    assert InvestmentActual.objects.get().amount == Decimal("120.00")


def test_a_negative_amount_needs_a_reason(cast, ledger, cycle):
    job = run(cast.owner, [row(ledger.xiaodian, amount=-20, submit="否")])
    assert job.status == ImportStatus.INVALID
    messages = " ".join(e["message"] for e in job.errors)
    assert "请填写调减原因" in messages
    # The sheet has no reason column: the message sits beside the amount.
    assert {e["column"] for e in job.errors} == {"本期完成投资(万元)"}
    assert report_of(ledger.xiaodian, cycle).investment_this_period is None


def test_a_negative_amount_with_a_reason_lowers_an_accepted_month(cast, ledger, cycle):
    InvestmentActual.objects.create(project=ledger.xiaodian, year=2026, month=11, amount=50)
    header = [*HEADER, "调减原因"]
    job = run(
        cast.owner, [[*row(ledger.xiaodian, amount=-20, submit="否"), "上期多报"]], header=header
    )
    assert job.status == ImportStatus.CHECKED, job.errors
    commit(cast.owner, job)
    report = report_of(ledger.xiaodian, cycle)
    assert (report.investment_this_period, report.correction_reason) == (Decimal(-20), "上期多报")


def test_a_duplicated_row_names_the_first(cast, ledger, cycle):
    job = run(cast.owner, [row(ledger.xiaodian), row(ledger.xiaodian, period="2026-11")])
    [error] = job.errors
    assert (error["row"], error["column"], error["value"]) == (4, "填报期次", "2026-11")
    assert "第3行" in error["message"]
    assert report_of(ledger.xiaodian, cycle).status == ReportStatus.DRAFT


def test_a_report_that_cannot_be_submitted_keeps_every_row_out(cast, ledger, cycle):
    rows = [
        row(ledger.xiaodian, submit=""),
        row(ledger.yingze, progress=None),  # no physical progress: cannot be submitted
    ]
    job = run(cast.taiyuan_admin, rows)
    [error] = job.errors
    assert (error["row"], error["column"]) == (4, "形象进度")
    assert "提交前请填写形象进度" in error["message"]
    assert not report_events().exists()


def test_readers_and_departments_may_not_import_reports(cast, ledger, cycle):
    for actor in (cast.taiyuan_leader, cast.xiaodian_dept, cast.evaluator):
        with pytest.raises(PermissionDenied):
            run(actor, [row(ledger.xiaodian)])
    assert not ImportJob.objects.exists()


def test_owners_may_import_reports_but_not_a_ledger(cast):
    with pytest.raises(PermissionDenied, match="项目台账"):
        services.import_job_create(actor=cast.owner, upload=report_book([]), kind=ImportKind.LEDGER)
