"""Schedules, cycles and the report workflow: rules, denials, actuals, notifications."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cornerstone.core.models import AuditEvent, Notification
from cornerstone.problems.models import Problem
from cornerstone.progress import report_services as rs
from cornerstone.progress import services
from cornerstone.progress.choices import CycleStatus, ReportStatus
from cornerstone.progress.models import InvestmentActual, ProgressReport, ReportingCycle
from cornerstone.progress.queries import actuals_by_project, cycle_counts, reports_missing

pytestmark = pytest.mark.django_db


def fill(report, actor, **data):
    values = {"investment_this_period": "1200", "physical_progress": "主体结构施工至第5层"}
    values.update(data)
    return rs.report_save(report=report, data=values, version=report.version, actor=actor)


# ---------------------------------------------------------------- schedules and cycles


def test_opening_a_cycle_expects_one_report_per_project_in_scope(cycle, ledger):
    assert cycle.label == "2026年11月"
    assert cycle.deadline == dt.date(2026, 11, 25)
    expected = set(ProgressReport.objects.filter(cycle=cycle).values_list("project_id", flat=True))
    assert expected == {ledger.xiaodian.pk, ledger.yingze.pk}


def test_opening_is_idempotent_and_refuses_future_periods(schedule, cycle, cast, frozen_today):
    with pytest.raises(ValidationError, match="尚未到开启时间"):
        services.cycle_open_next(schedule=schedule, actor=cast.taiyuan_admin, today=frozen_today)
    assert services.cycles_open_due(today=frozen_today) == 0
    assert ReportingCycle.objects.filter(schedule=schedule).count() == 1
    assert services.cycles_open_due(today=dt.date(2026, 12, 1)) == 1
    assert services.cycles_open_due(today=dt.date(2026, 12, 2)) == 0


def test_schedule_needs_an_admin_of_its_region(geo, cast, ledger):
    data = {"name": "x", "region": geo.taiyuan.code, "frequency": "weekly", "deadline_day": 5}
    for actor in (cast.xiaodian_admin, cast.taiyuan_leader, cast.owner, cast.hebei_admin):
        with pytest.raises(PermissionDenied):
            services.schedule_create(data=data, actor=actor)
    with pytest.raises(ValidationError) as exc:
        services.schedule_create(data={**data, "deadline_day": 9}, actor=cast.taiyuan_admin)
    assert "星期" in exc.value.message_dict["deadline_day"][0]


def test_tier_and_class_narrow_the_expected_reports(geo, cast, ledger, frozen_today):
    ledger.yingze.tier = "provincial"
    ledger.yingze.save()
    schedule = services.schedule_create(
        data={
            "name": "省重点",
            "region": geo.shanxi.code,
            "tier": "provincial",
            "frequency": "semimonthly",
            "deadline_day": 3,
        },
        actor=cast.province_admin,
    )
    cycle = services.cycle_open_next(
        schedule=schedule, actor=cast.province_admin, today=frozen_today
    )
    assert cycle.label == "2026年11月下半月"
    assert cycle.deadline == dt.date(2026, 12, 3)
    assert list(cycle.reports.values_list("project_id", flat=True)) == [ledger.yingze.pk]


def test_closing_a_cycle_stops_filling_in(cycle, report, cast):
    with pytest.raises(PermissionDenied):
        services.cycle_close(cycle=cycle, actor=cast.yingze_admin)
    services.cycle_close(cycle=cycle, actor=cast.taiyuan_admin)
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="已截止"):
        fill(report, cast.owner)
    assert ProgressReport.objects.get(pk=report.pk).investment_this_period is None


# ---------------------------------------------------------------- the workflow


def test_draft_submit_return_resubmit_accept(report, cast, ledger):
    report = fill(report, cast.owner)
    assert report.version == 2
    report = rs.report_submit(report=report, actor=cast.owner)
    assert report.status == ReportStatus.SUBMITTED
    assert Notification.objects.filter(user=cast.taiyuan_admin).exists()
    with pytest.raises(ValidationError, match="退回意见"):
        rs.report_return(report=report, comment="  ", actor=cast.xiaodian_admin)
    report = rs.report_return(report=report, comment="请补充现场照片", actor=cast.xiaodian_admin)
    assert report.status == ReportStatus.RETURNED
    assert Notification.objects.filter(user=cast.owner, body="请补充现场照片").exists()
    report = fill(report, cast.owner, investment_this_period="1500")
    report = rs.report_submit(report=report, actor=cast.owner)
    report = rs.report_accept(report=report, actor=cast.taiyuan_admin, comment="同意")
    assert report.status == ReportStatus.ACCEPTED
    assert [(t.from_status, t.to_status) for t in report.transitions.all()] == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "accepted"),
    ]
    assert report.transitions.get(to_status="returned").comment == "请补充现场照片"
    actual = InvestmentActual.objects.get(project=ledger.xiaodian)
    assert (actual.year, actual.month, actual.amount) == (2026, 11, Decimal("1500"))
    assert report.investment_year_to_date == Decimal("1500")
    assert report.investment_since_start == ledger.xiaodian.completed_before_year + Decimal("1500")
    assert (
        AuditEvent.objects.filter(project_id=ledger.xiaodian.pk, action="transition").count() == 4
    )


def test_acceptance_adds_to_the_month_and_reads_year_to_date(report, cast, ledger):
    InvestmentActual.objects.create(project=ledger.xiaodian, year=2026, month=10, amount=800)
    InvestmentActual.objects.create(project=ledger.xiaodian, year=2026, month=11, amount=100)
    InvestmentActual.objects.create(project=ledger.xiaodian, year=2025, month=12, amount=999)
    report = rs.report_submit(report=fill(report, cast.owner), actor=cast.owner)
    report = rs.report_accept(report=report, actor=cast.xiaodian_admin)
    assert InvestmentActual.objects.get(project=ledger.xiaodian, month=11, year=2026).amount == 1300
    assert report.investment_year_to_date == Decimal("2100")
    assert actuals_by_project(project_ids=[ledger.xiaodian.pk], year=2026, through_month=10) == {
        ledger.xiaodian.pk: Decimal("800")
    }


def test_who_may_fill_in_and_review(report, cast):
    for outsider in (cast.taiyuan_leader, cast.xiaodian_dept, cast.yingze_admin, cast.hebei_admin):
        with pytest.raises(PermissionDenied):
            fill(report, outsider)
    report = fill(report, cast.xiaodian_admin)  # an admin on the owner's behalf
    report = rs.report_submit(report=report, actor=cast.owner)
    for outsider in (cast.owner, cast.taiyuan_leader, cast.yingze_admin, cast.datong_admin):
        with pytest.raises(PermissionDenied):
            rs.report_accept(report=report, actor=outsider)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_transitions_not_allowed_from_the_status(report, cast):
    with pytest.raises(ValidationError, match="只有已提交的报告可以审核"):
        rs.report_accept(report=report, actor=cast.taiyuan_admin)
    with pytest.raises(ValidationError, match="本期完成投资"):
        rs.report_submit(report=report, actor=cast.owner)
    report = rs.report_submit(report=fill(report, cast.owner), actor=cast.owner)
    with pytest.raises(ValidationError, match="不能修改或提交"):
        fill(report, cast.owner)
    report = rs.report_accept(report=report, actor=cast.taiyuan_admin)
    with pytest.raises(ValidationError):
        rs.report_return(report=report, comment="x", actor=cast.taiyuan_admin)


@pytest.mark.parametrize(
    ("amount", "field", "message"),
    [
        ("-1", "investment_this_period", "不是有效的金额"),
        ("abc", "investment_this_period", "不是有效的金额"),
        ("150001", "investment_this_period", "超过项目总投资"),
        ("20亿", "investment_this_period", "超过项目总投资"),
        ("1.234", "investment_this_period", "两位小数"),
    ],
)
def test_absurd_amounts_are_refused_and_nothing_changes(report, cast, amount, field, message):
    if amount == "-1":
        message = "调减原因"
        field = "correction_reason"
    with pytest.raises(ValidationError) as exc:
        fill(report, cast.owner, investment_this_period=amount)
    assert message in " ".join(exc.value.message_dict[field])
    stored = ProgressReport.objects.get(pk=report.pk)
    assert stored.investment_this_period is None
    assert stored.version == 1


def test_a_correction_needs_a_reason_and_cannot_pass_zero(report, cast, ledger):
    InvestmentActual.objects.create(project=ledger.xiaodian, year=2026, month=10, amount=500)
    with pytest.raises(ValidationError, match="超过本年已确认"):
        fill(report, cast.owner, investment_this_period="-600", correction_reason="重复填报")
    report = fill(
        report, cast.owner, investment_this_period="-200", correction_reason="10月重复填报"
    )
    assert report.correction_reason == "10月重复填报"
    report = rs.report_accept(
        report=rs.report_submit(report=report, actor=cast.owner), actor=cast.taiyuan_admin
    )
    assert report.investment_year_to_date == Decimal("300")


def test_a_stale_version_is_refused(report, cast):
    read_version = report.version
    rs.report_save(
        report=report, data={"physical_progress": "甲"}, version=read_version, actor=cast.owner
    )
    with pytest.raises(rs.StaleVersion, match="已被他人修改"):
        rs.report_save(
            report=report,
            data={"physical_progress": "乙"},
            version=read_version,
            actor=cast.xiaodian_admin,
        )
    assert ProgressReport.objects.get(pk=report.pk).physical_progress == "甲"


def test_problems_become_problems_on_submit(report, cast, geo):
    rows = [
        rs.ProblemInput("land", "用地指标未落实", geo.xiaodian_dept.pk, "2026-12-31"),
        rs.ProblemInput("funds", "专项债资金未到位"),
    ]
    rs.report_save(
        report=report,
        data={"investment_this_period": "10", "physical_progress": "场平"},
        version=1,
        actor=cast.owner,
        problems=rows,
    )
    assert not Problem.objects.exists()
    report = rs.report_submit(report=ProgressReport.objects.get(pk=report.pk), actor=cast.owner)
    problems = Problem.objects.filter(source_report=report).order_by("id")
    assert [(p.category, p.department_id) for p in problems] == [
        ("land", geo.xiaodian_dept.pk),
        ("funds", None),
    ]
    assert report.listed_problems.filter(problem__isnull=True).count() == 0


def test_a_bad_problem_row_is_named(report, cast):
    with pytest.raises(ValidationError) as exc:
        rs.report_save(
            report=report,
            data={},
            version=1,
            actor=cast.owner,
            problems=[rs.ProblemInput("land", "ok"), rs.ProblemInput("nonsense", "")],
        )
    text = " ".join(exc.value.message_dict["problems"])
    assert "第2个问题" in text
    assert report.listed_problems.count() == 0


def test_counts_missing_and_late(cycle, report, cast, ledger, time_machine):
    counts = cycle_counts(
        actor=cast.taiyuan_admin, cycle_ids=[cycle.pk], today=dt.date(2026, 11, 26)
    )
    assert (counts[cycle.pk].expected, counts[cycle.pk].missing) == (2, 2)
    time_machine.move_to(dt.datetime(2026, 11, 27, 9, 0))
    rs.report_submit(report=fill(report, cast.owner), actor=cast.owner)
    counts = cycle_counts(
        actor=cast.taiyuan_admin, cycle_ids=[cycle.pk], today=dt.date(2026, 11, 27)
    )
    assert (counts[cycle.pk].submitted, counts[cycle.pk].late, counts[cycle.pk].missing) == (
        1,
        1,
        1,
    )
    # Scoped: the 迎泽区 admin counts only 迎泽区's report.
    counts = cycle_counts(
        actor=cast.yingze_admin, cycle_ids=[cycle.pk], today=dt.date(2026, 11, 27)
    )
    assert (counts[cycle.pk].expected, counts[cycle.pk].late) == (1, 0)
    assert reports_missing(
        project_ids=[ledger.xiaodian.pk, ledger.yingze.pk], today=dt.date(2026, 11, 27)
    ) == {ledger.yingze.pk: 1}


def test_email_goes_out_on_commit(report, cast, django_capture_on_commit_callbacks):
    cast.owner.email = "owner@example.com"
    cast.owner.save()
    report = rs.report_submit(report=fill(report, cast.owner), actor=cast.owner)
    with django_capture_on_commit_callbacks(execute=True):
        rs.report_accept(report=report, actor=cast.taiyuan_admin)
    assert any("审核通过" in m.subject and m.to == ["owner@example.com"] for m in mail.outbox)


def test_closed_cycle_status(cycle, cast):
    services.cycle_close(cycle=cycle, actor=cast.taiyuan_admin)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    with pytest.raises(ValidationError):
        services.cycle_close(cycle=cycle, actor=cast.taiyuan_admin)
