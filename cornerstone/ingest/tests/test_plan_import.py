"""The plan import: one row per project and year, through the plans service, all or nothing."""

import io
from decimal import Decimal

import pytest
import time_machine
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from cornerstone.core.choices import AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.ingest import services
from cornerstone.ingest.choices import ImportKind, ImportStatus
from cornerstone.plans.models import InvestmentPlan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-24 10:00 +0800", tick=False):
        yield


HEADER = ["项目代码", "年度", "年度计划投资（万元）", *[f"{m}月" for m in range(1, 13)]]


def plan_book(rows, header=HEADER):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["2026年重点项目月度投资计划表"])
    sheet.write_row(1, 0, header)
    for r, row in enumerate(rows, start=2):
        sheet.write_row(r, 0, row)
    book.close()
    return SimpleUploadedFile("计划.xlsx", out.getvalue())


def run(actor, rows, **kwargs):
    job = services.import_job_create(
        actor=actor, upload=plan_book(rows, **kwargs), kind=ImportKind.PLANS
    )
    job.refresh_from_db()
    return job


def test_plans_are_checked_without_writing_then_imported(cast, ledger):
    code = ledger.xiaodian.code
    rows = [[code, 2026, 78, *range(1, 13)], [code, 2027, "1.2亿元"]]
    job = run(cast.xiaodian_admin, rows)
    assert job.status == ImportStatus.CHECKED, job.errors
    assert (job.to_create, job.to_update, job.unchanged) == (2, 0, 0)
    assert not InvestmentPlan.objects.exists()  # the check rolled back

    services.import_job_commit(actor=cast.xiaodian_admin, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    plans = {p.year: p for p in InvestmentPlan.objects.all()}
    assert plans[2026].months.get(month=12).amount == Decimal(12)
    assert plans[2027].annual_amount == Decimal(12000)  # split by construction months
    event = AuditEvent.objects.filter(object_type="plans.investmentplan").first()
    assert event.source == AuditSource.IMPORT and f"批次#{job.pk}" in event.summary
    assert run(cast.xiaodian_admin, rows).unchanged == 2


def test_one_bad_row_keeps_every_row_out(cast, ledger):
    code = ledger.xiaodian.code
    rows = [
        [code, 2026, 78, *range(1, 13)],
        [code, 2027, 100, *([10] * 12)],  # months add up to 120
        [ledger.yingze.code, 2026, 10],  # outside the county
        ["不存在的代码", 2026, 10],
    ]
    job = run(cast.xiaodian_admin, rows)
    assert job.status == ImportStatus.INVALID
    by_row = {e["row"]: e for e in job.errors}
    assert "不一致" in by_row[4]["message"] and "1月" in by_row[4]["column"]
    assert "找不到这个项目" in by_row[5]["message"] and by_row[5]["value"] == ledger.yingze.code
    assert 6 in by_row
    assert not InvestmentPlan.objects.exists()
