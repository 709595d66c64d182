"""Import pages, the ledger export and the commands: scope, round trip, progress."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cornerstone.ingest.choices import ImportStatus
from cornerstone.ingest.models import ImportJob
from cornerstone.ingest.tests.test_ledger_import import ROWS, workbook
from cornerstone.projects.models import Project

pytestmark = pytest.mark.django_db


def exported(client, query=""):
    response = client.get(reverse("ingest:ledger-xlsx") + query)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_upload_check_and_import_through_the_pages(client, cast, ledger):
    client.force_login(cast.xiaodian_admin)
    response = client.post(reverse("ingest:imports"), {"file": workbook(ROWS)})
    job = ImportJob.objects.get()
    assert response.url == reverse("ingest:job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "校验通过，待导入" in page and "确认导入" in page
    client.post(reverse("ingest:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Project.objects.filter(name="小店区数据中心项目").exists()


def test_someone_elses_job_is_missing_and_readers_are_refused(client, cast, ledger):
    client.force_login(cast.xiaodian_admin)
    client.post(reverse("ingest:imports"), {"file": workbook(ROWS)})
    job = ImportJob.objects.get()
    client.force_login(cast.yingze_admin)
    assert client.get(reverse("ingest:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("ingest:commit", args=[job.pk])).status_code == 404
    client.force_login(cast.taiyuan_leader)
    assert client.get(reverse("ingest:imports")).status_code == 403
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED


def test_the_export_has_the_pages_scope_and_filters(client, cast, ledger):
    client.force_login(cast.xiaodian_admin)
    xml = sheet_xml(exported(client))
    assert ledger.xiaodian.name in xml and ledger.yingze.name not in xml
    client.force_login(cast.taiyuan_admin)
    xml = sheet_xml(exported(client, f"?region={ledger.yingze.region_id}"))
    assert ledger.yingze.name in xml and ledger.xiaodian.name not in xml
    assert ledger.pingcheng.name not in sheet_xml(exported(client))


def test_an_exported_ledger_imports_back_unchanged(client, cast, ledger, geo):
    Project.objects.filter(pk=ledger.xiaodian.pk).update(
        name='=HYPERLINK("http://x")项目',
        # Free text keeps its full-width punctuation and line breaks; coordinates keep six places.
        scale_content="新建厂房（一期）2万平方米，\n配套设施。",
        longitude=Decimal("112.549381"),
        latitude=Decimal("37.857014"),
    )
    client.force_login(cast.taiyuan_admin)
    content = exported(client)
    assert "<f>" not in sheet_xml(content)  # text that looks like a formula stays text
    client.post(reverse("ingest:imports"), {"file": SimpleUploadedFile("台账.xlsx", content)})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED, job.errors or job.message
    assert (job.to_create, job.to_update, job.unchanged) == (0, 0, 2)


def test_the_commands_import_and_export_with_a_progress_bar(cast, ledger, tmp_path, capsys):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(workbook(ROWS).read())
    call_command("import", str(path), user="xiaodian_admin")
    captured = capsys.readouterr()
    assert "校验 [" in captured.err and "导入 [" in captured.err
    assert "新增 2 个" in captured.out
    assert Project.objects.get(name="小店区数据中心项目").total_investment == Decimal("5000.00")
    out = tmp_path / "导出.xlsx"
    call_command("export", str(out), user="xiaodian_admin")
    assert "小店区数据中心项目" in sheet_xml(out.read_bytes())
    assert "已导出 3 个项目" in capsys.readouterr().out


def test_the_errors_come_back_beside_their_rows(client, cast, ledger):
    rows = [
        ROWS[0],
        [2, "坏数据项目", "火星市", 1, None, "县重点", None, None, "产业", "新开工", "某公司"],
    ]
    client.force_login(cast.xiaodian_admin)
    client.post(reverse("ingest:imports"), {"file": workbook(rows)})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    content = b"".join(client.get(reverse("ingest:errors", args=[job.pk])).streaming_content)
    xml = sheet_xml(content)
    assert "错误说明" in xml and "找不到区划" in xml and "坏数据项目" in xml
    client.force_login(cast.yingze_admin)
    assert client.get(reverse("ingest:errors", args=[job.pk])).status_code == 404


def test_the_template_has_dropdowns_notes_and_only_the_users_regions(client, cast, ledger):
    client.force_login(cast.xiaodian_admin)
    content = b"".join(client.get(reverse("ingest:template")).streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        lists = archive.read("xl/worksheets/sheet2.xml").decode()
        names = [n for n in archive.namelist() if "comments" in n]
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert "<dataValidation" in sheet and names
    # The dropdowns read their lists from the hidden 选项 sheet.
    assert "<formula1>'选项'!$A$1" in sheet
    assert "山西省太原市小店区" in strings and "山西省太原市迎泽区" not in strings
    assert "省重点" in strings and 'state="hidden"' in archive_workbook(content)
    assert '<c r="A1"' in lists


def archive_workbook(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/workbook.xml").decode()


def test_the_export_opens_with_its_formats_frozen_header_and_filter(client, cast, ledger):
    import openpyxl
    from python_calamine import CalamineWorkbook

    Project.objects.filter(pk=ledger.xiaodian.pk).update(
        owner_org="=1+2", planned_start_date="2026-03-01", fund_central=Decimal("1234.5")
    )
    client.force_login(cast.taiyuan_admin)
    content = exported(client)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "项目台账"
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=False) if h}
    assert header[-1] == "所处阶段" and "中央预算内资金（万元）" in header
    owner = row["业主单位"]
    assert (owner.value, owner.data_type, owner.quotePrefix) == ("=1+2", "s", True)
    assert row["中央预算内资金（万元）"].value == 1234.5
    assert row["中央预算内资金（万元）"].number_format == "#,##0.00"
    assert row["计划开工日期"].number_format == "yyyy-mm-dd"
    assert row["所在区划"].value == "山西省太原市小店区"
    assert sheet[1][0].font.bold and sheet[1][0].fill.fgColor.rgb.endswith("D9E1F2")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[1][header.index("业主单位")] == "=1+2"
    assert rows[1][header.index("计划开工日期")].isoformat() == "2026-03-01"


def test_an_empty_export_still_has_its_header(client, cast, ledger):
    client.force_login(cast.taiyuan_admin)
    xml = sheet_xml(exported(client, "?q=没有这样的项目名称"))
    assert "项目名称" in xml or "项目名称" in shared_strings(
        exported(client, "?q=没有这样的项目名称")
    )
    assert "<autoFilter" in xml and 'state="frozen"' in xml


def shared_strings(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        return (
            archive.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in names else ""
        )


def test_without_the_rust_writer_the_export_is_the_same_table(client, cast, ledger, monkeypatch):
    import sys

    from python_calamine import CalamineWorkbook

    client.force_login(cast.taiyuan_admin)
    fast = exported(client)
    monkeypatch.setitem(sys.modules, "rustpy_xlsxwriter", None)  # import fails
    slow = exported(client)

    def table(content):
        return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()

    assert table(slow) == table(fast) and len(table(slow)) == 3
    xml = sheet_xml(slow)
    assert "<autoFilter" in xml and 'state="frozen"' in xml and "<f>" not in xml
