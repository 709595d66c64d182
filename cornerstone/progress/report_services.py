"""Writes to progress reports: fill in, submit, return, accept.

Attachments are in ``attachment_services``; reading the typed amounts (investment and
funds in place, 万 / 亿 units, the funds' sources adding up) in ``report_amounts``.

Who: the project's owner account(s) or an admin whose scope covers the project fill in
and submit; only such an admin reviews. Leaders and departments read only.

Status: draft → submitted → returned (with a comment) → submitted again → accepted.

Optimistic locking: every save names the ``version`` it read; the row is locked
(``select_for_update``) and a stale version is refused with ``StaleVersion``, so the
second of two people editing the same report at once never overwrites the first.

Actuals: on acceptance the report's ``investment_this_period`` and ``funds_in_place``
are added to the ``InvestmentActual`` of the month containing the cycle's ``period_end``
(one upsert). Then, with Y and M that month:

- ``investment_year_to_date`` = the sum of the project's actuals of year Y, months 1..M;
- ``investment_since_start`` = ``project.completed_before_year`` + that year-to-date sum.

``completed_before_year`` is the ledger's figure for everything done before the current
year (the plans read it the same way), so actuals of earlier years are already in it and
are not added twice. A negative period amount is a correction (调减) of an earlier
period: it needs a reason and cannot lower the year-to-date total below zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_region
from cornerstone.alerts.tasks import lights_recompute_enqueue
from cornerstone.core.audit import audit_record, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.money import format_wan
from cornerstone.core.notifications import notification_send
from cornerstone.core.validation import StaleVersion, full_clean_or_raise, values_apply
from cornerstone.geo.codes import ancestors_of
from cornerstone.geo.models import Department
from cornerstone.problems.services import problem_raise
from cornerstone.progress import periods
from cornerstone.progress.choices import CycleStatus, ReportStatus
from cornerstone.progress.models import (
    InvestmentActual,
    ProgressReport,
    ReportProblem,
    ReportTransition,
)
from cornerstone.progress.report_amounts import FUND_FIELDS, amount_read, funds_read, year_to_date
from cornerstone.progress.services import region_admins
from cornerstone.projects.models import Project
from cornerstone.stats.rollups import keeps_rollups

REPORT_FIELDS = [
    "investment_this_period",
    "correction_reason",
    *FUND_FIELDS,
    "site_status",
    "physical_progress",
    "percent_complete",
    "workforce_expected",
    "workforce_on_site",
    "next_period_plan",
    "coordination_needed",
]
NULLABLE = {
    "investment_this_period",
    *FUND_FIELDS,
    "percent_complete",
    "workforce_expected",
    "workforce_on_site",
}
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class ProblemInput:
    """One problem row of the report form."""

    category: str
    description: str
    department: Any = None
    deadline: Any = None


# ---------------------------------------------------------------- who may do what


def is_owner(actor: User, project: Project) -> bool:
    """Whether the actor is one of the project's owner accounts."""
    return actor.role == Role.OWNER and project.owner_users.filter(pk=actor.pk).exists()


def can_fill(actor: User, project: Project) -> bool:
    """Owners of the project and admins whose scope covers it fill in and submit."""
    return actor.is_active and (
        is_owner(actor, project) or can_edit_region(actor, project.region_id)
    )


def can_review(actor: User, project: Project) -> bool:
    """Only admins whose scope covers the project review its reports."""
    return can_edit_region(actor, project.region_id)


def _locked(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("cycle", "cycle__schedule", "project")
        .get(pk=report.pk)
    )


def _require_fill(actor: User, report: ProgressReport) -> None:
    if not can_fill(actor, report.project):
        raise PermissionDenied(_("您没有填报该项目进度的权限。"))
    if report.cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("期次“%s”已截止，不能再填报或提交。") % report.cycle.label)
    if report.status not in EDITABLE:
        raise ValidationError(
            _("报告当前状态为“%s”，不能修改或提交。") % ReportStatus(report.status).label
        )


def _require_review(actor: User, report: ProgressReport) -> None:
    if not can_review(actor, report.project):
        raise PermissionDenied(_("您没有审核该项目进度报告的权限。"))
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("报告当前状态为“%s”，只有已提交的报告可以审核。") % ReportStatus(report.status).label
        )


def _check_version(report: ProgressReport, version: Any) -> None:
    try:
        given = int(version)
    except (TypeError, ValueError):
        raise ValidationError({"version": [_("请提供报告的版本号。")]}) from None
    if given != report.version:
        raise StaleVersion(
            _("该报告已被他人修改（当前版本 %d），您的修改未保存。请刷新后重新填写。")
            % report.version
        )


def _problems_read(
    report: ProgressReport, rows: Sequence[ProblemInput], errors: dict[str, list[str]]
) -> list[ReportProblem]:
    """Validate the problem rows; the message names the row."""
    if len(rows) > MAX_PROBLEMS:
        errors["problems"] = [_("每份报告最多列出%d个问题。") % MAX_PROBLEMS]
        return []
    found: list[ReportProblem] = []
    messages: list[str] = []
    for number, row in enumerate(rows, start=1):
        item = ReportProblem(report=report)
        row_errors = values_apply(
            item,
            {
                "category": row.category,
                "description": (row.description or "").strip(),
                "department": row.department or None,
                "deadline": row.deadline or None,
            },
            ["category", "description", "department", "deadline"],
        )
        try:
            item.full_clean(exclude={"report", "problem", *row_errors})
        except ValidationError as exc:
            for name, texts in exc.message_dict.items():
                row_errors.setdefault(name, []).extend(texts)
        if (
            "department" not in row_errors
            and item.department_id is not None
            and not Department.objects.filter(
                pk=item.department_id,
                region_id__in=ancestors_of(report.project.region_id),
            ).exists()
        ):
            row_errors["department"] = [_("责任单位不属于项目所在区划。")]
        for name, texts in row_errors.items():
            label = getattr(ReportProblem._meta.get_field(name), "verbose_name", name)
            messages.extend(
                _("第%(row)d个问题，%(field)s：%(message)s")
                % {"row": number, "field": label, "message": text}
                for text in texts
            )
        found.append(item)
    if messages:
        errors["problems"] = messages
    return found


# ---------------------------------------------------------------- writes


def _report_snapshot(report: ProgressReport) -> dict[str, str | None]:
    return snapshot(report, REPORT_FIELDS)


@transaction.atomic
def report_save(
    *,
    report: ProgressReport,
    data: Mapping[str, Any],
    version: Any,
    actor: User,
    problems: Sequence[ProblemInput] | None = None,
    source: AuditSource = AuditSource.PAGE,
) -> ProgressReport:
    """Save a draft (or returned) report; ``problems`` given replaces the listed problems."""
    report = _locked(report)
    _require_fill(actor, report)
    _check_version(report, version)
    before = _report_snapshot(report)
    # A blank number box means "not given", not a number that failed to parse.
    values = {
        name: None if isinstance(value, str) and not value.strip() and name in NULLABLE else value
        for name, value in data.items()
    }
    errors: dict[str, list[str]] = {}
    if "investment_this_period" in values:
        reason = str(values.get("correction_reason", report.correction_reason) or "")
        values["investment_this_period"] = amount_read(
            report, values["investment_this_period"], reason, errors
        )
    values.update(funds_read(report, values, errors))
    errors.update(
        {k: v for k, v in values_apply(report, values, REPORT_FIELDS).items() if k not in errors}
    )
    if (
        "investment_this_period" not in errors
        and report.investment_this_period is not None
        and report.investment_this_period >= 0
    ):
        report.correction_reason = ""  # a reason only explains a lowering
    rows = _problems_read(report, problems, errors) if problems is not None else None
    if (
        report.workforce_expected is not None
        and report.workforce_on_site is not None
        and report.workforce_on_site > report.workforce_expected * 10
    ):
        errors.setdefault("workforce_on_site", []).append(_("在岗人数远超计划用工人数，请核对。"))
    full_clean_or_raise(report, errors)
    changes = diff(report, before, _report_snapshot(report))
    if rows is not None:
        old = [
            f"{p.get_category_display()}：{p.description}"
            for p in report.listed_problems.filter(problem__isnull=True)
        ]
        new = [f"{p.get_category_display()}：{p.description}" for p in rows]
        if old != new:
            changes["problems"] = {
                "label": _("存在问题"),
                "before": "；".join(old) or None,
                "after": "；".join(new) or None,
            }
            report.listed_problems.filter(problem__isnull=True).delete()
            ReportProblem.objects.bulk_create(rows)
    report.version += 1
    report.save()
    if changes:
        audit_record(
            actor=actor,
            source=source,
            action=AuditAction.UPDATE,
            obj=report,
            summary=_("填报进度：%(label)s") % {"label": report.cycle.label},
            changes=changes,
            project_id=report.project_id,
        )
    return report


def _transition(
    report: ProgressReport, to_status: ReportStatus, actor: User, comment: str = ""
) -> None:
    ReportTransition.objects.create(
        report=report,
        from_status=report.status,
        to_status=to_status,
        comment=comment,
        actor=actor,
    )
    report.status = to_status
    report.version += 1


def _report_url(report: ProgressReport) -> str:
    return reverse("progress:report", args=[report.pk])


def _owners(report: ProgressReport) -> list[User]:
    return list(report.project.owner_users.filter(is_active=True))


@transaction.atomic
def report_submit(
    *,
    report: ProgressReport,
    actor: User,
    version: Any = None,
    source: AuditSource = AuditSource.PAGE,
) -> ProgressReport:
    """Submit for review: its problems become Problems and the admins are told."""
    report = _locked(report)
    _require_fill(actor, report)
    if version is not None:
        _check_version(report, version)
    errors: dict[str, list[str]] = {}
    if report.investment_this_period is None:
        errors["investment_this_period"] = [_("提交前请填写本期完成投资（没有请填 0）。")]
    if not report.physical_progress.strip():
        errors["physical_progress"] = [_("提交前请填写形象进度。")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    _transition(report, ReportStatus.SUBMITTED, actor)
    report.submitted_by = actor
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.save()
    for item in report.listed_problems.filter(problem__isnull=True).select_related("department"):
        item.problem = problem_raise(
            project=report.project,
            category=item.category,
            description=item.description,
            department=item.department,
            deadline=item.deadline,
            source_report=report,
            actor=actor,
            source=source,
        )
        item.save(update_fields=["problem"])
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.TRANSITION,
        obj=report,
        summary=_("提交进度报告：%s") % report.cycle.label,
        project_id=report.project_id,
    )
    notification_send(
        users=region_admins(report.project.region_id),
        title=_("进度报告待审核：%(project)s %(label)s")
        % {"project": report.project.name, "label": report.cycle.label},
        url=_report_url(report),
    )
    return report


@transaction.atomic
def report_return(
    *,
    report: ProgressReport,
    comment: str,
    actor: User,
    version: Any = None,
    source: AuditSource = AuditSource.PAGE,
) -> ProgressReport:
    """Send a submitted report back to its owner with a required comment."""
    report = _locked(report)
    _require_review(actor, report)
    if version is not None:
        _check_version(report, version)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("退回时请填写退回意见。")]})
    if len(comment) > 500:
        raise ValidationError({"comment": [_("退回意见最多500个字符。")]})
    if report.cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("期次已截止，退回后无法再提交，请直接审核通过或联系业主线下更正。"))
    _transition(report, ReportStatus.RETURNED, actor, comment)
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.review_opinion = comment
    report.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.TRANSITION,
        obj=report,
        summary=_("退回进度报告：%(label)s，意见：%(comment)s")
        % {"label": report.cycle.label, "comment": comment},
        project_id=report.project_id,
    )
    notification_send(
        users=_owners(report),
        title=_("进度报告被退回：%(project)s %(label)s")
        % {"project": report.project.name, "label": report.cycle.label},
        body=comment,
        url=_report_url(report),
    )
    return report


def actual_add(
    *, project_id: int, day: dt.date, amount: Decimal, funds: Decimal = Decimal(0)
) -> None:
    """Add an amount and funds in place to the actual of the month containing ``day``."""
    year, month = periods.month_of(day)
    updated = InvestmentActual.objects.filter(project_id=project_id, year=year, month=month).update(
        amount=F("amount") + amount, funds_in_place=F("funds_in_place") + funds
    )
    if not updated:
        InvestmentActual.objects.create(
            project_id=project_id, year=year, month=month, amount=amount, funds_in_place=funds
        )


@transaction.atomic
@keeps_rollups(lambda kw: [kw["report"].project_id])
def report_accept(
    *,
    report: ProgressReport,
    actor: User,
    comment: str = "",
    version: Any = None,
    source: AuditSource = AuditSource.PAGE,
) -> ProgressReport:
    """Accept a submitted report: amount and funds land in the month's actual; lights recompute."""
    report = _locked(report)
    _require_review(actor, report)
    if version is not None:
        _check_version(report, version)
    comment = (comment or "").strip()[:500]
    # The project row lock orders two acceptances of the same project's reports.
    project = Project.objects.select_for_update().get(pk=report.project_id)
    amount = report.investment_this_period or Decimal(0)
    year, month = periods.month_of(report.cycle.period_end)
    if amount < 0 and year_to_date(project.pk, year, month) + amount < 0:
        raise ValidationError(
            {"investment_this_period": [_("调减后本年累计完成投资将为负数，请退回业主核对。")]}
        )
    actual_add(
        project_id=project.pk,
        day=report.cycle.period_end,
        amount=amount,
        funds=report.funds_in_place or Decimal(0),
    )
    report.investment_year_to_date = year_to_date(project.pk, year, month)
    report.investment_since_start = project.completed_before_year + report.investment_year_to_date
    _transition(report, ReportStatus.ACCEPTED, actor, comment)
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.review_opinion = comment
    report.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.TRANSITION,
        obj=report,
        summary=_("审核通过进度报告：%(label)s，本期完成投资%(amount)s")
        % {"label": report.cycle.label, "amount": format_wan(amount)},
        project_id=report.project_id,
    )
    lights_recompute_enqueue(project_ids=[report.project_id])
    notification_send(
        users=_owners(report),
        title=_("进度报告已审核通过：%(project)s %(label)s")
        % {"project": report.project.name, "label": report.cycle.label},
        body=comment,
        url=_report_url(report),
    )
    return report
