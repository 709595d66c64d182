"""The pages: who sees what, filters, forms that keep input on error, review buttons."""

import io
import zipfile

import pytest
from django.urls import reverse

from cornerstone.progress import report_services as rs
from cornerstone.progress.models import ProgressReport, ReportAttachment, ReportingSchedule

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_schedules_list_and_create(client, cast, schedule, geo):
    page = login(client, cast.xiaodian_admin).get(reverse("progress:schedules"))
    assert "太原市重点项目月调度" in page.content.decode()  # a schedule above covers 小店区
    assert "修改" not in page.content.decode().split("schedules")[-1]
    assert (
        "尚无"
        in login(client, cast.hebei_admin).get(reverse("progress:schedules")).content.decode()
    )
    client.force_login(cast.xiaodian_admin)
    response = client.post(
        reverse("progress:schedule-create"),
        {
            "name": "小店区周调度",
            "region": geo.xiaodian.code,
            "frequency": "weekly",
            "deadline_day": "9",
            "remind_days_before": "1",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "星期" in response.content.decode()
    assert not ReportingSchedule.objects.filter(name="小店区周调度").exists()
    response = client.post(
        reverse("progress:schedule-create"),
        {
            "name": "小店区周调度",
            "region": geo.xiaodian.code,
            "frequency": "weekly",
            "deadline_day": "5",
            "remind_days_before": "1",
            "active": "on",
        },
    )
    assert response.status_code == 302
    # A county admin cannot place a schedule on the city.
    response = client.post(
        reverse("progress:schedule-create"),
        {
            "name": "x",
            "region": geo.taiyuan.code,
            "frequency": "weekly",
            "deadline_day": "5",
            "remind_days_before": "1",
        },
    )
    assert response.status_code == 200 and not ReportingSchedule.objects.filter(name="x").exists()
    assert (
        login(client, cast.taiyuan_leader).get(reverse("progress:schedule-create")).status_code
        == 403
    )


def test_schedule_page_counts_and_cycle_page_filters(
    client, cast, cycle, report, ledger, django_assert_max_num_queries, time_machine
):
    client.force_login(cast.taiyuan_admin)
    page = client.get(reverse("progress:schedule", args=[cycle.schedule_id]))
    assert "2026年11月" in page.content.decode()
    url = reverse("progress:cycle", args=[cycle.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url)
    body = page.content.decode()
    assert ledger.xiaodian.name in body and ledger.yingze.name in body
    body = client.get(url, {"region": "140106"}).content.decode()
    assert ledger.yingze.name in body and ledger.xiaodian.name not in body
    time_machine.move_to("2026-11-27 10:00+08:00")
    body = client.get(url, {"status": "missing"}).content.decode()
    assert "逾期未报" in body and ledger.xiaodian.name in body
    assert login(client, cast.hebei_admin).get(url).status_code == 404
    assert login(client, cast.owner).get(url).status_code == 404


def test_report_form_keeps_input_and_names_the_error(client, cast, report):
    client.force_login(cast.owner)
    url = reverse("progress:report-edit", args=[report.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": "1",
            "investment_this_period": "-50",
            "physical_progress": "基础施工",
            "problems-TOTAL_FORMS": "2",
            "problems-INITIAL_FORMS": "0",
            "action": "save",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "调减原因" in body and "基础施工" in body
    assert ProgressReport.objects.get(pk=report.pk).version == 1
    response = client.post(
        url,
        {
            "version": "1",
            "investment_this_period": "300",
            "physical_progress": "基础施工",
            "problems-TOTAL_FORMS": "2",
            "problems-INITIAL_FORMS": "0",
            "problems-0-category": "funds",
            "problems-0-description": "资金缺口",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    stored = ProgressReport.objects.get(pk=report.pk)
    assert stored.status == "submitted" and stored.listed_problems.get().problem_id


def test_a_stale_form_is_refused_with_a_message(client, cast, report):
    rs.report_save(
        report=report, data={"physical_progress": "甲"}, version=1, actor=cast.xiaodian_admin
    )
    client.force_login(cast.owner)
    response = client.post(
        reverse("progress:report-edit", args=[report.pk]),
        {
            "version": "1",
            "physical_progress": "乙",
            "problems-TOTAL_FORMS": "0",
            "problems-INITIAL_FORMS": "0",
        },
    )
    assert "已被他人修改" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).physical_progress == "甲"


def test_review_buttons_only_for_admins_in_scope(client, cast, report):
    rs.report_submit(
        report=rs.report_save(
            report=report,
            data={"investment_this_period": "5", "physical_progress": "x"},
            version=1,
            actor=cast.owner,
        ),
        actor=cast.owner,
    )
    url = reverse("progress:report", args=[report.pk])
    assert 'data-testid="review"' in login(client, cast.xiaodian_admin).get(url).content.decode()
    assert (
        'data-testid="review"' not in login(client, cast.taiyuan_leader).get(url).content.decode()
    )
    assert 'data-testid="review"' not in login(client, cast.owner).get(url).content.decode()
    assert login(client, cast.yingze_admin).get(url).status_code == 404
    client.force_login(cast.taiyuan_leader)
    client.post(reverse("progress:report-accept", args=[report.pk]), {"version": "3"})
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"
    client.force_login(cast.taiyuan_admin)
    client.post(
        reverse("progress:report-return", args=[report.pk]), {"version": "3", "comment": ""}
    )
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"
    client.post(
        reverse("progress:report-return", args=[report.pk]), {"version": "3", "comment": "补照片"}
    )
    assert ProgressReport.objects.get(pk=report.pk).status == "returned"


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_attachments_checked_by_content(client, cast, report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.owner)
    url = reverse("progress:attachment-add", args=[report.pk])
    fake = io.BytesIO(b"MZ\x90\x00 not a picture")
    fake.name = "site.jpg"
    response = client.post(url, {"file": fake}, follow=True)
    assert "不是允许的类型" in response.content.decode()
    doc = io.BytesIO(_docx())
    doc.name = "周报.docx"
    client.post(url, {"file": doc})
    photo = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    photo.name = "现场.png"
    client.post(url, {"file": photo})
    assert sorted(ReportAttachment.objects.values_list("kind", flat=True)) == ["document", "photo"]
    big = io.BytesIO(b"%PDF-" + b"0" * (10 * 1024 * 1024))
    big.name = "big.pdf"
    response = client.post(url, {"file": big}, follow=True)
    assert "10 MB" in response.content.decode()
    assert ReportAttachment.objects.count() == 2
    attachment = ReportAttachment.objects.get(kind="photo")
    download = reverse("progress:attachment", args=[report.pk, attachment.pk])
    assert login(client, cast.taiyuan_leader).get(download).status_code == 200
    assert login(client, cast.hebei_admin).get(download).status_code == 404


def test_mine_lists_what_is_due(client, cast, report, ledger):
    body = login(client, cast.owner).get(reverse("progress:mine")).content.decode()
    assert ledger.xiaodian.name in body and "2026年11月25日" in body
    assert (
        "目前没有"
        in login(client, cast.taiyuan_admin).get(reverse("progress:mine")).content.decode()
    )


def test_project_reports_page(client, cast, report, ledger):
    url = reverse("progress:project_reports", args=[ledger.xiaodian.pk])
    assert "2026年11月" in login(client, cast.owner).get(url).content.decode()
    assert login(client, cast.hebei_admin).get(url).status_code == 404
    assert (
        login(client, cast.owner)
        .get(reverse("progress:project_reports", args=[ledger.yingze.pk]))
        .status_code
        == 404
    )


def test_report_form_round_trips_funds_in_place(client, cast, report):
    client.force_login(cast.owner)
    url = reverse("progress:report-edit", args=[report.pk])
    form = {
        "version": "1",
        "investment_this_period": "300",
        "physical_progress": "基础施工",
        "funds_in_place": "500",
        "funds_central": "100",
        "funds_local": "",
        "funds_market": "300",
        "problems-TOTAL_FORMS": "0",
        "problems-INITIAL_FORMS": "0",
        "action": "save",
    }
    response = client.post(url, form)
    body = response.content.decode()
    assert response.status_code == 200 and "不一致" in body
    assert 'name="funds_in_place" value="500"' in body  # the input is kept
    response = client.post(url, {**form, "funds_market": "-1"})
    assert "市场化及自有资金不能为负数" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).version == 1
    # A blank total is the sum of the sources.
    assert client.post(url, {**form, "funds_in_place": ""}).status_code == 302
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.funds_in_place, stored.funds_central, stored.funds_market) == (400, 100, 300)
    assert stored.funds_local is None
    body = client.get(url).content.decode()
    assert 'name="funds_in_place" value="400.00"' in body
    assert 'name="funds_market" value="300.00"' in body
    page = client.get(reverse("progress:report", args=[report.pk])).content.decode()
    assert "中央预算内资金100.00万元，市场化及自有资金300.00万元" in page
    assert "400.00万元" in page
