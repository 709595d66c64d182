"""The ledger import end to end: a workbook as people send it, checked, then imported."""

import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cornerstone.core.choices import AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.ingest import services
from cornerstone.ingest.choices import ImportStatus
from cornerstone.ingest.ledger_import import ImportConflict, ledger_check, ledger_commit
from cornerstone.ingest.models import ImportJob
from cornerstone.ingest.workbook import workbook_open
from cornerstone.projects.models import Project

pytestmark = pytest.mark.django_db

HEADER_TOP = [
    "序号",
    "项目名称",
    "所在区划",
    "总投资（亿元）",
    "",
    "项目级别",
    "计划开工时间",
    "项目代码",
    "项目类别",
    "项目类型",
    "业主单位",
]
HEADER_SUB = ["", "", "", "合计", "其中：中央资金", "", "", "", "", "", ""]
MORE = ["产业", "新开工", "山西示范新能源有限公司"]


def workbook(rows, *, top=HEADER_TOP, sub=HEADER_SUB, title="2026年重点工程项目台账"):
    """A ledger as counties send it: a title, a two-row header merged over 总投资."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"strings_to_numbers": False})
    sheet = book.add_worksheet("台账")
    sheet.merge_range(0, 0, 0, len(top) - 1, title)
    for col, (upper, lower) in enumerate(zip(top, sub, strict=True)):
        if upper and not lower and col != 3:
            sheet.merge_range(1, col, 2, col, upper)
        elif upper:
            sheet.write_string(1, col, upper)
        if lower:
            sheet.write_string(2, col, lower)
    if sub[3]:  # the default layout: 总投资 merged over 合计 and 其中：中央资金
        sheet.merge_range(1, 3, 1, 4, "总投资（亿元）")
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return SimpleUploadedFile("台账.xlsx", out.getvalue())


def upload(actor, rows, **kwargs):
    job = services.import_job_create(actor=actor, upload=workbook(rows, **kwargs))
    job.refresh_from_db()
    return job


def commit(actor, job):
    services.import_job_commit(actor=actor, job=job)
    job.refresh_from_db()
    return job


ROWS = [
    [
        1,
        "清徐县光伏制氢一体化项目",
        "太原市小店区",
        "1.2",
        "0.3",
        "市重点",
        "2026年3月",
        None,
        *MORE,
    ],
    [2, "小店区数据中心项目", "140105", 0.5, None, "县重点", "2026.04.15", None, *MORE],
]


def test_a_real_looking_ledger_is_checked_then_imported(cast, ledger):
    admin = cast.xiaodian_admin
    job = upload(admin, ROWS)
    assert job.status == ImportStatus.CHECKED, job.errors or job.message
    assert (job.to_create, job.to_update, job.unchanged, job.error_count) == (2, 0, 0, 0)
    assert not Project.objects.filter(name="小店区数据中心项目").exists()  # a dry run

    job = commit(admin, job)
    assert job.status == ImportStatus.DONE
    hydrogen = Project.objects.get(name="清徐县光伏制氢一体化项目")
    assert hydrogen.region_id == "140105"
    assert hydrogen.total_investment == Decimal("12000.00")  # 1.2亿元
    assert hydrogen.fund_central == Decimal("3000.00")
    assert hydrogen.tier == "city"
    assert str(hydrogen.planned_start_date) == "2026-03-01"
    assert hydrogen.code.startswith("2026-140105-L")
    event = AuditEvent.objects.get(project_id=hydrogen.pk)
    assert event.source == AuditSource.IMPORT
    assert f"批次#{job.pk}" in event.summary


def test_importing_the_same_file_twice_changes_nothing(cast, ledger):
    admin = cast.xiaodian_admin
    commit(admin, upload(admin, ROWS))
    events = AuditEvent.objects.count()
    again = upload(admin, ROWS)
    assert (again.to_create, again.to_update, again.unchanged) == (0, 0, 2)
    assert AuditEvent.objects.count() == events + 1  # the upload's own record only


def test_a_changed_row_updates_and_audits_what_changed(cast, ledger):
    admin = cast.xiaodian_admin
    commit(admin, upload(admin, ROWS))
    changed = [
        ROWS[0],
        [2, "小店区数据中心项目", "140105", 0.8, None, "县重点", "2026.04.15", None],
    ]
    job = commit(admin, upload(admin, changed))
    assert (job.to_create, job.to_update) == (0, 1)
    project = Project.objects.get(name="小店区数据中心项目")
    assert project.total_investment == Decimal("8000.00")
    event = AuditEvent.objects.filter(project_id=project.pk).order_by("-id").first()
    assert event.changes["total_investment"]["before"] == "5000"


def test_errors_name_row_column_value_and_reason_and_nothing_is_written(cast, ledger):
    admin = cast.xiaodian_admin
    rows = [
        ROWS[0],
        [2, "坏数据项目", "火星市", "一点二", None, "特级", "2026年13月", None, *MORE],
        [3, "越权项目", "迎泽区", 1, None, "县重点", None, None, *MORE],
    ]
    job = upload(admin, rows)
    assert job.status == ImportStatus.INVALID
    found = {(e["row"], e["column"]): (e["value"], e["message"]) for e in job.errors}
    assert set(found) == {
        (5, "所在区划"),
        (5, "总投资(亿元)/合计"),
        (5, "项目级别"),
        (5, "计划开工时间"),
        (6, "所在区划"),
    }
    assert found[(5, "所在区划")][0] == "火星市" and "找不到区划" in found[(5, "所在区划")][1]
    assert found[(5, "总投资(亿元)/合计")][0] == "一点二"
    assert "省重点、市重点、县重点" in found[(5, "项目级别")][1]
    assert found[(5, "计划开工时间")][0] == "2026年13月"
    assert found[(6, "所在区划")] == ("山西省太原市迎泽区", "该区划不在您的管辖范围内。")
    with pytest.raises(ValidationError):
        services.import_job_commit(actor=admin, job=job)
    assert not Project.objects.filter(name__in=["清徐县光伏制氢一体化项目", "坏数据项目"]).exists()


def test_a_header_that_matches_nothing_says_what_was_expected(cast, ledger):
    job = upload(
        cast.xiaodian_admin,
        [[1, "x", "y", 1, 1, "a", "b", "c", "d", "e", "f"]],
        top=["甲", "乙", "丙", "丁", "", "戊", "己", "庚", "辛", "壬", "癸"],
        sub=["", "", "", "子", "丑", "", "", "", "", "", ""],
    )
    assert job.status == ImportStatus.INVALID
    assert "项目名称" in job.message and "甲" in job.message


def test_not_a_workbook_is_refused_with_a_clear_message(cast):
    job = services.import_job_create(
        actor=cast.xiaodian_admin,
        upload=SimpleUploadedFile("台账.xlsx", "项目名称,总投资\n甲,1\n".encode()),
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert "xlsx" in job.message or "Excel" in job.message


def test_readers_may_not_import(cast):
    with pytest.raises(PermissionDenied):
        services.import_job_create(actor=cast.taiyuan_leader, upload=workbook(ROWS))
    assert not ImportJob.objects.exists()


def test_a_sheet_without_a_code_column_creates_projects_with_local_codes(cast, ledger):
    top = ["项目名称", "所在区划", "总投资（万元）", "项目级别", "项目类别", "项目类型", "业主单位"]
    row = ["无代码项目", "太原市小店区", 1200, "县重点", "产业", "新开工", "某公司"]
    job = upload(cast.xiaodian_admin, [row], top=top, sub=[""] * len(top))
    assert job.status == ImportStatus.CHECKED, job.errors
    commit(cast.xiaodian_admin, job)
    assert Project.objects.get(name="无代码项目").code.startswith("2026-140105-L")


def test_a_project_changed_after_the_check_stops_the_whole_commit(cast, ledger):
    admin = cast.xiaodian_admin
    commit(admin, upload(admin, ROWS))
    changed = [
        [1, "新增的项目", "140105", 1, None, "县重点", None, None, *MORE],
        [2, "小店区数据中心项目", "140105", 0.8, None, "县重点", "2026.04.15", None, *MORE],
    ]
    result = ledger_check(actor=admin, sheet=workbook_open(workbook(changed).read()).sheet(0))
    assert (len(result.creates), len(result.updates)) == (1, 1)
    Project.objects.filter(name="小店区数据中心项目").update(updated_at=timezone.now())
    with pytest.raises(ImportConflict, match="第5行"):
        ledger_commit(actor=admin, result=result, batch="测试")
    assert not Project.objects.filter(name="新增的项目").exists()
    assert Project.objects.get(name="小店区数据中心项目").total_investment == Decimal("5000.00")


def test_audit_entries_are_what_the_snapshot_diff_gives(cast, ledger):
    from cornerstone.core.audit import diff, snapshot
    from cornerstone.projects.services import AUDITED_FIELDS

    admin = cast.xiaodian_admin
    commit(admin, upload(admin, ROWS))
    hydrogen = Project.objects.get(name="清徐县光伏制氢一体化项目")
    created = AuditEvent.objects.get(project_id=hydrogen.pk)
    assert created.changes == diff(hydrogen, {}, snapshot(hydrogen, AUDITED_FIELDS))
    before = snapshot(hydrogen, AUDITED_FIELDS)
    changed = [[1, "清徐县光伏制氢一体化项目", "140105", "1.5", "0.3", "省重点", "2026年3月", None]]
    commit(admin, upload(admin, changed))
    hydrogen.refresh_from_db()
    updated = AuditEvent.objects.filter(project_id=hydrogen.pk).order_by("-id").first()
    expected = diff(hydrogen, before, snapshot(hydrogen, AUDITED_FIELDS))
    assert set(expected) == {"total_investment", "tier"}
    assert updated.changes == expected
    assert hydrogen.updated_at == updated.at  # one timestamp for the write and its record


def test_the_checks_queries_do_not_grow_with_the_rows(cast, ledger, django_assert_max_num_queries):
    admin = cast.xiaodian_admin
    many = [
        [n, f"批量项目{n}", "140105", 1, None, "县重点", "2026.04.15", None, *MORE]
        for n in range(1, 301)
    ]
    sheet = workbook_open(workbook(many).read()).sheet(0)
    with django_assert_max_num_queries(12):
        result = ledger_check(actor=admin, sheet=sheet)
    assert len(result.creates) == 300 and not result.errors
    with django_assert_max_num_queries(12):
        assert ledger_commit(actor=admin, result=result, batch="测试") == (300, 0)
    assert Project.objects.filter(name__startswith="批量项目").count() == 300
    assert AuditEvent.objects.filter(summary__contains="批量项目").count() == 300


def test_a_row_the_rules_refuse_gets_the_models_own_message(cast, ledger):
    rows = [[1, "资金超额项目", "140105", 1, 2, "县重点", None, None, *MORE]]  # 中央资金 > 总投资
    job = upload(cast.xiaodian_admin, rows)
    assert job.status == ImportStatus.INVALID
    # Project.clean puts it on 市场化及自有资金, a column this sheet does not have.
    [error] = job.errors
    assert (error["row"], error["column"]) == (4, "市场化及自有资金（万元）")
    assert error["message"].startswith("各项资金来源之和不能超过总投资。")
