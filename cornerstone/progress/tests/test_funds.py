"""Funds in place (资金到位) on a report: parsing, the sources adding up, acceptance, audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cornerstone.core.models import AuditEvent
from cornerstone.progress import report_services as rs
from cornerstone.progress.models import InvestmentActual, ProgressReport

pytestmark = pytest.mark.django_db


def fill(report, actor, **data):
    values = {"investment_this_period": "1200", "physical_progress": "主体结构施工至第5层"}
    values.update(data)
    return rs.report_save(report=report, data=values, version=report.version, actor=actor)


def refused(report, actor, **data) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        fill(report, actor, **data)
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.version, stored.funds_in_place) == (report.version, report.funds_in_place)
    return exc.value.message_dict


def test_funds_are_optional_and_read_in_wan_or_yi(report, cast):
    report = fill(report, cast.owner)
    assert report.funds_in_place is None  # not reported is not zero
    report = fill(report, cast.owner, funds_in_place="1.2亿")
    assert report.funds_in_place == Decimal("12000.00")
    report = fill(report, cast.owner, funds_in_place="")
    assert report.funds_in_place is None


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        ("funds_in_place", "-5", "本期到位资金不能为负数"),
        ("funds_special_bonds", "-0.01", "专项债券不能为负数"),
        ("funds_in_place", "abc", "不是有效的金额"),
        ("funds_local", "1.234", "两位小数"),
        ("funds_in_place", "20亿", "超过项目总投资"),
    ],
)
def test_bad_funds_are_refused_with_the_field_named(report, cast, field, raw, message):
    errors = refused(report, cast.owner, **{field: raw})
    assert message in " ".join(errors[field])


def test_the_sources_must_add_up_to_the_total(report, cast):
    errors = refused(
        report, cast.owner, funds_in_place="1000", funds_central="300", funds_market="600"
    )
    text = " ".join(errors["funds_in_place"])
    assert "1,000.00万元" in text and "900.00万元" in text and "不一致" in text
    report = fill(
        report, cast.owner, funds_in_place="1000", funds_central="300", funds_market="700"
    )
    assert (report.funds_in_place, report.funds_local) == (Decimal("1000"), None)


def test_a_blank_total_is_the_sum_of_its_sources(report, cast):
    report = fill(
        report, cast.owner, funds_in_place="", funds_special_bonds="800万", funds_local="150.5"
    )
    assert report.funds_in_place == Decimal("950.50")
    # A later change of one source alone no longer matches the stored total.
    errors = refused(report, cast.owner, funds_local="200")
    assert "不一致" in " ".join(errors["funds_in_place"])


def test_the_database_refuses_negative_funds(report):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.filter(pk=report.pk).update(funds_market=Decimal("-1"))


def test_funds_changes_are_audited(report, cast):
    fill(report, cast.owner, funds_in_place="500", funds_central="500")
    changes = AuditEvent.objects.filter(project_id=report.project_id).latest("id").changes
    assert "funds_in_place" in str(changes) and "funds_central" in str(changes)


def test_acceptance_adds_funds_to_the_months_actual(report, cast, ledger):
    InvestmentActual.objects.create(
        project=ledger.xiaodian, year=2026, month=11, amount=100, funds_in_place=40
    )
    report = fill(report, cast.owner, funds_in_place="1300")
    report = rs.report_accept(
        report=rs.report_submit(report=report, actor=cast.owner), actor=cast.taiyuan_admin
    )
    actual = InvestmentActual.objects.get(project=ledger.xiaodian, year=2026, month=11)
    assert (actual.amount, actual.funds_in_place) == (Decimal("1300"), Decimal("1340"))


def test_acceptance_without_funds_reported_adds_nothing(report, cast, ledger):
    report = rs.report_submit(report=fill(report, cast.owner), actor=cast.owner)
    rs.report_accept(report=report, actor=cast.taiyuan_admin)
    actual = InvestmentActual.objects.get(project=ledger.xiaodian, year=2026, month=11)
    assert (actual.amount, actual.funds_in_place) == (Decimal("1200"), Decimal(0))


def test_actual_add_keeps_its_old_call_and_adds_funds_by_keyword(ledger):
    day = dt.date(2026, 3, 31)
    rs.actual_add(project_id=ledger.yingze.pk, day=day, amount=Decimal("10"))
    rs.actual_add(project_id=ledger.yingze.pk, day=day, amount=Decimal("5"), funds=Decimal("7"))
    actual = InvestmentActual.objects.get(project=ledger.yingze)
    assert (actual.month, actual.amount, actual.funds_in_place) == (3, 15, 7)
