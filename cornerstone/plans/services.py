"""Writes to investment plans, milestones, the schedule deadline and the working calendar.

One transaction each, validated, with its audit row; tasks are in ``task_services``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_plans, can_manage_lifecycle, project_scope_q
from cornerstone.alerts.tasks import lights_recompute_enqueue
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.money import format_wan, parse_wan
from cornerstone.core.validation import full_clean_or_raise, values_apply
from cornerstone.plans.choices import SplitMethod
from cornerstone.plans.models import (
    MONTHS,
    CalendarDay,
    InvestmentPlan,
    Milestone,
    MonthlyPlan,
    ScheduleTarget,
)
from cornerstone.plans.splitting import months_total, split_even, split_weighted
from cornerstone.projects.models import Project
from cornerstone.stats.rollups import keeps_rollups

MILESTONE_FIELDS = ["name", "target_date", "step", "achieved_date", "note"]


def require_plan_editor(actor: User, project: Project) -> None:
    """Refuse actors who may not plan; a project outside scope is reported as missing."""
    if not Project.objects.filter(project_scope_q(actor), pk=project.pk).exists():
        raise Project.DoesNotExist
    if not can_edit_plans(actor):
        raise PermissionDenied(_("您没有修改计划的权限。"))


def _month_label(month: int) -> str:
    return _("%d月") % month


def _amount(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    """Read an amount in 万元 (units and separators allowed), not negative."""
    try:
        exact = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        exact = None  # has a unit or is not a number: parse_wan decides
    if exact is not None and exact.is_finite() and exact != exact.quantize(Decimal("0.01")):
        # Rounding would let months that do not add up pass as adding up.
        errors.setdefault(field, []).append(_("最多保留两位小数。"))
        return None
    try:
        amount = parse_wan(value)
    except ValueError:
        errors.setdefault(field, []).append(_("“%s”不是有效的金额。") % value)
        return None
    if amount is None:
        errors.setdefault(field, []).append(_("请填写金额。"))
    elif amount < 0:
        errors.setdefault(field, []).append(_("不能为负数。"))
    elif amount >= Decimal("1e12"):
        errors.setdefault(field, []).append(_("金额过大。"))
    else:
        return amount
    return None


def _plan_snapshot(plan: InvestmentPlan | None, months: Sequence[Decimal]) -> dict[str, str | None]:
    if plan is None:
        return {}
    shot = snapshot(plan, ["annual_amount", "split_method", "override_reason"])
    for month, amount in zip(MONTHS, months, strict=True):
        shot[f"month_{month}"] = format(amount.normalize(), "f")
    return shot


def _plan_changes(
    before: dict[str, str | None], after: dict[str, str | None]
) -> dict[str, dict[str, str | None]]:
    labels = {
        "annual_amount": str(InvestmentPlan._meta.get_field("annual_amount").verbose_name),
        "split_method": str(InvestmentPlan._meta.get_field("split_method").verbose_name),
        "override_reason": str(InvestmentPlan._meta.get_field("override_reason").verbose_name),
        **{f"month_{m}": _month_label(m) for m in MONTHS},
    }
    changes = {}
    for key in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = {"label": labels[key], "before": old, "after": new}
    return changes


def plan_cap_excess(
    *, project: Project, year: int, annual_amount: Decimal, today: dt.date
) -> Decimal:
    """How far the plans from this year on plus earlier completion would pass the total.

    Plans of past years are history: what was done then is in the completion before
    this year, so only this year's and later plans count against the total.
    """
    counted = InvestmentPlan.objects.filter(project=project, year__gte=today.year).exclude(
        year=year
    )
    planned = sum((p.annual_amount for p in counted), Decimal(0))
    if year >= today.year:
        planned += annual_amount
    return planned + project.completed_before_year - project.total_investment


def _months_read(
    months: Sequence[Any], annual: Decimal | None, errors: dict[str, list[str]]
) -> list[Decimal]:
    """Read twelve monthly amounts and check that they add up to the annual figure."""
    given = list(months)
    if len(given) != 12:
        errors["months"] = [_("请填写全部12个月的计划。")]
        return []
    amounts = []
    for month, value in zip(MONTHS, given, strict=True):
        amount = _amount(value, f"month_{month}", errors)
        amounts.append(amount if amount is not None else Decimal(0))
    if annual is not None and not any(k.startswith("month_") for k in errors):
        total = months_total(amounts)
        if total != annual:
            errors["months"] = [
                _("12个月合计%(months)s，与年度计划%(annual)s不一致（相差%(gap)s）。")
                % {
                    "months": format_wan(total),
                    "annual": format_wan(annual),
                    "gap": format_wan(abs(total - annual)),
                }
            ]
    return amounts


def _split(project: Project, year: int, annual: Decimal, method: SplitMethod) -> list[Decimal]:
    if method == SplitMethod.EVEN:
        return split_even(annual)
    return split_weighted(
        annual,
        year=year,
        start=project.actual_start_date or project.planned_start_date,
        finish=project.actual_completion_date or project.planned_completion_date,
    )


def investment_plan_split(
    *, project: Project, year: int, annual_amount: Any, split_method: SplitMethod
) -> list[Decimal]:
    """The months an automatic split would give, for a form to show before saving."""
    errors: dict[str, list[str]] = {}
    annual = _amount(annual_amount, "annual_amount", errors)
    if annual is None:
        raise ValidationError(errors)
    return _split(project, year, annual, split_method)


@transaction.atomic
@keeps_rollups(lambda kw: [kw["project"].pk])
def investment_plan_save(
    *,
    actor: User,
    project: Project,
    year: int,
    annual_amount: Any,
    months: Sequence[Any] | None = None,
    split_method: SplitMethod = SplitMethod.MANUAL,
    override_reason: str = "",
    source: AuditSource = AuditSource.PAGE,
    batch: str = "",
) -> InvestmentPlan:
    """Create or replace a project's plan for a year: the annual figure and its twelve months.

    ``batch`` names the import a change came from, in its audit row.

    Months given must add up to the annual figure exactly. Without months, an even or
    weighted ``split_method`` computes them; months given after such a split and then
    adjusted are recorded as a manual split.
    """
    require_plan_editor(actor, project)
    # The row lock makes two saves of the same project's plans check the cap one by one.
    project = Project.objects.select_for_update().get(pk=project.pk)
    errors: dict[str, list[str]] = {}
    annual = _amount(annual_amount, "annual_amount", errors)
    if split_method not in SplitMethod.values:
        errors["split_method"] = [_("未知的分月方式。")]
    amounts: list[Decimal] = []
    if months is not None:
        amounts = _months_read(months, annual, errors)
    elif split_method == SplitMethod.MANUAL:
        errors["months"] = [_("请填写全部12个月的计划，或选择自动分月方式。")]
    if annual is not None and not errors and split_method != SplitMethod.MANUAL:
        computed = _split(project, year, annual, SplitMethod(split_method))
        if months is None:
            amounts = computed
        elif amounts != computed:
            # Months adjusted by hand after an automatic split are a manual split.
            split_method = SplitMethod.MANUAL

    plan = InvestmentPlan.objects.filter(project=project, year=year).first()
    before = _plan_snapshot(plan, [m.amount for m in plan.months.all()] if plan else [])
    if plan is None:
        plan = InvestmentPlan(project=project, year=year)
    plan.annual_amount = annual if annual is not None else Decimal(0)
    plan.split_method = split_method
    plan.override_reason = override_reason.strip()
    if annual is not None and not errors:
        excess = plan_cap_excess(
            project=project, year=year, annual_amount=annual, today=timezone.localdate()
        )
        if excess > 0 and not plan.override_reason:
            errors["override_reason"] = [
                _(
                    "本年及以后年度计划加上以前年度累计完成投资，超出总投资%(excess)s；"
                    "如确需超出，请填写理由。"
                )
                % {"excess": format_wan(excess)}
            ]
    full_clean_or_raise(plan, errors)

    after = _plan_snapshot(plan, amounts)
    changes = _plan_changes(before, after)
    if not changes:
        return plan
    created = plan.pk is None
    plan.save()
    _months_fill(plan, amounts)
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=plan,
        summary=(
            _("新建%(year)d年度投资计划%(amount)s")
            if created
            else _("修改%(year)d年度投资计划%(amount)s")
        )
        % {"year": year, "amount": format_wan(plan.annual_amount)}
        + (_("（导入%s）") % batch if batch else ""),
        changes=changes,
        project_id=project.pk,
    )
    lights_recompute_enqueue(project_ids=[project.pk])
    return plan


def _months_fill(plan: InvestmentPlan, amounts: Sequence[Decimal]) -> None:
    """Write each month's amount, creating any month row that is missing."""
    existing = {row.month: row for row in MonthlyPlan.objects.filter(plan=plan)}
    changed, missing = [], []
    for month, amount in zip(MONTHS, amounts, strict=True):
        row = existing.get(month)
        if row is None:
            missing.append(MonthlyPlan(plan=plan, month=month, amount=amount))
        elif row.amount != amount:
            row.amount = amount
            changed.append(row)
    MonthlyPlan.objects.bulk_update(changed, ["amount"])
    MonthlyPlan.objects.bulk_create(missing)


@transaction.atomic
@keeps_rollups(lambda kw: [kw["plan"].project_id])
def investment_plan_delete(
    *, actor: User, plan: InvestmentPlan, source: AuditSource = AuditSource.PAGE
) -> None:
    """Delete a year's plan with its months."""
    require_plan_editor(actor, plan.project)
    before = _plan_snapshot(plan, [m.amount for m in plan.months.all()])
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.DELETE,
        obj=plan,
        summary=_("删除%d年度投资计划") % plan.year,
        changes=_plan_changes(before, {}),
        project_id=plan.project_id,
    )
    plan.delete()
    lights_recompute_enqueue(project_ids=[plan.project_id])


def _milestone_errors(milestone: Milestone) -> dict[str, list[str]]:
    if milestone.step_id is not None and milestone.achieved_date is not None:
        return {"achieved_date": [_("关联环节的节点以环节的实际完成日期为准，无需另填完成日期。")]}
    if milestone.achieved_date is not None and milestone.achieved_date > timezone.localdate():
        return {"achieved_date": [_("完成日期不能晚于今天。")]}
    return {}


@transaction.atomic
def milestone_create(
    *,
    actor: User,
    project: Project,
    data: Mapping[str, Any],
    source: AuditSource = AuditSource.PAGE,
) -> Milestone:
    """Add a milestone (月节点) to a project."""
    require_plan_editor(actor, project)
    milestone = Milestone(project=project)
    errors = values_apply(milestone, data, MILESTONE_FIELDS)
    if not errors:
        errors.update(_milestone_errors(milestone))
    full_clean_or_raise(milestone, errors)
    milestone.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=milestone,
        summary=_("新建节点“%s”") % milestone.name,
        changes=diff(milestone, {}, snapshot(milestone, MILESTONE_FIELDS)),
        project_id=project.pk,
    )
    lights_recompute_enqueue(project_ids=[project.pk])
    return milestone


@transaction.atomic
def milestone_update(
    *,
    actor: User,
    milestone: Milestone,
    data: Mapping[str, Any],
    source: AuditSource = AuditSource.PAGE,
) -> Milestone:
    """Change a milestone's fields."""
    require_plan_editor(actor, milestone.project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    before = snapshot(milestone, MILESTONE_FIELDS)
    errors = values_apply(milestone, data, MILESTONE_FIELDS)
    if not errors:
        errors.update(_milestone_errors(milestone))
    full_clean_or_raise(milestone, errors)
    changes = diff(milestone, before, snapshot(milestone, MILESTONE_FIELDS))
    if changes:
        milestone.save()
        audit_record(
            actor=actor,
            source=source,
            action=AuditAction.UPDATE,
            obj=milestone,
            summary=_("修改节点“%s”") % milestone.name,
            changes=changes,
            project_id=milestone.project_id,
        )
        lights_recompute_enqueue(project_ids=[milestone.project_id])
    return milestone


@transaction.atomic
def milestone_delete(
    *, actor: User, milestone: Milestone, source: AuditSource = AuditSource.PAGE
) -> None:
    """Delete a milestone."""
    require_plan_editor(actor, milestone.project)
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.DELETE,
        obj=milestone,
        summary=_("删除节点“%s”") % milestone.name,
        changes=diff(milestone, snapshot(milestone, MILESTONE_FIELDS), {}),
        project_id=milestone.project_id,
    )
    project_id = milestone.project_id
    milestone.delete()
    lights_recompute_enqueue(project_ids=[project_id])


@transaction.atomic
def schedule_target_set(
    *,
    actor: User,
    project: Project,
    deadline: Any,
    label: str = "",
    source: AuditSource = AuditSource.PAGE,
) -> ScheduleTarget:
    """Set the deadline the project's tasks are scheduled back from.

    A deadline already past is allowed (the schedule then shows how late the project
    is); the pages flag it for a project not yet started.
    """
    require_plan_editor(actor, project)
    target = ScheduleTarget.objects.filter(project=project).first() or ScheduleTarget(
        project=project
    )
    fields = ["label", "deadline"]
    before = snapshot(target, fields) if target.pk else {}
    errors = values_apply(target, {"deadline": deadline, "label": label or "投产"}, fields)
    full_clean_or_raise(target, errors)
    changes = diff(target, before, snapshot(target, fields))
    if changes:
        created = target.pk is None
        target.save()
        audit_record(
            actor=actor,
            source=source,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=target,
            summary=_("倒排工期：%(label)s时限%(date)s")
            % {"label": target.label, "date": target.deadline.isoformat()},
            changes=changes,
            project_id=project.pk,
        )
    return target


@transaction.atomic
def schedule_target_clear(
    *, actor: User, project: Project, source: AuditSource = AuditSource.PAGE
) -> None:
    """Remove the project's schedule deadline; late dates then follow the early finish."""
    require_plan_editor(actor, project)
    target = ScheduleTarget.objects.filter(project=project).first()
    if target is None:
        return
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.DELETE,
        obj=target,
        summary=_("取消倒排工期时限"),
        changes=diff(target, snapshot(target, ["label", "deadline"]), {}),
        project_id=project.pk,
    )
    target.delete()


def _require_calendar_admin(actor: User) -> None:
    if not can_manage_lifecycle(actor):
        raise PermissionDenied(_("只有省级管理员可以维护工作日历。"))


@transaction.atomic
def calendar_day_set(
    *,
    actor: User,
    data: Mapping[str, Any],
    source: AuditSource = AuditSource.PAGE,
) -> CalendarDay:
    """Add or change one day of the working calendar (a holiday or a 调休 working day)."""
    _require_calendar_admin(actor)
    fields = ["date", "kind", "name"]
    probe = CalendarDay()
    errors = values_apply(probe, data, fields)
    day = CalendarDay.objects.filter(date=probe.date).first() if not errors else None
    if day is None:
        day = probe
    else:
        values_apply(day, data, fields)
    before = (
        snapshot(CalendarDay.objects.get(pk=day.pk), [*fields, "provisional"]) if day.pk else {}
    )
    day.provisional = False
    if not errors and day.kind == "workday" and day.date.weekday() < 5:
        errors["kind"] = [_("调休上班日应为周六或周日。")]
    full_clean_or_raise(day, errors)
    created = day.pk is None
    day.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=day,
        summary=_("工作日历：%(date)s %(name)s") % {"date": day.date.isoformat(), "name": day.name},
        changes=diff(day, before, snapshot(day, [*fields, "provisional"])),
    )
    return day


@transaction.atomic
def calendar_day_delete(
    *, actor: User, day: CalendarDay, source: AuditSource = AuditSource.PAGE
) -> None:
    """Remove one day from the working calendar; it becomes an ordinary weekday or weekend."""
    _require_calendar_admin(actor)
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.DELETE,
        obj=day,
        summary=_("工作日历：删除%(date)s %(name)s")
        % {"date": day.date.isoformat(), "name": day.name},
        changes=diff(day, snapshot(day, ["date", "kind", "name", "provisional"]), {}),
    )
    day.delete()
