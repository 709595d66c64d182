"""Plan, milestone, deadline and calendar services: validation, scope, audit, atomicity."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cornerstone.core.models import AuditEvent
from cornerstone.plans import services
from cornerstone.plans.choices import SplitMethod
from cornerstone.plans.models import CalendarDay, InvestmentPlan, Milestone, MonthlyPlan
from cornerstone.projects.models import Project

pytestmark = pytest.mark.usefixtures("frozen_today")

D = Decimal
TWELVE_TENS = ["10"] * 12


def _save(actor, project, **kwargs):
    kwargs.setdefault("year", 2026)
    kwargs.setdefault("annual_amount", "120")
    return services.investment_plan_save(actor=actor, project=project, **kwargs)


def _stored(project):
    return {
        plan.year: (plan.annual_amount, [m.amount for m in plan.months.order_by("month")])
        for plan in InvestmentPlan.objects.filter(project=project)
    }


def test_months_entered_by_hand_are_saved_with_an_audit_row(cast, ledger):
    plan = _save(cast.xiaodian_admin, ledger.xiaodian, months=TWELVE_TENS)
    assert _stored(ledger.xiaodian) == {2026: (D("120.00"), [D("10.00")] * 12)}
    assert plan.split_method == SplitMethod.MANUAL
    event = AuditEvent.objects.get(object_type="plans.investmentplan", object_id=str(plan.pk))
    assert event.project_id == ledger.xiaodian.pk
    assert event.changes["annual_amount"]["after"] == "120"
    assert event.changes["month_3"] == {"label": "3月", "before": None, "after": "10"}


def test_months_that_do_not_add_up_are_refused_and_nothing_is_saved(cast, ledger):
    months = [*TWELVE_TENS[:11], "10.01"]
    with pytest.raises(ValidationError) as caught:
        _save(cast.xiaodian_admin, ledger.xiaodian, months=months)
    assert "相差0.01万元" in caught.value.message_dict["months"][0]
    assert not InvestmentPlan.objects.exists()
    assert not AuditEvent.objects.filter(object_type="plans.investmentplan").exists()


def test_negative_and_non_numeric_months_are_named(cast, ledger):
    months = ["-1", "abc", *TWELVE_TENS[2:]]
    with pytest.raises(ValidationError) as caught:
        _save(cast.xiaodian_admin, ledger.xiaodian, months=months)
    errors = caught.value.message_dict
    assert errors["month_1"] == ["不能为负数。"]
    assert "不是有效的金额" in errors["month_2"][0]
    assert not InvestmentPlan.objects.exists()


def test_an_even_split_is_computed_and_recorded_as_such(cast, ledger):
    plan = _save(cast.xiaodian_admin, ledger.xiaodian, annual_amount="100", split_method="even")
    assert plan.split_method == SplitMethod.EVEN
    assert sum(m.amount for m in plan.months.all()) == D("100.00")


def test_a_split_adjusted_by_hand_is_recorded_as_manual(cast, ledger):
    months = ["20", "0", *TWELVE_TENS[2:]]
    plan = _save(cast.xiaodian_admin, ledger.xiaodian, months=months, split_method="even")
    assert plan.split_method == SplitMethod.MANUAL


def test_changing_a_plan_updates_months_and_audits_only_what_changed(cast, ledger):
    _save(cast.xiaodian_admin, ledger.xiaodian, months=TWELVE_TENS)
    months = ["20", "0", *TWELVE_TENS[2:]]
    plan = _save(cast.xiaodian_admin, ledger.xiaodian, months=months)
    assert _stored(ledger.xiaodian)[2026][1][:2] == [D("20.00"), D("0.00")]
    assert MonthlyPlan.objects.filter(plan=plan).count() == 12
    event = AuditEvent.objects.filter(object_id=str(plan.pk)).first()
    assert set(event.changes) == {"month_1", "month_2"}
    # Saving the same figures again writes nothing.
    _save(cast.xiaodian_admin, ledger.xiaodian, months=months)
    assert AuditEvent.objects.filter(object_id=str(plan.pk)).count() == 2


def test_plans_past_the_total_investment_need_a_reason(cast, ledger):
    project = ledger.yingze  # total 8000
    Project.objects.filter(pk=project.pk).update(completed_before_year=D("5000"))
    project.refresh_from_db()
    _save(cast.yingze_admin, project, year=2027, annual_amount="2000", split_method="even")
    with pytest.raises(ValidationError) as caught:
        _save(cast.yingze_admin, project, annual_amount="1000.01", split_method="even")
    assert "超出总投资0.01万元" in caught.value.message_dict["override_reason"][0]
    assert 2026 not in _stored(project)
    plan = _save(
        cast.yingze_admin,
        project,
        annual_amount="1000.01",
        split_method="even",
        override_reason="追加配套工程",
    )
    assert plan.override_reason == "追加配套工程"


def test_past_years_do_not_count_against_the_total(cast, ledger):
    project = ledger.yingze
    _save(cast.yingze_admin, project, year=2025, annual_amount="8000", split_method="even")
    _save(cast.yingze_admin, project, year=2026, annual_amount="8000", split_method="even")
    assert set(_stored(project)) == {2025, 2026}


def test_scope_and_role_are_checked(cast, ledger):
    with pytest.raises(Project.DoesNotExist):
        _save(cast.yingze_admin, ledger.xiaodian, months=TWELVE_TENS)
    with pytest.raises(Project.DoesNotExist):
        _save(cast.hebei_admin, ledger.xiaodian, months=TWELVE_TENS)
    with pytest.raises(PermissionDenied):
        _save(cast.taiyuan_leader, ledger.xiaodian, months=TWELVE_TENS)
    with pytest.raises(PermissionDenied):
        _save(cast.xiaodian_dept, ledger.xiaodian, months=TWELVE_TENS)
    assert not InvestmentPlan.objects.exists()
    # The project's owner account fills in its plans.
    _save(cast.owner, ledger.xiaodian, months=TWELVE_TENS)
    with pytest.raises(Project.DoesNotExist):
        _save(cast.owner, ledger.yingze, months=TWELVE_TENS)


def test_deleting_a_plan_removes_its_months_and_is_audited(cast, ledger):
    plan = _save(cast.xiaodian_admin, ledger.xiaodian, months=TWELVE_TENS)
    services.investment_plan_delete(actor=cast.xiaodian_admin, plan=plan)
    assert not MonthlyPlan.objects.exists()
    event = AuditEvent.objects.get(action="delete", object_type="plans.investmentplan")
    assert event.changes["annual_amount"]["before"] == "120"


def test_a_milestone_tied_to_a_step_takes_no_date_of_its_own(cast, ledger, steps):
    with pytest.raises(ValidationError) as caught:
        services.milestone_create(
            actor=cast.xiaodian_admin,
            project=ledger.xiaodian,
            data={
                "name": "开工",
                "target_date": "2026-12-01",
                "step": steps["start"].pk,
                "achieved_date": "2026-11-01",
            },
        )
    assert "achieved_date" in caught.value.message_dict
    assert not Milestone.objects.exists()


def test_milestone_errors_name_their_fields(cast, ledger):
    with pytest.raises(ValidationError) as caught:
        services.milestone_create(
            actor=cast.xiaodian_admin,
            project=ledger.xiaodian,
            data={"name": "", "target_date": "2026-13-01", "achieved_date": "2026-12-01"},
        )
    errors = caught.value.message_dict
    assert {"name", "target_date"} <= set(errors)
    assert not Milestone.objects.exists()


def test_milestone_update_and_delete_are_audited(cast, ledger):
    milestone = services.milestone_create(
        actor=cast.xiaodian_admin,
        project=ledger.xiaodian,
        data={"name": "主体封顶", "target_date": "2026-12-31"},
    )
    services.milestone_update(
        actor=cast.xiaodian_admin, milestone=milestone, data={"target_date": "2027-01-15"}
    )
    services.milestone_delete(actor=cast.xiaodian_admin, milestone=milestone)
    changes = [
        e.changes for e in AuditEvent.objects.filter(object_type="plans.milestone").order_by("id")
    ]
    assert changes[1] == {
        "target_date": {"label": "目标日期", "before": "2026-12-31", "after": "2027-01-15"}
    }
    assert len(changes) == 3


def test_a_past_deadline_is_allowed(cast, ledger):
    target = services.schedule_target_set(
        actor=cast.xiaodian_admin, project=ledger.xiaodian, deadline="2026-01-31", label="投产"
    )
    assert target.deadline.isoformat() == "2026-01-31"
    with pytest.raises(ValidationError):
        services.schedule_target_set(
            actor=cast.xiaodian_admin, project=ledger.xiaodian, deadline="明年"
        )
    services.schedule_target_clear(actor=cast.xiaodian_admin, project=ledger.xiaodian)
    assert AuditEvent.objects.filter(object_type="plans.scheduletarget").count() == 2


def test_only_a_province_admin_edits_the_calendar(cast, geo):
    with pytest.raises(PermissionDenied):
        services.calendar_day_set(
            actor=cast.taiyuan_admin,
            data={"date": "2027-02-05", "kind": "holiday", "name": "春节"},
        )
    day = services.calendar_day_set(
        actor=cast.province_admin, data={"date": "2027-02-05", "kind": "holiday", "name": "春节"}
    )
    assert not day.provisional
    with pytest.raises(ValidationError) as caught:
        services.calendar_day_set(
            actor=cast.province_admin,
            data={"date": "2027-02-08", "kind": "workday", "name": "调休"},
        )
    assert "周六或周日" in caught.value.messages[0]
    services.calendar_day_delete(actor=cast.province_admin, day=day)
    assert not CalendarDay.objects.filter(date="2027-02-05").exists()
    assert AuditEvent.objects.filter(object_type="plans.calendarday").count() == 2


def test_the_shipped_calendar_is_seeded(db):
    assert CalendarDay.objects.get(date="2026-02-14").kind == "workday"
    assert CalendarDay.objects.get(date="2026-10-01").kind == "holiday"
