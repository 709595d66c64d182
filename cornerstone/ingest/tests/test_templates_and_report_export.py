"""Import templates for every kind, the progress-report export, and the page's kinds."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cornerstone.ingest.choices import ImportKind, ImportStatus
from cornerstone.ingest.models import ImportJob
from cornerstone.ingest.tests.test_report_import import commit, report_of, row, run
from cornerstone.progress import report_services
from cornerstone.progress.models import ProgressReport

pytestmark = pytest.mark.django_db


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def template(client, kind):
    return download(client, reverse("ingest:template") + f"?kind={kind}")


def book(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def table(content):
    sheet = book(content).worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    return rows[0], rows[1:]


def validations(content):
    """{column letter: (list source, error style)} of the first sheet's dropdowns."""
    sheet = book(content).worksheets[0]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        found[column] = (validation.formula1, validation.errorStyle)
    return found


def column_letter(header, name):
    return openpyxl.utils.get_column_letter(header.index(name) + 1)


def comments(content):
    sheet = book(content).worksheets[0]
    return {c.value: c.comment.text for c in sheet[1] if c.comment}


# ---------------------------------------------------------------- templates


def test_the_report_template_lists_the_owners_pending_reports(client, cast, ledger, cycle):
    client.force_login(cast.owner)
    content = template(client, "reports")
    header, rows = table(content)
    assert header[:5] == ["项目代码", "项目名称", "所在区划", "调度安排", "填报期次"]
    assert "本期完成投资（万元）" in header and "其中：中央预算内资金（万元）" in header
    assert header[-1] == "提交"
    # Only the owner's project, in the open cycle, with who and which period filled in.
    assert [r[:5] for r in rows] == [
        [
            ledger.xiaodian.code,
            ledger.xiaodian.name,
            "山西省太原市小店区",
            "太原市重点项目月调度",
            "2026年11月",
        ]
    ]
    notes = comments(content)
    assert set(notes) == set(header)  # a note on every column
    assert "必填" in notes["填报期次"] and "提交审核" in notes["提交"]
    dropdowns = validations(content)
    # Fixed choices refuse anything else ("stop" is the default, left out of the file).
    assert dropdowns[column_letter(header, "开工状态")][1] in (None, "stop")
    assert dropdowns[column_letter(header, "提交")][1] in (None, "stop")
    assert dropdowns[column_letter(header, "填报期次")][1] == "information"
    lists = book(content).worksheets[1]
    assert lists.sheet_state == "hidden"
    listed = {c.value for r in lists.iter_rows() for c in r}
    assert {"2026年11月", "在建", "是", "否"} <= listed


def test_a_filled_in_template_imports_and_a_returned_one_changes_nothing(
    client, cast, ledger, cycle
):
    client.force_login(cast.owner)
    content = template(client, "reports")
    filled = book(content)
    sheet = filled.worksheets[0]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("本期完成投资（万元）") + 1, 80)
    progress = sheet.cell(2, header.index("形象进度") + 1, "=基础施工")
    progress.data_type = "s"  # text that looks like a formula, kept as text
    out = io.BytesIO()
    filled.save(out)
    client.post(
        reverse("ingest:imports"),
        {"kind": "reports", "file": SimpleUploadedFile("填报.xlsx", out.getvalue())},
    )
    job = ImportJob.objects.get()
    assert (job.kind, job.status, job.to_update) == ("reports", ImportStatus.CHECKED, 1)
    client.post(reverse("ingest:commit", args=[job.pk]))
    report = report_of(ledger.xiaodian, cycle)
    assert (report.investment_this_period, report.physical_progress) == (80, "=基础施工")
    # The template now carries the filled-in values: sent back as it is, nothing changes.
    again = template(client, "reports")
    __, rows = table(again)
    assert rows[0][header.index("本期完成投资（万元）")] == 80
    client.post(
        reverse("ingest:imports"),
        {"kind": "reports", "file": SimpleUploadedFile("再次.xlsx", again)},
    )
    job = ImportJob.objects.order_by("-pk").first()
    assert (job.to_update, job.unchanged) == (0, 1)


def test_the_plan_template_has_notes_and_the_users_regions(client, cast, ledger):
    client.force_login(cast.xiaodian_admin)
    content = template(client, "plans")
    header, rows = table(content)
    assert header[:5] == ["项目代码", "项目名称", "所在区划", "年度", "年度计划投资（万元）"]
    assert "12月（万元）" in header and not rows
    assert set(comments(content)) == set(header)
    source, style = validations(content)[column_letter(header, "所在区划")]
    assert style == "information" and source.startswith("'选项'!$A$1")
    listed = {c.value for r in book(content).worksheets[1].iter_rows() for c in r}
    assert "山西省太原市小店区" in listed and "山西省太原市迎泽区" not in listed


def test_templates_follow_who_may_import_what(client, cast, ledger):
    client.force_login(cast.owner)
    assert client.get(reverse("ingest:template") + "?kind=ledger").status_code == 403
    assert client.get(reverse("ingest:template") + "?kind=plans").status_code == 200
    assert client.get(reverse("ingest:template") + "?kind=other").status_code == 404
    client.force_login(cast.taiyuan_leader)
    for kind in ImportKind.values:
        assert client.get(reverse("ingest:template") + f"?kind={kind}").status_code == 403
    client.force_login(cast.xiaodian_admin)
    header, __ = table(template(client, "ledger"))
    assert "项目名称" in header and "总投资（万元）" in header


def test_the_import_page_offers_the_kinds_the_user_may_import(client, cast, ledger):
    client.force_login(cast.taiyuan_admin)
    page = client.get(reverse("ingest:imports")).content.decode()
    assert 'value="ledger"' in page and 'value="plans"' in page and 'value="reports"' in page
    assert "kind=reports" in page  # the report template's link
    client.force_login(cast.owner)
    page = client.get(reverse("ingest:imports") + "?kind=reports").content.decode()
    assert 'value="ledger"' not in page and 'value="reports" selected' in page
    refused = client.post(
        reverse("ingest:imports"),
        {"kind": "ledger", "file": SimpleUploadedFile("台账.xlsx", b"x")},
    )
    assert refused.status_code == 200 and not ImportJob.objects.exists()


# ---------------------------------------------------------------- the report export


def exported(client, cycle, query=""):
    return download(client, reverse("ingest:reports-xlsx", args=[cycle.pk]) + query)


def test_the_export_has_the_cycle_pages_scope_and_filters(client, cast, ledger, cycle):
    commit(cast.owner, run(cast.owner, [row(ledger.xiaodian)]))  # submitted
    client.force_login(cast.taiyuan_admin)
    __, rows = table(exported(client, cycle))
    assert {r[1] for r in rows} == {ledger.xiaodian.name, ledger.yingze.name}
    __, rows = table(exported(client, cycle, "?status=submitted"))
    assert [r[1] for r in rows] == [ledger.xiaodian.name]
    __, rows = table(exported(client, cycle, f"?region={ledger.yingze.region_id}"))
    assert [r[1] for r in rows] == [ledger.yingze.name]
    client.force_login(cast.yingze_admin)
    __, rows = table(exported(client, cycle))
    assert [r[1] for r in rows] == [ledger.yingze.name]
    # A region outside the user's scope, or a cycle the user does not see, is missing.
    assert (
        client.get(
            reverse("ingest:reports-xlsx", args=[cycle.pk]) + f"?region={ledger.xiaodian.region_id}"
        ).status_code
        == 404
    )
    client.force_login(cast.hebei_admin)
    assert client.get(reverse("ingest:reports-xlsx", args=[cycle.pk])).status_code == 404


def test_the_export_has_formats_a_frozen_header_a_filter_and_no_formulas(
    client, cast, ledger, cycle
):
    commit(
        cast.owner,
        run(cast.owner, [row(ledger.xiaodian, progress="=1+2 主体完工", amount="1,234.5")]),
    )
    client.force_login(cast.taiyuan_admin)
    content = exported(client, cycle)
    sheet = book(content).worksheets[0]
    assert sheet.title == "进度报告"
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    cells = {h: c for h, c in zip(header, sheet[2], strict=False)}
    amount = cells["本期完成投资（万元）"]
    assert (amount.value, amount.number_format) == (1234.5, "#,##0.00")
    progress = cells["形象进度"]
    assert (progress.value, progress.data_type, progress.quotePrefix) == (
        "=1+2 主体完工",
        "s",
        True,
    )
    assert cells["状态"].value == "已提交" and cells["首次提交日期"].number_format == "yyyy-mm-dd"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_an_exported_cycle_imports_back_unchanged(client, cast, ledger, cycle):
    commit(cast.owner, run(cast.owner, [row(ledger.xiaodian)]))
    report_services.report_accept(
        report=ProgressReport.objects.get(project=ledger.xiaodian), actor=cast.taiyuan_admin
    )
    client.force_login(cast.taiyuan_admin)
    content = exported(client, cycle)
    client.post(
        reverse("ingest:imports"),
        {"kind": "reports", "file": SimpleUploadedFile("导出.xlsx", content)},
    )
    job = ImportJob.objects.order_by("-pk").first()
    assert job.status == ImportStatus.CHECKED, job.errors or job.message
    assert (job.to_update, job.unchanged) == (0, 2)
    assert "状态" in job.ignored_columns and "审核意见" in job.ignored_columns


def test_the_cycle_page_links_its_filtered_export(client, cast, ledger, cycle):
    client.force_login(cast.taiyuan_admin)
    page = client.get(reverse("progress:cycle", args=[cycle.pk]) + "?status=draft").content
    expected = reverse("ingest:reports-xlsx", args=[cycle.pk]) + "?status=draft&amp;region="
    assert expected in page.decode()


def test_an_empty_export_keeps_its_header(client, cast, ledger, cycle):
    client.force_login(cast.taiyuan_admin)
    header, rows = table(exported(client, cycle, "?status=accepted"))
    assert rows == [] and header[0] == "项目代码"
