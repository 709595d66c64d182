"""The import and export commands with progress reports: kind, progress bar, scope."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from cornerstone.ingest.models import ImportJob
from cornerstone.ingest.tests.test_report_import import report_book, report_of, row
from cornerstone.progress.choices import ReportStatus

pytestmark = pytest.mark.django_db


def names(path):
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
    return [r[1].value for r in sheet.iter_rows(min_row=2)]


def test_the_import_command_takes_the_report_kind_and_shows_a_bar(
    cast, ledger, cycle, tmp_path, capsys
):
    path = tmp_path / "进度.xlsx"
    path.write_bytes(report_book([row(ledger.xiaodian)]).read())
    call_command("import", str(path), user="owner", kind="reports", dry_run=True)
    captured = capsys.readouterr()
    assert "校验 [" in captured.err and "更新 1" in captured.out
    assert report_of(ledger.xiaodian, cycle).status == ReportStatus.DRAFT
    call_command("import", str(path), user="owner", kind="reports")
    captured = capsys.readouterr()
    assert (
        "导入 [" in captured.err and "更新 1 个" in captured.out and "提交审核1份" in captured.out
    )
    assert report_of(ledger.xiaodian, cycle).status == ReportStatus.SUBMITTED
    assert ImportJob.objects.filter(kind="reports").count() == 2


def test_the_import_command_refuses_what_the_user_may_not_import(
    cast, ledger, cycle, tmp_path, capsys
):
    path = tmp_path / "进度.xlsx"
    path.write_bytes(report_book([row(ledger.yingze)]).read())
    with pytest.raises(CommandError, match="校验发现 1 个错误，未导入"):
        call_command("import", str(path), user="owner", kind="reports")
    assert "第3行 项目代码" in capsys.readouterr().out
    with pytest.raises(CommandError, match="没有导入项目台账的权限"):
        call_command("import", str(path), user="owner")
    assert report_of(ledger.yingze, cycle).investment_this_period is None


def test_the_export_command_writes_a_cycles_reports_in_the_users_scope(
    cast, ledger, cycle, tmp_path, capsys
):
    out = tmp_path / "报告.xlsx"
    call_command("export", str(out), user="taiyuan_admin", kind="reports", cycle=cycle.pk)
    assert set(names(out)) == {ledger.xiaodian.name, ledger.yingze.name}
    assert "已导出 2 个进度报告（2026年11月）" in capsys.readouterr().out
    call_command(
        "export",
        str(out),
        user="taiyuan_admin",
        kind="reports",
        cycle=cycle.pk,
        filter=f"region={ledger.yingze.region_id}",
    )
    assert names(out) == [ledger.yingze.name]
    call_command("export", str(out), user="yingze_admin", kind="reports", cycle=cycle.pk)
    assert names(out) == [ledger.yingze.name]
    with pytest.raises(CommandError, match="--cycle"):
        call_command("export", str(out), user="taiyuan_admin", kind="reports")
    with pytest.raises(CommandError, match="不在该用户的范围内"):
        call_command("export", str(out), user="hebei_admin", kind="reports", cycle=cycle.pk)
    with pytest.raises(CommandError, match="筛选条件无效"):
        call_command(
            "export",
            str(out),
            user="taiyuan_admin",
            kind="reports",
            cycle=cycle.pk,
            filter="status=nonsense",
        )
